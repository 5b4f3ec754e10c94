"""How it is recorded: recording.yaml read and written back, loaded and exported, shown on the
lesson page and the pocket summary, and checked against the 2560-2564 questionnaire."""

from __future__ import annotations

import csv
from dataclasses import replace
from pathlib import Path

import pytest
import yaml
from sqlalchemy import select

from app.auth.models import Role
from app.content.files import (
    QUESTIONNAIRE_CSV,
    RecordingItemSpec,
    RecordingSpec,
    read_questionnaire,
    read_recording,
    recording_yaml,
)
from app.content.models import AuditEntry, Indicator, Recording
from app.content.recording import recording_hash, upsert_recording
from app.content.rules import form_parts
from app.content.services import Changes
from app.content.yamlfile import ContentError
from app.content_io.check import check_content
from app.content_io.export import export_content
from app.content_io.load import load_content
from app.db import get_session
from app.storage import get_storage

from ..conftest import ROOT, thai

SHARED_CSV = ROOT.parent / "shared" / "data" / "bmn-2560-questionnaire.csv"
EDITION = (
    "As in the BMN questionnaire, 2560-2564 edition; where the 2566-2570 manual differs, "
    "follow the new manual."
)
EDITION_TH = "ตามแบบสอบถาม จปฐ. ฉบับ 2560-2564; ถ้าคู่มือ 2566-2570 ต่างออกไป ให้ยึดคู่มือใหม่"
NOT_ASSESSED = "ถ้าครัวเรือนไม่มีเด็กแรกเกิดถึง 12 ปี ตัวชี้วัดนี้ **ไม่ประเมิน** ซึ่งไม่ใช่ไม่ผ่าน"
MISTAKES = "- ตอบ ทุกคน ทั้งที่ยังไม่ได้ดูสมุดวัคซีน\n- ลืมข้อ 3.1 <script>alert(1)</script>"


def questionnaire_spec(number: int) -> RecordingSpec:
    """A recording of indicator `number` copied from the questionnaire CSV, as the data files
    are made (items and answers exactly as printed)."""
    with QUESTIONNAIRE_CSV.open(encoding="utf-8", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if int(r["number"]) == number]
    printed = [i for i in read_questionnaire(QUESTIONNAIRE_CSV) if i.number == number]
    items = tuple(
        RecordingItemSpec(i.label, i.question_th, i.answers, r["skip_rule_th"].strip())
        for i, r in zip(printed, rows, strict=True)
    )
    return RecordingSpec(
        indicator=number,
        edition="2560-2564",
        number_2560=int(rows[0]["number_2560"]),
        title_2560=rows[0]["title_2560"],
        items=items,
        pass_rule_th=f"ผ่านเมื่อ {rows[0]['pass_rule_th']}",
        not_assessed_th=NOT_ASSESSED,
        mistakes_th=MISTAKES,
    )


def write_recording(content: Path, spec: RecordingSpec) -> Path:
    path = content / "indicators" / f"{spec.indicator:02d}" / "recording.yaml"
    path.write_bytes(recording_yaml(spec))
    return path


def write_all_recordings(content: Path) -> None:
    """A recording for every carried-over indicator, straight from the questionnaire."""
    for number in sorted({i.number for i in read_questionnaire(QUESTIONNAIRE_CSV)}):
        write_recording(content, questionnaire_spec(number))


def drop_exercises(quizzes: Path, number: int) -> None:
    """Take the recording exercises out of a bank (they name the items a test changes)."""
    path = quizzes / f"{number:02d}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["questions"] = [q for q in data["questions"] if q["type"] != "record"]
    data["draw"] = min(data["draw"], len(data["questions"]))
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _indicator(session, number: int) -> Indicator:
    return session.scalar(select(Indicator).where(Indicator.number == number))


def _give_recording(app, spec: RecordingSpec) -> None:
    with app.app_context():
        session = get_session()
        upsert_recording(session, _indicator(session, spec.indicator), spec, Changes())
        session.commit()


# --- the file format ----------------------------------------------------------------------------


def test_the_writer_reads_back_for_every_carried_over_indicator(tmp_path):
    numbers = sorted({i.number for i in read_questionnaire(QUESTIONNAIRE_CSV)})
    assert len(numbers) == 31
    for number in numbers:
        spec = questionnaire_spec(number)
        path = tmp_path / f"{number}.yaml"
        path.write_bytes(recording_yaml(spec))
        assert read_recording(path, number) == spec


def test_the_questionnaire_copy_is_the_shared_facts_file():
    if not SHARED_CSV.exists():
        pytest.skip("shared/data is not beside this checkout")
    assert QUESTIONNAIRE_CSV.read_bytes() == SHARED_CSV.read_bytes()


GOOD = """version: 1
indicator: 4
edition: "2560-2564"
number_2560: 3
title_2560: "วัคซีน"
items:
  - item: "3.1"
    question_th: "3.1 ครัวเรือนนี้ มีเด็กแรกเกิดถึง 12 ปี หรือไม่"
    answers_th: ["มี $count คน", "ไม่มี (ข้ามไปข้อ 4)"]
  - item: "3.2"
    question_th: "3.2 ได้รับวัคซีนครบ ทุกคน หรือไม่"
    answers_th: ["ทุกคน (ข้ามไปข้อ 4)", "ไม่ได้รับ ... คน"]
    skip_rule_th: "ข้อ 3.1 ไม่มี → ข้ามไปข้อ 4"
pass_rule_th: |
  ผ่านเมื่อข้อ 3.2 ตอบ **ทุกคน**
not_assessed_th: ""
mistakes_th: |
  - ดูสมุดวัคซีนก่อนตอบ
"""


@pytest.mark.parametrize(
    ("old", "new", "line", "field"),
    [
        ("version: 1", "version: 2", 1, "version"),
        ("indicator: 4", "indicator: 5", 2, "indicator"),
        ('title_2560: "วัคซีน"', 'title_2560: "วัคซีน"\nsource: x', 6, "source"),
        ('  - item: "3.2"', '  - item: "3.1"', 10, "items.1.item"),
        ('  - item: "3.1"', "  - item: 3.1", 7, "items.0.item"),
        ('["มี $count คน", "ไม่มี (ข้ามไปข้อ 4)"]', '"มี $count คน"', 9, "items.0.answers_th"),
        ('"ไม่ได้รับ ... คน"]', '""]', 12, "items.1.answers_th.1"),
        ("    skip_rule_th:", "    skip_rule:", 13, "items.1.skip_rule"),
        ("pass_rule_th: |\n  ผ่านเมื่อข้อ 3.2 ตอบ **ทุกคน**\n", "", 2, "pass_rule_th"),
        ("edition:", "editon:", 3, "editon"),
    ],
)
def test_reader_errors_name_file_line_and_field(tmp_path, old, new, line, field):
    assert old in GOOD
    path = tmp_path / "recording.yaml"
    path.write_text(GOOD.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        read_recording(path, 4)
    error = caught.value
    assert (error.path, error.field) == (str(path), field), str(error)
    if field != "pass_rule_th":  # a missing field has no line of its own
        assert error.line == line, str(error)
    assert str(error).startswith(f"{path}")


def test_reader_keeps_items_in_order_and_allows_headings_without_options(tmp_path):
    path = tmp_path / "recording.yaml"
    path.write_text(GOOD.replace('["มี $count คน", "ไม่มี (ข้ามไปข้อ 4)"]', "[]"), encoding="utf-8")
    spec = read_recording(path, 4)
    assert [i.label for i in spec.items] == ["3.1", "3.2"]
    assert spec.items[0].answers == () and spec.items[1].skip_rule_th.startswith("ข้อ 3.1")
    assert spec.not_assessed_th == "" and spec.pass_rule_th == "ผ่านเมื่อข้อ 3.2 ตอบ **ทุกคน**"


# --- load and export ----------------------------------------------------------------------------


def test_load_stores_items_in_order_and_a_second_load_changes_nothing(app, runner, content_copy):
    content, _ = content_copy
    write_recording(content, questionnaire_spec(28))
    first = runner.invoke(args=["content", "load", "--force"])
    assert first.exit_code == 0, first.output
    assert "new recordings" in first.output and "new recording_items" in first.output
    second = runner.invoke(args=["content", "load"])
    assert second.exit_code == 0 and "content: no changes" in second.output, second.output
    with app.app_context():
        recording = _indicator(get_session(), 28).recording
        labels = [i.label for i in recording.items]
        assert labels == [i.label for i in questionnaire_spec(28).items]
        assert recording.items[0].question_th.startswith("22.1")
        assert recording.number_2560 == 22 and recording.edition == "2560-2564"


def test_an_item_gone_from_the_file_goes_and_the_file_gone_removes_the_recording(app, content_copy):
    content, quizzes = content_copy
    drop_exercises(quizzes, 8)
    spec = questionnaire_spec(8)
    path = write_recording(content, spec)
    with app.app_context():
        session = get_session()
        load_content(session, content, quizzes, get_storage())
        session.commit()
    path.write_bytes(recording_yaml(replace(spec, items=spec.items[1:])))
    with app.app_context():
        session = get_session()
        changes = load_content(session, content, quizzes, get_storage())
        assert changes.updated.get("recording_items") == len(spec.items)  # gone + renumbered
        session.commit()
        assert [i.label for i in _indicator(session, 8).recording.items] == [
            i.label for i in spec.items[1:]
        ]
    path.unlink()
    with app.app_context():
        session = get_session()
        load_content(session, content, quizzes, get_storage())
        session.commit()
        indicator_id = _indicator(session, 8).id
        stmt = select(Recording).where(Recording.indicator_id == indicator_id)
        assert session.scalar(stmt) is None


HAND_WRITTEN = GOOD.replace('edition: "2560-2564"', "edition: 2560-2564").replace(
    'title_2560: "วัคซีน"', "title_2560: วัคซีน   # as printed"
)


def test_load_then_export_gives_back_the_very_bytes(app, content_copy, tmp_path):
    content, quizzes = content_copy
    written = write_recording(content, questionnaire_spec(4))  # the writer's own layout
    hand = content / "indicators" / "02" / "recording.yaml"  # another layout, same format
    drop_exercises(quizzes, 2)  # its exercises name indicator 2's own items
    hand.write_text(HAND_WRITTEN.replace("indicator: 4", "indicator: 2"), encoding="utf-8")
    with app.app_context():
        session = get_session()
        load_content(session, content, quizzes, get_storage())
        session.commit()
        out = tmp_path / "out"
        export_content(session, out / "content", out / "quizzes", get_storage(), reference=content)
    assert (out / "content/indicators/04/recording.yaml").read_bytes() == written.read_bytes()
    assert (out / "content/indicators/02/recording.yaml").read_bytes() == hand.read_bytes()
    assert not (out / "content/indicators/05/recording.yaml").exists()


def test_export_writes_a_changed_recording_that_loads_back(app, content_copy):
    content, quizzes = content_copy
    path = write_recording(content, questionnaire_spec(9))
    with app.app_context():
        session = get_session()
        load_content(session, content, quizzes, get_storage())
        _indicator(session, 9).recording.pass_rule_th = "ผ่านเมื่อ **ตอบว่าใช่**"
        session.commit()
        report = export_content(session, content, quizzes, get_storage())
        assert path in report.written
        assert read_recording(path, 9).pass_rule_th == "ผ่านเมื่อ **ตอบว่าใช่**"
        assert load_content(session, content, quizzes, get_storage()).total == 0


# --- the lesson page and the pocket summary -----------------------------------------------------


def test_lesson_shows_the_items_in_order_with_their_boxes_and_the_edition_once(
    app, client, content
):
    spec = questionnaire_spec(4)
    _give_recording(app, spec)
    page = client.get("/indicators/4").get_data(as_text=True)
    section = page[
        page.index('id="recording"') : page.index("</section>", page.index('id="recording"'))
    ]
    assert page.count(EDITION_TH) == 1 and thai(app, EDITION) == EDITION_TH
    positions = [section.index(item.question_th.split("\n")[0]) for item in spec.items]
    assert positions == sorted(positions)
    first = section[section.index("3.1 ครัวเรือนนี้") :]
    first = first[: first.index("</li>\n  \n  <li") if "</li>\n  \n  <li" in first else 2000]
    assert first.count('class="box"') == 2 and "$count" not in section
    assert "(จำนวนจากรายชื่อสมาชิก)" in first
    assert 'class="blank"' in section  # "ไม่ได้รับ ... คน": a box to write the number in
    assert "ข้อ 3.1 ไม่มี → ข้ามไปข้อ 4" in section  # the skip rule
    assert spec.pass_rule_th.split(";")[0][:30] in section
    assert "<strong>ไม่ประเมิน</strong>" in section  # Markdown, rendered
    assert "<script>" not in page and "ลืมข้อ 3.1" in section  # and sanitised


def test_an_indicator_without_recording_has_no_section(client, content):
    page = client.get("/indicators/1").get_data(as_text=True)
    assert 'id="recording"' not in page and EDITION_TH not in page


def test_pocket_summary_lists_each_indicators_items_and_pass_rule(app, client, content):
    spec = questionnaire_spec(14)  # water: category 2
    _give_recording(app, spec)
    page = client.get("/summary/2").get_data(as_text=True)
    block = page[page.index(spec.items[0].question_th[:20]) :]
    assert spec.items[0].question_th in page and "ผ่านเมื่อ" in block[:3000]
    assert thai(app, "On the form") in page and thai(app, "Passes when") in page


# --- flask content check ------------------------------------------------------------------------


def _gaps(content: Path, quizzes: Path, number: int, confirmed=None) -> list[str]:
    return next(r for r in check_content(content, quizzes, confirmed) if r.number == number).gaps


def test_check_wants_recording_items_for_carried_over_indicators_only(content_copy):
    content, quizzes = content_copy
    for path in content.glob("indicators/*/recording.yaml"):
        path.unlink()
    reports = {r.number: r.gaps for r in check_content(content, quizzes)}
    # (a bank with recording exercises cannot be read without its recording: also a gap)
    missing = {
        n
        for n, gaps in reports.items()
        if any(
            "no recording items" in g or "needs the indicator's recording.yaml" in g for g in gaps
        )
    }
    assert missing == {i.number for i in read_questionnaire(QUESTIONNAIRE_CSV)}
    assert not any("recording" in g for g in reports[1] + reports[5])  # provisional
    write_all_recordings(content)
    assert not any(
        ("recording" in g and "recording exercises" not in g) or "questionnaire" in g
        for r in check_content(content, quizzes)
        for g in r.gaps
    )


def test_check_reports_items_that_differ_from_the_questionnaire(content_copy):
    content, quizzes = content_copy
    drop_exercises(quizzes, 4)
    spec = questionnaire_spec(4)
    items = list(spec.items)
    items[1] = replace(items[1], answers=("ทุกคน", "ไม่ได้รับ ... คน"))
    items[0] = replace(items[0], question_th="3.1 บ้านนี้มีเด็กไหม")
    items.append(replace(items[2], label="3.9"))
    del items[2]
    write_recording(content, replace(spec, items=tuple(items)))
    gaps = " | ".join(_gaps(content, quizzes, 4))
    assert "item 3.2: the answer options differ from the questionnaire" in gaps
    assert "item 3.1: the question differs from the questionnaire" in gaps
    assert "item 3.9 is not in the 2560-2564 questionnaire" in gaps
    assert "items of the questionnaire missing: 3.3" in gaps
    confirmed = {4: {recording_hash(tuple(items))}}
    assert not any("questionnaire" in g for g in _gaps(content, quizzes, 4, confirmed))
    stale = {4: {recording_hash(spec.items)}}  # confirmed other items: still a gap
    assert any("differ" in g for g in _gaps(content, quizzes, 4, stale))


@pytest.fixture
def trainer(client, areas, make_user, login) -> int:
    """The test client logged in as a trainer, reading the English UI."""
    user_id = make_user(Role.TRAINER, full_name="ครูฝึก ทดสอบ")
    login(client, user_id)
    client.post("/language", data={"lang": "en"})
    return user_id


def test_a_trainers_confirmation_clears_the_difference(
    app, client, runner, content, content_copy, trainer
):
    content, quizzes = content_copy
    spec = questionnaire_spec(6)
    first = replace(spec.items[0], answers=(*spec.items[0].answers, "ไม่ทราบ"))
    changed = replace(spec, items=(first, *spec.items[1:]))
    write_recording(content, changed)
    _give_recording(app, changed)
    before = runner.invoke(args=["content", "check"]).output
    assert "answer options differ" in next(
        line for line in before.splitlines() if line.startswith("06:")
    )
    response = client.post(
        "/studio/indicators/6/recording/confirm", data={"note": "คู่มือ 2566-2570 หน้า 12"}
    )
    assert response.status_code == 302
    after = runner.invoke(args=["content", "check"]).output
    assert "differ" not in next(line for line in after.splitlines() if line.startswith("06:"))
    with app.app_context():
        entry = get_session().scalar(
            select(AuditEntry).where(AuditEntry.action == "recording.confirm")
        )
        assert entry.user_id == trainer and entry.detail["note"] == "คู่มือ 2566-2570 หน้า 12"
    # A confirmation changes no file: `content load` does not count it as a studio change.
    assert runner.invoke(args=["content", "load"]).exit_code == 0
    page = client.get("/studio/indicators/6").get_data(as_text=True)
    assert "Confirmed against the 2566-2570 manual" in page


def test_only_trainers_confirm(app, client, content, make_user, login):
    _give_recording(app, questionnaire_spec(6))
    login(client, make_user(Role.VOLUNTEER))
    response = client.post("/studio/indicators/6/recording/confirm", data={"note": "x"})
    assert response.status_code == 403


def test_confirming_needs_a_note_and_items(app, client, content, trainer):
    _give_recording(app, questionnaire_spec(6))
    response = client.post("/studio/indicators/6/recording/confirm", data={"note": " "})
    assert response.status_code == 302
    missing = client.post("/studio/indicators/1/recording/confirm", data={"note": "x"})
    assert missing.status_code == 404
    with app.app_context():
        stmt = select(AuditEntry).where(AuditEntry.action == "recording.confirm")
        assert get_session().scalar(stmt) is None


def test_check_reports_a_residence_period_for_members(content_copy):
    content, quizzes = content_copy
    card = content / "indicators" / "10" / "faq" / "member-rule.md"
    card.write_text(
        "---\nversion: 1\norder: 99\ntitle: ใครนับเป็นสมาชิก\n---\n"
        "สมาชิกครัวเรือน คือ คนที่อาศัยอยู่ในครัวเรือนติดต่อกันอย่างน้อย 6 เดือน\n",
        encoding="utf-8",
    )
    gaps = _gaps(content, quizzes, 10)
    assert any(g.startswith("FAQ card member-rule states a residence period") for g in gaps)
    bank = quizzes / "11.yaml"
    text = bank.read_text(encoding="utf-8")
    head, sep, rest = text.partition("    explanation: ")
    bank.write_text(
        head + sep + "หลานอาศัยอยู่ในครัวเรือนนี้ติดต่อกันมากกว่า 6 เดือน จึงเป็นสมาชิก " + rest,
        encoding="utf-8",
    )
    assert any("states a residence period" in g for g in _gaps(content, quizzes, 11))


def test_form_parts_turn_blanks_and_roster_numbers_into_parts():
    assert form_parts("มี $count6Mto1Y คน") == [
        ("text", "มี "),
        ("roster", "count6Mto1Y"),
        ("text", " คน"),
    ]
    assert form_parts("ไม่ได้รับ ... คน") == [("text", "ไม่ได้รับ "), ("blank", ""), ("text", " คน")]
    assert form_parts("ทุกคน") == [("text", "ทุกคน")]
    # the survey app's code for the roster's member count (indicator 28) is a roster number
    assert form_parts('home.countMember().toString() + " คน"') == [
        ("roster", "home.countMember().toString()"),
        ("text", " คน"),
    ]
