"""Deactivating an officer revokes their API tokens for good: reactivating the account lets
the officer log in again, but no token revoked by the deactivation works again."""

from __future__ import annotations

from alembic import command
from sqlalchemy import create_engine, text

from app.api.tokens import create_token
from app.auth.models import Role, User
from app.db import get_session, utcnow
from tests.conftest import MUEANG
from tests.test_migrations import _config

from . import test_officer_api as officer_api
from .test_officer_api import get, owner_of

# The officers' API fixtures, used here too.
plan = officer_api.plan
token = officer_api.token


def test_reactivating_an_officer_does_not_revive_their_api_tokens(
    app,
    client,
    officer_client,
    plan,
    token,
):
    raw = token(MUEANG)
    assert get(client, "/api/v1/readiness", raw).status_code == 200
    officer_id = owner_of(app, raw)
    admin = officer_client(None, role=Role.ADMIN)
    url = f"/officer/accounts/{officer_id}"

    admin.post(url, data={"action": "deactivate"})
    assert get(client, "/api/v1/readiness", raw).status_code == 401
    admin.post(url, data={"action": "reactivate"})

    response = get(client, "/api/v1/readiness", raw)
    assert response.status_code == 401
    assert response.get_json()["reason"] == "The token has been revoked."
    # The officer may make a new token, and it works.
    with app.app_context():
        session = get_session()
        _row, fresh = create_token(session, session.get(User, officer_id), "again", now=utcnow())
        session.commit()
    assert get(client, "/api/v1/readiness", fresh).status_code == 200


def test_reactivating_an_officer_who_was_active_changes_no_token(
    app,
    client,
    officer_client,
    plan,
    token,
):
    raw = token(MUEANG)
    admin = officer_client(None, role=Role.ADMIN)
    admin.post(f"/officer/accounts/{owner_of(app, raw)}", data={"action": "reactivate"})
    assert get(client, "/api/v1/readiness", raw).status_code == 200


def test_the_migration_revokes_tokens_of_accounts_deactivated_before_it(tmp_path):
    """Officers deactivated before this release held unrevoked tokens: the migration revokes
    them, so reactivating those officers revives nothing either."""
    engine = create_engine(f"sqlite:///{tmp_path / 'tokens.sqlite3'}")
    with engine.connect() as connection:
        config = _config(connection)
        command.upgrade(config, "5d2f8e1a7c44")
        user_insert = text(
            "INSERT INTO users (id, full_name, phone, password_hash, role, active, created_at)"
            " VALUES (:id, 'เจ้าหน้าที่', :phone, 'x', 'officer', :active, '2026-01-01')"
        )
        connection.execute(user_insert, {"id": 1, "phone": "0899000001", "active": False})
        connection.execute(user_insert, {"id": 2, "phone": "0899000002", "active": True})
        token_insert = text(
            "INSERT INTO api_tokens (user_id, name, prefix, token_hash, created_at)"
            " VALUES (:user, 't', 'bmn_x', :hash, '2026-01-01')"
        )
        connection.execute(token_insert, {"user": 1, "hash": "a" * 64})
        connection.execute(token_insert, {"user": 2, "hash": "b" * 64})
        connection.commit()
        command.upgrade(config, "9b4e2c7a1d58")
        connection.commit()
        revoked = dict(
            connection.execute(text("SELECT user_id, revoked_at IS NOT NULL FROM api_tokens")).all()
        )
    engine.dispose()
    assert revoked == {1: 1, 2: 0}
