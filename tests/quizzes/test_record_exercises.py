"""Recording exercises ("record" questions): a household scenario, the questionnaire's items
to fill in as on the form, and the indicator's result; marked item by item."""

from __future__ import annotations

import random
import re
from dataclasses import replace

import pytest
from sqlalchemy import select

from app.db import get_session, utcnow
from app.quizzes.files import EntrySpec, RecordSpec, record_data, record_from_data
from app.quizzes.models import Attempt, AttemptAnswer, Question, Quiz
from app.quizzes.rules import draw_questions, mark_record, record_answer, record_answer_problem
from app.quizzes.services import UndrawnAnswer, submit_attempt

from ..conftest import _indicator_id, record_form, thai

# Indicator 3's items on the 2560-2564 form (content/indicators/03/recording.yaml).
ENTRIES = (
    EntrySpec(
        "2.3",
        "2.3 ครัวเรือนนี้ มีเด็กอายุตั้งแต่ 6 เดือน ถึง 1 ปี หรือไม่",
        ("มี $count6Mto1Y คน", "ไม่มี (ข้ามไปข้อ 3)"),
        "one",
        ("0",),
        "หลานอายุ 8 เดือน อยู่ในช่วง 6 เดือนถึง 1 ปี",
    ),
    EntrySpec(
        "2.4",
        "2.4 เด็กอายุตั้งแต่ 6 เดือนถึง 1 ปี ได้กินนมแม่อย่างเดียว เป็นระยะเวลา 6 เดือนแรกติดต่อกัน ทุกคน หรือไม่",
        ("ทุกคน", "ไม่ได้กิน ... คน"),
        "one",
        ("1",),
        "ได้น้ำเปล่าตั้งแต่อายุ 2 เดือน จึงไม่ใช่นมแม่อย่างเดียว",
    ),
    EntrySpec(
        "13.2.1",
        "13.2.1 ประสบภัยด้านใดบ้าง ระบุได้มากกว่า 1 ด้าน",
        ("อุทกภัย", "วาตภัย", "อัคคีภัย"),
        "many",
        ("0", "2"),
        "น้ำท่วมและไฟไหม้",
    ),
    EntrySpec(
        "22.1 1)",
        "1) รายได้จากอาชีพหลัก",
        ("ปีละ ... บาท",),
        "number",
        ("60000",),
        "ขายข้าวได้ 60,000 บาท",
    ),
    EntrySpec(
        "22.3.1 1)",
        "1) กลุ่มออมทรัพย์",
        ("เข้าถึง ระบุ ... บาท", "เข้าไม่ถึง"),
        "one",
        ("skip",),
        "บ้านนี้ไม่กู้ แบบสอบถามให้ข้าม",
    ),
)
RECORD = RecordSpec(ENTRIES, "fail")
SCENARIO = "บ้านป้าแก้วมีหลานอายุ 8 เดือน ยายป้อนน้ำเปล่าตั้งแต่หลานอายุ 2 เดือน"
RIGHT = record_answer({0: ["0"], 1: ["1"], 2: ["0", "2"], 3: ["60000"], 4: ["skip"]}, "fail")


# --- Marking (pure) -------------------------------------------------------------------------


def test_every_item_and_the_result_right_is_a_right_household():
    mark = mark_record(RECORD, RIGHT)
    assert mark.correct and mark.items_right == len(ENTRIES)


def test_one_wrong_box_is_marked_on_that_item_only_and_the_household_is_wrong():
    answer = record_answer({0: ["0"], 1: ["0"], 2: ["0", "2"], 3: ["60000"], 4: ["skip"]}, "fail")
    mark = mark_record(RECORD, answer)
    assert [e.right for e in mark.entries] == [True, False, True, True, True]
    assert mark.result_right and not mark.correct


def test_a_right_record_with_the_wrong_result_is_wrong():
    answer = record_answer({0: ["0"], 1: ["1"], 2: ["0", "2"], 3: ["60000"], 4: ["skip"]}, "pass")
    mark = mark_record(RECORD, answer)
    assert mark.items_right == len(ENTRIES) and not mark.result_right and not mark.correct


@pytest.mark.parametrize(
    ("index", "values", "right"),
    [
        (2, ["2", "0"], True),  # the order boxes are ticked in does not matter
        (2, ["0"], False),  # one box missing
        (2, ["0", "1", "2"], False),  # one box too many
        (3, ["060000"], True),  # the same number
        (3, ["6000"], False),
        (3, ["skip"], False),  # the item had to be filled in
        (4, ["1"], False),  # answered an item the form skips
        (4, [], False),  # left blank
    ],
)
def test_items_are_marked_by_what_was_recorded(index, values, right):
    entries = {0: ["0"], 1: ["1"], 2: ["0", "2"], 3: ["60000"], 4: ["skip"]}
    entries[index] = values
    if not values:
        del entries[index]
    assert mark_record(RECORD, record_answer(entries, "fail")).entries[index].right is right


@pytest.mark.parametrize(
    "answer",
    [
        ["9:0"],  # no such item
        ["0:5"],  # no such option
        ["0:0", "0:1"],  # two answers to a one-box item
        ["3:12a"],  # not a number
        ["2:skip", "2:0"],  # skipped and answered
        ["r:maybe"],  # no such result
        ["oops"],
    ],
)
def test_malformed_answers_are_named(answer):
    assert record_answer_problem(RECORD, answer)


def test_a_draw_always_holds_a_recording_exercise_when_the_bank_has_one():
    bank = {i: ["a", "b"] for i in range(1, 11)}
    for seed in range(200):
        drawn = draw_questions(bank, 3, random.Random(seed), required=[10])
        assert 10 in {d.question_id for d in drawn}
        assert len({d.question_id for d in drawn}) == 3


# --- On the quiz page ------------------------------------------------------------------------


@pytest.fixture
def exercise(app, areas, make_indicator, make_question, make_plan) -> tuple[int, int]:
    """(indicator number, question id): a quiz of one recording exercise and one single-choice
    question, both drawn, pass mark 100."""
    number = make_indicator()
    question_id = make_question(
        number,
        "record",
        key="record-water",
        text=SCENARIO,
        explanation="ได้น้ำอื่นก่อน 6 เดือน ผลคือไม่ผ่าน",
        see="how_to_record",
        record=record_data(RECORD),
    )
    make_question(number, "single")
    with app.app_context():
        session = get_session()
        session.add(Quiz(indicator_id=_indicator_id(session, number), pass_mark=100, draw_size=2))
        session.commit()
    make_plan([number])
    return number, question_id


def _start(client, number) -> int:
    response = client.post(f"/indicators/{number}/quiz")
    return int(re.search(r"/attempts/(\d+)", response.headers["Location"]).group(1))


def _question(app, question_id) -> Question:
    with app.app_context():
        return get_session().get(Question, question_id)


def _form(app, attempt_id, question_id, *, right=True) -> dict[str, list[str]]:
    from ..conftest import correct_answers

    data = correct_answers(app, attempt_id)
    data.update(record_form(_question(app, question_id), right=right))
    return data


def test_the_quiz_page_shows_the_household_and_the_form_items(app, client, volunteer, exercise):
    number, question_id = exercise
    attempt_id = _start(client, number)
    page = client.get(f"/attempts/{attempt_id}").get_data(as_text=True)
    assert SCENARIO in page
    for entry in ENTRIES:
        assert f'data-item="{entry.label}"' in page
    assert "อุทกภัย" in page and "ทุกคน" in page
    # the skip choice, the result choices and a number box, in Thai
    assert thai(app, "Skip this item (the form says to)") in page
    assert thai(app, "Not assessed (-)") in page
    assert f'name="q{question_id}_3"' in page and 'inputmode="numeric"' in page
    # "$count..." is the roster's number, never shown as code
    assert "$count" not in page


def test_recording_the_household_right_passes_and_shows_every_item(
    app, client, volunteer, exercise
):
    number, question_id = exercise
    attempt_id = _start(client, number)
    data = _form(app, attempt_id, question_id)
    data[f"q{question_id}_3"] = ["60,000"]  # written with a thousands separator
    response = client.post(f"/attempts/{attempt_id}", data=data)
    assert response.status_code == 302
    page = client.get(f"/attempts/{attempt_id}/result").get_data(as_text=True)
    assert thai(app, "%(right)d of %(total)d items recorded right.", right=5, total=5) in page
    with app.app_context():
        attempt = get_session().get(Attempt, attempt_id)
        assert attempt.passed and attempt.score == 2


def _show_answers_after_fail(app) -> None:
    from app.readiness.models import TrainingPlan

    with app.app_context():
        session = get_session()
        session.scalar(
            select(TrainingPlan).where(TrainingPlan.active.is_(True))
        ).show_answers_after_fail = True
        session.commit()


def test_a_failed_exercise_shows_which_item_is_wrong_not_what_the_form_needs(
    app, client, volunteer, exercise
):
    number, question_id = exercise
    attempt_id = _start(client, number)
    data = _form(app, attempt_id, question_id)
    data[f"q{question_id}_1"] = ["0"]
    client.post(f"/attempts/{attempt_id}", data=data)
    page = client.get(f"/attempts/{attempt_id}/result").get_data(as_text=True)
    assert thai(app, "%(right)d of %(total)d items recorded right.", right=4, total=5) in page
    wrong = page.split('data-item="2.4"')[1].split("</li>")[0]
    assert "✘" in wrong and thai(app, "The form needs:") not in wrong
    assert ENTRIES[1].why not in page and thai(app, "Right result:") not in page


def test_a_wrong_box_shows_what_the_form_needs_and_why(app, client, volunteer, exercise):
    """Where the plan shows the right answers after a failed quiz."""
    number, question_id = exercise
    _show_answers_after_fail(app)
    attempt_id = _start(client, number)
    data = _form(app, attempt_id, question_id)
    data[f"q{question_id}_1"] = ["0"]  # ticked "ทุกคน": the child had water at 2 months
    client.post(f"/attempts/{attempt_id}", data=data)
    page = client.get(f"/attempts/{attempt_id}/result").get_data(as_text=True)
    assert thai(app, "%(right)d of %(total)d items recorded right.", right=4, total=5) in page
    wrong = page.split('data-item="2.4"')[1].split("</li>")[0]
    assert thai(app, "The form needs:") in wrong and "ไม่ได้กิน" in wrong
    assert ENTRIES[1].why in wrong
    with app.app_context():
        session = get_session()
        attempt = session.get(Attempt, attempt_id)
        assert attempt.passed is False and attempt.score == 1
        answer = session.scalar(
            select(AttemptAnswer).where(AttemptAnswer.question_id == question_id)
        )
        assert answer.correct is False and "1:0" in answer.selected


def test_an_item_left_blank_is_asked_for_and_nothing_is_saved(app, client, volunteer, exercise):
    number, question_id = exercise
    attempt_id = _start(client, number)
    data = _form(app, attempt_id, question_id)
    del data[f"q{question_id}_0"]
    data[f"q{question_id}_3"] = ["12a"]
    page = client.post(f"/attempts/{attempt_id}", data=data).get_data(as_text=True)
    assert thai(app, "Record this item, or choose skip.") in page
    assert thai(app, "Write a whole number (digits only), or tick skip.") in page
    with app.app_context():
        assert get_session().get(Attempt, attempt_id).submitted_at is None


def test_a_number_and_skip_together_are_refused(app, client, volunteer, exercise):
    number, question_id = exercise
    attempt_id = _start(client, number)
    data = _form(app, attempt_id, question_id)
    data[f"q{question_id}_3_skip"] = ["y"]
    page = client.post(f"/attempts/{attempt_id}", data=data).get_data(as_text=True)
    assert thai(app, "Write the number or tick skip, not both.") in page


def test_a_forged_answer_is_refused_by_the_service(app, volunteer, exercise):
    number, question_id = exercise
    with app.app_context():
        session = get_session()
        attempt = Attempt(
            user_id=volunteer,
            indicator_id=_indicator_id(session, number),
            draw=[{"q": question_id, "c": []}],
            pass_mark=100,
            started_at=utcnow(),
        )
        session.add(attempt)
        session.flush()
        with pytest.raises(UndrawnAnswer):
            submit_attempt(
                session, attempt, user_id=volunteer, answers={question_id: ["0:7"]}, now=utcnow()
            )


def test_a_changed_exercise_is_a_new_version_and_old_feedback_keeps_its_answer(
    app, client, volunteer, exercise
):
    from app.quizzes.files import QuestionSpec
    from app.quizzes.versions import save_question_content

    number, question_id = exercise
    attempt_id = _start(client, number)
    client.post(f"/attempts/{attempt_id}", data=_form(app, attempt_id, question_id))
    with app.app_context():
        session = get_session()
        old = session.get(Question, question_id)
        entries = list(ENTRIES)
        entries[3] = replace(ENTRIES[3], answer=("72000",), why="ขายข้าวได้ 72,000 บาท")
        spec = QuestionSpec(
            old.key,
            "record",
            old.text,
            (),
            old.explanation,
            old.see,
            RecordSpec(tuple(entries), "fail"),
        )
        newer, changed = save_question_content(session, old, spec, now=utcnow())
        session.commit()
        assert changed and newer.id != question_id and newer.version == 2
        assert record_from_data(newer.record).entries[3].answer == ("72000",)
        assert record_from_data(session.get(Question, question_id).record).entries[3].answer == (
            "60000",
        )
    page = client.get(f"/attempts/{attempt_id}/result").get_data(as_text=True)
    assert thai(app, "%(right)d of %(total)d items recorded right.", right=5, total=5) in page


def test_the_cached_exercise_is_the_page_a_fresh_render_gives(app, client, volunteer, exercise):
    """The unanswered exercise is rendered once per language and content stamp (issue 16):
    the page from the cache is byte for byte the page rendered afresh, and a refused submit
    is rendered afresh with what the volunteer had ticked."""
    number, question_id = exercise
    attempt_id = _start(client, number)

    def view() -> str:  # CSRF tokens blanked: they carry the second they were signed in
        page = client.get(f"/attempts/{attempt_id}").get_data(as_text=True)
        return re.sub(r'(name="csrf_token"[^>]*?value=")[^"]*', r"\1", page)

    cached = view()  # fills the cache
    assert view() == cached
    app.extensions["bmn.stamped"].clear()
    assert view() == cached

    data = _form(app, attempt_id, question_id)
    data[f"q{question_id}_3"] = ["12a"]
    page = client.post(f"/attempts/{attempt_id}", data=data).get_data(as_text=True)
    ticked = data[f"q{question_id}_0"][0]
    assert re.search(rf'name="q{question_id}_0" type="\w+" value="{ticked}" checked', page) or (
        re.search(rf'checked[^>]*name="q{question_id}_0"[^>]*value="{ticked}"', page)
    )
    assert 'value="12a"' in page
