"""What a phone saves for offline use, and the content version it compares to refresh it."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from ..content.models import (
    BASICS,
    Category,
    Clip,
    FaqCard,
    Indicator,
    Infographic,
    Recording,
    RecordingItem,
)
from ..content.services import volunteer_clip
from ..quizzes.models import Choice, Question, Quiz
from .rules import Scope, estimate_page, pick_variant

SUMMARY_ROW = 3000  # bytes per indicator on a pocket summary, measured on the shipped ones

# Columns whose published values a saved page shows: any change gives a new content version.
INDICATOR_COLUMNS = (
    "number",
    "category_number",
    "title_th",
    "title_en",
    "target_group_th",
    "criterion_th",
    "status",
    "measures",
    "target_group",
    "how_to_ask",
    "how_to_record",
    "pitfalls",
)


def content_version(session: Session, salt: str = "") -> str:
    """A short hash of everything published that a saved page or quiz shows: a trainer's
    publish, edit or archive of a lesson, FAQ card, clip, infographic or question changes it.
    `salt` (the CSS and JS fingerprints) makes a deploy of new page code change it too."""
    digest = hashlib.sha256(salt.encode())

    def add(rows: Any) -> None:
        for row in rows:
            digest.update(json.dumps(list(row), default=str, ensure_ascii=False).encode())

    columns = [getattr(Indicator, name) for name in INDICATOR_COLUMNS]
    add(session.execute(select(*columns).order_by(Indicator.number)))
    add(session.execute(select(Category.number, Category.name_th, Category.name_en)))
    add(
        session.execute(
            select(FaqCard.id, FaqCard.slug, FaqCard.position, FaqCard.title_th, FaqCard.body)
            .where(FaqCard.published.is_(True), FaqCard.archived_at.is_(None))
            .order_by(FaqCard.id)
        )
    )
    add(
        session.execute(
            select(
                Clip.id,
                Clip.path,
                Clip.phone_path,
                Clip.low_path,
                Clip.poster_path,
                Clip.captions_path,
            )  # fmt: skip
            .where(Clip.published.is_(True), Clip.state == "ready", Clip.archived_at.is_(None))
            .order_by(Clip.id)
        )
    )
    add(
        session.execute(
            select(Infographic.id, Infographic.path, Infographic.alt_th, Infographic.variants)
            .where(Infographic.published.is_(True), Infographic.archived_at.is_(None))
            .order_by(Infographic.id)
        )
    )
    add(
        session.execute(
            select(Recording.id, Recording.pass_rule_th, Recording.mistakes_th).order_by(
                Recording.id
            )
        )
    )
    add(
        session.execute(
            select(
                RecordingItem.id,
                RecordingItem.label,
                RecordingItem.question_th,
                RecordingItem.answers,
                RecordingItem.skip_rule_th,
            ).order_by(RecordingItem.id)
        )
    )
    add(
        session.execute(
            select(Question.id, Question.text, Question.explanation)
            .where(Question.published.is_(True), Question.archived_at.is_(None))
            .order_by(Question.id)
        )
    )
    add(session.execute(select(Choice.id, Choice.text, Choice.correct).order_by(Choice.id)))
    add(session.execute(select(Quiz.id, Quiz.pass_mark, Quiz.draw_size).order_by(Quiz.id)))
    return digest.hexdigest()[:16]


@dataclass
class MediaFile:
    """A media file to save: its storage key and size; `aliases` are the keys a saved page
    may ask for instead (other widths of an infographic, a clip's phone rendition for its
    low-data version)."""

    key: str
    size: int
    aliases: list[str] = field(default_factory=list)


@dataclass
class SavePlan:
    """Everything a scope saves: lesson numbers (with their estimated page size), the
    categories whose pocket summary is saved, media, clips (optional) and the quizzes."""

    lessons: dict[int, int] = field(default_factory=dict)
    categories: list[int] = field(default_factory=list)
    media: list[MediaFile] = field(default_factory=list)
    clips: list[MediaFile] = field(default_factory=list)
    quizzes: list[int] = field(default_factory=list)
    summaries: dict[int, int] = field(default_factory=dict)


def category_numbers(session: Session) -> set[int]:
    """The numbers of the categories."""
    return set(session.scalars(select(Category.number)))


def _indicators(session: Session, scope: Scope) -> list[Indicator]:
    """The scope's indicators with the material their lesson pages show."""
    stmt = (
        select(Indicator)
        .options(
            selectinload(Indicator.clips),
            selectinload(Indicator.infographics),
            selectinload(Indicator.faq_cards),
            selectinload(Indicator.recording).selectinload(Recording.items),
        )
        .order_by(Indicator.number)
    )
    if scope.kind == "basics":
        stmt = stmt.where(Indicator.number == BASICS)
    elif scope.kind == "category":
        stmt = stmt.where(Indicator.category_number == scope.category)
    return list(session.scalars(stmt))


def _shown(item: Any) -> bool:
    """True for a clip, infographic or FAQ card volunteers see (published, not archived)."""
    return bool(item.published and item.archived_at is None)


def plan_save(
    session: Session, scope: Scope, width: int, size_of: Callable[[str], int]
) -> SavePlan:
    """What saving `scope` downloads on a screen `width` device pixels wide: `size_of` gives
    a stored media file's size in bytes."""
    plan = SavePlan()
    indicators = _indicators(session, scope)
    with_quiz = set(session.scalars(select(Quiz.indicator_id)))
    for indicator in indicators:
        cards = [c for c in indicator.faq_cards if _shown(c)]
        plan.lessons[indicator.number] = estimate_page(
            indicator.measures,
            indicator.target_group,
            indicator.how_to_ask,
            indicator.how_to_record,
            indicator.pitfalls,
            *(c.title_th + c.body for c in cards),
        ) + recording_bytes(indicator.recording)
        if indicator.id in with_quiz:
            plan.quizzes.append(indicator.number)
        infographic = next((i for i in indicator.infographics if _shown(i)), None)
        if infographic is not None:
            variant = pick_variant(infographic.variants or [], width)
            if variant is None:
                plan.media.append(MediaFile(infographic.path, infographic.size))
            else:
                others = [infographic.path] + [
                    v[kind]
                    for v in infographic.variants
                    for kind in ("webp", "jpeg")
                    if v[kind] != variant["webp"]
                ]
                plan.media.append(MediaFile(variant["webp"], variant["webp_size"], others))
        clip = next((c for c in indicator.clips if _shown(c) and c.state == "ready"), None)
        # The low-data version (the phone rendition until it is made); a clip without its
        # phone rendition is not on the page yet, and the original upload is never saved.
        key = volunteer_clip(clip, save_data=True)
        if clip is not None and key is not None:
            # The poster the page shows (WebP where made) and the captions its <track> loads
            # are part of the lesson; the clip itself is saved only when asked for.
            poster = clip.poster_webp_path or clip.poster_path
            if poster:
                plan.media.append(MediaFile(poster, size_of(poster)))
            if clip.captions_path:
                plan.media.append(MediaFile(clip.captions_path, size_of(clip.captions_path)))
            size = (clip.low_size if key == clip.low_path else clip.phone_size) or size_of(key)
            aliases = [clip.phone_path] if clip.phone_path and key != clip.phone_path else []
            plan.clips.append(MediaFile(key, size, aliases))
    if scope.kind == "category" and scope.category is not None:
        plan.categories = [scope.category]
    elif scope.kind == "all":
        plan.categories = sorted(category_numbers(session))
    plan.summaries = {c: summary_bytes(session, c) for c in plan.categories}
    return plan


def recording_bytes(recording: Recording | None) -> int:
    """About how many bytes a lesson's questionnaire items add to its page: their text and
    the markup of each answer box (measured on the shipped lessons)."""
    if recording is None:
        return 0
    size = len(
        (recording.pass_rule_th + recording.not_assessed_th + recording.mistakes_th).encode()
    )
    for item in recording.items:
        text = item.question_th + item.skip_rule_th + "".join(item.answers)
        size += len(text.encode()) + 120 * (len(item.answers) + 1)
    return size


def summary_bytes(session: Session, category: int) -> int:
    """About how many bytes a category's pocket summary weighs."""
    count = session.scalar(
        select(func.count()).select_from(Indicator).where(Indicator.category_number == category)
    )
    return estimate_page() + SUMMARY_ROW * (count or 0)
