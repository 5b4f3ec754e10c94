"""The admins' view of the personal-data audit trail: filters, one page at a time (newest
first, by id so a page never shifts as entries are added), and the rows of an export."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, select
from sqlalchemy.orm import Session, aliased

from ..auth.audit import ACTIONS
from ..auth.models import PersonalDataEvent, PersonalDataSubject, User
from ..auth.phone import normalise_phone
from ..errors import DomainError

PER_PAGE = 50
EXPORT_LIMIT = 100_000  # rows in one export; narrow the filters for more
BANGKOK = ZoneInfo("Asia/Bangkok")
_AREA = re.compile(r"\d{2}(\d{2}){0,3}")


class BadAuditFilter(DomainError):
    """A filter value cannot be understood; the message says which."""


@dataclass(frozen=True)
class AuditFilters:
    """Checked filters (empty: any)."""

    action: str = ""
    actor: int | None = None
    subject: int | None = None
    area: str = ""
    since: date | None = None  # Thailand's days, both ends included
    until: date | None = None

    def args(self) -> dict[str, str]:
        """The filters as query arguments (for links to the next page and the exports)."""
        return {k: str(v) for k, v in asdict(self).items() if v not in ("", None)}


def _person(session: Session, text: str, name: str) -> int | None:
    """A user id from an id or a mobile number as typed."""
    text = text.strip()
    if not text:
        return None
    phone = normalise_phone(text) if len(text) >= 9 else None
    if phone:
        found = session.scalar(select(User.id).where(User.phone == phone))
        if found is None:
            raise BadAuditFilter(
                _l("No account has the mobile number given as %(name)s.", name=name)
            )
        return found
    if text.isdigit() and len(text) <= 9:
        return int(text)
    raise BadAuditFilter(_l("%(name)s: give an account number or a mobile number.", name=name))


def _day(text: str, name: str) -> date | None:
    text = text.strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise BadAuditFilter(_l("%(name)s is not a date.", name=name)) from None


def parse_audit_filters(session: Session, args: Mapping[str, str]) -> AuditFilters:
    """Filters from query arguments; raises BadAuditFilter with a message for people."""
    action = args.get("action", "").strip()
    if action and action not in ACTIONS:
        raise BadAuditFilter(_l("Unknown action."))
    area = args.get("area", "").strip()
    if area and not _AREA.fullmatch(area):
        raise BadAuditFilter(_l("The area code has 2, 4, 6 or 8 digits."))
    since = _day(args.get("since", ""), str(_l("From")))
    until = _day(args.get("until", ""), str(_l("To")))
    if since and until and since > until:
        raise BadAuditFilter(_l("The first day is after the last day."))
    return AuditFilters(
        action=action,
        actor=_person(session, args.get("actor", ""), str(_l("Who acted"))),
        subject=_person(session, args.get("subject", ""), str(_l("Whose data"))),
        area=area,
        since=since,
        until=until,
    )


def _utc_start(day: date) -> datetime:
    return datetime.combine(day, time(), BANGKOK).astimezone(UTC)


def _filtered(filters: AuditFilters) -> Select[Any]:
    actor = aliased(User)
    stmt = (
        select(PersonalDataEvent, actor.full_name, actor.role)
        .outerjoin(actor, actor.id == PersonalDataEvent.actor_id)
        .order_by(PersonalDataEvent.id.desc())
    )
    if filters.action:
        stmt = stmt.where(PersonalDataEvent.action == filters.action)
    if filters.actor is not None:
        stmt = stmt.where(PersonalDataEvent.actor_id == filters.actor)
    if filters.subject is not None:
        named = select(PersonalDataSubject.event_id).where(
            PersonalDataSubject.user_id == filters.subject
        )
        stmt = stmt.where(PersonalDataEvent.id.in_(named))
    if filters.area:
        stmt = stmt.where(PersonalDataEvent.area_code.startswith(filters.area, autoescape=True))
    if filters.since:
        stmt = stmt.where(PersonalDataEvent.at >= _utc_start(filters.since))
    if filters.until:
        stmt = stmt.where(PersonalDataEvent.at < _utc_start(filters.until + timedelta(days=1)))
    return stmt


@dataclass(frozen=True)
class AuditRow:
    """One entry as listed: who (name and role), what, when, where, about whom (ids)."""

    id: int
    at: datetime
    action: str
    actor_id: int | None
    actor_name: str | None
    actor_role: str | None
    area_code: str | None
    subject_count: int
    subject_ids: list[int]
    detail: dict[str, Any]


def _rows(session: Session, stmt: Select[Any], subjects_limit: int = 20) -> list[AuditRow]:
    found = session.execute(stmt).all()
    ids = [event.id for event, _name, _role in found]
    subjects: dict[int, list[int]] = {}
    if ids:
        for event_id, user_id in session.execute(
            select(PersonalDataSubject.event_id, PersonalDataSubject.user_id)
            .where(PersonalDataSubject.event_id.in_(ids))
            .order_by(PersonalDataSubject.event_id, PersonalDataSubject.user_id)
        ):
            subjects.setdefault(event_id, []).append(user_id)
    return [
        AuditRow(
            id=event.id,
            at=event.at,
            action=event.action,
            actor_id=event.actor_id,
            actor_name=name,
            actor_role=role,
            area_code=event.area_code,
            subject_count=event.subject_count,
            subject_ids=subjects.get(event.id, [])[:subjects_limit],
            detail=event.detail or {},
        )
        for event, name, role in found
    ]


def audit_page(
    session: Session, filters: AuditFilters, before: int | None = None
) -> tuple[list[AuditRow], int | None]:
    """One page, newest first, of entries older than `before` (an entry id); and the id to
    ask for the next page with, None on the last."""
    stmt = _filtered(filters)
    if before is not None:
        stmt = stmt.where(PersonalDataEvent.id < before)
    rows = _rows(session, stmt.limit(PER_PAGE + 1))
    more = len(rows) > PER_PAGE
    rows = rows[:PER_PAGE]
    return rows, (rows[-1].id if more and rows else None)


def iter_audit(session: Session, filters: AuditFilters) -> Iterator[AuditRow]:
    """Every entry the filters select (at most EXPORT_LIMIT), newest first, read in pages."""
    before: int | None = None
    sent = 0
    while sent < EXPORT_LIMIT:
        stmt = _filtered(filters)
        if before is not None:
            stmt = stmt.where(PersonalDataEvent.id < before)
        rows = _rows(session, stmt.limit(min(1000, EXPORT_LIMIT - sent)), subjects_limit=10_000)
        if not rows:
            return
        yield from rows
        sent += len(rows)
        before = rows[-1].id
