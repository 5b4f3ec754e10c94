"""A lesson page's published part, built once per content version and language (issue 16:
every view loaded the indicator with its clips, infographics, FAQ cards and recording guide,
found its neighbours and rendered its Markdown body, the same for every volunteer).

What a view still does per request is the volunteer's own part: the status, the clip version
(save data), the quiz form. The cache is per process, one entry per lesson and language,
replaced when the content stamp (stamp.py) moves on; the studio's preview never uses it."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from flask import current_app, render_template
from markupsafe import Markup
from sqlalchemy.orm import Session

from .models import Clip, Indicator, IndicatorTraits, Infographic
from .services import get_lesson, neighbours
from .stamp import content_stamp


@dataclass(frozen=True)
class CategoryHead:
    number: int
    name_th: str
    name_en: str


@dataclass(frozen=True)
class IndicatorHead(IndicatorTraits):
    """What the page's head and its own part read of the indicator."""

    id: int
    number: int
    title_th: str
    title_en: str
    status: str
    category: CategoryHead | None


@dataclass(frozen=True)
class ClipHead:
    path: str
    phone_path: str | None
    low_path: str | None
    poster_path: str | None
    poster_webp_path: str | None
    captions_path: str | None
    published: bool


@dataclass(frozen=True)
class InfographicHead:
    """For the Open Graph preview (the picture itself is in the cached body)."""

    path: str
    variants: list[dict[str, Any]] | None
    alt_th: str
    alt_en: str
    width: int
    height: int
    published: bool


@dataclass(frozen=True)
class LessonPage:
    indicator: Indicator | IndicatorHead
    clip: Clip | ClipHead | None
    infographic: Infographic | InfographicHead | None
    prev_number: int | None
    next_number: int | None
    body: Markup  # criterion, lesson text, recording guide, infographic, FAQ cards


_lock = threading.Lock()


def _pages() -> dict[tuple[int, str], tuple[int, LessonPage]]:
    """This app's cache (one per app: tests run apps on other databases side by side)."""
    return current_app.extensions.setdefault("bmn.lesson_pages", {})


def build_lesson_page(session: Session, number: int, *, preview: bool = False) -> LessonPage | None:
    """The page's published part from the database (preview: drafts too, marked)."""
    indicator = get_lesson(session, number)
    if indicator is None:
        return None

    def shown(item: Any) -> bool:
        return item.published or (preview and item.archived_at is None)

    # The one published clip (the studio's preview falls back to a ready draft).
    clip = next(
        (
            c
            for c in sorted(indicator.clips, key=lambda c: not c.published)
            if shown(c) and c.state == "ready"
        ),
        None,
    )
    infographic = next((i for i in indicator.infographics if shown(i)), None)
    body = Markup(  # noqa: S704 - a template's output, escaped by Jinja
        render_template(
            "content/_lesson_body.html",
            indicator=indicator,
            infographic=infographic,
            faq_cards=[c for c in indicator.faq_cards if shown(c)],
            preview=preview,
        )
    )
    prev_number, next_number = neighbours(session, number)
    return LessonPage(indicator, clip, infographic, prev_number, next_number, body)


def _frozen(page: LessonPage) -> LessonPage:
    """The page without ORM objects, safe to keep past its session."""
    indicator, clip, infographic = page.indicator, page.clip, page.infographic
    category = indicator.category
    return LessonPage(
        indicator=IndicatorHead(
            indicator.id, indicator.number, indicator.title_th, indicator.title_en,
            indicator.status,
            category and CategoryHead(category.number, category.name_th, category.name_en),
        ),
        clip=clip and ClipHead(
            clip.path, clip.phone_path, clip.low_path, clip.poster_path,
            clip.poster_webp_path, clip.captions_path, clip.published,
        ),
        infographic=infographic and InfographicHead(
            infographic.path, infographic.variants, infographic.alt_th, infographic.alt_en,
            infographic.width, infographic.height, infographic.published,
        ),
        prev_number=page.prev_number,
        next_number=page.next_number,
        body=page.body,
    )  # fmt: skip


def lesson_page(session: Session, number: int, locale: str) -> LessonPage | None:
    """The published part of a lesson page, from the cache while the content stamp holds.
    The stamp is read before the content, so a page is never older than its stamp."""
    stamp = content_stamp(session)
    pages = _pages()
    cached = pages.get((number, locale))
    if cached is not None and cached[0] == stamp:
        return cached[1]
    page = build_lesson_page(session, number)
    if page is None:
        return None
    page = _frozen(page)
    with _lock:
        pages[(number, locale)] = (stamp, page)
    return page


def forget_lesson_pages() -> None:
    """Empty the cache (tests that rewrite tables below the ORM)."""
    with _lock:
        _pages().clear()
