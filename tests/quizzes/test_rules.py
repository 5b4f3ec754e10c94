"""Pure quiz rules, without a database."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from app.quizzes.rules import draw_questions, is_correct, passes, retake_at

BANK = {qid: ["a", "b", "c", "d"] for qid in range(1, 9)}


def test_draw_takes_the_requested_number_of_distinct_questions():
    drawn = draw_questions(BANK, 5, random.Random(1))
    assert len(drawn) == 5
    assert len({d.question_id for d in drawn}) == 5
    assert all(sorted(d.choice_keys) == ["a", "b", "c", "d"] for d in drawn)


def test_draw_never_takes_more_than_the_bank():
    assert len(draw_questions({1: ["a", "b"]}, 5, random.Random(1))) == 1


def test_draw_shuffles_questions_and_choices():
    orders = {
        tuple(d.question_id for d in draw_questions(BANK, 5, random.Random(s))) for s in range(20)
    }
    choice_orders = {draw_questions(BANK, 1, random.Random(s))[0].choice_keys for s in range(20)}
    assert len(orders) > 1
    assert len(choice_orders) > 1


def test_only_the_exact_set_of_right_choices_is_correct():
    right = frozenset({"a", "c"})
    assert is_correct(frozenset({"a", "c"}), right)
    assert not is_correct(frozenset({"a"}), right)
    assert not is_correct(frozenset({"a", "b", "c"}), right)
    assert not is_correct(frozenset(), frozenset())


def test_pass_mark_rounds_up_to_whole_questions():
    assert passes(4, 5, 80)
    assert not passes(3, 5, 80)
    assert passes(3, 4, 75)
    assert not passes(2, 3, 80)  # 80 % of 3 is 2.4: three are needed
    assert not passes(0, 0, 80)


def test_retake_waits_for_the_cooldown_after_a_failure():
    failed = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
    assert retake_at(failed, 0) is None
    assert retake_at(None, 300) is None
    assert retake_at(failed, 300) == failed + timedelta(minutes=5)
