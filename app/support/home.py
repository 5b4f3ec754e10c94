"""The home page's panel of new answers (connected to the readiness home page's signal)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from ..readiness.signals import home_panels
from .services import unseen_answers


@home_panels.connect
def _new_answers(session: Session, *, user_id: int) -> tuple[str, dict[str, Any]] | None:
    """The volunteer's answered questions not seen yet, for the home page."""
    answers = unseen_answers(session, user_id)
    return ("support/_home.html", {"answers": answers}) if answers else None
