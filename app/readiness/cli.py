"""`flask plans ...` commands."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from ..db import get_session, utcnow
from .models import TrainingPlan
from .progress import reevaluate_plan
from .services import active_plan

cli = AppGroup("plans", help="Training plans: re-evaluate volunteers' readiness.")


@cli.command("reevaluate")
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
