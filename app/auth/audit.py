"""The personal-data audit trail (PDPA): who viewed, exported, changed, confirmed or erased
whose data. Features call `record` in the same transaction as the access or change, so an
entry exists exactly when the thing it describes happened; the caller commits."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from .models import PersonalDataEvent, PersonalDataSubject

# Actions, so admins' filter and the tests share one list (verb-object names).
ACTIONS = (
    "volunteer.view",  # an officer opened one volunteer's page
    "volunteers.list",  # a readiness list page (its rows are the subjects)
    "volunteers.export",  # a CSV/XLSX/print of a list
    "volunteer.register",  # registered by an officer (form)
    "volunteers.import",  # an import confirmed
    "volunteer.edit",  # name, mobile, village or volunteer type changed
    "volunteer.deactivate",
    "volunteer.reactivate",
    "volunteer.password_reset",  # a one-time reset code issued
    "volunteer.slip",  # a new activation slip issued
    "volunteer.erase",  # name, mobile and ID removed (admin)
    "self.download",  # a volunteer downloaded their own data
    "audit.export",  # an admin exported this trail
)


def record(
    session: Session,
    *,
    actor_id: int | None,
    action: str,
    subjects: Iterable[int] = (),
    area_code: str | None = None,
    **detail: Any,
) -> PersonalDataEvent:
    """Add an entry naming the people concerned (ids only); detail holds small facts such as
    changed field names or a row count, never names, mobiles or ID numbers."""
    ids = sorted(set(subjects))
    event = PersonalDataEvent(
        actor_id=actor_id,
        action=action,
        area_code=area_code,
        subject_count=len(ids),
        detail=detail,
    )
    session.add(event)
    if ids:
        session.flush()  # flush(objects) is deprecated in SQLAlchemy 2
        session.execute(
            insert(PersonalDataSubject), [{"event_id": event.id, "user_id": i} for i in ids]
        )
    return event
