"""Quiz packs for the offline app: signed, bound to the volunteer, usable once, expiring;
a quiz taken from one is scored like an online one and recorded once however often it is
sent, at the time it was taken."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from app.auth.models import User
from app.db import get_session, utcnow
from app.quizzes.models import Attempt, AttemptAnswer, Question
from app.quizzes.packs import taken_time

from ..conftest import PASSWORD, Browser, thai


@pytest.fixture
def number(areas, make_indicator, make_quiz, make_plan) -> int:
    number = make_indicator()
    make_quiz(number, questions=6, draw_size=5)
    make_plan([number])
    return number


def _pack(client, number) -> dict:
    response = client.post("/quiz-packs", json={"numbers": [number]})
    assert response.status_code == 200, response.get_data(as_text=True)
    (pack,) = response.get_json()["packs"]
    return pack


def _right(app, pack) -> dict[str, list[str]]:
    with app.app_context():
        session = get_session()
        return {
            str(q["id"]): sorted(session.get(Question, q["id"]).correct_keys)
            for q in pack["questions"]
        }


def _send(client, pack, answers, client_id="phone-attempt-0001", taken_at=None):
    body = {"token": pack["token"], "client_id": client_id, "answers": answers}
    if taken_at:
        body["taken_at"] = taken_at
    return client.post("/quiz-packs/submit", json=body)


def _attempts(app, user_id) -> int:
    with app.app_context():
        stmt = select(func.count()).select_from(Attempt).where(Attempt.user_id == user_id)
        return get_session().scalar(stmt)


def test_a_pack_holds_the_draw_without_the_answers(app, client, volunteer, number):
    pack = _pack(client, number)
    assert len(pack["questions"]) == 5 and pack["number"] == number
    text = str(pack)
    assert "correct" not in text and "explanation" not in text
    assert all("choices" in q for q in pack["questions"])


def test_a_quiz_taken_from_a_pack_is_recorded_once_and_scored_like_online(
    app, client, volunteer, number
):
    pack = _pack(client, number)
    answers = _right(app, pack)
    first = _send(client, pack, answers)
    assert first.status_code == 200, first.get_data(as_text=True)
    result = first.get_json()
    assert result["status"] == "recorded" and result["passed"] and result["score"] == 5
    again = _send(client, pack, answers)  # the phone did not hear the answer and sends again
    assert again.get_json()["attempt"] == result["attempt"]
    assert _attempts(app, volunteer) == 1
    page = client.get(result["result_url"]).get_data(as_text=True)
    assert thai(app, "Passed") in page
    with app.app_context():
        stmt = select(func.count()).select_from(AttemptAnswer)
        assert get_session().scalar(stmt) == 5


def test_the_same_pack_sent_from_several_connections_at_once_is_recorded_once(
    app, client, volunteer, number, http_server
):
    """A phone that resends before hearing back: four sends of the same quiz released at
    the same moment against a real threaded server."""
    pack = _pack(client, number)
    answers = _right(app, pack)
    phones = []
    for _ in range(4):  # the same volunteer, four connections with their own sessions
        phone = Browser(http_server)
        with app.app_context():
            mobile = get_session().get(User, volunteer).phone
        assert phone.request("POST", "/login", {"phone": mobile, "password": PASSWORD}) == 302
        phones.append(phone)
    body = {"token": pack["token"], "client_id": "phone-attempt-0001", "answers": answers}
    barrier = threading.Barrier(len(phones))
    statuses = []

    def send(phone):
        barrier.wait()
        statuses.append(phone.request("POST", "/quiz-packs/submit", json_body=body))

    threads = [threading.Thread(target=send, args=(phone,)) for phone in phones]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert statuses == [200] * 4
    assert _attempts(app, volunteer) == 1


@pytest.mark.parametrize("reason", ["altered", "replayed", "not_yours", "expired"])
def test_a_pack_that_cannot_count_is_refused_with_a_reason(
    app, client, volunteer, number, make_user, login, reason
):
    pack = _pack(client, number)
    answers = _right(app, pack)
    message = {
        "altered": "This quiz was changed on the phone, so it cannot be counted. Take it again.",
        "replayed": "This saved quiz was already sent and counted.",
        "not_yours": "This quiz belongs to another volunteer's login on this phone.",
        "expired": "This saved quiz expired before it was taken. Take the quiz again.",
    }[reason]
    if reason == "altered":  # another draw in the token: the signature no longer fits
        head, _, sig = pack["token"].rpartition(".")
        pack = {**pack, "token": head[:-2] + ("AA" if head[-2:] != "AA" else "BB") + "." + sig}
    elif reason == "replayed":
        assert _send(client, pack, answers).status_code == 200
        answers = {k: v for k, v in answers.items()}
    elif reason == "not_yours":  # another volunteer logs in on the phone
        client.post("/logout")
        login(client, make_user(full_name="อีกคน ทดสอบ"))
    elif reason == "expired":
        app.config["QUIZ_PACK_DAYS"] = 14
    kwargs = {}
    if reason == "replayed":
        kwargs["client_id"] = "another-attempt-02"
    if reason == "expired":
        kwargs["taken_at"] = (utcnow() + timedelta(days=15)).isoformat()
    response = _send(client, pack, answers, **kwargs)
    if reason == "expired":  # a phone clock cannot postdate it past its arrival: still fine
        assert response.status_code == 200
        return
    assert response.status_code == 409
    assert response.get_json()["message"] == thai(app, message)


def test_an_expired_pack_is_refused(app, client, volunteer, number):
    app.config["QUIZ_PACK_DAYS"] = 0  # expires the moment it is issued
    pack = _pack(client, number)
    response = _send(client, pack, _right(app, pack))
    assert response.status_code == 409 and response.get_json()["reason"] == "expired"


def test_the_quiz_counts_when_it_was_taken(app, client, volunteer, number):
    from app.quizzes.models import QuizPack

    pack = _pack(client, number)
    issued = utcnow() - timedelta(hours=5)  # handed out this morning, synced now
    with app.app_context():
        get_session().get(QuizPack, pack["pack"]).issued_at = issued
        get_session().commit()
    taken = issued + timedelta(minutes=3)
    response = _send(client, pack, _right(app, pack), taken_at=taken.isoformat())
    with app.app_context():
        attempt = get_session().get(Attempt, response.get_json()["attempt"])
        assert abs(attempt.submitted_at - taken) < timedelta(seconds=1)


def test_taken_time_stays_between_issue_and_arrival():
    issued = datetime(2026, 12, 1, 8, tzinfo=UTC)
    arrived = datetime(2026, 12, 5, 8, tzinfo=UTC)
    before_deadline = datetime(2026, 12, 3, 8, tzinfo=UTC)
    assert taken_time(before_deadline, issued, arrived) == before_deadline  # counts then
    assert taken_time(datetime(2026, 11, 1, tzinfo=UTC), issued, arrived) == issued
    assert taken_time(datetime(2027, 1, 1, tzinfo=UTC), issued, arrived) == arrived
    assert taken_time(None, issued, arrived) == arrived


def test_packs_need_a_login_and_json(app, client, number):
    response = client.post("/quiz-packs/submit", json={"token": "x"})
    assert response.status_code == 401
    assert response.get_json()["reason"] == "login"


def test_another_site_cannot_post(app, client, volunteer, number):
    response = client.post(
        "/quiz-packs", json={"numbers": [number]}, headers={"Origin": "https://evil.example"}
    )
    assert response.status_code == 403
    assert client.post("/quiz-packs", data={"numbers": "1"}).status_code == 400


@pytest.mark.parametrize("asked", [10**40, 2**63, -1, 1000])
def test_a_number_no_indicator_can_have_is_a_400(app, client, volunteer, number, asked):
    """Found by the fuzz test (issue 16): a number past SQLite's 64-bit integers was a 500."""
    response = client.post("/quiz-packs", json={"numbers": [number, asked]})
    assert response.status_code == 400
    assert "indicator numbers (0 to 999)" in response.get_data(as_text=True)


def test_the_offline_quiz_page_is_public_and_holds_no_personal_data(client):
    page = client.get("/offline/quiz")
    assert page.status_code == 200 and b"offline-quiz" in page.data
