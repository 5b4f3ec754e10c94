"""Every officer page of the volunteers feature, from the app's URL map: volunteers and
trainers get 403, officers without an area get 403, anonymous visitors are sent to log in."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import func, select

from app import create_app
from app.auth.models import Role, User
from app.db import get_session

from ..doors import door_rules


def officer_routes(app: Flask) -> list[tuple[str, str, str]]:
    """(endpoint, method, url) of every route of the volunteers feature behind the officer
    door."""
    routes = []
    with app.test_request_context():
        for endpoint, method, arguments in door_rules(app, "officer", module="app.volunteers."):
            routes.append(
                (endpoint, method, app.url_for(endpoint, **dict.fromkeys(arguments, "55010101")))
            )
    return routes


ROUTES = officer_routes(create_app({"TESTING": True, "SECRET_KEY": "x"}))


def test_the_officer_tools_are_all_checked():
    endpoints = {endpoint for endpoint, _, _ in ROUTES}
    assert {
        "officer.registration.register",
        "officer.registration.import_volunteers",
        "officer.registration.import_template",
        "officer.invitations.invitations",
        "officer.invitations.create_invitations",
        "officer.invitations.invitation_poster",
        "officer.invitations.rotate_invitation",
    } <= endpoints


def _users(app) -> int:
    with app.app_context():
        return get_session().scalar(select(func.count()).select_from(User))


@pytest.mark.parametrize(("endpoint", "method", "url"), ROUTES)
@pytest.mark.parametrize("role", [Role.VOLUNTEER, Role.TRAINER, Role.OFFICER])
def test_other_roles_and_officers_without_an_area_are_refused(
    app, client, areas, make_user, login, role, endpoint, method, url
):
    login(client, make_user(role))  # an officer made without area_code
    users = _users(app)
    response = client.open(url, method=method, data={"subdistrict": "550101"})
    assert response.status_code == 403, f"{method} {url} answered {response.status_code}"
    assert _users(app) == users


@pytest.mark.parametrize(("endpoint", "method", "url"), ROUTES)
def test_anonymous_visitors_are_sent_to_log_in(app, client, areas, endpoint, method, url):
    response = client.open(url, method=method, data={})
    assert response.status_code == 302, f"{method} {url} answered {response.status_code}"
    assert "/login" in response.headers["Location"]
