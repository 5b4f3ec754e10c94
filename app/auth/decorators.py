"""Role checks for views."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import abort
from flask_login import current_user, login_required

from .models import Role


def roles_required(*roles: Role) -> Callable:
    """Allow the view only to logged-in users holding one of the roles (else 403)."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        @login_required
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.has_role(*roles):
                abort(403, description="Your role may not open this page.")
            return view(*args, **kwargs)

        return wrapped

    return decorator
