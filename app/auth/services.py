"""Account services: creating users and checking passwords."""

from __future__ import annotations

import functools
import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from ..db import utcnow
from ..errors import DomainError
from .models import Role, User
from .signals import send_volunteers_changed


class PhoneTaken(DomainError):
    """The mobile number already has an account."""


def hash_password(password: str) -> str:
    """Hash with the configured method (scrypt; tests use a cheap one)."""
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def find_by_phone(session: Session, phone: str) -> User | None:
    """The user with this normalised mobile number, if any."""
    return session.scalar(select(User).where(User.phone == phone))


def create_user(
    session: Session,
    *,
    full_name: str,
    phone: str,
    password: str | None,
    role: Role = Role.VOLUNTEER,
    volunteer_type: str | None = None,
    village_id: int | None = None,
    area_code: str | None = None,
) -> User:
    """Add a user; raises PhoneTaken when the number is registered already, also when a
    concurrent request (a double-tapped signup) registered it a moment ago. Without a
    password (an officer registered the volunteer) nobody can log in until it is claimed."""
    if find_by_phone(session, phone) is not None:
        raise PhoneTaken("the mobile number has an account")  # never the number itself
    user = User(
        full_name=full_name.strip(),
        phone=phone,
        password_hash=hash_password(password) if password else "",
        role=role.value,
        volunteer_type=volunteer_type,
        village_id=village_id,
        area_code=area_code,
    )
    try:
        with session.begin_nested():  # the unique index decides between concurrent signups
            session.add(user)
    except IntegrityError:
        if find_by_phone(session, phone) is None:
            raise  # another unique value (the ID number's hash): the caller's to tell
        raise PhoneTaken("the mobile number has an account") from None
    if role is Role.VOLUNTEER:
        send_volunteers_changed(session, [village_id])
    return user


@functools.cache
def _dummy_hash(method: str) -> str:
    """A hash of nothing, checked when there is no account, so an unknown mobile number
    takes as long to refuse as a wrong password."""
    return generate_password_hash(secrets.token_hex(16), method=method)


def authenticate(session: Session, phone: str, password: str) -> User | None:
    """The active user with this phone and password, else None (in the same time whether
    or not the number has an account)."""
    user = find_by_phone(session, phone)
    usable = user is not None and user.active and bool(user.password_hash)
    stored = user.password_hash if usable and user else None
    if stored is None:
        check_password_hash(_dummy_hash(current_app.config["PASSWORD_HASH_METHOD"]), password)
        return None
    return user if check_password_hash(stored, password) else None


def spend_hash_time(password: str) -> None:
    """Hash a password for nothing: a refused signup takes as long as an accepted one."""
    hash_password(password)


# Activation codes: no 0/O, 1/I/L, so a code read off a slip is typed without mistakes.
ACTIVATION_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
ACTIVATION_LENGTH = 10


def normalise_activation(raw: str) -> str:
    """The code as generated: upper case, without the spaces and dashes people add."""
    return "".join(raw.split()).replace("-", "").upper()


def format_activation(code: str) -> str:
    """The code as printed: XXXXX-XXXXX."""
    return f"{code[:5]}-{code[5:]}"


def _activation_hash(secret: str, code: str) -> str:
    return hmac.new(secret.encode(), f"activation:{code}".encode(), hashlib.sha256).hexdigest()


def issue_activation(user: User, *, secret: str, days: int, now: datetime | None = None) -> str:
    """Give an unclaimed account a new one-time activation code (any older one stops
    working); returns the code, which is kept only as a keyed hash."""
    code = "".join(secrets.choice(ACTIVATION_ALPHABET) for _ in range(ACTIVATION_LENGTH))
    user.activation_hash = _activation_hash(secret, code)
    user.activation_expires_at = (now or utcnow()) + timedelta(days=days)
    return code


def activation_matches(
    user: User, raw_code: str, *, secret: str, now: datetime | None = None
) -> bool:
    """True when the code is the account's current, unexpired activation code."""
    code = normalise_activation(raw_code)
    expected = user.activation_hash or ""
    given = _activation_hash(secret, code)
    valid = hmac.compare_digest(expected, given) and bool(expected)
    expires = user.activation_expires_at
    return valid and expires is not None and expires > (now or utcnow())


def change_password(session: Session, user: User, current: str, new: str) -> bool:
    """Set a new password when `current` is the user's password (False otherwise). Every
    other session and remember-me cookie of the user ends; the caller logs this one in
    again and commits."""
    if not user.password_hash or not check_password_hash(user.password_hash, current):
        return False
    user.password_hash = hash_password(new)
    user.end_sessions()
    session.flush()
    return True
