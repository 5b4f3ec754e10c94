"""Loading the whole content tree (indicators, lessons, FAQ, media, banks, plans) at once."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session

from .content.files import read_faqs, read_indicator_csv, read_lesson, read_media
from .content.services import (
    Changes,
    upsert_faqs,
    upsert_indicators,
    upsert_lesson,
    upsert_media,
)
from .quizzes.files import read_bank
from .quizzes.services import upsert_bank
from .readiness.files import read_plan
from .readiness.services import upsert_plan


def load_content(session: Session, content_root: Path, quiz_root: Path) -> Changes:
    """Parse every file first, then upsert; the caller commits (or rolls back on error).

    Raises ContentError naming the file, line and field of the first problem.
    """
    changes = Changes()
    rows = read_indicator_csv(content_root / "indicators.csv")
    known = {r.number for r in rows}
    parsed = []
    for row in rows:
        folder = content_root / "indicators" / f"{row.number:02d}"
        lesson_file = folder / "lesson.yaml"
        media_file = folder / "media" / "media.yaml"
        bank_file = quiz_root / f"{row.number:02d}.yaml"
        faqs = read_faqs(folder / "faq")
        parsed.append(
            (
                row.number,
                read_lesson(lesson_file, row.number) if lesson_file.is_file() else None,
                faqs,
                read_media(media_file, row.number, content_root) if media_file.is_file() else None,
                read_bank(bank_file, row.number, {f.slug for f in faqs})
                if bank_file.is_file()
                else None,
            )
        )
    plans = [read_plan(p, known) for p in sorted((content_root / "plans").glob("*.yaml"))]
    if sum(p.active for p in plans) > 1:
        from .content.yamlfile import ContentError

        raise ContentError(content_root / "plans", "active", "more than one plan is active")

    indicators = upsert_indicators(session, rows, changes)
    for number, lesson, faqs, media, bank in parsed:
        indicator = indicators[number]
        if lesson:
            upsert_lesson(session, indicator, lesson, changes)
        upsert_faqs(session, indicator, faqs, changes)
        if media:
            upsert_media(session, indicator, media, changes)
        if bank:
            upsert_bank(session, indicator, bank, changes)
    for plan in plans:
        upsert_plan(session, plan, indicators, changes)
    session.flush()
    return changes
