"""Pure quiz rules: drawing, scoring, cooldown. No database, no request."""

from __future__ import annotations

import math
import random
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from .files import RESULTS, SKIP, RecordSpec


@dataclass(frozen=True)
class DrawnQuestion:
    """A question as drawn for an attempt: its id and its choices' order."""

    question_id: int
    choice_keys: tuple[str, ...]


def draw_questions(
    bank: Mapping[int, Sequence[str]],
    size: int,
    rng: random.Random,
    required: Sequence[int] = (),
    seen: Collection[int] = (),
) -> list[DrawnQuestion]:
    """Pick `size` questions from bank (question id -> choice keys), shuffling both; when
    `required` names questions of the bank, at least one of them is drawn (recording
    exercises: every quiz has a household to record).

    A retake passes the previous attempt's questions as `seen`: questions not seen then are
    drawn first, seen ones only fill what the bank lacks, so copying the last result's
    answers does not pass the next quiz where the bank is large enough."""
    k = min(size, len(bank))
    if not seen:
        ids = rng.sample(sorted(bank), k=k)
    else:
        fresh = sorted(set(bank) - set(seen))
        ids = rng.sample(fresh, k=min(k, len(fresh)))
        ids += rng.sample(sorted(set(bank) & set(seen)), k=k - len(ids))
        rng.shuffle(ids)
    among = sorted(set(required) & set(bank))
    if ids and among and not set(ids) & set(among):
        # Swap in an exercise, preferably an unseen one in place of a seen question.
        unseen = [q for q in among if q not in seen] or among
        stale = [i for i, q in enumerate(ids) if q in seen]
        ids[rng.choice(stale) if stale else rng.randrange(len(ids))] = rng.choice(unseen)
    drawn = []
    for qid in ids:
        keys = list(bank[qid])
        rng.shuffle(keys)
        drawn.append(DrawnQuestion(qid, tuple(keys)))
    return drawn


def is_correct(selected: frozenset[str], correct: frozenset[str]) -> bool:
    """Right only when exactly the correct choices are selected (all of them, nothing else)."""
    return bool(selected) and selected == correct


def passes(score: int, total: int, pass_mark: int) -> bool:
    """Passed when score/total reaches pass_mark percent (rounded up to whole questions)."""
    return total > 0 and score >= math.ceil(total * pass_mark / 100)


def retake_at(last_failed_at: datetime | None, cooldown_seconds: int) -> datetime | None:
    """When a new attempt may start after a failed one (None: straight away)."""
    if last_failed_at is None or cooldown_seconds <= 0:
        return None
    return last_failed_at + timedelta(seconds=cooldown_seconds)


# --- Recording exercises ------------------------------------------------------------------------
# A volunteer's answer to a "record" question is a list of strings, like a choice question's:
# "<entry index>:<value>" for each item (value: an option index, SKIP or the number written)
# and "r:<result>" for the indicator's result.

RESULT_KEY = "r"


def record_answer(entries: Mapping[int, Sequence[str]], result: str | None) -> list[str]:
    """The stored answer of a recording exercise from what was recorded per entry index."""
    answer = [f"{index}:{value}" for index in sorted(entries) for value in entries[index]]
    if result:
        answer.append(f"{RESULT_KEY}:{result}")
    return answer


def split_record_answer(selected: Sequence[str]) -> tuple[dict[int, tuple[str, ...]], str | None]:
    """What was recorded per entry index, and the result (None when not given); malformed
    parts raise ValueError."""
    entries: dict[int, list[str]] = {}
    result = None
    for part in selected:
        key, sep, value = part.partition(":")
        if not sep or not value:
            raise ValueError(f"'{part}' is not <item>:<value>")
        if key == RESULT_KEY:
            result = value
        elif key.isdigit():
            entries.setdefault(int(key), []).append(value)
        else:
            raise ValueError(f"'{part}' names no item")
    return {k: tuple(sorted(v)) for k, v in entries.items()}, result


def record_answer_problem(record: RecordSpec, selected: Sequence[str]) -> str | None:
    """Why a stored answer cannot belong to this exercise (an item it does not have, an option
    out of range, a result that does not exist), or None when it is well formed. Unanswered
    items are allowed here: they are scored as wrong."""
    try:
        entries, result = split_record_answer(selected)
    except ValueError as error:
        return str(error)
    if result is not None and result not in RESULTS:
        return f"no such result '{result}'"
    for index, values in entries.items():
        if index >= len(record.entries):
            return f"no item {index} in this exercise"
        entry = record.entries[index]
        if SKIP in values:
            if len(values) > 1:
                return f"item {entry.label} is both skipped and answered"
            continue
        if entry.kind == "number":
            if len(values) != 1 or not values[0].isdigit() or len(values[0]) > 12:
                return f"item {entry.label} takes one whole number"
        else:
            if entry.kind == "one" and len(values) != 1:
                return f"item {entry.label} takes one answer"
            if any(not v.isdigit() or int(v) >= len(entry.options) for v in values):
                return f"item {entry.label} has no such answer"
    return None


@dataclass(frozen=True)
class EntryMark:
    """One item as recorded by the volunteer, and whether it is what the form needs."""

    given: tuple[str, ...]  # () when left blank
    right: bool


@dataclass(frozen=True)
class RecordMark:
    """A recording exercise marked item by item."""

    entries: tuple[EntryMark, ...]
    result: str | None
    result_right: bool

    @property
    def items_right(self) -> int:
        """How many items were recorded right."""
        return sum(e.right for e in self.entries)

    @property
    def correct(self) -> bool:
        """The household is recorded right: every item and the result."""
        return self.result_right and all(e.right for e in self.entries)


def _same_number(given: str, expected: str) -> bool:
    return given.isdigit() and expected.isdigit() and int(given) == int(expected)


def mark_record(record: RecordSpec, selected: Sequence[str]) -> RecordMark:
    """Mark each item against what the form needs for the scenario's household, and the
    result against the indicator's result. Assumes record_answer_problem() found nothing."""
    entries, result = split_record_answer(selected)
    marks = []
    for index, entry in enumerate(record.entries):
        given = entries.get(index, ())
        if entry.kind == "number" and not entry.skipped:
            right = len(given) == 1 and _same_number(given[0], entry.answer[0])
        else:
            right = bool(given) and tuple(sorted(given)) == tuple(sorted(entry.answer))
        marks.append(EntryMark(given, right))
    return RecordMark(tuple(marks), result, result == record.result)
