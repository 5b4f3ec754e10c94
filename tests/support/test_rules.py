"""The support queue's pure rules: scrubbing personal details, waiting-time arithmetic."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.support.rules import MASK, is_overdue, median_answer_hours, scrub, waited

NOW = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "kept", "gone"),
    [
        ("โทรหาผมที่ 081-234-5678 ได้เลย", "โทรหาผมที่", "5678"),
        ("เบอร์ 0812345678 ครับ", "เบอร์", "0812345678"),
        ("ติดต่อ +66 81 234 5678", "ติดต่อ", "234"),
        ("เลขบัตร 1-2345-67890-12-3 ของแม่", "ของแม่", "67890"),
        ("เลขบัตร 1234567890123", "เลขบัตร", "1234567890123"),
        ("ไปที่บ้านเลขที่ 12/3 หมู่ 4 แล้ว", "หมู่ 4", "12/3"),
        ("บ้านเลขที่45 ไม่มีคนอยู่", "ไม่มีคนอยู่", "45"),
    ],
)
def test_scrub_masks_numbers_that_identify_people(text, kept, gone):
    cleaned = scrub(text)
    assert kept in cleaned
    assert gone not in cleaned
    assert MASK in cleaned


def test_scrub_masks_the_askers_name_and_keeps_ordinary_numbers():
    cleaned = scrub("สมศรี ทดสอบ ถามว่า สมาชิก 5 คน อายุ 60 ปี นับอย่างไร", ["สมศรี ทดสอบ"])
    assert "สมศรี" not in cleaned and "ทดสอบ" not in cleaned
    assert "สมาชิก 5 คน อายุ 60 ปี" in cleaned


def test_overdue_after_the_configured_hours():
    assert not is_overdue(NOW - timedelta(hours=4), NOW, 4)
    assert is_overdue(NOW - timedelta(hours=4, minutes=1), NOW, 4)


def test_median_answer_hours():
    pairs = [(NOW, NOW + timedelta(hours=h)) for h in (1, 2, 9)]
    assert median_answer_hours(pairs) == 2.0
    pairs.append((NOW, NOW + timedelta(hours=4)))
    assert median_answer_hours(pairs) == 3.0
    assert median_answer_hours([]) is None


def test_waited_in_hours_and_minutes():
    assert waited(NOW - timedelta(hours=5, minutes=7), NOW) == (5, 7)
    assert waited(NOW + timedelta(minutes=1), NOW) == (0, 0)
