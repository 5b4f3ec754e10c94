"""The one owner of volunteers' progress: what counts, the rows that record it, the state
it gives, plan activation and the data-collector gate.

`counted_attempts` is the single rule for which attempts count under a plan. The volunteer's
own pages read it directly (`indicator_progress`); `PlanProgress` and `Readiness` are written
from it when a quiz is submitted (`record_submission`, connected to the quizzes' signal when
the package is imported) and for everyone when a plan is activated or re-evaluated
(`activate_plan`, `reevaluate_plan`), so officers' lists, counts and exports read two small
rows per volunteer, never attempts. Nothing else writes those two tables, and no GET does.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import (
    ColumnElement,
    Result,
    Select,
    and_,
    bindparam,
    case,
    func,
    literal,
    or_,
    select,
    update,
)
from sqlalchemy.orm import Session

from ..areas.access import Scope, get_volunteer
from ..areas.models import Village
from ..auth.models import Role, User
from ..db import conflict_insert, conflict_insert_for
from ..errors import DomainError
from ..quizzes.models import Attempt
from . import counts
from .models import PlanProgress, Readiness, TrainingPlan
from .rules import ready_at, verification_code
from .services import PlanView, active_plan, get_readiness, plan_indicator_ids

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


def passes_since(plan: TrainingPlan | PlanView) -> datetime | None:
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
        # Erased volunteers (PDPA) no longer count as registered or ready anywhere; their
        # attempts still count in pass rates, which do not go through here.
        .where(User.role == Role.VOLUNTEER.value, User.erased_at.is_(None))
    )
    return scope.villages(stmt)


def counts_under(plan: TrainingPlan | PlanView) -> ColumnElement[bool]:
    """SQL: the attempt is submitted and counts under the plan (one of its indicators,
    submitted on or after its `passes_from` day). Everything that counts passes for a plan
    (progress, readiness, the dashboard's pass rates, the size of a re-evaluation) uses it."""
    condition = and_(
        Attempt.submitted_at.is_not(None),
        Attempt.indicator_id.in_(plan_indicator_ids(plan)),
    )
    since = passes_since(plan)
    return condition if since is None else and_(condition, Attempt.submitted_at >= since)


def counted_attempts(
    plan: TrainingPlan | PlanView | None, user_ids: list[int] | None
) -> Select[Any]:
    """THE rule for progress, per user and indicator: the first counted pass, the first
    counted try, and how many attempts (open or submitted) belong to the plan's period.

    Under a plan, only `counts_under(plan)` attempts count. A pass is the attempt's score
    when it was submitted: later question versions or retired questions never turn a
    recorded pass into a fail (attempts keep their draw). Without a plan (none active),
    every submitted attempt of every indicator counts.
    """
    counted = Attempt.submitted_at.is_not(None) if plan is None else counts_under(plan)
    stmt = select(
        Attempt.user_id,
        Attempt.indicator_id,
        func.min(Attempt.submitted_at)
        .filter(counted, Attempt.passed.is_(True))
        .label("first_pass"),
        func.min(Attempt.started_at).filter(counted).label("first_try"),
        func.count(Attempt.id).label("touched"),
    ).group_by(Attempt.user_id, Attempt.indicator_id)
    if plan is not None:
        stmt = stmt.where(Attempt.indicator_id.in_(plan_indicator_ids(plan)))
        since = passes_since(plan)
        if since is not None:
            # An attempt still open counts as "in progress" once started in the period.
            stmt = stmt.where(or_(Attempt.submitted_at >= since, Attempt.started_at >= since))
    if user_ids is not None:
        stmt = stmt.where(Attempt.user_id.in_(user_ids))
    return stmt


def _one_volunteers_attempts(
    session: Session, plan: TrainingPlan | PlanView | None, user_id: int
) -> Result[Any]:
    """`counted_attempts(plan, [user_id])`, run. Under a cached PlanView the statement is
    built once per plan (building it cost more than running it, issue 16)."""
    if isinstance(plan, PlanView):
        return session.execute(_counted_for_one(plan), {"user_id": user_id})
    return session.execute(counted_attempts(plan, [user_id]))


@lru_cache(maxsize=8)
def _counted_for_one(plan: PlanView) -> Select[Any]:
    return counted_attempts(plan, None).where(Attempt.user_id == bindparam("user_id"))


@dataclass(frozen=True)
class IndicatorProgress:
    """A volunteer's state on one indicator, as counted under a plan."""

    status: str  # not_started | in_progress | passed
    first_passed_at: datetime | None
    first_try_at: datetime | None


def indicator_progress(
    session: Session, user_id: int, plan: TrainingPlan | PlanView | None
) -> dict[int, IndicatorProgress]:
    """Per indicator id the volunteer has touched (counted under the plan): in progress or
    passed. The volunteer's own pages read this; officers read PlanProgress, which
    `refresh_volunteer` and `reevaluate_plan` compute from the same `counted_attempts`."""
    result: dict[int, IndicatorProgress] = {}
    for _user, indicator_id, first_pass, first_try, touched in _one_volunteers_attempts(
        session, plan, user_id
    ):
        if first_pass is not None:
            status = "passed"
        elif touched:
            status = "in_progress"
        else:
            continue
        result[indicator_id] = IndicatorProgress(status, _aware(first_pass), _aware(first_try))
    return result


_LOCK = select(User.id).where(User.id == bindparam("user_id")).with_for_update()


def lock_volunteer(session: Session, user_id: int) -> None:
    """Serialise the writers of one volunteer's progress (row lock on PostgreSQL; SQLite
    serialises writers itself). Taken after the attempt is recorded, so a concurrent submit
    waits here and then counts both attempts (READ COMMITTED reads committed rows anew)."""
    session.execute(_LOCK, {"user_id": user_id})


def refresh_volunteer(
    session: Session,
    *,
    user_id: int,
    plan: TrainingPlan | PlanView,
    secret: str,
    now: datetime,
) -> bool:
    """Bring one volunteer's progress up to date; record readiness once the plan is passed.
    True when this call recorded the readiness. Safe under concurrent submits: one row lock
    per volunteer, then an upsert (no read back: it runs on every quiz submitted)."""
    lock_volunteer(session, user_id)
    first_passes: dict[int, datetime] = {}
    started: datetime | None = None
    for _user, indicator_id, first_pass, first_try, _touched in _one_volunteers_attempts(
        session, plan, user_id
    ):
        if first_pass is not None:
            first_passes[indicator_id] = _aware(first_pass)
        if first_try is not None:
            first_try = _aware(first_try)
            started = first_try if started is None else min(started, first_try)
    ids = plan_indicator_ids(plan)
    values = {
        "passed": len(first_passes),
        "required": len(ids),
        "started_at": started,
        "updated_at": now,
    }
    _upsert_progress(session, [{"user_id": user_id, "plan_id": plan.id, **values}])
    when = ready_at(ids, first_passes)
    if when is None or get_readiness(session, user_id, plan.id) is not None:
        return False
    codes = Codes(secret, lambda code: _code_taken(session, code))
    _insert_readiness(
        session,
        [{"user_id": user_id, "plan_id": plan.id, "ready_at": when, "recorded_at": now,
          "code": codes.new(user_id, plan.id, when)}],
    )  # fmt: skip
    counts.record_ready(session, user_id=user_id, plan_id=plan.id)
    return True


class Codes:
    """Readiness verification codes, unique across the table: a code already taken (about
    one in 3 million at national size) takes the next salt."""

    def __init__(self, secret: str, taken: Callable[[str], bool]) -> None:
        self.secret = secret
        self.taken = taken

    def new(self, user_id: int, plan_id: int, when: datetime) -> str:
        """A fresh code for this readiness record."""
        salt = 0
        while self.taken(code := verification_code(self.secret, user_id, plan_id, when, salt)):
            salt += 1
        return code


def _code_taken(session: Session, code: str) -> bool:
    """True when a readiness record already has this code."""
    return session.scalar(select(Readiness.id).where(Readiness.code == code)) is not None


def record_submission(session: Session, attempt: Attempt, *, secret: str, now: datetime) -> None:
    """The one consequence of a scored quiz: the volunteer's progress under the active
    plan, and readiness when that pass completed it."""
    plan = active_plan(session, light=True)
    if plan is not None:
        refresh_volunteer(session, user_id=attempt.user_id, plan=plan, secret=secret, now=now)


@lru_cache(maxsize=2)
def _progress_upsert(dialect: str) -> Any:
    stmt = conflict_insert_for(dialect, PlanProgress.__table__)
    return stmt.on_conflict_do_update(
        index_elements=["user_id", "plan_id"],
        set_={k: stmt.excluded[k] for k in ("passed", "required", "started_at", "updated_at")},
    )


def _upsert_progress(session: Session, rows: list[dict[str, Any]]) -> None:
    """Insert or update PlanProgress rows by (user, plan): never a read-then-insert."""
    stmt = _progress_upsert(session.get_bind().dialect.name)
    for chunk in _chunks(rows):
        session.execute(stmt, chunk)


def _insert_readiness(session: Session, rows: list[dict[str, Any]]) -> None:
    """Record readiness rows; one already recorded for the (user, plan) is kept as it is."""
    stmt = conflict_insert(session, Readiness.__table__).on_conflict_do_nothing(
        index_elements=["user_id", "plan_id"]
    )
    for chunk in _chunks(rows):
        session.execute(stmt, chunk)


def _per_user(session: Session, plan: TrainingPlan) -> Iterator[tuple[int, int, Any, Any]]:
    """(user_id, indicators passed, first try, last first-pass) for everyone with attempts."""
    firsts = counted_attempts(plan, None).subquery()
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
    are existing readiness records and confirmations under this plan. Upserts, so a quiz
    submitted meanwhile cannot make it fail."""
    required = len(plan.indicators)
    existing = set(
        session.scalars(select(PlanProgress.user_id).where(PlanProgress.plan_id == plan.id))
    )
    have_ready = set(session.scalars(select(Readiness.user_id).where(Readiness.plan_id == plan.id)))
    taken = set(session.scalars(select(Readiness.code)))
    codes = Codes(secret, taken.__contains__)
    seen: set[int] = set()
    rows: list[dict[str, Any]] = []
    ready: list[dict[str, Any]] = []
    for user_id, passed, first_try, last_pass in list(_per_user(session, plan)):
        seen.add(user_id)
        rows.append(
            {"user_id": user_id, "plan_id": plan.id, "passed": passed, "required": required,
             "started_at": _aware(first_try), "updated_at": now}
        )  # fmt: skip
        if required and passed == required and user_id not in have_ready:
            when = _aware(last_pass)
            code = codes.new(user_id, plan.id, when)
            taken.add(code)
            ready.append(
                {"user_id": user_id, "plan_id": plan.id, "ready_at": when, "recorded_at": now,
                 "code": code}
            )  # fmt: skip
    # Volunteers whose attempts no longer count (passes_from moved) start again at zero.
    stale = [uid for uid in existing if uid not in seen]
    for chunk in _chunks(stale):
        session.execute(
            update(PlanProgress)
            .where(PlanProgress.plan_id == plan.id, PlanProgress.user_id.in_(chunk))
            .values(passed=0, required=required, started_at=None, updated_at=now)
        )
    _upsert_progress(session, rows)
    _insert_readiness(session, ready)
    counts.rebuild(session, plan.id)
    session.flush()
    session.expire_all()
    return {"volunteers": len(rows), "newly_ready": len(ready)}


def activate_plan(
    session: Session,
    plan: TrainingPlan,
    *,
    secret: str,
    now: datetime,
    reevaluate: bool = True,
) -> dict[str, int] | None:
    """Make `plan` the one volunteers train for (every other plan off) and re-evaluate
    everyone under it. With reevaluate=False (too many attempts for one request) the caller
    queues `reevaluate_plan` after its commit; returns None then. The one place a plan is
    activated: the admins' pages, `flask content load` and the tests all come here."""
    session.execute(
        update(TrainingPlan)
        .where(TrainingPlan.id != plan.id, TrainingPlan.active.is_(True))
        .values(active=False)
    )
    plan.active = True
    plan.activated_at = now
    session.flush()
    if not reevaluate:
        return None
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
