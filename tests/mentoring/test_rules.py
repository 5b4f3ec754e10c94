"""The stuck rules and urgency, as pure functions (no database)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from app.mentoring import rules

NOW = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)


def test_a_volunteer_is_stalled_after_the_set_days_without_a_quiz():
    assert rules.stalled(NOW - timedelta(days=2, hours=23), NOW, 3) is None
    reason = rules.stalled(NOW - timedelta(days=3), NOW, 3)
    assert reason is not None and reason.code == "stalled"
    assert "3 วัน" in reason.text_th
    longer = rules.stalled(NOW - timedelta(days=10), NOW, 3)
    assert longer.points > reason.points


@pytest.mark.parametrize(
    ("results", "streak"),
    [([], 0), ([False], 1), ([False, False, False], 3), ([False, True, False, False], 2),
     ([False, False, False, True], 0)],
)  # fmt: skip
def test_failure_streak_counts_the_failures_since_the_last_pass(results, streak):
    assert rules.failure_streak(results) == streak


def test_repeated_failures_need_the_set_number_in_a_row():
    assert rules.failing(5, 2, 3) is None
    reason = rules.failing(5, 3, 3)
    assert reason.code == "failing" and "ตัวชี้วัดที่ 5" in reason.text_th
    assert rules.failing(5, 5, 3).points > reason.points


def test_a_short_village_counts_only_near_a_known_deadline():
    assert rules.village_short(2, 3, None, 5) is None  # no deadline known
    assert rules.village_short(2, 3, 6, 5) is None  # not near yet
    assert rules.village_short(0, 3, 1, 5) is None  # not short
    near = rules.village_short(2, 3, 5, 5)
    nearer = rules.village_short(2, 3, 1, 5)
    assert near is not None and nearer.points > near.points
    assert "ยังขาดผู้พร้อม 2 จาก 3 คน" in near.text_th
    assert "เลยกำหนดแล้ว" in rules.village_short(1, 1, -1, 5).text_th


def finding(name, *reasons, visited=None, kind="volunteer"):
    return rules.Finding(
        kind, 1, "55010101", "หมู่ 1", "550101", name=name, reasons=list(reasons),
        visited_on=visited,
    )  # fmt: skip


def test_findings_sort_by_urgency_and_a_recent_visit_halves_it():
    stall = rules.stalled(NOW - timedelta(days=4), NOW, 3)
    fail = rules.failing(2, 3, 3)
    village = rules.village_short(3, 3, 1, 5)
    found = rules.by_urgency(
        [
            finding("ก", stall),
            finding("ข", fail),
            finding("", village, kind="village"),
            finding("ค"),  # no reason: not listed
            finding("ง", fail, visited=date(2026, 12, 6)),
        ]
    )
    assert [f.name for f in found] == ["", "ข", "ก", "ง"]  # 22 points beat 40 halved
    assert found[3].urgency == fail.points // 2


def test_a_device_is_usable_when_own_and_not_failed():
    assert rules.usable_device(None, None) is None
    assert rules.usable_device("own", None) is True
    assert rules.usable_device("own", False) is False
    assert rules.usable_device("shared", True) is False
    assert rules.usable_device("none", None) is False
    assert rules.device_reason("own", True) is None
    assert rules.device_reason("none", None).code == "no_device"


def test_a_phone_check_needs_offline_support_and_free_space():
    assert rules.check_passes(1000, True, 300)
    assert rules.check_passes(None, True, 300)  # the browser did not tell
    assert not rules.check_passes(100, True, 300)
    assert not rules.check_passes(1000, False, 300)


def test_days_are_written_in_the_buddhist_era():
    assert rules.day_th(date(2026, 12, 7)) == "7/12/2569"
    assert rules.first_name("สมศรี ใจดี") == "สมศรี"


def test_the_village_rule_counts_down_to_the_plans_deadline():
    """The day villages must be covered by: a province's MENTOR_DEADLINE wins, else the
    deadline the admin set with the daily targets, else the plan's expiry."""
    from app.mentoring.services import campaign_deadline
    from app.readiness.models import TrainingPlan

    plan = TrainingPlan(deadline=date(2026, 12, 20), expires_on=date(2027, 1, 31))
    assert campaign_deadline(plan, None) == date(2026, 12, 20)
    assert campaign_deadline(plan, "2026-12-15") == date(2026, 12, 15)
    plan.deadline = None
    assert campaign_deadline(plan, None) == date(2027, 1, 31)
    assert campaign_deadline(None, None) is None
