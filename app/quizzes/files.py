"""The question bank format (quizzes/NN.yaml): read into frozen dataclasses and written back."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..content.files import SLUG, RecordingSpec
from ..content.models import LESSON_SECTIONS
from ..content.rules import item_kind
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
RECORD_FIELDS = {"id", "type", "text", "record", "result", "explanation", "see"}
ENTRY_FIELDS = {"item", "answer", "why"}
# A recording exercise's result for the indicator, as the form's summary shows it.
RESULTS = ("pass", "fail", "not_assessed")
SKIP = "skip"  # the answer of an item the form says to skip


@dataclass(frozen=True)
class ChoiceSpec:
    """One answer option."""

    key: str
    text: str
    correct: bool


@dataclass(frozen=True)
class EntrySpec:
    """One questionnaire item of a recording exercise: the item as printed (copied from the
    indicator's recording when the bank is read, so a question version keeps what was shown),
    what should be recorded for the household, and why."""

    label: str
    question: str
    options: tuple[str, ...]
    kind: str  # "one" box, "many" boxes or a "number" to write (content.rules.item_kind)
    answer: tuple[str, ...]  # (SKIP,), option indices ("0", "2") or the number ("102000",)
    why: str

    @property
    def skipped(self) -> bool:
        """The form says to skip this item for the household."""
        return self.answer == (SKIP,)


@dataclass(frozen=True)
class RecordSpec:
    """A recording exercise ("record" question): the items to fill in for the household of
    the question's scenario and the indicator's result for it."""

    entries: tuple[EntrySpec, ...]
    result: str  # one of RESULTS


def record_data(record: RecordSpec | None) -> dict | None:
    """A RecordSpec as stored in Question.record (JSON)."""
    if record is None:
        return None
    entries = [
        {
            "label": e.label,
            "question": e.question,
            "options": list(e.options),
            "kind": e.kind,
            "answer": list(e.answer),
            "why": e.why,
        }
        for e in record.entries
    ]
    return {"result": record.result, "entries": entries}


def record_from_data(data: dict | None) -> RecordSpec | None:
    """Question.record (JSON) as a RecordSpec."""
    if not data:
        return None
    entries = tuple(
        EntrySpec(
            label=e["label"],
            question=e["question"],
            options=tuple(e["options"]),
            kind=e["kind"],
            answer=tuple(e["answer"]),
            why=e["why"],
        )
        for e in data["entries"]
    )
    return RecordSpec(entries=entries, result=data["result"])


@dataclass(frozen=True)
class QuestionSpec:
    """One question of a bank."""

    key: str
    type: str
    text: str
    choices: tuple[ChoiceSpec, ...]
    explanation: str
    see: str
    record: RecordSpec | None = None


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


def _entry_answer(doc: Located, at: str, value: object, options: tuple[str, ...], kind: str):
    """The answer of one item as stored: (SKIP,), option indices, or the number."""
    if value == SKIP:
        return (SKIP,)
    if kind == "number":
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise doc.error(
                f"{at}.answer", f"this item has a number to write: a whole number or {SKIP}"
            )
        return (str(value),)
    picked = value if isinstance(value, list) else [value]
    if not picked or not all(isinstance(v, str) for v in picked):
        raise doc.error(f"{at}.answer", f"must be one of the item's answers or {SKIP}")
    if len(picked) > 1 and kind != "many":
        raise doc.error(f"{at}.answer", "this item takes one answer, not a list")
    indices = []
    for text in picked:
        if text not in options:
            listed = " | ".join(options)
            raise doc.error(f"{at}.answer", f"'{text}' is not one of the item's answers: {listed}")
        indices.append(options.index(text))
    if len(set(indices)) != len(indices):
        raise doc.error(f"{at}.answer", "lists an answer twice")
    return tuple(str(i) for i in sorted(indices))


def _record(doc: Located, at: str, item: dict, recording: RecordingSpec | None) -> RecordSpec:
    if recording is None:
        raise doc.error(
            f"{at}.type", "a record question needs the indicator's recording.yaml (its items)"
        )
    items = {i.label: (position, i) for position, i in enumerate(recording.items)}
    raw = item.get("record")
    if not isinstance(raw, list) or not raw:
        raise doc.error(f"{at}.record", "must list the items to record, in the form's order")
    entries = []
    last = -1
    for index, entry in enumerate(raw):
        where = f"{at}.record.{index}"
        if not isinstance(entry, dict):
            raise doc.error(where, "must be a mapping with item, answer and why")
        unknown = set(entry) - ENTRY_FIELDS
        if unknown:
            raise doc.error(f"{where}.{sorted(unknown)[0]}", "unknown field")
        label = entry.get("item")
        if not isinstance(label, str) or label not in items:
            raise doc.error(f"{where}.item", f"'{label}' is not an item of the recording")
        position, spec = items[label]
        if position <= last:
            raise doc.error(f"{where}.item", "items must follow the form's order, once each")
        last = position
        kind = item_kind(spec.question_th, spec.answers)
        if kind is None:
            raise doc.error(f"{where}.item", f"'{label}' is a heading with no boxes to fill")
        options = tuple(a for a in spec.answers if a.strip())
        entries.append(
            EntrySpec(
                label=label,
                question=spec.question_th,
                options=options,
                kind=kind,
                answer=_entry_answer(doc, where, entry.get("answer"), options, kind),
                why=_text(doc, f"{where}.why", entry.get("why")),
            )
        )
    result = item.get("result")
    if result not in RESULTS:
        raise doc.error(f"{at}.result", f"must be one of {', '.join(RESULTS)}")
    return RecordSpec(entries=tuple(entries), result=result)


def read_bank(
    path: Path, number: int, faq_slugs: set[str], recording: RecordingSpec | None = None
) -> Bank:
    """Parse and check quizzes/NN.yaml against its indicator's FAQ cards and, for recording
    exercises, its recording's items."""
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
        record = item.get("type") == "record"
        unknown = set(item) - (RECORD_FIELDS if record else QUESTION_FIELDS)
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
                choices=() if record else _choices(doc, at, item),
                explanation=_text(doc, f"{at}.explanation", item.get("explanation")),
                see=_see(doc, at, item.get("see"), faq_slugs),
                record=_record(doc, at, item, recording) if record else None,
            )
        )
    draw = require_int(doc, "draw", 1, len(questions))
    return Bank(
        indicator=number,
        pass_mark=require_int(doc, "pass_mark", 1, 100),
        draw=draw,
        questions=tuple(questions),
    )


def _answer_lines(entry: EntrySpec) -> list[str]:
    if entry.skipped:
        return [f"        answer: {SKIP}"]
    if entry.kind == "number":
        return [f"        answer: {entry.answer[0]}"]
    texts = [entry.options[int(i)] for i in entry.answer]
    if entry.kind == "many" and len(texts) > 1:
        return ["        answer:", *(f"          - {scalar(t, 'quoted')}" for t in texts)]
    return [f"        answer: {scalar(texts[0], 'quoted')}"]


def _question_lines(question: QuestionSpec) -> list[str]:
    lines = [
        f"  - id: {question.key}",
        f"    type: {question.type}",
        f"    text: {block(question.text, 6, short='quoted')}",
    ]
    if question.record is not None:
        lines.append("    record:")
        for entry in question.record.entries:
            lines.append(f"      - item: {scalar(entry.label, 'quoted')}")
            lines += _answer_lines(entry)
            lines.append(f"        why: {block(entry.why, 10, short='quoted')}")
        lines.append(f"    result: {question.record.result}")
    elif question.type == "truefalse":
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
