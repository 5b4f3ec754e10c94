"""Who may use the officers' volunteer tools: officers with an area, and admins."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import abort
from flask_login import current_user

from ..areas.scope import Scope
from ..auth.decorators import roles_required
from ..auth.models import Role


def officer_required(view: Callable) -> Callable:
    """Officers with an area and admins only (anonymous users are sent to log in)."""

    @wraps(view)
    @roles_required(Role.OFFICER, Role.ADMIN)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if current_user.role == Role.OFFICER.value and not current_user.area_code:
            abort(403, description="Your officer account has no area yet; ask an admin to set it.")
        return view(*args, **kwargs)

    return wrapped


def current_scope() -> Scope:
    """The logged-in officer's (or admin's) scope."""
    return Scope.of(current_user)
