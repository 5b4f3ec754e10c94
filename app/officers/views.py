"""The officers' start page (/officer/); the URL map's officer area lets in officers with an
area and admins only, and every query behind its pages is limited to the viewer's area."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..areas.access import current_scope
from ..areas.services import area_label
from ..db import get_session
from ..readiness.models import TrainingPlan
from ..readiness.services import active_plan
from ..volunteers.types import VOLUNTEER_TYPES
from .rules import display_share

bp = Blueprint("home", __name__)

ZONE_LABELS = {"north": _l("North zone"), "central": _l("Central zone"), "south": _l("South zone")}
STATE_LABELS = {
    "registered": _l("Registered"),
    "training": _l("Training"),
    "ready": _l("Ready to collect"),
    "confirmed": _l("Confirmed collector"),
    "expired": _l("Readiness expired"),
}


def thai_labels(labels: dict[str, object]) -> dict[str, str]:
    """The labels in Thai whatever the UI language: exports and print-outs say what the
    pages say, from the same catalogue entries."""
    with force_locale("th"):
        return {key: str(label) for key, label in labels.items()}


@bp.app_template_filter("share")
def share_filter(value: float | None) -> str:
    """A share as the pages show it: 57.4 (one decimal, rounded half-up), "" for none."""
    shown = display_share(value)
    return "" if shown is None else f"{shown:g}"


@bp.app_context_processor
def labels() -> dict:
    """Labels the officers' templates (and the filter bar) show for codes."""
    return {
        "zone_labels": lambda: ZONE_LABELS,
        "state_labels": lambda: STATE_LABELS,
        "volunteer_type_labels": lambda: VOLUNTEER_TYPES,
    }


def plan_or_none() -> TrainingPlan | None:
    """The active training plan, if an admin has set one."""
    return active_plan(get_session())


# Tools not built yet are left out of the page until their endpoint exists.
TOOLS = [
    (
        "site.readiness.verify",
        _l("Check a readiness card"),
        _l("Type the code a volunteer shows you"),
    ),
    (
        "officer.lists.readiness_list",
        _l("Volunteers and readiness"),
        _l("Who is trained and ready"),
    ),
    ("officer.coverage.coverage", _l("Coverage at 1:40"), _l("Villages short of ready volunteers")),
    (
        "officer.dashboard.dashboard",
        _l("Live dashboard"),
        _l("Progress, pass rates, readiness over time"),
    ),
    (
        "officer.mentoring.visit_list",
        _l("Mentor visits"),
        _l("Who is stuck, the visit sheet, buddies"),
    ),
    (
        "officer.mentoring.devices",
        _l("Volunteers' devices"),
        _l("Who lacks a usable phone or tablet"),
    ),
    ("officer.rankings.rankings", _l("Rankings"), _l("Top 5 villages, subdistricts and districts")),
    ("officer.registration.register", _l("Register a volunteer"), _l("One person, by form")),
    (
        "officer.registration.import_volunteers",
        _l("Import volunteers"),
        _l("CSV or Excel, with a dry run"),
    ),
    ("officer.invitations.invitations", _l("Invitation posters"), _l("A QR code per village")),
    ("officer.outreach.lessons", _l("Share lessons"), _l("Short links and QR codes to print")),
    (
        "officer.outreach.remind",
        _l("LINE reminders"),
        _l("Remind a village's LINE group of the training"),
    ),
    ("officer.api_tokens.tokens", _l("API tokens"), _l("For other systems to read your lists")),
    ("admin.plans.plans", _l("Training plans"), _l("Admins: the plan, its indicators, expiry")),
    ("officer.accounts.accounts", _l("Officer accounts"), _l("Admins: officers and their areas")),
    (
        "admin.personal_data.audit_log",
        _l("Personal data audit log"),
        _l("Admins: who viewed, exported or changed whose data"),
    ),
]
ADMIN_ONLY = {"admin.plans.plans", "officer.accounts.accounts", "admin.personal_data.audit_log"}


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
