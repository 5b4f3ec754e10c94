"""The daily target curve as plain values: straight line and admin profile, the days
before the start, on and after the deadline, the ahead/behind rule and the profile's
checks."""

from __future__ import annotations

from datetime import date, timedelta
from fractions import Fraction

import pytest

from app.readiness.targets import (
    BadProfile,
    Curve,
    check_profile,
    days_ahead,
    parse_profile,
    sum_targets,
)

START = date(2026, 12, 1)
DEADLINE = date(2026, 12, 21)  # 20 campaign days
LINE = Curve(START, DEADLINE)


def day(k: int) -> date:
    return START + timedelta(days=k)


@pytest.mark.parametrize(
    ("k", "target"),
    [(-3, 0), (0, 0), (1, 1), (2, 1), (9, 5), (10, 5), (19, 10), (20, 10), (25, 10)],
)
def test_straight_line_rounds_up_and_holds_at_both_ends(k, target):
    assert LINE.target(day(k), 10) == target


def test_straight_line_share_is_exact():
    assert LINE.share(day(9)) == Fraction(9, 20)
    assert LINE.target(day(1), 40) == 2  # exactly 2.0: no float error rounds it up to 3


def test_profile_gives_the_admins_share_per_day():
    profile = check_profile([0, 0, 10, 50, 100], 5)
    curve = Curve(START, START + timedelta(days=5), profile)
    assert [curve.target(day(k), 20) for k in range(-1, 7)] == [0, 0, 0, 0, 2, 10, 20, 20]


def test_deadline_on_the_start_day_wants_everyone_at_once():
    curve = Curve(START, START)
    assert curve.target(START - timedelta(days=1), 7) == 0
    assert curve.target(START, 7) == 7


@pytest.mark.parametrize(
    ("actual", "today_k", "ahead"),
    [
        (5, 9, 1),  # the target of day 10 is 5: one day ahead
        (5, 10, 0),  # on plan
        (3, 9, -3),  # 3 is the target of day 6: three days behind
        (0, 9, -9),  # nobody yet: the start day matches
        (0, -2, 2),  # before the start, nobody is needed yet
        (9, 25, -7),  # after the deadline and still short
    ],
)
def test_ahead_is_the_last_day_whose_target_is_met_minus_today(actual, today_k, ahead):
    assert days_ahead(LINE, lambda d: LINE.target(d, 10), actual, 10, day(today_k)) == ahead


def test_a_met_or_empty_need_is_neither_ahead_nor_behind():
    assert days_ahead(LINE, lambda d: LINE.target(d, 10), 10, 10, day(3)) is None
    assert days_ahead(LINE, lambda d: 0, 0, 0, day(3)) is None


def test_a_wider_area_sums_its_childrens_targets():
    total = sum_targets(LINE, [10, 3])
    assert total(day(9)) == 5 + 2
    assert days_ahead(LINE, total, 5, 13, day(9)) == -3


def test_profile_text_accepts_commas_spaces_and_percent_signs():
    assert parse_profile("10, 20%\n30 100") == [10.0, 20.0, 30.0, 100.0]


@pytest.mark.parametrize(
    ("values", "days", "reason"),
    [
        ([10, 100], 3, "length"),
        ([10, 5, 100], 3, "decreasing"),
        ([10, 50, 90], 3, "end"),
        ([-1, 50, 100], 3, "range"),
        ([10, 150, 100], 3, "range"),
    ],
)
def test_profile_rules(values, days, reason):
    with pytest.raises(BadProfile) as error:
        check_profile(values, days)
    assert error.value.reason == reason


def test_profile_text_that_is_not_a_number_names_the_day():
    with pytest.raises(BadProfile) as error:
        parse_profile("10, abc, 100")
    assert (error.value.reason, error.value.values["day"]) == ("not-a-number", 2)
