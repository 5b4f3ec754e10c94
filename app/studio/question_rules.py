"""Pure rules for question editing: keys, choice checks, see targets. No database, no request."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from ..content.files import SLUG
from ..content.models import LESSON_SECTIONS
from ..quizzes.files import CHOICE_KEYS, TRUE_FALSE, ChoiceSpec

KEY_MAX = 60

# Problems with a question's choices, the same rules as a bank file (app/quizzes/files.py).
TOO_FEW = "too_few"
DUPLICATE = "duplicate"
EMPTY_CORRECT = "empty_correct"
SINGLE_NEEDS_ONE = "single_needs_one"
MULTIPLE_NEEDS_ONE = "multiple_needs_one"


def slugify_key(text: str) -> str:
    """A key from what the trainer typed: lower case a-z, 0-9 and single '-' ("" if none)."""
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:KEY_MAX].rstrip("-")


def automatic_key(taken: Iterable[str]) -> str:
    """The first free q-<n>, counting from the number of keys already used."""
    used = set(taken)
    n = len(used) + 1
    while f"q-{n}" in used:
        n += 1
    return f"q-{n}"


def is_key(text: str) -> bool:
    """True for a valid question key (the bank file's slug rule)."""
    return bool(SLUG.fullmatch(text)) and len(text) <= KEY_MAX


def choice_problems(kind: str, rows: Sequence[tuple[str, bool]]) -> list[str]:
    """What is wrong with a single or multiple question's choice rows (text, ticked correct);
    rows left empty are ignored. A truefalse question has fixed choices: no problems."""
    if kind == "truefalse":
        return []
    problems = []
    if any(correct and not text.strip() for text, correct in rows):
        problems.append(EMPTY_CORRECT)
    filled = [(text.strip(), correct) for text, correct in rows if text.strip()]
    if len(filled) < 2:
        problems.append(TOO_FEW)
    if len({text for text, _ in filled}) != len(filled):
        problems.append(DUPLICATE)
    right = sum(correct for _, correct in filled)
    if kind == "single" and right != 1:
        problems.append(SINGLE_NEEDS_ONE)
    if kind == "multiple" and right < 1:
        problems.append(MULTIPLE_NEEDS_ONE)
    return problems


def build_choices(
    kind: str, rows: Sequence[tuple[str, bool]], answer: bool | None
) -> tuple[ChoiceSpec, ...]:
    """The choices as stored: the filled rows keyed a, b, c …; for truefalse the two fixed
    choices "ถูก"/"ผิด" with the answer marked, the same shape as a bank file."""
    if kind == "truefalse":
        return tuple(
            ChoiceSpec(CHOICE_KEYS[i], label, value == answer)
            for i, (label, value) in enumerate(TRUE_FALSE)
        )
    filled = [(text.strip(), correct) for text, correct in rows if text.strip()]
    return tuple(
        ChoiceSpec(CHOICE_KEYS[i], text, correct) for i, (text, correct) in enumerate(filled)
    )


def see_values(faq_slugs: Iterable[str], *, basics: bool) -> list[str]:
    """Where a question may point: the lesson sections, "criterion" (indicators only) and
    the indicator's FAQ cards as faq:<slug>."""
    sections = list(LESSON_SECTIONS) + ([] if basics else ["criterion"])
    return sections + [f"faq:{slug}" for slug in faq_slugs]
