"""Indicators as the volunteer's pages name them (number, titles, category), cached per
content stamp: a quiz page, a result page and a started quiz read these instead of loading
the indicator row each time (issue 16)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from .models import Indicator, IndicatorTraits
from .stamp import stamped_cache


@dataclass(frozen=True)
class CategoryHead:
    number: int
    name_th: str
    name_en: str


@dataclass(frozen=True)
class IndicatorHead(IndicatorTraits):
    """What pages read of an indicator besides its lesson."""

    id: int
    number: int
    title_th: str
    title_en: str
    status: str
    category: CategoryHead | None


def head_of(indicator: Indicator) -> IndicatorHead:
    """The head of a loaded indicator (its category loaded too)."""
    category = indicator.category
    return IndicatorHead(
        indicator.id, indicator.number, indicator.title_th, indicator.title_en,
        indicator.status,
        category and CategoryHead(category.number, category.name_th, category.name_en),
    )  # fmt: skip


def _heads(session: Session) -> dict[str, dict[int, IndicatorHead]]:
    cache = stamped_cache(session, "indicator_heads")
    if not cache:
        stmt = select(Indicator).options(selectinload(Indicator.category))
        heads = [head_of(i) for i in session.scalars(stmt)]
        cache["id"] = {h.id: h for h in heads}
        cache["number"] = {h.number: h for h in heads}
    return cache


def indicator_by_number(session: Session, number: int) -> IndicatorHead | None:
    return _heads(session)["number"].get(number)


def indicator_by_id(session: Session, indicator_id: int) -> IndicatorHead | None:
    return _heads(session)["id"].get(indicator_id)
