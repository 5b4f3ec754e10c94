"""API tokens: shown once, stored as a hash, revocable, only for officers and admins."""

from __future__ import annotations

import hashlib
import logging
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.api.models import ApiToken
from app.api.tokens import (
    MAX_ACTIVE,
    InvalidToken,
    authenticate_token,
    bearer_value,
    create_token,
)
from app.auth.models import Role, User
from app.db import get_session, utcnow
from tests.conftest import MUEANG
from tests.officers import conftest as officers

# The officers' fixtures, used here too: an active plan and logged-in officers.
plan = officers.plan

TOKEN = re.compile(r"bmn_[A-Za-z0-9_-]{43}")


def create_via_page(client, name: str = "Provincial dashboard") -> str:
    """Create a token through the page and return the raw token it shows."""
    response = client.post("/officer/api-tokens", data={"name": name})
    assert response.status_code == 201, response.get_data(as_text=True)
    found = TOKEN.findall(response.get_data(as_text=True))
    assert found, "the new token is not on the page"
    return found[0]


def bearer(raw: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {raw}"}


def test_a_new_token_is_shown_once_and_only_its_hash_is_stored(app, officer_client, plan, caplog):
    client = officer_client(MUEANG)
    caplog.set_level(logging.DEBUG)
    raw = create_via_page(client)
    page = client.get("/officer/api-tokens")
    text = page.get_data(as_text=True)
    assert raw not in text and raw[:12] in text and "Provincial dashboard" in text
    assert page.headers["Cache-Control"] == "no-store"
    assert raw not in caplog.text
    with app.app_context():
        token = get_session().scalar(select(ApiToken))
        assert token.token_hash == hashlib.sha256(raw.encode()).hexdigest()
        assert token.prefix == raw[:12] and token.user_id == client.user_id
        row = get_session().execute(select(ApiToken.__table__)).one()
        assert all(raw not in str(value) for value in row)
    assert client.get("/api/v1/readiness", headers=bearer(raw)).status_code == 200


def test_a_revoked_token_gets_401(app, officer_client, plan):
    client = officer_client(MUEANG)
    raw = create_via_page(client)
    with app.app_context():
        token_id = get_session().scalar(select(ApiToken.id))
    response = client.post(f"/officer/api-tokens/{token_id}/revoke")
    assert response.status_code == 302
    assert "Revoked" in client.get("/officer/api-tokens").get_data(as_text=True)
    response = client.get("/api/v1/readiness", headers=bearer(raw))
    assert response.status_code == 401
    assert response.get_json()["reason"] == "The token has been revoked."
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_revoking_another_users_token_is_404_and_leaves_it_working(app, officer_client, plan):
    owner = officer_client(MUEANG)
    raw = create_via_page(owner)
    with app.app_context():
        token_id = get_session().scalar(select(ApiToken.id))
    other = officer_client(MUEANG)
    assert other.post(f"/officer/api-tokens/{token_id}/revoke").status_code == 404
    assert other.post("/officer/api-tokens/999999/revoke").status_code == 404
    assert owner.get("/api/v1/readiness", headers=bearer(raw)).status_code == 200
    assert raw[:12] not in other.get("/officer/api-tokens").get_data(as_text=True)


def test_revoking_needs_the_csrf_token(app, officer_client, plan):
    client = officer_client(MUEANG)
    raw = create_via_page(client)
    with app.app_context():
        token_id = get_session().scalar(select(ApiToken.id))
    app.config["WTF_CSRF_ENABLED"] = True
    # refused: back to the page with a message, the token untouched
    assert client.post(f"/officer/api-tokens/{token_id}/revoke").status_code == 302
    assert client.get("/api/v1/readiness", headers=bearer(raw)).status_code == 200


@pytest.mark.parametrize("role", [Role.VOLUNTEER, Role.TRAINER])
def test_volunteers_and_trainers_cannot_open_the_token_page(client, areas, make_user, login, role):
    login(client, make_user(role))
    assert client.get("/officer/api-tokens").status_code == 403
    assert client.post("/officer/api-tokens", data={"name": "x"}).status_code == 403


def test_an_officer_without_an_area_cannot_hold_tokens(client, areas, make_user, login):
    login(client, make_user(Role.OFFICER, area_code=None))
    assert client.get("/officer/api-tokens").status_code == 403


def test_the_token_page_asks_to_log_in(client):
    response = client.get("/officer/api-tokens")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_admins_hold_tokens_too(officer_client, plan):
    client = officer_client(None, role=Role.ADMIN)
    raw = create_via_page(client, "National warehouse")
    assert client.get("/api/v1/coverage", headers=bearer(raw)).status_code == 200


def test_a_token_needs_a_name(app, officer_client, areas):
    client = officer_client(MUEANG)
    response = client.post("/officer/api-tokens", data={"name": "   "})
    assert response.status_code == 400 and not TOKEN.search(response.get_data(as_text=True))
    with app.app_context():
        assert get_session().scalar(select(ApiToken)) is None


def test_at_most_ten_active_tokens_per_user(app, officer_client, areas):
    client = officer_client(MUEANG)
    with app.app_context():
        session = get_session()
        user = session.get(User, client.user_id)
        for number in range(MAX_ACTIVE):
            create_token(session, user, f"t{number}", now=utcnow())
        session.commit()
    response = client.post("/officer/api-tokens", data={"name": "one more"})
    assert response.status_code == 400
    assert "You already have 10 active tokens" in response.get_data(as_text=True)
    with app.app_context():
        first = get_session().scalar(select(ApiToken.id).order_by(ApiToken.id))
    client.post(f"/officer/api-tokens/{first}/revoke")
    create_via_page(client, "one more")


def test_last_used_is_written_at_most_once_a_minute(app, make_user, areas):
    with app.app_context():
        session = get_session()
        user = session.get(User, make_user(Role.OFFICER, area_code=MUEANG))
        token, raw = create_token(session, user, "t", now=utcnow())
        session.commit()
        start = utcnow()
        assert authenticate_token(session, raw, now=start).id == user.id
        assert token.last_used_at == start
        authenticate_token(session, raw, now=start + timedelta(seconds=59))
        assert token.last_used_at == start
        authenticate_token(session, raw, now=start + timedelta(seconds=61))
        assert token.last_used_at == start + timedelta(seconds=61)


def test_only_the_exact_token_authenticates(app, make_user, areas):
    with app.app_context():
        session = get_session()
        user = session.get(User, make_user(Role.ADMIN))
        _token, raw = create_token(session, user, "t", now=utcnow())
        for wrong in (raw[:-1], raw + "x", raw.upper(), "", None):
            with pytest.raises(InvalidToken):
                authenticate_token(session, wrong, now=utcnow())


@pytest.mark.parametrize(
    ("header", "value"),
    [
        ("Bearer bmn_abc", "bmn_abc"),
        ("bearer  bmn_abc ", "bmn_abc"),
        ("Basic dXNlcjpwYXNz", None),
        ("Bearer", None),
        ("", None),
        (None, None),
        ("Bearer " + "x" * 500, None),
    ],
)
def test_bearer_value_reads_only_bearer_headers(header, value):
    assert bearer_value(header) == value
