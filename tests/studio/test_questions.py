"""The studio's question bank: create, validate, reorder, publish, retire, settings, preview."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from app.auth.models import Role
from app.content.models import AuditEntry, FaqCard, Indicator
from app.db import get_session
from app.quizzes.models import Attempt, Choice, Question, Quiz
from app.studio import question_rules as rules

from ..conftest import correct_answers

NUMBER = 7


def make_unit(app: Flask, *, published: int = 3, drafts: int = 0, draw: int = 2) -> int:
    """Indicator 7 with a FAQ card and a bank of single-choice questions q1, q2 … (published
    first, then drafts); returns the indicator's id."""
    with app.app_context():
        session = get_session()
        indicator = Indicator(
            number=NUMBER, title_th="ตัวชี้วัดทดสอบ", title_en="Test", status="official"
        )
        session.add(indicator)
        session.flush()
        session.add(Quiz(indicator_id=indicator.id, pass_mark=50, draw_size=draw))
        session.add(
            FaqCard(indicator_id=indicator.id, slug="nobody", title_th="ไม่มีใครอยู่", body="ข้อ")
        )
        for n in range(1, published + drafts + 1):
            session.add(
                Question(
                    indicator_id=indicator.id,
                    key=f"q{n}",
                    type="single",
                    text=f"คำถามที่ {n}",
                    explanation=f"เพราะข้อ {n}",
                    see="measures",
                    position=n,
                    published=n <= published,
                    choices=[
                        Choice(key="a", text=f"ถูกต้อง {n}", correct=True, position=0),
                        Choice(key="b", text=f"ผิด {n}", correct=False, position=1),
                    ],
                )
            )
        session.commit()
        return indicator.id


def question_data(
    *,
    text: str = "ข้อใดถูก",
    kind: str = "single",
    choices: tuple[tuple[str, bool], ...] = (("ใช่", True), ("ไม่ใช่", False)),
    explanation: str = "อธิบาย",
    see: str = "measures",
    key: str = "",
    answer: str | None = None,
) -> dict[str, Any]:
    """The question form's fields."""
    data: dict[str, Any] = {"type": kind, "text": text, "explanation": explanation, "see": see}
    if key:
        data["key"] = key
    if answer:
        data["answer"] = answer
    for i, (choice, correct) in enumerate(choices):
        data[f"choices-{i}-text"] = choice
        if correct:
            data[f"choices-{i}-correct"] = "y"
    return data


def question(app: Flask, key: str, *, latest: bool = True, number: int = NUMBER) -> Question:
    """The newest (or first) version of a question of an indicator, choices loaded."""
    with app.app_context():
        stmt = (
            select(Question).join(Indicator).where(Question.key == key, Indicator.number == number)
        )
        stmt = stmt.order_by(Question.version.desc() if latest else Question.version)
        found = get_session().scalars(stmt).first()
        assert found is not None, key
        found.choices  # noqa: B018 - load before the session closes
        return found


def audit(app: Flask, action: str) -> list[dict]:
    """The detail of every audit entry with this action."""
    with app.app_context():
        stmt = select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)
        return [e.detail for e in get_session().scalars(stmt)]


def bank_order(app: Flask) -> list[str]:
    """The keys of indicator 7's current questions in bank order."""
    with app.app_context():
        stmt = (
            select(Question.key)
            .where(Question.archived_at.is_(None))
            .order_by(Question.position, Question.id)
        )
        return list(get_session().scalars(stmt))


def english(client: FlaskClient) -> None:
    """Switch the client's UI to English so assertions read the msgids."""
    client.post("/language", data={"lang": "en"})


def test_the_bank_lists_questions_in_order_with_state_version_and_answers(
    app, client, trainer, make_user, login
):
    make_unit(app, published=2, drafts=1)
    volunteer = app.test_client()
    login(volunteer, make_user())
    attempt_id = int(
        re.search(r"/attempts/(\d+)", volunteer.post(f"/indicators/{NUMBER}/quiz").location)[1]
    )
    volunteer.post(f"/attempts/{attempt_id}", data=correct_answers(app, attempt_id))
    english(client)
    page = client.get(f"/studio/indicators/{NUMBER}/questions").get_data(as_text=True)
    assert page.index("คำถามที่ 1") < page.index("คำถามที่ 2") < page.index("คำถามที่ 3")
    assert page.count("answered in 1 attempts") == 2 and "answered in 0 attempts" in page
    assert page.count("version 1") == 3
    assert "2 published of 3" in page and page.count(">Draft<") == 1


def test_a_new_question_is_a_draft_with_an_automatic_key(app, client, trainer):
    make_unit(app)
    response = client.post(f"/studio/indicators/{NUMBER}/questions/new", data=question_data())
    assert response.status_code == 302, response.get_data(as_text=True)
    created = question(app, "q-4")  # q1..q3 are taken: the count of keys plus one
    assert not created.published and created.version == 1 and created.position == 4
    assert [(c.key, c.text, c.correct) for c in created.choices] == [
        ("a", "ใช่", True),
        ("b", "ไม่ใช่", False),
    ]
    assert audit(app, "question.create")[0]["key"] == "q-4"


def test_a_typed_id_becomes_the_key_and_must_be_free(app, client, trainer):
    make_unit(app)
    english(client)
    data = question_data(key="  Who Counts?! ")
    assert client.post(f"/studio/indicators/{NUMBER}/questions/new", data=data).status_code == 302
    assert question(app, "who-counts").text == "ข้อใดถูก"
    again = client.post(f"/studio/indicators/{NUMBER}/questions/new", data=data)
    assert "Another question of this indicator has the id who-counts." in again.get_data(
        as_text=True
    )


def test_a_true_false_question_has_the_bank_files_two_choices(app, client, trainer):
    make_unit(app)
    data = question_data(kind="truefalse", choices=(), answer="false", key="tf")
    assert client.post(f"/studio/indicators/{NUMBER}/questions/new", data=data).status_code == 302
    choices = question(app, "tf").choices
    assert [(c.key, c.text, c.correct) for c in choices] == [("a", "ถูก", False), ("b", "ผิด", True)]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            question_data(choices=(("ก", True), ("ข", True))),
            "A single-choice question needs exactly 1 correct choice.",
        ),
        (
            question_data(choices=(("ก", False), ("ข", False))),
            "A single-choice question needs exactly 1 correct choice.",
        ),
        (
            question_data(kind="multiple", choices=(("ก", False), ("ข", False))),
            "A multiple-choice question needs at least 1 correct choice.",
        ),
        (question_data(choices=(("ก", True),)), "Write at least 2 choices."),
        (question_data(choices=(("ก", True), ("ก", False))), "Two choices have the same text."),
        (question_data(choices=(("ก", True), ("", True))), "A choice ticked as correct has"),
        (question_data(explanation="  "), "Write the explanation"),
        (question_data(text=""), "Write the question."),
        (question_data(kind="truefalse", choices=()), "Choose whether the statement is true"),
        (question_data(key="ภาษาไทย"), "Use English letters, digits or"),
        (question_data(see="faq:missing"), "Not a valid choice"),
    ],
)
def test_an_invalid_question_names_the_problem_and_saves_nothing(
    app, client, trainer, data, message
):
    make_unit(app)
    english(client)
    response = client.post(f"/studio/indicators/{NUMBER}/questions/new", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and message in page
    with app.app_context():
        assert get_session().scalar(select(func.count()).select_from(Question)) == 3


def test_each_choice_problem_gets_its_own_error():
    rows = [("ก", False), ("ก", False), ("", True)]
    assert rules.choice_problems("single", rows) == [
        rules.EMPTY_CORRECT,
        rules.DUPLICATE,
        rules.SINGLE_NEEDS_ONE,
    ]
    assert rules.choice_problems("truefalse", []) == []


def test_see_offers_the_sections_criterion_and_the_indicators_faq_cards(app, client, trainer):
    make_unit(app)
    page = client.get(f"/studio/indicators/{NUMBER}/questions/new").get_data(as_text=True)
    values = re.findall(r'<option[^>]*value="([^"]+)"', page)
    assert values == [
        "measures",
        "target_group",
        "how_to_ask",
        "how_to_record",
        "pitfalls",
        "criterion",
        "faq:nobody",
    ]
    data = question_data(see="faq:nobody", key="faq-one")
    assert client.post(f"/studio/indicators/{NUMBER}/questions/new", data=data).status_code == 302
    assert question(app, "faq-one").see == "faq:nobody"


def test_moving_a_question_swaps_it_with_its_neighbour(app, client, trainer):
    make_unit(app)
    q2 = question(app, "q2")
    client.post(f"/studio/questions/{q2.id}/move", data={"direction": "up"})
    assert bank_order(app) == ["q2", "q1", "q3"]
    client.post(f"/studio/questions/{q2.id}/move", data={"direction": "up"})  # already first
    assert bank_order(app) == ["q2", "q1", "q3"]
    client.post(f"/studio/questions/{q2.id}/move", data={"direction": "down"})
    client.post(f"/studio/questions/{q2.id}/move", data={"direction": "down"})
    assert bank_order(app) == ["q1", "q3", "q2"]
    assert [d["position"] for d in audit(app, "question.move")] == [[2, 1], [1, 2], [2, 3]]
    bad = client.post(f"/studio/questions/{q2.id}/move", data={"direction": "sideways"})
    assert bad.status_code == 400


def test_a_retired_question_is_kept_listed_apart_and_never_drawn(
    app, client, trainer, make_user, login
):
    make_unit(app, published=3, draw=2)
    q1 = question(app, "q1")
    english(client)
    response = client.post(f"/studio/questions/{q1.id}/retire", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Question retired" in page and "Retired questions: 1" in page
    retired = question(app, "q1")
    assert retired.archived_at is not None and not retired.published
    assert audit(app, "question.retire")[0]["key"] == "q1"
    volunteer = app.test_client()
    login(volunteer, make_user())
    for _ in range(5):  # every draw is 2 of the 2 left
        volunteer.post(f"/indicators/{NUMBER}/quiz")
        with app.app_context():
            attempt = get_session().scalars(select(Attempt)).one()
            assert q1.id not in {item["q"] for item in attempt.draw}
            get_session().delete(attempt)
            get_session().commit()
    assert client.get(f"/studio/questions/{q1.id}").status_code == 302  # not editable


@pytest.mark.parametrize("action", ["retire", "unpublish"])
def test_taking_away_a_question_the_draw_needs_is_refused(app, client, trainer, action):
    make_unit(app, published=2, draw=2)
    q1 = question(app, "q1")
    english(client)
    page = client.post(f"/studio/questions/{q1.id}/{action}", follow_redirects=True)
    assert "lower the draw size first" in page.get_data(as_text=True)
    kept = question(app, "q1")
    assert kept.published and kept.archived_at is None
    assert audit(app, "question.retire") == audit(app, "question.publish") == []


def test_a_draft_is_retired_whatever_the_draw_size(app, client, trainer):
    make_unit(app, published=2, drafts=1, draw=2)
    q3 = question(app, "q3")
    client.post(f"/studio/questions/{q3.id}/retire")
    assert question(app, "q3").archived_at is not None


def test_drafts_are_never_drawn_until_published(app, client, trainer, make_user, login):
    make_unit(app, published=2, drafts=2, draw=2)
    volunteer = app.test_client()
    login(volunteer, make_user())
    volunteer.post(f"/indicators/{NUMBER}/quiz")
    with app.app_context():
        drawn = {item["q"] for item in get_session().scalars(select(Attempt)).one().draw}
    assert drawn == {question(app, "q1").id, question(app, "q2").id}
    q3 = question(app, "q3")
    client.post(f"/studio/questions/{q3.id}/publish")
    assert question(app, "q3").published
    assert audit(app, "question.publish")[0]["published"] == [False, True]
    client.post(f"/studio/questions/{q3.id}/unpublish")
    assert not question(app, "q3").published


def test_quiz_settings_are_saved_and_audited(app, client, trainer):
    make_unit(app, published=3, draw=2)
    data = {"pass_mark": "70", "draw_size": "3"}
    response = client.post(f"/studio/indicators/{NUMBER}/quiz-settings", data=data)
    assert response.status_code == 302
    with app.app_context():
        quiz = get_session().scalars(select(Quiz)).one()
        assert (quiz.pass_mark, quiz.draw_size) == (70, 3)
    assert audit(app, "quiz.settings") == [{"pass_mark": [50, 70], "draw_size": [2, 3]}]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"pass_mark": "80", "draw_size": "4"}, "The bank has only 3 published questions"),
        ({"pass_mark": "0", "draw_size": "2"}, "The pass mark is a percentage from 1 to 100."),
        ({"pass_mark": "101", "draw_size": "2"}, "The pass mark is a percentage from 1 to 100."),
        ({"pass_mark": "80", "draw_size": "0"}, "Draw at least 1 question."),
    ],
)
def test_quiz_settings_out_of_range_or_above_the_bank_are_refused(
    app, client, trainer, data, message
):
    make_unit(app, published=3, drafts=2, draw=2)
    english(client)
    response = client.post(f"/studio/indicators/{NUMBER}/quiz-settings", data=data)
    assert response.status_code == 200 and message in response.get_data(as_text=True)
    with app.app_context():
        quiz = get_session().scalars(select(Quiz)).one()
        assert (quiz.pass_mark, quiz.draw_size) == (50, 2)


def test_the_bank_page_warns_when_the_draw_is_larger_than_the_bank(app, client, trainer):
    make_unit(app, published=2, draw=2)
    english(client)
    page = client.get(f"/studio/indicators/{NUMBER}/questions").get_data(as_text=True)
    assert "volunteers draw" not in page
    with app.app_context():
        get_session().scalars(select(Quiz)).one().draw_size = 5
        get_session().commit()
    page = client.get(f"/studio/indicators/{NUMBER}/questions").get_data(as_text=True)
    assert "Only 2 questions are published but volunteers draw 5" in page


def test_the_preview_shows_every_question_with_drafts_marked_and_records_nothing(
    app, client, trainer
):
    make_unit(app, published=2, drafts=1)
    english(client)
    page = client.get(f"/studio/indicators/{NUMBER}/quiz-preview").get_data(as_text=True)
    assert "Nothing here is recorded." in page
    assert all(f"คำถามที่ {n}" in page and f"เพราะข้อ {n}" in page for n in (1, 2, 3))
    assert page.count(">Draft<") == 1
    assert page.count("✔") == 3 and page.count(" checked") == 3
    with app.app_context():
        assert get_session().scalar(select(func.count()).select_from(Attempt)) == 0


def _urls(app: Flask) -> list[tuple[str, str]]:
    q = question(app, "q1")
    number = NUMBER
    return [
        ("get", f"/studio/indicators/{number}/questions"),
        ("post", f"/studio/indicators/{number}/quiz-settings"),
        ("get", f"/studio/indicators/{number}/questions/new"),
        ("post", f"/studio/indicators/{number}/questions/new"),
        ("get", f"/studio/questions/{q.id}"),
        ("post", f"/studio/questions/{q.id}"),
        ("post", f"/studio/questions/{q.id}/retire"),
        ("post", f"/studio/questions/{q.id}/publish"),
        ("post", f"/studio/questions/{q.id}/unpublish"),
        ("post", f"/studio/questions/{q.id}/move"),
        ("get", f"/studio/indicators/{number}/quiz-preview"),
    ]


def test_every_question_url_is_for_trainers_only(app, client, areas, make_user, login):
    make_unit(app)
    urls = _urls(app)
    for method, url in urls:
        response = getattr(client, method)(url, data={"direction": "up"})
        assert response.status_code == 302 and "/login" in response.location, url
    login(client, make_user(Role.VOLUNTEER))
    for method, url in urls:
        assert getattr(client, method)(url, data={"direction": "up"}).status_code == 403, url
    assert bank_order(app) == ["q1", "q2", "q3"]
    admin = app.test_client()
    login(admin, make_user(Role.ADMIN))
    assert admin.get(urls[0][1]).status_code == 200


XSS = {
    "text": "<script>alert(1)</script>คำถาม",
    "choice": '<img src=x onerror="alert(2)">',
    "explanation": '<a href="javascript:alert(3)">ดู</a>',
}


def _no_raw_payload(page: str) -> None:
    assert "<script>alert(1)" not in page
    assert "<img src=x" not in page and 'onerror="alert' not in page
    assert '<a href="javascript:' not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_markup_in_questions_is_shown_as_text_everywhere(app, client, trainer, make_user, login):
    make_unit(app, published=0, draw=1)
    data = question_data(
        text=XSS["text"],
        choices=((XSS["choice"], True), ("ไม่ใช่", False)),
        explanation=XSS["explanation"],
        key="xss",
    )
    client.post(f"/studio/indicators/{NUMBER}/questions/new", data=data)
    q = question(app, "xss")
    client.post(f"/studio/questions/{q.id}/publish")
    _no_raw_payload(client.get(f"/studio/indicators/{NUMBER}/questions").get_data(as_text=True))
    for url in (f"/studio/indicators/{NUMBER}/quiz-preview", f"/studio/questions/{q.id}"):
        page = client.get(url).get_data(as_text=True)
        _no_raw_payload(page)
        assert "&#34;alert(2)&#34;" in page or "&quot;alert(2)&quot;" in page, url
    volunteer = app.test_client()
    login(volunteer, make_user())
    location = volunteer.post(f"/indicators/{NUMBER}/quiz").location
    attempt_id = int(re.search(r"/attempts/(\d+)", location)[1])
    _no_raw_payload(volunteer.get(location).get_data(as_text=True))
    volunteer.post(f"/attempts/{attempt_id}", data=correct_answers(app, attempt_id))
    result = volunteer.get(f"/attempts/{attempt_id}/result").get_data(as_text=True)
    _no_raw_payload(result)
    assert "&lt;a href=&#34;javascript:alert(3)&#34;&gt;" in result
