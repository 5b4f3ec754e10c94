"""The home page's panel: the volunteer's buddy and the device page (connected to the
readiness home page's signal)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from ..auth.models import Role, User
from ..readiness.signals import home_panels
from .buddies import buddy_for_volunteer
from .devices import get_device


@home_panels.connect
def _buddy_and_device(session: Session, *, user_id: int) -> tuple[str, dict[str, Any]] | None:
    """A volunteer's buddy (first name and mobile) and whether their device is recorded."""
    user = session.get(User, user_id)
    if user is None or user.role != Role.VOLUNTEER.value:
        return None
    return (
        "mentoring/_home.html",
        {"buddy": buddy_for_volunteer(session, user_id), "device": get_device(session, user_id)},
    )
