"""Home (the training plan at a glance), the readiness card and its verification."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, request
from flask_login import current_user

from ..auth.decorators import roles_required
from ..auth.models import OFFICER_ROLES
from ..db import get_session, utcnow
from ..quizzes.signals import attempt_submitted
from ..web import public
from .progress import refresh_volunteer
from .services import active_plan, find_by_code, training_overview

bp = Blueprint("readiness", __name__)


@attempt_submitted.connect
def record_readiness(sender, session, attempt) -> None:
    """After a quiz is scored, update the volunteer's progress in the active plan and record
    readiness if that pass completed it."""
    plan = active_plan(session)
    if plan is None:
        return
    refresh_volunteer(
        session,
        user_id=attempt.user_id,
        plan=plan,
        secret=current_app.config["SECRET_KEY"],
        now=utcnow(),
    )


def _overview_for(user_id: int | None):
    """The overview; readiness is recorded here too when the plan changed after the passes."""
    session = get_session()
    plan = active_plan(session)
    overview = training_overview(session, user_id, plan)
    if user_id and plan and overview.readiness is None and overview.next_number is None:
        refresh_volunteer(
            session,
            user_id=user_id,
            plan=plan,
            secret=current_app.config["SECRET_KEY"],
            now=utcnow(),
        )
        session.commit()
        overview = training_overview(session, user_id, plan)
    return overview


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
        record = find_by_code(
            get_session(), code, role=current_user.role, area_code=current_user.area_code
        )
    return render_template("readiness/verify.html", code=code, record=record)
