"""Style of the Thai text a volunteer reads (issue 12, deliverable 6).

- No " : " before a question: a scenario and its question are two sentences, not "X : Y หรือไม่".
- The "no official criterion yet" disclaimer appears at most once per lesson page (its
  lesson.yaml sections and its FAQ cards). For the 31 carried-over indicators the pass rule is the
  recording section's ("วิธีบันทึก", from recording.yaml), so their lessons point there instead; the
  7 provisional indicators (1, 5, 12, 20, 36, 37, 38) say once, in `measures`, that their wording
  and criterion await the 2566-2570 manual (the phrase normalised to is PROVISIONAL_NOTE).
- Nothing claims that content conforms to the 2566-2570 manual: it was not checked against it.

These checks read the files only; they need neither the app nor a database.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
CONTENT, QUIZZES = ROOT / "content", ROOT / "quizzes"

PROVISIONAL_NOTE = "ถ้อยคำและเกณฑ์ของตัวชี้วัดนี้ยังไม่ใช่ของทางการ รอคู่มือการจัดเก็บข้อมูล จปฐ. ปี 2566-2570"
RECORDING_POINTER = "ดูหัวข้อ “วิธีบันทึก” ด้านล่าง"

# Every wording of the "no official criterion / wording yet" disclaimer found in the content
# before it was normalised; one match on a line counts as one disclaimer.
DISCLAIMER = re.compile(
    r"ยังไม่มีเกณฑ์|ยังไม่มีรายละเอียด(?:ทางการ)?|รายละเอียดที่บทเรียนนี้ยังไม่มี"
    r"|ไม่ใช่ถ้อยคำทางการ|ยังไม่ใช่ของทางการ|ถ้อยคำชั่วคราว"
    r"|เกณฑ์(?:ที่แน่นอน|ละเอียด)?(?:ของตัวชี้วัดนี้)?(?:มาจาก|อยู่ใน)คู่มือ"
)

# A question after " : " (or " :" / ": " with spaces) ends the text with a question word.
COLON_QUESTION = re.compile(r"\s:\s*[^:\n]*(?:หรือไม่|อย่างไร|ไหม|อะไร|เท่าไร|ใด)\S*\s*$")

# Claims that content conforms to (was written from, checked against) the 2566-2570 manual.
CONFORMITY = re.compile(
    r"(?:ตรงตาม|เป็นไปตาม|สอดคล้องกับ|อ้างอิง|จัดทำตาม|เขียนตาม|ถูกต้องตาม)คู่มือ[^\n]{0,40}2566-2570"
    r"|(?:ตรวจ(?:สอบ|ทาน)?กับ|ผ่านการตรวจ(?:สอบ)?(?:กับ|ตาม))คู่มือ[^\n]{0,40}2566-2570\s*แล้ว"
    r"|ตามคู่มือ(?:การจัดเก็บข้อมูล)?\s*(?:จปฐ\.\s*)?(?:ปี\s*|ฉบับ\s*)?2566-2570\s*$"
    r"|ฉบับทางการ\s*2566-2570\s*แล้ว"
)
# "บันทึก/ทำ/ยึด ... ตามคู่มือ ... 2566-2570" is an instruction (follow the manual), not a claim;
# the last CONFORMITY branch only catches a bare label such as "BMN Learn | ตามคู่มือ... 2566-2570".
INSTRUCTION = re.compile(r"(?:ให้|ทำ|บันทึก|ยึด|นับ)[^\n]{0,20}ตามคู่มือ")


def indicator_numbers(status: str) -> list[int]:
    with (CONTENT / "indicators.csv").open(encoding="utf-8") as fh:
        return [int(r["number"]) for r in csv.DictReader(fh) if r["status"] == status]


def lesson_dirs() -> list[Path]:
    return sorted(p for p in (CONTENT / "indicators").iterdir() if p.is_dir())


def lesson_texts(folder: Path) -> list[tuple[str, str]]:
    """(where, text) for every section of lesson.yaml and every FAQ card of one lesson page."""
    out: list[tuple[str, str]] = []
    lesson = folder / "lesson.yaml"
    if lesson.exists():
        data = yaml.safe_load(lesson.read_text(encoding="utf-8"))
        for key, value in data.items():
            if isinstance(value, str):
                out.append((f"{lesson.relative_to(ROOT)}:{key}", value))
    for card in sorted(folder.glob("faq/*.md")):
        out.append((str(card.relative_to(ROOT)), card.read_text(encoding="utf-8")))
    return out


def quiz_texts(text: str) -> list[str]:
    """Question texts, choices and explanations of one bank (the YAML's text)."""
    data = yaml.safe_load(text)
    out: list[str] = []
    for q in data.get("questions", []):
        out.append(q.get("text", ""))
        out.append(q.get("explanation", ""))
        out.extend(c.get("text", "") for c in q.get("choices", []) or [])
    return out


# An interview line: what the volunteer says to the household, quoted “...” in how_to_ask.
QUOTE = re.compile(r"“([^”]+)”")
POLITE_END = re.compile(r"(?:ครับ|คะ|ค่ะ)(?:/(?:คะ|ค่ะ))?\s*$")
# A question the line puts to the household ends in one of these (อะไร/กี่ ask within it).
ASKS = re.compile(r"(?:ไหม|หรือไม่|หรือเปล่า)(?=\s*(?:ครับ|คะ|ค่ะ|$|[ ,]))")


def interview_lines(text: str) -> list[str]:
    """The quoted lines of an interview text: a sentence (a space or a question in it); short
    quotes and single phrases such as “ในรอบปีที่ผ่านมา” are words or form labels."""
    return [
        q.strip()
        for q in QUOTE.findall(text)
        if len(q.strip()) >= 15 and (" " in q.strip() or ASKS.search(q))
    ]


def impolite_or_double(line: str) -> bool:
    """True when an interview line does not end with ครับ/ค่ะ (คะ for a question) or asks
    the household more than one question at once."""
    return not POLITE_END.search(line) or len(ASKS.findall(line)) > 1


def colon_questions(text: str) -> list[str]:
    return [line for line in text.splitlines() if COLON_QUESTION.search(line)]


def disclaimers(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if DISCLAIMER.search(line)]


def conformity_claims(text: str) -> list[str]:
    hits = []
    for line in text.splitlines():
        m = CONFORMITY.search(line)
        if m and not (m.group(0).startswith("ตามคู่มือ") and INSTRUCTION.search(line)):
            hits.append(line.strip())
    return hits


# --- the rules catch what the content said before it was edited ---------------------------


@pytest.mark.parametrize(
    "line",
    [
        "ครัวเรือนหนึ่งมีพ่อ แม่ และลูกคนเดียวอายุ 15 ปี : ผ่านเกณฑ์ตัวชี้วัดนี้หรือไม่",
        "ครัวเรือนหนึ่งเล่าว่า เวลาเป็นหวัดจะต้มสมุนไพรกินเอง : ควรทำอย่างไร",
        "ลุงดื่มเบียร์เฉพาะงานบุญ : ผ่านเกณฑ์ตัวชี้วัดนี้หรือไม่ ควรบันทึกอย่างไร",
    ],
)
def test_colon_before_question_is_caught(line: str) -> None:
    assert colon_questions(line)


def test_colon_rule_leaves_other_colons_alone() -> None:
    assert not colon_questions("เวลา 10:30 น. ครัวเรือนนี้ผ่านเกณฑ์ตัวชี้วัดนี้หรือไม่")
    assert not colon_questions("หมายเหตุ: ถามทีละเรื่อง")


def test_old_disclaimers_are_counted() -> None:
    old = (
        "  ถ้อยคำของตัวชี้วัดนี้ยังไม่ใช่ถ้อยคำทางการ รอตรวจกับคู่มือการจัดเก็บข้อมูล จปฐ. ปี 2566-2570\n"
        "  - **บทเรียนนี้ยังไม่มีเกณฑ์ของตัวชี้วัดนี้** ว่าต้องฝากครรภ์กี่ครั้ง\n"
        "  - **เกณฑ์ที่แน่นอนของตัวชี้วัดนี้มาจากคู่มือการจัดเก็บข้อมูล จปฐ. ปี 2566-2570**\n"
        "  - **บทเรียนนี้ยังไม่มีรายละเอียดทางการ** ว่ากิจกรรมใดนับ\n"
    )
    assert len(disclaimers(old)) == 4


@pytest.mark.parametrize(
    "line",
    [
        "BMN Learn | ตามคู่มือการจัดเก็บข้อมูล จปฐ. ปี 2566-2570",
        "บทเรียนนี้เขียนตามคู่มือการจัดเก็บข้อมูล จปฐ. ปี 2566-2570",
        "เนื้อหาตรวจสอบกับคู่มือ จปฐ. ปี 2566-2570 แล้ว",
        "ข้อมูลถูกต้องตามคู่มือ 2566-2570",
    ],
)
def test_conformity_claims_are_caught(line: str) -> None:
    assert conformity_claims(line)


def test_follow_the_manual_is_not_a_claim() -> None:
    assert not conformity_claims("- วิธีนับอายุให้ยึดตามคู่มือการจัดเก็บข้อมูล จปฐ. ปี 2566-2570")
    assert not conformity_claims("ถ้าคู่มือ 2566-2570 ต่างออกไป ให้ยึดคู่มือใหม่")


# --- the shipped content --------------------------------------------------------------------


@pytest.mark.parametrize("bank", sorted(QUIZZES.glob("*.yaml")), ids=lambda p: p.name)
def test_no_colon_before_question_in_banks(bank: Path) -> None:
    bad = [t for t in quiz_texts(bank.read_text(encoding="utf-8")) for t in colon_questions(t)]
    assert not bad, f"{bank.name}: ' : ' before a question: {bad[:3]}"


@pytest.mark.parametrize("folder", lesson_dirs(), ids=lambda p: p.name)
def test_no_colon_before_question_in_lessons(folder: Path) -> None:
    bad = [(w, line) for w, t in lesson_texts(folder) for line in colon_questions(t)]
    assert not bad, bad[:3]


@pytest.mark.parametrize("folder", lesson_dirs(), ids=lambda p: p.name)
def test_disclaimer_at_most_once_per_lesson(folder: Path) -> None:
    found = [(w, line) for w, t in lesson_texts(folder) for line in disclaimers(t)]
    assert len(found) <= 1, f"indicator {folder.name}: {len(found)} disclaimers: {found}"


@pytest.mark.parametrize("number", indicator_numbers("provisional"))
def test_provisional_lessons_say_it_once_in_measures(number: int) -> None:
    data = yaml.safe_load(
        (CONTENT / f"indicators/{number:02d}/lesson.yaml").read_text(encoding="utf-8")
    )
    assert PROVISIONAL_NOTE in data["measures"]
    whole = "\n".join(t for _, t in lesson_texts(CONTENT / f"indicators/{number:02d}"))
    assert whole.count(PROVISIONAL_NOTE) == 1


@pytest.mark.parametrize("number", indicator_numbers("carried-over"))
def test_carried_over_lessons_point_to_the_recording_section(number: int) -> None:
    data = yaml.safe_load(
        (CONTENT / f"indicators/{number:02d}/lesson.yaml").read_text(encoding="utf-8")
    )
    assert data["how_to_record"].count(RECORDING_POINTER) == 1
    assert not disclaimers(data["how_to_record"])


@pytest.mark.parametrize(
    ("line", "bad"),
    [
        ("ช่วง 6 เดือนแรก น้องกินนมแม่อย่างเดียวใช่ไหมครับ/คะ", False),
        ("ขออนุญาตถามเรื่องน้ำดื่มนะคะ บ้านนี้ใช้น้ำอะไรดื่มคะ", False),
        ("ช่วง 6 เดือนแรก น้องกินนมแม่อย่างเดียวใช่ไหม", True),  # no polite ending
        ("ไปฝากครรภ์ไหมคะ ไปกี่ครั้ง ครั้งแรกตอนท้องกี่เดือนคะ", False),
        ("ไปฝากครรภ์ไหมคะ ได้ตรวจเลือดหรือไม่คะ", True),  # two questions at once
    ],
)
def test_interview_line_rule(line: str, bad: bool) -> None:
    assert impolite_or_double(line) is bad


@pytest.mark.parametrize("folder", lesson_dirs(), ids=lambda p: p.name)
def test_interview_lines_are_polite_and_ask_one_thing(folder: Path) -> None:
    lesson = folder / "lesson.yaml"
    if not lesson.exists():
        pytest.skip("no lesson")
    data = yaml.safe_load(lesson.read_text(encoding="utf-8"))
    bad = [q for q in interview_lines(data.get("how_to_ask") or "") if impolite_or_double(q)]
    assert not bad, f"indicator {folder.name}: {bad[:3]}"


def test_no_conformity_claims() -> None:
    files = [
        *CONTENT.glob("indicators/*/lesson.yaml"),
        *CONTENT.glob("indicators/*/faq/*.md"),
        *QUIZZES.glob("*.yaml"),
    ]
    bad = [(f.relative_to(ROOT), c) for f in files for c in conformity_claims(f.read_text("utf-8"))]
    assert not bad, bad[:5]
