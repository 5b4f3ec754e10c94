"""Readiness services: plans, the training overview, recording readiness once."""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlalchemy import select, update
from sqlalchemy.orm import Session, selectinload

from ..areas.access import scope_people
from ..areas.models import Village
from ..auth.models import User
from ..content.models import BASICS, AuditEntry, Category, Indicator
from ..content.services import Changes, assign
from ..quizzes.services import progress_by_indicator
from .files import PlanFile
from .models import Readiness, TrainingPlan

_PLAN_ACTIONS = AuditEntry.action.in_(("plan.create", "plan.edit", "plan.activate"))


def upsert_plan(
    session: Session, plan: PlanFile, indicators: dict[int, Indicator], changes: Changes
) -> TrainingPlan:
    """Upsert a plan by slug; an active plan deactivates the others. Once an admin has
    edited or activated plans in the app, the files no longer override that: an edited plan
    is left as it is, and no file decides which plan is active."""
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
        active=plan.active,
    )
    if created or [i.number for i in row.indicators] != sorted(numbers):
        row.indicators = wanted
        changed = True
    session.flush()
    if plan.active:
        session.execute(
            update(TrainingPlan)
            .where(TrainingPlan.id != row.id, TrainingPlan.active.is_(True))
            .values(active=False)
        )
    changes.note("plans", created, changed)
    return row


def active_plan(session: Session) -> TrainingPlan | None:
    """The plan volunteers train for now."""
    stmt = (
        select(TrainingPlan)
        .where(TrainingPlan.active.is_(True))
        .options(selectinload(TrainingPlan.indicators))
    )
    return session.scalar(stmt)


def get_readiness(session: Session, user_id: int, plan_id: int) -> Readiness | None:
    """The user's readiness record for a plan, if any."""
    stmt = select(Readiness).where(Readiness.user_id == user_id, Readiness.plan_id == plan_id)
    return session.scalar(stmt)


def find_by_code(
    session: Session, code: str, *, role: str, area_code: str | None
) -> Readiness | None:
    """The readiness record with this code (case and dash tolerant), within the viewer's area."""
    clean = code.strip().upper().replace(" ", "").replace("-", "")
    if len(clean) != 8:
        return None
    stmt = (
        select(Readiness)
        .join(User, User.id == Readiness.user_id)
        .join(Village, Village.id == User.village_id)
        .where(Readiness.code == f"{clean[:4]}-{clean[4:]}")
    )
    return session.scalar(scope_people(stmt, role=role, area_code=area_code))


@dataclass(frozen=True)
class IndicatorItem:
    """An indicator on the home page with the user's status."""

    indicator: Indicator
    status: str


@dataclass(frozen=True)
class CategoryItem:
    """A category's indicators in the plan, with progress."""

    category: Category
    items: list[IndicatorItem]

    @property
    def passed(self) -> int:
        return sum(i.status == "passed" for i in self.items)

    @property
    def percent(self) -> int:
        return round(100 * self.passed / len(self.items)) if self.items else 0


@dataclass(frozen=True)
class Overview:
    """The training plan at a glance."""

    plan: TrainingPlan | None
    basics: IndicatorItem | None  # the survey basics lesson, taken first
    categories: list[CategoryItem]
    next_number: int | None
    readiness: Readiness | None

    @property
    def items(self) -> list[IndicatorItem]:
        """Every lesson unit in order: the basics, then the indicators by category."""
        head = [self.basics] if self.basics else []
        return head + [item for c in self.categories for item in c.items]

    @property
    def total(self) -> int:
        return len(self.items)

    @property
    def passed(self) -> int:
        return sum(i.status == "passed" for i in self.items)

    @property
    def percent(self) -> int:
        return round(100 * self.passed / self.total) if self.total else 0


def training_overview(session: Session, user_id: int | None, plan: TrainingPlan | None) -> Overview:
    """Categories and indicators of the plan (all when there is none) with the user's badges."""
    categories = list(
        session.scalars(
            select(Category).order_by(Category.number).options(selectinload(Category.indicators))
        )
    )
    progress = progress_by_indicator(session, user_id) if user_id else {}
    in_plan = {i.id for i in plan.indicators} if plan else None

    def item(indicator: Indicator) -> IndicatorItem:
        status = progress[indicator.id].status if indicator.id in progress else "not_started"
        return IndicatorItem(indicator, status)

    items_by_category = []
    for category in categories:
        items = [item(i) for i in category.indicators if in_plan is None or i.id in in_plan]
        if items:
            items_by_category.append(CategoryItem(category, items))
    basics = session.scalar(select(Indicator).where(Indicator.number == BASICS))
    overview = Overview(
        plan=plan,
        basics=item(basics) if basics and (in_plan is None or basics.id in in_plan) else None,
        categories=items_by_category,
        next_number=None,
        readiness=get_readiness(session, user_id, plan.id) if user_id and plan else None,
    )
    ordered = overview.items
    todo = [i for i in ordered if i.status == "in_progress"] or [
        i for i in ordered if i.status == "not_started"
    ]
    return replace(overview, next_number=todo[0].indicator.number if todo else None)
