"""A lesson page's published part is cached per content stamp (issue 16): a change a trainer
saves shows on the next view on every server, volunteers' own activity never moves the
stamp, and each language keeps its own page."""

from __future__ import annotations

import re

from sqlalchemy import select, update

from app.content.models import FaqCard, Indicator
from app.content.stamp import content_stamp
from app.db import get_session

from ..conftest import correct_answers


def _view(client) -> str:  # noqa: ANN001
    """The lesson page of indicator 5, its CSRF tokens blanked: a token carries the second it
    was signed in, so two views a second apart differ there and nowhere else."""
    page = client.get("/indicators/5").get_data(as_text=True)
    return re.sub(r'(name="csrf_token"[^>]*?value=")[^"]*', r"\1", page)


def _stamp(app) -> int:  # noqa: ANN001
    with app.app_context():
        return content_stamp(get_session())


def _card(app, number: int) -> FaqCard:  # noqa: ANN001
    session = get_session()
    indicator_id = session.scalar(select(Indicator.id).where(Indicator.number == number))
    return session.scalar(
        select(FaqCard).where(FaqCard.indicator_id == indicator_id, FaqCard.published.is_(True))
    )


def test_a_change_saved_on_one_server_shows_on_the_next_view_on_another(
    app, client, content, second_app
):
    """Two apps on one database stand for two workers: the first has the page cached when
    the second saves a change."""
    page = _view(client)
    with app.app_context():
        card = _card(app, 5)
        slug, old_title = card.slug, card.title_th
    assert old_title in page
    assert _view(client) == page  # served from the cache

    # A flush that changes a card.
    with second_app.app_context():
        card = get_session().scalar(select(FaqCard).where(FaqCard.slug == slug))
        card.title_th = "หัวข้อที่ผู้ฝึกแก้ไขใหม่"
        get_session().commit()
    page = _view(client)
    assert "หัวข้อที่ผู้ฝึกแก้ไขใหม่" in page and old_title not in page

    # An ORM UPDATE statement (no object loaded) that takes the card back to draft.
    with second_app.app_context():
        get_session().execute(update(FaqCard).where(FaqCard.slug == slug).values(published=False))
        get_session().commit()
    assert f'id="faq-{slug}"' not in _view(client)

    # A new card.
    with second_app.app_context():
        session = get_session()
        indicator_id = session.scalar(select(Indicator.id).where(Indicator.number == 5))
        session.add(
            FaqCard(indicator_id=indicator_id, slug="new-card", title_th="การ์ดใหม่", body="ใหม่")
        )
        session.commit()
    assert 'id="faq-new-card"' in _view(client)


def test_a_rolled_back_change_leaves_the_page_and_the_stamp(app, client, content):
    before = _stamp(app)
    page = _view(client)
    with app.app_context():
        card = _card(app, 5)
        card.title_th = "ไม่ได้บันทึก"
        get_session().flush()
        get_session().rollback()
    assert _stamp(app) == before
    assert _view(client) == page


def test_volunteers_training_never_moves_the_stamp(
    app, client, content, make_user, login, complete_numbers
):
    login(client, make_user())
    number = complete_numbers[0]
    before = _stamp(app)
    client.get(f"/indicators/{number}")
    take = client.post(f"/indicators/{number}/quiz").headers["Location"]
    attempt_id = int(take.rstrip("/").split("/")[-1])
    client.get(take)
    assert client.post(take, data=correct_answers(app, attempt_id)).status_code == 302
    assert _stamp(app) == before


def test_each_language_keeps_its_own_cached_page(app, client, content):
    thai_page = _view(client)
    client.post("/language", data={"lang": "en"})
    english = _view(client)
    assert 'id="criterion"' in english and ">Criterion<" in english
    assert ">Criterion<" not in thai_page
    client.post("/language", data={"lang": "th"})
    assert _view(client) == thai_page


def test_the_studio_preview_shows_drafts_the_cached_page_does_not(
    app, client, content, make_user, login, make_faq_card
):
    from app.auth.models import Role

    client.get("/indicators/5")  # cached without the draft
    make_faq_card(5, "draft-card", published=False)
    login(client, make_user(Role.TRAINER))
    assert 'id="faq-draft-card"' in client.get("/studio/indicators/5/preview").get_data(
        as_text=True
    )
    assert 'id="faq-draft-card"' not in _view(client)
