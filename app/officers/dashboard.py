"""The live dashboard's figures: progress by area, quiz pass rates per indicator and
readiness over time, each within the viewer's scope (their charts' geometry: charts.py).

Three grouped queries per refresh, whatever the area size; `TTLCache` keeps a result a few
seconds so many officers polling the same area cost one refresh."""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from sqlalchemy import case, distinct, func, select
from sqlalchemy.orm import Session

from ..areas.access import Scope
from ..areas.models import District, Province, Subdistrict, Village
from ..auth.models import Role, User
from ..quizzes.models import Attempt
from ..readiness.models import Readiness, TrainingPlan
from ..readiness.progress import STATES, counts_under, state_condition, volunteer_rows
from . import rules
from .filters import Filters

T = TypeVar("T")
LEVELS = {2: "province", 4: "district", 6: "subdistrict", 8: "village"}
READY_STATES = ("ready", "confirmed")


@dataclass(frozen=True)
class AreaProgress:
    """Volunteers per state in one area, and the ready volunteers it needs at 1:40."""

    code: str
    name: str
    counts: tuple[int, ...]  # one per STATES, in that order
    needed: int

    @property
    def total(self) -> int:
        """Volunteers registered in the area, whatever their state."""
        return sum(self.counts)

    @property
    def ready(self) -> int:
        """Volunteers ready under the plan (confirmed collectors included)."""
        return sum(n for s, n in zip(STATES, self.counts, strict=True) if s in READY_STATES)

    def count(self, state: str) -> int:
        """Volunteers in one state."""
        return self.counts[STATES.index(state)]


@dataclass(frozen=True)
class Progress:
    """Progress per child area of the viewed area (`level` names the children)."""

    level: str
    areas: tuple[AreaProgress, ...]
    totals: AreaProgress


@dataclass(frozen=True)
class IndicatorPassRate:
    """How volunteers in scope do in one indicator's quiz."""

    number: int
    title_th: str
    title_en: str
    volunteers: int  # volunteers in scope (the share's denominator)
    passed: int  # of them, those with at least one pass
    attempts: int
    attempts_passed: int

    @property
    def share(self) -> float | None:
        """Percentage of volunteers in scope who passed (None without volunteers)."""
        return percent(self.passed, self.volunteers)

    @property
    def attempt_rate(self) -> float | None:
        """Percentage of submitted attempts that passed (None without attempts)."""
        return percent(self.attempts_passed, self.attempts)


@dataclass(frozen=True)
class ReadyDay:
    """Volunteers who became ready on one day (Bangkok), and the running total."""

    day: date
    new: int
    total: int


@dataclass(frozen=True)
class Dashboard:
    """Everything the live part of the dashboard shows."""

    progress: Progress
    pass_rates: tuple[IndicatorPassRate, ...]
    timeline: tuple[ReadyDay, ...]
    today: date

    def fingerprint(self, *extra: Hashable) -> str:
        """A short hash of the figures (and `extra`, e.g. the locale), for ETags."""
        return hashlib.sha256(repr((self, extra)).encode()).hexdigest()[:20]


def percent(part: int, whole: int) -> float | None:
    """part/whole as a percentage, None when whole is 0."""
    return 100 * part / whole if whole else None


def child_length(area_code: str) -> int:
    """Code length of the areas one level below `area_code` (villages stay villages)."""
    return min(len(area_code) + 2, 8)


def _area_key(length: int) -> tuple[Any, list[tuple[Any, Any]]]:
    """The column holding a village's area code at `length`, and the joins it needs."""
    sub = (Subdistrict, Subdistrict.code == Village.subdistrict_code)
    if length == 8:
        return Village.code, []
    if length == 6:
        return Village.subdistrict_code, []
    if length == 4:
        return Subdistrict.district_code, [sub]
    return District.province_code, [sub, (District, District.code == Subdistrict.district_code)]


def _joined(stmt: Any, joins: list[tuple[Any, Any]]) -> Any:
    for model, on in joins:
        stmt = stmt.join(model, on)
    return stmt


def _area_names(session: Session, length: int, codes: Iterable[str]) -> dict[str, str]:
    """Thai names of areas at one level, by code."""
    codes = list(codes)
    if length == 8:
        rows = session.execute(
            select(Village.code, Village.moo, Village.name_th).where(Village.code.in_(codes))
        )
        return {code: f"หมู่ {moo} {name}" for code, moo, name in rows}
    model, prefix = {2: (Province, "จ."), 4: (District, "อ."), 6: (Subdistrict, "ต.")}[length]
    rows = session.execute(select(model.code, model.name_th).where(model.code.in_(codes)))
    return {code: f"{prefix}{name}" for code, name in rows}


def area_progress(
    session: Session,
    *,
    plan: TrainingPlan,
    scope: Scope,
    filters: Filters,
    today: date,
    length: int | None = None,
) -> Progress:
    """Volunteers per state and needed volunteers for each child area of the viewed area
    (the filter's area, else the scope's); everyone's root opens on districts when there
    is a single province."""
    area = filters.area_code or scope.prefix or ""
    length = length or child_length(area)
    key, joins = _area_key(length)
    per_state = [func.count(User.id).filter(state_condition(s, plan, today)) for s in STATES]
    stmt = _joined(volunteer_rows(plan, scope, key, *per_state), joins)
    counts = {
        row[0]: tuple(row[1:])
        for row in session.execute(filters.areas(stmt, session).group_by(key))
    }
    villages = _joined(select(key, Village.households, func.count(Village.id)), joins)
    villages = filters.areas(scope.villages(villages), session).group_by(key, Village.households)
    needed: dict[str, int] = {}
    for code, households, n in session.execute(villages):
        needed[code] = needed.get(code, 0) + n * rules.needed(households)
    if length == 2 and len(needed) == 1:
        return area_progress(
            session, plan=plan, scope=scope, filters=filters, today=today, length=4
        )
    names = _area_names(session, length, needed)
    zero = (0,) * len(STATES)
    areas = tuple(
        AreaProgress(code, names.get(code, code), counts.get(code, zero), needed[code])
        for code in sorted(needed)
    )
    totals = AreaProgress(
        area,
        "",
        tuple(sum(a.counts[i] for a in areas) for i in range(len(STATES))),
        sum(a.needed for a in areas),
    )
    return Progress(LEVELS[length], areas, totals)


def pass_rates(
    session: Session, *, plan: TrainingPlan, scope: Scope, filters: Filters, volunteers: int
) -> tuple[IndicatorPassRate, ...]:
    """Per indicator of the plan: volunteers in scope with a pass (out of `volunteers`) and
    the share of attempts that passed, from the attempts counted for the plan."""
    indicators = sorted(plan.indicators, key=lambda i: i.number)
    passed = Attempt.passed.is_(True)
    stmt = (
        select(
            Attempt.indicator_id,
            func.count(distinct(case((passed, Attempt.user_id)))),
            func.count(Attempt.id),
            func.count(case((passed, Attempt.id))),
        )
        .join(User, User.id == Attempt.user_id)
        .join(Village, Village.id == User.village_id)
        .where(User.role == Role.VOLUNTEER.value, counts_under(plan))
        .group_by(Attempt.indicator_id)
    )
    stmt = filters.areas(scope.villages(stmt), session)
    rows = {row[0]: row[1:] for row in session.execute(stmt)}
    return tuple(
        IndicatorPassRate(i.number, i.title_th, i.title_en, volunteers, *rows.get(i.id, (0, 0, 0)))
        for i in indicators
    )


def _bangkok_day(session: Session) -> Any:
    """SQL for the calendar day in Thailand (UTC+7 all year) of Readiness.ready_at."""
    if session.get_bind().dialect.name == "postgresql":
        return func.date(func.timezone("Asia/Bangkok", Readiness.ready_at))
    return func.date(Readiness.ready_at, "+7 hours")


def readiness_timeline(
    session: Session, *, plan: TrainingPlan, scope: Scope, filters: Filters
) -> tuple[ReadyDay, ...]:
    """Per day (Bangkok) on which volunteers in scope became ready under the plan: how many,
    and how many were ready by the end of it."""
    days = volunteer_rows(plan, scope, _bangkok_day(session).label("day"))
    days = filters.areas(days.where(Readiness.id.is_not(None)), session).subquery()
    stmt = select(days.c.day, func.count()).group_by(days.c.day).order_by(days.c.day)
    result, total = [], 0
    for day, new in session.execute(stmt):
        total += new
        result.append(ReadyDay(date.fromisoformat(str(day)), new, total))
    return tuple(result)


def build_dashboard(
    session: Session, *, plan: TrainingPlan, scope: Scope, filters: Filters, today: date
) -> Dashboard:
    """The dashboard's figures for a scope and its area filters (other filters are ignored)."""
    progress = area_progress(session, plan=plan, scope=scope, filters=filters, today=today)
    rates = pass_rates(
        session, plan=plan, scope=scope, filters=filters, volunteers=progress.totals.total
    )
    timeline = readiness_timeline(session, plan=plan, scope=scope, filters=filters)
    return Dashboard(progress, rates, timeline, today)


class TTLCache:
    """A tiny in-process cache: a value is reused for `seconds`, then computed again."""

    def __init__(
        self, seconds: float, clock: Callable[[], float] = time.monotonic, size: int = 256
    ) -> None:
        self.seconds = seconds
        self.clock = clock
        self.size = size
        self._items: dict[Hashable, tuple[float, Any]] = {}
        self._lock = threading.Lock()

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The cached value for `key` if still fresh, else compute() (and keep it)."""
        now = self.clock()
        with self._lock:
            hit = self._items.get(key)
        if hit is not None and now - hit[0] < self.seconds:
            return hit[1]
        value = compute()
        with self._lock:
            if len(self._items) >= self.size:  # drop what has expired, or everything
                fresh = {k: v for k, v in self._items.items() if now - v[0] < self.seconds}
                self._items = fresh if len(fresh) < self.size else {}
            self._items[key] = (now, value)
        return value
