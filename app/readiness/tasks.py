"""Re-evaluating everyone under a plan in the background."""

from __future__ import annotations

import logging

from flask import current_app

from ..db import get_session, utcnow
from ..jobs import enqueue, job
from .plans import get_plan
from .progress import reevaluate_plan

log = logging.getLogger(__name__)
REEVALUATE = "reevaluate_training_plan"


@job
def reevaluate_training_plan(plan_id: int) -> None:
    """Rebuild every volunteer's progress under the plan, if it is still the active one."""
    session = get_session()
    plan = get_plan(session, plan_id)
    if plan is None or not plan.active:
        log.info("plan %s: not active any more, nothing re-evaluated", plan_id)
        return
    counts = reevaluate_plan(session, plan, secret=current_app.config["SECRET_KEY"], now=utcnow())
    session.commit()
    log.info("plan %s re-evaluated: %s", plan_id, counts)


def queue_reevaluation(plan_id: int) -> bool:
    """Queue the re-evaluation of a plan; False when the queue cannot be reached."""
    return enqueue(REEVALUATE, plan_id)
