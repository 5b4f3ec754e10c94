"""Home (the training plan at a glance), the readiness card and its verification."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import current_user

from ..areas.access import Scope
from ..auth.decorators import roles_required
from ..auth.models import OFFICER_ROLES
from ..db import get_session
from ..web import public
from .overview import training_overview
from .services import active_plan, find_by_code

bp = Blueprint("readiness", __name__)


def _overview_for(user_id: int | None):
    """The overview of the active plan; reads only (progress is written on submit)."""
    session = get_session()
    return training_overview(session, user_id, active_plan(session))


@bp.get("/")
@public
def home():
    """The training plan at a glance (a welcome page for visitors)."""
    user_id = current_user.id if current_user.is_authenticated else None
    return render_template("readiness/home.html", overview=_overview_for(user_id))


@bp.get("/ready")
def card():
    """The readiness card to show an officer."""
    overview = _overview_for(current_user.id)
    return render_template("readiness/card.html", overview=overview, user=current_user)


@bp.get("/verify")
@roles_required(*OFFICER_ROLES)  # officers without an area too: narrower than the area
def verify():
    """Officers check a readiness card's code."""
    code = request.args.get("code", "")
    record = None
    if code:
        record = find_by_code(get_session(), code, Scope.of(current_user))
    return render_template("readiness/verify.html", code=code, record=record)
