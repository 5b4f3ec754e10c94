"""Account services: creating users and checking passwords."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from ..errors import DomainError
from .models import Role, User


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
    """Add a user; raises PhoneTaken when the number is registered already. Without a
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
    session.add(user)
    session.flush()
    return user


def authenticate(session: Session, phone: str, password: str) -> User | None:
    """The active user with this phone and password, else None."""
    user = find_by_phone(session, phone)
    if user is None or not user.active or not user.password_hash:
        return None
    return user if check_password_hash(user.password_hash, password) else None
