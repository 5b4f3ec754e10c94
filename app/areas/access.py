"""Officers' access: the one place where a query or a lookup of volunteers or villages is
limited to the viewer's role and area.

DOPA codes nest (province 2 digits, district 4, subdistrict 6, village 8), so an officer's
scope is a code prefix: every village whose code starts with it is theirs. Lists, counts and
exports pass their select() through `volunteers_in_scope` or `villages_in_scope`; a page about
one volunteer or village gets it through `get_volunteer` or `get_village`, which raise
`OutOfScope` (answered 404, as if it did not exist) for anything outside.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_login import current_user
from sqlalchemy import ColumnElement, Select, and_, false, select, true
from sqlalchemy.orm import Session

from ..auth.models import Role, User
from ..errors import DomainError
from .models import Village


class OutOfScope(DomainError):
    """The volunteer or area is not in the officer's scope (views answer 404)."""


def code_range(prefix: str, column: Any = Village.code) -> ColumnElement[bool]:
    """Codes starting with a digit prefix, written as a range: a btree index serves a range
    under any collation, while LIKE 'prefix%' is indexable only under the C collation."""
    if not prefix:
        return true()
    if set(prefix) == {"9"}:
        return column >= prefix
    following = str(int(prefix) + 1).zfill(len(prefix))
    return and_(column >= prefix, column < following)


@dataclass(frozen=True)
class Scope:
    """What a viewer may see: everything (admin), an area prefix (officer) or nothing."""

    role: str
    area_code: str | None

    @classmethod
    def of(cls, user: User) -> Scope:
        """The scope of a logged-in user."""
        return cls(role=user.role, area_code=user.area_code)

    @property
    def everything(self) -> bool:
        return self.role == "admin"

    @property
    def prefix(self) -> str | None:
        """The code prefix every visible village starts with ("" for all, None for none)."""
        if self.everything:
            return ""
        if self.role == "officer" and self.area_code:
            return self.area_code
        return None

    def allows(self, code: str | None) -> bool:
        """True when an area code (province, district, subdistrict or village) lies inside."""
        prefix = self.prefix
        return prefix is not None and code is not None and code.startswith(prefix)

    def overlaps(self, code: str) -> bool:
        """True when an area lies inside the scope or contains it (shown in pickers)."""
        prefix = self.prefix
        return prefix is not None and (code.startswith(prefix) or prefix.startswith(code))

    def villages(self, stmt: Select[Any]) -> Select[Any]:
        """Limit a select() that involves Village to the villages in scope."""
        prefix = self.prefix
        if prefix is None:
            return stmt.where(false())
        if not prefix:
            return stmt
        return stmt.where(code_range(prefix))


def current_scope() -> Scope:
    """The logged-in officer's (or admin's) scope."""
    return Scope.of(current_user)


def villages_in_scope(stmt: Select[Any], scope: Scope) -> Select[Any]:
    """Limit a select() that involves Village to the villages in scope."""
    return scope.villages(stmt)


def volunteers_in_scope(stmt: Select[Any], scope: Scope) -> Select[Any]:
    """Limit a select() from User to the volunteers whose village is in scope (it joins
    Village); erased volunteers are no one's any more."""
    stmt = stmt.join(Village, Village.id == User.village_id).where(
        User.role == Role.VOLUNTEER.value, User.erased_at.is_(None)
    )
    return scope.villages(stmt)


def get_volunteer(session: Session, scope: Scope, user_id: int) -> User:
    """A volunteer whose village is in scope; anyone else raises OutOfScope (views: 404)."""
    user = session.get(User, user_id)
    if (
        user is None
        or user.role != Role.VOLUNTEER.value
        or user.erased_at is not None
        or user.village is None
        or not scope.allows(user.village.code)
    ):
        raise OutOfScope(user_id)
    return user


def get_village(
    session: Session, scope: Scope, *, code: str | None = None, village_id: int | None = None
) -> Village:
    """The village with this code (or id) if it is in scope; OutOfScope otherwise (views:
    404, forms: an unknown village), with no hint that it exists elsewhere."""
    if code is None and village_id is None:
        raise OutOfScope(None)
    stmt = select(Village)
    stmt = stmt.where(Village.code == code) if code is not None else stmt
    stmt = stmt.where(Village.id == village_id) if village_id is not None else stmt
    village = session.scalar(villages_in_scope(stmt, scope))
    if village is None:
        raise OutOfScope(code or village_id)
    return village
