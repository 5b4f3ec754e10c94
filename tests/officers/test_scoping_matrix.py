"""The scoping matrix, from the app's own URL map: every officer URL (lists, exports, charts,
certificates, invitations, tokens, admin pages) refuses volunteers, trainers and visitors, and
an officer of one district who replays another district's URLs (ids in the path, area codes in
the query) sees nothing of that district."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import func, select

from app import create_app
from app.areas.models import Village
from app.auth.models import Role, User
from app.db import get_session
from app.readiness.models import Readiness

from ..doors import door_rules
from .conftest import MUEANG, MUEANG_SUB, PUA


def officer_rules(app: Flask) -> list[tuple[str, str, tuple[str, ...]]]:
    """(endpoint, method, path arguments) of every route behind the officer and admin doors."""
    return door_rules(app, "officer") + door_rules(app, "admin")


RULES = officer_rules(create_app({"TESTING": True, "SECRET_KEY": "x"}))


@pytest.fixture
def world(app, plan, make_volunteer, make_user, train, village_codes):
    """Two districts, each with a ready volunteer (and a confirmed one in Mueang), and a
    token of the Mueang officer: the ids a Pua officer will try to replay."""
    mueang_village = village_codes[MUEANG_SUB][0]
    pua_sub = next(code for code in village_codes if code.startswith(PUA))
    pua_village = village_codes[pua_sub][0]
    mueang = make_volunteer(mueang_village, "มานี เมืองน่าน")
    pua = make_volunteer(pua_village, "ปิติ ปัว")
    train(mueang)
    train(pua)
    with app.app_context():
        session = get_session()
        phone = session.get(User, mueang).phone
        village = session.scalar(select(Village).where(Village.code == mueang_village))
        village.invite_code = "MUEANG23"
        # A buddy pair in Mueang (its learner is new, its mentor the ready volunteer).
        from app.mentoring.models import BuddyPair

        learner = make_volunteer(mueang_village, "มานะ เรียนใหม่")
        pair = BuddyPair(learner_id=learner, mentor_id=mueang, village_id=village.id)
        session.add(pair)
        # A LINE group of Mueang's for reminders.
        from app.outreach.models import LineGroup

        group = LineGroup(
            area_code=MUEANG, group_id="C" + "0" * 32, name="อสม. เมืองน่าน", created_by_id=mueang
        )
        session.add(group)
        session.commit()
        pair_id = pair.id
        group_pk = group.id
    return {
        "pair_id": pair_id,
        "group_pk": group_pk,
        "mueang_volunteer": mueang,
        "mueang_phone": phone,
        "mueang_village": mueang_village,
        "pua_village": pua_village,
        "pua_volunteer": pua,
    }


def fill(args: tuple[str, ...], world: dict, token_id: int, plan_id: int) -> dict:
    """Mueang's ids for every path argument an officer route takes."""
    values = {}
    for name in args:
        if name == "user_id":
            values[name] = world["mueang_volunteer"]
        elif name in ("village_code", "code"):
            values[name] = world["mueang_village"]
        elif name == "level":
            values[name] = "village"
        elif name == "fmt":
            values[name] = "csv"
        elif name == "token_id":
            values[name] = token_id
        elif name == "plan_id":
            values[name] = plan_id
        elif name == "pair_id":
            values[name] = world["pair_id"]
        elif name == "group_pk":
            values[name] = world["group_pk"]
        elif name == "kind":
            values[name] = "png"
        elif name == "number":
            values[name] = 1
        else:  # a new route: teach this test its ids so it cannot slip through unchecked
            raise AssertionError(f"no Mueang value for path argument {name!r}")
    return values


def test_the_matrix_has_routes_to_check():
    endpoints = {endpoint for endpoint, _, _ in RULES}
    assert {
        "officer.home.index",
        "officer.lists.readiness_list",
        "officer.coverage.coverage",
    } <= endpoints


@pytest.mark.parametrize(("endpoint", "method", "args"), RULES)
@pytest.mark.parametrize("role", [Role.VOLUNTEER, Role.TRAINER])
def test_other_roles_are_refused(app, world, make_user, login, role, endpoint, method, args):
    client = app.test_client()
    login(client, make_user(role))
    with app.test_request_context():
        url = app.url_for(endpoint, **fill(args, world, 1, 1))
    response = client.open(url, method=method, data={})
    assert response.status_code == 403, f"{method} {url} answered {response.status_code}"


@pytest.mark.parametrize(("endpoint", "method", "args"), RULES)
def test_visitors_are_sent_to_log_in(app, world, endpoint, method, args):
    with app.test_request_context():
        url = app.url_for(endpoint, **fill(args, world, 1, 1))
    response = app.test_client().open(url, method=method, data={})
    assert response.status_code in (302, 401), f"{method} {url} answered {response.status_code}"
    if response.status_code == 302:
        assert "/login" in response.headers["Location"]


def _mueang_token(app, officer_client) -> int:
    mueang_officer = officer_client(MUEANG)
    mueang_officer.post("/officer/api-tokens", data={"name": "mueang"})
    from app.api.models import ApiToken

    with app.app_context():
        token = get_session().scalar(select(ApiToken).order_by(ApiToken.id.desc()))
        assert token is not None, "the Mueang officer could not create a token"
        return token.id


def _state(app) -> tuple:
    """Everything a replayed POST could change."""
    from app.api.models import ApiToken
    from app.mentoring.models import BuddyPair, MentorVisit
    from app.outreach.models import LineGroup, LineMessage

    with app.app_context():
        session = get_session()
        return (
            sorted(session.execute(select(Readiness.user_id, Readiness.confirmed_at)).all()),
            sorted(session.execute(select(Village.code, Village.invite_code)).all()),
            sorted(session.execute(select(ApiToken.id, ApiToken.revoked_at)).all()),
            sorted(session.execute(select(User.id, User.area_code, User.active)).all()),
            sorted(session.execute(select(BuddyPair.learner_id, BuddyPair.mentor_id)).all()),
            session.scalar(select(func.count(MentorVisit.id))),
            sorted(session.execute(select(LineGroup.id, LineGroup.removed_at)).all()),
            session.scalar(select(func.count(LineMessage.id))),
        )


@pytest.mark.parametrize(("endpoint", "method", "args"), RULES)
def test_replaying_another_districts_urls_shows_nothing_of_it(
    app, world, plan, officer_client, endpoint, method, args
):
    token_id = _mueang_token(app, officer_client)
    pua_officer = officer_client(PUA)
    with app.test_request_context():
        # Mueang's ids in the path; where a route takes none, Mueang as the area filter.
        url = app.url_for(endpoint, **fill(args, world, token_id, plan))
        with_filter = app.url_for(endpoint, **fill(args, world, token_id, plan), district=MUEANG)
    before = _state(app)
    for target in {url, with_filter}:
        response = pua_officer.open(target, method=method, data={"district": MUEANG})
        body = response.get_data()
        if response.status_code == 200:
            # Only a page that names no one of Mueang may answer 200 (the start page, a form,
            # a list filtered to the officer's own area).
            assert "มานี เมืองน่าน".encode() not in body, f"{method} {target} leaked a name"
            assert world["mueang_phone"].encode() not in body, f"{method} {target} leaked a phone"
            assert world["mueang_village"].encode() not in body, (
                f"{method} {target} showed a Mueang village"
            )
        else:
            assert response.status_code in (302, 400, 403, 404), (
                f"{method} {target} answered {response.status_code}"
            )
    if (
        endpoint != "officer.api_tokens.create_token"
    ):  # creating one's own token is the one allowed change
        assert _state(app) == before, f"{method} {url} changed something outside the area"
