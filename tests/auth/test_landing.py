"""Where each role lands after logging in."""

from __future__ import annotations

import pytest

from app.auth.models import Role, User
from app.db import get_session

from ..conftest import MUEANG, PASSWORD


def _log_in(app, client, user_id, **extra):
    with app.app_context():
        phone = get_session().get(User, user_id).phone
    return client.post("/login", data={"phone": phone, "password": PASSWORD, **extra})


@pytest.mark.parametrize(
    ("role", "area", "target"),
    [
        (Role.OFFICER, MUEANG, "/officer/dashboard"),
        (Role.ADMIN, None, "/officer/dashboard"),
        (Role.VOLUNTEER, None, "/"),
    ],
)
def test_each_role_lands_on_its_own_start_page(app, client, areas, make_user, role, area, target):
    response = _log_in(app, client, make_user(role, area_code=area))
    assert response.status_code == 302
    assert response.headers["Location"] == target


def test_officer_without_an_area_lands_on_home(app, client, areas, make_user):
    response = _log_in(app, client, make_user(Role.OFFICER, area_code=None))
    assert response.headers["Location"] == "/"


def test_an_explicit_local_next_still_wins_for_officers(app, client, areas, make_user):
    user_id = make_user(Role.OFFICER, area_code=MUEANG)
    response = _log_in(app, client, user_id, next="/officer/volunteers")
    assert response.headers["Location"] == "/officer/volunteers"


def test_a_foreign_next_falls_back_to_the_dashboard(app, client, areas, make_user):
    user_id = make_user(Role.OFFICER, area_code=MUEANG)
    response = _log_in(app, client, user_id, next="https://evil.example/")
    assert response.headers["Location"] == "/officer/dashboard"


def test_visiting_login_when_logged_in_goes_to_the_dashboard(app, client, areas, make_user):
    _log_in(app, client, make_user(Role.OFFICER, area_code=MUEANG))
    assert client.get("/login").headers["Location"] == "/officer/dashboard"
