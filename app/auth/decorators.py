"""Role checks for views."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import abort
from flask_babel import gettext as _
from flask_login import current_user, login_required

from .models import OFFICER_ROLES, Role


def roles_required(*roles: Role) -> Callable:
    """Allow the view only to logged-in users holding one of the roles (else 403)."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        @login_required
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.has_role(*roles):
                abort(403, description=_("Your role may not open this page."))
            return view(*args, **kwargs)

        return wrapped

    return decorator


def officer_required(view: Callable) -> Callable:
    """Officers with an area and admins only (anonymous users are sent to log in, an officer
    whose account has no area yet is told so)."""

    @wraps(view)
    @roles_required(*OFFICER_ROLES)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not current_user.works_an_area:
            abort(
                403, description=_("Your officer account has no area yet; ask an admin to set it.")
            )
        return view(*args, **kwargs)

    return wrapped
