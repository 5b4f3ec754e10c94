"""The whole content tree at once: loading it (one transaction) and checking it for gaps."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path

from flask import current_app
from sqlalchemy.orm import Session

from .content.files import (
    Faq,
    IndicatorRow,
    Lesson,
    Media,
    read_faqs,
    read_indicator_csv,
    read_lesson,
    read_media,
)
from .content.models import BASICS
from .content.services import (
    Changes,
    upsert_basics,
    upsert_faqs,
    upsert_indicators,
    upsert_lesson,
    upsert_media,
)
from .content.text import text_hash
from .content.yamlfile import ContentError
from .db import utcnow
from .quizzes.files import Bank, read_bank
from .quizzes.services import upsert_bank
from .readiness.files import read_plan
from .readiness.plans import upsert_plan
from .storage import LocalStorage

MIN_FAQ_CARDS = 3
MIN_QUESTIONS = 6


@dataclass(frozen=True)
class Unit:
    """One lesson unit as parsed from its files (an indicator, or the survey basics)."""

    number: int
    lesson: Lesson | None
    faqs: list[Faq]
    media: Media | None
    bank: Bank | None


def _folder(content_root: Path, number: int) -> Path:
    return content_root / "indicators" / f"{number:02d}"


def read_unit(content_root: Path, quiz_root: Path, number: int) -> Unit:
    """Parse one unit's lesson, FAQ cards, media and question bank (those that exist)."""
    folder = _folder(content_root, number)
    lesson_file = folder / "lesson.yaml"
    media_file = folder / "media" / "media.yaml"
    bank_file = quiz_root / f"{number:02d}.yaml"
    faqs = read_faqs(folder / "faq")
    return Unit(
        number=number,
        lesson=read_lesson(lesson_file, number) if lesson_file.is_file() else None,
        faqs=faqs,
        media=read_media(media_file, number, content_root) if media_file.is_file() else None,
        bank=read_bank(bank_file, number, {f.slug for f in faqs}) if bank_file.is_file() else None,
    )


def unit_numbers(content_root: Path, rows: list[IndicatorRow]) -> list[int]:
    """The survey basics (when its folder exists) and then every indicator of the list."""
    basics = [BASICS] if (_folder(content_root, BASICS) / "lesson.yaml").is_file() else []
    return basics + [r.number for r in rows]


def load_content(
    session: Session,
    content_root: Path,
    quiz_root: Path,
    storage: LocalStorage,
    *,
    secret: str | None = None,
) -> Changes:
    """Parse every file first, then upsert; the caller commits (or rolls back on error).
    A plan the files activate re-evaluates everyone's readiness (`secret` signs the
    readiness codes: the app's SECRET_KEY unless given).

    Clips, posters, captions and infographics are copied into the media storage (stored
    once per content, so a second load copies nothing).

    Raises ContentError naming the file, line and field of the first problem.
    """
    changes = Changes()
    rows = read_indicator_csv(content_root / "indicators.csv")
    units = [read_unit(content_root, quiz_root, n) for n in unit_numbers(content_root, rows)]
    known = {u.number for u in units}
    plans = [read_plan(p, known) for p in sorted((content_root / "plans").glob("*.yaml"))]
    if sum(p.active for p in plans) > 1:
        raise ContentError(content_root / "plans", "active", "more than one plan is active")

    indicators = upsert_indicators(session, rows, changes)
    for unit in units:
        if unit.number == BASICS and unit.lesson:
            upsert_basics(session, indicators, unit.lesson, changes)
        indicator = indicators[unit.number]
        if unit.lesson:
            upsert_lesson(session, indicator, unit.lesson, changes)
        upsert_faqs(session, indicator, unit.faqs, changes)
        upsert_media(session, indicator, unit.media, changes, content_root, storage)
        if unit.bank:
            upsert_bank(session, indicator, unit.bank, changes)
    for plan in plans:
        upsert_plan(
            session,
            plan,
            indicators,
            changes,
            secret=secret or current_app.config["SECRET_KEY"],
            now=utcnow(),
        )
    session.flush()
    return changes


@dataclass
class Report:
    """What one unit lacks; empty `gaps` means complete."""

    number: int
    gaps: list[str] = field(default_factory=list)


def _check_unit(content_root: Path, quiz_root: Path, number: int, row: IndicatorRow | None):
    report = Report(number)
    try:
        unit = read_unit(content_root, quiz_root, number)
    except ContentError as error:
        report.gaps.append(str(error))
        return report
    if unit.lesson is None:
        report.gaps.append("no lesson text (lesson.yaml)")
    if len(unit.faqs) < MIN_FAQ_CARDS:
        report.gaps.append(f"{len(unit.faqs)} FAQ cards (at least {MIN_FAQ_CARDS})")
    if unit.bank is None:
        report.gaps.append("no question bank")
    else:
        count = len(unit.bank.questions)
        if count < max(MIN_QUESTIONS, unit.bank.draw):
            report.gaps.append(f"{count} questions (at least {max(MIN_QUESTIONS, unit.bank.draw)})")
        if len({q.type for q in unit.bank.questions}) < 2:
            report.gaps.append("questions of one type only (mix single, multiple, truefalse)")
    if row is not None:  # indicators have generated media; the basics lesson need not
        if unit.media is None or not (unit.media.clip and unit.media.infographic):
            report.gaps.append("no clip or infographic (run make media)")
        else:
            lesson_file = _folder(content_root, number) / "lesson.yaml"
            lesson_text = lesson_file.read_text(encoding="utf-8") if lesson_file.is_file() else None
            if unit.media.text_hash != text_hash(asdict(row), lesson_text):
                report.gaps.append("clip and infographic are older than the text (run make media)")
    return report


def check_content(content_root: Path, quiz_root: Path) -> list[Report]:
    """Per unit (survey basics first, then each indicator), what is missing or weak."""
    rows = read_indicator_csv(content_root / "indicators.csv")
    reports = [_check_unit(content_root, quiz_root, r.number, r) for r in rows]
    if (_folder(content_root, BASICS) / "lesson.yaml").is_file():
        reports.insert(0, _check_unit(content_root, quiz_root, BASICS, None))
    else:
        reports.insert(0, Report(BASICS, ["the survey basics lesson is missing (indicators/00)"]))
    return reports
