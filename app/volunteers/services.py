"""Registering a volunteer."""

from __future__ import annotations

from sqlalchemy.orm import Session

from ..areas.models import Village
from ..auth.models import Role, User
from ..auth.services import create_user
from ..errors import DomainError
from .types import VOLUNTEER_TYPES


class UnknownVillage(DomainError):
    """The chosen village does not exist."""


def register_volunteer(
    session: Session,
    *,
    full_name: str,
    phone: str,
    password: str,
    volunteer_type: str,
    village_id: int,
) -> User:
    """Create a volunteer account in a village (raises PhoneTaken, UnknownVillage)."""
    if volunteer_type not in VOLUNTEER_TYPES:
        raise DomainError(f"unknown volunteer type {volunteer_type!r}")
    if session.get(Village, village_id) is None:
        raise UnknownVillage(village_id)
    return create_user(
        session,
        full_name=full_name,
        phone=phone,
        password=password,
        role=Role.VOLUNTEER,
        volunteer_type=volunteer_type,
        village_id=village_id,
    )
