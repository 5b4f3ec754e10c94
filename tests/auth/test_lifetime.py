"""Logins end when unused too long and some hours after the password was typed, shorter for
staff; the page says why in Thai; volunteers are not cut off mid-quiz (a keep-me-logged-in
phone has no idle limit, a submit just past the absolute limit still counts, and a quiz taken
offline waits on the phone until its owner logs in again)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select
from werkzeug.http import parse_date

from app.auth import lifetime
from app.auth.lifetime import ABSOLUTE, IDLE, ended
from app.auth.models import Role, User
from app.db import get_session
from app.quizzes.models import Attempt, Question

from ..conftest import PASSWORD, thai

HOUR = 3600


class Clock:
    """The session clock of app.auth.lifetime, moved by hand."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.now = 1_800_000_000
        monkeypatch.setattr(lifetime, "_now", lambda: self.now)

    def advance(self, seconds: int) -> None:
        self.now += seconds


@pytest.fixture
def clock(monkeypatch) -> Clock:
    return Clock(monkeypatch)


def _log_in(app, client, user_id: int, remember: bool = False) -> None:
    with app.app_context():
        phone = get_session().get(User, user_id).phone
    data = {"phone": phone, "password": PASSWORD}
    if remember:
        data["remember"] = "y"
    assert client.post("/login", data=data).status_code == 302


def _message(app, reason: str, num: int, unit: str) -> str:
    amount = thai(app, f"%(num)s {unit}", num=num)
    if reason == IDLE:
        msgid = (
            "For your safety you were logged out after %(hours)s without use. Please log in again."
        )
    else:
        msgid = (
            "For your safety you were logged out %(hours)s after logging in. Please log in again."
        )
    return thai(app, msgid, hours=amount)


def test_the_rule():
    limits = {"idle": 60, "absolute": 600}
    assert ended(100, 0, 50, **limits, kept=False) is None
    assert ended(200, 0, 100, **limits, kept=False) == IDLE
    assert ended(200, 0, 100, **limits, kept=True) is None
    assert ended(601, 0, 600, **limits, kept=True) == ABSOLUTE
    assert ended(601, 0, 600, **limits, kept=True, grace=60) is None


def test_a_volunteer_unused_for_8_hours_is_logged_out_and_told_why(
    app, client, areas, make_user, clock
):
    _log_in(app, client, make_user())
    clock.advance(7 * HOUR)
    assert client.get("/ready").status_code == 200  # used: the idle clock starts again
    clock.advance(7 * HOUR)
    assert client.get("/ready").status_code == 200
    clock.advance(8 * HOUR + 60)
    response = client.get("/ready")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert _message(app, IDLE, 8, "hours") in page


def test_keep_me_logged_in_lifts_the_idle_limit_not_the_absolute_one(
    app, client, areas, make_user, clock
):
    _log_in(app, client, make_user(), remember=True)
    clock.advance(3 * 24 * HOUR)
    assert client.get("/ready").status_code == 200
    clock.advance(4 * 24 * HOUR + 60)
    response = client.get("/ready")
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert _message(app, ABSOLUTE, 7, "days") in page
    # the remember-me cookie ended with the session: a restart of the browser opens nothing
    assert client.get_cookie("remember_token", domain="bmn.test") is None


def test_an_officer_is_logged_out_after_an_hour_unused_and_12_hours_in_any_case(
    app, officer_client, clock
):
    officer = officer_client("55")
    clock.advance(59 * 60)
    assert officer.get("/officer/").status_code == 200
    clock.advance(61 * 60)
    assert officer.get("/officer/").status_code == 302

    busy = officer_client("55")
    for _visit in range(14):  # up to 11 h 40 min
        clock.advance(50 * 60)
        assert busy.get("/officer/").status_code == 200
    clock.advance(50 * 60)  # 12 h 30 min after logging in, used every 50 minutes
    response = busy.get("/officer/")
    assert response.status_code == 302


def test_an_officers_remember_cookie_lives_12_hours_a_volunteers_7_days(app, areas, make_user):
    for role, hours in ((Role.OFFICER, 12), (Role.VOLUNTEER, 7 * 24)):
        client = app.test_client()
        user_id = make_user(role, area_code="55" if role is Role.OFFICER else None)
        with app.app_context():
            phone = get_session().get(User, user_id).phone
        sent = datetime.now(UTC)
        response = client.post(
            "/login", data={"phone": phone, "password": PASSWORD, "remember": "y"}
        )
        (cookie,) = [
            c for c in response.headers.getlist("Set-Cookie") if c.startswith("remember_token=")
        ]
        expires = parse_date(cookie.split("Expires=")[1].split(";")[0])
        assert abs((expires - sent).total_seconds() - hours * HOUR) < 60
        assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_the_cookie_is_rewritten_only_every_few_minutes(app, client, areas, make_user, clock):
    _log_in(app, client, make_user())
    client.get("/ready")  # the page after logging in (it may show a message once)
    clock.advance(60)
    assert "Set-Cookie" not in client.get("/ready").headers
    clock.advance(5 * 60)
    assert "Set-Cookie" in client.get("/ready").headers  # the last use, noted


@pytest.fixture
def number(areas, make_indicator, make_quiz, make_plan) -> int:
    number = make_indicator()
    make_quiz(number, questions=6, draw_size=5)
    make_plan([number])
    return number


def _pack_and_answers(app, client, number) -> tuple[dict, dict]:
    (pack,) = client.post("/quiz-packs", json={"numbers": [number]}).get_json()["packs"]
    with app.app_context():
        session = get_session()
        answers = {
            str(q["id"]): sorted(session.get(Question, q["id"]).correct_keys)
            for q in pack["questions"]
        }
    return pack, answers


def _attempts(app, user_id: int) -> int:
    with app.app_context():
        stmt = select(func.count()).select_from(Attempt).where(Attempt.user_id == user_id)
        return get_session().scalar(stmt)


def test_a_quiz_taken_offline_past_the_idle_limit_is_recorded_after_logging_in_again(
    app, client, make_user, number, clock
):
    user_id = make_user()
    _log_in(app, client, user_id)
    pack, answers = _pack_and_answers(app, client, number)
    body = {"token": pack["token"], "client_id": "phone-attempt-0001", "answers": answers}
    clock.advance(2 * 24 * HOUR)  # two days without signal
    refused = client.post("/quiz-packs/submit", json=body)
    assert refused.status_code == 401 and refused.get_json()["reason"] == "login"
    assert _attempts(app, user_id) == 0
    _log_in(app, client, user_id)  # the phone keeps the quiz and sends it again
    sent = client.post("/quiz-packs/submit", json=body)
    assert sent.status_code == 200 and sent.get_json()["status"] == "recorded"
    assert _attempts(app, user_id) == 1


def test_a_quiz_sent_just_after_the_absolute_limit_still_counts(
    app, client, make_user, number, clock
):
    user_id = make_user()
    _log_in(app, client, user_id, remember=True)
    pack, answers = _pack_and_answers(app, client, number)
    clock.advance(7 * 24 * HOUR + 10 * 60)  # ten minutes past the limit, mid-quiz
    body = {"token": pack["token"], "client_id": "phone-attempt-0002", "answers": answers}
    assert client.post("/quiz-packs/submit", json=body).status_code == 200
    assert _attempts(app, user_id) == 1
    assert client.get("/ready").status_code == 302  # the next page asks to log in
