"""Browser fixtures: the real app (CSRF on) served on 127.0.0.1, and Debian's headless Chromium.

The database is the session's `database` (tests/conftest.py): a temp SQLite file, or
DATABASE_URL (e.g. PostgreSQL) when set, restored to the "content" state before each test.
"""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pytest
from flask import Flask
from sqlalchemy import select
from werkzeug.serving import make_server

import app.models  # noqa: F401 - every table on Base.metadata
from app import create_app
from app.content.models import Indicator
from app.db import get_session

from ..conftest import Database, activate_plan, answer_keys

PASSWORD = "correct-horse-9"  # of the accounts the browser tests make
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE_VIEWPORT = {"width": 360, "height": 740}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Under pytest-xdist (`make test`), every browser journey runs in the same worker: two
    Chromiums at once on a 2-core machine only slow both."""
    if config.pluginmanager.hasplugin("xdist"):
        here = Path(__file__).parent
        for item in items:
            if item.path.is_relative_to(here):
                item.add_marker(pytest.mark.xdist_group("browser"))


F = TypeVar("F", bound=Callable[..., Any])


def off_loop(func: F) -> F:
    """Run func in a worker thread. Playwright's sync API keeps an asyncio loop running in
    the test's thread, and popping a Flask app context there fails (flask-sqlalchemy-lite's
    async teardown goes through asgiref's AsyncToSync), so app-context work goes elsewhere."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with ThreadPoolExecutor(max_workers=1) as pool:
            return pool.submit(func, *args, **kwargs).result()

    return wrapper  # type: ignore[return-value]


@dataclass
class LiveServer:
    """The running app: its base URL, the Flask app and the test plan's indicator numbers."""

    url: str
    app: Flask
    plan_numbers: list[int]

    @off_loop
    def t(self, message: str, locale: str = "th", **variables: Any) -> str:
        """A UI string as a user of `locale` sees it (the catalogue's text, else the msgid)."""
        from flask_babel import force_locale, gettext

        with self.app.test_request_context(), force_locale(locale):
            return gettext(message, **variables)

    def answers(self, attempt_id: int, *, right: bool) -> dict[str, list[str]]:
        """Per drawn question, its form field and the choice keys to tick (all right or wrong)."""
        return off_loop(answer_keys)(self.app, attempt_id, right=right)

    @off_loop
    def explanations(self, attempt_id: int) -> list[str]:
        """The explanations of an attempt's drawn questions, in the order shown."""
        from app.quizzes.models import Attempt, Question

        with self.app.app_context():
            session = get_session()
            attempt = session.get(Attempt, attempt_id)
            return [session.get(Question, item["q"]).explanation for item in attempt.draw]

    @off_loop
    def pass_mark(self, attempt_id: int) -> int:
        """The pass mark (percent) an attempt was drawn with."""
        from app.quizzes.models import Attempt

        with self.app.app_context():
            return get_session().get(Attempt, attempt_id).pass_mark

    @off_loop
    def volunteer(self, phone: str, password: str) -> None:
        """A volunteer of the first demo village who can log in with phone and password."""
        from app.areas.models import Village
        from app.auth.services import create_user

        with self.app.app_context():
            session = get_session()
            village = session.scalar(select(Village).order_by(Village.code).limit(1))
            create_user(
                session,
                full_name="สมใจ ฝึกบันทึก",
                phone=phone,
                password=password,
                volunteer_type="osm",
                village_id=village.id,
            )
            session.commit()

    @off_loop
    def right_fields(self, question_ids: list[int]) -> dict[str, list[str]]:
        """The form fields and values that answer these questions right (a pack's draw)."""
        from app.quizzes.models import Question

        from ..conftest import record_form

        with self.app.app_context():
            session = get_session()
            fields: dict[str, list[str]] = {}
            for question_id in question_ids:
                question = session.get(Question, question_id)
                if question.type == "record":
                    fields.update(record_form(question, right=True))
                else:
                    keys = sorted(question.correct_keys)
                    fields[f"q{question_id}"] = keys if question.type == "multiple" else keys[:1]
            return fields

    @off_loop
    def attempts_of(self, phone: str) -> list[tuple[int, str | None, bool]]:
        """(attempt id, the phone's attempt id, passed) of a volunteer's submitted attempts."""
        from app.auth.models import User
        from app.quizzes.models import Attempt

        with self.app.app_context():
            session = get_session()
            user = session.scalar(select(User).where(User.phone == phone))
            stmt = select(Attempt).where(
                Attempt.user_id == user.id, Attempt.submitted_at.is_not(None)
            )
            return [(a.id, a.client_id, bool(a.passed)) for a in session.scalars(stmt)]

    @off_loop
    def exercise(self, attempt_id: int) -> tuple[int, Any]:
        """The first recording exercise of an attempt's draw: its question id and its items
        and result (quizzes.files.RecordSpec)."""
        from app.quizzes.files import record_from_data
        from app.quizzes.models import Attempt, Question

        with self.app.app_context():
            session = get_session()
            for item in session.get(Attempt, attempt_id).draw:
                question = session.get(Question, item["q"])
                if question.type == "record":
                    return question.id, record_from_data(question.record)
        raise AssertionError(f"attempt {attempt_id} drew no recording exercise")

    @off_loop
    def titles(self, numbers: list[int]) -> dict[int, tuple[str, str]]:
        """(title_th, title_en) per indicator number."""
        with self.app.app_context():
            stmt = select(Indicator).where(Indicator.number.in_(numbers))
            return {i.number: (i.title_th, i.title_en) for i in get_session().scalars(stmt)}


@off_loop
def _load_fixtures(application: Flask, database: Database) -> list[int]:
    """Areas (2 demo villages each), the real content, and an active plan of the first two
    indicators that have a question bank (others deactivated). Returns the plan's numbers."""
    from app.quizzes.models import Quiz

    database.restore("content", application)
    with application.app_context():
        session = get_session()
        stmt = (
            select(Indicator)
            .join(Quiz, Quiz.indicator_id == Indicator.id)
            .where(Indicator.number > 0)
            .order_by(Indicator.number)
            .limit(2)
        )
        indicators = list(session.scalars(stmt))
        assert len(indicators) == 2, "the shipped content needs two indicators with a quiz"
        activate_plan(session, indicators, "test-plan")
        session.commit()
        return [i.number for i in indicators]


@off_loop
def _dispose(application: Flask) -> None:
    from app.db import db

    with application.app_context():
        db.engine.dispose()


@pytest.fixture
def live_server(database: Database, media_root: Path) -> Iterator[LiveServer]:
    """The app with real CSRF, on the "content" state, served on a free local port."""
    application = create_app(
        {
            "TESTING": True,
            "APP_ENV": "testing",
            "SECRET_KEY": "e2e-secret",
            "DATABASE_URL": database.url,
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1",
            "WTF_CSRF_ENABLED": True,
            "QUIZ_COOLDOWN_SECONDS": 0,
            "MEDIA_ROOT": str(media_root),
            "JOBS_URL": f"sqlite:///{media_root.parent / 'e2e-jobs.sqlite3'}",
        }
    )
    numbers = _load_fixtures(application, database)
    server = make_server("127.0.0.1", 0, application, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="e2e-server", daemon=True)
    thread.start()
    try:
        yield LiveServer(f"http://127.0.0.1:{server.server_port}", application, numbers)
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
        _dispose(application)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's Chromium, headless (never a downloaded browser).

    Module scope, not session: while Playwright runs, its event loop is visible in this
    thread and every later test that pops an app context here would fail."""
    if not CHROMIUM.is_file():
        reason = f"{CHROMIUM} is missing: run `make chromium` (apt-get install chromium)"
        if os.environ.get("BMN_REQUIRE_BROWSER"):
            pytest.fail(reason)  # CI must run the browser journeys, never skip them
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield instance
        instance.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh phone-sized Thai browser context and page per test."""
    context = browser.new_context(viewport=PHONE_VIEWPORT, locale="th-TH")
    context.set_default_timeout(10_000)
    tab = context.new_page()
    yield tab
    context.close()


def log_in(page: Any, server: LiveServer, phone: str, password: str = PASSWORD) -> None:
    """Log in through the form, as a user would, and land on the home page (officers and
    admins on their dashboard)."""
    import re

    from playwright.sync_api import expect

    t = server.t
    page.goto(server.url + "/login")
    page.get_by_label(t("Mobile number"), exact=True).fill(phone)
    page.get_by_label(t("Password"), exact=True).fill(password)
    page.locator("main form").get_by_role("button", name=t("Log in")).click()
    expect(page).to_have_url(re.compile(re.escape(server.url) + r"/(officer/dashboard)?$"))


def record_passes(server: LiveServer, session: Any, user_id: int, numbers: list[int]) -> None:
    """Record passed quizzes of the indicators numbered (as a submission would, server-side)
    and bring the volunteer's plan progress and readiness up to date; the caller commits."""
    from datetime import timedelta

    from app.db import utcnow
    from app.quizzes.models import Attempt
    from app.readiness.progress import refresh_volunteer
    from app.readiness.services import active_plan

    now = utcnow()
    for number in numbers:
        indicator = session.scalar(select(Indicator).where(Indicator.number == number))
        session.add(
            Attempt(
                user_id=user_id,
                indicator_id=indicator.id,
                draw=[],
                pass_mark=80,
                started_at=now - timedelta(minutes=5),
                submitted_at=now,
                score=100,
                passed=True,
            )
        )
    session.flush()
    refresh_volunteer(
        session,
        user_id=user_id,
        plan=active_plan(session),
        secret=server.app.config["SECRET_KEY"],
        now=now,
    )
