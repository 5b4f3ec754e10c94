"""`flask content check`: per unit of the content tree, what is missing or weak."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..content.files import IndicatorRow, read_indicator_csv
from ..content.models import BASICS
from ..content.text import text_hash
from ..content.yamlfile import ContentError
from .load import read_unit, unit_folder

MIN_FAQ_CARDS = 3
MIN_QUESTIONS = 6


@dataclass
class Report:
    """What one unit lacks; empty `gaps` means complete."""

    number: int
    gaps: list[str] = field(default_factory=list)


def _check_unit(
    content_root: Path, quiz_root: Path, number: int, row: IndicatorRow | None
) -> Report:
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
            lesson_file = unit_folder(content_root, number) / "lesson.yaml"
            lesson_text = lesson_file.read_text(encoding="utf-8") if lesson_file.is_file() else None
            if unit.media.text_hash != text_hash(asdict(row), lesson_text):
                report.gaps.append("clip and infographic are older than the text (run make media)")
    return report


def check_content(content_root: Path, quiz_root: Path) -> list[Report]:
    """Per unit (survey basics first, then each indicator), what is missing or weak."""
    rows = read_indicator_csv(content_root / "indicators.csv")
    reports = [_check_unit(content_root, quiz_root, r.number, r) for r in rows]
    if (unit_folder(content_root, BASICS) / "lesson.yaml").is_file():
        reports.insert(0, _check_unit(content_root, quiz_root, BASICS, None))
    else:
        reports.insert(0, Report(BASICS, ["the survey basics lesson is missing (indicators/00)"]))
    return reports
