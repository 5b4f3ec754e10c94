"""Shared fixtures: an app per test on SQLite (or DATABASE_URL, e.g. PostgreSQL), factories."""

from __future__ import annotations

import functools
import http.client
import itertools
import json
import os
import shutil
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import create_engine, func, make_url, select, text, update
from sqlalchemy.orm import Session
from werkzeug.routing import Rule
from werkzeug.serving import make_server

import app.models  # noqa: F401 - every table on Base.metadata
from app import create_app
from app.areas.gazetteer import ZONES_CSV, read_gazetteer
from app.areas.models import Village
from app.areas.services import load_areas, load_gazetteer, read_area_csv
from app.auth.models import Role, User
from app.auth.services import create_user
from app.content.models import LESSON_SECTIONS, Category, Clip, FaqCard, Indicator
from app.content_io.load import load_content  # the content loader: imported here only
from app.db import Base, get_session
from app.quizzes.models import QUESTION_TYPES, Choice, Question, Quiz
from app.readiness.models import TrainingPlan

ROOT = Path(__file__).resolve().parent.parent
# Codes of Nan's areas used across the officers' and volunteers' tests (nan-areas.csv).
MUEANG = "5501"  # อ.เมืองน่าน (central zone)
MUEANG_SUB = "550101"  # ต.ในเวียง
OTHER_SUB = "550102"  # ต.บ่อ (also in เมืองน่าน)
PUA = "5507"  # อ.เวียงสา (south zone), another district
PASSWORD = "correct-horse-9"


def cache_url_builders() -> None:
    """Reuse Werkzeug's generated URL builder functions across apps: compiling them is most
    of create_app's time, and the tests make an app per test. A builder is a pure function of
    the rule's text, parts and defaults (the rule itself is its first argument), so apps with
    the same URL map can share them. Rules with a converter default are compiled as before."""
    original = Rule._compile_builder
    builders: dict[tuple[Any, ...], Callable[..., tuple[str, str]]] = {}

    def compile_builder(self: Rule, append_unknown: bool = True) -> Callable[..., Any]:
        defaults = self.defaults or {}
        if any(dynamic and name in defaults for dynamic, name in self._trace):
            return original(self, append_unknown)
        key = (self.rule, tuple(self._trace), repr(sorted(defaults.items())), append_unknown)
        if key not in builders:
            builders[key] = original(self, append_unknown)
        return builders[key]

    Rule._compile_builder = compile_builder  # type: ignore[method-assign]


cache_url_builders()


def worker_database_url(base: str | None, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The database of this test process: DATABASE_URL (PostgreSQL: `<db>_gw0`, `<db>_gw1`
    ... under pytest-xdist, created when missing), else a temp SQLite file."""
    if not base:
        return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return base
    url = make_url(base)
    name = f"{url.database}_{worker}"
    if url.get_backend_name() == "postgresql":
        engine = create_engine(base, isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            exists = connection.scalar(
                text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
            )
            if not exists:
                connection.execute(text(f'CREATE DATABASE "{name}"'))
        engine.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


class Database:
    """The test database and its reference states, each built once per session and restored
    per test: "empty", "areas" (Nan's gazetteer, 2 demo villages per subdistrict) and
    "content" (areas plus the shipped content/ and quizzes/).

    A state is kept as rows in memory (per table, parents first). Triggers log which tables
    a test wrote to (`_test_dirty`, outside the models); restoring deletes and re-inserts only
    those tables and the tables whose rows refer to them, in one committed transaction, and
    resets PostgreSQL's id sequences. The data is real and committed: live servers, the CLI
    runner and other engines all see it, and every write is logged whoever makes it."""

    STATES = ("empty", "areas", "content")
    LOG = "_test_dirty"

    def __init__(self, url: str, media_root: Path) -> None:
        self.url = url
        self.media_root = media_root
        self.engine = create_engine(url)
        self.postgresql = self.engine.dialect.name == "postgresql"
        self.snapshots: dict[str, dict[str, list[dict[str, Any]]]] = {"empty": {}}
        self.state: str | None = None  # the state the database was last restored to
        # PostgreSQL: table -> (its id column, that column's sequence)
        self.sequences: dict[str, tuple[str, str]] = {}
        self.media_backup = media_root.parent / f"{media_root.name}-backup"
        self.tables = Base.metadata.sorted_tables  # parents first
        # Per table, the tables with a foreign key to it.
        self.children: dict[str, set[str]] = {t.name: set() for t in self.tables}
        for table in self.tables:
            for key in table.foreign_keys:
                if key.column.table is not table:
                    self.children[key.column.table.name].add(table.name)

    def create_schema(self) -> None:
        """Drop and create every table, with the triggers that log writes."""
        Base.metadata.drop_all(self.engine)
        Base.metadata.create_all(self.engine)
        with self.engine.begin() as connection:
            connection.execute(text(f"DROP TABLE IF EXISTS {self.LOG}"))
            if self.postgresql:
                # No key: concurrent writers never wait on each other for the log.
                connection.execute(text(f"CREATE UNLOGGED TABLE {self.LOG} (name TEXT)"))
                connection.execute(
                    text(
                        "CREATE OR REPLACE FUNCTION _test_log_write() RETURNS trigger AS $$"
                        f" BEGIN INSERT INTO {self.LOG} VALUES (TG_TABLE_NAME); RETURN NULL;"
                        " END $$ LANGUAGE plpgsql"
                    )
                )
            else:
                connection.execute(text(f"CREATE TABLE {self.LOG} (name TEXT PRIMARY KEY)"))
            for table in self.tables:
                if self.postgresql:
                    connection.execute(
                        text(
                            f"CREATE TRIGGER _test_log AFTER INSERT OR UPDATE OR DELETE OR"
                            f" TRUNCATE ON {table.name} FOR EACH STATEMENT"
                            " EXECUTE FUNCTION _test_log_write()"
                        )
                    )
                    for column in table.primary_key.columns:
                        name = connection.scalar(
                            text("SELECT pg_get_serial_sequence(:t, :c)"),
                            {"t": table.name, "c": column.name},
                        )
                        if name:
                            self.sequences[table.name] = (column.name, name)
                    continue
                for event_ in ("INSERT", "UPDATE", "DELETE"):
                    connection.execute(
                        text(
                            f"CREATE TRIGGER _test_log_{event_.lower()}_{table.name}"
                            f" AFTER {event_} ON {table.name}"
                            f" WHEN NOT EXISTS (SELECT 1 FROM {self.LOG}"
                            f" WHERE name = '{table.name}')"
                            f" BEGIN INSERT INTO {self.LOG} VALUES ('{table.name}'); END"
                        )
                    )
        self.state = "empty"

    def to_restore(self, dirty: set[str], target: str) -> set[str]:
        """The tables to empty and refill: those written to, those whose rows differ between
        the current state and the target, and every table whose rows may refer to them."""
        if self.state is None:
            return {t.name for t in self.tables}
        current = self.snapshots[self.state]
        wanted = self.snapshots[target]
        names = set(dirty)
        if target != self.state:
            names |= {t.name for t in self.tables if current.get(t.name) != wanted.get(t.name)}
        queue = list(names)
        while queue:
            for child in self.children[queue.pop()]:
                if child not in names and current.get(child):
                    names.add(child)
                    queue.append(child)
        return names

    def restore(self, state: str, application: Flask | None = None) -> None:
        """Bring the database to a reference state (built on first use with `application`)."""
        if state not in self.snapshots:
            if application is None:
                raise RuntimeError(f"state {state!r} not built yet: pass an app")
            self.build(state, application)
        rows = self.snapshots[state]
        with self.engine.begin() as connection:
            dirty = set(connection.scalars(text(f"SELECT DISTINCT name FROM {self.LOG}")))
            names = self.to_restore(dirty, state)
            for table in reversed(self.tables):
                if table.name in names:
                    connection.execute(table.delete())
            for table in self.tables:
                if table.name in names and rows.get(table.name):
                    connection.execute(table.insert(), rows[table.name])
            if names:
                connection.execute(text(f"DELETE FROM {self.LOG}"))
            if self.postgresql and self.sequences:
                connection.execute(text(self.reset_sequences(state)))
        if state == "content":
            self.restore_media()
        self.state = state

    @functools.cache  # noqa: B019 - one Database per session
    def reset_sequences(self, state: str) -> str:
        """PostgreSQL: one statement setting every id sequence after the state's last id."""
        rows = self.snapshots[state]
        calls = []
        for table_name, (column, sequence) in self.sequences.items():
            top = max((r[column] for r in rows.get(table_name, [])), default=0)
            calls.append(f"setval('{sequence}', {max(top, 1)}, {str(top > 0).lower()})")
        return "SELECT " + ", ".join(calls)

    def build(self, state: str, application: Flask) -> None:
        """Load a state's data through the app (the real loaders) and keep its rows."""
        with application.app_context():
            session = get_session()
            if state == "areas":
                self.restore("empty")
                load_areas(
                    session,
                    read_area_csv(Path(application.config["AREAS_CSV"])),
                    demo_villages=2,
                )
                load_gazetteer(session, read_gazetteer([ZONES_CSV]))
            elif state == "content":
                self.restore("areas", application)
                load_content(
                    session,
                    Path(application.config["CONTENT_ROOT"]),
                    Path(application.config["QUIZ_ROOT"]),
                    application.extensions["media_storage"],
                )
                # Shipped clips get their phone renditions from `flask media process-pending`
                # (ffmpeg, minutes for 38 clips). The reference state stands in for it: the
                # generated clips (`make media`: 480p H.264, no tags) serve as their own.
                # tests/media/test_renditions.py runs the real job.
                session.execute(update(Clip).values(phone_path=Clip.path, phone_size=Clip.size))
            session.commit()
            session.close()
        if state == "content":
            self.backup_media()
        self.snapshots[state] = self.take()

    def take(self) -> dict[str, list[dict[str, Any]]]:
        """Every row of every table, as insert parameters."""
        rows: dict[str, list[dict[str, Any]]] = {}
        with self.engine.connect() as connection:
            for table in Base.metadata.sorted_tables:
                columns = list(table.columns)
                result = connection.execute(select(*columns))
                rows[table.name] = [
                    {c.key: value for c, value in zip(columns, row, strict=True)} for row in result
                ]
        return rows

    def backup_media(self) -> None:
        """Hard links to the media files the content state uses (the store only ever renames
        files in, so a link keeps a file a test deletes)."""
        shutil.rmtree(self.media_backup, ignore_errors=True)
        for path in self.media_root.rglob("*"):
            if path.is_file() and "incoming" not in path.relative_to(self.media_root).parts:
                target = self.media_backup / path.relative_to(self.media_root)
                target.parent.mkdir(parents=True, exist_ok=True)
                os.link(path, target)

    def restore_media(self) -> None:
        """Put back any stored file of the content state that a test deleted."""
        for path in self.media_backup.rglob("*"):
            if path.is_file():
                original = self.media_root / path.relative_to(self.media_backup)
                if not original.exists():
                    original.parent.mkdir(parents=True, exist_ok=True)
                    os.link(path, original)


@pytest.fixture(scope="session")
def database(tmp_path_factory: pytest.TempPathFactory, media_root: Path) -> Iterator[Database]:
    """The session's test database (see Database): the schema is created once."""
    url = worker_database_url(os.environ.get("DATABASE_URL"), tmp_path_factory)
    db = Database(url, media_root)
    db.create_schema()
    yield db
    db.engine.dispose()


@pytest.fixture(scope="session")
def database_url(database: Database) -> str:
    """The URL of this test process's database (SQLite file or PostgreSQL)."""
    return database.url


def empty_tables(url: str) -> None:
    """Delete every row, children first."""
    engine = create_engine(url)
    with engine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            connection.execute(table.delete())
    engine.dispose()


@pytest.fixture(scope="session")
def media_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One media store for the session: content-addressed, so loads reuse stored files."""
    return tmp_path_factory.mktemp("media")


def app_config(database_url: str, media_root: Path, jobs_url: str) -> dict[str, Any]:
    """The configuration of the tests' app."""
    return {
        "TESTING": True,
        "APP_ENV": "testing",
        "SECRET_KEY": "test-secret",
        "DATABASE_URL": database_url,
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1",
        "WTF_CSRF_ENABLED": False,
        "SERVER_NAME": "bmn.test",
        "QUIZ_COOLDOWN_SECONDS": 0,
        "MEDIA_ROOT": str(media_root),
        "JOBS_URL": jobs_url,  # never the instance queue
    }


def reference_state(fixturenames: list[str]) -> str:
    """The reference state a test starts from, from the fixtures it uses (all of them,
    through other fixtures too): "content", "areas" or "empty"."""
    if "content" in fixturenames:
        return "content"
    return "areas" if "areas" in fixturenames else "empty"


@pytest.fixture
def app(
    request: pytest.FixtureRequest, database: Database, media_root: Path, tmp_path: Path
) -> Iterator[Flask]:
    """A fresh app per test, on a database restored to the state its fixtures ask for: empty,
    or with `areas`, or with `content` (the data is committed: any connection sees it)."""
    application = create_app(
        app_config(database.url, media_root, f"sqlite:///{tmp_path / 'jobs.sqlite3'}")
    )
    database.restore(reference_state(request.fixturenames), application)
    yield application
    with application.app_context():
        get_session().close()
        from app.db import db

        db.engine.dispose()


@pytest.fixture
def second_app(app: Flask, database: Database, media_root: Path, tmp_path: Path) -> Iterator[Flask]:
    """A second app on the test's database: another worker or server, with its own caches."""
    second = create_app(
        app_config(database.url, media_root, f"sqlite:///{tmp_path / 'jobs2.sqlite3'}")
    )
    yield second
    with second.app_context():
        get_session().close()
        from app.db import db

        db.engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A test client."""
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    """A CLI runner."""
    return app.test_cli_runner()


@pytest.fixture
def session(app: Flask) -> Iterator[Session]:
    """The database session inside an app context."""
    with app.app_context():
        yield get_session()


@pytest.fixture
def areas(app: Flask, database: Database) -> None:
    """Nan's districts (with their zones) and subdistricts, with 2 demo villages each
    (restored by `app`, which sees this fixture among the test's)."""
    assert database.state in ("areas", "content")


@pytest.fixture
def content(app: Flask, areas: None, database: Database) -> None:
    """The real content/ and quizzes/ of the repo, loaded (restored by `app`)."""
    assert database.state == "content"


@pytest.fixture
def complete_numbers(app: Flask, content: None) -> list[int]:
    """Numbers of indicators (not the survey basics) that have a question bank."""
    from app.quizzes.models import Quiz

    with app.app_context():
        stmt = (
            select(Indicator.number)
            .join(Quiz, Quiz.indicator_id == Indicator.id)
            .where(Indicator.number > 0)
        )
        return sorted(get_session().scalars(stmt))


_phones = itertools.count(1)


@pytest.fixture
def make_user(app: Flask) -> Callable[..., int]:
    """Create a user and return its id: make_user(role=Role.OFFICER, village_code=...)."""

    def make(
        role: Role = Role.VOLUNTEER,
        *,
        full_name: str = "สมศรี ทดสอบ",
        village_code: str | None = None,
        area_code: str | None = None,
        password: str = PASSWORD,
    ) -> int:
        with app.app_context():
            session = get_session()
            village_id = None
            if role is Role.VOLUNTEER:
                stmt = select(Village).order_by(Village.code)
                if village_code:
                    stmt = stmt.where(Village.code == village_code)
                village = session.scalar(stmt.limit(1))
                village_id = village.id if village else None
            # Generated test numbers in the 0899xxxxxx range: no real person's data.
            user = create_user(
                session,
                full_name=full_name,
                phone=f"0899{next(_phones):06d}",
                password=password,
                role=role,
                volunteer_type="osm" if role is Role.VOLUNTEER else None,
                village_id=village_id,
                area_code=area_code,
            )
            session.commit()
            return user.id

    return make


@pytest.fixture
def login(app: Flask) -> Callable[[FlaskClient, int], None]:
    """Log a client in as a user id, through the real login form."""

    def do(client: FlaskClient, user_id: int, password: str = PASSWORD) -> None:
        with app.app_context():
            phone = get_session().get(User, user_id).phone
        response = client.post("/login", data={"phone": phone, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)

    return do


def activate_plan(session: Session, indicators: list[Indicator], slug: str) -> TrainingPlan:
    """Add a plan of these indicators and activate it as the app does (the others off,
    everyone's progress re-evaluated under it)."""
    from flask import current_app

    from app.db import utcnow
    from app.readiness import progress

    plan = TrainingPlan(
        slug=slug,
        name_th="แผนทดสอบ",
        name_en="Test plan",
        campaign_year=2570,
        active=False,
        indicators=indicators,
    )
    session.add(plan)
    session.flush()
    progress.activate_plan(session, plan, secret=current_app.config["SECRET_KEY"], now=utcnow())
    return plan


@pytest.fixture
def make_plan(app: Flask) -> Callable[..., int]:
    """Make an active plan of the given indicator numbers (others deactivated); returns id."""

    def make(numbers: list[int], slug: str = "test-plan") -> int:
        with app.app_context():
            session = get_session()
            stmt = select(Indicator).where(Indicator.number.in_(numbers))
            plan = activate_plan(session, list(session.scalars(stmt)), slug)
            session.commit()
            return plan.id

    return make


# Factories for tests that need an indicator, a quiz or a plan but not the shipped content
# (the `content` fixture gives that). Indicators are named by number, as in the URLs.
LESSON_TEXT = {section: f"บทเรียน: {section}" for section in LESSON_SECTIONS}


@pytest.fixture
def make_indicator(app: Flask) -> Callable[..., int]:
    """make_indicator(number=None, lesson=True, category=1, **columns) -> the number (the next
    free one when not given) of a new indicator, with lesson text in every section unless
    lesson=False; its category is made when missing."""

    def make(
        number: int | None = None, *, lesson: bool = True, category: int = 1, **columns: Any
    ) -> int:
        with app.app_context():
            session = get_session()
            if number is None:
                number = (session.scalar(select(func.max(Indicator.number))) or 0) + 1
            if session.get(Category, category) is None:
                session.add(Category(number=category, name_th=f"หมวด {category}", name_en="Test"))
            values = {
                "title_th": f"ตัวชี้วัดทดสอบที่ {number}",
                "title_en": f"Test indicator {number}",
                "target_group_th": "ทุกคนในครัวเรือน",
                "criterion_th": "เกณฑ์ทดสอบ",
                "status": "carried-over",
                **(LESSON_TEXT if lesson else {}),
                **columns,
            }
            session.add(Indicator(number=number, category_number=category, **values))
            session.commit()
            return number

    return make


def _indicator_id(session: Session, number: int) -> int:
    indicator_id = session.scalar(select(Indicator.id).where(Indicator.number == number))
    assert indicator_id is not None, f"no indicator {number}"
    return indicator_id


@pytest.fixture
def make_faq_card(app: Flask) -> Callable[..., int]:
    """make_faq_card(number, slug, title_th=..., body=..., published=True) -> card id."""

    def make(number: int, slug: str, **columns: Any) -> int:
        with app.app_context():
            session = get_session()
            card = FaqCard(
                indicator_id=_indicator_id(session, number),
                slug=slug,
                **{"title_th": f"คำถามที่พบบ่อย {slug}", "body": "คำตอบ **ทดสอบ**", **columns},
            )
            session.add(card)
            session.commit()
            return card.id

    return make


@pytest.fixture
def make_question(app: Flask) -> Callable[..., int]:
    """make_question(number, type="single", see="measures", key=..., choices=3, **columns)
    -> question id. Choice a is right (a and b for "multiple"); a truefalse question has the
    shipped banks' two choices ถูก (right) and ผิด."""
    keys = itertools.count(1)

    def make(
        number: int, type: str = "single", *, see: str = "measures", choices: int = 3, **columns
    ) -> int:
        with app.app_context():
            session = get_session()
            indicator_id = _indicator_id(session, number)
            position = session.scalar(
                select(func.count()).where(Question.indicator_id == indicator_id)
            )
            key = columns.pop("key", f"q{next(keys)}")
            question = Question(
                indicator_id=indicator_id,
                key=key,
                type=type,
                see=see,
                position=position,
                **{"text": f"คำถาม {key}", "explanation": f"คำอธิบาย {key}", **columns},
            )
            if type == "record":  # a recording exercise: pass record=..., it has no choices
                session.add(question)
                session.commit()
                return question.id
            if type == "truefalse":
                texts, right = ["ถูก", "ผิด"], {"a"}
            else:
                texts = [f"ตัวเลือก {key} {i + 1}" for i in range(choices)]
                right = {"a", "b"} if type == "multiple" else {"a"}
            question.choices = [
                Choice(key=letter, text=text, correct=letter in right, position=i)
                for i, (letter, text) in enumerate(zip("abcdefgh", texts, strict=False))
            ]
            session.add(question)
            session.commit()
            return question.id

    return make


@pytest.fixture
def make_quiz(app: Flask, make_question: Callable[..., int]) -> Callable[..., int]:
    """make_quiz(number, questions=6, draw_size=5, pass_mark=80, sees=[...]) -> quiz id: the
    indicator's quiz settings and a bank mixing single, multiple and truefalse questions, each
    pointing back to a lesson section (or sees[i], e.g. "faq:<slug>", in turn)."""

    def make(
        number: int,
        questions: int = 6,
        draw_size: int = 5,
        pass_mark: int = 80,
        sees: list[str] | None = None,
    ) -> int:
        sees = sees or list(LESSON_SECTIONS)
        types = [t for t in QUESTION_TYPES if t != "record"]  # choice questions
        for i in range(questions):
            make_question(number, types[i % len(types)], see=sees[i % len(sees)])
        with app.app_context():
            session = get_session()
            quiz = Quiz(
                indicator_id=_indicator_id(session, number),
                pass_mark=pass_mark,
                draw_size=draw_size,
            )
            session.add(quiz)
            session.commit()
            return quiz.id

    return make


def answer_keys(app: Flask, attempt_id: int, *, right: bool) -> dict[str, list[str]]:
    """Per drawn question of an attempt, its form field and the choice keys to tick:
    every right one, or (right=False) only wrong ones."""
    from app.quizzes.models import Attempt, Question

    with app.app_context():
        session = get_session()
        attempt = session.get(Attempt, attempt_id)
        assert attempt is not None, f"no attempt {attempt_id}"
        answers: dict[str, list[str]] = {}
        for item in attempt.draw:
            question = session.get(Question, item["q"])
            if question.type == "record":
                answers.update(record_form(question, right=right))
                continue
            correct = sorted(question.correct_keys)
            wrong = [c.key for c in question.choices if not c.correct]
            keys = correct if right else wrong
            keys = keys if question.type == "multiple" else keys[:1]
            assert keys, f"question {question.key}: no {'right' if right else 'wrong'} choice"
            answers[f"q{question.id}"] = keys
        return answers


def record_form(question: Any, *, right: bool) -> dict[str, list[str]]:
    """The form data of a recording exercise: what the form needs for every item and the
    right result, or (right=False) a wrong result and the first item wrong too."""
    from app.quizzes.files import RESULTS, SKIP, record_from_data

    record = record_from_data(question.record)
    data: dict[str, list[str]] = {}
    for index, entry in enumerate(record.entries):
        name = f"q{question.id}_{index}"
        values = list(entry.answer)
        if not right and index == 0:  # another answer than the one the form needs
            if entry.kind == "number":
                values = [SKIP] if not entry.skipped else ["1"]
            else:
                others = [str(i) for i in range(len(entry.options)) if (str(i),) != entry.answer]
                values = [others[0]] if not entry.skipped else ["0"]
        if entry.kind == "number":
            if values == [SKIP]:
                data[f"{name}_skip"] = ["y"]
            else:
                data[name] = values
        else:
            data[name] = values
    result = record.result if right else next(r for r in RESULTS if r != record.result)
    data[f"q{question.id}_r"] = [result]
    return data


def correct_service_answers(app: Flask, attempt_id: int) -> dict[int, list[str]]:
    """submit_attempt's answers (question id -> stored answer) answering every drawn question
    of an attempt correctly."""
    from app.quizzes.files import record_from_data
    from app.quizzes.models import Attempt, Question
    from app.quizzes.rules import record_answer

    with app.app_context():
        session = get_session()
        answers: dict[int, list[str]] = {}
        for item in session.get(Attempt, attempt_id).draw:
            question = session.get(Question, item["q"])
            if question.type == "record":
                record = record_from_data(question.record)
                entries = {i: list(e.answer) for i, e in enumerate(record.entries)}
                answers[question.id] = record_answer(entries, record.result)
            else:
                answers[question.id] = sorted(question.correct_keys)
        return answers


def correct_answers(app: Flask, attempt_id: int) -> dict[str, list[str]]:
    """Form data answering every drawn question of an attempt correctly."""
    return answer_keys(app, attempt_id, right=True)


def wrong_answers(app: Flask, attempt_id: int) -> dict[str, list[str]]:
    """Form data answering every drawn question wrongly."""
    return answer_keys(app, attempt_id, right=False)


def thai(app: Flask, msgid: str, **params: Any) -> str:
    """The Thai UI text of a message id (fails if the catalogue lacks it), for assertions."""
    from flask_babel import force_locale, gettext

    with app.test_request_context(), force_locale("th"):
        text = gettext(msgid, **params)
    assert text != msgid, f"no Thai translation for {msgid!r}"
    return text


@pytest.fixture
def village_codes(app: Flask, areas: None) -> dict[str, list[str]]:
    """Village codes per subdistrict code (2 demo villages each in the `areas` fixture)."""
    with app.app_context():
        result: dict[str, list[str]] = {}
        for code, sub in get_session().execute(
            select(Village.code, Village.subdistrict_code).order_by(Village.code)
        ):
            result.setdefault(sub, []).append(code)
        return result


@pytest.fixture
def officer_client(
    app: Flask, areas: None, make_user: Callable, login: Callable
) -> Callable[..., FlaskClient]:
    """officer_client(area_code) -> a new test client logged in as an officer of that area
    (area_code=None with role=Role.ADMIN for an admin), English UI."""

    def make(area_code: str | None, role: Role = Role.OFFICER) -> FlaskClient:
        client = app.test_client()
        user_id = make_user(role, full_name="เจ้าหน้าที่ ทดสอบ", area_code=area_code)
        login(client, user_id)
        client.post("/language", data={"lang": "en"})
        client.user_id = user_id  # type: ignore[attr-defined]
        return client

    return make


@pytest.fixture
def content_copy(app: Flask, tmp_path: Path) -> tuple[Path, Path]:
    """A writable copy of the shipped content/ and quizzes/, used by the app."""
    content, quizzes = tmp_path / "content", tmp_path / "quizzes"
    shutil.copytree(ROOT / "content", content)
    shutil.copytree(ROOT / "quizzes", quizzes)
    app.config.update(CONTENT_ROOT=str(content), QUIZ_ROOT=str(quizzes))
    return content, quizzes


# A real threaded server and a plain HTTP client, for requests released at the same moment.
HOST = "bmn.test"  # the test app's SERVER_NAME


@dataclass
class Browser:
    """One volunteer's HTTP client with its own cookies (a phone with two tabs shares it)."""

    port: int
    cookies: dict[str, str] = field(default_factory=dict)

    def request(
        self, method: str, path: str, form: dict | None = None, json_body: Any = None
    ) -> int:
        """Send a form (or a JSON body); returns the status and keeps the cookies set."""
        headers = {"Host": HOST}
        body = None
        if form is not None:
            body = urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        elif json_body is not None:
            body = json.dumps(json_body)
            headers["Content-Type"] = "application/json"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        try:
            connection.request(method, path, body, headers)
            response = connection.getresponse()
            response.read()
            for header in response.headers.get_all("Set-Cookie") or []:
                name, _, rest = header.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
            return response.status
        finally:
            connection.close()


@pytest.fixture
def http_server(app: Flask) -> Iterator[int]:
    """The test app served by werkzeug's threaded server on a free port."""
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd.server_port
    httpd.shutdown()
    thread.join(10)
