"""Rankings: the top 5 villages, subdistricts and districts in the viewer's area."""

from __future__ import annotations

from flask import Blueprint, render_template

from ..areas.access import current_scope
from ..areas.services import area_label
from ..db import get_session, utcnow
from ..readiness.progress import today_bangkok
from .rankings import RANKED_LEVELS, TOP, rankings
from .views import plan_or_none

bp = Blueprint("rankings", __name__)


@bp.get("/rankings", endpoint="rankings")
def rankings_page():
    """The top areas of each level by the share of needed volunteers who are ready."""
    scope = current_scope()
    session = get_session()
    plan = plan_or_none()
    return render_template(
        "officers/rankings.html",
        plan=plan,
        top=TOP,
        levels=RANKED_LEVELS,
        ranked=rankings(session, plan=plan, scope=scope, today=today_bangkok(utcnow())),
        scope_label=area_label(session, scope.prefix or None),
    )
