"""Readiness lookups: the active plan, a volunteer's readiness record, a card's code."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal, overload

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ..areas.access import Scope, volunteers_in_scope
from ..auth.models import User
from ..content.stamp import stamped_cache
from .models import Readiness, TrainingPlan, plan_indicators


@dataclass(frozen=True)
class PlanView:
    """What the quiz path reads of the active plan (the lesson's status, every submit, the
    result page), cached per content stamp: plans are tracked writes (models.py)."""

    id: int
    passes_from: date | None
    show_answers_after_fail: bool
    indicator_ids: tuple[int, ...]


@overload
def active_plan(session: Session) -> TrainingPlan | None: ...
@overload
def active_plan(session: Session, *, light: Literal[True]) -> PlanView | None: ...


def active_plan(session: Session, *, light: bool = False) -> TrainingPlan | PlanView | None:
    """The plan volunteers train for now, with its indicators. `light` (the quiz path) gives
    a PlanView from the cache instead: loading the plan and its indicators' ids on every
    lesson view and submit was two statements each."""
    if not light:
        stmt = (
            select(TrainingPlan)
            .where(TrainingPlan.active.is_(True))
            .options(selectinload(TrainingPlan.indicators))
        )
        return session.scalar(stmt)
    cache = stamped_cache(session, "active_plan")
    if "plan" not in cache:
        plan = session.scalar(select(TrainingPlan).where(TrainingPlan.active.is_(True)))
        view = None
        if plan is not None:
            ids = session.scalars(
                select(plan_indicators.c.indicator_id).where(plan_indicators.c.plan_id == plan.id)
            )
            view = PlanView(plan.id, plan.passes_from, plan.show_answers_after_fail,
                            tuple(sorted(ids)))  # fmt: skip
        cache["plan"] = view
    return cache["plan"]


def plan_indicator_ids(plan: TrainingPlan | PlanView) -> list[int]:
    """The ids of the plan's indicators."""
    if isinstance(plan, PlanView):
        return list(plan.indicator_ids)
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
