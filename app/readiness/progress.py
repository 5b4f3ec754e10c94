"""Each volunteer's progress in a plan, the state it gives, and the data-collector gate.

`PlanProgress` and `Readiness` are kept current when a quiz is submitted
(`refresh_volunteer`) and rebuilt for everyone when a plan is activated (`reevaluate_plan`),
so officers' lists, counts and exports read two small rows per volunteer, never attempts.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, and_, case, func, literal, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..areas.access import Scope, get_volunteer
from ..areas.models import Village
from ..auth.models import Role, User
from ..errors import DomainError
from ..quizzes.models import Attempt
from .models import PlanProgress, Readiness, TrainingPlan
from .rules import ready_at, verification_code
from .services import get_readiness

BANGKOK = ZoneInfo("Asia/Bangkok")
# Ordered as a volunteer moves through them; "expired" is ready under a plan past its date.
STATES = ("registered", "training", "ready", "confirmed", "expired")
_BATCH = 5000


class NotReady(DomainError):
    """Only a volunteer who is ready under the active plan can be confirmed."""


def today_bangkok(now: datetime) -> date:
    """The calendar day in Thailand at `now`."""
    return now.astimezone(BANGKOK).date()


def is_expired(plan: TrainingPlan, today: date) -> bool:
    """True once the plan's readiness has lapsed."""
    return plan.expires_on is not None and today > plan.expires_on


def passes_since(plan: TrainingPlan) -> datetime | None:
    """The UTC instant from which passes count for the plan (midnight in Bangkok)."""
    if plan.passes_from is None:
        return None
    return datetime.combine(plan.passes_from, time.min, BANGKOK).astimezone(UTC)


def state_column(plan: TrainingPlan, today: date) -> ColumnElement[str]:
    """SQL for a volunteer's state, over a select() that outer-joins PlanProgress and
    Readiness on the plan (see `volunteer_rows`)."""
    if is_expired(plan, today):
        return case(
            (Readiness.id.is_not(None), literal("expired")),
            (PlanProgress.started_at.is_not(None), literal("training")),
            else_=literal("registered"),
        )
    return case(
        (Readiness.confirmed_at.is_not(None), literal("confirmed")),
        (Readiness.id.is_not(None), literal("ready")),
        (PlanProgress.started_at.is_not(None), literal("training")),
        else_=literal("registered"),
    )


def state_condition(state: str, plan: TrainingPlan, today: date) -> ColumnElement[bool]:
    """A WHERE clause selecting volunteers in one state (indexes can serve it, unlike CASE)."""
    expired = is_expired(plan, today)
    if state == "confirmed":
        return Readiness.confirmed_at.is_not(None) if not expired else literal(False)
    if state == "ready":
        if expired:
            return literal(False)
        return and_(Readiness.id.is_not(None), Readiness.confirmed_at.is_(None))
    if state == "expired":
        return Readiness.id.is_not(None) if expired else literal(False)
    if state == "training":
        return and_(Readiness.id.is_(None), PlanProgress.started_at.is_not(None))
    if state == "registered":
        return and_(Readiness.id.is_(None), PlanProgress.started_at.is_(None))
    raise ValueError(f"unknown state {state!r}")


def volunteer_rows(plan: TrainingPlan, scope: Scope, *columns: Any) -> Any:
    """select(columns) over volunteers in scope, with their village and the plan's progress
    and readiness outer-joined: the base of every officer list, count and export."""
    stmt = (
        select(*columns)
        .select_from(User)
        .join(Village, Village.id == User.village_id)
        .outerjoin(
            PlanProgress,
            and_(PlanProgress.user_id == User.id, PlanProgress.plan_id == plan.id),
        )
        .outerjoin(Readiness, and_(Readiness.user_id == User.id, Readiness.plan_id == plan.id))
        .where(User.role == Role.VOLUNTEER.value)
    )
    return scope.villages(stmt)


def _first_passes(plan: TrainingPlan, user_ids: list[int] | None) -> Any:
    """Per user and required indicator: the first counted pass and first counted try."""
    required = [i.id for i in plan.indicators]
    stmt = (
        select(
            Attempt.user_id,
            Attempt.indicator_id,
            func.min(Attempt.submitted_at).filter(Attempt.passed.is_(True)).label("first_pass"),
            func.min(Attempt.started_at).label("first_try"),
        )
        .where(Attempt.indicator_id.in_(required), Attempt.submitted_at.is_not(None))
        .group_by(Attempt.user_id, Attempt.indicator_id)
    )
    since = passes_since(plan)
    if since is not None:
        stmt = stmt.where(Attempt.submitted_at >= since)
    if user_ids is not None:
        stmt = stmt.where(Attempt.user_id.in_(user_ids))
    return stmt


def refresh_volunteer(
    session: Session, *, user_id: int, plan: TrainingPlan, secret: str, now: datetime
) -> tuple[PlanProgress, Readiness | None]:
    """Bring one volunteer's progress up to date; record readiness once the plan is passed."""
    first_passes: dict[int, datetime] = {}
    started: datetime | None = None
    for _user, indicator_id, first_pass, first_try in session.execute(
        _first_passes(plan, [user_id])
    ):
        if first_pass is not None:
            first_passes[indicator_id] = first_pass
        started = first_try if started is None else min(started, first_try)
    progress = session.scalar(
        select(PlanProgress).where(PlanProgress.user_id == user_id, PlanProgress.plan_id == plan.id)
    )
    if progress is None:
        progress = PlanProgress(user_id=user_id, plan_id=plan.id)
        session.add(progress)
    progress.passed = len(first_passes)
    progress.required = len(plan.indicators)
    progress.started_at = started
    progress.updated_at = now
    session.flush()
    return progress, _record_readiness(session, user_id, plan, first_passes, secret, now)


def _record_readiness(
    session: Session,
    user_id: int,
    plan: TrainingPlan,
    first_passes: dict[int, datetime],
    secret: str,
    now: datetime,
) -> Readiness | None:
    """The readiness record, added once when every required indicator has a pass."""
    existing = get_readiness(session, user_id, plan.id)
    if existing is not None:
        return existing
    when = ready_at([i.id for i in plan.indicators], first_passes)
    if when is None:
        return None
    record = Readiness(
        user_id=user_id,
        plan_id=plan.id,
        ready_at=when,
        recorded_at=now,
        code=verification_code(secret, user_id, plan.id, when),
    )
    try:
        with session.begin_nested():
            session.add(record)
    except IntegrityError:  # recorded by a concurrent request a moment ago
        return get_readiness(session, user_id, plan.id)
    return record


def _per_user(session: Session, plan: TrainingPlan) -> Iterator[tuple[int, int, Any, Any]]:
    """(user_id, indicators passed, first try, last first-pass) for everyone with attempts."""
    firsts = _first_passes(plan, None).subquery()
    stmt = select(
        firsts.c.user_id,
        func.count(firsts.c.first_pass),
        func.min(firsts.c.first_try),
        func.max(firsts.c.first_pass),
    ).group_by(firsts.c.user_id)
    yield from session.execute(stmt.execution_options(yield_per=_BATCH))


def reevaluate_plan(
    session: Session, plan: TrainingPlan, *, secret: str, now: datetime
) -> dict[str, int]:
    """Rebuild every volunteer's progress under a plan from the attempts, and record
    readiness for those who now meet it. Other plans' rows (history) are untouched, and so
    are existing readiness records and confirmations under this plan."""
    required = len(plan.indicators)
    existing = dict(
        session.execute(
            select(PlanProgress.user_id, PlanProgress.id).where(PlanProgress.plan_id == plan.id)
        ).all()
    )
    have_ready = set(session.scalars(select(Readiness.user_id).where(Readiness.plan_id == plan.id)))
    seen: set[int] = set()
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    ready: list[dict[str, Any]] = []
    counts = {"volunteers": 0, "newly_ready": 0}
    for user_id, passed, first_try, last_pass in list(_per_user(session, plan)):
        seen.add(user_id)
        values = {"passed": passed, "required": required, "started_at": _aware(first_try)}
        if user_id in existing:
            updates.append({"id": existing[user_id], "updated_at": now, **values})
        else:
            inserts.append({"user_id": user_id, "plan_id": plan.id, "updated_at": now, **values})
        if required and passed == required and user_id not in have_ready:
            when = _aware(last_pass)
            code = verification_code(secret, user_id, plan.id, when)
            ready.append(
                {"user_id": user_id, "plan_id": plan.id, "ready_at": when, "recorded_at": now,
                 "code": code}
            )  # fmt: skip
        counts["volunteers"] += 1
    # Volunteers whose attempts no longer count (passes_from moved) start again at zero.
    stale = [pid for uid, pid in existing.items() if uid not in seen]
    for chunk in _chunks(stale):
        session.execute(
            update(PlanProgress)
            .where(PlanProgress.id.in_(chunk))
            .values(passed=0, required=required, started_at=None, updated_at=now)
        )
    for chunk in _chunks(inserts):
        session.execute(PlanProgress.__table__.insert(), chunk)
    for chunk in _chunks(updates):
        session.execute(update(PlanProgress), chunk)
    for chunk in _chunks(ready):
        session.execute(Readiness.__table__.insert(), chunk)
    counts["newly_ready"] = len(ready)
    session.flush()
    return counts


def activate_plan(
    session: Session, plan: TrainingPlan, *, secret: str, now: datetime
) -> dict[str, int]:
    """Make `plan` the one volunteers train for, and re-evaluate everyone under it."""
    session.execute(
        update(TrainingPlan)
        .where(TrainingPlan.id != plan.id, TrainingPlan.active.is_(True))
        .values(active=False)
    )
    plan.active = True
    plan.activated_at = now
    session.flush()
    return reevaluate_plan(session, plan, secret=secret, now=now)


def confirm_collector(
    session: Session,
    *,
    volunteer_id: int,
    plan: TrainingPlan,
    scope: Scope,
    officer_id: int,
    now: datetime,
) -> Readiness:
    """Confirm a volunteer as a data collector. Refused unless the volunteer is in scope
    (OutOfScope) and ready under the plan, not expired (NotReady), whatever the client sent."""
    get_volunteer(session, scope, volunteer_id)
    if is_expired(plan, today_bangkok(now)):
        raise NotReady("the plan's readiness has expired")
    record = session.scalar(
        select(Readiness)
        .where(Readiness.user_id == volunteer_id, Readiness.plan_id == plan.id)
        .with_for_update(of=Readiness)
    )
    if record is None:
        raise NotReady("the volunteer has not passed the plan")
    if record.confirmed_at is None:
        record.confirmed_at = now
        record.confirmed_by_id = officer_id
        session.flush()
    return record


def unconfirm_collector(
    session: Session, *, volunteer_id: int, plan: TrainingPlan, scope: Scope
) -> None:
    """Withdraw a confirmation (the volunteer stays ready)."""
    get_volunteer(session, scope, volunteer_id)
    record = session.scalar(
        select(Readiness).where(Readiness.user_id == volunteer_id, Readiness.plan_id == plan.id)
    )
    if record is not None:
        record.confirmed_at = None
        record.confirmed_by_id = None
        session.flush()


def _aware(value: Any) -> Any:
    """Datetimes from raw aggregate rows come back naive on SQLite: they are UTC."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if isinstance(value, datetime) and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


def _chunks(items: list[Any]) -> Iterator[list[Any]]:
    for start in range(0, len(items), _BATCH):
        yield items[start : start + _BATCH]
