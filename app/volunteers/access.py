"""Who may use the officers' volunteer tools: officers with an area, and admins."""

from __future__ import annotations

from flask_login import current_user

from ..areas.scope import Scope
from ..auth.decorators import officer_required

__all__ = ["current_scope", "officer_required"]


def current_scope() -> Scope:
    """The logged-in officer's (or admin's) scope."""
    return Scope.of(current_user)
