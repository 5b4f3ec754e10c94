"""Registering volunteers: open signup, signup through a village's invitation, an
officer's registration of one person, and claiming such an account with its one-time
activation code."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from ..areas.access import OutOfScope, Scope, code_range, get_village, volunteers_in_scope
from ..areas.models import Subdistrict, Village
from ..auth.models import Role, User
from ..auth.services import (
    PhoneTaken,
    activation_matches,
    create_user,
    find_by_phone,
    hash_password,
    issue_activation,
    spend_hash_time,
)
from ..errors import DomainError
from .idcard import clean_id, id_hash, mask_id
from .types import VOLUNTEER_TYPES


class UnknownVillage(DomainError):
    """The chosen village does not exist (or lies outside the officer's area)."""


class WrongActivation(DomainError):
    """No account waiting for a password has this mobile number and code (the same answer
    whether the number is unknown, has a password, or the code is wrong or expired)."""


class NationalIdTaken(DomainError):
    """Someone is registered with this ID card number already."""


def _check_type(volunteer_type: str) -> None:
    """Refuse a volunteer type that is not one of VOLUNTEER_TYPES."""
    if volunteer_type not in VOLUNTEER_TYPES:
        raise DomainError(f"unknown volunteer type {volunteer_type!r}")


def is_unclaimed(user: User) -> bool:
    """True for an active volunteer account an officer registered that nobody has claimed."""
    return (
        user.role == Role.VOLUNTEER.value
        and user.active
        and not user.password_hash
        and user.registered_by_id is not None
    )


def awaits_password(user: User) -> bool:
    """True for an active volunteer account without a password: registered by an officer and
    not claimed yet, or its password reset by an officer. Only the account's one-time code
    sets one (`claim_account`)."""
    return user.role == Role.VOLUNTEER.value and user.active and not user.password_hash


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
    _check_type(volunteer_type)
    if session.get(Village, village_id) is None:
        raise UnknownVillage(village_id)
    existing = find_by_phone(session, phone)
    if existing is not None:
        spend_hash_time(password)  # as long as creating the account would take
        raise PhoneTaken("the mobile number has an account")  # claimed or not: one answer
    return create_user(
        session,
        full_name=full_name,
        phone=phone,
        password=password,
        role=Role.VOLUNTEER,
        volunteer_type=volunteer_type,
        village_id=village_id,
    )


def claim_account(
    session: Session, *, phone: str, activation_code: str, password: str, secret: str
) -> User:
    """Set the password of an account waiting for one (registered by an officer, or its
    password reset by an officer) with its one-time code (then cleared). Raises
    WrongActivation, in the same time, for any other case."""
    user = find_by_phone(session, phone)
    if (
        user is None
        or not awaits_password(user)
        or not activation_matches(user, activation_code, secret=secret)
    ):
        spend_hash_time(password)
        raise WrongActivation("no unclaimed account with this code")
    user.password_hash = hash_password(password)
    user.activation_hash = None
    user.activation_expires_at = None
    user.end_sessions()  # a session opened before the claim ends
    session.flush()
    return user


def join_village(
    session: Session,
    *,
    village: Village,
    full_name: str,
    phone: str,
    password: str,
    volunteer_type: str,
    activation_code: str = "",
    secret: str,
) -> User:
    """Sign up into the invitation's village; a mobile that has an account (an officer's
    registration included) is claimed only with its activation code. Raises PhoneTaken
    (no code given) or WrongActivation."""
    if activation_code.strip() and find_by_phone(session, phone) is not None:
        return claim_account(
            session, phone=phone, activation_code=activation_code, password=password,
            secret=secret,
        )  # fmt: skip
    return register_volunteer(
        session,
        full_name=full_name,
        phone=phone,
        password=password,
        volunteer_type=volunteer_type,
        village_id=village.id,
    )


def issue_activations(
    session: Session, users: list[User], *, secret: str, days: int
) -> list[tuple[User, str]]:
    """A new one-time activation code for each unclaimed account (older codes stop
    working); returns (user, code) pairs, the only time the codes exist in clear."""
    pairs = [(u, issue_activation(u, secret=secret, days=days)) for u in users if is_unclaimed(u)]
    session.flush()
    return pairs


def unclaimed_by_phones(session: Session, scope: Scope, phones: list[str]) -> list[User]:
    """The unclaimed accounts in scope with these mobile numbers, in the given order."""
    stmt = volunteers_in_scope(select(User).where(User.phone.in_(phones)), scope)
    found = {u.phone: u for u in session.scalars(stmt)}
    return [found[p] for p in phones if p in found and is_unclaimed(found[p])]


def villages_in_scope(
    session: Session, scope: Scope, area: str = "", *, limit: int | None = None, offset: int = 0
) -> list[Village]:
    """The villages in the scope (and under `area`, a district or subdistrict code), by code,
    with their subdistrict and district loaded."""
    stmt = scope.villages(
        select(Village)
        .options(joinedload(Village.subdistrict).joinedload(Subdistrict.district))
        .order_by(Village.code)
    )
    if area:
        stmt = stmt.where(code_range(area))
    return list(session.scalars(stmt.limit(limit).offset(offset)))


def count_villages(session: Session, scope: Scope, area: str = "") -> tuple[int, int]:
    """How many villages are in the scope (under `area`), and how many have no invite code."""
    stmt = scope.villages(
        select(func.count(Village.id), func.count(Village.id).filter(Village.invite_code.is_(None)))
    )
    if area:
        stmt = stmt.where(code_range(area))
    total, without = session.execute(stmt).one()
    return total, without


def village_in_scope(session: Session, scope: Scope, village_id: int | None) -> Village:
    """The village if the scope allows it (`access.get_village`); UnknownVillage otherwise,
    for the registration form (no hint that it exists)."""
    try:
        return get_village(session, scope, village_id=village_id or None)
    except OutOfScope:
        raise UnknownVillage(village_id) from None


def register_by_officer(
    session: Session,
    *,
    scope: Scope,
    officer_id: int,
    secret: str,
    full_name: str,
    phone: str,
    volunteer_type: str,
    village_id: int,
    national_id: str | None = None,
) -> User:
    """An officer registers a volunteer without a password, in a village of their area.
    Raises UnknownVillage, BadNationalId, NationalIdTaken, PhoneTaken."""
    _check_type(volunteer_type)
    village = village_in_scope(session, scope, village_id)
    masked = hashed = None
    if national_id:
        digits = clean_id(national_id)
        masked, hashed = mask_id(digits), id_hash(secret, digits)
        if session.scalar(select(User.id).where(User.national_id_hash == hashed)) is not None:
            raise NationalIdTaken("registered already")
    user = create_user(
        session,
        full_name=full_name,
        phone=phone,
        password=None,
        role=Role.VOLUNTEER,
        volunteer_type=volunteer_type,
        village_id=village.id,
    )
    user.national_id_masked, user.national_id_hash = masked, hashed
    user.registered_by_id = officer_id
    session.flush()
    return user
