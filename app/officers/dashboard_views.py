"""The live dashboard: the page with its filter bar and daily targets, the fragment its
script polls, and the daily targets' export."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import Blueprint, abort, current_app, render_template, request, url_for
from flask_babel import get_locale

from ..areas.access import Scope, current_scope
from ..areas.services import area_choices, area_label
from ..db import get_session, utcnow
from ..readiness.models import TrainingPlan
from ..readiness.progress import BANGKOK, today_bangkok
from .charts import bar_scale, stacked, step_chart
from .daily import TREND_DAYS, DailyTargets, daily_targets, has_snapshot, snapshot_history
from .dashboard import Dashboard, TTLCache, build_dashboard
from .exports import csv_response, formatted_xlsx_response
from .filters import Filters, parse_filters
from .target_exports import SUMMARY_HEADER, summary_rows, target_sheets
from .tasks import queue_snapshot
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


def _viewed() -> tuple[Scope, Filters, TrainingPlan | None]:
    """The viewer's scope, the area filters from the query string and the active plan."""
    scope = current_scope()
    parsed = parse_filters(request.args, scope)
    filters = Filters(
        district=parsed.district,
        subdistrict=parsed.subdistrict,
        village=parsed.village,
        zone=parsed.zone,
    )
    return scope, filters, plan_or_none()


def _figures() -> tuple[Scope, Filters, TrainingPlan | None, Dashboard | None]:
    """The viewer's scope, the area filters from the query string, the active plan and the
    figures (None without a plan)."""
    scope, filters, plan = _viewed()
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


def _daily(scope: Scope, filters: Filters, plan: TrainingPlan) -> DailyTargets:
    """Today's daily targets; the first view of the day queues the day's snapshot of the
    viewer's areas when the timer (`flask officers snapshot`) has not taken it yet."""
    session = get_session()
    today = today_bangkok(utcnow())
    if not has_snapshot(session, plan=plan, scope=scope, day=today):
        # Queued once per area and day by this process (the job itself checks again).
        day, queued = current_app.extensions.get("officers_snapshots_queued", (None, set()))
        if day != today:
            queued = set()
            current_app.extensions["officers_snapshots_queued"] = (today, queued)
        key = (plan.id, scope.prefix or "")
        if key not in queued and queue_snapshot(plan.id, scope.prefix or "", today):
            queued.add(key)
    return daily_targets(session, plan=plan, scope=scope, filters=filters, today=today)


def updated_at() -> str:
    """Now in Thai time (Asia/Bangkok) as HH:MM:SS, whatever the server's zone."""
    return datetime.now(BANGKOK).strftime("%H:%M:%S")


@bp.get("/dashboard")
def dashboard():
    """The live dashboard: daily targets, progress by area, pass rates and readiness over
    time."""
    scope, filters, plan, data = _figures()
    session = get_session()
    targets = _daily(scope, filters, plan) if plan is not None else None
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
        targets=targets,
        admin_link=url_for("admin.plans.edit_plan", plan_id=plan.id)
        if plan is not None and scope.everything
        else None,
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


@bp.get("/dashboard/targets.<fmt>")
def export_targets(fmt: str):
    """The daily targets of the viewed areas, to the deadline, and their daily history, as
    Excel (three sheets) or CSV (today's targets)."""
    if fmt not in ("csv", "xlsx"):
        abort(404)
    scope, filters, plan = _viewed()
    if plan is None:
        abort(404)
    session = get_session()
    data = daily_targets(
        session, plan=plan, scope=scope, filters=filters, today=today_bangkok(utcnow())
    )
    name = f"daily-targets-{data.today.isoformat()}"
    if fmt == "csv":
        return csv_response(f"{name}.csv", SUMMARY_HEADER, summary_rows(data))
    since = data.curve.start if data.curve else data.today - timedelta(days=TREND_DAYS)
    history = snapshot_history(
        session, plan=plan, level=data.level, codes=[a.code for a in data.areas], since=since
    )
    return formatted_xlsx_response(f"{name}.xlsx", target_sheets(data, history))
