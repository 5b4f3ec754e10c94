"""Percentages rounded half-up as people round by hand, never truncated."""

from __future__ import annotations

import pytest

from app.officers.rules import display_share, round_half_up, whole_percent


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (57.40, 57.4),
        (100 * 0.574, 57.4),  # 57.39999999999999: a floor showed 57.3
        (57.35, 57.4),
        (57.34, 57.3),
        (12.25, 12.3),
        (0.0, 0.0),
        (100.0, 100.0),
        (99.96, 99.9),  # one volunteer short is not 100%
        (None, None),
    ],
)
def test_display_share_rounds_half_up(value, shown):
    assert display_share(value) == shown


def test_round_half_up_is_not_bankers_rounding():
    assert round_half_up(12.5) == 13 and round(12.5) == 12
    assert round_half_up(2.675, 2) == 2.68


@pytest.mark.parametrize(
    ("part", "whole", "percent"),
    [(1, 8, 13), (3, 8, 38), (0, 3, 0), (3, 3, 100), (199, 200, 99), (1, 0, 0)],
)
def test_whole_percent(part, whole, percent):
    assert whole_percent(part, whole) == percent
