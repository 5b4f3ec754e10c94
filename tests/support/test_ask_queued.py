"""A question kept on the phone while it had no signal, sent later as JSON by
static/js/support-outbox.js: recorded once however often (and however simultaneously) it
comes, refused with a reason the page shows, and the phone's queue goes at logout."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from sqlalchemy import select

from app.auth.models import User
from app.db import get_session
from app.support.models import SupportQuestion

from ..conftest import PASSWORD, Browser, thai

KEY = "fedcba9876543210fedcba9876543210"
TEXT = "บ้านที่ไม่มีคนอยู่ตอนสำรวจ ต้องกลับไปถามอีกไหมคะ"
ROOT = Path(__file__).resolve().parents[2]


def _send(client, number=3, text=TEXT, key=KEY, **headers):
    return client.post(
        f"/indicators/{number}/questions",
        json={"text": text, "request_key": key},
        headers={"Accept": "application/json", **headers},
    )


def _questions(app) -> list[SupportQuestion]:
    with app.app_context():
        return list(get_session().scalars(select(SupportQuestion).order_by(SupportQuestion.id)))


def test_a_queued_question_is_recorded_once_however_often_it_comes(
    app, client, zone_volunteer, login
):
    login(client, zone_volunteer("central"))
    first = _send(client)
    assert first.status_code == 201
    assert first.json["status"] == "sent"
    again = _send(client)  # the phone did not hear the first answer and sends again
    assert again.status_code == 200 and again.json == first.json
    [question] = _questions(app)
    assert (question.text, question.zone, question.status) == (TEXT, "central", "open")
    assert question.photo_key is None
    assert first.json["url"] == f"/support/mine#q{question.id}"
    assert "no-store" in first.headers["Cache-Control"]
    other = _send(client, text="อีกคำถามหนึ่ง เรื่องการนับอายุคนในบ้าน")  # same key, new text
    assert other.status_code == 201
    assert len(_questions(app)) == 2


def test_the_saved_pages_stale_token_does_not_matter_but_another_site_is_refused(
    app, client, zone_volunteer, login
):
    login(client, zone_volunteer("north"))
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        assert _send(client, Origin="http://bmn.test").status_code == 201
        refused = _send(client, key="0" * 32, Origin="https://evil.example")
        assert refused.status_code == 403
        form = client.post("/indicators/3/questions", data={"text": TEXT, "request_key": "1" * 32})
        assert form.status_code == 400  # a form post (what another site could send) is refused
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert len(_questions(app)) == 1


@pytest.mark.parametrize(
    ("text", "key", "msgid"),
    [
        ("", KEY, "Write your question."),
        ("สั้น", KEY, "Write your question in %(min)d to %(max)d characters."),
        ("ก" * 1001, KEY, "Write your question in %(min)d to %(max)d characters."),
        (TEXT, "not-a-key", "Reload the page."),
        (None, KEY, "Write your question."),
    ],
)
def test_a_question_that_cannot_be_taken_answers_a_thai_reason(
    app, client, zone_volunteer, login, text, key, msgid
):
    login(client, zone_volunteer("north"))
    response = _send(client, text=text, key=key)
    assert response.status_code == 400
    expected = thai(app, msgid)
    if "%(min)d" in expected:
        expected = expected % {"min": 5, "max": 1000}
    assert response.json["message"] == expected
    assert _questions(app) == []


def test_an_unknown_indicator_and_too_many_questions_answer_a_reason(
    app, client, zone_volunteer, login
):
    login(client, zone_volunteer("north"))
    missing = _send(client, number=998)
    assert missing.status_code == 404
    assert missing.json["message"] == thai(app, "There is no indicator %(number)d.") % {
        "number": 998
    }
    app.config["SUPPORT_ASK_LIMIT"] = "1 per hour"
    assert _send(client).status_code == 201
    busy = _send(client, key="a" * 32)
    assert busy.status_code == 429
    assert busy.json["message"] == thai(
        app, "You have sent many questions in the last hour. Please wait a while and try again."
    )
    assert len(_questions(app)) == 1


def test_a_logged_out_phone_is_told_to_log_in_and_nothing_is_recorded(app, client, content):
    response = _send(client)
    assert response.status_code == 401
    assert response.json["reason"] == "login"
    assert _questions(app) == []


def test_the_same_question_sent_at_once_from_two_tabs_is_recorded_once(
    app, http_server, zone_volunteer
):
    """Threads against a real server (the unique key holds on PostgreSQL too)."""
    with app.app_context():
        phone = get_session().get(User, zone_volunteer("south")).phone
    phone_browser = Browser(http_server)
    assert phone_browser.request("POST", "/login", {"phone": phone, "password": PASSWORD}) == 302
    tabs = 4
    barrier = threading.Barrier(tabs)
    statuses: list[int] = []

    def send() -> None:
        tab = Browser(http_server, dict(phone_browser.cookies))
        barrier.wait()
        body = {"text": TEXT, "request_key": KEY}
        statuses.append(tab.request("POST", "/indicators/4/questions", json_body=body))

    threads = [threading.Thread(target=send) for _ in range(tabs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(statuses) == [200] * (tabs - 1) + [201]
    [question] = _questions(app)
    assert question.zone == "south"


def test_the_lesson_page_carries_the_queue_and_its_script(app, client, zone_volunteer, login):
    login(client, zone_volunteer("north"))
    page = client.get("/indicators/3").get_data(as_text=True)
    assert 'data-ask-queue="/indicators/3/questions"' in page
    assert "/static/js/support-outbox.js?v=" in page
    assert thai(app, "Waiting to send") in page and thai(app, "Send now") in page
    assert "data-refused" not in page
    refused = client.post(
        "/indicators/3/ask",
        data={"text": "สั้น", "request_key": KEY},
        content_type="multipart/form-data",
    ).get_data(as_text=True)
    assert "data-refused" in refused  # the script drops what it kept for this form


def test_logging_out_deletes_the_phones_unsent_questions():
    """Shared phones: the logout handler of offline.js deletes the queue's database."""
    script = (ROOT / "static/js/offline.js").read_text()
    queue = (ROOT / "static/js/support-outbox.js").read_text()
    assert 'indexedDB.deleteDatabase("bmn-ask")' in script
    assert 'indexedDB.open("bmn-ask", 1)' in queue
