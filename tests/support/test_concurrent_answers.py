"""Two team members answer the same question at the same moment, against a real threaded
server: exactly one answer is kept, the other member is told (PostgreSQL and SQLite)."""

from __future__ import annotations

import threading

from app.auth.models import Role, User
from app.db import get_session
from app.support.models import SupportQuestion

from ..conftest import PASSWORD, Browser


def _staff(app, make_user, port: int, area_code: str) -> Browser:
    user_id = make_user(Role.OFFICER, full_name="เจ้าหน้าที่ ทดสอบ", area_code=area_code)
    with app.app_context():
        phone = get_session().get(User, user_id).phone
    browser = Browser(port)
    assert browser.request("POST", "/login", {"phone": phone, "password": PASSWORD}) == 302
    return browser


def test_two_answers_at_once_keep_one(app, http_server, zone_volunteer, put_question, make_user):
    question_id = put_question(zone_volunteer("north"), "north")
    staff = [_staff(app, make_user, http_server, code) for code in ("5505", "55")]
    barrier = threading.Barrier(len(staff))
    statuses: list[int] = []

    def answer(browser: Browser, text: str) -> None:
        barrier.wait()
        path = f"/support/team/{question_id}/answer"
        statuses.append(browser.request("POST", path, {"answer": text}))

    threads = [
        threading.Thread(target=answer, args=(browser, f"คำตอบที่ {n}"))
        for n, browser in enumerate(staff, 1)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert statuses == [302, 302]  # no 5xx; the loser is sent back to the question
    with app.app_context():
        question = get_session().get(SupportQuestion, question_id)
        assert question.status == "answered"
        assert question.answer in ("คำตอบที่ 1", "คำตอบที่ 2")
