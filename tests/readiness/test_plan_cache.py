"""The active plan on the quiz path is cached per content stamp (issue 16): a plan activated,
edited or switched to showing answers on one server counts on the next request on another."""

from __future__ import annotations

from sqlalchemy import select

from app.content.models import Indicator
from app.db import get_session
from app.readiness.models import PlanProgress, TrainingPlan

from ..conftest import activate_plan, correct_answers, wrong_answers


def _take(app, client, number: int, *, right: bool) -> str:  # noqa: ANN001
    take = client.post(f"/indicators/{number}/quiz").headers["Location"]
    attempt_id = int(take.rstrip("/").split("/")[-1])
    answers = (correct_answers if right else wrong_answers)(app, attempt_id)
    return client.post(take, data=answers).headers["Location"]


def _progress(app, user_id: int) -> tuple[int, int, int] | None:  # noqa: ANN001
    """The volunteer's progress under the latest plan (plan, passed, required)."""
    with app.app_context():
        stmt = select(PlanProgress).where(PlanProgress.user_id == user_id)
        row = get_session().scalar(stmt.order_by(PlanProgress.plan_id.desc()))
        return row and (row.plan_id, row.passed, row.required)


def test_a_plan_activated_and_edited_on_another_server_counts_at_once(
    app, second_app, client, make_user, login, make_indicator, make_quiz, make_plan
):
    numbers = [make_indicator() for _ in range(3)]
    for number in numbers:
        make_quiz(number, questions=5, draw_size=5)
    make_plan(numbers[:1], slug="first")
    user_id = make_user()
    login(client, user_id)
    _take(app, client, numbers[0], right=True)  # this server has the first plan cached
    first = _progress(app, user_id)
    assert first[1:] == (1, 1)

    with second_app.app_context():  # another server activates a plan of all three
        session = get_session()
        indicators = list(session.scalars(select(Indicator).where(Indicator.number.in_(numbers))))
        second = activate_plan(session, indicators, "second").id
        session.commit()
    _take(app, client, numbers[1], right=True)
    assert _progress(app, user_id) == (second, 2, 3)
    page = client.get(f"/indicators/{numbers[2]}").get_data(as_text=True)
    assert "lesson-status" not in page  # not started under the new plan either

    with second_app.app_context():  # and takes an indicator out of it
        session = get_session()
        plan = session.get(TrainingPlan, second)
        plan.indicators = [i for i in plan.indicators if i.number != numbers[2]]
        session.commit()
    _take(app, client, numbers[0], right=True)
    assert _progress(app, user_id) == (second, 2, 2)


def test_showing_answers_after_a_fail_switched_elsewhere_shows_them_next(
    app, second_app, client, make_user, login, make_indicator, make_quiz, make_plan
):
    number = make_indicator()
    make_quiz(number, questions=5, draw_size=5)
    plan_id = make_plan([number])
    login(client, make_user())
    result = _take(app, client, number, right=False)
    hidden = client.get(result).get_data(as_text=True)
    with second_app.app_context():
        get_session().get(TrainingPlan, plan_id).show_answers_after_fail = True
        get_session().commit()
    shown = client.get(result).get_data(as_text=True)
    assert shown.count("✔ ") > hidden.count("✔ ")  # the right choices are marked now
