"""Rankings: the top 5 villages, subdistricts and districts in the viewer's area."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template

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
    min_needed = max(int(current_app.config.get("RANKING_MIN_NEEDED", 1)), 1)
    return render_template(
        "officers/rankings.html",
        plan=plan,
        top=TOP,
        levels=RANKED_LEVELS,
        min_needed=min_needed,
        ranked=rankings(
            session, plan=plan, scope=scope, today=today_bangkok(utcnow()), min_needed=min_needed
        ),
        scope_label=area_label(session, scope.prefix or None),
    )
