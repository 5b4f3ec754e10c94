"""The content file formats written back from their dataclasses: the inverse of files.py and
quizzes/files.py, laid out as the files are written by hand (see content/README.md).

Scalars are plain where that is safe, double-quoted otherwise, and multi-line Markdown goes in
`|` blocks. Each form is checked by parsing it back, with PyYAML's own quoting as the fallback,
so what is written reads back exactly (after the strip the readers apply).
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import yaml

from ..quizzes.files import Bank, QuestionSpec
from .files import INDICATOR_COLUMNS, Faq, IndicatorRow, Lesson, Media
from .models import LESSON_SECTIONS


def _reads_back(text: str, value: str) -> bool:
    try:
        return yaml.safe_load(f"k: {text}") == {"k": value}
    except yaml.YAMLError:
        return False


def _normal(value: str) -> str:
    return value.replace("\r\n", "\n").replace("\r", "\n").strip()


def scalar(value: str, style: str = "plain") -> str:
    """One line of YAML for a string: plain when it reads back the same (style "plain"),
    else double-quoted."""
    value = _normal(value)
    if style == "plain" and value and "\n" not in value and _reads_back(value, value):
        return value
    quoted = json.dumps(value, ensure_ascii=False)
    if _reads_back(quoted, value):
        return quoted
    return yaml.safe_dump(value, allow_unicode=True, default_style='"', width=float("inf")).strip()


def block(value: str, indent: int, *, short: str = "block") -> str:
    """A `|` literal block (its lines indented by `indent` spaces) for multi-line text; a
    one-line value is a block too, or double-quoted when short == "quoted"."""
    value = _normal(value)
    if "\n" not in value and short == "quoted":
        return scalar(value, "quoted")
    lines = "\n".join(" " * indent + line if line else "" for line in value.split("\n"))
    text = f"|\n{lines}"
    try:  # the block sits under a key indented by indent - 2 spaces
        parsed = yaml.safe_load(" " * (indent - 2) + f"k: {text}\n")
    except yaml.YAMLError:
        parsed = None
    return text if parsed == {"k": value + "\n"} else scalar(value, "quoted")


def flow(values: dict[str, str]) -> str:
    """A one-line flow mapping of values already written as YAML scalars."""
    return "{" + ", ".join(f"{k}: {v}" for k, v in values.items()) + "}"


def _lines(lines: list[str]) -> bytes:
    return ("\n".join(lines) + "\n").encode()


def indicator_csv(rows: list[IndicatorRow]) -> bytes:
    """content/indicators.csv."""
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
    return _lines(lines)


def faq_md(card: Faq) -> bytes:
    """indicators/NN/faq/<slug>.md: front matter, then the Markdown body."""
    head = f"---\nversion: 1\norder: {card.order}\ntitle: {scalar(card.title)}\n---\n"
    return (head + _normal(card.body) + "\n").encode()


def _question(question: QuestionSpec) -> list[str]:
    lines = [
        f"  - id: {question.key}",
        f"    type: {question.type}",
        f"    text: {block(question.text, 6, short='quoted')}",
    ]
    if question.type == "truefalse":
        right = any(c.correct for c in question.choices[:1])  # choice a is "ถูก" (true)
        lines.append(f"    answer: {'true' if right else 'false'}")
    else:
        lines.append("    choices:")
        for choice in question.choices:
            lines.append(f"      - text: {block(choice.text, 10, short='quoted')}")
            if choice.correct:
                lines.append("        correct: true")
    lines.append(f"    explanation: {block(question.explanation, 6, short='quoted')}")
    lines.append(f"    see: {scalar(question.see)}")
    return lines


def bank_yaml(bank: Bank) -> bytes:
    """quizzes/NN.yaml."""
    lines = [
        "version: 1",
        f"indicator: {bank.indicator}",
        f"pass_mark: {bank.pass_mark}",
        f"draw: {bank.draw}",
        "questions:",
    ]
    for question in bank.questions:
        lines += _question(question)
    return _lines(lines)


def media_yaml(media: Media, number: int) -> bytes:
    """indicators/NN/media/media.yaml (the layout scripts/build_media.py writes)."""
    lines = ["version: 1", f"indicator: {number}"]
    if media.clip is not None:
        clip = media.clip
        duration = f"{clip.duration:.1f}"
        duration = duration if float(duration) == clip.duration else repr(clip.duration)
        names = (Path(p).name for p in (clip.path, clip.poster, clip.captions))
        values = dict(zip(("file", "poster", "captions"), names, strict=True))
        lines.append(f"clip: {flow({**values, 'duration': duration})}")
    if media.infographic is not None:
        image = media.infographic
        values = {"file": Path(image.path).name, "width": str(image.width)}
        values |= {"height": str(image.height), "alt_th": scalar(image.alt_th, "quoted")}
        lines.append(f"infographic: {flow({**values, 'alt_en': scalar(image.alt_en, 'quoted')})}")
    lines += [f'source_hash: "{media.source_hash}"', f'text_hash: "{media.text_hash}"']
    return _lines(lines)
