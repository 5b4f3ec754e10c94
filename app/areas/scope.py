"""The one place where a query returning people is limited to the viewer's role and area."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, false

from .models import Village


def scope_people(stmt: Select[Any], *, role: str, area_code: str | None) -> Select[Any]:
    """Limit a select() that joins Village to what the viewer may see.

    Admins see everyone; officers see the villages under their area code (DOPA codes nest:
    province 2 digits, district 4, subdistrict 6, village 8); everyone else sees no one.
    """
    if role == "admin":
        return stmt
    if role == "officer" and area_code:
        return stmt.where(Village.code.startswith(area_code, autoescape=True))
    return stmt.where(false())
