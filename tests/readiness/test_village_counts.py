"""The stored per-village counts under concurrent submits: volunteers of one village who
become ready at the same moment (one counts row, many writers) are all counted."""

from __future__ import annotations

from sqlalchemy import select

from app.content.models import Indicator
from app.db import get_session
from app.readiness import counts

from .test_concurrent_submits import _pass_directly, _start, _submit_at_once, _volunteer


def test_volunteers_of_one_village_ready_at_once_are_all_counted(
    app, http_server, complete_numbers, make_plan, make_user
):
    make_plan(complete_numbers[:2])
    with app.app_context():
        stmt = select(Indicator.id).where(Indicator.number.in_(complete_numbers[:2]))
        first, last = sorted(get_session().scalars(stmt.order_by(Indicator.number)))
    people = [_volunteer(app, make_user, http_server, f"หมู่บ้านเดียว {n}") for n in range(4)]
    attempts = []
    for user_id, _browser in people:
        _pass_directly(app, user_id, [first])
        attempts += _start(app, user_id, [last])
    statuses = _submit_at_once(app, [browser for _user, browser in people], attempts)

    assert all(s < 500 for s in statuses), statuses
    with app.app_context():
        session = get_session()
        stored, live = counts.stored(session), counts.live_counts(session)
    assert stored == live
    assert sum(n for (kind, _v, _p), n in live.items() if kind == "ready") == len(people)
