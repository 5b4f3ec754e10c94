"""Content services: upserting the indicator list and lessons, reading them for pages."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, selectinload

from .files import Faq, IndicatorRow, Lesson
from .models import BASICS, Category, Clip, FaqCard, Indicator, Infographic, Recording
from .text import plain_paragraphs, quoted_question

T = TypeVar("T")


@dataclass
class Changes:
    """What a load created and changed, per kind of row."""

    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)

    def note(self, kind: str, created: bool, changed: bool) -> None:
        """Count one row."""
        if created:
            self.created[kind] = self.created.get(kind, 0) + 1
        elif changed:
            self.updated[kind] = self.updated.get(kind, 0) + 1

    @property
    def total(self) -> int:
        """Rows created or changed in all."""
        return sum(self.created.values()) + sum(self.updated.values())


def assign(obj: Any, **values: Any) -> bool:
    """Set attributes that differ; True when anything changed (so a re-load writes nothing)."""
    changed = False
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    return changed


def get_or_add(
    session: Session, existing: dict[Any, T], key: Any, make: Callable[[], T]
) -> tuple[T, bool]:
    """The row under key in existing, or a new one from make(), added to the session and to
    existing; the flag says whether it was created."""
    row = existing.get(key)
    if row is not None:
        return row, False
    row = existing[key] = make()
    session.add(row)
    return row, True


def upsert_indicators(
    session: Session, rows: list[IndicatorRow], changes: Changes, *, source: str = "content"
) -> dict[int, Indicator]:
    """Upsert categories and indicators by number.

    From content/indicators.csv (source "content") the wording of an indicator that an
    administrator imported from the official list, or a trainer edited or confirmed in the
    studio, is left as it is.
    """
    categories = {c.number: c for c in session.scalars(select(Category))}
    indicators = {i.number: i for i in session.scalars(select(Indicator))}
    for row in rows:
        category, created = get_or_add(
            session, categories, row.category, lambda r=row: Category(number=r.category)
        )
        changes.note(
            "categories",
            created,
            assign(category, name_th=row.category_th, name_en=row.category_en),
        )
        indicator, created = get_or_add(
            session, indicators, row.number, lambda r=row: Indicator(number=r.number)
        )
        if not created and source == "content" and indicator.wording_source != "content":
            continue
        changed = assign(
            indicator,
            category_number=row.category,
            title_th=row.title_th,
            title_en=row.title_en,
            target_group_th=row.target_group_th,
            criterion_th=row.criterion_th,
            status=row.status,
            wording_source=source,
        )
        changes.note("indicators", created, changed)
    session.flush()
    return indicators


def upsert_basics(
    session: Session, indicators: dict[int, Indicator], lesson: Lesson, changes: Changes
) -> Indicator:
    """The survey basics lesson (number 0, no category), titled by its own lesson file."""
    basics, created = get_or_add(
        session, indicators, BASICS, lambda: Indicator(number=BASICS, status="official")
    )
    changed = assign(
        basics,
        category_number=None,
        title_th=lesson.title_th,
        title_en=lesson.title_en,
        target_group_th="",
        criterion_th="",
    )
    changes.note("basics", created, changed)
    session.flush()
    return basics


def upsert_lesson(session: Session, indicator: Indicator, lesson: Lesson, changes: Changes) -> None:
    """Copy the lesson sections onto the indicator."""
    changed = assign(
        indicator,
        measures=lesson.measures,
        target_group=lesson.target_group,
        how_to_ask=lesson.how_to_ask,
        how_to_record=lesson.how_to_record,
        pitfalls=lesson.pitfalls,
    )
    changes.note("lessons", False, changed)


def upsert_faqs(session: Session, indicator: Indicator, cards: list[Faq], changes: Changes) -> None:
    """Upsert FAQ cards by slug; a card gone from the files is unpublished, not deleted."""
    existing = {c.slug: c for c in indicator.faq_cards}
    for position, card in enumerate(cards, start=1):
        row = existing.pop(card.slug, None)
        created = row is None
        if row is None:
            row = FaqCard(indicator=indicator, slug=card.slug)
            session.add(row)
        changed = assign(
            row, position=position, title_th=card.title, body=card.body, published=True
        )
        changes.note("faq_cards", created, changed)
    for row in existing.values():
        changes.note("faq_cards", False, assign(row, published=False))


@dataclass(frozen=True)
class SummaryRow:
    """One indicator on a category's pocket summary page."""

    indicator: Indicator
    question: str  # what the interviewer asks ("" when the lesson is not written yet)
    pitfall: str  # the top common mistake ("" when none is written)


def pocket_summary(
    session: Session, category_number: int
) -> tuple[Category, list[SummaryRow]] | None:
    """A category's indicators with the question to ask and the top pitfall, from the lessons,
    and their questionnaire items and pass rule (on each indicator's `recording`)."""
    category = session.scalar(
        select(Category)
        .where(Category.number == category_number)
        .options(
            selectinload(Category.indicators)
            .selectinload(Indicator.recording)
            .selectinload(Recording.items)
        )
    )
    if category is None:
        return None
    rows = []
    for indicator in category.indicators:
        asked = plain_paragraphs(indicator.how_to_ask)
        question = quoted_question(asked) or (asked[0] if asked else "")
        pitfalls = plain_paragraphs(indicator.pitfalls)
        rows.append(SummaryRow(indicator, question, pitfalls[0] if pitfalls else ""))
    return category, rows


def list_categories(session: Session) -> list[Category]:
    """The categories with their indicators, in order."""
    stmt = select(Category).order_by(Category.number).options(selectinload(Category.indicators))
    return list(session.scalars(stmt))


VIDEO_SUFFIXES = (".mp4", ".webm")


def is_served_video(session: Session, key: str) -> bool:
    """True when a stored video is some clip's phone rendition or low-data version, the only
    video files volunteers are given: an original upload keeps what the phone that recorded
    it wrote (the place, the time, the device) and is for the studio alone."""
    stmt = select(Clip.id).where(or_(Clip.phone_path == key, Clip.low_path == key)).limit(1)
    return session.scalar(stmt) is not None


def volunteer_clip(clip: Clip | None, save_data: bool) -> str | None:
    """The storage key of the clip version a volunteer plays: the low-data version when
    saving data (the phone rendition when there is none yet), else the phone rendition;
    None until the phone rendition is made (never the original upload)."""
    if clip is None or clip.phone_path is None:
        return None
    if save_data and clip.low_path and clip.low_path != clip.path:
        return clip.low_path
    return clip.phone_path


def get_lesson(session: Session, number: int) -> Indicator | None:
    """An indicator with everything its lesson page shows."""
    stmt = (
        select(Indicator)
        .where(Indicator.number == number)
        .options(
            selectinload(Indicator.clips),
            selectinload(Indicator.infographics),
            selectinload(Indicator.faq_cards),
            selectinload(Indicator.category),
            selectinload(Indicator.recording).selectinload(Recording.items),
        )
    )
    return session.scalar(stmt)


def get_indicator(session: Session, number: int) -> Indicator | None:
    """An indicator by number, without its lesson's parts (for a quiz started from it)."""
    return session.scalar(select(Indicator).where(Indicator.number == number))


def neighbours(session: Session, number: int) -> tuple[int | None, int | None]:
    """The previous and next indicator numbers, for lesson navigation."""
    prev, nxt = session.execute(
        select(
            func.max(Indicator.number).filter(Indicator.number < number),
            func.min(Indicator.number).filter(Indicator.number > number),
        )
    ).one()
    return prev, nxt


def published_counts(session: Session) -> dict[int, dict[str, int]]:
    """Per indicator id: how many published clips, infographics and FAQ cards."""
    counts: dict[int, dict[str, int]] = {}
    for kind, model in (("clips", Clip), ("infographics", Infographic), ("faq_cards", FaqCard)):
        stmt = (
            select(model.indicator_id, func.count())
            .where(model.published.is_(True))
            .group_by(model.indicator_id)
        )
        for indicator_id, count in session.execute(stmt):
            counts.setdefault(indicator_id, {})[kind] = count
    return counts
