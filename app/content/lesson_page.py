"""A lesson page's published part, built once per content version and language (issue 16:
every view loaded the indicator with its clips, infographics, FAQ cards and recording guide,
found its neighbours and rendered its Markdown body, the same for every volunteer).

What a view still does per request is the volunteer's own part: the status, the clip version
(save data), the quiz form. The cache is per process, one entry per lesson and language,
replaced when the content stamp (stamp.py) moves on; the studio's preview never uses it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import render_template
from markupsafe import Markup
from sqlalchemy.orm import Session

from .heads import IndicatorHead, head_of
from .models import Clip, Indicator, Infographic
from .services import get_lesson, neighbours
from .stamp import stamped_cache


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
    return LessonPage(
        indicator=head_of(indicator),
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
    pages = stamped_cache(session, "lesson_pages")
    page = pages.get((number, locale))
    if page is None:
        built = build_lesson_page(session, number)
        if built is None:
            return None
        page = pages[(number, locale)] = _frozen(built)
    return page
