"""Item-analysis rules: thirds of scorers, discrimination, wrong answers, CSV-safe text."""

from __future__ import annotations

from collections import Counter

import pytest

from app.studio.rules import (
    csv_text,
    discrimination,
    most_chosen,
    percent,
    thirds,
    wrong_choice_counts,
)


def test_discrimination_is_top_share_minus_bottom_share():
    assert discrimination(top_right=3, top_drew=4, bottom_right=1, bottom_drew=4) == 0.5
    assert discrimination(2, 2, 2, 2) == 0.0
    assert discrimination(0, 3, 3, 3) == -1.0  # the weak scorers get it right: suspicious


def test_discrimination_needs_both_thirds_to_have_drawn_the_question():
    assert discrimination(2, 2, 0, 0) is None
    assert discrimination(0, 0, 1, 2) is None


def test_fewer_than_three_attempts_have_no_thirds():
    assert thirds([]) is None
    assert thirds([(1, 5), (2, 0)]) is None


def test_thirds_take_n_div_3_from_each_end():
    scores = [(1, 5), (2, 4), (3, 3), (4, 2), (5, 1), (6, 0), (7, 0)]  # n=7 -> 2 each
    cut = thirds(scores)
    assert cut.size == 2
    assert [a for a, s in scores if cut.in_top(a, s)] == [1, 2]
    assert [a for a, s in scores if cut.in_bottom(a, s)] == [6, 7]


def test_tied_scores_are_split_by_attempt_id():
    scores = [(9, 3), (4, 3), (7, 3), (2, 3), (5, 3), (8, 3)]  # all tied, n=6 -> 2 each
    cut = thirds(scores)
    assert sorted(a for a, s in scores if cut.in_top(a, s)) == [2, 4]
    assert sorted(a for a, s in scores if cut.in_bottom(a, s)) == [8, 9]


def test_three_attempts_give_one_each_and_a_middle():
    cut = thirds([(1, 0), (2, 2), (3, 1)])
    assert cut.in_top(2, 2) and not cut.in_top(3, 1)
    assert cut.in_bottom(1, 0) and not cut.in_bottom(3, 1)


def test_known_numbers_end_to_end():
    # 9 attempts -> thirds of 3. Top: 10, 11, 12 (scores 5,5,4); bottom: 16, 17, 18.
    scores = [(10, 5), (11, 5), (12, 4), (13, 3), (14, 3), (15, 2), (16, 1), (17, 1), (18, 0)]
    right = {10: True, 11: True, 12: False, 13: True, 16: True, 17: False, 18: False}
    cut = thirds(scores)
    top = [right[a] for a, s in scores if cut.in_top(a, s) and a in right]
    bottom = [right[a] for a, s in scores if cut.in_bottom(a, s) and a in right]
    d = discrimination(sum(top), len(top), sum(bottom), len(bottom))
    assert d == pytest.approx(2 / 3 - 1 / 3)


def test_wrong_choices_count_each_wrong_tick_and_not_missed_right_ones():
    correct = frozenset({"a", "c"})
    selections = [(["b"], 4), (["a", "b", "d"], 2), (["a"], 5), ([], 1)]
    counts = wrong_choice_counts(selections, correct)
    assert counts == Counter({"b": 6, "d": 2})


def test_the_most_chosen_wrong_choice_breaks_ties_by_display_order():
    assert most_chosen(Counter({"c": 3, "b": 3, "d": 1}), ["a", "b", "c", "d"]) == ("b", 3)
    assert most_chosen(Counter(), ["a", "b"]) is None


def test_percent_of_nothing_is_unknown():
    assert percent(1, 4) == 25
    assert percent(0, 0) is None


@pytest.mark.parametrize("text", ["=1+1", "+66", "-2", "@SUM(A1)", "\t=x"])
def test_csv_text_defuses_formulas(text):
    assert csv_text(text) == "'" + text


def test_csv_text_leaves_ordinary_text_alone():
    assert csv_text("หญิงตั้งครรภ์ = ?") == "หญิงตั้งครรภ์ = ?"
