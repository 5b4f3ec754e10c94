"""The readiness list: volunteers in scope with their state under the active plan, one page
at a time or streamed for exports. Plain columns only (no ORM objects), so a page is two
small queries and an export keeps flat memory."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, case, func, literal, select
from sqlalchemy.orm import Session

from ..areas.access import Scope, volunteers_in_scope
from ..areas.models import District, Subdistrict, Village
from ..auth.models import User
from ..db import thai_order
from ..readiness.models import PlanProgress, Readiness, TrainingPlan
from ..readiness.progress import STATES, state_column, volunteer_rows
from .filters import BadFilter, Filters
from .rules import whole_percent

__all__ = [
    "SORTS",
    "Page",
    "ReadinessRow",
    "iter_readiness",
    "mask_phone",
    "matching_ids",
    "readiness_page",
    "volunteer_state",
]

# Sort keys accepted by the list, its exports and the API ("-" = descending).
SORTS = (
    "name",
    "-name",
    "village",
    "state",
    "percent",
    "-percent",
    "ready_at",
    "-ready_at",
    "registered",
)
_STREAM_BATCH = 1000
_VILLAGE_CODE = 8  # digits in a village code
_PLAN_SORTS = {"state", "percent", "-percent", "ready_at", "-ready_at"}  # need progress joined


@dataclass(frozen=True)
class ReadinessRow:
    """One volunteer as the list, its exports and the API show them."""

    user_id: int
    full_name: str
    phone: str  # in full when the village is in the viewer's scope, else masked
    phone_masked: str
    volunteer_type: str | None
    village_code: str
    village_name: str
    moo: int
    subdistrict_name: str
    district_name: str
    zone: str | None
    state: str  # one of STATES ("registered" for everyone when there is no active plan)
    passed: int
    required: int
    percent: int
    ready_at: datetime | None
    confirmed_at: datetime | None
    registered_at: datetime
    active: bool = True  # False once an officer deactivated the account


@dataclass(frozen=True)
class Page:
    """One page of the list and where it sits in the whole."""

    rows: list[ReadinessRow]
    total: int
    page: int
    per_page: int
    pages: int


def mask_phone(phone: str | None) -> str:
    """A mobile number with all but its first two and last four digits hidden: 08x-xxx-5678."""
    if not phone:
        return ""
    digits = "".join(ch for ch in phone if ch.isdigit())
    if len(digits) != 10:
        return "x" * max(len(digits) - 4, 0) + digits[-4:]
    return f"{digits[:2]}x-xxx-{digits[-4:]}"


def _state(plan: TrainingPlan | None, today: date) -> ColumnElement[str]:
    """The state column, or "registered" for everyone when no plan is active."""
    return state_column(plan, today) if plan is not None else literal("registered")


def _base(plan: TrainingPlan | None, scope: Scope, *columns: Any) -> Any:
    """volunteer_rows(), or plain volunteers in scope when no plan is active."""
    if plan is not None:
        return volunteer_rows(plan, scope, *columns)
    return volunteers_in_scope(select(*columns).select_from(User), scope)


def _columns(plan: TrainingPlan | None, today: date) -> list[Any]:
    """The plain columns a ReadinessRow is built from, in its field order."""
    if plan is None:
        progress: list[Any] = [
            literal(0).label("passed"),
            literal(0).label("required"),
            literal(None).label("ready_at"),
            literal(None).label("confirmed_at"),
        ]
    else:
        progress = [
            PlanProgress.passed,
            PlanProgress.required,
            Readiness.ready_at,
            Readiness.confirmed_at,
        ]
    return [
        User.id,
        User.full_name,
        User.phone,
        User.volunteer_type,
        Village.code.label("village_code"),
        Village.name_th.label("village_name"),
        Village.moo,
        Subdistrict.name_th.label("subdistrict_name"),
        District.name_th.label("district_name"),
        District.zone,
        _state(plan, today).label("state"),
        *progress,
        User.created_at,
        User.active,
    ]


def _order(plan: TrainingPlan | None, today: date, sort: str) -> list[Any]:
    """ORDER BY for a sort key; every order ends on the user id so pages never overlap."""
    if sort not in SORTS:
        raise BadFilter(f"sort must be one of {', '.join(SORTS)}")
    by_name = [thai_order(User.full_name), User.id]
    if sort == "-name":
        return [thai_order(User.full_name).desc(), User.id]
    if sort == "village":
        return [Village.code, *by_name]
    if sort == "registered":  # newest first
        return [User.created_at.desc(), User.id.desc()]
    if plan is None:  # no states, percentages or readiness dates to sort by
        return by_name
    if sort == "state":  # in the order a volunteer moves through them
        rank = case({s: i for i, s in enumerate(STATES)}, value=state_column(plan, today))
        return [rank, *by_name]
    if sort in ("percent", "-percent"):
        percent = case(
            (PlanProgress.required > 0, PlanProgress.passed * 100.0 / PlanProgress.required),
            else_=0,
        )
        return [percent.desc() if sort == "-percent" else percent, *by_name]
    if sort in ("ready_at", "-ready_at"):  # not yet ready last, either way
        when = Readiness.ready_at.desc() if sort == "-ready_at" else Readiness.ready_at
        return [Readiness.ready_at.is_(None), when, *by_name]
    return by_name


def _display(plan: TrainingPlan | None, scope: Scope, today: date) -> Any:
    """select() of the row columns over volunteers in scope, with their area names."""
    return (
        _base(plan, scope, *_columns(plan, today))
        .join(Subdistrict, Subdistrict.code == Village.subdistrict_code)
        .join(District, District.code == Subdistrict.district_code)
    )


def _matching(
    session: Session,
    plan: TrainingPlan | None,
    scope: Scope,
    filters: Filters,
    today: date,
    *columns: Any,
    joined: bool,
) -> Any:
    """select(columns) over the volunteers matching the filters; the plan's progress and
    readiness are joined only when `joined` (one row per volunteer and plan at most, so
    leaving them out changes no count and no order by name, village or date)."""
    base = _base(plan if joined else None, scope, *columns)
    return filters.people(base, session, plan, today)


def _rows_stmt(
    session: Session,
    plan: TrainingPlan | None,
    scope: Scope,
    filters: Filters,
    today: date,
    sort: str,
) -> Any:
    """The filtered, ordered select() of row columns (exports read it whole)."""
    stmt = _display(plan, scope, today)
    if filters.zone:  # the same rows as the filter's own test, but on the joined district
        stmt = stmt.where(District.zone == filters.zone)
    stmt = filters.people(stmt, session, plan, today)
    return stmt.order_by(*_order(plan, today, sort))


def _to_row(values: Any, scope: Scope, required_default: int) -> ReadinessRow:
    """A ReadinessRow from one result row (phones in full only inside the viewer's scope)."""
    (user_id, full_name, phone, volunteer_type, village_code, village_name, moo,
     subdistrict_name, district_name, zone, state, passed, required, ready_at,
     confirmed_at, registered_at, active) = values  # fmt: skip
    passed = passed or 0
    required = required or required_default
    masked = mask_phone(phone)
    return ReadinessRow(
        user_id=user_id,
        full_name=full_name,
        phone=phone if scope.allows(village_code) else masked,
        phone_masked=masked,
        volunteer_type=volunteer_type,
        village_code=village_code,
        village_name=village_name,
        moo=moo,
        subdistrict_name=subdistrict_name,
        district_name=district_name,
        zone=zone,
        state=state,
        passed=passed,
        required=required,
        percent=whole_percent(passed, required),
        ready_at=ready_at,
        confirmed_at=confirmed_at,
        registered_at=registered_at,
        active=bool(active),
    )


def readiness_page(
    session: Session,
    *,
    plan: TrainingPlan | None,
    scope: Scope,
    filters: Filters,
    today: date,
    sort: str = "name",
    page: int = 1,
    per_page: int = 50,
) -> Page:
    """One page of volunteers in scope matching the filters: a COUNT, then one query that
    picks the page's ids over the fewest joins and reads their rows. A page past the end
    shows the last page."""
    order = _order(plan, today, sort)
    count = _matching(
        session, plan, scope, filters, today, func.count(User.id), joined=bool(filters.state)
    )
    total = session.scalar(count) or 0
    pages = max(1, -(-total // per_page))
    page = min(max(page, 1), pages)
    joined = plan is not None and (bool(filters.state) or sort in _PLAN_SORTS)
    ids = (
        _matching(session, plan, scope, filters, today, User.id, joined=joined)
        .order_by(*order)
        .limit(per_page)
        .offset((page - 1) * per_page)
        .subquery()
    )
    stmt = _display(plan, scope, today).join(ids, ids.c.id == User.id).order_by(*order)
    required = len(plan.indicators) if plan is not None else 0
    rows = [_to_row(values, scope, required) for values in session.execute(stmt)]
    return Page(rows=rows, total=total, page=page, per_page=per_page, pages=pages)


def matching_ids(
    session: Session,
    *,
    plan: TrainingPlan | None,
    scope: Scope,
    filters: Filters,
    today: date,
) -> list[int]:
    """The ids of every volunteer in scope matching the filters (an export's rows), for the
    audit trail recorded before the export streams."""
    stmt = _matching(session, plan, scope, filters, today, User.id, joined=bool(filters.state))
    return list(session.scalars(stmt))


def iter_readiness(
    session: Session,
    *,
    plan: TrainingPlan | None,
    scope: Scope,
    filters: Filters,
    today: date,
    sort: str = "name",
) -> Iterator[ReadinessRow]:
    """Every matching volunteer, streamed in batches (flat memory for a whole country).
    A bad sort raises BadFilter here, before the first row, not halfway through a download."""
    stmt = _rows_stmt(session, plan, scope, filters, today, sort)
    required = len(plan.indicators) if plan is not None else 0
    return _stream(session, stmt.execution_options(yield_per=_STREAM_BATCH), scope, required)


def _stream(session: Session, stmt: Any, scope: Scope, required: int) -> Iterator[ReadinessRow]:
    """Rows of a yield_per select() as ReadinessRows."""
    for values in session.execute(stmt):
        yield _to_row(values, scope, required)


def volunteer_state(
    session: Session, *, plan: TrainingPlan | None, scope: Scope, user_id: int, today: date
) -> str:
    """One volunteer's state under the plan, by the same SQL as the list."""
    stmt = _base(plan, scope, _state(plan, today)).where(User.id == user_id)
    return session.scalar(stmt) or "registered"
