"""Officers help the volunteers of their area: correct their details, deactivate or
reactivate their account, and reset a forgotten password with a one-time code. Each action
is audited in the same transaction (`auth.audit.record`); the caller commits."""

from __future__ import annotations

from sqlalchemy.orm import Session

from ..areas.access import Scope
from ..auth.audit import record
from ..auth.models import User
from ..auth.services import PhoneTaken, find_by_phone, issue_activation
from ..auth.signals import send_volunteers_changed
from ..errors import DomainError
from .services import _check_type, village_in_scope

# The fields an officer may correct, in the order the audit lists them.
EDITABLE = ("full_name", "phone", "village_id", "volunteer_type")


class AccountInactive(DomainError):
    """The account is deactivated: reactivate it before resetting its password."""


def edit_volunteer(
    session: Session,
    user: User,
    *,
    scope: Scope,
    actor_id: int,
    full_name: str,
    phone: str,
    village_id: int | None,
    volunteer_type: str,
) -> list[str]:
    """Correct a volunteer's details (in a village of the scope) and return the names of the
    fields that changed. A new mobile number ends every session of the volunteer (it is their
    login). Raises PhoneTaken, UnknownVillage; nothing changes then."""
    _check_type(volunteer_type)
    village = village_in_scope(session, scope, village_id)
    full_name = full_name.strip()
    if phone != user.phone and find_by_phone(session, phone) is not None:
        # Mobile numbers are logins: unique nationwide, whoever's area the holder is in.
        raise PhoneTaken("the mobile number has an account")  # never the number itself
    wanted = {
        "full_name": full_name,
        "phone": phone,
        "village_id": village.id,
        "volunteer_type": volunteer_type,
    }
    changed = [name for name in EDITABLE if getattr(user, name) != wanted[name]]
    if not changed:
        return []
    moved_from = user.village_id
    for name in changed:
        setattr(user, name, wanted[name])
    if "village_id" in changed:
        user.village = village
    if "phone" in changed:
        user.end_sessions()
    record(
        session,
        actor_id=actor_id,
        action="volunteer.edit",
        subjects=[user.id],
        area_code=scope.area_code,
        fields=changed,
    )
    session.flush()
    if "village_id" in changed:
        send_volunteers_changed(session, [moved_from, village.id])
    return changed


def set_volunteer_active(
    session: Session, user: User, *, scope: Scope, active: bool, actor_id: int
) -> bool:
    """Let the volunteer log in again, or stop them (every open session ends). Returns False
    when the account already was in that state (nothing recorded)."""
    if user.active == active:
        return False
    user.active = active
    if not active:
        user.end_sessions()
    record(
        session,
        actor_id=actor_id,
        action="volunteer.reactivate" if active else "volunteer.deactivate",
        subjects=[user.id],
        area_code=scope.area_code,
    )
    session.flush()
    return True


def reset_volunteer_password(
    session: Session, user: User, *, scope: Scope, actor_id: int, secret: str, days: int
) -> str:
    """Clear the volunteer's password (it stops working now, with every session) and give
    the account a one-time code to set a new one at /claim; returns the code, shown once.
    Raises AccountInactive for a deactivated account."""
    if not user.active:
        raise AccountInactive(user.id)
    user.password_hash = ""
    user.end_sessions()
    code = issue_activation(user, secret=secret, days=days)
    record(
        session,
        actor_id=actor_id,
        action="volunteer.password_reset",
        subjects=[user.id],
        area_code=scope.area_code,
    )
    session.flush()
    return code
