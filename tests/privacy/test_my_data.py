"""ข้อมูลของฉัน: a volunteer reads and downloads everything kept about them, and nothing of
anyone else; the download is audited."""

from __future__ import annotations

import json

from sqlalchemy import select

from app.auth.audit import record
from app.auth.models import PersonalDataEvent, PersonalDataSubject, Role
from app.db import get_session

from ..conftest import thai
from .conftest import MUEANG, user_row


def _two_volunteers(make_user, village_of):
    me = make_user(full_name="สมหญิง ใจดี", village_code=village_of)
    other = make_user(full_name="สมชาย คนอื่น", village_code=village_of)
    return me, other


def test_the_page_shows_my_account_attempts_and_nothing_of_others(
    app, client, make_user, login, village_of, add_attempt
):
    me, other = _two_volunteers(make_user, village_of)
    add_attempt(me, 1, score=85)
    add_attempt(other, 2, score=40, passed=False)
    login(client, me)
    response = client.get("/account/data")
    assert response.status_code == 200
    assert "no-store" in response.headers["Cache-Control"]
    page = response.get_data(as_text=True)
    mine, theirs = user_row(app, me), user_row(app, other)
    assert thai(app, "My data") in page
    assert mine.full_name in page and mine.phone in page
    assert "85%" in page
    assert theirs.full_name not in page and theirs.phone not in page
    assert "40%" not in page


def test_the_json_file_holds_my_data_only(app, client, make_user, login, village_of, add_attempt):
    me, other = _two_volunteers(make_user, village_of)
    add_attempt(me, 1, score=85)
    add_attempt(other, 2, score=40, passed=False)
    login(client, me)
    response = client.get("/account/data.json")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert "no-store" in response.headers["Cache-Control"]
    data = json.loads(response.get_data(as_text=True))
    mine, theirs = user_row(app, me), user_row(app, other)
    assert data["account"]["id"] == me
    assert data["account"]["full_name"] == mine.full_name
    assert data["account"]["mobile"] == mine.phone
    assert data["account"]["village_code"] == village_of
    assert [(a["indicator_number"], a["score"], a["passed"]) for a in data["attempts"]] == [
        (1, 85, True)
    ]
    body = response.get_data(as_text=True)
    assert theirs.full_name not in body and theirs.phone not in body


def test_the_download_is_audited_with_me_as_subject(app, client, make_user, login, village_of):
    me = make_user(village_code=village_of)
    login(client, me)
    client.get("/account/data.json")
    with app.app_context():
        session = get_session()
        events = session.execute(
            select(PersonalDataEvent.actor_id, PersonalDataSubject.user_id)
            .join(PersonalDataSubject)
            .where(PersonalDataEvent.action == "self.download")
        ).all()
    assert events == [(me, me)]


def test_who_saw_my_data_is_listed_with_their_role(app, client, make_user, login, village_of):
    me = make_user(village_code=village_of)
    officer = make_user(Role.OFFICER, full_name="เจ้าหน้าที่ ผู้ดู", area_code=MUEANG)
    other = make_user(village_code=village_of)
    with app.app_context():
        session = get_session()
        record(session, actor_id=officer, action="volunteer.view", subjects=[me])
        record(session, actor_id=officer, action="volunteer.edit", subjects=[other])
        session.commit()
    login(client, me)
    page = client.get("/account/data").get_data(as_text=True)
    assert "เจ้าหน้าที่ ผู้ดู" in page
    assert thai(app, "Opened the volunteer's page") in page
    assert thai(app, "Officer") in page
    assert thai(app, "Changed the volunteer's details") not in page  # someone else's event
    data = client.get("/account/data.json").get_json()
    assert {e["action"] for e in data["events"]} == {"volunteer.view", "self.download"}


def test_there_is_no_way_to_ask_for_someone_elses_data(app, client, make_user, login, village_of):
    me, other = _two_volunteers(make_user, village_of)
    login(client, me)
    data = client.get(f"/account/data.json?user_id={other}&id={other}").get_json()
    assert data["account"]["id"] == me
    assert client.get(f"/account/data/{other}").status_code == 404
    assert client.get(f"/account/data.json/{other}").status_code == 404


def test_logged_out_visitors_are_sent_to_log_in(client, areas):
    for url in ("/account/data", "/account/data.json"):
        response = client.get(url)
        assert response.status_code == 302
        assert "/login" in response.headers["Location"]


def test_the_home_page_links_to_my_data(client, make_user, login, village_of, content):
    login(client, make_user(village_code=village_of))
    assert "/account/data" in client.get("/").get_data(as_text=True)
