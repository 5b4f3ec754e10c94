"""Officer accounts, kept by admins: who they are, which area they see, whether they may
log in."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..areas.models import District, Province, Subdistrict
from ..areas.services import area_label
from ..auth.models import Role, User
from ..auth.services import create_user, hash_password
from ..auth.signals import send_account_deactivated
from ..db import utcnow
from ..errors import DomainError

log = logging.getLogger(__name__)

# An officer's scope level, by the length of its area code.
LEVELS = {"province": 2, "district": 4, "subdistrict": 6}


class UnknownArea(DomainError):
    """The area code names no province, district or subdistrict."""


@dataclass(frozen=True)
class OfficerRow:
    """An officer in the admins' list."""

    user: User
    area_label: str


@dataclass(frozen=True)
class AreaOptions:
    """What an admin can pick as an officer's area."""

    provinces: list[Province]
    districts: list[District]
    subdistricts: dict[str, list[Subdistrict]]  # by district code


def area_options(session: Session) -> AreaOptions:
    """Every province, district and subdistrict, in code order (three queries)."""
    subdistricts: dict[str, list[Subdistrict]] = {}
    for sub in session.scalars(select(Subdistrict).order_by(Subdistrict.code)):
        subdistricts.setdefault(sub.district_code, []).append(sub)
    return AreaOptions(
        provinces=list(session.scalars(select(Province).order_by(Province.code))),
        districts=list(session.scalars(select(District).order_by(District.code))),
        subdistricts=subdistricts,
    )


def area_exists(session: Session, code: str) -> bool:
    """True when the code is a known province (2 digits), district (4) or subdistrict (6)."""
    model = {2: Province, 4: District, 6: Subdistrict}.get(len(code or ""))
    return model is not None and code.isdigit() and session.get(model, code) is not None


def _checked_area(session: Session, code: str) -> str:
    """The code, if it names an area an officer can be given."""
    if not area_exists(session, code):
        raise UnknownArea(code)
    return code


def list_officers(session: Session) -> list[OfficerRow]:
    """Every officer account with the Thai name of its area, active ones first."""
    stmt = (
        select(User)
        .where(User.role == Role.OFFICER.value)
        .order_by(User.active.desc(), User.full_name, User.id)
    )
    users = list(session.scalars(stmt))
    labels = {code: area_label(session, code) for code in {u.area_code for u in users}}
    return [OfficerRow(u, labels[u.area_code]) for u in users]


def get_officer(session: Session, user_id: int) -> User | None:
    """The officer account with this id (None for any other role)."""
    user = session.get(User, user_id)
    return user if user is not None and user.role == Role.OFFICER.value else None


def create_officer(
    session: Session, *, full_name: str, phone: str, password: str, area_code: str
) -> User:
    """Add an officer for an area; raises UnknownArea, or PhoneTaken for a known mobile."""
    code = _checked_area(session, area_code)
    user = create_user(
        session,
        full_name=full_name,
        phone=phone,
        password=password,
        role=Role.OFFICER,
        area_code=code,
    )
    log.info("officer account %s created for area %s", user.id, code)
    return user


def set_area(session: Session, officer: User, area_code: str) -> None:
    """Give the officer another area; their lists follow at their next page."""
    officer.area_code = _checked_area(session, area_code)
    session.flush()
    log.info("officer account %s moved to area %s", officer.id, officer.area_code)


def set_active(session: Session, officer: User, active: bool) -> None:
    """Let the officer log in again, or stop them (their open sessions end too, and their API
    tokens are revoked for good: reactivating brings none back)."""
    was_active = officer.active
    officer.active = active
    if not active:
        officer.end_sessions()
    session.flush()
    if was_active and not active:
        send_account_deactivated(session, officer.id, now=utcnow())
    log.info("officer account %s %s", officer.id, "reactivated" if active else "deactivated")


def reset_password(session: Session, officer: User, password: str) -> None:
    """Give the officer a new password (tell them in person)."""
    officer.password_hash = hash_password(password)
    officer.end_sessions()  # a session opened with the old password ends
    session.flush()
    log.info("officer account %s: password reset", officer.id)
