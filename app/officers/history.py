"""A volunteer's history: progress and readiness under every plan, for the detail page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session, aliased

from ..auth.models import User
from ..readiness.models import PlanProgress, Readiness, TrainingPlan


@dataclass(frozen=True)
class PlanHistory:
    """A volunteer's progress and readiness under one plan (the detail page's history)."""

    plan_id: int
    plan_name_th: str
    plan_name_en: str
    campaign_year: int
    active: bool
    expires_on: date | None
    passed: int
    required: int
    percent: int
    started_at: datetime | None
    ready_at: datetime | None
    code: str | None
    confirmed_at: datetime | None
    confirmed_by: str | None


def volunteer_history(session: Session, user_id: int) -> list[PlanHistory]:
    """Every plan the volunteer has progress or readiness under, plus the active plan;
    the active plan first, then the newest campaigns."""
    officer = aliased(User)
    stmt = (
        select(TrainingPlan, PlanProgress, Readiness, officer.full_name)
        .outerjoin(
            PlanProgress,
            and_(PlanProgress.plan_id == TrainingPlan.id, PlanProgress.user_id == user_id),
        )
        .outerjoin(
            Readiness, and_(Readiness.plan_id == TrainingPlan.id, Readiness.user_id == user_id)
        )
        .outerjoin(officer, officer.id == Readiness.confirmed_by_id)
        .where(
            or_(
                TrainingPlan.active.is_(True),
                PlanProgress.id.is_not(None),
                Readiness.id.is_not(None),
            )
        )
        .order_by(
            TrainingPlan.active.desc(), TrainingPlan.campaign_year.desc(), TrainingPlan.id.desc()
        )
    )
    history = []
    for plan, progress, record, confirmed_by in session.execute(stmt):
        required = progress.required if progress and progress.required else len(plan.indicators)
        passed = progress.passed if progress else 0
        history.append(
            PlanHistory(
                plan_id=plan.id,
                plan_name_th=plan.name_th,
                plan_name_en=plan.name_en,
                campaign_year=plan.campaign_year,
                active=plan.active,
                expires_on=plan.expires_on,
                passed=passed,
                required=required,
                percent=round(100 * passed / required) if required else 0,
                started_at=progress.started_at if progress else None,
                ready_at=record.ready_at if record else None,
                code=record.code if record else None,
                confirmed_at=record.confirmed_at if record else None,
                confirmed_by=confirmed_by,
            )
        )
    return history
