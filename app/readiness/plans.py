"""Admins' training plans: list, create, edit and activate them, each change audited.

Every change is an audit entry, so `flask content load` (which upserts plans from
content/plans by slug) refuses to overwrite it without --force.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from ..content.audit import record
from ..content.files import SLUG
from ..content.models import BASICS, AuditEntry, Category, Indicator
from ..content.services import Changes, assign
from ..errors import DomainError
from ..quizzes.models import Attempt
from .files import PlanFile
from .models import Readiness, TrainingPlan, plan_indicators
from .progress import activate_plan, counts_under, reevaluate_plan, today_bangkok

# Re-evaluating scans every counted attempt; past this many the request queues it instead.
INLINE_ATTEMPTS = 200_000
# Changing these on the active plan changes who is ready: everyone is re-evaluated.
REEVALUATING_FIELDS = ("indicators", "passes_from")
_PLAN_ACTIONS = AuditEntry.action.in_(("plan.create", "plan.edit", "plan.activate"))


class BadSlug(DomainError):
    """A plan slug must be lower-case letters and digits joined by hyphens."""


class SlugTaken(DomainError):
    """Another plan has this slug."""


class PlanExpired(DomainError):
    """A plan whose readiness has lapsed (or lapses today) cannot be made active."""


@dataclass(frozen=True)
class PlanValues:
    """What an admin sets on a plan (the slug is set once, at creation)."""

    name_th: str
    name_en: str
    campaign_year: int
    indicator_numbers: tuple[int, ...]
    expires_on: date | None
    passes_from: date | None
    show_answers_after_fail: bool = False
    deadline: date | None = None  # the day data collection starts
    target_profile: tuple[float, ...] | None = None  # cumulative % per day; None: a line


@dataclass(frozen=True)
class PlanSummary:
    """A plan in the admins' list, with its indicator count and readiness counts."""

    plan: TrainingPlan
    indicators: int
    ready: int
    confirmed: int


def expiry_allowed(expires_on: date | None, today: date) -> bool:
    """An active plan's readiness must last beyond today (no date: it never lapses)."""
    return expires_on is None or expires_on > today


def upsert_plan(
    session: Session,
    plan: PlanFile,
    indicators: dict[int, Indicator],
    changes: Changes,
    *,
    secret: str,
    now: datetime,
) -> TrainingPlan:
    """Upsert a plan by slug (`flask content load`); a file's active plan is activated like
    an admin's (the others off, everyone re-evaluated). Once an admin has edited or
    activated plans in the app, the files no longer override that: an edited plan is left
    as it is, and no file decides which plan is active."""
    admin = [e.detail for e in session.scalars(select(AuditEntry).where(_PLAN_ACTIONS))]
    row = session.scalar(select(TrainingPlan).where(TrainingPlan.slug == plan.slug))
    created = row is None
    if row is not None and any(d.get("slug") == plan.slug for d in admin):
        changes.note("plans", False, False)
        return row
    if admin:
        plan = replace(plan, active=row.active if row is not None else False)
    if row is None:
        row = TrainingPlan(slug=plan.slug)
        session.add(row)
    numbers = plan.indicators or tuple(sorted(indicators))
    wanted = [indicators[n] for n in numbers]
    changed = assign(
        row,
        name_th=plan.name_th,
        name_en=plan.name_en,
        campaign_year=plan.campaign_year,
    )
    if plan.active != bool(row.active):
        changed = True
        row.active = False  # a file's active plan is switched on by activate_plan below
    if created or [i.number for i in row.indicators] != sorted(numbers):
        row.indicators = wanted
        changed = True
    session.flush()
    if plan.active and (changed or created):
        activate_plan(session, row, secret=secret, now=now)
    changes.note("plans", created, changed)
    return row


def list_plans(session: Session) -> list[PlanSummary]:
    """Every plan, newest campaign first, with counts from two GROUP BY queries."""
    plans = list(
        session.scalars(
            select(TrainingPlan).order_by(TrainingPlan.campaign_year.desc(), TrainingPlan.id.desc())
        )
    )
    sizes = dict(
        session.execute(
            select(plan_indicators.c.plan_id, func.count()).group_by(plan_indicators.c.plan_id)
        ).all()
    )
    counts = {
        plan_id: (ready, confirmed)
        for plan_id, ready, confirmed in session.execute(
            select(Readiness.plan_id, func.count(Readiness.id), func.count(Readiness.confirmed_at))
            .group_by(Readiness.plan_id)
        )
    }  # fmt: skip
    return [PlanSummary(p, sizes.get(p.id, 0), *counts.get(p.id, (0, 0))) for p in plans]


def get_plan(session: Session, plan_id: int) -> TrainingPlan | None:
    """A plan with its indicators."""
    stmt = (
        select(TrainingPlan)
        .where(TrainingPlan.id == plan_id)
        .options(selectinload(TrainingPlan.indicators))
    )
    return session.scalar(stmt)


def indicator_groups(session: Session) -> list[tuple[Category | None, list[Indicator]]]:
    """The indicators a plan can require: the survey basics first, then by category."""
    basics = session.scalar(select(Indicator).where(Indicator.number == BASICS))
    groups: list[tuple[Category | None, list[Indicator]]] = [(None, [basics])] if basics else []
    categories = session.scalars(
        select(Category).order_by(Category.number).options(selectinload(Category.indicators))
    )
    for category in categories:
        items = sorted((i for i in category.indicators if i.number != BASICS), key=_number)
        if items:
            groups.append((category, items))
    return groups


def _number(indicator: Indicator) -> int:
    """Sort key: the indicator's number."""
    return indicator.number


def _indicators(session: Session, numbers: tuple[int, ...]) -> list[Indicator]:
    """The indicators with these numbers, in number order."""
    stmt = select(Indicator).where(Indicator.number.in_(numbers)).order_by(Indicator.number)
    return list(session.scalars(stmt))


def _facts(values: PlanValues) -> dict[str, Any]:
    """The values as JSON-able facts for the audit trail."""
    return {
        "name_th": values.name_th,
        "name_en": values.name_en,
        "campaign_year": values.campaign_year,
        "indicators": sorted(values.indicator_numbers),
        "expires_on": values.expires_on.isoformat() if values.expires_on else None,
        "passes_from": values.passes_from.isoformat() if values.passes_from else None,
        "show_answers_after_fail": values.show_answers_after_fail,
        "deadline": values.deadline.isoformat() if values.deadline else None,
        "target_profile": list(values.target_profile) if values.target_profile else None,
    }


def _current_facts(plan: TrainingPlan) -> dict[str, Any]:
    """The plan's current values, in the same shape as `_facts`."""
    return _facts(
        PlanValues(
            name_th=plan.name_th,
            name_en=plan.name_en,
            campaign_year=plan.campaign_year,
            indicator_numbers=tuple(i.number for i in plan.indicators),
            expires_on=plan.expires_on,
            passes_from=plan.passes_from,
            show_answers_after_fail=plan.show_answers_after_fail,
            deadline=plan.deadline,
            target_profile=tuple(plan.target_profile) if plan.target_profile else None,
        )
    )


def create_plan(session: Session, *, slug: str, values: PlanValues, user_id: int) -> TrainingPlan:
    """Add an inactive plan (activating it is a separate step)."""
    if not SLUG.fullmatch(slug) or len(slug) > 80:
        raise BadSlug(slug)
    if session.scalar(select(TrainingPlan.id).where(TrainingPlan.slug == slug)) is not None:
        raise SlugTaken(slug)
    plan = TrainingPlan(
        slug=slug,
        name_th=values.name_th.strip(),
        name_en=values.name_en.strip(),
        campaign_year=values.campaign_year,
        active=False,
        expires_on=values.expires_on,
        passes_from=values.passes_from,
        show_answers_after_fail=values.show_answers_after_fail,
        deadline=values.deadline,
        target_profile=list(values.target_profile) if values.target_profile else None,
        indicators=_indicators(session, values.indicator_numbers),
    )
    session.add(plan)
    session.flush()
    record(session, user_id=user_id, action="plan.create", slug=slug, **_facts(values))
    return plan


def update_plan(
    session: Session, plan: TrainingPlan, values: PlanValues, *, user_id: int
) -> dict[str, list[Any]]:
    """Apply the admin's values; returns {field: [old, new]} of what changed (audited)."""
    before = _current_facts(plan)
    after = _facts(values)
    changes = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
    if not changes:
        return changes
    plan.name_th = values.name_th.strip()
    plan.name_en = values.name_en.strip()
    plan.campaign_year = values.campaign_year
    plan.expires_on = values.expires_on
    plan.passes_from = values.passes_from
    plan.show_answers_after_fail = values.show_answers_after_fail
    plan.deadline = values.deadline
    plan.target_profile = list(values.target_profile) if values.target_profile else None
    if "indicators" in changes:
        plan.indicators = _indicators(session, values.indicator_numbers)
    session.flush()
    record(session, user_id=user_id, action="plan.edit", slug=plan.slug, changes=changes)
    return changes


def needs_reevaluation(plan: TrainingPlan, changes: dict[str, list[Any]]) -> bool:
    """True when an edit changed who is ready under the active plan."""
    return plan.active and any(field in changes for field in REEVALUATING_FIELDS)


def activate(
    session: Session,
    plan: TrainingPlan,
    *,
    secret: str,
    now: datetime,
    user_id: int | None,
    inline_max: int = INLINE_ATTEMPTS,
) -> dict[str, int] | None:
    """Make `plan` the active one at once (audited) and re-evaluate everyone under it; None
    when there are too many attempts to do that now: the caller commits, then queues it."""
    if not expiry_allowed(plan.expires_on, today_bangkok(now)):
        raise PlanExpired(plan.slug)
    record(session, user_id=user_id, action="plan.activate", slug=plan.slug)
    inline = attempts_to_scan(session, plan) <= inline_max
    return activate_plan(session, plan, secret=secret, now=now, reevaluate=inline)


def reevaluate(
    session: Session,
    plan: TrainingPlan,
    *,
    secret: str,
    now: datetime,
    inline_max: int = INLINE_ATTEMPTS,
) -> dict[str, int] | None:
    """Re-evaluate everyone under the plan now; None when it is too big for a request and
    must be queued (after the caller's commit)."""
    if attempts_to_scan(session, plan) > inline_max:
        return None
    return reevaluate_plan(session, plan, secret=secret, now=now)


def attempts_to_scan(session: Session, plan: TrainingPlan) -> int:
    """How many submitted attempts a re-evaluation of the plan reads."""
    return session.scalar(select(func.count(Attempt.id)).where(counts_under(plan))) or 0
