"""Daily targets per area for the officers' dashboard and its export, and the daily
snapshots of every area's figures (rules in `targets.py`; need and ready from coverage)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from ..areas.access import Scope
from ..db import conflict_insert
from ..readiness.models import TrainingPlan
from ..readiness.targets import Curve, PlanCurve, days_ahead, plan_curve, sum_targets
from .coverage import AreaCoverage, VillageCoverage, coverage_villages, rollup
from .filters import Filters
from .models import AreaDailySnapshot

# The level of an area by the length of its code, and the level of its children.
LEVEL_OF = {2: "province", 4: "district", 6: "subdistrict", 8: "village"}
CHILD_LEVEL = {0: "province", 2: "district", 4: "subdistrict", 6: "village", 8: "village"}
SNAPSHOT_LEVELS = ("province", "district", "subdistrict", "village")
TREND_DAYS = 14


@dataclass(frozen=True)
class Snapshot:
    """An area's figures as taken on one day."""

    day: date
    registered: int
    ready: int
    counted: int
    need: int
    target: int | None


@dataclass(frozen=True)
class AreaTarget:
    """One area today: its need, ready volunteers, target and place on the curve."""

    code: str
    name: str
    need: int
    registered: int
    ready: int
    counted: int  # ready counted up to each village's need: what the target is measured by
    target: int | None  # None without a curve
    ahead: int | None  # days ahead (+) or behind (-); None: nobody needed, met, or no curve
    series: tuple[int, ...]  # the target on each of DailyTargets.days
    yesterday: Snapshot | None

    @property
    def met(self) -> bool:
        """Every needed volunteer is ready."""
        return self.need > 0 and self.counted >= self.need

    @property
    def percent(self) -> float | None:
        """Counted ready volunteers as a percentage of the need."""
        return 100 * self.counted / self.need if self.need else None

    @property
    def target_percent(self) -> float | None:
        """Today's target as a percentage of the need."""
        return 100 * self.target / self.need if self.need and self.target is not None else None


@dataclass(frozen=True)
class DailyTargets:
    """The daily targets of the children of the viewed area, and their total."""

    level: str
    today: date
    plan_curve: PlanCurve
    areas: tuple[AreaTarget, ...]
    totals: AreaTarget
    days: tuple[date, ...]  # today (or the start) to the deadline
    trend: tuple[Snapshot, ...]  # the viewed area's snapshots, oldest first

    @property
    def curve(self) -> Curve | None:
        """The target curve (None without a deadline or start)."""
        return self.plan_curve.curve

    @property
    def days_left(self) -> int | None:
        """Days from today to the deadline (negative once it has passed)."""
        return (self.curve.deadline - self.today).days if self.curve else None


def child_level(area_code: str, single_province: bool) -> str:
    """The level shown under an area: everyone's root opens on districts in one province."""
    level = CHILD_LEVEL[len(area_code)]
    return "district" if level == "province" and single_province else level


def _village_area(v: VillageCoverage) -> AreaCoverage:
    """A village's coverage in the shape of a wider area's."""
    return AreaCoverage(
        "village", v.village_code, f"หมู่ {v.moo} {v.village_name}", v.households or 0,
        v.needed, v.registered, v.ready, 1, 1 if v.short else 0, v.counted, v.short,
        v.percent_ready,
    )  # fmt: skip


def areas_at(villages: list[VillageCoverage], level: str) -> list[AreaCoverage]:
    """Coverage per area at `level`, by code."""
    if level == "village":
        rows = [_village_area(v) for v in villages]
    else:
        rows = rollup(villages, level)
    return sorted(rows, key=lambda a: a.code)


def _snapshots(
    session: Session, plan: TrainingPlan, level: str, codes: list[str], since: date
) -> dict[str, dict[date, Snapshot]]:
    """{code: {day: snapshot}} of the given areas from `since` on."""
    result: dict[str, dict[date, Snapshot]] = {}
    if not codes:
        return result
    stmt = select(AreaDailySnapshot).where(
        AreaDailySnapshot.plan_id == plan.id,
        AreaDailySnapshot.level == level,
        AreaDailySnapshot.code.in_(codes),
        AreaDailySnapshot.day >= since,
    )
    for row in session.scalars(stmt):
        result.setdefault(row.code, {})[row.day] = Snapshot(
            row.day, row.registered, row.ready, row.counted, row.need, row.target
        )
    return result


def _trend(per_area: dict[str, dict[date, Snapshot]], today: date) -> tuple[Snapshot, ...]:
    """The viewed area's figures per day before today: the sum of its children's."""
    days: dict[date, list[Snapshot]] = {}
    for snaps in per_area.values():
        for day, snap in snaps.items():
            if day < today:
                days.setdefault(day, []).append(snap)
    return tuple(
        Snapshot(
            day,
            sum(s.registered for s in snaps),
            sum(s.ready for s in snaps),
            sum(s.counted for s in snaps),
            sum(s.need for s in snaps),
            None if any(s.target is None for s in snaps) else sum(s.target or 0 for s in snaps),
        )
        for day, snaps in sorted(days.items())
    )


def _area_target(
    area: AreaCoverage,
    curve: Curve | None,
    today: date,
    days: tuple[date, ...],
    yesterday: Snapshot | None,
    needs: list[int] | None = None,
) -> AreaTarget:
    """One area's (or, with its children's `needs`, a total's) figures against the curve."""
    target = ahead = None
    series: tuple[int, ...] = ()
    if curve is not None:
        target_on = sum_targets(curve, needs if needs is not None else [area.needed])
        target = target_on(today)
        ahead = days_ahead(curve, target_on, area.counted, area.needed, today)
        series = tuple(target_on(day) for day in days)
    return AreaTarget(
        area.code, area.name, area.needed, area.registered, area.ready, area.counted,
        target, ahead, series, yesterday,
    )  # fmt: skip


def daily_targets(
    session: Session, *, plan: TrainingPlan, scope: Scope, filters: Filters, today: date
) -> DailyTargets:
    """Today's target, ready volunteers and days ahead or behind for each child area of the
    viewed area (the filter's, else the scope's), the target series to the deadline, and
    the viewed area's trend from the daily snapshots."""
    area_filters = Filters(
        district=filters.district,
        subdistrict=filters.subdistrict,
        village=filters.village,
        zone=filters.zone,
    )
    villages = coverage_villages(session, plan=plan, scope=scope, filters=area_filters, today=today)
    viewed = area_filters.area_code or scope.prefix or ""
    level = child_level(viewed, len({v.province_code for v in villages}) <= 1)
    children = areas_at(villages, level)
    pcurve = plan_curve(plan)
    curve = pcurve.curve
    days = tuple(curve.dates(today)) if curve else ()
    history = _snapshots(
        session, plan, level, [a.code for a in children], today - timedelta(days=TREND_DAYS)
    )
    yesterday = today - timedelta(days=1)
    areas = tuple(
        _area_target(a, curve, today, days, history.get(a.code, {}).get(yesterday))
        for a in children
    )
    total = rollup(villages, "total")
    total_row = total[0] if total else AreaCoverage("total", "", "", 0, 0, 0, 0, 0, 0, 0, 0, None)
    trend = _trend(history, today)
    last = trend[-1] if trend and trend[-1].day == yesterday else None
    totals = _area_target(total_row, curve, today, days, last, needs=[a.need for a in areas])
    return DailyTargets(level, today, pcurve, areas, totals, days, trend)


def snapshot_history(
    session: Session, *, plan: TrainingPlan, level: str, codes: list[str], since: date
) -> list[tuple[str, Snapshot]]:
    """(code, snapshot) of the given areas (already checked against the scope) from
    `since` on, by day then code."""
    per_area = _snapshots(session, plan, level, codes, since)
    rows = [(code, snap) for code, snaps in per_area.items() for snap in snaps.values()]
    return sorted(rows, key=lambda r: (r[1].day, r[0]))


def _snapshot_rows(
    villages: list[VillageCoverage], scope: Scope, plan: TrainingPlan, day: date, now: datetime
) -> Iterable[dict[str, Any]]:
    """A row per area in scope at every snapshot level (areas only partly in scope left
    out: a district officer's figures are not their province's)."""
    curve = plan_curve(plan).curve
    prefix = scope.prefix or ""
    for level in SNAPSHOT_LEVELS:
        for area in areas_at(villages, level):
            if not area.code.startswith(prefix):
                continue
            yield {
                "day": day,
                "plan_id": plan.id,
                "level": level,
                "code": area.code,
                "registered": area.registered,
                "ready": area.ready,
                "counted": area.counted,
                "need": area.needed,
                "target": curve.target(day, area.needed) if curve else None,
                "taken_at": now,
            }


def take_snapshots(
    session: Session,
    *,
    plan: TrainingPlan,
    scope: Scope,
    day: date,
    now: datetime,
    refresh: bool = True,
) -> int:
    """Write the day's snapshot of every area in scope: one row per day, plan and area.
    `refresh` replaces the day's figures with the current ones (the timer's run), else a
    row already taken that day is kept (the dashboard's first view). Safe against
    concurrent writers: the unique key decides, never a read-then-insert."""
    if scope.prefix is None:
        return 0
    villages = coverage_villages(session, plan=plan, scope=scope, filters=Filters(), today=day)
    rows = list(_snapshot_rows(villages, scope, plan, day, now))
    stmt = conflict_insert(session, AreaDailySnapshot.__table__)
    keys = ["day", "plan_id", "level", "code"]
    if refresh:
        fields = ("registered", "ready", "counted", "need", "target", "taken_at")
        stmt = stmt.on_conflict_do_update(
            index_elements=keys, set_={f: stmt.excluded[f] for f in fields}
        )
    else:
        stmt = stmt.on_conflict_do_nothing(index_elements=keys)
    for start in range(0, len(rows), 1000):
        session.execute(stmt, rows[start : start + 1000])
    return len(rows)


def has_snapshot(session: Session, *, plan: TrainingPlan, scope: Scope, day: date) -> bool:
    """True once the day's snapshot covers the viewer's own area (any province's for
    everyone's scope)."""
    prefix = scope.prefix or ""
    where = [AreaDailySnapshot.day == day, AreaDailySnapshot.plan_id == plan.id]
    if prefix:
        level = LEVEL_OF[len(prefix)]
        where += [AreaDailySnapshot.level == level, AreaDailySnapshot.code == prefix]
    else:
        where.append(AreaDailySnapshot.level == "province")
    return bool(session.scalar(select(exists().where(*where))))
