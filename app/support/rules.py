"""Pure rules of the support queue: waiting times, overdue questions, and removing personal
details from a question before it becomes a public FAQ card."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime, timedelta
from statistics import median

MASK = "[ปิดไว้]"

# Thai mobile numbers: 0 then 6, 8 or 9 and eight more digits (or +66 without the 0), with
# optional spaces, dots or hyphens between the groups (081-234-5678, 081 234 5678, +6681...).
_SEP = r"[\s.\-]?"
MOBILE = re.compile(rf"(?<!\d)(?:\+?66{_SEP}|0)[689]\d{_SEP}\d{{3}}{_SEP}\d{{4}}(?!\d)")
# A 13-digit ID card number, written plain or as 1-2345-67890-12-3 (spaces too).
NATIONAL_ID = re.compile(rf"(?<!\d)\d{_SEP}\d{{4}}{_SEP}\d{{5}}{_SEP}\d{{2}}{_SEP}\d(?!\d)")
# House numbers: "บ้านเลขที่ 12/3", "เลขที่ 45", "บ้านเลขที่12/3 หมู่ 4" (the หมู่ stays).
HOUSE_NUMBER = re.compile(r"((?:บ้าน)?เลขที่|บ้าน\s*เลข)\s*\d+(?:\s*/\s*\d+)?")


def scrub(text: str, names: Iterable[str] = ()) -> str:
    """The text with names (each word of at least 2 letters), mobile numbers, ID card numbers
    and house numbers replaced by MASK."""
    text = NATIONAL_ID.sub(MASK, text)
    text = MOBILE.sub(MASK, text)
    text = HOUSE_NUMBER.sub(lambda m: f"{m.group(1)} {MASK}", text)
    words = {w for name in names for w in name.split() if len(w) >= 2}
    for word in sorted(words, key=len, reverse=True):
        text = re.sub(re.escape(word), MASK, text, flags=re.IGNORECASE)
    return text


def is_overdue(created_at: datetime, now: datetime, overdue_hours: float) -> bool:
    """True when an open question has waited longer than the team's target."""
    return now - created_at > timedelta(hours=overdue_hours)


def median_answer_hours(pairs: Iterable[tuple[datetime, datetime]]) -> float | None:
    """The median hours from asking to answering over (created_at, answered_at) pairs; None
    when there are none."""
    hours = [(answered - created).total_seconds() / 3600 for created, answered in pairs]
    return round(median(hours), 1) if hours else None


def waited(created_at: datetime, now: datetime) -> tuple[int, int]:
    """How long a question has waited, as (hours, minutes)."""
    minutes = max(0, int((now - created_at).total_seconds() // 60))
    return minutes // 60, minutes % 60
