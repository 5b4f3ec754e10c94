"""Top villages, subdistricts and districts by the share of needed volunteers who are ready.

Share and order follow `rules.py`: ready counted up to needed per village (and summed over
villages for wider areas), higher share first, then the earlier moment the area reached
100%, then the code. An area reaches 100% when the N-th of its ready volunteers became ready
(N = needed), found with ROW_NUMBER() over readiness times per village (SQLite >= 3.25 and
PostgreSQL); a wider area reaches 100% when its last village does. Areas with no share
(nothing needed) or a share of 0 are not ranked, and only areas lying wholly inside the
viewer's scope are ranked at each level.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..areas.access import Scope, code_range
from ..areas.models import Village
from ..auth.models import User
from ..readiness.models import Readiness, TrainingPlan
from ..readiness.progress import is_expired, volunteer_rows
from . import rules
from .coverage import VillageCoverage, coverage_villages
from .filters import Filters

RANKED_LEVELS = ("village", "subdistrict", "district")
TOP = 5


@dataclass(frozen=True)
class RankedArea:
    """An area's place in its level's ranking."""

    rank: int
    level: str
    code: str
    name: str  # Thai name
    share: float  # 0-100
    counted: int  # ready volunteers counted (at most needed, per village)
    ready: int
    needed: int
    reached_at: datetime | None  # when it reached 100%; None below 100%


def village_reached_at(
    session: Session, *, plan: TrainingPlan, scope: Scope, today: date
) -> dict[str, datetime]:
    """{village code: when its N-th ready volunteer became ready} for villages at 100%
    (N = volunteers needed), in one windowed query."""
    if is_expired(plan, today):
        return {}
    position = (
        func.row_number()
        .over(partition_by=User.village_id, order_by=(Readiness.ready_at, Readiness.id))
        .label("position")
    )
    ordered = (
        volunteer_rows(
            plan,
            scope,
            Village.code.label("code"),
            Village.households.label("households"),
            Readiness.ready_at.label("ready_at"),
            position,
        )
        .where(Readiness.id.is_not(None), Village.households > 0)
        .where(code_range(scope.prefix or ""))  # lets the database use the code index
        .subquery()
    )
    per = rules.HOUSEHOLDS_PER_VOLUNTEER
    stmt = select(ordered.c.code, ordered.c.ready_at).where(
        ordered.c.position == (ordered.c.households + (per - 1)) // per
    )
    return {code: _aware(when) for code, when in session.execute(stmt)}


def _village_name(v: VillageCoverage) -> str:
    return f"หมู่ {v.moo} {v.village_name} ต.{v.subdistrict_name} อ.{v.district_name}"


def _group(
    villages: list[VillageCoverage], reached: dict[str, datetime], level: str
) -> list[tuple[str, str, float | None, int, int, int, datetime | None]]:
    """(code, name, share, counted, ready, needed, reached_at) per area at `level`."""
    if level == "village":
        return [
            (v.village_code, _village_name(v), v.percent_ready, v.counted, v.ready, v.needed,
             reached.get(v.village_code))
            for v in villages
        ]  # fmt: skip
    groups: dict[str, list[VillageCoverage]] = {}
    names: dict[str, str] = {}
    for v in villages:
        if level == "subdistrict":
            code, name = v.subdistrict_code, f"ต.{v.subdistrict_name} อ.{v.district_name}"
        else:
            code, name = v.district_code, f"อ.{v.district_name}"
        groups.setdefault(code, []).append(v)
        names[code] = name
    rows = []
    for code, members in groups.items():
        need = sum(v.needed for v in members)
        counted = rules.capped_sum((v.ready, v.needed) for v in members)
        when = rules.reached_full_at((v.needed, reached.get(v.village_code)) for v in members)
        rows.append(
            (code, names[code], rules.share_ready(counted, need), counted,
             sum(v.ready for v in members), need, when)
        )  # fmt: skip
    return rows


def rank_areas(
    villages: list[VillageCoverage],
    reached: dict[str, datetime],
    scope: Scope,
    level: str,
    top: int = TOP,
    min_needed: int = 1,
) -> list[RankedArea]:
    """The top areas of one level, from village coverage and villages' 100% moments; areas
    needing fewer than `min_needed` volunteers are left out."""
    rows = [
        row
        for row in _group(villages, reached, level)
        # a share above 0, big enough, wholly inside the scope
        if row[2] and rules.rankable(row[5], min_needed) and scope.allows(row[0])
    ]
    rows.sort(key=lambda r: rules.ranking_key(r[2], r[6], r[0], counted=r[3]))
    return [
        RankedArea(
            rank=index,
            level=level,
            code=code,
            name=name,
            share=share or 0.0,
            counted=counted,
            ready=ready,
            needed=need,
            reached_at=when,
        )
        for index, (code, name, share, counted, ready, need, when) in enumerate(rows[:top], 1)
    ]


def rankings(
    session: Session,
    *,
    plan: TrainingPlan | None,
    scope: Scope,
    today: date,
    top: int = TOP,
    min_needed: int = 1,
) -> dict[str, list[RankedArea]]:
    """The top villages, subdistricts and districts within the scope (empty without a plan)."""
    if plan is None:
        return {level: [] for level in RANKED_LEVELS}
    villages = coverage_villages(session, plan=plan, scope=scope, filters=Filters(), today=today)
    reached = village_reached_at(session, plan=plan, scope=scope, today=today)
    return {
        level: rank_areas(villages, reached, scope, level, top, min_needed)
        for level in RANKED_LEVELS
    }


def ranked_area(
    session: Session,
    *,
    plan: TrainingPlan | None,
    scope: Scope,
    today: date,
    level: str,
    code: str,
    min_needed: int = 1,
) -> RankedArea | None:
    """The area's entry if it is currently in the top of its level within the scope."""
    if level not in RANKED_LEVELS:
        return None
    ranked = rankings(session, plan=plan, scope=scope, today=today, min_needed=min_needed)
    for area in ranked[level]:
        if area.code == code:
            return area
    return None


def _aware(value: datetime | str) -> datetime:
    """Window-query datetimes can come back naive (or as text) on SQLite: they are UTC."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value
