"""API tokens: created for officers and admins, shown once, stored as a SHA-256 hash only.

A token acts with its owner's current role and area, so an owner who is deactivated or no
longer an officer (or an officer without an area) makes every token of theirs stop working.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..auth.models import User
from ..auth.signals import account_deactivated
from ..errors import DomainError
from .models import ApiToken

log = logging.getLogger(__name__)

TOKEN_PREFIX = "bmn_"
PREFIX_LENGTH = 12  # "bmn_" and 8 random characters: enough to recognise a token in the list
MAX_ACTIVE = 10  # active tokens per user
NAME_MAX = 80
TOUCH_EVERY = timedelta(minutes=1)  # last_used_at is written at most this often
_TOKEN_MAX = 200  # longer header values are not ours: refused without hashing


class TokenError(DomainError):
    """A token action the user may not take."""


class NotAllowed(TokenError):
    """Only officers with an area and admins may hold API tokens."""

    status_code = 403


class TooManyTokens(TokenError):
    """The user already holds the maximum number of active tokens."""


class NoSuchToken(TokenError):
    """No token of this user has this id (another user's token answers the same)."""

    status_code = 404


class InvalidToken(DomainError):
    """A bearer token is missing, unknown, revoked or its owner may no longer use it."""

    status_code = 401


def hash_token(raw: str) -> str:
    """The SHA-256 hex digest of a whole token, as stored."""
    return hashlib.sha256(raw.encode()).hexdigest()


def list_tokens(session: Session, user_id: int) -> list[ApiToken]:
    """The user's tokens, active ones first, newest first."""
    stmt = (
        select(ApiToken)
        .where(ApiToken.user_id == user_id)
        .order_by(ApiToken.revoked_at.is_not(None), ApiToken.created_at.desc(), ApiToken.id.desc())
    )
    return list(session.scalars(stmt))


def count_active(session: Session, user_id: int) -> int:
    """How many unrevoked tokens the user holds."""
    stmt = select(func.count(ApiToken.id)).where(
        ApiToken.user_id == user_id, ApiToken.revoked_at.is_(None)
    )
    return session.scalar(stmt) or 0


def create_token(session: Session, user: User, name: str, *, now: datetime) -> tuple[ApiToken, str]:
    """Make a token for the user; returns the row and the raw token (to show once, never keep).

    Raises NotAllowed for other roles and TooManyTokens past MAX_ACTIVE."""
    if not user.works_an_area:
        raise NotAllowed(user.role)
    if count_active(session, user.id) >= MAX_ACTIVE:
        raise TooManyTokens(MAX_ACTIVE)
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=user.id,
        name=name.strip()[:NAME_MAX],
        prefix=raw[:PREFIX_LENGTH],
        token_hash=hash_token(raw),
        created_at=now,
    )
    session.add(token)
    session.flush()
    log.info("api token %s created by user %s", token.id, user.id)
    return token, raw


def revoke_token(session: Session, *, user_id: int, token_id: int, now: datetime) -> ApiToken:
    """Revoke one of the user's tokens (again is harmless); NoSuchToken if it is not theirs."""
    token = session.get(ApiToken, token_id)
    if token is None or token.user_id != user_id:
        raise NoSuchToken(token_id)
    if token.revoked_at is None:
        token.revoked_at = now
        log.info("api token %s revoked by user %s", token.id, user_id)
    return token


def revoke_all(session: Session, user_id: int, *, now: datetime) -> int:
    """Revoke every active token of the user (at deactivation); returns how many."""
    tokens = session.scalars(
        select(ApiToken).where(ApiToken.user_id == user_id, ApiToken.revoked_at.is_(None))
    ).all()
    for token in tokens:
        token.revoked_at = now
    session.flush()
    if tokens:
        log.info("%d api tokens of user %s revoked at deactivation", len(tokens), user_id)
    return len(tokens)


@account_deactivated.connect
def _revoke_at_deactivation(session: Session, *, user_id: int, now: datetime) -> None:
    """A deactivated account's tokens are revoked, so a later reactivation revives none."""
    revoke_all(session, user_id, now=now)


def bearer_value(header: str | None) -> str | None:
    """The token in an `Authorization: Bearer <token>` header value, or None."""
    scheme, _, value = (header or "").strip().partition(" ")
    value = value.strip()
    if scheme.lower() != "bearer" or not value or len(value) > _TOKEN_MAX:
        return None
    return value


def authenticate_token(session: Session, raw: str | None, *, now: datetime) -> User:
    """The owner a valid token acts for; InvalidToken (with a reason) otherwise.

    Notes the use in last_used_at at most once a minute, so busy integrations do not write
    on every request (the caller commits)."""
    if not raw:
        raise InvalidToken("Send the token as: Authorization: Bearer <token>.")
    token = session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(raw)))
    if token is None:
        raise InvalidToken("The token is not valid.")
    if token.revoked_at is not None:
        raise InvalidToken("The token has been revoked.")
    owner = token.user
    if not owner.works_an_area:
        raise InvalidToken("The token's owner may no longer use the API.")
    if token.last_used_at is None or now - token.last_used_at >= TOUCH_EVERY:
        token.last_used_at = now
    return owner
