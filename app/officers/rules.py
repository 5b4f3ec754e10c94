"""Coverage at 1:40 and the rankings' order, as plain functions of plain values.

Definitions the officers' pages, exports and the API share:

- needed: one ready volunteer per 40 households, rounded up (81 households need 3); a village
  without a household count (None) or with 0 households needs none.
- share: the percentage of needed volunteers who are ready, with ready counted only up to
  needed (a surplus never shows more than 100%). Where nothing is needed there is no share
  (None): such an area shows "-" and is never ranked.
- Across several villages (subdistrict, district, ...) ready is capped per village before
  summing, so a surplus in one village does not hide a shortfall in another.
- Rankings: higher share first; among equal shares the area with more ready volunteers
  counted first (a village that trained 5 of its 5 ranks above one that needed only 1),
  then the area that reached 100% earlier (areas not at 100% have no such moment and come
  after); then by code. Areas needing fewer than RANKING_MIN_NEEDED volunteers (a setting,
  1 by default: no national threshold exists) are not ranked.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

HOUSEHOLDS_PER_VOLUNTEER = 40

# Sorts after every real moment, so areas that never reached 100% come last among equals.
_NEVER = (1, 0.0)


def needed(households: int | None, ratio: int = HOUSEHOLDS_PER_VOLUNTEER) -> int:
    """Ready volunteers a village needs: ceil(households / ratio), 0 when unknown or empty."""
    if not households or households <= 0:
        return 0
    return -(-households // ratio)


def counted_ready(ready: int, needed_: int) -> int:
    """Ready volunteers that count towards a target: at most the number needed."""
    return max(0, min(ready, needed_))


def short(needed_: int, ready: int) -> int:
    """Ready volunteers still missing (0 when the target is met or exceeded)."""
    return max(needed_ - ready, 0)


def share_ready(ready: int, needed_: int) -> float | None:
    """Percentage (0-100) of needed volunteers who are ready; None when none are needed."""
    if needed_ <= 0:
        return None
    return 100 * counted_ready(ready, needed_) / needed_


def capped_sum(pairs: Iterable[tuple[int, int]]) -> int:
    """Sum of ready counted up to needed per village, from (ready, needed) pairs."""
    return sum(counted_ready(ready, need) for ready, need in pairs)


def reached_full_at(
    villages: Iterable[tuple[int, datetime | None]],
) -> datetime | None:
    """When a group of villages reached 100%: the latest of its villages' moments, from
    (needed, reached_at) pairs. None if any village that needs volunteers is not full yet,
    or if none needs any."""
    latest: datetime | None = None
    any_needed = False
    for need, reached in villages:
        if need <= 0:
            continue
        any_needed = True
        if reached is None:
            return None
        latest = reached if latest is None or reached > latest else latest
    return latest if any_needed else None


def ranking_key(
    share: float | None, reached_at: datetime | None, code: str, counted: int = 0
) -> tuple[float, int, tuple[int, float], str]:
    """Sort key for rankings: share descending, then more ready volunteers counted, then
    earliest 100% moment, then code."""
    moment = (0, reached_at.timestamp()) if reached_at is not None else _NEVER
    return (-(share or 0.0), -counted, moment, code)


def rankable(needed_: int, min_needed: int) -> bool:
    """Whether an area is big enough to be ranked: it needs at least `min_needed` (and 1)."""
    return needed_ >= max(min_needed, 1)


def round_half_up(value: float, digits: int = 0) -> float:
    """`value` rounded half away from zero at `digits` decimals, as people round by hand:
    57.35 -> 57.4, 12.5 -> 13 (Python's round() rounds half to even, and floors truncate
    57.39999... to 57.3). The float's shortest repr is rounded, not its binary expansion."""
    step = Decimal(1).scaleb(-digits)
    return float(Decimal(repr(float(value))).quantize(step, rounding=ROUND_HALF_UP))


def display_share(value: float | None) -> float | None:
    """A share for pages and exports: one decimal, rounded half-up, except that a share below
    100 never shows as 100 (99.96 -> 99.9: a village one volunteer short is not full)."""
    if value is None:
        return None
    shown = round_half_up(value, 1)
    return 99.9 if shown >= 100 and value < 100 else shown


def whole_percent(part: int, whole: int) -> int:
    """part/whole as a whole percentage rounded half-up (1 of 8 -> 13), 0 when whole is 0."""
    if not whole:
        return 0
    shown = int(round_half_up(100 * part / whole))
    return 99 if shown >= 100 and part < whole else shown
