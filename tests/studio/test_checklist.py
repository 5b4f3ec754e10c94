"""Trainers see which indicators need checking against the manual (now on the overview)."""

from __future__ import annotations

from sqlalchemy import select

from app.auth.models import Role
from app.content.models import Indicator
from app.db import get_session


def test_trainers_see_the_status_and_material_of_every_indicator(
    app, client, content, complete_numbers, make_user, login
):
    login(client, make_user(Role.TRAINER))
    client.post("/language", data={"lang": "en"})
    page = client.get("/studio/").get_data(as_text=True)
    assert "38 indicators still need their wording checked" in page
    assert page.count("Provisional wording") == 7
    with app.app_context():
        indicators = get_session().scalars(select(Indicator).where(Indicator.number > 0)).all()
        missing = sum(not i.has_lesson for i in indicators)
    assert page.count("lesson text missing") == missing


def test_the_old_checklist_address_leads_to_the_overview(client, areas, make_user, login):
    login(client, make_user(Role.TRAINER))
    response = client.get("/studio/indicators")
    assert response.status_code == 301 and response.headers["Location"].endswith("/studio/")


def test_volunteers_cannot_open_the_checklist(client, areas, make_user, login):
    login(client, make_user())
    assert client.get("/studio/indicators").status_code == 403
    assert client.get("/studio/").status_code == 403
