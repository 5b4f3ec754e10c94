"""The question bank format (quizzes/NN.yaml): read into frozen dataclasses and written back."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..content.files import SLUG
from ..content.models import LESSON_SECTIONS
from ..content.yamlfile import (
    Located,
    block,
    file_bytes,
    parse_yaml,
    require_int,
    require_version,
    scalar,
)
from .models import QUESTION_TYPES

TRUE_FALSE = (("ถูก", True), ("ผิด", False))
CHOICE_KEYS = "abcdefgh"
QUESTION_FIELDS = {"id", "type", "text", "choices", "answer", "explanation", "see"}


@dataclass(frozen=True)
class ChoiceSpec:
    """One answer option."""

    key: str
    text: str
    correct: bool


@dataclass(frozen=True)
class QuestionSpec:
    """One question of a bank."""

    key: str
    type: str
    text: str
    choices: tuple[ChoiceSpec, ...]
    explanation: str
    see: str


@dataclass(frozen=True)
class Bank:
    """An indicator's question bank."""

    indicator: int
    pass_mark: int
    draw: int
    questions: tuple[QuestionSpec, ...]


def _text(doc: Located, field: str, value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise doc.error(field, "is required and must be text")
    return value.strip()


def _choices(doc: Located, at: str, item: dict) -> tuple[ChoiceSpec, ...]:
    kind = item["type"]
    if kind == "truefalse":
        answer = item.get("answer")
        if not isinstance(answer, bool):
            raise doc.error(f"{at}.answer", "must be true or false")
        if "choices" in item:
            raise doc.error(f"{at}.choices", "a truefalse question has an answer, not choices")
        return tuple(
            ChoiceSpec(CHOICE_KEYS[i], label, value == answer)
            for i, (label, value) in enumerate(TRUE_FALSE)
        )
    raw = item.get("choices")
    if not isinstance(raw, list) or not 2 <= len(raw) <= len(CHOICE_KEYS):
        raise doc.error(f"{at}.choices", f"must list 2 to {len(CHOICE_KEYS)} choices")
    choices = []
    for i, choice in enumerate(raw):
        if not isinstance(choice, dict):
            raise doc.error(f"{at}.choices.{i}", "must be a mapping with text (and correct)")
        correct = choice.get("correct", False)
        if not isinstance(correct, bool):
            raise doc.error(f"{at}.choices.{i}.correct", "must be true or false")
        text = _text(doc, f"{at}.choices.{i}.text", choice.get("text"))
        choices.append(ChoiceSpec(CHOICE_KEYS[i], text, correct))
    right = sum(c.correct for c in choices)
    if kind == "single" and right != 1:
        raise doc.error(
            f"{at}.choices", f"a single-choice question needs exactly 1 correct, has {right}"
        )
    if kind == "multiple" and right < 1:
        raise doc.error(f"{at}.choices", "a multiple-choice question needs at least 1 correct")
    if len({c.text for c in choices}) != len(choices):
        raise doc.error(f"{at}.choices", "two choices have the same text")
    return tuple(choices)


def _see(doc: Located, at: str, value: object, faq_slugs: set[str]) -> str:
    if not isinstance(value, str) or not value:
        raise doc.error(f"{at}.see", "is required: the lesson section or faq:<slug> that covers it")
    if value.startswith("faq:"):
        if value[4:] not in faq_slugs:
            raise doc.error(f"{at}.see", f"no FAQ card '{value[4:]}' for this indicator")
    elif value not in (*LESSON_SECTIONS, "criterion"):
        raise doc.error(
            f"{at}.see", f"must be criterion, faq:<slug> or one of {', '.join(LESSON_SECTIONS)}"
        )
    return value


def read_bank(path: Path, number: int, faq_slugs: set[str]) -> Bank:
    """Parse and check quizzes/NN.yaml against its indicator's FAQ cards."""
    doc = parse_yaml(path)
    require_version(doc)
    if doc.data.get("indicator") != number:
        raise doc.error("indicator", f"must be {number} (the file's number)")
    raw = doc.data.get("questions")
    if not isinstance(raw, list) or not raw:
        raise doc.error("questions", "must list at least one question")
    questions: list[QuestionSpec] = []
    seen: set[str] = set()
    for index, item in enumerate(raw):
        at = f"questions.{index}"
        if not isinstance(item, dict):
            raise doc.error(at, "must be a mapping")
        unknown = set(item) - QUESTION_FIELDS
        if unknown:
            raise doc.error(f"{at}.{sorted(unknown)[0]}", "unknown field")
        key = item.get("id")
        if not isinstance(key, str) or not SLUG.fullmatch(key):
            raise doc.error(f"{at}.id", "must be a slug: a-z, 0-9 and '-'")
        if key in seen:
            raise doc.error(f"{at}.id", f"'{key}' is used twice")
        seen.add(key)
        if item.get("type") not in QUESTION_TYPES:
            raise doc.error(f"{at}.type", f"must be one of {', '.join(QUESTION_TYPES)}")
        questions.append(
            QuestionSpec(
                key=key,
                type=item["type"],
                text=_text(doc, f"{at}.text", item.get("text")),
                choices=_choices(doc, at, item),
                explanation=_text(doc, f"{at}.explanation", item.get("explanation")),
                see=_see(doc, at, item.get("see"), faq_slugs),
            )
        )
    draw = require_int(doc, "draw", 1, len(questions))
    return Bank(
        indicator=number,
        pass_mark=require_int(doc, "pass_mark", 1, 100),
        draw=draw,
        questions=tuple(questions),
    )


def _question_lines(question: QuestionSpec) -> list[str]:
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
    """quizzes/NN.yaml from its bank."""
    lines = [
        "version: 1",
        f"indicator: {bank.indicator}",
        f"pass_mark: {bank.pass_mark}",
        f"draw: {bank.draw}",
        "questions:",
    ]
    for question in bank.questions:
        lines += _question_lines(question)
    return file_bytes(lines)
