"""The studio overview flags what each unit lacks; the workspace lists an indicator's items;
every studio page of the overview, wording, lesson and FAQ group is for trainers only."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import event, func, select

from app.auth.models import Role
from app.content.models import FaqCard, Indicator
from app.db import db, get_session, utcnow
from app.quizzes.models import Question, Quiz
from app.studio.services import Count, material_flags

# Every URL this part of the studio adds (ids need not exist: the role check comes first).
ROUTES = [
    ("GET", "/studio/"),
    ("GET", "/studio/indicators"),
    ("GET", "/studio/indicators/1"),
    ("GET", "/studio/indicators/1/preview"),
    ("GET", "/studio/indicators/1/wording"),
    ("POST", "/studio/indicators/1/wording"),
    ("POST", "/studio/indicators/1/confirm"),
    ("GET", "/studio/indicators/1/lesson"),
    ("POST", "/studio/indicators/1/lesson"),
    ("GET", "/studio/indicators/1/faq/new"),
    ("POST", "/studio/indicators/1/faq/new"),
    ("GET", "/studio/faq/1"),
    ("POST", "/studio/faq/1"),
    ("POST", "/studio/faq/1/publish"),
    ("POST", "/studio/faq/1/unpublish"),
    ("POST", "/studio/faq/1/delete"),
    ("POST", "/studio/faq/1/move"),
    ("POST", "/studio/preview"),
]
FULL = {
    "clips": Count(1),
    "infographics": Count(1),
    "faq_cards": Count(3),
    "questions": Count(10),
}


@pytest.mark.parametrize(("method", "url"), ROUTES)
def test_volunteers_are_refused_and_visitors_sent_to_log_in(
    client, areas, make_user, login, method, url
):
    data = {"title": "x", "body": "x", "note": "x", "text": "x", "direction": "up"}
    anonymous = client.open(url, method=method, data=data)
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]
    login(client, make_user(Role.VOLUNTEER))
    assert client.open(url, method=method, data=data).status_code == 403


def test_rules_flag_missing_material_but_not_media_for_the_survey_basics():
    assert material_flags(5, FULL, 10, True) == []
    gaps = {**FULL, "clips": Count(0, draft=2), "faq_cards": Count(2, draft=5)}
    assert material_flags(5, gaps, 10, True) == ["no_clip", "few_faq_cards"]
    assert material_flags(0, {**FULL, "clips": Count(), "infographics": Count()}, 10, True) == []
    assert material_flags(5, FULL, 11, False) == ["small_bank", "no_lesson"]
    assert material_flags(5, FULL, None, True) == ["no_quiz"]


def _row(page: str, number: int) -> str:
    """The overview's list item of one unit ("" when not listed)."""
    found = re.search(rf'<li><a href="/studio/indicators/{number}">.*?</li>', page, re.S)
    return found.group(0) if found else ""


def test_removing_faq_cards_or_shrinking_the_bank_flags_the_indicator(
    app, client, content, complete_numbers, trainer
):
    client.post("/language", data={"lang": "en"})
    number = complete_numbers[0]
    assert _row(client.get("/studio/").get_data(as_text=True), number)
    assert not _row(client.get("/studio/?attention=1").get_data(as_text=True), number)

    with app.app_context():
        session = get_session()
        indicator = session.scalar(select(Indicator).where(Indicator.number == number))
        for card in indicator.faq_cards[2:]:
            card.published = False
        session.commit()
    row = _row(client.get("/studio/?attention=1").get_data(as_text=True), number)
    assert "fewer than 3 published FAQ cards" in row and "bank smaller" not in row
    assert re.search(r"FAQ cards <b>2</b> <span class=\"muted\">\+\d+ draft", row)

    with app.app_context():
        session = get_session()
        quiz = session.scalar(select(Quiz).join(Indicator).where(Indicator.number == number))
        bank = session.scalar(
            select(func.count())
            .select_from(Question)
            .where(Question.indicator_id == quiz.indicator_id, Question.published.is_(True))
        )
        quiz.draw_size = bank + 1
        session.commit()
    row = _row(client.get("/studio/?attention=1").get_data(as_text=True), number)
    assert "bank smaller than the draw" in row and f"draw {bank + 1}" in row


def test_the_overview_costs_the_same_few_queries_for_39_units(app, client, content, trainer):
    with app.app_context():
        engine = db.engine
    statements: list[str] = []

    def count(*args):
        statements.append(args[2])

    event.listen(engine, "before_cursor_execute", count)
    try:
        assert client.get("/studio/").status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert len(statements) <= 12, statements


def test_the_workspace_lists_every_item_with_its_state_and_editor(app, client, content, trainer):
    client.post("/language", data={"lang": "en"})
    with app.app_context():
        session = get_session()
        indicator = session.scalar(select(Indicator).where(Indicator.number == 1))
        cards = sorted(indicator.faq_cards, key=lambda c: c.position)
        cards[1].published = False
        titles = [c.title_th for c in cards]
        draft_id = cards[1].id
        questions = session.scalars(
            select(Question).where(Question.indicator_id == indicator.id)
        ).all()
        session.commit()
    page = client.get("/studio/indicators/1").get_data(as_text=True)
    faq = page[page.index('id="faq"') : page.index('id="questions"')]
    assert [faq.index(t) for t in titles] == sorted(faq.index(t) for t in titles)
    draft = re.search(rf'href="/studio/faq/{draft_id}">.*?</li>', faq, re.S).group(0)
    assert "Draft" in draft and "Published" not in draft
    assert faq.count("Published") == len(titles) - 1
    assert 'href="/studio/indicators/1/wording"' in page
    assert 'href="/studio/indicators/1/lesson"' in page
    assert 'href="/studio/indicators/1/faq/new"' in page
    assert len(questions) >= 6
    assert page.count("Published") >= len(titles) - 1 + len(questions) + 2  # + clip, image


def test_an_unknown_indicator_has_no_workspace(client, areas, trainer):
    assert client.get("/studio/indicators/99").status_code == 404


def test_trainers_see_the_studio_link_and_volunteers_do_not(client, areas, make_user, login):
    client.post("/language", data={"lang": "en"})
    login(client, make_user(Role.VOLUNTEER))
    assert 'href="/studio/"' not in client.get("/summary").get_data(as_text=True)
    client.post("/logout")
    login(client, make_user(Role.TRAINER))
    assert 'href="/studio/"' in client.get("/summary").get_data(as_text=True)


def test_archived_cards_leave_the_workspace_but_are_counted(app, client, content, trainer):
    client.post("/language", data={"lang": "en"})
    with app.app_context():
        session = get_session()
        card = session.scalar(select(FaqCard).join(Indicator).where(Indicator.number == 1))
        card.published = False
        card.archived_at = utcnow()
        title = card.title_th
        session.commit()
    page = client.get("/studio/indicators/1").get_data(as_text=True)
    assert title not in page
    assert "Archived (kept because something refers to them): 1" in page
