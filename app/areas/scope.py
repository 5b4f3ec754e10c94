"""The one place where a query is limited to the viewer's role and area.

DOPA codes nest (province 2 digits, district 4, subdistrict 6, village 8), so an officer's
scope is a code prefix: every village whose code starts with it is theirs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, Select, and_, false, true

from .models import Village

if TYPE_CHECKING:
    from ..auth.models import User


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


def scope_people(stmt: Select[Any], *, role: str, area_code: str | None) -> Select[Any]:
    """Limit a select() that joins Village to what the viewer may see.

    Admins see everyone; officers see the villages under their area code; everyone else sees
    no one.
    """
    return Scope(role=role, area_code=area_code).villages(stmt)
