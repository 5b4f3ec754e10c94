"""Trainers see which indicators need checking against the manual and what is missing."""

from __future__ import annotations

from app.auth.models import Role


def test_trainers_see_the_status_and_material_of_every_indicator(
    app, client, content, complete_numbers, make_user, login
):
    login(client, make_user(Role.TRAINER))
    client.post("/language", data={"lang": "en"})
    page = client.get("/studio/indicators").get_data(as_text=True)
    assert "38 indicators still need their wording checked" in page
    assert page.count("Provisional wording") == 7
    assert page.count("lesson text missing") == 38 - len(complete_numbers)


def test_volunteers_cannot_open_the_checklist(client, areas, make_user, login):
    login(client, make_user())
    assert client.get("/studio/indicators").status_code == 403
