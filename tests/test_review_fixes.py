"""Regressions from the code review: sessions on phones, double taps, plan changes, bad URLs."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app import create_app
from app.db import get_session, utcnow
from app.quizzes import services as quiz_services
from app.quizzes.models import Attempt
from app.readiness.models import Readiness

from .conftest import PASSWORD, correct_answers


def test_remember_cookie_is_secure_in_production(monkeypatch, tmp_path):
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "s" * 32)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'p.sqlite3'}")
    app = create_app()
    assert app.config["REMEMBER_COOKIE_SECURE"] and app.config["SESSION_COOKIE_SECURE"]


def test_a_phone_changing_ip_address_stays_logged_in(app, areas, make_user):
    from app.auth.models import User

    client = app.test_client()
    user_id = make_user()
    with app.app_context():
        phone = get_session().get(User, user_id).phone
    client.post(
        "/login",
        data={"phone": phone, "password": PASSWORD, "remember": "y"},
        environ_base={"REMOTE_ADDR": "10.0.0.1"},
    )
    response = client.get("/ready", environ_base={"REMOTE_ADDR": "10.0.0.2"})
    assert response.status_code == 200


def test_a_visitor_pressing_take_the_quiz_returns_to_the_lesson_after_login(client, content):
    response = client.post(
        "/indicators/2/quiz", headers={"Referer": "http://bmn.test/indicators/2"}
    )
    assert response.headers["Location"].endswith("/login?next=/indicators/2")
    foreign = client.post("/indicators/2/quiz", headers={"Referer": "https://evil.example/x"})
    assert "next=" not in foreign.headers["Location"]


@pytest.fixture
def quiz_numbers(areas, make_indicator, make_quiz) -> list[int]:
    """Two indicators with a lesson and a quiz (not in any plan)."""
    numbers = [make_indicator(), make_indicator()]
    for number in numbers:
        make_quiz(number)
    return numbers


def test_the_database_allows_one_open_attempt_per_quiz(app, make_user, quiz_numbers):
    user_id = make_user()
    with app.app_context():
        session = get_session()
        from app.content.models import Indicator

        indicator = session.scalar(select(Indicator).where(Indicator.number == quiz_numbers[0]))
        for _ in range(2):
            session.add(Attempt(user_id=user_id, indicator_id=indicator.id, draw=[], pass_mark=80))
        with pytest.raises(IntegrityError):
            session.flush()


def test_a_double_tap_on_start_returns_the_attempt_the_first_tap_opened(
    app, make_user, quiz_numbers, monkeypatch
):
    user_id = make_user()
    with app.app_context():
        session = get_session()
        from app.content.models import Indicator

        indicator = session.scalar(select(Indicator).where(Indicator.number == quiz_numbers[0]))
        first = quiz_services.start_attempt(
            session, user_id=user_id, indicator=indicator, now=utcnow(), cooldown_seconds=0
        )
        session.commit()
        # the second tap's look-up ran before the first tap's insert was visible
        real = quiz_services._open_attempt
        calls = iter([None])
        monkeypatch.setattr(
            quiz_services, "_open_attempt", lambda *a: next(calls, None) or real(*a)
        )
        second = quiz_services.start_attempt(
            session, user_id=user_id, indicator=indicator, now=utcnow(), cooldown_seconds=0
        )
        session.commit()
        assert second.id == first.id
        assert session.scalar(select(func.count()).select_from(Attempt)) == 1


def test_readiness_is_recorded_when_a_new_plan_is_already_passed(
    app, client, quiz_numbers, make_indicator, make_user, login, make_plan
):
    make_plan([*quiz_numbers, make_indicator()], slug="campaign")  # the passes leave it unmet
    user_id = make_user()
    login(client, user_id)
    for number in quiz_numbers:
        location = client.post(f"/indicators/{number}/quiz").headers["Location"]
        attempt_id = int(re.search(r"/attempts/(\d+)", location).group(1))
        client.post(f"/attempts/{attempt_id}", data=correct_answers(app, attempt_id))
    make_plan(quiz_numbers, slug="new-campaign")  # activated after the passes
    page = client.get("/ready").get_data(as_text=True)
    with app.app_context():
        record = get_session().scalar(select(Readiness).where(Readiness.user_id == user_id))
    assert record is not None and record.code in page


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/indicators/99999999999999999999"),
        ("get", "/summary/99999999999999999999"),
        ("get", "/attempts/99999999999999999999"),
        ("post", "/indicators/99999999999999999999/quiz"),
    ],
)
def test_huge_numbers_in_urls_are_404_not_500(client, content, method, url):
    assert getattr(client, method)(url).status_code == 404
