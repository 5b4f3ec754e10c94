"""Daily targets to the deadline, as plain functions of plain values.

Definitions the dashboard, its export and the snapshots share:

- The campaign runs from the plan's start (the day passes count from, else the day it was
  activated, Asia/Bangkok) to its deadline (the day data collection starts). Day k is the
  date start + k; the deadline is day n.
- The target curve is the share of the need (1:40, `rules.needed`) to have ready by the end
  of each day: 0 on the start day and before, 100% on the deadline and after. Between them a
  straight line (k / n) unless the admin set a profile: n cumulative percentages, one for
  each of days 1..n, non-decreasing and ending at 100.
- An area's target on a day is that share of its need, rounded up (a part of a volunteer is
  a whole one to find); a wider area's target is the sum of its children's.
- Ahead or behind: the last day on the curve whose target the area's ready volunteers
  (counted up to each village's need) already meet, minus today. 0 is on plan; +2 is two
  days ahead ("เร็วกว่าแผน 2 วัน"); -3 three days behind. An area whose need is met, or
  that needs nobody, is neither.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction
from typing import TYPE_CHECKING

from ..errors import DomainError
from .progress import today_bangkok

if TYPE_CHECKING:
    from .models import TrainingPlan

MAX_PROFILE_DAYS = 366


class BadProfile(DomainError):
    """A target profile that is not n cumulative percentages, non-decreasing, ending at 100."""

    def __init__(self, reason: str, **values: object) -> None:
        super().__init__(reason)
        self.reason = reason
        self.values = values


@dataclass(frozen=True)
class Curve:
    """The target curve of a plan: shares of the need by day (see the module's rules)."""

    start: date
    deadline: date
    profile: tuple[Fraction, ...] | None = None  # shares for days 1..n

    @property
    def days(self) -> int:
        """Campaign days from the start to the deadline."""
        return (self.deadline - self.start).days

    def share(self, day: date) -> Fraction:
        """The share of the need to have ready by the end of `day` (0 to 1)."""
        k = (day - self.start).days
        if k < 0 or (k == 0 and self.days > 0):
            return Fraction(0)
        if k >= self.days:
            return Fraction(1)
        if self.profile is not None:
            return self.profile[k - 1]
        return Fraction(k, self.days)

    def target(self, day: date, need: int) -> int:
        """Ready volunteers an area needing `need` should have by the end of `day`."""
        share = self.share(day) * need
        return -(-share.numerator // share.denominator)

    def dates(self, first: date) -> list[date]:
        """Every day from `first` (or the start, if later) to the deadline."""
        day = max(first, self.start)
        return [day + timedelta(days=i) for i in range((self.deadline - day).days + 1)]


@dataclass(frozen=True)
class PlanCurve:
    """A plan's curve, or why there is none (`missing`: "deadline" or "start"), and whether
    a profile was set but no longer fits the campaign's days (a straight line is used)."""

    curve: Curve | None
    missing: str = ""
    profile_ignored: bool = False


def plan_start(plan: TrainingPlan) -> date | None:
    """The campaign's first day: passes count from it, else the plan was activated on it."""
    if plan.passes_from is not None:
        return plan.passes_from
    if plan.activated_at is not None:
        return today_bangkok(plan.activated_at)
    return None


def plan_curve(plan: TrainingPlan) -> PlanCurve:
    """The plan's target curve from its start, deadline and profile."""
    if plan.deadline is None:
        return PlanCurve(None, "deadline")
    start = plan_start(plan)
    if start is None or start > plan.deadline:
        return PlanCurve(None, "start")
    days = (plan.deadline - start).days
    profile = plan.target_profile
    if profile:
        try:
            shares = check_profile(profile, days)
        except BadProfile:
            return PlanCurve(Curve(start, plan.deadline), profile_ignored=True)
        return PlanCurve(Curve(start, plan.deadline, shares))
    return PlanCurve(Curve(start, plan.deadline))


def parse_profile(text: str) -> list[float]:
    """Percentages typed as a list (commas, spaces or new lines between them)."""
    parts = [p for p in text.replace(",", " ").split() if p]
    values = []
    for position, part in enumerate(parts, start=1):
        try:
            value = float(part.rstrip("%"))
        except ValueError:
            raise BadProfile("not-a-number", day=position, value=part[:20]) from None
        if value != value or value in (float("inf"), float("-inf")):
            raise BadProfile("not-a-number", day=position, value=part[:20])
        values.append(value)
    return values


def check_profile(values: Sequence[float], days: int) -> tuple[Fraction, ...]:
    """The profile's shares, once it has one percentage per campaign day (0-100), never
    going down and ending at 100; else BadProfile naming the rule and the day."""
    if len(values) != days:
        raise BadProfile("length", days=days, count=len(values))
    shares, previous = [], Fraction(0)
    for day, value in enumerate(values, start=1):
        share = Fraction(str(value)) / 100
        if share < 0 or share > 1:
            raise BadProfile("range", day=day)
        if share < previous:
            raise BadProfile("decreasing", day=day)
        shares.append(share)
        previous = share
    if shares and shares[-1] != 1:
        raise BadProfile("end")
    return tuple(shares)


def days_ahead(
    curve: Curve, target_on: Callable[[date], int], actual: int, need: int, today: date
) -> int | None:
    """Days ahead (+) or behind (-) of the curve (module rules); None when the area needs
    nobody or already has everyone it needs."""
    if need <= 0 or actual >= need:
        return None
    matched = curve.start
    for day in curve.dates(curve.start):
        if target_on(day) > actual:
            break
        matched = day
    return (matched - today).days


def sum_targets(curve: Curve, needs: Sequence[int]) -> Callable[[date], int]:
    """A wider area's target by day: the sum of its children's."""
    return lambda day: sum(curve.target(day, need) for need in needs)
