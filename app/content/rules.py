"""Pure content rules: who counts as a household member (no residence period on people),
how a questionnaire item's text shows its blanks, and the fingerprint of a set of items.

The department's form defines a member as someone actually living in the household now
("ต้องเป็นข้อมูลสมาชิกที่อาศัยอยู่จริงในปัจจุบัน", smartsurvey NewMemberPage.dart:118; see
shared/data/SOURCES.md, "Household member"). The 6-month rule of the Nan campaign report is
about which HOUSEHOLDS are surveyed ("ครัวเรือนที่อาศัยอยู่จริงในพื้นที่ไม่น้อยกว่า 6 เดือน
ติดต่อกัน"), never about people.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Sequence

# A stay somewhere: "อาศัย", or "อยู่" used as living somewhere (not "อยู่ในกลุ่ม", "เรียนอยู่").
RESIDENCE = re.compile(r"อาศัย|สมาชิก|อยู่(?:บ้าน|ใน(?:บ้าน|ครัวเรือน)|กับ|ด้วย|มา|ได้|ติดต่อ)|(?:มา|ย้าย|กลับ)อยู่")
# A threshold on a length of time: "ติดต่อกันอย่างน้อย 6 เดือน", "ยังไม่ถึง 6 เดือน", "เกิน 6 เดือน"...
PERIOD = re.compile(
    r"(?:ติดต่อกัน|อย่างน้อย|ไม่น้อยกว่า|ไม่ต่ำกว่า|ไม่ถึง|เกิน|มากกว่า|ครบ|ถึง)\s*(?:มา(?:แล้ว)?)?\s*"
    r"(?:\d+|หนึ่ง|สอง|สาม|สี่|ห้า|หก|เจ็ด|แปด|เก้า|สิบ)\s*(?:เดือน|ปี)(?!แรก)|ครึ่งปี"
)
WINDOW = 80  # characters before the period that belong to the same statement
AGE = re.compile(r"อายุ\S{0,8}\s*$")  # "อายุยังไม่ถึง 6 เดือน" is an age, not a stay
HOUSEHOLD_LIST = "พื้นที่"  # the household rule: "ครัวเรือนที่อาศัยอยู่จริงในพื้นที่ ..."


def residence_periods(text: str) -> list[str]:
    """The statements in text that put a length of stay on a person, one line at a time."""
    found = []
    for line in text.splitlines():
        for period in PERIOD.finditer(line):
            before = line[max(0, period.start() - WINDOW) : period.start()]
            if AGE.search(before) or HOUSEHOLD_LIST in before + period.group():
                continue
            if RESIDENCE.search(before):
                found.append(line[max(0, period.start() - WINDOW) : period.end()].strip())
    return found


# On the printed form "..." is where the interviewer writes a number and "$count" (also
# "$count60", "$countDisabled" ...) a number the form fills in from the household roster.
_BLANKS = re.compile(r"\.\.\.|…|\$[A-Za-z][A-Za-z0-9]*")


# Where the survey app computes a value from the roster, the questionnaire file keeps its code,
# e.g. `home.countMember().toString() + " คน"` (indicator 28's member count): a roster number.
_APP_VALUE = re.compile(r'\s*((?:[A-Za-z_]\w*(?:\(\))?\.?)+)\s*\+\s*"([^"]*)"\s*')


def form_parts(text: str) -> list[tuple[str, str]]:
    """Text of a questionnaire item as ("text", words), ("blank", "") for a number the
    interviewer writes, and ("roster", name) for a number filled in from the roster."""
    code = _APP_VALUE.fullmatch(text)
    if code:
        return [("roster", code.group(1)), ("text", code.group(2))]
    parts: list[tuple[str, str]] = []
    position = 0
    for match in _BLANKS.finditer(text):
        if match.start() > position:
            parts.append(("text", text[position : match.start()]))
        token = match.group()
        parts.append(("roster", token[1:]) if token.startswith("$") else ("blank", ""))
        position = match.end()
    if position < len(text):
        parts.append(("text", text[position:]))
    return parts


def items_hash(items: Iterable[tuple[str, str, Sequence[str]]]) -> str:
    """sha256 of questionnaire items as (label, question, answer options), in order: what a
    trainer confirmed; any change to an item makes a different hash."""
    canonical = json.dumps(
        [[label, question, list(answers)] for label, question, answers in items],
        ensure_ascii=False,
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


# An item where the form lets the interviewer tick several boxes says so in its question:
# "(ตอบได้มากกว่า 1 ข้อ)", "(เลือกได้มากกว่า 1 ข้อ)", "ระบุได้มากกว่า 1 ด้าน".
_SEVERAL = re.compile(r"มากกว่า\s*1")


def item_kind(question: str, answers: Sequence[str]) -> str | None:
    """How a questionnaire item is filled in: "one" box to tick, "many" boxes, a "number" to
    write (its only option has the blank), or None for a heading with no boxes of its own."""
    options = [a for a in answers if a.strip()]
    if not options:
        return None
    if len(options) == 1:
        return "number"
    return "many" if _SEVERAL.search(question) else "one"
