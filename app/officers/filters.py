"""The area, state and text filters that officers' lists, exports, charts and the API share."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, false, or_, select
from sqlalchemy.orm import Session

from ..areas.access import OutOfScope, Scope, code_range
from ..areas.models import ZONES, District
from ..auth.models import User
from ..errors import DomainError
from ..readiness.models import TrainingPlan
from ..readiness.progress import STATES, state_condition
from ..volunteers.types import VOLUNTEER_TYPES

__all__ = ["BadFilter", "Filters", "OutOfScope", "parse_filters", "wider_than_a_province"]


class BadFilter(DomainError):
    """A filter value is malformed (views answer 400 naming the parameter)."""


@dataclass(frozen=True)
class Filters:
    """Checked filter values: area codes lie inside the viewer's scope."""

    province: str = ""  # 2-digit code
    district: str = ""  # 4-digit code
    subdistrict: str = ""  # 6-digit code
    village: str = ""  # 8-digit code
    zone: str = ""  # one of ZONES
    state: str = ""  # one of STATES
    volunteer_type: str = ""
    q: str = ""  # name or mobile, as typed

    @property
    def area_code(self) -> str:
        """The narrowest area chosen ("" for none)."""
        return self.village or self.subdistrict or self.district or self.province

    def as_args(self) -> dict[str, str]:
        """The non-empty filters as query-string arguments (for links and pagination)."""
        names = {"volunteer_type": "type"}
        return {names.get(k, k): v for k, v in self.__dict__.items() if v}

    def areas(self, stmt: Select[Any], session: Session) -> Select[Any]:
        """Apply the area and zone filters to a select() that involves Village."""
        if self.area_code:
            stmt = stmt.where(code_range(self.area_code))
        if self.zone:
            codes = list(session.scalars(select(District.code).where(District.zone == self.zone)))
            stmt = stmt.where(or_(false(), *(code_range(code) for code in codes)))
        return stmt

    def people(self, stmt: Select[Any], session: Session, plan: TrainingPlan | None, today: date):
        """Apply every filter to a select() built on `volunteer_rows`."""
        stmt = self.areas(stmt, session)
        if self.volunteer_type:
            stmt = stmt.where(User.volunteer_type == self.volunteer_type)
        if self.state and plan is not None:
            stmt = stmt.where(state_condition(self.state, plan, today))
        if self.q:
            digits = search_digits(self.q)
            name = User.full_name.contains(self.q.strip(), autoescape=True)
            if len(digits) >= 3:  # a mobile number or its tail, typed with or without dashes
                stmt = stmt.where(or_(name, User.phone.contains(digits, autoescape=True)))
            else:
                stmt = stmt.where(name)
        return stmt


def wider_than_a_province(scope: Scope, filters: Filters) -> bool:
    """True when a page would cover more than one province (an admin without a province
    chosen, an officer of a region): the readiness list asks for a province first, coverage
    sums the stored per-village counts in the database."""
    prefix = scope.prefix
    return prefix is not None and len(filters.area_code or prefix) < 2


def search_digits(text: str) -> str:
    """The digits of a typed mobile number, in the 0XXXXXXXXX form the accounts store:
    "+66 81 234 5678", "66812345678" and "081-234-5678" all give 0812345678; a tail such as
    "5678" stays as typed."""
    digits = "".join(ch for ch in text if ch.isdigit())
    international = text.strip().startswith("+66") or (
        digits.startswith("66") and len(digits) == 11
    )
    if international and digits.startswith("66"):
        rest = digits[2:].lstrip("0")  # "+66 (0)81 ..." is written too
        return "0" + rest
    return digits


_CODE_LENGTHS = {"province": 2, "district": 4, "subdistrict": 6, "village": 8}


def parse_filters(args: Mapping[str, str], scope: Scope) -> Filters:
    """Read filters from query arguments. Malformed values raise BadFilter; an area outside
    the viewer's scope raises OutOfScope, so an id from another district never shows rows."""
    values: dict[str, str] = {}
    for name, length in _CODE_LENGTHS.items():
        code = (args.get(name) or "").strip()
        if not code:
            continue
        if not (code.isdigit() and len(code) == length):
            raise BadFilter(f"{name} must be a {length}-digit code")
        if not scope.allows(code):
            raise OutOfScope(code)
        values[name] = code
    # A narrower area left over from a previous choice (the district was changed, the old
    # subdistrict stayed selected) is dropped rather than refused.
    for outer, inner in (
        ("province", "district"),
        ("province", "subdistrict"),
        ("province", "village"),
        ("district", "subdistrict"),
        ("district", "village"),
        ("subdistrict", "village"),
    ):
        if outer in values and inner in values and not values[inner].startswith(values[outer]):
            del values[inner]
    zone = (args.get("zone") or "").strip()
    if zone and zone not in ZONES:
        raise BadFilter(f"zone must be one of {', '.join(ZONES)}")
    state = (args.get("state") or "").strip()
    if state and state not in STATES:
        raise BadFilter(f"state must be one of {', '.join(STATES)}")
    volunteer_type = (args.get("type") or "").strip()
    if volunteer_type and volunteer_type not in VOLUNTEER_TYPES:
        raise BadFilter(f"type must be one of {', '.join(VOLUNTEER_TYPES)}")
    q = (args.get("q") or "").strip()[:80]
    return Filters(zone=zone, state=state, volunteer_type=volunteer_type, q=q, **values)
