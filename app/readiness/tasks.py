"""Re-evaluating everyone under a plan in the background, and `flask plans reevaluate`."""

from __future__ import annotations

import logging

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from ..db import get_session, utcnow
from ..jobs import enqueue, job
from .models import TrainingPlan
from .plans import get_plan
from .progress import reevaluate_plan
from .services import active_plan

log = logging.getLogger(__name__)
REEVALUATE = "reevaluate_training_plan"

group = AppGroup("plans", help="Training plans: re-evaluate volunteers' readiness.")


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


@group.command("reevaluate")
@click.option("--slug", help="The plan to re-evaluate (default: the active plan).")
def reevaluate_command(slug: str | None) -> None:
    """Rebuild every volunteer's progress and readiness under a plan, in this process."""
    session = get_session()
    if slug:
        plan = session.scalar(select(TrainingPlan).where(TrainingPlan.slug == slug))
    else:
        plan = active_plan(session)
    if plan is None:
        raise click.ClickException(f"no plan {slug!r}" if slug else "no active plan")
    counts = reevaluate_plan(session, plan, secret=current_app.config["SECRET_KEY"], now=utcnow())
    session.commit()
    click.echo(
        f"plan {plan.slug}: {counts['volunteers']} volunteer(s) re-evaluated, "
        f"{counts['newly_ready']} newly ready"
    )
