"""Pure rules for mentor visits: who is stuck, how urgent, and whether a device is usable.

The thresholds (days without progress, failures in a row, days before the deadline) are
the province's settings (config `MENTOR_*`), not official figures of the BMN survey."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

# Urgency points: a village short near the deadline weighs most (the survey cannot start
# there), then repeated failures (the volunteer is trying but lost), then silence.
VILLAGE_BASE, VILLAGE_PER_SHORT, VILLAGE_PER_DAY = 50, 5, 5
FAIL_BASE, FAIL_PER_EXTRA = 40, 5
STALL_BASE, STALL_PER_DAY, STALL_MAX_DAYS = 20, 2, 20
DEVICE_NONE, DEVICE_GAP = 15, 8


@dataclass(frozen=True)
class Reason:
    """One reason to visit, in Thai, with its urgency points."""

    code: str  # stalled | failing | village_short | no_device | device_gap
    text_th: str
    points: int


@dataclass
class Finding:
    """A volunteer or village to visit: its reasons, a recent visit, its urgency."""

    kind: str  # "volunteer" | "village"
    subject_id: int  # user id or village id
    village_code: str
    village_label: str
    subdistrict_code: str
    name: str = ""  # the volunteer's name ("" for a village)
    phone: str = ""
    reasons: list[Reason] = field(default_factory=list)
    visited_on: date | None = None
    buddy_name: str = ""
    ready: bool = False

    @property
    def urgency(self) -> int:
        """Sum of the reasons' points, halved when visited recently."""
        total = sum(r.points for r in self.reasons)
        return total // 2 if self.visited_on is not None else total


def days_between(earlier: datetime, later: datetime) -> int:
    """Whole days from one instant to another (0 when `earlier` is later)."""
    return max((later - earlier).days, 0)


def stalled(last_activity: datetime, now: datetime, stall_days: int) -> Reason | None:
    """No quiz tried for `stall_days` days or more (since the last attempt, or since the
    account was made when there is none)."""
    idle = days_between(last_activity, now)
    if idle < stall_days:
        return None
    points = STALL_BASE + STALL_PER_DAY * min(idle - stall_days, STALL_MAX_DAYS)
    return Reason("stalled", f"ไม่มีความคืบหน้ามา {idle} วัน", points)


def failure_streak(results: Iterable[bool]) -> int:
    """How many failures end a chronological run of results (0 after a pass)."""
    streak = 0
    for passed in results:
        streak = 0 if passed else streak + 1
    return streak


def failing(indicator_number: int, streak: int, fail_limit: int) -> Reason | None:
    """`fail_limit` or more failures in a row on the same indicator."""
    if streak < fail_limit:
        return None
    points = FAIL_BASE + FAIL_PER_EXTRA * (streak - fail_limit)
    return Reason("failing", f"สอบตัวชี้วัดที่ {indicator_number} ไม่ผ่าน {streak} ครั้งติดกัน", points)


def village_short(short: int, needed: int, days_left: int | None, near_days: int) -> Reason | None:
    """A village short of ready volunteers at 1:40 while the deadline is `near_days` days
    away or less (nothing when no deadline is known)."""
    if short <= 0 or days_left is None or days_left > near_days:
        return None
    points = VILLAGE_BASE + VILLAGE_PER_SHORT * short + VILLAGE_PER_DAY * (near_days - days_left)
    when = "เลยกำหนดแล้ว" if days_left < 0 else f"เหลือ {days_left} วันถึงกำหนด"
    return Reason("village_short", f"ยังขาดผู้พร้อม {short} จาก {needed} คน ({when})", points)


def usable_device(kind: str | None, check_ok: bool | None) -> bool | None:
    """True for an own device whose check (if run) passed; False for none, shared or a
    failed check; None when the volunteer has not said."""
    if kind is None:
        return None
    return kind == "own" and check_ok is not False


def device_reason(kind: str | None, check_ok: bool | None) -> Reason | None:
    """A device gap worth a visit (ตรวจเครื่อง): none, shared, or a failed check."""
    if kind == "none":
        return Reason("no_device", "ไม่มีอุปกรณ์สำหรับเรียน/เก็บข้อมูล", DEVICE_NONE)
    if kind == "shared":
        return Reason("device_gap", "ใช้อุปกรณ์ร่วมกับผู้อื่น", DEVICE_GAP)
    if kind == "own" and check_ok is False:
        return Reason("device_gap", "เครื่องไม่ผ่านการตรวจ (พื้นที่หรือใช้งานออฟไลน์ไม่ได้)", DEVICE_GAP)
    return None


def check_passes(free_mb: int | None, offline_ok: bool, min_free_mb: int) -> bool:
    """A phone passes the check when it works offline and has enough free storage (an
    unknown free space does not fail it: some browsers do not tell)."""
    return offline_ok and (free_mb is None or free_mb >= min_free_mb)


def by_urgency(findings: Iterable[Finding]) -> list[Finding]:
    """Most urgent first; then villages before volunteers, then by village code and name."""
    return sorted(
        (f for f in findings if f.reasons),
        key=lambda f: (-f.urgency, f.kind != "village", f.village_code, f.name),
    )


def first_name(full_name: str) -> str:
    """The first word of a name (what a buddy sees)."""
    parts = full_name.split()
    return parts[0] if parts else ""


def day_th(day: date | None) -> str:
    """A day as d/m/yyyy in the Buddhist era (as Thai forms write it)."""
    return f"{day.day}/{day.month}/{day.year + 543}" if day else ""
