"""The officers' blueprint: every page under /officer/ is for officers and admins only, and
every query behind it is limited to the viewer's area (`Scope`)."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.exceptions import BadRequest, NotFound

from ..areas.scope import Scope
from ..areas.services import area_label
from ..auth.decorators import officer_required
from ..db import get_session
from ..errors import render_error
from ..readiness.models import TrainingPlan
from ..readiness.services import active_plan
from ..volunteers.types import VOLUNTEER_TYPES
from .filters import BadFilter, OutOfScope

bp = Blueprint("officers", __name__, url_prefix="/officer")


@bp.before_request
@officer_required
def officers_only() -> None:
    """Officers with an area and admins only, on every page of the blueprint."""


@bp.errorhandler(OutOfScope)
def out_of_scope(error: OutOfScope):
    """An id or area outside the officer's scope answers as if it did not exist."""
    return render_error(NotFound("There is no such record or area in your scope."))


@bp.errorhandler(BadFilter)
def bad_filter(error: BadFilter):
    """A malformed filter answers 400 with the reason."""
    return render_error(BadRequest(str(error)))


ZONE_LABELS = {"north": _l("North zone"), "central": _l("Central zone"), "south": _l("South zone")}
STATE_LABELS = {
    "registered": _l("Registered"),
    "training": _l("Training"),
    "ready": _l("Ready to collect"),
    "confirmed": _l("Confirmed collector"),
    "expired": _l("Readiness expired"),
}


@bp.app_context_processor
def labels() -> dict:
    """Labels the officers' templates (and the filter bar) show for codes."""
    return {
        "zone_labels": lambda: ZONE_LABELS,
        "state_labels": lambda: STATE_LABELS,
        "volunteer_type_labels": lambda: VOLUNTEER_TYPES,
    }


def current_scope() -> Scope:
    """The logged-in officer's (or admin's) scope."""
    return Scope.of(current_user)


def plan_or_none() -> TrainingPlan | None:
    """The active training plan, if an admin has set one."""
    return active_plan(get_session())


# Tools not built yet are left out of the page until their endpoint exists.
TOOLS = [
    ("readiness.verify", _l("Check a readiness card"), _l("Type the code a volunteer shows you")),
    ("officers.readiness_list", _l("Volunteers and readiness"), _l("Who is trained and ready")),
    ("officers.coverage", _l("Coverage at 1:40"), _l("Villages short of ready volunteers")),
    ("officers.dashboard", _l("Live dashboard"), _l("Progress, pass rates, readiness over time")),
    ("officers.rankings", _l("Rankings"), _l("Top 5 villages, subdistricts and districts")),
    ("volunteers.register", _l("Register a volunteer"), _l("One person, by form")),
    ("volunteers.import_volunteers", _l("Import volunteers"), _l("CSV or Excel, with a dry run")),
    ("volunteers.invitations", _l("Invitation posters"), _l("A QR code per village")),
    ("api.tokens", _l("API tokens"), _l("For other systems to read your lists")),
    ("readiness.plans", _l("Training plans"), _l("Admins: the plan, its indicators, expiry")),
    ("officers.accounts", _l("Officer accounts"), _l("Admins: officers and their areas")),
]
ADMIN_ONLY = {"readiness.plans", "officers.accounts"}


@bp.get("/")
def index():
    """The officer's start page: links to every tool, within their area."""
    scope = current_scope()
    tools = [
        t
        for t in TOOLS
        if t[0] in current_app.view_functions and (scope.everything or t[0] not in ADMIN_ONLY)
    ]
    return render_template(
        "officers/index.html",
        scope_label=area_label(get_session(), current_user.area_code),
        plan=plan_or_none(),
        tools=tools,
    )


# The pages, one module per tool; imported last so they can use `bp`.
from . import (  # noqa: E402, F401
    account_views,
    certificate_views,
    coverage_views,
    dashboard_views,
    list_views,
    ranking_views,
)
