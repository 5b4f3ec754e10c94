"""The URL map's doors: every endpoint sits behind exactly one area, and each area's guard
holds for every rule behind it (found from the URL map, not from a list)."""

from __future__ import annotations

import pytest
from flask import Flask
from werkzeug.exceptions import NotFound
from werkzeug.routing import IntegerConverter

from app import create_app
from app.auth.models import Role
from app.urls import DOORS

from .doors import door_of, door_rules

APP = create_app({"TESTING": True, "SECRET_KEY": "x"})
PREFIXES = {door.name: door.url_prefix or "" for door in DOORS}


def _value(argument: str) -> str | int:
    """A value every converter of that argument accepts (codes are 8 digits)."""
    return "55010101" if argument.endswith("code") else 1


def urls(app: Flask, door: str, *, public: bool = False) -> list[tuple[str, str, str]]:
    """(endpoint, method, url) behind a door, with a plausible value for every argument."""
    with app.test_request_context():
        return [
            (endpoint, method, app.url_for(endpoint, **{a: _value(a) for a in arguments}))
            for endpoint, method, arguments in door_rules(app, door, public=public)
        ]


def test_every_endpoint_is_behind_exactly_one_door():
    for rule in APP.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        door = door_of(rule.endpoint)
        assert door is not None, f"{rule.rule} ({rule.endpoint}) is behind no door"
        inside = [
            name
            for name, prefix in PREFIXES.items()
            if prefix and rule.rule.startswith(prefix + "/")
        ]
        assert inside == ([door] if PREFIXES[door] else []), (
            f"{rule.rule} ({rule.endpoint}) lies under {inside}, registered behind {door!r}"
        )


def test_every_door_has_rules_behind_it():
    doors = {door_of(rule.endpoint) for rule in APP.url_map.iter_rules()}
    assert set(PREFIXES) <= doors


@pytest.mark.parametrize(("endpoint", "method", "url"), urls(APP, "site"))
def test_volunteer_pages_send_visitors_to_log_in(client, endpoint, method, url):
    response = client.open(url, method=method, data={})
    assert response.status_code == 302, f"{method} {url} ({endpoint})"
    assert "/login" in response.headers["Location"]


@pytest.mark.parametrize(("endpoint", "method", "url"), urls(APP, "admin"))
@pytest.mark.parametrize("role", [Role.VOLUNTEER, Role.TRAINER, Role.OFFICER])
def test_admin_pages_refuse_everyone_but_admins(
    client, areas, make_user, login, role, endpoint, method, url
):
    login(client, make_user(role, area_code="55" if role is Role.OFFICER else None))
    response = client.open(url, method=method, data={})
    assert response.status_code == 403, f"{method} {url} ({endpoint})"


@pytest.mark.parametrize(("endpoint", "method", "url"), urls(APP, "officer"))
@pytest.mark.parametrize("role", [Role.VOLUNTEER, Role.TRAINER])
def test_officer_pages_refuse_volunteers_and_trainers(
    client, areas, make_user, login, role, endpoint, method, url
):
    login(client, make_user(role))
    response = client.open(url, method=method, data={})
    assert response.status_code == 403, f"{method} {url} ({endpoint})"


@pytest.mark.parametrize(("endpoint", "method", "url"), urls(APP, "api"))
def test_api_answers_401_without_a_token(client, endpoint, method, url):
    response = client.open(url, method=method)
    assert response.status_code == 401, f"{method} {url} ({endpoint})"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_public_views_are_marked_not_listed():
    public = {endpoint for endpoint, _m, _a in door_rules(APP, "site", public=True)}
    assert {"site.auth.login", "site.readiness.home", "site.volunteers.join"} <= public
    assert "site.quizzes.take" not in public


def test_an_id_past_any_database_id_matches_no_rule():
    """Found by the fuzz test (issue 16): `<int:...>` took any length of digits, and a
    number past 64 bits was a 500 on SQLite. Every integer in the URL map is bounded."""
    adapter = APP.url_map.bind("bmn.test")
    ids = [
        (rule, argument)
        for rule in APP.url_map.iter_rules()
        for argument, converter in rule._converters.items()
        if isinstance(converter, IntegerConverter)
    ]
    assert len(ids) > 40
    for rule, argument in ids:
        assert rule._converters[argument].max is not None, rule.rule
        values = {a: (10**20 if a == argument else _value(a)) for a in rule.arguments}
        url = adapter.build(rule.endpoint, values)
        with pytest.raises(NotFound):
            adapter.match(url, method=sorted(rule.methods - {"OPTIONS"})[0])


def test_a_huge_id_is_a_404_page(client, areas, make_user, login):
    login(client, make_user(Role.ADMIN))
    assert client.get("/studio/faq/99999999999999999999").status_code == 404
    assert client.post("/admin/plans/99999999999999999999").status_code == 404
