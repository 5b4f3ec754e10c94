"""Pure item-analysis rules: thirds of scorers, the discrimination index, wrong-answer counts,
percentages and CSV-safe text. No database, no request."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

MIN_ATTEMPTS = 3  # fewer attempts give no thirds, so no discrimination index
CSV_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def rank_key(attempt_id: int, score: int) -> tuple[int, int]:
    """Sort key of an attempt among scorers: higher score first, ties by lower attempt id."""
    return (-score, attempt_id)


@dataclass(frozen=True)
class Thirds:
    """The top and bottom thirds (n // 3 attempts each) of attempts ranked by rank_key,
    given by their boundary attempts as (attempt id, score)."""

    size: int
    top_last: tuple[int, int]  # the lowest-ranked attempt still in the top third
    bottom_first: tuple[int, int]  # the highest-ranked attempt already in the bottom third

    def in_top(self, attempt_id: int, score: int) -> bool:
        """True when the attempt ranks in the top third."""
        return rank_key(attempt_id, score) <= rank_key(*self.top_last)

    def in_bottom(self, attempt_id: int, score: int) -> bool:
        """True when the attempt ranks in the bottom third."""
        return rank_key(attempt_id, score) >= rank_key(*self.bottom_first)


def thirds(scores: Iterable[tuple[int, int]]) -> Thirds | None:
    """The thirds of (attempt id, score) pairs; None with fewer than MIN_ATTEMPTS."""
    ranked = sorted(scores, key=lambda pair: rank_key(*pair))
    if len(ranked) < MIN_ATTEMPTS:
        return None
    size = len(ranked) // 3
    return Thirds(size, top_last=ranked[size - 1], bottom_first=ranked[len(ranked) - size])


def discrimination(
    top_right: int, top_drew: int, bottom_right: int, bottom_drew: int
) -> float | None:
    """D = share right in the top third − share right in the bottom third, counting only the
    attempts of each third that drew the question; None when either third never drew it.

    Near 1: the question separates those who learnt from those who did not; near 0 or below:
    it does not (often a confusing or mis-keyed question).
    """
    if top_drew <= 0 or bottom_drew <= 0:
        return None
    return top_right / top_drew - bottom_right / bottom_drew


def percent(part: int, whole: int) -> float | None:
    """part of whole in percent; None when whole is 0."""
    return 100 * part / whole if whole else None


def wrong_choice_counts(
    selections: Iterable[tuple[Sequence[str], int]], correct: frozenset[str]
) -> Counter[str]:
    """How often each wrong choice was ticked, from (selected keys, how many answers) of the
    wrong answers. A multiple-choice answer counts every wrong choice it ticked; right choices
    it missed are not counted (an answer that only missed one names no wrong choice)."""
    counts: Counter[str] = Counter()
    for selected, times in selections:
        for key in set(selected) - correct:
            counts[key] += times
    return counts


def most_chosen(counts: Counter[str], order: Sequence[str]) -> tuple[str, int] | None:
    """The most ticked wrong choice and its count; a tie goes to the choice shown first."""
    ranked = sorted(
        (key for key in counts if counts[key] > 0),
        key=lambda key: (-counts[key], order.index(key) if key in order else len(order)),
    )
    return (ranked[0], counts[ranked[0]]) if ranked else None


def csv_text(value: str) -> str:
    """A text cell a spreadsheet will not run as a formula (CSV injection): a leading
    = + - @ (or tab, carriage return) gets a ' in front."""
    return f"'{value}" if value.startswith(CSV_FORMULA_STARTS) else value
