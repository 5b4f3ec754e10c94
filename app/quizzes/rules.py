"""Pure quiz rules: drawing, scoring, cooldown. No database, no request."""

from __future__ import annotations

import math
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class DrawnQuestion:
    """A question as drawn for an attempt: its id and its choices' order."""

    question_id: int
    choice_keys: tuple[str, ...]


def draw_questions(
    bank: Mapping[int, Sequence[str]], size: int, rng: random.Random
) -> list[DrawnQuestion]:
    """Pick `size` questions from bank (question id -> choice keys), shuffling both."""
    ids = rng.sample(sorted(bank), k=min(size, len(bank)))
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
