"""Home (the training plan at a glance), the readiness card and its verification."""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask_login import current_user

from ..areas.access import Scope
from ..auth.decorators import roles_required
from ..auth.models import OFFICER_ROLES
from ..db import get_session, utcnow
from ..web import personal, public
from .certificates import check_certificate
from .limits import SlidingWindowLimiter, minutes_to_wait
from .overview import training_overview
from .progress import today_bangkok
from .services import active_plan, find_by_code, normal_code
from .signals import home_panels

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
    panels = []
    if user_id is not None:  # other features' panels (new answers to the user's questions)
        replies = home_panels.send(get_session(), user_id=user_id)
        panels = [reply for _receiver, reply in replies if reply]
    return render_template("readiness/home.html", overview=_overview_for(user_id), panels=panels)


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


def _check_limiter() -> SlidingWindowLimiter:
    """This app's limiter of public checks (one per app, made at the first check)."""
    limiter = current_app.extensions.get("certificate_checks")
    if limiter is None:
        per_minute = int(current_app.config["CERTIFICATE_CHECKS_PER_MINUTE"])
        limiter = current_app.extensions.setdefault(
            "certificate_checks", SlidingWindowLimiter(per_minute, 60.0)
        )
    return limiter


@bp.get("/check")
@public
@personal
def check_form():
    """Anyone may check a certificate: type its code (a typed code goes to its page)."""
    code = request.args.get("code", "")
    stored = normal_code(code) if code else None
    if stored:
        return redirect(url_for(".check", code=stored))
    return render_template("readiness/check.html", code=code, result=None, unknown=bool(code))


@bp.get("/check/<code>")
@public
@personal
def check(code: str):
    """The page a certificate's QR code opens: is this certificate real and still valid?"""
    wait = _check_limiter().hit(request.remote_addr or "-")
    if wait:
        minutes = minutes_to_wait(wait)
        html = render_template("readiness/check.html", code="", limited=minutes, result=None)
        return html, 429, {"Retry-After": str(int(wait) + 1)}
    result = check_certificate(get_session(), code, today=today_bangkok(utcnow()))
    return render_template("readiness/check.html", code=code, result=result, unknown=result is None)
