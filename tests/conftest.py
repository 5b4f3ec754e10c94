"""Shared fixtures: an app per test on SQLite (or DATABASE_URL, e.g. PostgreSQL), factories."""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

import app.models  # noqa: F401 - every table on Base.metadata
from app import create_app
from app.areas.gazetteer import ZONES_CSV, read_gazetteer
from app.areas.models import Village
from app.areas.services import load_areas, load_gazetteer, read_area_csv
from app.auth.models import Role, User
from app.auth.services import create_user
from app.content.models import Indicator
from app.content_io.load import load_content
from app.db import Base, get_session
from app.readiness.models import TrainingPlan
from app.storage import get_storage

ROOT = Path(__file__).resolve().parent.parent
# Codes of Nan's areas used across the officers' and volunteers' tests (nan-areas.csv).
MUEANG = "5501"  # อ.เมืองน่าน (central zone)
MUEANG_SUB = "550101"  # ต.ในเวียง
OTHER_SUB = "550102"  # ต.บ่อ (also in เมืองน่าน)
PUA = "5507"  # อ.เวียงสา (south zone), another district
PASSWORD = "correct-horse-9"


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """DATABASE_URL when set (CI runs the suite on PostgreSQL too), else a temp SQLite file."""
    url = os.environ.get("DATABASE_URL") or (
        f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
    )
    engine = create_engine(url)
    Base.metadata.drop_all(engine)
    Base.metadata.create_all(engine)
    engine.dispose()
    yield url


def empty_tables(url: str) -> None:
    """Delete every row, children first (faster than recreating the schema per test)."""
    engine = create_engine(url)
    with engine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            connection.execute(table.delete())
    engine.dispose()


@pytest.fixture(scope="session")
def media_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One media store for the session: content-addressed, so loads reuse stored files."""
    return tmp_path_factory.mktemp("media")


@pytest.fixture
def app(database_url: str, media_root: Path, tmp_path: Path) -> Iterator[Flask]:
    """A fresh app per test, on an empty database."""
    empty_tables(database_url)
    application = create_app(
        {
            "TESTING": True,
            "APP_ENV": "testing",
            "SECRET_KEY": "test-secret",
            "DATABASE_URL": database_url,
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1",
            "WTF_CSRF_ENABLED": False,
            "SERVER_NAME": "bmn.test",
            "QUIZ_COOLDOWN_SECONDS": 0,
            "MEDIA_ROOT": str(media_root),
            "JOBS_URL": f"sqlite:///{tmp_path / 'jobs.sqlite3'}",  # never the instance queue
        }
    )
    yield application
    with application.app_context():
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
def areas(app: Flask) -> None:
    """Nan's districts (with their zones) and subdistricts, with 2 demo villages each."""
    with app.app_context():
        session = get_session()
        load_areas(session, read_area_csv(Path(app.config["AREAS_CSV"])), demo_villages=2)
        load_gazetteer(session, read_gazetteer([ZONES_CSV]))
        session.commit()


@pytest.fixture
def content(app: Flask, areas: None) -> None:
    """The real content/ and quizzes/ of the repo, loaded."""
    with app.app_context():
        session = get_session()
        load_content(
            session,
            Path(app.config["CONTENT_ROOT"]),
            Path(app.config["QUIZ_ROOT"]),
            get_storage(),
        )
        session.commit()


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
            correct = sorted(question.correct_keys)
            wrong = [c.key for c in question.choices if not c.correct]
            keys = correct if right else wrong
            keys = keys if question.type == "multiple" else keys[:1]
            assert keys, f"question {question.key}: no {'right' if right else 'wrong'} choice"
            answers[f"q{question.id}"] = keys
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
