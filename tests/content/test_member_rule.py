"""Who counts as a household member: someone actually living in the household now.

The department's form defines a member as "ต้องเป็นข้อมูลสมาชิกที่อาศัยอยู่จริงในปัจจุบัน"
(smartsurvey NewMemberPage.dart:118; see shared/data/SOURCES.md, "Household member"). The 6-month
rule of the Nan campaign report is about which HOUSEHOLDS are surveyed ("ครัวเรือนที่อาศัยอยู่จริง
ในพื้นที่ไม่น้อยกว่า 6 เดือนติดต่อกัน"), never about people. No text that a volunteer reads (lessons,
FAQ cards, questions, choices, explanations, captions, alt text) may put a residence period on
individual members; the survey basics teach both rules. The rule is app code
(app/content/rules.py, also run by `flask content check`); these checks need neither the app nor a
database.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from app.content.rules import residence_periods

ROOT = Path(__file__).resolve().parents[2]
CONTENT, QUIZZES = ROOT / "content", ROOT / "quizzes"


def volunteer_text_files() -> list[Path]:
    """Every file whose text a volunteer reads: lessons, FAQ cards, captions, alt text, banks."""
    files = [
        *CONTENT.glob("indicators/*/lesson.yaml"),
        *CONTENT.glob("indicators/*/faq/*.md"),
        *CONTENT.glob("indicators/*/recording.yaml"),
        *CONTENT.glob("indicators/*/media/captions.th.vtt"),
        *CONTENT.glob("indicators/*/media/media.yaml"),
        *QUIZZES.glob("*.yaml"),
    ]
    return sorted(files)


OLD_WORDING = [  # as the content said it before it was corrected: each must be caught
    "สมาชิกครัวเรือน คือ คนที่อาศัยอยู่ในครัวเรือนติดต่อกันอย่างน้อย 6 เดือน",
    "ถามเป็นรายคนทุกคนที่เป็นสมาชิกครัวเรือน (อาศัยอยู่ติดต่อกันอย่างน้อย 6 เดือน)",
    "**ยังไม่นับ:** ญาติที่เพิ่งย้ายเข้ามาอยู่ได้ 2 เดือน เพราะยังไม่ถึง 6 เดือน",
    "หลานอยู่บ้านนี้ติดต่อกันมาเกิน 6 เดือนจึงเป็นสมาชิกครัวเรือน",
    "เด็กที่เพิ่งเกิด ยังอยู่บ้านนี้ไม่ถึง 6 เดือน จะนับเป็นสมาชิกครัวเรือนหรือไม่",
    "ยังไม่นับ เพราะเพิ่งอยู่มา 2 เดือน ยังไม่ถึง 6 เดือนติดต่อกัน",
    "นับ เพราะอาศัยอยู่ในครัวเรือนนี้ติดต่อกันมาแล้วอย่างน้อย 6 เดือน",
    "หลานอาศัยอยู่ในครัวเรือนนี้ติดต่อกันมากกว่า 6 เดือน จึงเป็นสมาชิก",
]
ALLOWED = [  # breastfeeding, ages, the household list, plain facts of a scenario
    "เด็กได้ **กินนมแม่อย่างเดียว ต่อเนื่องตลอด 6 เดือนแรก** หรือไม่",
    "เกณฑ์คือไม่กินอาหารหรือน้ำอื่นเลยต่อเนื่องตลอด 6 เดือนแรก",
    "เด็กที่อายุยังไม่ถึง 6 เดือน ยังไม่อยู่ในกลุ่มนี้ เพราะยังไม่ครบ 6 เดือนแรก",
    "ถามถึง **เด็กในครัวเรือนที่อายุ 6 เดือนถึง 1 ปี** ทุกคน",
    "การเริ่มให้อาหารอื่น **หลัง** เด็กอายุครบ 6 เดือนแล้ว ไม่ทำให้ไม่ผ่าน",
    "ครัวเรือนที่ต้องสำรวจ คือ ครัวเรือนที่อาศัยอยู่จริงในพื้นที่ไม่น้อยกว่า 6 เดือนติดต่อกัน",
    "ลูกชายมีชื่อในทะเบียนบ้านนี้ แต่ไปทำงานที่กรุงเทพฯ มา 2 ปีแล้ว",
    "หลานสาวเพิ่งย้ายมาอยู่กับยายได้ 2 เดือน",
    "แม่คลอดลูกแฝดเมื่อ 6 เดือนก่อน",
]


@pytest.mark.parametrize("text", OLD_WORDING)
def test_the_old_member_rule_is_caught(text):
    assert residence_periods(text), text


@pytest.mark.parametrize("text", ALLOWED)
def test_breastfeeding_ages_and_the_household_list_are_not_flagged(text):
    assert residence_periods(text) == []


def test_no_text_puts_a_residence_period_on_members():
    files = volunteer_text_files()
    assert len(files) > 200  # lessons, cards, captions, alt text and banks were all found
    problems = [
        f"{path.relative_to(ROOT)}: …{statement}"
        for path in files
        for statement in residence_periods(path.read_text(encoding="utf-8"))
    ]
    assert not problems, "a residence period for members:\n" + "\n".join(problems)


def _basics_target_group() -> str:
    lesson = yaml.safe_load((CONTENT / "indicators/00/lesson.yaml").read_text(encoding="utf-8"))
    return re.sub(r"\*\*|__", "", lesson["target_group"])


HOUSEHOLD_RULE = re.compile(r"ครัวเรือนที่\s*อาศัยอยู่จริงในพื้นที่\s*ไม่น้อยกว่า 6 เดือนติดต่อกัน")
MEMBER_RULE = re.compile(r"สมาชิกครัวเรือน\s*คือ\s*คนที่\s*อาศัยอยู่\S*จริง\S*(?:ตอนนี้|ปัจจุบัน)")


def test_the_survey_basics_teach_which_households_and_which_members():
    target_group = _basics_target_group()
    assert HOUSEHOLD_RULE.search(target_group), "which households are surveyed"
    assert MEMBER_RULE.search(target_group), "who is a household member"


def test_the_survey_basics_quiz_asks_about_both_rules():
    bank = yaml.safe_load((QUIZZES / "00.yaml").read_text(encoding="utf-8"))

    def said(question: dict) -> str:
        choices = " ".join(c["text"] for c in question.get("choices", []))
        return f"{question['text']} {choices} {question['explanation']}"

    households = [q["id"] for q in bank["questions"] if HOUSEHOLD_RULE.search(said(q))]
    members = [q["id"] for q in bank["questions"] if MEMBER_RULE.search(said(q))]
    assert households, "no question on which households are surveyed"
    assert members, "no question on who is a household member"
