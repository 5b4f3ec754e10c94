"""FAQ cards in the studio: drafts stay hidden until published, delete follows the shared
rules, cards reorder, start from a confusing question, and titles are always escaped."""

from __future__ import annotations

import re

from sqlalchemy import select

from app.content.models import AuditEntry, FaqCard, Indicator
from app.db import get_session
from app.quizzes.models import Question

CARD = {"title": "ผู้ตอบไม่ยอมบอกรายได้ ทำอย่างไร", "body": "ถามเป็น **ช่วงรายได้** แทน"}


def _card(slug: str, number: int = 1) -> FaqCard | None:
    stmt = select(FaqCard).join(Indicator).where(Indicator.number == number, FaqCard.slug == slug)
    return get_session().scalar(stmt)


def _actions() -> list[str]:
    return list(get_session().scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


def _new(client, number: int = 1, **data: str):
    return client.post(f"/studio/indicators/{number}/faq/new", data={**CARD, **data})


def test_a_new_card_is_a_draft_until_published(app, client, content, make_user, login, trainer):
    response = _new(client, slug="income")
    with app.app_context():
        card = _card("income")
        card_id = card.id
        assert not card.published and card.body == CARD["body"]
    assert response.headers["Location"].endswith(f"/studio/faq/{card_id}")
    assert CARD["title"] not in client.get("/indicators/1").get_data(as_text=True)

    client.post(f"/studio/faq/{card_id}/publish")
    lesson = client.get("/indicators/1").get_data(as_text=True)
    assert 'id="faq-income"' in lesson and "<strong>ช่วงรายได้</strong>" in lesson
    client.post(f"/studio/faq/{card_id}/unpublish")
    assert CARD["title"] not in client.get("/indicators/1").get_data(as_text=True)
    with app.app_context():
        assert _actions() == ["faq.create", "faq.publish", "faq.unpublish"]


def test_volunteers_never_see_a_draft_card(app, client, content, make_user, login, trainer):
    _new(client, slug="draft-only")
    client.post("/logout")
    login(client, make_user())
    assert CARD["title"] not in client.get("/indicators/1").get_data(as_text=True)
    assert client.get("/studio/indicators/1/preview").status_code == 403


def test_ids_are_made_when_left_empty_and_must_be_unique(app, client, content, trainer):
    _new(client)
    _new(client)
    page = _new(client, slug="no-pregnancy").get_data(as_text=True)  # a shipped card's id
    assert "has-error" in page
    page = _new(client, slug="Bad Id!").get_data(as_text=True)
    assert "has-error" in page
    with app.app_context():
        mine = get_session().scalars(
            select(FaqCard.slug).where(FaqCard.title_th == CARD["title"]).order_by(FaqCard.id)
        )
        assert list(mine) == ["card-5", "card-6"]  # indicator 1 ships 4 cards


def test_a_card_can_start_from_a_confusing_question(app, client, content, trainer):
    with app.app_context():
        session = get_session()
        mine = session.scalar(select(Question).join(Indicator).where(Indicator.number == 1))
        other = session.scalar(select(Question).join(Indicator).where(Indicator.number == 2))
        text, explanation, mine_id, other_id = mine.text, mine.explanation, mine.id, other.id
    page = client.get(f"/studio/indicators/1/faq/new?from_question={mine_id}")
    html = page.get_data(as_text=True)
    title = re.search(r'<input[^>]*name="title"[^>]*>', html).group(0)
    assert f'value="{text}"' in title or text.replace('"', "&#34;") in title
    assert explanation in html[html.index('name="body"') :]
    # Another indicator's question prefills nothing.
    html = client.get(f"/studio/indicators/1/faq/new?from_question={other_id}").get_data(
        as_text=True
    )
    assert re.search(r'<input[^>]*name="title"[^>]*value=""', html)


def test_a_published_card_cannot_be_deleted(app, client, content, trainer):
    with app.app_context():
        card_id = _card("no-pink-book").id
    client.post(f"/studio/faq/{card_id}/delete")
    with app.app_context():
        card = get_session().get(FaqCard, card_id)
        assert card is not None and card.published and card.archived_at is None
        assert "faq.delete" not in _actions()


def test_a_draft_a_question_refers_to_is_archived(app, client, content, trainer):
    with app.app_context():
        card = _card("no-pregnancy")  # quizzes/01.yaml: see: faq:no-pregnancy
        card_id, title = card.id, card.title_th
    client.post(f"/studio/faq/{card_id}/unpublish")
    response = client.post(f"/studio/faq/{card_id}/delete")
    assert response.headers["Location"].endswith("/studio/indicators/1#faq")
    with app.app_context():
        card = get_session().get(FaqCard, card_id)
        assert card.archived_at is not None and not card.published
        assert _actions()[-1] == "faq.archive"
    assert title not in client.get("/studio/indicators/1").get_data(as_text=True)
    assert client.get(f"/studio/faq/{card_id}").status_code == 404


def test_an_unreferenced_draft_is_deleted(app, client, content, trainer):
    _new(client, slug="gone-soon")
    with app.app_context():
        card_id = _card("gone-soon").id
    client.post(f"/studio/faq/{card_id}/delete")
    with app.app_context():
        assert get_session().get(FaqCard, card_id) is None
        assert _actions()[-1] == "faq.delete"


def test_cards_move_up_and_down_on_the_lesson_page(app, client, content, trainer):
    with app.app_context():
        session = get_session()
        indicator = session.scalar(select(Indicator).where(Indicator.number == 1))
        slugs = [c.slug for c in sorted(indicator.faq_cards, key=lambda c: c.position)]
        second = _card(slugs[1]).id
    client.post(f"/studio/faq/{second}/move", data={"direction": "up"})
    lesson = client.get("/indicators/1").get_data(as_text=True)
    shown = re.findall(r'id="faq-([a-z0-9-]+)"', lesson)
    assert shown == [slugs[1], slugs[0], *slugs[2:]]
    client.post(f"/studio/faq/{second}/move", data={"direction": "up"})  # already first
    client.post(f"/studio/faq/{second}/move", data={"direction": "down"})
    lesson = client.get("/indicators/1").get_data(as_text=True)
    assert re.findall(r'id="faq-([a-z0-9-]+)"', lesson) == slugs


def test_editing_a_card_is_audited(app, client, content, trainer):
    with app.app_context():
        card = _card("no-pink-book")
        card_id, old_title = card.id, card.title_th
    client.post(f"/studio/faq/{card_id}", data={"title": "หัวข้อใหม่", "body": "คำตอบใหม่"})
    client.post(f"/studio/faq/{card_id}/draft/publish")  # the edit waited as a draft
    with app.app_context():
        entry = get_session().scalar(select(AuditEntry).where(AuditEntry.action == "faq.edit"))
        assert entry.detail["title_th"] == [old_title, "หัวข้อใหม่"]
        assert entry.detail["slug"] == "no-pink-book"
    assert "คำตอบใหม่" in client.get("/indicators/1").get_data(as_text=True)  # still published


def test_a_title_with_markup_is_escaped_everywhere(app, client, content, trainer):
    xss = '<script>alert(1)</script><img src=x onerror="alert(2)">'
    _new(client, slug="xss", title=xss, body="[x](javascript:alert(3)) <a style='x'>y</a>")
    with app.app_context():
        card_id = _card("xss").id
    client.post(f"/studio/faq/{card_id}/publish")
    for url in (
        f"/studio/faq/{card_id}",
        "/studio/indicators/1",
        "/studio/indicators/1/preview",
        "/indicators/1",
    ):
        page = client.get(url).get_data(as_text=True)
        assert "<script>alert(1)" not in page and "<img src=x" not in page, url
        assert "&lt;script&gt;alert(1)" in page, url
        assert not re.search(r"<a[^>]*(javascript:|style=)", page), url
