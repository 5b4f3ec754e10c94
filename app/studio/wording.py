"""An indicator's own wording and lesson text, edited and confirmed in the studio."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..auth.models import User
from ..content.audit import record
from ..content.models import LESSON_SECTIONS, AuditEntry, Indicator
from ..content.recording import CONFIRM_ACTION, recording_hash
from ..errors import DomainError

WORDING_FIELDS = ("title_th", "title_en", "target_group_th", "criterion_th")


class NoteRequired(DomainError):
    """Confirming wording needs a note of which manual and page were checked."""


def _changes(indicator: Indicator, values: dict[str, str], names: tuple[str, ...]) -> dict:
    """{field: [old, new]} for the named fields whose value differs."""
    changed = {}
    for name in names:
        new = values[name].strip()
        old = getattr(indicator, name)
        if new != old:
            changed[name] = [old, new]
    return changed


def edit_wording(
    session: Session, indicator: Indicator, values: dict[str, str], *, user_id: int
) -> dict[str, list[str]]:
    """Save changed wording fields (kept by `flask content load` from now on) and audit them.

    Changed wording is no longer what was confirmed, so official wording becomes provisional
    until a trainer confirms it again. Returns the changes ({} when nothing changed).
    """
    changed = _changes(indicator, values, WORDING_FIELDS)
    if not changed:
        return changed
    for name, (_old, new) in changed.items():
        setattr(indicator, name, new)
    indicator.wording_source = "studio"
    detail: dict[str, Any] = dict(changed)
    if indicator.status == "official":
        indicator.status = "provisional"
        indicator.verified_at = None
        indicator.confirmed_by_id = None
        detail["status"] = ["official", "provisional"]
    record(session, user_id=user_id, action="wording.edit", indicator_id=indicator.id, **detail)
    return changed


def confirm_wording(
    session: Session, indicator: Indicator, note: str, *, user_id: int, now: datetime
) -> None:
    """Mark the wording official, checked against the manual named in the note."""
    note = note.strip()
    if not note:
        raise NoteRequired("Say which manual and page you checked.")
    previous = indicator.status
    indicator.status = "official"
    indicator.verified_at = now
    indicator.confirmed_by_id = user_id
    indicator.wording_source = "studio"
    record(
        session,
        user_id=user_id,
        action="wording.confirm",
        indicator_id=indicator.id,
        note=note,
        status=[previous, "official"],
        wording={name: getattr(indicator, name) for name in WORDING_FIELDS},
    )


class NoRecording(DomainError):
    """The indicator has no questionnaire items to confirm."""


def confirm_recording(session: Session, indicator: Indicator, note: str, *, user_id: int) -> None:
    """Record that a trainer checked the indicator's questionnaire items (exactly these, by
    their fingerprint) against the 2566-2570 manual named in the note; `flask content check`
    then accepts where they differ from the 2560-2564 questionnaire."""
    note = note.strip()
    if not note:
        raise NoteRequired("Say which manual and page you checked.")
    recording = indicator.recording
    if recording is None or not recording.items:
        raise NoRecording("This indicator has no questionnaire items to confirm.")
    record(
        session,
        user_id=user_id,
        action=CONFIRM_ACTION,
        indicator_id=indicator.id,
        note=note,
        items_hash=recording_hash(recording.items),
        items=[item.label for item in recording.items],
    )


def edit_lesson(
    session: Session, indicator: Indicator, values: dict[str, str], *, user_id: int
) -> dict[str, list[str]]:
    """Save changed lesson sections (Markdown) and audit them; returns the changes."""
    changed = _changes(indicator, values, LESSON_SECTIONS)
    for name, (_old, new) in changed.items():
        setattr(indicator, name, new)
    if changed:
        record(session, user_id=user_id, action="lesson.edit", indicator_id=indicator.id, **changed)
    return changed


@dataclass(frozen=True)
class HistoryItem:
    """One audit entry for display."""

    entry: AuditEntry
    user_name: str


def history(session: Session, indicator_id: int, prefix: str) -> list[HistoryItem]:
    """An indicator's audit entries whose action starts with prefix, newest first."""
    stmt = (
        select(AuditEntry, User.full_name)
        .outerjoin(User, User.id == AuditEntry.user_id)
        .where(AuditEntry.indicator_id == indicator_id, AuditEntry.action.startswith(prefix))
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    )
    return [HistoryItem(entry, name or "") for entry, name in session.execute(stmt)]
