"""The daily targets' export for the provincial meeting: Thai headers, Buddhist-era dates,
percentages rounded to one decimal (tables built here, written by `exports.py`)."""

from __future__ import annotations

from collections.abc import Sequence

from .daily import AreaTarget, DailyTargets, Snapshot
from .exports import SheetSpec, date_be, percent_cell

SUMMARY_HEADER = [
    "รหัสพื้นที่",
    "ชื่อพื้นที่",
    "อาสาสมัครที่ต้องมี (1:40)",
    "ลงทะเบียนแล้ว",
    "พร้อมปฏิบัติงาน (นับไม่เกินที่ต้องมี)",
    "ร้อยละความพร้อม",
    "เป้าหมายวันนี้",
    "ร้อยละเป้าหมายวันนี้",
    "เร็ว/ช้ากว่าแผน (วัน)",
    "สถานะ",
    "วันเริ่มเก็บข้อมูล",
    "เหลืออีก (วัน)",
]
SERIES_HEADER = ["รหัสพื้นที่", "ชื่อพื้นที่", "วันที่", "เป้าหมายสะสม", "ร้อยละของที่ต้องมี"]
HISTORY_HEADER = [
    "วันที่",
    "รหัสพื้นที่",
    "ชื่อพื้นที่",
    "อาสาสมัครที่ต้องมี (1:40)",
    "ลงทะเบียนแล้ว",
    "พร้อมปฏิบัติงาน",
    "พร้อมปฏิบัติงาน (นับไม่เกินที่ต้องมี)",
    "ร้อยละความพร้อม",
    "เป้าหมายของวัน",
]
TOTAL_NAME = "รวม"


def ahead_text(area: AreaTarget) -> str:
    """The area's place on the curve in words, as the page says it."""
    if area.need <= 0:
        return "ไม่ต้องมีอาสาสมัคร"
    if area.met:
        return "ครบตามที่ต้องมีแล้ว"
    if area.ahead is None:
        return "ยังไม่ได้กำหนดวันเริ่มเก็บข้อมูล"
    if area.ahead > 0:
        return f"เร็วกว่าแผน {area.ahead} วัน"
    if area.ahead < 0:
        return f"ช้ากว่าแผน {-area.ahead} วัน"
    return "ตามแผน"


def summary_rows(data: DailyTargets) -> list[list]:
    """One row per child area and a total row."""
    deadline = date_be(data.curve.deadline) if data.curve else ""
    left = data.days_left if data.days_left is not None else ""
    rows = []
    for area in (*data.areas, data.totals):
        rows.append(
            [
                area.code if area is not data.totals else "",
                area.name if area is not data.totals else TOTAL_NAME,
                area.need,
                area.registered,
                area.counted,
                percent_cell(area.percent),
                "" if area.target is None else area.target,
                percent_cell(area.target_percent),
                "" if area.ahead is None else area.ahead,
                ahead_text(area),
                deadline,
                left,
            ]
        )
    return rows


def series_rows(data: DailyTargets) -> list[list]:
    """The target of each child area on each day from today to the deadline."""
    rows = []
    for area in data.areas:
        for day, target in zip(data.days, area.series, strict=True):
            share = 100 * target / area.need if area.need else None
            rows.append([area.code, area.name, date_be(day), target, percent_cell(share)])
    return rows


def history_rows(data: DailyTargets, history: Sequence[tuple[str, Snapshot]]) -> list[list]:
    """The child areas' daily snapshots, oldest first."""
    names = {a.code: a.name for a in data.areas}
    rows = []
    for code, snap in history:
        share = 100 * snap.counted / snap.need if snap.need else None
        rows.append(
            [
                date_be(snap.day), code, names.get(code, code), snap.need, snap.registered,
                snap.ready, snap.counted, percent_cell(share),
                "" if snap.target is None else snap.target,
            ]
        )  # fmt: skip
    return rows


def target_sheets(data: DailyTargets, history: Sequence[tuple[str, Snapshot]]) -> list[SheetSpec]:
    """The workbook: today's targets, the targets to the deadline, the daily history."""
    return [
        SheetSpec(
            "เป้าหมายรายวัน",
            SUMMARY_HEADER,
            summary_rows(data),
            [12, 30, 14, 13, 18, 12, 12, 14, 14, 24, 14, 11],
            frozenset({5, 7}),
        ),
        SheetSpec(
            "เป้าหมายถึงวันเริ่มเก็บ",
            SERIES_HEADER,
            series_rows(data),
            [12, 30, 12, 13, 14],
            frozenset({4}),
        ),
        SheetSpec(
            "ประวัติรายวัน",
            HISTORY_HEADER,
            history_rows(data, history),
            [12, 12, 30, 14, 13, 14, 18, 12, 12],
            frozenset({7}),
        ),
    ]
