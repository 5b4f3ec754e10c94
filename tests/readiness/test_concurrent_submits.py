"""Quizzes submitted at the same moment, against a real threaded server: no 5xx, every
attempt recorded once, progress counts them all, readiness recorded exactly once.

On PostgreSQL the writers used to race: the last two lessons in two tabs left a volunteer
at 38/39 with no readiness, and four first quizzes at once hit a unique violation (500).
"""

from __future__ import annotations

import threading

import pytest
from flask import Flask
from sqlalchemy import func, select

from app.content.models import Indicator
from app.db import get_session, utcnow
from app.quizzes.models import Attempt, AttemptAnswer
from app.quizzes.services import start_attempt
from app.readiness.models import PlanProgress, Readiness
from app.readiness.services import active_plan

from ..conftest import PASSWORD, Browser, correct_answers, correct_service_answers


@pytest.fixture
def plan_ids(app: Flask, complete_numbers: list[int], make_plan) -> list[int]:
    """An active plan of every indicator with a quiz; returns their indicator ids."""
    make_plan(complete_numbers)
    with app.app_context():
        stmt = select(Indicator.id).where(Indicator.number.in_(complete_numbers))
        return sorted(get_session().scalars(stmt.order_by(Indicator.number)))


def _volunteer(app: Flask, make_user, port: int, name: str) -> tuple[int, Browser]:
    user_id = make_user(full_name=name)
    with app.app_context():
        from app.auth.models import User

        phone = get_session().get(User, user_id).phone
    browser = Browser(port)
    assert browser.request("POST", "/login", {"phone": phone, "password": PASSWORD}) == 302
    return user_id, browser


def _start(app: Flask, user_id: int, indicator_ids: list[int]) -> list[int]:
    """Open one attempt per indicator (as the quiz buttons do); returns their ids."""
    with app.app_context():
        session = get_session()
        ids = [
            start_attempt(
                session,
                user_id=user_id,
                indicator=session.get(Indicator, indicator_id),
                now=utcnow(),
                cooldown_seconds=0,
            ).id
            for indicator_id in indicator_ids
        ]
        session.commit()
        return ids


def _pass_directly(app: Flask, user_id: int, indicator_ids: list[int]) -> None:
    """Pass these quizzes one after the other (the earlier lessons)."""
    from app.quizzes.services import submit_attempt

    for attempt_id in _start(app, user_id, indicator_ids):
        answers = correct_service_answers(app, attempt_id)
        with app.app_context():
            session = get_session()
            attempt = session.get(Attempt, attempt_id)
            submit_attempt(session, attempt, user_id=user_id, answers=answers, now=utcnow())
            session.commit()


def _submit_at_once(
    app: Flask, browser: Browser | list[Browser], attempt_ids: list[int]
) -> list[int]:
    """Release one thread per attempt id at the same instant (as one volunteer, or the
    volunteer of each attempt when given a browser per attempt); returns the statuses."""
    forms = [correct_answers(app, attempt_id) for attempt_id in attempt_ids]
    barrier = threading.Barrier(len(attempt_ids))
    statuses: list[int] = [0] * len(attempt_ids)
    browsers = browser if isinstance(browser, list) else [browser] * len(attempt_ids)

    def submit(index: int) -> None:
        clone = Browser(browsers[index].port, dict(browsers[index].cookies))
        barrier.wait()
        statuses[index] = clone.request("POST", f"/attempts/{attempt_ids[index]}", forms[index])

    threads = [threading.Thread(target=submit, args=(i,)) for i in range(len(attempt_ids))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    return statuses


def _recorded(app: Flask, user_id: int) -> tuple[dict[int, int], int, int, int]:
    """(answers recorded per submitted attempt, progress rows, passed, readiness rows)."""
    with app.app_context():
        session = get_session()
        plan = active_plan(session)
        answers = dict(
            session.execute(
                select(Attempt.id, func.count(AttemptAnswer.id))
                .join(AttemptAnswer, AttemptAnswer.attempt_id == Attempt.id)
                .where(Attempt.user_id == user_id, Attempt.submitted_at.is_not(None))
                .group_by(Attempt.id)
            ).all()
        )
        progress = session.scalars(
            select(PlanProgress).where(
                PlanProgress.user_id == user_id, PlanProgress.plan_id == plan.id
            )
        ).all()
        ready = session.scalar(
            select(func.count(Readiness.id)).where(
                Readiness.user_id == user_id, Readiness.plan_id == plan.id
            )
        )
        return answers, len(progress), progress[0].passed if progress else 0, ready


def _drawn(app: Flask, attempt_ids: list[int]) -> dict[int, int]:
    with app.app_context():
        session = get_session()
        return {i: len(session.get(Attempt, i).draw) for i in attempt_ids}


@pytest.mark.parametrize("run", range(3))
def test_the_last_two_lessons_in_two_tabs_make_the_volunteer_ready_once(
    app, http_server, plan_ids, make_user, run
):
    user_id, browser = _volunteer(app, make_user, http_server, f"สองแท็บ {run}")
    _pass_directly(app, user_id, plan_ids[:-2])
    last_two = _start(app, user_id, plan_ids[-2:])

    statuses = _submit_at_once(app, browser, last_two)

    assert all(s < 500 for s in statuses), statuses
    answers, rows, passed, ready = _recorded(app, user_id)
    drawn = _drawn(app, last_two)
    assert {i: answers.get(i) for i in last_two} == drawn  # each recorded, once
    assert (rows, passed, ready) == (1, len(plan_ids), 1)


@pytest.mark.parametrize("run", range(3))
def test_four_first_quizzes_at_once_are_all_counted(app, http_server, plan_ids, make_user, run):
    user_id, browser = _volunteer(app, make_user, http_server, f"สี่แบบทดสอบ {run}")
    four = _start(app, user_id, plan_ids[:4])

    statuses = _submit_at_once(app, browser, four)

    assert all(s < 500 for s in statuses), statuses
    answers, rows, passed, ready = _recorded(app, user_id)
    assert {i: answers.get(i) for i in four} == _drawn(app, four)
    assert (rows, passed, ready) == (1, 4, 0)


def test_twenty_submits_at_once_record_every_attempt_once(app, http_server, plan_ids, make_user):
    """Ten quizzes, each sent twice at the same moment (a double tap): 20 threads."""
    user_id, browser = _volunteer(app, make_user, http_server, "ยี่สิบพร้อมกัน")
    ten = _start(app, user_id, plan_ids[:10])

    statuses = _submit_at_once(app, browser, ten + ten)

    assert all(s < 500 for s in statuses), statuses
    answers, rows, passed, ready = _recorded(app, user_id)
    assert {i: answers.get(i) for i in ten} == _drawn(app, ten)
    assert (rows, passed) == (1, 10)
    assert ready == (1 if len(plan_ids) == 10 else 0)
