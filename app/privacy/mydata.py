"""Everything the app keeps about one volunteer, gathered for them to read and download
(PDPA: the right of access). Only the person's own rows: every query is by their user id."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from ..auth.models import PersonalDataEvent, PersonalDataSubject, User
from ..content.models import Indicator
from ..quizzes.models import Attempt
from ..readiness.models import PlanProgress, Readiness, TrainingPlan


@dataclass(frozen=True)
class Account:
    """The account as stored (the ID card number only masked: the full one is never kept)."""

    id: int
    full_name: str
    mobile: str
    national_id_masked: str | None
    village_code: str | None
    village_name: str | None
    moo: int | None
    volunteer_type: str | None
    created_at: datetime
    registered_by_name: str | None  # the officer who registered them; None: signed up
    registered_by_role: str | None


@dataclass(frozen=True)
class AttemptItem:
    """One quiz attempt."""

    indicator_number: int
    indicator_title: str
    started_at: datetime
    submitted_at: datetime | None
    score: int | None
    pass_mark: int
    passed: bool | None


@dataclass(frozen=True)
class PlanItem:
    """Progress and readiness under one training plan."""

    plan_name: str
    campaign_year: int
    passed: int
    required: int
    ready_at: datetime | None
    certificate_code: str | None
    confirmed_at: datetime | None


@dataclass(frozen=True)
class EventItem:
    """Someone's access to or change of this person's data."""

    at: datetime
    action: str
    actor_name: str | None
    actor_role: str | None


@dataclass(frozen=True)
class MyData:
    """All of one volunteer's data."""

    account: Account
    attempts: list[AttemptItem]
    plans: list[PlanItem]
    events: list[EventItem]

    def as_json(self) -> dict[str, Any]:
        """Plain JSON values (datetimes as ISO 8601 in UTC)."""

        def plain(value: Any) -> Any:
            if isinstance(value, datetime):
                return value.isoformat()
            if isinstance(value, dict):
                return {k: plain(v) for k, v in value.items()}
            if isinstance(value, list):
                return [plain(v) for v in value]
            return value

        return plain(asdict(self))


def collect_my_data(session: Session, user: User) -> MyData:
    """The volunteer's account, quiz attempts, progress, readiness and the audit entries
    naming them (who acted is shown by name and role: theirs to know under the PDPA)."""
    registrar = session.get(User, user.registered_by_id) if user.registered_by_id else None
    village = user.village
    account = Account(
        id=user.id,
        full_name=user.full_name,
        mobile=user.phone,
        national_id_masked=user.national_id_masked,
        village_code=village.code if village else None,
        village_name=village.name_th if village else None,
        moo=village.moo if village else None,
        volunteer_type=user.volunteer_type,
        created_at=user.created_at,
        registered_by_name=registrar.full_name if registrar else None,
        registered_by_role=registrar.role if registrar else None,
    )
    attempts = [
        AttemptItem(number, title, a.started_at, a.submitted_at, a.score, a.pass_mark, a.passed)
        for a, number, title in session.execute(
            select(Attempt, Indicator.number, Indicator.title_th)
            .join(Indicator, Indicator.id == Attempt.indicator_id)
            .where(Attempt.user_id == user.id)
            .order_by(Attempt.started_at, Attempt.id)
        )
    ]
    readiness = {
        r.plan_id: r for r in session.scalars(select(Readiness).where(Readiness.user_id == user.id))
    }
    plans = []
    for progress, plan in session.execute(
        select(PlanProgress, TrainingPlan)
        .join(TrainingPlan, TrainingPlan.id == PlanProgress.plan_id)
        .where(PlanProgress.user_id == user.id)
        .order_by(TrainingPlan.campaign_year.desc(), TrainingPlan.id)
    ):
        record = readiness.pop(plan.id, None)
        plans.append(_plan_item(plan, progress.passed, progress.required, record))
    for record in readiness.values():  # readiness without a progress row (older plans)
        plans.append(_plan_item(record.plan, 0, 0, record))
    actor = aliased(User)
    events = [
        EventItem(at, action, name, role)
        for at, action, name, role in session.execute(
            select(PersonalDataEvent.at, PersonalDataEvent.action, actor.full_name, actor.role)
            .join(PersonalDataSubject, PersonalDataSubject.event_id == PersonalDataEvent.id)
            .outerjoin(actor, actor.id == PersonalDataEvent.actor_id)
            .where(PersonalDataSubject.user_id == user.id)
            .order_by(PersonalDataEvent.at.desc(), PersonalDataEvent.id.desc())
        )
    ]
    return MyData(account=account, attempts=attempts, plans=plans, events=events)


def _plan_item(
    plan: TrainingPlan, passed: int, required: int, record: Readiness | None
) -> PlanItem:
    return PlanItem(
        plan_name=plan.name_th,
        campaign_year=plan.campaign_year,
        passed=passed,
        required=required,
        ready_at=record.ready_at if record else None,
        certificate_code=record.code if record else None,
        confirmed_at=record.confirmed_at if record else None,
    )
