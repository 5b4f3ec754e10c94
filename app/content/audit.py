"""The studio's audit trail: who changed or confirmed which training content, and when."""

from __future__ import annotations

from typing import Any

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
