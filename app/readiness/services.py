"""Readiness lookups: the active plan, a volunteer's readiness record, a card's code."""

from __future__ import annotations

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session, selectinload

from ..areas.access import Scope, volunteers_in_scope
from ..auth.models import User
from .models import Readiness, TrainingPlan, plan_indicators


def active_plan(session: Session, *, light: bool = False) -> TrainingPlan | None:
    """The plan volunteers train for now, with its indicators. `light` (the quiz path: the
    lesson's status, every submit, the result) loads only their ids, kept on the instance
    for `plan_indicator_ids`: building 38 Indicator objects was a tenth of a lesson view."""
    if not light:
        stmt = (
            select(TrainingPlan)
            .where(TrainingPlan.active.is_(True))
            .options(selectinload(TrainingPlan.indicators))
        )
        return session.scalar(stmt)
    plan = session.scalar(select(TrainingPlan).where(TrainingPlan.active.is_(True)))
    if plan is not None and "indicators" in inspect(plan).unloaded:
        ids = session.scalars(
            select(plan_indicators.c.indicator_id).where(plan_indicators.c.plan_id == plan.id)
        )
        inspect(plan).info[_IDS] = sorted(ids)
    return plan


_IDS = "indicator_ids"


def plan_indicator_ids(plan: TrainingPlan) -> list[int]:
    """The ids of the plan's indicators: from its loaded indicators, else those a light
    `active_plan` noted (else loaded now)."""
    state = inspect(plan)
    if "indicators" in state.unloaded and _IDS in state.info:
        return state.info[_IDS]
    return [indicator.id for indicator in plan.indicators]


def get_readiness(session: Session, user_id: int, plan_id: int) -> Readiness | None:
    """The user's readiness record for a plan, if any."""
    stmt = select(Readiness).where(Readiness.user_id == user_id, Readiness.plan_id == plan_id)
    return session.scalar(stmt)


def normal_code(code: str) -> str | None:
    """A typed or scanned code as stored ("ABCD-EFGH"; case, space and dash tolerant), or None
    when it cannot be one."""
    clean = code.strip().upper().replace(" ", "").replace("-", "")
    if len(clean) != 8 or not clean.isascii() or not clean.isalnum():
        return None
    return f"{clean[:4]}-{clean[4:]}"


def find_by_code(session: Session, code: str, scope: Scope) -> Readiness | None:
    """The readiness record with this code (case and dash tolerant), within the viewer's area."""
    stored = normal_code(code)
    if stored is None:
        return None
    stmt = (
        select(Readiness).join(User, User.id == Readiness.user_id).where(Readiness.code == stored)
    )
    return session.scalar(volunteers_in_scope(stmt, scope))
