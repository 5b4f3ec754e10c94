"""The studio's audit trail: who changed or confirmed which training content, and when."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .models import AuditEntry


def record(
    session: Session,
    *,
    user_id: int | None,
    action: str,
    indicator_id: int | None = None,
    **detail: Any,
) -> AuditEntry:
    """Add an audit entry (the caller's transaction commits it with the change itself).

    `action` is a verb-object name such as "faq.publish"; detail holds small JSON-able facts,
    e.g. changed fields as {"title_th": [old, new]}.
    """
    entry = AuditEntry(user_id=user_id, action=action, indicator_id=indicator_id, detail=detail)
    session.add(entry)
    return entry


# Entries the file commands write; every other action is a change made in the studio.
FILE_ACTIONS = ("content.load", "content.export")
# Studio actions that change no content file (a load cannot overwrite them): confirming a
# recording's items against the manual is kept in the audit trail alone.
FILELESS_ACTIONS = ("recording.confirm",)


def pending_studio_changes(session: Session) -> int:
    """How many studio changes were made since content was last loaded or exported; a load
    from the files would overwrite them."""
    last_sync = session.scalar(
        select(func.max(AuditEntry.id)).where(AuditEntry.action.in_(FILE_ACTIONS))
    )
    stmt = select(func.count()).where(AuditEntry.action.not_in(FILE_ACTIONS + FILELESS_ACTIONS))
    if last_sync is not None:
        stmt = stmt.where(AuditEntry.id > last_sync)
    return session.scalar(stmt) or 0
