"""The indicator list, lesson and FAQ card formats of content/ (see content/README.md): each
read into a frozen dataclass and written back from it, reader and writer side by side.

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
