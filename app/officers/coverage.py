"""Coverage at 1:40: per village and per wider area, how many ready volunteers are needed,
registered and ready (rules in `rules.py`): two queries (the villages, then one grouped
count of their volunteers and readiness, or the stored per-village counts for a scope wider
than BY_ID_LIMIT villages), whatever the area size."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, func, literal, select
from sqlalchemy.orm import Session

from ..areas.access import Scope, code_range
from ..areas.models import District, Province, Subdistrict, Village
from ..auth.models import Role, User
from ..readiness.counts import stored_counts
from ..readiness.models import Readiness, TrainingPlan
from ..readiness.progress import is_expired
from . import rules
from .filters import Filters

LEVELS = ("village", "subdistrict", "district", "zone", "province")
ROLLUP_LEVELS = LEVELS[1:]
# Thai names of the support zones, for roll-ups, exports and the API ("" = not set).
ZONE_NAMES_TH = {"north": "โซนเหนือ", "central": "โซนกลาง", "south": "โซนใต้", "": "ไม่ระบุโซน"}
TOTAL_NAME_TH = "รวม"


@dataclass(frozen=True)
class VillageCoverage:
    """One village: households, volunteers needed at 1:40, registered and ready."""

    village_code: str
    village_name: str
    moo: int
    subdistrict_code: str
    subdistrict_name: str
    district_code: str
    district_name: str
    zone: str | None
    households: int | None
    needed: int
    registered: int
    ready: int  # ready + confirmed under the plan; 0 once the plan has expired
    short: int  # max(needed - ready, 0)
    percent_ready: float | None  # 0-100, ready counted up to needed; None if none needed
    province_code: str = ""
    province_name: str = ""

    @property
    def counted(self) -> int:
        """Ready volunteers counted towards the target (at most `needed`)."""
        return rules.counted_ready(self.ready, self.needed)


@dataclass(frozen=True)
class AreaCoverage:
    """A subdistrict, district, zone or province: sums over its villages in scope."""

    level: str
    code: str  # area code; for a zone its key ("north", ...; "" when not set)
    name: str  # Thai name
    households: int
    needed: int  # sum of the villages' needed (each rounded up on its own)
    registered: int
    ready: int
    villages: int
    villages_short: int
    counted: int  # ready counted up to needed per village
    short: int  # sum of the villages' shortfalls
    percent_ready: float | None  # counted / needed; None if none needed


# Up to this many villages, volunteers are counted live by village id (index lookups that
# the planner costs right); a wider scope (the whole country: 320,000 volunteers) reads the
# stored per-village counts that the readiness package keeps (`readiness.counts`).
BY_ID_LIMIT = 3000


def _village_rows(session: Session, scope: Scope, filters: Filters) -> list:
    """The villages in scope (and filters), with their area names."""
    stmt = (
        select(
            Village.id,
            Village.code,
            Village.name_th,
            Village.moo,
            Village.households,
            Subdistrict.code,
            Subdistrict.name_th,
            District.code,
            District.name_th,
            District.zone,
            Province.code,
            Province.name_th,
        )
        .join(Subdistrict, Subdistrict.code == Village.subdistrict_code)
        .join(District, District.code == Subdistrict.district_code)
        .join(Province, Province.code == District.province_code)
    )
    stmt = filters.areas(scope.villages(stmt), session)
    # Scope and filters decide; the range only lets the database use the code index.
    stmt = stmt.where(code_range(filters.area_code or scope.prefix or ""))
    return list(session.execute(stmt))


def _counts_by_id(
    session: Session, plan: TrainingPlan | None, village_ids: list[int], today: date
) -> dict[int, tuple[int, int]]:
    """{village id: (registered, ready)} for villages already checked against the scope."""
    ready: ColumnElement[int] = literal(0)
    if plan is not None and not is_expired(plan, today):
        # One index lookup per volunteer (unique per user and plan): planners otherwise
        # tend to scan every readiness record in the country for a province's count.
        record = (
            select(Readiness.id)
            .where(Readiness.user_id == User.id, Readiness.plan_id == plan.id)
            .correlate(User)
            .scalar_subquery()
        )
        ready = func.count(record)
    stmt = (
        select(User.village_id, func.count(User.id), ready)
        .where(
            User.role == Role.VOLUNTEER.value,
            User.erased_at.is_(None),
            User.village_id.in_(village_ids),
        )
        .group_by(User.village_id)
    )
    return {village_id: (registered, n) for village_id, registered, n in session.execute(stmt)}


def _counts_stored(
    session: Session, plan: TrainingPlan | None, scope: Scope, filters: Filters, today: date
) -> dict[int, tuple[int, int]]:
    """{village id: (registered, ready)} from the stored per-village counts (one row per
    village, `readiness.counts`), for a scope too wide to count volunteers on every view."""
    villages = filters.areas(scope.villages(select(Village.id)), session)
    villages = villages.where(code_range(filters.area_code or scope.prefix or ""))
    expired = plan is None or is_expired(plan, today)
    return stored_counts(session, None if expired else plan.id, villages.subquery())


def coverage_villages(
    session: Session,
    *,
    plan: TrainingPlan | None,
    scope: Scope,
    filters: Filters,
    today: date,
) -> list[VillageCoverage]:
    """Every village in scope with its coverage, the most short of ready volunteers first
    (then by code). Only the area filters of `filters` apply."""
    villages = _village_rows(session, scope, filters)
    if len(villages) <= BY_ID_LIMIT:
        counts = _counts_by_id(session, plan, [row[0] for row in villages], today)
    else:
        counts = _counts_stored(session, plan, scope, filters, today)
    result = []
    for row in villages:
        (vid, code, name, moo, households, sub_code, sub_name, dist_code, dist_name, zone,
         prov_code, prov_name) = row  # fmt: skip
        registered, ready = counts.get(vid, (0, 0))
        need = rules.needed(households)
        result.append(
            VillageCoverage(
                village_code=code,
                village_name=name,
                moo=moo,
                subdistrict_code=sub_code,
                subdistrict_name=sub_name,
                district_code=dist_code,
                district_name=dist_name,
                zone=zone,
                households=households,
                needed=need,
                registered=registered,
                ready=ready,
                short=rules.short(need, ready),
                percent_ready=rules.share_ready(ready, need),
                province_code=prov_code,
                province_name=prov_name,
            )
        )
    result.sort(key=lambda v: (-v.short, v.village_code))
    return result


def _area_of(village: VillageCoverage, level: str) -> tuple[str, str]:
    """(code, Thai name) of the area at `level` that holds the village."""
    if level == "subdistrict":
        return village.subdistrict_code, f"ต.{village.subdistrict_name} อ.{village.district_name}"
    if level == "district":
        return village.district_code, f"อ.{village.district_name}"
    if level == "zone":
        zone = village.zone or ""
        return zone, ZONE_NAMES_TH.get(zone, zone)
    if level == "province":
        return village.province_code, f"จ.{village.province_name}"
    if level == "total":
        return "", TOTAL_NAME_TH
    raise ValueError(f"unknown level {level!r}")


def rollup(villages: Iterable[VillageCoverage], level: str) -> list[AreaCoverage]:
    """Sum village coverage into areas at `level`, most short first, then by code."""
    groups: dict[str, list[VillageCoverage]] = {}
    names: dict[str, str] = {}
    for village in villages:
        code, name = _area_of(village, level)
        groups.setdefault(code, []).append(village)
        names[code] = name
    areas = []
    for code, members in groups.items():
        need = sum(v.needed for v in members)
        counted = rules.capped_sum((v.ready, v.needed) for v in members)
        areas.append(
            AreaCoverage(
                level=level,
                code=code,
                name=names[code],
                households=sum(v.households or 0 for v in members),
                needed=need,
                registered=sum(v.registered for v in members),
                ready=sum(v.ready for v in members),
                villages=len(members),
                villages_short=sum(1 for v in members if v.short),
                counted=counted,
                short=sum(v.short for v in members),
                percent_ready=rules.share_ready(counted, need),
            )
        )
    areas.sort(key=lambda a: (-a.short, a.code))
    return areas


def coverage_rollup(
    session: Session,
    *,
    plan: TrainingPlan | None,
    scope: Scope,
    filters: Filters,
    today: date,
    level: str,
) -> list[AreaCoverage]:
    """Coverage summed per subdistrict, district, zone or province (villages in scope only)."""
    if level not in ROLLUP_LEVELS:
        raise ValueError(f"level must be one of {', '.join(ROLLUP_LEVELS)}")
    villages = coverage_villages(session, plan=plan, scope=scope, filters=filters, today=today)
    return rollup(villages, level)


def coverage_totals(villages: Iterable[VillageCoverage]) -> AreaCoverage:
    """One row summing every village given (the totals line of pages and exports)."""
    rows = rollup(villages, "total")
    if rows:
        return rows[0]
    return AreaCoverage("total", "", TOTAL_NAME_TH, 0, 0, 0, 0, 0, 0, 0, 0, None)
