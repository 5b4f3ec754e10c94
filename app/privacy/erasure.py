"""Erasing a volunteer's personal data at their request (PDPA): the person is gone, their
quiz attempts stay (linked to the bare account id) so the statistics of the past hold."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..auth.audit import record
from ..auth.models import Role, User
from ..auth.signals import send_volunteers_changed
from ..errors import DomainError

ERASED_NAME = "ลบข้อมูลแล้ว #{id}"


class NotErasable(DomainError):
    """No such volunteer, or their data is erased already."""


def erased_phone(user_id: int) -> str:
    """The mobile column's placeholder: unique (it holds the id), 10 characters like the
    column, and never a phone number (it starts with "X"; logins compare digits only)."""
    return f"X{user_id:09d}"


def erase_volunteer(session: Session, user_id: int, *, actor_id: int, now: datetime) -> User:
    """Replace the volunteer's name, mobile and ID with placeholders, clear their activation
    code and password, deactivate the account and end its sessions, and audit it, in the
    caller's transaction (the view commits once: all of it or nothing)."""
    user = session.scalar(select(User).where(User.id == user_id).with_for_update(of=User))
    if user is None or user.role != Role.VOLUNTEER.value:
        raise NotErasable(user_id)
    if user.erased_at is not None:
        raise NotErasable(user_id)
    area_code = user.village.code if user.village else None
    user.full_name = ERASED_NAME.format(id=user.id)
    user.phone = erased_phone(user.id)
    user.national_id_masked = None
    user.national_id_hash = None
    user.activation_hash = None
    user.activation_expires_at = None
    user.password_hash = ""  # no password matches an empty hash: the login refuses it
    user.locale = None
    user.active = False
    user.end_sessions()
    user.erased_at = now
    record(
        session,
        actor_id=actor_id,
        action="volunteer.erase",
        subjects=[user.id],
        area_code=area_code,
    )
    session.flush()
    send_volunteers_changed(session, [user.village_id])  # no longer registered or ready
    return user


def erasable(session: Session, user_id: int) -> User:
    """The volunteer whose data may be erased (raises NotErasable otherwise)."""
    user = session.get(User, user_id)
    if user is None or user.role != Role.VOLUNTEER.value or user.erased_at is not None:
        raise NotErasable(user_id)
    return user
