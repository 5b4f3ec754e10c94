"""The zone teams' queue: only their zone, oldest first, figures, answering, the admins' teams."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from app.auth.models import Role
from app.db import get_session
from app.support.models import SupportQuestion, SupportTeamMember
from app.support.services import queue_figures

from ..conftest import thai
from .conftest import ZONE_DISTRICT

NOW = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)


def _staff(app, make_user, login, role=Role.OFFICER, area_code=None, zones=()):
    client = app.test_client()
    user_id = make_user(role, full_name="เจ้าหน้าที่ ทดสอบ", area_code=area_code)
    with app.app_context():
        for zone in zones:
            get_session().add(SupportTeamMember(user_id=user_id, zone=zone))
        get_session().commit()
    login(client, user_id)
    client.user_id = user_id
    return client


def test_a_team_sees_only_its_zone(app, zone_volunteer, put_question, make_user, login):
    north = put_question(zone_volunteer("north"), "north", text="คำถามจากโซนเหนือ")
    central = put_question(zone_volunteer("central"), "central", text="คำถามจากโซนกลาง")
    officer = _staff(app, make_user, login, area_code=ZONE_DISTRICT["north"])
    page = officer.get("/support/team/").get_data(as_text=True)
    assert "คำถามจากโซนเหนือ" in page and "คำถามจากโซนกลาง" not in page
    assert officer.get(f"/support/team/{north}").status_code == 200
    assert officer.get(f"/support/team/{central}").status_code == 404
    response = officer.post(f"/support/team/{central}/answer", data={"answer": "ตอบข้ามโซน"})
    assert response.status_code == 404
    with app.app_context():
        assert get_session().get(SupportQuestion, central).status == "open"


def test_trainers_answer_only_the_zones_an_admin_added_them_to(
    app, zone_volunteer, put_question, make_user, login
):
    put_question(zone_volunteer("south"), "south", text="คำถามจากโซนใต้")
    trainer = _staff(app, make_user, login, role=Role.TRAINER)
    assert trainer.get("/support/team/").status_code == 403
    admin = _staff(app, make_user, login, role=Role.ADMIN)
    response = admin.post(
        "/admin/support/teams", data={"user_id": trainer.user_id, "zone": "south"}
    )
    assert response.status_code == 302
    assert "คำถามจากโซนใต้" in trainer.get("/support/team/").get_data(as_text=True)
    volunteer = app.test_client()
    login(volunteer, zone_volunteer("south", full_name="อาสา สอง"))
    assert volunteer.get("/support/team/").status_code == 403


def test_the_queue_lists_oldest_first_with_village_and_progress(
    app, zone_volunteer, put_question, make_user, login
):
    asker = zone_volunteer("north")
    put_question(asker, "north", text="คำถามที่สอง", created_at=NOW - timedelta(hours=1))
    put_question(asker, "north", text="คำถามแรกสุด", created_at=NOW - timedelta(hours=9))
    officer = _staff(app, make_user, login, area_code="55")
    page = officer.get("/support/team/").get_data(as_text=True)
    assert page.index("คำถามแรกสุด") < page.index("คำถามที่สอง")
    with app.app_context():
        from app.auth.models import User

        village = get_session().get(User, asker).village
        assert village.label_th in page
    assert thai(app, "Overdue") in page


def test_figures_count_waiting_overdue_and_the_median_of_the_last_7_days(
    app, zone_volunteer, put_question
):
    asker = zone_volunteer("north")
    for hours in (1, 5, 30):  # waiting; 5 and 30 hours are past the 4-hour target
        put_question(asker, "north", created_at=NOW - timedelta(hours=hours))
    for took in (2, 3, 10):  # answered within the last week
        put_question(
            asker,
            "north",
            status="answered",
            answer="ตอบ",
            created_at=NOW - timedelta(days=1, hours=took),
            answered_at=NOW - timedelta(days=1),
        )
    put_question(  # answered 8 days ago: not in the median
        asker,
        "north",
        status="answered",
        answer="ตอบ",
        created_at=NOW - timedelta(days=9),
        answered_at=NOW - timedelta(days=8),
    )
    put_question(asker, "central", created_at=NOW - timedelta(hours=30))  # another zone
    with app.app_context():
        figures = queue_figures(get_session(), frozenset({"north"}), now=NOW, overdue_hours=4)
    assert (figures.waiting, figures.overdue, figures.median_hours) == (3, 2, 3.0)


def test_an_answer_is_sent_once(app, zone_volunteer, put_question, make_user, login):
    question_id = put_question(zone_volunteer("north"), "north")
    first = _staff(app, make_user, login, area_code="5505")
    second = _staff(app, make_user, login, area_code="55")
    assert (
        first.post(f"/support/team/{question_id}/answer", data={"answer": "นับครับ"}).status_code
        == 302
    )
    response = second.post(
        f"/support/team/{question_id}/answer", data={"answer": "ไม่นับ"}, follow_redirects=True
    )
    page = response.get_data(as_text=True)
    assert (
        thai(app, "Another team member answered this question first; their answer is below.")
        in page
    )
    assert "นับครับ" in page
    with app.app_context():
        question = get_session().get(SupportQuestion, question_id)
        assert (question.status, question.answer, question.answered_by_id) == (
            "answered",
            "นับครับ",
            first.user_id,
        )


def test_an_empty_answer_is_refused_in_thai(app, zone_volunteer, put_question, make_user, login):
    question_id = put_question(zone_volunteer("north"), "north")
    officer = _staff(app, make_user, login, area_code="5505")
    response = officer.post(f"/support/team/{question_id}/answer", data={"answer": ""})
    assert response.status_code == 400
    assert thai(app, "Write the answer.") in response.get_data(as_text=True)
    with app.app_context():
        assert get_session().scalar(select(SupportQuestion.status)) == "open"
