"""Recording exercises in the bank files: read against the indicator's recording.yaml, errors
naming file, line and field, written back byte for byte, and loaded/exported round trip."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from app.content.files import read_recording
from app.content.yamlfile import ContentError
from app.content_io.check import check_content
from app.content_io.export import export_content
from app.content_io.load import load_content
from app.db import get_session
from app.quizzes.files import SKIP, bank_yaml, read_bank, record_from_data
from app.quizzes.models import Question
from app.storage import get_storage

ROOT = Path(__file__).resolve().parents[2]

BANK = """version: 1
indicator: 3
pass_mark: 80
draw: 1
questions:
  - id: record-one
    type: record
    text: "บ้านนี้มีหลานอายุ 8 เดือน 1 คน ยายป้อนกล้วยบดตอนหลานอายุ 4 เดือน"
    record:
      - item: "2.1"
        answer: "ไม่มี (ข้ามไปข้อ 2.3)"
        why: "ไม่มีเด็กอายุน้อยกว่า 6 เดือน"
      - item: "2.2"
        answer: skip
        why: "ข้อ 2.1 ตอบไม่มี จึงข้าม"
      - item: "2.3"
        answer: "มี $count6Mto1Y คน"
        why: "หลานอายุ 8 เดือน"
      - item: "2.4"
        answer: "ไม่ได้กิน ... คน"
        why: "กล้วยบดก่อนอายุครบ 6 เดือน"
    result: fail
    explanation: "ตัดสินจากข้อ 2.4 ผลคือไม่ผ่าน"
    see: how_to_record
"""


@pytest.fixture
def recording():
    return read_recording(ROOT / "content/indicators/03/recording.yaml", 3)


def _bank(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "03.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_items_are_copied_from_the_recording_and_answers_kept_as_indices(tmp_path, recording):
    bank = read_bank(_bank(tmp_path, BANK), 3, set(), recording)
    record = bank.questions[0].record
    assert [e.label for e in record.entries] == ["2.1", "2.2", "2.3", "2.4"]
    assert record.entries[0].question == recording.items[0].question_th
    assert record.entries[0].answer == ("1",) and record.entries[1].answer == (SKIP,)
    assert record.result == "fail"
    assert bank_yaml(bank).decode() == BANK  # written back byte for byte


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ('item: "2.3"', 'item: "9.9"', "questions.0.record.2.item"),  # no such item
        ('item: "2.4"', 'item:  "2.2"', "questions.0.record.3.item"),  # twice, out of order
        ('answer: "ไม่ได้กิน ... คน"', 'answer: "ไม่ได้กิน"', "questions.0.record.3.answer"),
        ('answer: "ไม่ได้กิน ... คน"', "answer: 2", "questions.0.record.3.answer"),
        (
            'answer: "ไม่ได้กิน ... คน"',
            'answer: ["ทุกคน", "ไม่ได้กิน ... คน"]',
            "questions.0.record.3.answer",
        ),
        ("result: fail", "result: maybe", "questions.0.result"),
        ('why: "หลานอายุ 8 เดือน"', "why: ''", "questions.0.record.2.why"),
    ],
)
def test_errors_name_file_line_and_field(tmp_path, recording, old, new, field):
    assert old in BANK
    text = BANK.replace(old, new, 1)
    line = text.splitlines().index(next(x for x in text.splitlines() if new in x)) + 1
    path = _bank(tmp_path, text)
    with pytest.raises(ContentError) as error:
        read_bank(path, 3, set(), recording)
    assert error.value.field == field and error.value.line == line
    assert str(path) in str(error.value)


def test_an_exercise_needs_the_indicators_recording(tmp_path):
    with pytest.raises(ContentError, match="recording.yaml"):
        read_bank(_bank(tmp_path, BANK), 3, set(), None)


def test_load_then_export_gives_back_the_bank_with_its_exercises(app, content_copy, tmp_path):
    content, quizzes = content_copy
    with app.app_context():
        session = get_session()
        load_content(session, content, quizzes, get_storage())
        session.commit()
        stored = session.scalars(select(Question).where(Question.type == "record")).all()
        assert stored and all(record_from_data(q.record).entries for q in stored)
        out = tmp_path / "out"
        export_content(session, out / "content", out / "quizzes", get_storage(), reference=content)
    for bank in sorted(quizzes.glob("*.yaml")):
        assert (out / "quizzes" / bank.name).read_bytes() == bank.read_bytes(), bank.name


def _gaps(content: Path, quizzes: Path, number: int) -> list[str]:
    return next(r for r in check_content(content, quizzes) if r.number == number).gaps


def test_check_wants_three_exercises_per_indicator_with_items(content_copy):
    content, quizzes = content_copy
    bank = quizzes / "03.yaml"
    text = bank.read_text(encoding="utf-8")
    start = text.index("  - id: record-")
    bank.write_text(text[:start], encoding="utf-8")  # every exercise gone
    assert any("0 recording exercises (at least 3" in gap for gap in _gaps(content, quizzes, 3))
    # a provisional indicator has no items, so no exercises are asked of it
    assert not any("recording exercises" in gap for gap in _gaps(content, quizzes, 1))
