"""Home (the training plan at a glance), the readiness card and its verification."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import current_user, login_required

from ..auth.decorators import roles_required
from ..auth.models import Role
from ..db import get_session
from .overview import training_overview
from .services import active_plan, find_by_code

bp = Blueprint("readiness", __name__)


def _overview_for(user_id: int | None):
    """The overview of the active plan; reads only (progress is written on submit)."""
    session = get_session()
    return training_overview(session, user_id, active_plan(session))


@bp.get("/")
def home():
    """The training plan at a glance (a welcome page for visitors)."""
    user_id = current_user.id if current_user.is_authenticated else None
    return render_template("readiness/home.html", overview=_overview_for(user_id))


@bp.get("/ready")
@login_required
def card():
    """The readiness card to show an officer."""
    overview = _overview_for(current_user.id)
    return render_template("readiness/card.html", overview=overview, user=current_user)


@bp.get("/verify")
@roles_required(Role.OFFICER, Role.ADMIN)
def verify():
    """Officers check a readiness card's code."""
    code = request.args.get("code", "")
    record = None
    if code:
        record = find_by_code(
            get_session(), code, role=current_user.role, area_code=current_user.area_code
        )
    return render_template("readiness/verify.html", code=code, record=record)


from . import plan_views  # noqa: E402, F401
