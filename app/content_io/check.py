"""`flask content check`: per unit of the content tree, what is missing or weak."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..content.files import (
    QUESTIONNAIRE_CSV,
    IndicatorRow,
    QuestionnaireItem,
    RecordingSpec,
    read_indicator_csv,
    read_questionnaire,
)
from ..content.models import BASICS, LESSON_SECTIONS
from ..content.recording import recording_hash
from ..content.rules import residence_periods
from ..content.text import text_hash
from ..content.yamlfile import ContentError
from .load import Unit, read_unit, unit_folder

MIN_FAQ_CARDS = 3
MIN_QUESTIONS = 6
MIN_EXERCISES = 3  # recording exercises per indicator with questionnaire items
CONFIRM_HINT = "confirm the items against the 2566-2570 manual in the studio"


@dataclass
class Report:
    """What one unit lacks; empty `gaps` means complete."""

    number: int
    gaps: list[str] = field(default_factory=list)


def volunteer_texts(unit: Unit) -> Iterator[tuple[str, str]]:
    """(where, text) for every text of the unit a volunteer reads: lesson sections, FAQ
    cards, questions, choices and explanations, and the recording's rules and mistakes."""
    if unit.lesson is not None:
        for section in LESSON_SECTIONS:
            yield f"lesson {section}", getattr(unit.lesson, section)
    for card in unit.faqs:
        yield f"FAQ card {card.slug}", f"{card.title}\n{card.body}"
    for question in unit.bank.questions if unit.bank else ():
        choices = "\n".join(c.text for c in question.choices)
        if question.record is not None:  # a recording exercise: why each item is recorded so
            choices = "\n".join(e.why for e in question.record.entries)
        yield f"question {question.key}", f"{question.text}\n{choices}\n{question.explanation}"
    if unit.recording is not None:
        for name in ("pass_rule_th", "not_assessed_th", "mistakes_th"):
            yield f"recording {name}", getattr(unit.recording, name)


def residence_gaps(unit: Unit) -> list[str]:
    """Each place that puts a length of stay on household members (the member rule is
    "living in the household now"; the 6-month rule is about which households are listed)."""
    return [
        f"{where} states a residence period for members: …{statement}"
        for where, text in volunteer_texts(unit)
        for statement in residence_periods(text)
    ]


def recording_gaps(
    recording: RecordingSpec, questionnaire: list[QuestionnaireItem], confirmed: set[str]
) -> list[str]:
    """How the recording's items differ from the 2560-2564 questionnaire (matched by item
    label); none once a trainer confirmed exactly these items."""
    if recording_hash(recording.items) in confirmed:
        return []
    printed = {q.label: q for q in questionnaire if q.number == recording.indicator}
    gaps = []
    for item in recording.items:
        original = printed.pop(item.label, None)
        if original is None:
            gaps.append(f"item {item.label} is not in the 2560-2564 questionnaire")
            continue
        if item.question_th != original.question_th:
            gaps.append(f"item {item.label}: the question differs from the questionnaire")
        if item.answers != original.answers:
            gaps.append(f"item {item.label}: the answer options differ from the questionnaire")
    if printed:
        gaps.append("items of the questionnaire missing: " + ", ".join(printed))
    return [f"{gap} ({CONFIRM_HINT})" for gap in gaps]


def _check_unit(
    content_root: Path,
    quiz_root: Path,
    number: int,
    row: IndicatorRow | None,
    questionnaire: list[QuestionnaireItem],
    confirmed: set[str],
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
    if row is not None and row.status == "carried-over" and unit.recording is None:
        report.gaps.append("no recording items (recording.yaml) for a carried-over indicator")
    if unit.recording is not None:
        report.gaps += recording_gaps(unit.recording, questionnaire, confirmed)
        exercises = sum(q.type == "record" for q in unit.bank.questions) if unit.bank else 0
        if exercises < MIN_EXERCISES:
            report.gaps.append(
                f"{exercises} recording exercises (at least {MIN_EXERCISES}: record a household "
                "that passes, one that fails, one not assessed or a classic trap)"
            )
    report.gaps += residence_gaps(unit)
    return report


def check_content(
    content_root: Path,
    quiz_root: Path,
    confirmed: Mapping[int, set[str]] | None = None,
    questionnaire_csv: Path = QUESTIONNAIRE_CSV,
) -> list[Report]:
    """Per unit (survey basics first, then each indicator), what is missing or weak.

    `confirmed` holds, per indicator number, the recording items' fingerprints a trainer
    confirmed against the 2566-2570 manual (content.recording.confirmed_recordings)."""
    confirmed = confirmed or {}
    questionnaire = read_questionnaire(questionnaire_csv)
    rows = read_indicator_csv(content_root / "indicators.csv")
    reports = [
        _check_unit(
            content_root, quiz_root, r.number, r, questionnaire, confirmed.get(r.number, set())
        )
        for r in rows
    ]
    if (unit_folder(content_root, BASICS) / "lesson.yaml").is_file():
        reports.insert(0, _check_unit(content_root, quiz_root, BASICS, None, questionnaire, set()))
    else:
        reports.insert(0, Report(BASICS, ["the survey basics lesson is missing (indicators/00)"]))
    return reports
