"""`flask content load`: the whole content tree parsed with each feature's readers, then
upserted by each feature's services in one transaction."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from sqlalchemy.orm import Session

from ..content.files import (
    Faq,
    IndicatorRow,
    Lesson,
    RecordingSpec,
    read_faqs,
    read_indicator_csv,
    read_lesson,
    read_recording,
)
from ..content.models import BASICS
from ..content.recording import upsert_recording
from ..content.services import (
    Changes,
    upsert_basics,
    upsert_faqs,
    upsert_indicators,
    upsert_lesson,
)
from ..content.yamlfile import ContentError
from ..db import utcnow
from ..media.files import Media, read_media
from ..media.loading import upsert_media
from ..quizzes.files import Bank, read_bank
from ..quizzes.services import upsert_bank
from ..readiness.files import read_plan
from ..readiness.plans import upsert_plan
from ..storage import LocalStorage


@dataclass(frozen=True)
class Unit:
    """One lesson unit as parsed from its files (an indicator, or the survey basics)."""

    number: int
    lesson: Lesson | None
    faqs: list[Faq]
    media: Media | None
    bank: Bank | None
    recording: RecordingSpec | None = None


def unit_folder(content_root: Path, number: int) -> Path:
    """content/indicators/NN: the folder of one unit's lesson, FAQ cards and media."""
    return content_root / "indicators" / f"{number:02d}"


def read_unit(content_root: Path, quiz_root: Path, number: int) -> Unit:
    """Parse one unit's lesson, FAQ cards, media, question bank and recording (those that
    exist)."""
    folder = unit_folder(content_root, number)
    lesson_file = folder / "lesson.yaml"
    recording_file = folder / "recording.yaml"
    media_file = folder / "media" / "media.yaml"
    bank_file = quiz_root / f"{number:02d}.yaml"
    faqs = read_faqs(folder / "faq")
    recording = read_recording(recording_file, number) if recording_file.is_file() else None
    return Unit(
        number=number,
        lesson=read_lesson(lesson_file, number) if lesson_file.is_file() else None,
        faqs=faqs,
        media=read_media(media_file, number, content_root) if media_file.is_file() else None,
        bank=(
            read_bank(bank_file, number, {f.slug for f in faqs}, recording)
            if bank_file.is_file()
            else None
        ),
        recording=recording,
    )


def unit_numbers(content_root: Path, rows: list[IndicatorRow]) -> list[int]:
    """The survey basics (when its folder exists) and then every indicator of the list."""
    basics = [BASICS] if (unit_folder(content_root, BASICS) / "lesson.yaml").is_file() else []
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
        upsert_recording(session, indicator, unit.recording, changes)
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
