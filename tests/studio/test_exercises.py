"""Trainers write and edit recording exercises in the studio, preview them, and read the item
analysis item by item."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import select

from app.auth.models import Role
from app.content.models import Indicator
from app.db import get_session, utcnow
from app.quizzes.files import SKIP, record_from_data
from app.quizzes.models import Attempt, AttemptAnswer, Question
from app.quizzes.rules import record_answer
from app.studio.analysis import Filters, analyse_items

NUMBER = 3  # indicator 3 has questionnaire items 2.1-2.4 (content/indicators/03/recording.yaml)


def _new_form(**overrides) -> dict[str, str]:
    """A household with a 9-month-old who had water at 2 months: items 2.3 and 2.4, fail."""
    data = {
        "key": "record-water",
        "text": "บ้านนี้มีหลานอายุ 9 เดือน ยายป้อนน้ำตั้งแต่ 2 เดือน",
        "use_2": "y",
        "answer_2": "0",
        "why_2": "หลานอายุ 9 เดือน",
        "use_3": "y",
        "answer_3": "1",
        "why_3": "ได้น้ำก่อน 6 เดือน",
        "result": "fail",
        "explanation": "ข้อ 2.4 ไม่ได้กิน จึงไม่ผ่าน",
        "see": "how_to_record",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def _exercise(app, key: str) -> Question:
    with app.app_context():
        session = get_session()
        return session.scalars(
            select(Question).where(Question.key == key).order_by(Question.version.desc())
        ).first()


def test_a_trainer_writes_an_exercise_as_a_draft(app, client, content, trainer):
    page = client.get(f"/studio/indicators/{NUMBER}/exercises/new").get_data(as_text=True)
    for label in ("2.1", "2.2", "2.3", "2.4"):
        assert f'data-item="{label}"' in page
    response = client.post(f"/studio/indicators/{NUMBER}/exercises/new", data=_new_form())
    assert response.status_code == 302, response.get_data(as_text=True)
    question = _exercise(app, "record-water")
    assert question.type == "record" and not question.published
    record = record_from_data(question.record)
    assert [e.label for e in record.entries] == ["2.3", "2.4"]
    assert record.entries[1].answer == ("1",) and record.entries[1].options[1].startswith("ไม่ได้กิน")
    assert record.result == "fail"
    bank = client.get(f"/studio/indicators/{NUMBER}/questions").get_data(as_text=True)
    assert "Recording exercise" in bank


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"why_3": ""}, "Say why: volunteers read it after answering."),
        ({"answer_3": ""}, "Choose what the form needs, or skip."),
        ({"use_2": None, "use_3": None}, "Tick at least one item the volunteer records."),
        ({"result": None}, "Choose the result for this household."),
        ({"key": "scenario-pass"}, "Another question of this indicator has this id."),
    ],
)
def test_an_incomplete_exercise_is_refused_with_a_reason(
    app, client, content, trainer, overrides, message
):
    response = client.post(
        f"/studio/indicators/{NUMBER}/exercises/new", data=_new_form(**overrides)
    )
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert _exercise(app, "record-water") is None


def test_editing_an_answered_exercise_makes_a_new_version(app, client, content, trainer, make_user):
    client.post(f"/studio/indicators/{NUMBER}/exercises/new", data=_new_form())
    first = _exercise(app, "record-water")
    page = client.get(f"/studio/questions/{first.id}").get_data(as_text=True)
    assert "หลานอายุ 9 เดือน" in page and 'name="use_3" type="checkbox" value="y"' in page
    volunteer = make_user()
    with app.app_context():  # a volunteer was asked it
        session = get_session()
        session.add(
            Attempt(
                user_id=volunteer,
                indicator_id=first.indicator_id,
                draw=[{"q": first.id, "c": []}],
                pass_mark=80,
                started_at=utcnow(),
            )
        )
        session.commit()
    data = _new_form(key=None, answer_3=SKIP, why_3="ข้าม")
    response = client.post(f"/studio/questions/{first.id}", data=data)
    assert response.status_code == 302
    newer = _exercise(app, "record-water")
    assert newer.version == 2 and record_from_data(newer.record).entries[1].answer == (SKIP,)
    assert record_from_data(_question(app, first.id).record).entries[1].answer == ("1",)


def _question(app, question_id: int) -> Question:
    with app.app_context():
        return get_session().get(Question, question_id)


def test_the_preview_shows_what_the_form_needs(client, content, trainer):
    page = client.get(f"/studio/indicators/{NUMBER}/quiz-preview").get_data(as_text=True)
    assert "Result of this indicator for the household" in page
    assert 'data-item="2.4"' in page


def test_only_trainers_write_exercises(client, content, make_user, login):
    login(client, make_user(Role.VOLUNTEER))
    assert client.get(f"/studio/indicators/{NUMBER}/exercises/new").status_code == 403


def test_an_indicator_without_items_has_no_exercise_form(client, content, trainer):
    assert client.get("/studio/indicators/1/exercises/new").status_code == 404  # provisional


# --- Item analysis, item by item ---------------------------------------------------------------


@pytest.fixture
def answered(app, client, content, trainer, make_user) -> Question:
    """The new exercise answered by four volunteers: item 2.4 wrong twice (ticked ทุกคน),
    the result wrong once (pass)."""
    client.post(f"/studio/indicators/{NUMBER}/exercises/new", data=_new_form())
    question = _exercise(app, "record-water")
    given = [
        ({0: ["0"], 1: ["1"]}, "fail", True),
        ({0: ["0"], 1: ["1"]}, "pass", False),
        ({0: ["0"], 1: ["0"]}, "fail", False),
        ({0: ["0"], 1: ["0"]}, "fail", False),
    ]
    users = [make_user() for _ in given]
    with app.app_context():
        session = get_session()
        for user_id, (entries, result, right) in zip(users, given, strict=True):
            attempt = Attempt(
                user_id=user_id,
                indicator_id=question.indicator_id,
                draw=[{"q": question.id, "c": []}],
                pass_mark=80,
                started_at=utcnow(),
                submitted_at=utcnow(),
                score=int(right),
                passed=right,
            )
            session.add(attempt)
            session.flush()
            session.add(
                AttemptAnswer(
                    attempt_id=attempt.id,
                    question_id=question.id,
                    position=0,
                    selected=record_answer(entries, result),
                    correct=right,
                )
            )
        session.commit()
    return question


def test_analysis_counts_each_item_and_the_result(app, answered):
    with app.app_context():
        session = get_session()
        indicator = session.scalar(select(Indicator).where(Indicator.number == NUMBER))
        row = next(
            r for r in analyse_items(session, indicator, Filters()) if r.question.id == answered.id
        )
    assert row.attempts == 4 and row.correct == 1
    parts = {p.label: p for p in row.parts}
    assert parts["2.3"].correct == 4 and parts["2.3"].top_wrong is None
    assert parts["2.4"].correct == 2 and parts["2.4"].top_wrong == ("0",)
    assert parts["2.4"].top_wrong_count == 2
    assert parts["result"].correct == 3 and parts["result"].top_wrong == ("pass",)


def test_the_analysis_page_and_csv_show_the_weak_item(client, answered):
    page = client.get(f"/studio/indicators/{NUMBER}/analysis").get_data(as_text=True)
    row = page.split('<tr data-item="2.4">')[1].split("</tr>")[0]
    assert "50% (2/4)" in row and "ทุกคน" in row
    body = client.get(f"/studio/indicators/{NUMBER}/analysis.csv").get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(body.lstrip("\ufeff"))))
    item = next(r for r in rows if r["key"] == "record-water" and r["item"] == "2.4")
    assert item["percent_correct"] == "50.0" and item["top_wrong_choice"] == "ทุกคน"
