"""Answers reach the volunteer's home page once; trainers turn answers into FAQ card drafts."""

from __future__ import annotations

from sqlalchemy import select

from app.auth.models import Role
from app.content.models import FaqCard, Indicator
from app.db import get_session, utcnow
from app.support.models import SupportQuestion, SupportTeamMember

from ..conftest import thai


def test_an_answer_shows_on_home_until_seen(app, client, zone_volunteer, put_question, login):
    asker = zone_volunteer("north")
    question_id = put_question(
        asker, "north", status="answered", answer="นับเป็นสมาชิกครับ", answered_at=utcnow()
    )
    put_question(asker, "north", text="ยังไม่มีคำตอบสำหรับคำถามนี้")
    login(client, asker)
    home = client.get("/").get_data(as_text=True)
    assert thai(app, "New answers to your questions") in home
    assert "นับเป็นสมาชิกครับ" in home and "ยังไม่มีคำตอบ" not in home
    assert 'src="/static/' in home and "support" in home  # the script that marks them seen
    assert client.post("/support/seen", data={"question": [question_id]}).status_code == 302
    home = client.get("/").get_data(as_text=True)
    assert "นับเป็นสมาชิกครับ" not in home
    mine = client.get("/support/mine").get_data(as_text=True)
    assert "นับเป็นสมาชิกครับ" in mine and "ยังไม่มีคำตอบสำหรับคำถามนี้" in mine


def test_a_volunteer_cannot_mark_anothers_answer_seen(
    app, client, zone_volunteer, put_question, login
):
    asker = zone_volunteer("north")
    question_id = put_question(
        asker, "north", status="answered", answer="ตอบ", answered_at=utcnow()
    )
    login(client, zone_volunteer("north", full_name="อาสา อื่น"))
    client.post("/support/seen", data={"question": [question_id]})
    with app.app_context():
        assert get_session().get(SupportQuestion, question_id).seen_by_asker_at is None


def _trainer(app, make_user, login, zone="north"):
    client = app.test_client()
    user_id = make_user(Role.TRAINER, full_name="ครูฝึก ทดสอบ")
    with app.app_context():
        get_session().add(SupportTeamMember(user_id=user_id, zone=zone))
        get_session().commit()
    login(client, user_id)
    return client


def test_a_trainer_makes_a_scrubbed_draft_faq_card_in_one_step(
    app, zone_volunteer, put_question, make_user, login
):
    asker = zone_volunteer("north", full_name="มานี ใจดี")
    question_id = put_question(
        asker,
        "north",
        number=4,
        text="มานี ถามว่าบ้านเลขที่ 12/3 มีคนไปทำงานกรุงเทพ โทร 081-234-5678 นับไหม",
        status="answered",
        answer="ไม่นับครับ คุณมานี ถ้าไปเกิน 6 เดือน เลขบัตร 1234567890123",
        answered_at=utcnow(),
    )
    trainer = _trainer(app, make_user, login)
    response = trainer.post(f"/support/team/{question_id}/card")
    assert response.status_code == 302
    with app.app_context():
        session = get_session()
        question = session.get(SupportQuestion, question_id)
        card = session.get(FaqCard, question.faq_card_id)
        assert response.headers["Location"].endswith(f"/studio/faq/{card.id}")
        assert card.published is False
        assert session.get(Indicator, card.indicator_id).number == 4
        text = card.title_th + card.body
        for personal in ("มานี", "12/3", "081-234-5678", "1234567890123"):
            assert personal not in text
        assert "ทำงานกรุงเทพ" in card.title_th and "ถ้าไปเกิน 6 เดือน" in card.body
    again = trainer.post(f"/support/team/{question_id}/card", follow_redirects=True)
    assert thai(app, "This question is an FAQ card already.") in again.get_data(as_text=True)
    with app.app_context():
        assert len(get_session().scalars(select(FaqCard).where(FaqCard.id == card.id)).all()) == 1
    page = trainer.get("/support/team/").get_data(as_text=True)
    assert thai(app, "Questions per indicator") in page


def test_officers_cannot_make_cards_and_open_questions_cannot_become_one(
    app, zone_volunteer, put_question, make_user, login
):
    open_id = put_question(zone_volunteer("north"), "north")
    officer = app.test_client()
    login(officer, make_user(Role.OFFICER, area_code="5505"))
    assert officer.post(f"/support/team/{open_id}/card").status_code == 403
    trainer = _trainer(app, make_user, login)
    assert trainer.post(f"/support/team/{open_id}/card").status_code == 409
