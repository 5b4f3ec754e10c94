"""Every trainer URL, found from the app's own URL map: volunteers and officers get 403,
anonymous visitors are sent to log in, and nothing changes for either."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import func, select

from app import create_app
from app.auth.models import Role
from app.content.models import AuditEntry
from app.db import get_session

from ..doors import door_rules


def trainer_routes(app: Flask) -> list[tuple[str, str, str]]:
    """(endpoint, method, url) for every route behind the studio door, with ids filled in."""
    routes = []
    with app.test_request_context():
        for endpoint, method, arguments in door_rules(app, "studio"):
            url = app.url_for(endpoint, **dict.fromkeys(arguments, 1), _external=False)
            routes.append((endpoint, method, url))
    return routes


ROUTES = trainer_routes(create_app({"TESTING": True, "SECRET_KEY": "x"}))


def test_the_studio_has_routes_to_check():
    endpoints = {endpoint for endpoint, _, _ in ROUTES}
    assert "studio.workspace.indicators" in endpoints
    assert len(endpoints) >= 1


def _audit_count(app: Flask) -> int:
    with app.app_context():
        return get_session().scalar(select(func.count()).select_from(AuditEntry))


@pytest.mark.parametrize(("endpoint", "method", "url"), ROUTES)
@pytest.mark.parametrize("role", [Role.VOLUNTEER, Role.OFFICER])
def test_other_roles_are_refused(app, client, areas, make_user, login, role, endpoint, method, url):
    login(client, make_user(role))
    response = client.open(url, method=method, data={})
    assert response.status_code == 403, (
        f"{method} {url} ({endpoint}) answered {response.status_code}"
    )
    assert _audit_count(app) == 0


@pytest.mark.parametrize(("endpoint", "method", "url"), ROUTES)
def test_anonymous_visitors_are_sent_to_log_in(app, client, areas, endpoint, method, url):
    response = client.open(url, method=method, data={})
    assert response.status_code == 302, (
        f"{method} {url} ({endpoint}) answered {response.status_code}"
    )
    assert "/login" in response.headers["Location"]
    assert _audit_count(app) == 0
