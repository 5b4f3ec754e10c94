"""The live dashboard: the page with its filter bar, and the fragment its script polls."""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, current_app, render_template, request
from flask_babel import get_locale

from ..areas.access import Scope, current_scope
from ..areas.services import area_choices, area_label
from ..db import get_session, utcnow
from ..readiness.models import TrainingPlan
from ..readiness.progress import BANGKOK, today_bangkok
from .charts import bar_scale, stacked, step_chart
from .dashboard import Dashboard, TTLCache, build_dashboard
from .filters import Filters, parse_filters
from .views import plan_or_none

bp = Blueprint("dashboard", __name__)

# Figures are reused this long at most, so a pass shows within one poll.

CACHE_SECONDS_MAX = 5


def _cache() -> TTLCache:
    """This app's cache of dashboard figures."""
    seconds = min(current_app.config.get("DASHBOARD_CACHE_SECONDS", 3), CACHE_SECONDS_MAX)
    cache = current_app.extensions.get("officers_dashboard")
    if cache is None or cache.seconds != seconds:
        cache = current_app.extensions["officers_dashboard"] = TTLCache(seconds)
    return cache


def _figures() -> tuple[Scope, Filters, TrainingPlan | None, Dashboard | None]:
    """The viewer's scope, the area filters from the query string, the active plan and the
    figures (None without a plan)."""
    scope = current_scope()
    parsed = parse_filters(request.args, scope)
    filters = Filters(
        district=parsed.district,
        subdistrict=parsed.subdistrict,
        village=parsed.village,
        zone=parsed.zone,
    )
    plan = plan_or_none()
    if plan is None:
        return scope, filters, None, None
    today = today_bangkok(utcnow())
    key = (scope.prefix, filters, plan.id, today)
    data = _cache().get(
        key,
        lambda: build_dashboard(
            get_session(), plan=plan, scope=scope, filters=filters, today=today
        ),
    )
    return scope, filters, plan, data


def _etag(data: Dashboard | None) -> str:
    """The fragment's validator: the figures and the language they are shown in."""
    locale = str(get_locale())
    return data.fingerprint(locale) if data is not None else f"none-{locale}"


def _live_context(filters: Filters, data: Dashboard | None) -> dict:
    """What the live fragment's template needs."""
    return {
        "data": data,
        "filters": filters,
        "scale": bar_scale(data.progress) if data else 1,
        "stacked": stacked,
        "steps": step_chart(data.timeline, data.today) if data else None,
    }


def updated_at() -> str:
    """Now in Thai time (Asia/Bangkok) as HH:MM:SS, whatever the server's zone."""
    return datetime.now(BANGKOK).strftime("%H:%M:%S")


@bp.get("/dashboard")
def dashboard():
    """The live dashboard: progress by area, pass rates and readiness over time."""
    scope, filters, plan, data = _figures()
    session = get_session()
    return render_template(
        "officers/dashboard.html",
        choices=area_choices(
            session, scope, district=filters.district, subdistrict=filters.subdistrict
        ),
        area_name=area_label(session, filters.area_code or scope.prefix),
        plan=plan,
        etag=_etag(data),
        interval=current_app.config.get("DASHBOARD_POLL_SECONDS", 10),
        updated=updated_at(),
        **_live_context(filters, data),
    )


@bp.get("/dashboard/live")
def dashboard_live():
    """The live part alone, for polling: 304 while the figures are unchanged."""
    _scope, filters, _plan, data = _figures()
    etag = _etag(data)
    # The time of this check in Thai time, for the page's "updated at" (the phone's own
    # clock may be set to any zone), on a 304 as well as with new figures.
    headers = {"Cache-Control": "no-cache", "ETag": f'W/"{etag}"', "X-Updated": updated_at()}
    if request.if_none_match.contains_weak(etag):
        return "", 304, headers
    body = render_template("officers/_dashboard_live.html", **_live_context(filters, data))
    return body, 200, headers
