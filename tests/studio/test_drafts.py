"""Edits of a published FAQ card or question wait as a draft: volunteers keep the published
version (and saved phones their offline copy) until the trainer publishes it; discarding the
draft leaves the published version as it was."""

from __future__ import annotations

import re

from sqlalchemy import select

from app.db import get_session
from app.offline.services import content_version
from app.quizzes.models import Attempt

from ..conftest import thai
from .test_faq import _card
from .test_questions import NUMBER, english, make_unit, question, question_data

NEW = {"title": "หัวข้อที่แก้แล้ว", "body": "คำตอบที่แก้แล้ว"}


def _version(app) -> str:
    with app.app_context():
        return content_version(get_session())


def test_an_edit_of_a_published_card_waits_until_published(
    app, client, content, trainer, make_user, login
):
    volunteer = app.test_client()
    login(volunteer, make_user())
    with app.app_context():
        card = _card("no-pink-book")
        card_id, old_title = card.id, card.title_th
    before = _version(app)
    saved = client.post(f"/studio/faq/{card_id}", data=NEW, follow_redirects=True)
    assert "Draft saved: volunteers keep seeing the published card" in saved.get_data(True)
    lesson = volunteer.get("/indicators/1").get_data(as_text=True)
    assert NEW["body"] not in lesson and NEW["title"] not in lesson
    assert _version(app) == before  # saved phones need nothing new
    page = client.get(f"/studio/faq/{card_id}").get_data(as_text=True)
    assert "There is a draft not yet published." in page
    assert f"{NEW['body']}</textarea>" in page  # the form goes on from the draft
    assert f"/studio/faq/{card_id}/draft/publish" in page
    assert "Unpublished draft" in client.get("/studio/indicators/1").get_data(as_text=True)

    done = client.post(f"/studio/faq/{card_id}/draft/publish", follow_redirects=True)
    assert "Published: volunteers see the new text." in done.get_data(as_text=True)
    lesson = volunteer.get("/indicators/1").get_data(as_text=True)
    assert NEW["body"] in lesson and NEW["title"] in lesson
    assert _version(app) != before
    with app.app_context():
        card = _card("no-pink-book")
        assert card.draft is None and card.published and card.title_th != old_title


def test_discarding_a_card_draft_keeps_the_published_card(app, client, content, trainer):
    with app.app_context():
        card = _card("no-pink-book")
        card_id, title, body = card.id, card.title_th, card.body
    client.post(f"/studio/faq/{card_id}", data=NEW)
    client.post("/language", data={"lang": "th"})
    page = client.get(f"/studio/faq/{card_id}").get_data(as_text=True)
    assert thai(app, "There is a draft not yet published.") in page
    assert "มีฉบับร่างที่ยังไม่เผยแพร่" in page
    client.post(f"/studio/faq/{card_id}/draft/discard")
    with app.app_context():
        card = _card("no-pink-book")
        assert (card.draft, card.title_th, card.body) == (None, title, body)
    page = client.get(f"/studio/faq/{card_id}").get_data(as_text=True)
    assert "pending-draft" not in page and NEW["body"] not in page
    assert NEW["body"] not in client.get("/indicators/1").get_data(as_text=True)


def test_an_edit_back_to_the_published_text_drops_the_draft(app, client, content, trainer):
    with app.app_context():
        card = _card("no-pink-book")
        card_id, same = card.id, {"title": card.title_th, "body": card.body}
    client.post(f"/studio/faq/{card_id}", data=NEW)
    client.post(f"/studio/faq/{card_id}", data=same)
    with app.app_context():
        assert _card("no-pink-book").draft is None


def _drawn_text(app, volunteer) -> str:
    location = volunteer.post(f"/indicators/{NUMBER}/quiz").location
    attempt_id = int(re.search(r"/attempts/(\d+)", location)[1])
    page = volunteer.get(f"/attempts/{attempt_id}").get_data(as_text=True)
    with app.app_context():
        session = get_session()
        session.delete(session.get(Attempt, attempt_id))  # the next draw starts afresh
        session.commit()
    return page


def test_an_edit_of_a_published_question_waits_until_published(
    app, client, trainer, make_user, login
):
    make_unit(app, published=2, draw=2)
    v1 = question(app, "q1")
    volunteer = app.test_client()
    login(volunteer, make_user())
    english(client)
    before = _version(app)
    data = question_data(text="คำถามที่ 1 แบบใหม่", choices=(("ใหม่ถูก", True), ("ใหม่ผิด", False)))
    saved = client.post(f"/studio/questions/{v1.id}", data=data, follow_redirects=True)
    assert "Draft saved: volunteers keep getting the published question" in saved.get_data(True)
    assert "Unpublished draft" in saved.get_data(as_text=True)  # the bank marks it
    stored = question(app, "q1")
    assert (stored.id, stored.text, stored.published) == (v1.id, "คำถามที่ 1", True)
    quiz = _drawn_text(app, volunteer)
    assert "คำถามที่ 1" in quiz and "แบบใหม่" not in quiz
    assert _version(app) == before
    page = client.get(f"/studio/questions/{v1.id}").get_data(as_text=True)
    assert "There is a draft not yet published." in page
    assert "คำถามที่ 1 แบบใหม่</textarea>" in page and 'value="ใหม่ถูก"' in page

    done = client.post(f"/studio/questions/{v1.id}/draft/publish", follow_redirects=True)
    assert "Published: volunteers now get the new wording." in done.get_data(as_text=True)
    assert "แบบใหม่" in _drawn_text(app, volunteer)
    assert _version(app) != before
    edited = question(app, "q1")
    assert (edited.text, edited.draft, [c.text for c in edited.choices]) == (
        "คำถามที่ 1 แบบใหม่",
        None,
        ["ใหม่ถูก", "ใหม่ผิด"],
    )


def test_publishing_the_draft_of_an_asked_question_makes_a_new_version(
    app, client, trainer, make_user, login
):
    make_unit(app, published=2, draw=2)
    v1 = question(app, "q1")
    volunteer = app.test_client()
    login(volunteer, make_user())
    volunteer.post(f"/indicators/{NUMBER}/quiz")  # an open attempt drew q1
    english(client)
    client.post(f"/studio/questions/{v1.id}", data=question_data(text="ฉบับที่สอง"))
    assert question(app, "q1").id == v1.id  # nothing versioned while it is a draft
    done = client.post(f"/studio/questions/{v1.id}/draft/publish", follow_redirects=True)
    assert "Saved as version 2: attempts so far keep version 1." in done.get_data(True)
    v2, old = question(app, "q1"), question(app, "q1", latest=False)
    assert (v2.version, v2.text, v2.published, v2.draft) == (2, "ฉบับที่สอง", True, None)
    assert old.text == "คำถามที่ 1" and old.archived_at is not None


def test_discarding_a_question_draft_keeps_the_published_question(app, client, trainer):
    make_unit(app, published=2, draw=2)
    v1 = question(app, "q1")
    client.post(f"/studio/questions/{v1.id}", data=question_data(text="ทิ้งฉบับนี้"))
    assert question(app, "q1").draft is not None
    client.post(f"/studio/questions/{v1.id}/draft/discard")
    kept = question(app, "q1")
    assert (kept.id, kept.text, kept.draft) == (v1.id, "คำถามที่ 1", None)
    page = client.get(f"/studio/questions/{v1.id}").get_data(as_text=True)
    assert "pending-draft" not in page and "คำถามที่ 1</textarea>" in page
    with app.app_context():
        assert get_session().scalar(select(Attempt.id)) is None
