"""The indicator list, lesson, FAQ card and recording formats of content/ (see
content/README.md): each read into a frozen dataclass and written back from it, reader and
writer side by side; and the 2560-2564 questionnaire the recording files are checked against.

The media folder's format is app/media/files.py, the question banks' app/quizzes/files.py."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from .models import BASICS, LESSON_SECTIONS, STATUSES
from .yamlfile import (
    ContentError,
    Located,
    block,
    file_bytes,
    normal,
    parse_yaml,
    read_text,
    require_indicator,
    require_int,
    require_text,
    require_version,
    scalar,
)

INDICATOR_COLUMNS = [
    "number",
    "category",
    "category_th",
    "category_en",
    "title_th",
    "title_en",
    "target_group_th",
    "criterion_th",
    "status",
]
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# The 2560-2564 questionnaire the recording files are checked against (data/SOURCE.md).
QUESTIONNAIRE_CSV = Path(__file__).parent / "data" / "bmn-2560-questionnaire.csv"
RECORDING_FIELDS = (
    "version",
    "indicator",
    "edition",
    "number_2560",
    "title_2560",
    "items",
    "pass_rule_th",
    "not_assessed_th",
    "mistakes_th",
)
ITEM_FIELDS = ("item", "question_th", "answers_th", "skip_rule_th")
QUESTIONNAIRE_COLUMNS = [
    "number",
    "number_2560",
    "title_2560",
    "item",
    "question_th",
    "answers_th",
    "pass_rule_th",
    "skip_rule_th",
    "app_code_note_th",
    "source",
]
ANSWER_SEPARATOR = " | "  # between the answer options in the questionnaire CSV


@dataclass(frozen=True)
class IndicatorRow:
    """One row of the indicator list."""

    number: int
    category: int
    category_th: str
    category_en: str
    title_th: str
    title_en: str
    target_group_th: str
    criterion_th: str
    status: str


@dataclass(frozen=True)
class Lesson:
    """An indicator's lesson text, one Markdown string per section."""

    indicator: int
    measures: str
    target_group: str
    how_to_ask: str
    how_to_record: str
    pitfalls: str
    title_th: str = ""  # only the survey basics lesson (number 0) carries its own title
    title_en: str = ""


@dataclass(frozen=True)
class Faq:
    """One FAQ card."""

    slug: str
    order: int
    title: str
    body: str


@dataclass(frozen=True)
class RecordingItemSpec:
    """One question of the printed form, with its answer options as printed."""

    label: str  # "4.1" as printed ("" when none is); labels in [brackets] tell table rows apart
    question_th: str
    answers: tuple[str, ...]  # empty for a heading whose options are in the items after it
    skip_rule_th: str = ""


@dataclass(frozen=True)
class RecordingSpec:
    """How an indicator is recorded on the questionnaire: its items, pass rule, when it is not
    assessed and common mistakes (indicators/NN/recording.yaml)."""

    indicator: int
    edition: str
    number_2560: int
    title_2560: str
    items: tuple[RecordingItemSpec, ...]
    pass_rule_th: str
    not_assessed_th: str
    mistakes_th: str


@dataclass(frozen=True)
class QuestionnaireItem:
    """One row of the 2560-2564 questionnaire (app/content/data/bmn-2560-questionnaire.csv)."""

    number: int  # this project's indicator number
    label: str
    question_th: str
    answers: tuple[str, ...]


def read_indicator_csv(path: Path) -> list[IndicatorRow]:
    """Parse the indicator list; numbers must be 1..N without gaps, categories consistent."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames != INDICATOR_COLUMNS:
            raise ContentError(path, None, f"columns must be {','.join(INDICATOR_COLUMNS)}", 1)
        rows: list[IndicatorRow] = []
        categories: dict[int, tuple[str, str]] = {}
        for line, raw in enumerate(reader, start=2):
            values = {k: (raw.get(k) or "").strip() for k in INDICATOR_COLUMNS}
            for field in ("number", "category"):
                if not values[field].isdigit() or int(values[field]) < 1:
                    raise ContentError(path, field, "must be a positive whole number", line)
            for field in ("category_th", "category_en", "title_th", "title_en"):
                if not values[field]:
                    raise ContentError(path, field, "is empty", line)
            if values["status"] not in STATUSES:
                raise ContentError(path, "status", f"must be one of {', '.join(STATUSES)}", line)
            row = IndicatorRow(
                **{
                    **values,
                    "number": int(values["number"]),
                    "category": int(values["category"]),
                }
            )
            names = (row.category_th, row.category_en)
            if categories.setdefault(row.category, names) != names:
                raise ContentError(
                    path, "category_th", f"category {row.category} is named differently", line
                )
            if row.number != len(rows) + 1:
                raise ContentError(path, "number", f"expected {len(rows) + 1} (in order)", line)
            rows.append(row)
    if not rows:
        raise ContentError(path, None, "has no indicators")
    return rows


def read_lesson(path: Path, number: int) -> Lesson:
    """Parse indicators/NN/lesson.yaml."""
    doc = parse_yaml(path)
    require_indicator(doc, number)
    titles = ("title_th", "title_en") if number == BASICS else ()
    unknown = set(doc.data) - {"version", "indicator", *LESSON_SECTIONS, *titles}
    if unknown:
        field = sorted(unknown)[0]
        allowed = ", ".join((*titles, *LESSON_SECTIONS))
        raise doc.error(field, f"unknown field (allowed: {allowed})")
    optional = {"target_group", "pitfalls"}
    texts = {s: require_text(doc, s, optional=s in optional) for s in LESSON_SECTIONS}
    texts.update({t: require_text(doc, t) for t in titles})
    return Lesson(indicator=number, **texts)


def read_faq(path: Path) -> Faq:
    """Parse one faq/<slug>.md card: YAML front matter between '---' lines, then Markdown."""
    text = read_text(path)
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        raise ContentError(path, None, "must start with '---' front matter", 1)
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration:
        raise ContentError(path, None, "front matter is not closed with '---'", 1) from None
    doc = parse_yaml(path, "\n".join(lines[1:end]), line_offset=1)
    require_version(doc)
    slug = path.stem
    if not SLUG.fullmatch(slug):
        raise ContentError(path, None, "file name must be a slug: a-z, 0-9 and '-'")
    body = "\n".join(lines[end + 1 :]).strip()
    if not body:
        raise ContentError(path, "body", "is empty", end + 2)
    return Faq(
        slug=slug,
        order=require_int(doc, "order", 0, 999),
        title=require_text(doc, "title"),
        body=body,
    )


def read_faqs(folder: Path) -> list[Faq]:
    """Every card in indicators/NN/faq/, ordered; slugs are unique by construction."""
    if not folder.is_dir():
        return []
    cards = [read_faq(p) for p in sorted(folder.glob("*.md"))]
    return sorted(cards, key=lambda c: (c.order, c.slug))


def indicator_csv(rows: list[IndicatorRow]) -> bytes:
    """content/indicators.csv from its rows."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(INDICATOR_COLUMNS)
    writer.writerows([getattr(row, column) for column in INDICATOR_COLUMNS] for row in rows)
    return out.getvalue().encode()


def lesson_yaml(lesson: Lesson, *, basics: bool = False) -> bytes:
    """indicators/NN/lesson.yaml; the survey basics lesson carries its own titles."""
    lines = ["version: 1", f"indicator: {lesson.indicator}"]
    if basics:
        lines += [f"title_th: {scalar(lesson.title_th)}", f"title_en: {scalar(lesson.title_en)}"]
    for section in LESSON_SECTIONS:
        if getattr(lesson, section).strip():
            lines.append(f"{section}: {block(getattr(lesson, section), 2)}")
    return file_bytes(lines)


def faq_md(card: Faq) -> bytes:
    """indicators/NN/faq/<slug>.md: front matter, then the Markdown body."""
    head = f"---\nversion: 1\norder: {card.order}\ntitle: {scalar(card.title)}\n---\n"
    return (head + normal(card.body) + "\n").encode()


def _item_text(doc: Located, field: str, value: object, *, optional: bool = False) -> str:
    if value is None and optional:
        return ""
    if not isinstance(value, str) or not value.strip():
        raise doc.error(field, "is required and must be text")
    return normal(value)


def _label(doc: Located, field: str, value: object) -> str:
    """An item label as printed: text ("4.1" quoted, or "" where the form prints none)."""
    if not isinstance(value, str):
        raise doc.error(field, 'must be text: quote the label ("4.1"; "" where none is printed)')
    return normal(value)


def _read_item(doc: Located, index: int, raw: object) -> RecordingItemSpec:
    where = f"items.{index}"
    if not isinstance(raw, dict):
        raise doc.error(where, "must be a mapping of item, question_th, answers_th")
    unknown = sorted(set(raw) - set(ITEM_FIELDS))
    if unknown:
        raise doc.error(
            f"{where}.{unknown[0]}", f"unknown field (allowed: {', '.join(ITEM_FIELDS)})"
        )
    answers = raw.get("answers_th")
    if not isinstance(answers, list):
        raise doc.error(f"{where}.answers_th", "must be a list of answer options ([] for none)")
    for position, answer in enumerate(answers):
        if not isinstance(answer, str) or not answer.strip():
            raise doc.error(f"{where}.answers_th.{position}", "an answer option must be text")
    return RecordingItemSpec(
        label=_label(doc, f"{where}.item", raw.get("item")),
        question_th=_item_text(doc, f"{where}.question_th", raw.get("question_th")),
        answers=tuple(normal(a) for a in answers),
        skip_rule_th=_item_text(
            doc, f"{where}.skip_rule_th", raw.get("skip_rule_th"), optional=True
        ),
    )


def read_recording(path: Path, number: int) -> RecordingSpec:
    """Parse indicators/NN/recording.yaml."""
    doc = parse_yaml(path)
    require_indicator(doc, number)
    unknown = sorted(set(doc.data) - set(RECORDING_FIELDS))
    if unknown:
        allowed = ", ".join(RECORDING_FIELDS[2:])
        raise doc.error(unknown[0], f"unknown field (allowed: {allowed})")
    raw_items = doc.data.get("items")
    if not isinstance(raw_items, list) or not raw_items:
        raise doc.error("items", "must be a list of the questionnaire's items (at least one)")
    items = [_read_item(doc, i, raw) for i, raw in enumerate(raw_items)]
    seen: set[str] = set()
    for index, item in enumerate(items):
        if item.label in seen:
            raise doc.error(f"items.{index}.item", f"label {item.label!r} is used twice")
        seen.add(item.label)
    return RecordingSpec(
        indicator=number,
        edition=require_text(doc, "edition"),
        number_2560=require_int(doc, "number_2560", 1, 99),
        title_2560=require_text(doc, "title_2560"),
        items=tuple(items),
        pass_rule_th=require_text(doc, "pass_rule_th"),
        not_assessed_th=_optional_text(doc, "not_assessed_th"),
        mistakes_th=_optional_text(doc, "mistakes_th"),
    )


def _optional_text(doc: Located, field: str) -> str:
    """A Markdown field that may be absent or empty."""
    value = doc.data.get(field)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise doc.error(field, "must be text")
    return value.strip()


def recording_yaml(recording: RecordingSpec) -> bytes:
    """indicators/NN/recording.yaml."""
    lines = [
        "version: 1",
        f"indicator: {recording.indicator}",
        f"edition: {scalar(recording.edition, 'quoted')}",
        f"number_2560: {recording.number_2560}",
        f"title_2560: {scalar(recording.title_2560, 'quoted')}",
        "items:",
    ]
    for item in recording.items:
        answers = ", ".join(scalar(a, "quoted") for a in item.answers)
        lines += [
            f"  - item: {scalar(item.label, 'quoted')}",
            f"    question_th: {scalar(item.question_th, 'quoted')}",
            f"    answers_th: [{answers}]",
        ]
        if item.skip_rule_th:
            lines.append(f"    skip_rule_th: {scalar(item.skip_rule_th, 'quoted')}")
    for field in ("pass_rule_th", "not_assessed_th", "mistakes_th"):
        value = getattr(recording, field)
        lines.append(f"{field}: " + (block(value, 2) if value else '""'))
    return file_bytes(lines)


def read_questionnaire(path: Path) -> list[QuestionnaireItem]:
    """The 2560-2564 questionnaire's items (see app/content/data/SOURCE.md), in file order."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames != QUESTIONNAIRE_COLUMNS:
            columns = ",".join(QUESTIONNAIRE_COLUMNS)
            raise ContentError(path, None, f"columns must be {columns}", 1)
        items = []
        for line, raw in enumerate(reader, start=2):
            if not (raw["number"] or "").isdigit():
                raise ContentError(path, "number", "must be a whole number", line)
            answers = normal(raw["answers_th"] or "")
            items.append(
                QuestionnaireItem(
                    number=int(raw["number"]),
                    label=normal(raw["item"] or ""),
                    question_th=normal(raw["question_th"] or ""),
                    answers=tuple(normal(a) for a in answers.split(ANSWER_SEPARATOR))
                    if answers
                    else (),
                )
            )
    return items
