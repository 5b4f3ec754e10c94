"""Pure readiness rules, without a database."""

from __future__ import annotations

from datetime import UTC, datetime

from app.readiness.rules import ready_at, verification_code

T1 = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
T2 = datetime(2026, 11, 3, 15, 30, tzinfo=UTC)


def test_ready_when_every_required_indicator_is_passed_at_the_last_pass():
    assert ready_at([1, 2], {1: T1, 2: T2, 3: T1}) == T2


def test_not_ready_while_one_is_missing_or_the_plan_is_empty():
    assert ready_at([1, 2], {1: T1}) is None
    assert ready_at([], {1: T1}) is None


def test_verification_code_is_short_stable_and_depends_on_the_secret():
    code = verification_code("s1", 7, 1, T1)
    assert len(code) == 9 and code[4] == "-"
    assert code == verification_code("s1", 7, 1, T1)
    assert code != verification_code("s2", 7, 1, T1)
    assert code != verification_code("s1", 8, 1, T1)
    assert not set(code) & set("01IO")
