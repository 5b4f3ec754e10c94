"""`flask plans ...` commands."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from ..db import get_session, utcnow
from . import counts
from .models import TrainingPlan
from .progress import reevaluate_plan
from .services import active_plan

cli = AppGroup("plans", help="Training plans: re-evaluate readiness, rebuild the stored counts.")


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


@cli.command("rebuild-counts")
@click.option("--check", is_flag=True, help="Only compare the stored counts with live ones.")
def rebuild_counts_command(check: bool) -> None:
    """Recount the stored registered and ready volunteers of every village (after loading
    accounts or readiness records outside the app)."""
    session = get_session()
    if check:
        live, kept = counts.live_counts(session), counts.stored(session)
        wrong = sorted(k for k in live.keys() | kept.keys() if live.get(k) != kept.get(k))
        click.echo(f"stored counts: {len(wrong)} differ from the live counts")
        if wrong:
            raise SystemExit(1)
        return
    counts.rebuild(session)
    session.commit()
    click.echo(f"stored counts: {len(counts.stored(session))} non-zero rows rebuilt")
