"""The training plan at a glance, as the volunteer sees it (home page, readiness card)."""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ..content.models import BASICS, Category, Indicator
from .models import Readiness, TrainingPlan
from .progress import indicator_progress
from .services import get_readiness


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
    def started(self) -> bool:
        """True once the volunteer has taken any quiz of the plan (home says "continue")."""
        return any(i.status != "not_started" for i in self.items)

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
    progress = indicator_progress(session, user_id, plan) if user_id else {}
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
