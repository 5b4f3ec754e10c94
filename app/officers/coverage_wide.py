"""Coverage over a scope wider than one province (an admin's whole country, a region): the
stored per-village counts (`readiness.counts`) summed and ordered by the database, so a page
reads the 100 villages or the areas it shows and one totals row, never 8,000 villages.

The per-village rules are those of `rules.py` (needed at 1:40 rounded up, ready counted up
to needed, the shortfall), written here as SQL for the sums and the order; the rows shown are
built with `rules.py` itself, and tests check that both ways give the same figures."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import and_, case, func, literal, select
from sqlalchemy.orm import Session

from ..areas.access import Scope, code_range
from ..areas.models import District, Province, Subdistrict, Village
from ..readiness.models import TrainingPlan, VillageReadyCount, VillageVolunteerCount
from ..readiness.progress import is_expired
from . import rules
from .coverage import TOTAL_NAME_TH, ZONE_NAMES_TH, AreaCoverage, VillageCoverage
from .filters import Filters

_REGISTERED = VillageVolunteerCount.__table__
_READY = VillageReadyCount.__table__
_RATIO = rules.HOUSEHOLDS_PER_VOLUNTEER


def _figures(plan: TrainingPlan | None, today: date) -> dict[str, Any]:
    """SQL for one village's registered, ready, needed and short (rules.py's rules)."""
    ready: Any = literal(0)
    if plan is not None and not is_expired(plan, today):
        ready = func.coalesce(_READY.c.ready, 0)
    needed = case((Village.households > 0, (Village.households + _RATIO - 1) // _RATIO), else_=0)
    return {
        "registered": func.coalesce(_REGISTERED.c.registered, 0),
        "ready": ready,
        "needed": needed,
        "short": case((needed > ready, needed - ready), else_=0),
    }


def _villages(
    session: Session,
    plan: TrainingPlan | None,
    scope: Scope,
    filters: Filters,
    *columns: Any,
) -> Any:
    """select(columns) over the villages in scope and filters, with their areas and their
    stored counts under the plan outer-joined."""
    plan_id = plan.id if plan is not None else None
    stmt = (
        select(*columns)
        .select_from(Village)
        .join(Subdistrict, Subdistrict.code == Village.subdistrict_code)
        .join(District, District.code == Subdistrict.district_code)
        .join(Province, Province.code == District.province_code)
        .outerjoin(_REGISTERED, _REGISTERED.c.village_id == Village.id)
        .outerjoin(_READY, and_(_READY.c.village_id == Village.id, _READY.c.plan_id == plan_id))
    )
    stmt = filters.areas(scope.villages(stmt), session)
    return stmt.where(code_range(filters.area_code or scope.prefix or ""))


def village_page(
    session: Session,
    *,
    plan: TrainingPlan | None,
    scope: Scope,
    filters: Filters,
    today: date,
    page: int,
    per_page: int,
) -> list[VillageCoverage]:
    """One page of villages, the most short of ready volunteers first (then by code)."""
    f = _figures(plan, today)
    stmt = _villages(
        session, plan, scope, filters,
        Village.code, Village.name_th, Village.moo, Village.households, Subdistrict.code,
        Subdistrict.name_th, District.code, District.name_th, District.zone, Province.code,
        Province.name_th, f["registered"], f["ready"],
    )  # fmt: skip
    stmt = stmt.order_by(f["short"].desc(), Village.code)
    stmt = stmt.limit(per_page).offset((max(page, 1) - 1) * per_page)
    result = []
    for row in session.execute(stmt):
        (code, name, moo, households, sub_code, sub_name, dist_code, dist_name, zone,
         prov_code, prov_name, registered, ready) = row  # fmt: skip
        need = rules.needed(households)
        result.append(
            VillageCoverage(
                village_code=code, village_name=name, moo=moo, subdistrict_code=sub_code,
                subdistrict_name=sub_name, district_code=dist_code, district_name=dist_name,
                zone=zone, households=households, needed=need, registered=registered,
                ready=ready, short=rules.short(need, ready),
                percent_ready=rules.share_ready(ready, need), province_code=prov_code,
                province_name=prov_name,
            )
        )  # fmt: skip
    return result


def _groups(level: str) -> tuple[list[Any], Any]:
    """(GROUP BY columns, a function of a result row giving (code, Thai name))."""
    if level == "province":
        return [Province.code, Province.name_th], lambda r: (r[0], f"จ.{r[1]}")
    if level == "district":
        return [District.code, District.name_th], lambda r: (r[0], f"อ.{r[1]}")
    if level == "subdistrict":
        return [Subdistrict.code, Subdistrict.name_th, District.name_th], lambda r: (
            r[0],
            f"ต.{r[1]} อ.{r[2]}",
        )
    if level == "zone":
        return [District.zone], lambda r: (r[0] or "", ZONE_NAMES_TH.get(r[0] or "", r[0]))
    if level == "total":
        return [], lambda r: ("", TOTAL_NAME_TH)
    raise ValueError(f"unknown level {level!r}")


def area_rows(
    session: Session,
    *,
    plan: TrainingPlan | None,
    scope: Scope,
    filters: Filters,
    today: date,
    level: str,
) -> list[AreaCoverage]:
    """Coverage summed per area at `level` ("total": one row), most short first, by code."""
    f = _figures(plan, today)
    groups, label = _groups(level)
    sums = [
        func.coalesce(func.sum(Village.households), 0),
        func.coalesce(func.sum(f["needed"]), 0),
        func.coalesce(func.sum(f["registered"]), 0),
        func.coalesce(func.sum(f["ready"]), 0),
        func.count(Village.id),
        func.coalesce(func.sum(case((f["short"] > 0, 1), else_=0)), 0),
        func.coalesce(func.sum(f["short"]), 0),
    ]
    stmt = _villages(session, plan, scope, filters, *groups, *sums)
    if groups:
        stmt = stmt.group_by(*groups)
    areas = []
    for row in session.execute(stmt):
        households, needed, registered, ready, villages, villages_short, short = row[len(groups) :]
        if not villages:
            continue
        counted = needed - short  # per village: min(ready, needed) = needed - shortfall
        code, name = label(row)
        areas.append(
            AreaCoverage(
                level=level, code=code, name=name, households=households, needed=needed,
                registered=registered, ready=ready, villages=villages,
                villages_short=villages_short, counted=counted, short=short,
                percent_ready=rules.share_ready(counted, needed),
            )
        )  # fmt: skip
    areas.sort(key=lambda a: (-a.short, a.code))
    return areas


def totals(
    session: Session, *, plan: TrainingPlan | None, scope: Scope, filters: Filters, today: date
) -> AreaCoverage:
    """One row summing every village in scope and filters."""
    rows = area_rows(session, plan=plan, scope=scope, filters=filters, today=today, level="total")
    return sum_areas(rows)


def sum_areas(areas: list[AreaCoverage]) -> AreaCoverage:
    """The totals row of areas that do not overlap (every figure is a sum per village)."""
    fields = ("households", "needed", "registered", "ready", "villages", "villages_short",
              "counted", "short")  # fmt: skip
    sums = {name: sum(getattr(a, name) for a in areas) for name in fields}
    share = rules.share_ready(sums["counted"], sums["needed"])
    return AreaCoverage(level="total", code="", name=TOTAL_NAME_TH, percent_ready=share, **sums)
