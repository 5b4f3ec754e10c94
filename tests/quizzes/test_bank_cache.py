"""Question banks are cached per content stamp (issue 16): a change saved on one server
reaches the next quiz started and the next page shown on another."""

from __future__ import annotations

from sqlalchemy import select, update

from app.db import get_session
from app.quizzes.models import Attempt, Question

from ..conftest import correct_answers


def _start(client, number: int) -> int:  # noqa: ANN001
    take = client.post(f"/indicators/{number}/quiz").headers["Location"]
    return int(take.rstrip("/").split("/")[-1])


def _drawn(app, attempt_id: int) -> set[int]:  # noqa: ANN001
    with app.app_context():
        return {item["q"] for item in get_session().get(Attempt, attempt_id).draw}


def test_a_question_retired_on_another_server_is_never_drawn_again(
    app, second_app, client, make_user, login, make_indicator, make_quiz
):
    number = make_indicator()
    make_quiz(number, questions=6, draw_size=5, pass_mark=0)
    login(client, make_user())
    first = _start(client, number)  # this server now has the bank cached
    assert client.get(f"/attempts/{first}").status_code == 200
    with second_app.app_context():
        session = get_session()
        retired = sorted(_drawn(app, first))[:3]
        session.execute(update(Question).where(Question.id.in_(retired)).values(published=False))
        session.commit()
    client.post(f"/attempts/{first}", data=correct_answers(app, first))
    for _ in range(3):
        attempt_id = _start(client, number)
        assert not _drawn(app, attempt_id) & set(retired)
        client.post(f"/attempts/{attempt_id}", data=correct_answers(app, attempt_id))


def test_an_edit_saved_elsewhere_shows_on_an_open_attempts_next_page(
    app, second_app, client, make_user, login, make_indicator, make_quiz
):
    number = make_indicator()
    make_quiz(number, questions=5, draw_size=5)
    login(client, make_user())
    attempt_id = _start(client, number)
    page = client.get(f"/attempts/{attempt_id}").get_data(as_text=True)
    with app.app_context():
        question = get_session().get(Question, min(_drawn(app, attempt_id)))
        old_text = question.text
    assert old_text in page
    with second_app.app_context():
        session = get_session()
        session.scalar(select(Question).where(Question.id == question.id)).text = "ถ้อยคำใหม่"
        session.commit()
    # The question itself changed (no attempt had been submitted), so the page follows it.
    assert "ถ้อยคำใหม่" in client.get(f"/attempts/{attempt_id}").get_data(as_text=True)
