"""The day's snapshot of an officer's areas in the background, queued by the dashboard's
first view of the day when the daily timer has not run yet (a GET never writes)."""

from __future__ import annotations

import logging
from datetime import date

from ..areas.access import Scope
from ..db import get_session, utcnow
from ..jobs import enqueue, job
from ..readiness.models import TrainingPlan
from .daily import has_snapshot, take_snapshots

log = logging.getLogger(__name__)
SNAPSHOT = "snapshot_areas"


def _scope(prefix: str) -> Scope:
    """The scope of an area code prefix ("" for everywhere)."""
    return Scope("officer", prefix) if prefix else Scope("admin", None)


@job
def snapshot_areas(plan_id: int, prefix: str, day: str) -> None:
    """Record the day's figures of the areas under `prefix`, unless already recorded."""
    session = get_session()
    plan = session.get(TrainingPlan, plan_id)
    if plan is None:
        return
    scope, when = _scope(prefix), date.fromisoformat(day)
    if has_snapshot(session, plan=plan, scope=scope, day=when):
        return
    count = take_snapshots(session, plan=plan, scope=scope, day=when, now=utcnow(), refresh=False)
    session.commit()
    log.info("snapshot of %s areas under %r for %s", count, prefix, day)


def queue_snapshot(plan_id: int, prefix: str, day: date) -> bool:
    """Queue the day's snapshot of the areas under `prefix`; False when the queue is down."""
    return enqueue(SNAPSHOT, plan_id, prefix, day.isoformat())
