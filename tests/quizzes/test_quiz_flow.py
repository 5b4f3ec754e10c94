"""Taking a quiz: the draw is stored, scored once, feedback leads back to the lesson."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.content.models import LESSON_SECTIONS, Indicator
from app.db import get_session, utcnow
from app.quizzes.models import Attempt, AttemptAnswer, Question, Quiz

from ..conftest import correct_answers, thai, wrong_answers


@pytest.fixture
def number(areas, make_indicator, make_faq_card, make_quiz, make_plan) -> int:
    """An indicator with a lesson, a FAQ card and a quiz drawing 5 of 6 questions (every type,
    each pointing back to a lesson section or the card), in the active plan with another."""
    number = make_indicator()
    make_faq_card(number, "no-target")
    make_quiz(number, questions=6, draw_size=5, sees=[*LESSON_SECTIONS, "faq:no-target"])
    make_plan([number, make_indicator()])
    return number


def _start(client, number) -> int:
    response = client.post(f"/indicators/{number}/quiz")
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(re.search(r"/attempts/(\d+)", response.headers["Location"]).group(1))


def _attempts(app, user_id) -> list[Attempt]:
    with app.app_context():
        return list(get_session().scalars(select(Attempt).where(Attempt.user_id == user_id)))


def test_starting_draws_and_stores_the_quiz_size_of_questions(app, client, volunteer, number):
    attempt_id = _start(client, number)
    with app.app_context():
        session = get_session()
        attempt = session.get(Attempt, attempt_id)
        quiz = session.scalar(select(Quiz).join(Indicator).where(Indicator.number == number))
        assert len(attempt.draw) == quiz.draw_size
        assert len({item["q"] for item in attempt.draw}) == quiz.draw_size
        first = session.get(Question, attempt.draw[0]["q"])
    page = client.get(f"/attempts/{attempt_id}").get_data(as_text=True)
    assert first.text in page
    assert page.count("<fieldset") == quiz.draw_size


def test_reloading_the_start_resumes_the_open_attempt(app, client, volunteer, number):
    assert _start(client, number) == _start(client, number)
    assert len(_attempts(app, volunteer)) == 1


def test_passing_shows_score_and_explanations(app, client, volunteer, number):
    attempt_id = _start(client, number)
    response = client.post(f"/attempts/{attempt_id}", data=correct_answers(app, attempt_id))
    assert response.headers["Location"].endswith(f"/attempts/{attempt_id}/result")
    page = client.get(f"/attempts/{attempt_id}/result").get_data(as_text=True)
    with app.app_context():
        attempt = get_session().get(Attempt, attempt_id)
        assert attempt.passed and attempt.score == attempt.total
        explanations = [get_session().get(Question, i["q"]).explanation for i in attempt.draw]
    assert thai(app, "Passed") in page
    assert all(e in page for e in explanations)


def test_failing_links_each_wrong_answer_back_to_the_lesson(app, client, volunteer, number):
    attempt_id = _start(client, number)
    client.post(f"/attempts/{attempt_id}", data=wrong_answers(app, attempt_id))
    page = client.get(f"/attempts/{attempt_id}/result").get_data(as_text=True)
    with app.app_context():
        attempt = get_session().get(Attempt, attempt_id)
        assert attempt.passed is False and attempt.score == 0
        sees = [get_session().get(Question, i["q"]).see for i in attempt.draw]
    assert thai(app, "Not passed yet") in page
    for see in sees:
        anchor = f"faq-{see[4:]}" if see.startswith("faq:") else see
        assert f'href="/indicators/{number}#{anchor}"' in page
    lesson = client.get(f"/indicators/{number}").get_data(as_text=True)
    assert all(f'id="{a}"' in lesson for a in
               (f"faq-{s[4:]}" if s.startswith("faq:") else s for s in sees))  # fmt: skip


def test_a_resent_submit_records_one_attempt(app, client, volunteer, number):
    attempt_id = _start(client, number)
    answers = correct_answers(app, attempt_id)
    first = client.post(f"/attempts/{attempt_id}", data=answers)
    again = client.post(f"/attempts/{attempt_id}", data=wrong_answers(app, attempt_id))
    assert first.status_code == again.status_code == 302
    with app.app_context():
        session = get_session()
        assert session.scalar(select(func.count()).select_from(Attempt)) == 1
        attempt = session.get(Attempt, attempt_id)
        assert attempt.passed  # the first submission stands
        count = session.scalar(select(func.count()).select_from(AttemptAnswer))
        assert count == attempt.total


def test_an_answer_to_an_undrawn_question_is_refused(app, client, volunteer, number):
    attempt_id = _start(client, number)
    with app.app_context():
        drawn = {i["q"] for i in get_session().get(Attempt, attempt_id).draw}
        other = get_session().scalar(select(Question.id).where(Question.id.not_in(drawn)).limit(1))
    data = {**correct_answers(app, attempt_id), f"q{other}": "a"}
    response = client.post(f"/attempts/{attempt_id}", data=data)
    assert response.status_code == 400
    # In the user's language (Thai by default), like every error page.
    reason = thai(app, "Answer to a question that was not drawn: %(field)s.", field=f"q{other}")
    assert reason in response.get_data(as_text=True)
    with app.app_context():
        assert get_session().get(Attempt, attempt_id).submitted_at is None


def test_a_choice_the_question_does_not_have_is_a_form_error(app, client, volunteer, number):
    attempt_id = _start(client, number)
    data = correct_answers(app, attempt_id)
    first = next(iter(data))
    data[first] = "z"
    response = client.post(f"/attempts/{attempt_id}", data=data)
    assert response.status_code == 200 and 'class="error"' in response.get_data(as_text=True)
    with app.app_context():
        assert get_session().get(Attempt, attempt_id).submitted_at is None


def test_unanswered_questions_are_asked_for_not_scored(app, client, volunteer, number):
    attempt_id = _start(client, number)
    response = client.post(f"/attempts/{attempt_id}", data={})
    assert thai(app, "Answer this question.") in response.get_data(as_text=True)
    with app.app_context():
        assert get_session().get(Attempt, attempt_id).submitted_at is None


def test_another_users_attempt_cannot_be_submitted_or_read(app, client, make_user, login, number):
    owner = app.test_client()
    login(owner, make_user())
    attempt_id = _start(owner, number)
    login(client, make_user(full_name="คนอื่น"))
    answers = correct_answers(app, attempt_id)
    assert client.post(f"/attempts/{attempt_id}", data=answers).status_code == 403
    assert client.get(f"/attempts/{attempt_id}").status_code == 403
    with app.app_context():
        assert get_session().get(Attempt, attempt_id).submitted_at is None


def test_every_attempt_is_kept_and_a_retake_draws_again(app, client, volunteer, number):
    first = _start(client, number)
    client.post(f"/attempts/{first}", data=wrong_answers(app, first))
    second = _start(client, number)
    assert second != first
    client.post(f"/attempts/{second}", data=correct_answers(app, second))
    attempts = _attempts(app, volunteer)
    assert [a.passed for a in sorted(attempts, key=lambda a: a.id)] == [False, True]


def test_a_failed_quiz_waits_for_the_cooldown(app, client, volunteer, number):
    app.config["QUIZ_COOLDOWN_SECONDS"] = 600
    first = _start(client, number)
    client.post(f"/attempts/{first}", data=wrong_answers(app, first))
    response = client.post(f"/indicators/{number}/quiz")
    assert response.headers["Location"].endswith(f"/indicators/{number}")
    assert len(_attempts(app, volunteer)) == 1
    with app.app_context():
        attempt = get_session().get(Attempt, first)
        attempt.submitted_at = utcnow() - timedelta(minutes=11)
        get_session().commit()
    assert "/attempts/" in client.post(f"/indicators/{number}/quiz").headers["Location"]


def test_an_indicator_without_questions_says_so(app, client, volunteer, number):
    with app.app_context():
        session = get_session()
        indicator = session.scalar(select(Indicator).where(Indicator.number == number))
        for question in session.scalars(
            select(Question).where(Question.indicator_id == indicator.id)
        ):
            question.published = False
        session.commit()
    response = client.post(f"/indicators/{number}/quiz")
    assert response.headers["Location"].endswith(f"/indicators/{number}")
    assert _attempts(app, volunteer) == []
