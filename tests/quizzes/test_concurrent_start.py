"""Starting a quiz is one INSERT … ON CONFLICT DO NOTHING under the one-open-attempt index
(issue 16): taps released at the same instant against a real threaded server open one
attempt, and every tap is sent to it. Content saved by two writers at once moves the content
stamp without an error (one upsert on one row)."""

from __future__ import annotations

import threading

from sqlalchemy import func, select

from app.content.models import FaqCard
from app.content.stamp import content_stamp
from app.db import get_session
from app.quizzes.models import Attempt

from ..conftest import PASSWORD, Browser


def _at_once(count: int, work) -> None:  # noqa: ANN001
    barrier = threading.Barrier(count)

    def run(index: int) -> None:
        barrier.wait()
        work(index)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)


def test_taps_at_once_on_start_open_one_attempt(
    app, http_server, make_user, make_indicator, make_quiz
):
    numbers = [make_indicator() for _ in range(3)]
    for number in numbers:
        make_quiz(number)
    user_id = make_user()
    with app.app_context():
        from app.auth.models import User

        phone = get_session().get(User, user_id).phone
    browser = Browser(http_server)
    assert browser.request("POST", "/login", {"phone": phone, "password": PASSWORD}) == 302

    statuses: list[int] = [0] * 12
    _at_once(
        12,
        lambda i: statuses.__setitem__(
            i, Browser(http_server, dict(browser.cookies)).request(
                "POST", f"/indicators/{numbers[i % 3]}/quiz", {}
            )
        ),
    )  # fmt: skip

    assert statuses == [302] * 12
    with app.app_context():
        stmt = (
            select(Attempt.indicator_id, func.count())
            .where(Attempt.user_id == user_id, Attempt.submitted_at.is_(None))
            .group_by(Attempt.indicator_id)
        )
        assert sorted(n for _i, n in get_session().execute(stmt)) == [1, 1, 1]


def test_content_saved_by_writers_at_once_moves_the_stamp(app, content):
    with app.app_context():
        before = content_stamp(get_session())
        ids = list(get_session().scalars(select(FaqCard.id).order_by(FaqCard.id).limit(6)))
    errors: list[BaseException] = []

    def save(index: int) -> None:
        try:
            with app.app_context():
                session = get_session()
                session.get(FaqCard, ids[index]).title_th = f"หัวข้อใหม่ {index}"
                session.commit()
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    _at_once(len(ids), save)

    assert errors == []
    with app.app_context():
        session = get_session()
        assert content_stamp(session) != before
        titles = session.scalars(select(FaqCard.title_th).where(FaqCard.id.in_(ids)))
        assert sorted(titles) == sorted(f"หัวข้อใหม่ {i}" for i in range(len(ids)))
