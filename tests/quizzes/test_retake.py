"""After a failed quiz: what was wrong, not the right answers (until passed, or where the plan
says so), and a retake drawn from the questions not seen last time where the bank allows."""

from __future__ import annotations

import random
import re

import pytest
from sqlalchemy import select

from app.content.models import LESSON_SECTIONS
from app.db import get_session
from app.quizzes.models import Attempt, Question
from app.quizzes.rules import draw_questions
from app.readiness.models import TrainingPlan

from ..conftest import correct_answers, thai, wrong_answers

BANK = {qid: ["a", "b", "c"] for qid in range(1, 11)}


def _ids(drawn) -> set[int]:
    return {d.question_id for d in drawn}


@pytest.mark.parametrize("seed", range(30))
def test_a_retake_draws_only_unseen_questions_when_the_bank_has_enough(seed):
    seen = {1, 2, 3, 4, 5}
    drawn = draw_questions(BANK, 5, random.Random(seed), seen=seen)
    assert _ids(drawn) == set(BANK) - seen


@pytest.mark.parametrize("seed", range(30))
def test_a_small_bank_fills_the_retake_with_seen_questions_after_every_unseen_one(seed):
    bank = {qid: ["a", "b"] for qid in range(1, 8)}  # 7 questions, 5 drawn, 5 seen
    drawn = draw_questions(bank, 5, random.Random(seed), seen={1, 2, 3, 4, 5})
    assert len(_ids(drawn)) == 5 and {6, 7} <= _ids(drawn)


def test_the_retake_order_is_shuffled_not_unseen_first():
    bank = {qid: ["a"] for qid in range(1, 8)}
    firsts = {
        draw_questions(bank, 5, random.Random(s), seen={1, 2, 3, 4, 5})[0].question_id
        for s in range(40)
    }
    assert firsts & {1, 2, 3, 4, 5} and firsts & {6, 7}


@pytest.mark.parametrize("seed", range(30))
def test_a_retake_keeps_a_recording_exercise_preferring_an_unseen_one(seed):
    exercises = [9, 10]
    drawn = draw_questions(BANK, 3, random.Random(seed), required=exercises, seen={9, 1, 2})
    assert 10 in _ids(drawn)  # the exercise not recorded last time
    assert not _ids(drawn) & {1, 2}


@pytest.mark.parametrize("seed", range(10))
def test_a_first_draw_is_as_before(seed):
    assert draw_questions(BANK, 5, random.Random(seed)) == draw_questions(
        BANK, 5, random.Random(seed), seen=()
    )


# --- Through the app ----------------------------------------------------------------------


@pytest.fixture
def number(areas, make_indicator, make_quiz, make_plan) -> int:
    """An indicator whose quiz draws 3 of 8 questions (pass mark 80), in the active plan."""
    number = make_indicator()
    make_quiz(number, questions=8, draw_size=3, sees=list(LESSON_SECTIONS))
    make_plan([number])
    return number


def _start(client, number) -> int:
    response = client.post(f"/indicators/{number}/quiz")
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(re.search(r"/attempts/(\d+)", response.headers["Location"]).group(1))


def _right_choice_texts(app, attempt_id) -> list[str]:
    with app.app_context():
        session = get_session()
        return [
            c.text
            for item in session.get(Attempt, attempt_id).draw
            for c in session.get(Question, item["q"]).choices
            if c.correct
        ]


def test_a_retake_after_a_fail_draws_other_questions(app, client, volunteer, number):
    first = _start(client, number)
    client.post(f"/attempts/{first}", data=wrong_answers(app, first))
    second = _start(client, number)
    with app.app_context():
        session = get_session()
        drawn = [{i["q"] for i in session.get(Attempt, a).draw} for a in (first, second)]
    assert not drawn[0] & drawn[1]


def test_a_failed_result_shows_what_was_wrong_and_why_but_not_the_right_answers(
    app, client, volunteer, number
):
    attempt_id = _start(client, number)
    client.post(f"/attempts/{attempt_id}", data=wrong_answers(app, attempt_id))
    page = client.get(f"/attempts/{attempt_id}/result").get_data(as_text=True)
    with app.app_context():
        session = get_session()
        questions = [session.get(Question, i["q"]) for i in session.get(Attempt, attempt_id).draw]
        explanations = [q.explanation for q in questions]
    assert thai(app, "Not passed yet") in page
    # Each wrong pick is marked; no mark says which choice is right.
    assert page.count("✘") == len(questions) and "✔" not in page
    assert all(e in page for e in explanations)
    assert thai(app, "The right answers are shown once you pass this quiz. "
                     "A retake draws other questions where the quiz has them.") in page  # fmt: skip
    assert f'href="/indicators/{number}"' in page  # back to the lesson


def test_once_passed_every_result_shows_the_right_answers(app, client, volunteer, number):
    failed = _start(client, number)
    client.post(f"/attempts/{failed}", data=wrong_answers(app, failed))
    passed = _start(client, number)
    client.post(f"/attempts/{passed}", data=correct_answers(app, passed))
    for attempt_id in (passed, failed):
        page = client.get(f"/attempts/{attempt_id}/result").get_data(as_text=True)
        for text in _right_choice_texts(app, attempt_id):
            assert f"✔ {text}" in page


def test_a_plan_may_show_the_right_answers_after_a_fail(app, client, volunteer, number):
    with app.app_context():
        session = get_session()
        plan = session.scalar(select(TrainingPlan).where(TrainingPlan.active.is_(True)))
        plan.show_answers_after_fail = True
        session.commit()
    attempt_id = _start(client, number)
    client.post(f"/attempts/{attempt_id}", data=wrong_answers(app, attempt_id))
    page = client.get(f"/attempts/{attempt_id}/result").get_data(as_text=True)
    assert all(f"✔ {text}" in page for text in _right_choice_texts(app, attempt_id))


def test_the_admin_plan_form_sets_whether_answers_show_after_a_fail(
    app, client, make_user, login, number
):
    from app.auth.models import Role

    login(client, make_user(Role.ADMIN))
    with app.app_context():
        plan = get_session().scalar(select(TrainingPlan).where(TrainingPlan.active.is_(True)))
        plan_id, numbers = plan.id, [str(i.number) for i in plan.indicators]
    data = {"name_th": "แผน", "name_en": "Plan", "campaign_year": "2570",
            "indicators": numbers, "show_answers_after_fail": "y"}  # fmt: skip
    response = client.post(f"/admin/plans/{plan_id}", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        assert get_session().get(TrainingPlan, plan_id).show_answers_after_fail is True


def test_the_quiz_links_back_to_its_lesson(app, client, volunteer, number):
    attempt_id = _start(client, number)
    page = client.get(f"/attempts/{attempt_id}").get_data(as_text=True)
    assert f'href="/indicators/{number}"' in page
    assert thai(app, "Back to the lesson") in page
