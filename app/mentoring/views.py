"""Officers' mentor visits: who to visit and why, the printed visit sheet, recording a
visit, device gaps per village and buddy pairs. Every query is limited to the officer's area;
an id outside it answers 404."""

from __future__ import annotations

import logging

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from wtforms import SelectChoice

from ..areas.access import OutOfScope, current_scope, get_village, get_volunteer
from ..areas.services import area_choices, area_label
from ..auth.audit import record
from ..db import get_session, utcnow
from ..officers.filters import parse_filters
from ..officers.views import plan_or_none
from ..readiness.progress import today_bangkok
from ..web import MAX_ID
from . import rules
from .buddies import BuddyRefused, pair_buddies, unpair, village_buddies
from .devices import device_gaps
from .forms import PairForm, VisitForm
from .services import Settings, campaign_deadline, mentor_findings, recent_visits, record_visit

bp = Blueprint("mentoring", __name__)
log = logging.getLogger(__name__)

SHOWN = 200  # rows on the page; the printed sheet narrows to one subdistrict
REFUSALS = {
    "same_person": _l("A volunteer cannot be their own buddy."),
    "other_village": _l("Buddies must live in the same village."),
    "learner_ready": _l("The new volunteer is already ready: choose one who is still learning."),
    "mentor_not_ready": _l("The buddy must be ready under the active plan."),
    "taken": _l("One of them already has a buddy. Unpair them first."),
}


def _settings() -> Settings:
    """The province's thresholds from the configuration (MENTOR_*)."""
    config = current_app.config
    try:
        deadline = campaign_deadline(plan_or_none(), config["MENTOR_DEADLINE"] or None)
    except ValueError:
        log.warning("MENTOR_DEADLINE is not a YYYY-MM-DD date; ignored")
        deadline = campaign_deadline(plan_or_none(), None)
    return Settings(
        stall_days=int(config["MENTOR_STALL_DAYS"]),
        fail_limit=int(config["MENTOR_FAIL_LIMIT"]),
        near_days=int(config["MENTOR_NEAR_DAYS"]),
        visit_days=int(config["MENTOR_VISIT_DAYS"]),
        deadline=deadline,
    )


def _findings(filters):
    """Findings for the officer's scope and filters."""
    now = utcnow()
    settings = _settings()
    findings = mentor_findings(
        get_session(),
        plan=plan_or_none(),
        scope=current_scope(),
        filters=filters,
        now=now,
        today=today_bangkok(now),
        settings=settings,
    )
    return findings, settings


@bp.get("/mentoring")
def visit_list():
    """Volunteers and villages to visit, the most urgent first, with the reasons."""
    session = get_session()
    scope = current_scope()
    filters = parse_filters(request.args, scope)
    findings, settings = _findings(filters)
    shown = findings[:SHOWN]
    record(
        session,
        actor_id=current_user.id,
        action="volunteers.list",
        subjects=[f.subject_id for f in shown if f.kind == "volunteer"],
        area_code=filters.area_code or scope.area_code,
        page="mentoring",
    )
    session.commit()
    return render_template(
        "mentoring/list.html",
        findings=shown,
        total=len(findings),
        settings=settings,
        deadline=rules.day_th(settings.deadline),
        day_th=rules.day_th,
        filters=filters,
        args=filters.as_args(),
        choices=area_choices(
            session, scope, district=filters.district, subdistrict=filters.subdistrict
        ),
        visits=recent_visits(session, scope, filters),
    )


@bp.get("/mentoring/sheet")
def sheet():
    """The printable visit sheet of one subdistrict: villages and volunteers to visit, with
    mobiles and reasons, and room for notes (personal data: audited, never cached)."""
    session = get_session()
    scope = current_scope()
    filters = parse_filters(request.args, scope)
    if not filters.subdistrict:
        abort(400, description=_("Choose a subdistrict to print its visit sheet."))
    findings, settings = _findings(filters)
    people = [f for f in findings if f.kind == "volunteer"]
    record(
        session,
        actor_id=current_user.id,
        action="volunteers.export",
        subjects=[f.subject_id for f in people],
        area_code=filters.area_code,
        format="visit-sheet",
        rows=len(findings),
    )
    session.commit()
    response = current_app.make_response(
        render_template(
            "mentoring/sheet.html",
            findings=findings,
            area=area_label(session, filters.area_code),
            now=utcnow(),
            day_th=rules.day_th,
            args=filters.as_args(),
        )
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/mentoring/visit", methods=["GET", "POST"])
def visit():
    """Record a visit to a volunteer (?volunteer=<id>) or a village (?village=<code>)."""
    session = get_session()
    scope = current_scope()
    form = VisitForm()
    # An id that is not one (text, or past any id) is a volunteer outside the scope: 404.
    raw_id = (request.values.get("volunteer_id") or request.args.get("volunteer") or "").strip()
    if raw_id and not (raw_id.isascii() and raw_id.isdigit() and int(raw_id) <= MAX_ID):
        raise OutOfScope
    volunteer_id = int(raw_id) if raw_id else None
    village_code = request.values.get("village", "").strip() or None
    if volunteer_id is not None:
        subject = get_volunteer(session, scope, volunteer_id).full_name
        village_code = None
    elif village_code:
        subject = get_village(session, scope, code=village_code).label_th
    else:
        abort(400, description=_("Choose a volunteer or a village to record a visit."))
    if request.method == "GET":
        form.visited_on.data = today_bangkok(utcnow())
    if form.validate_on_submit():
        record_visit(
            session,
            scope=scope,
            officer_id=current_user.id,
            visited_on=form.visited_on.data,
            volunteer_id=volunteer_id,
            village_code=village_code,
            helped_learn=form.helped_learn.data,
            checked_device=form.checked_device.data,
            paired_buddy=form.paired_buddy.data,
            note=form.note.data or "",
        )
        session.commit()
        flash(_("Visit recorded."), "success")
        return redirect(url_for(".visit_list"))
    return render_template(
        "mentoring/visit.html",
        form=form,
        subject=subject,
        volunteer_id=volunteer_id,
        village_code=village_code,
    )


@bp.get("/mentoring/devices")
def devices():
    """Per village, who lacks a usable device (none, shared, a failed check) or has not said."""
    session = get_session()
    scope = current_scope()
    filters = parse_filters(request.args, scope)
    today = today_bangkok(utcnow())
    villages = device_gaps(session, plan=plan_or_none(), scope=scope, filters=filters, today=today)
    subjects = [uid for v in villages for uid, *_rest in v.lacking + v.unknown]
    record(
        session,
        actor_id=current_user.id,
        action="volunteers.list",
        subjects=subjects,
        area_code=filters.area_code or scope.area_code,
        page="devices",
    )
    session.commit()
    return render_template(
        "mentoring/devices.html",
        villages=villages,
        filters=filters,
        choices=area_choices(
            session, scope, district=filters.district, subdistrict=filters.subdistrict
        ),
    )


@bp.route("/mentoring/buddies", methods=["GET", "POST"])
def buddies():
    """A village's buddy pairs, and a form to pair a new volunteer with a ready one."""
    session = get_session()
    scope = current_scope()
    code = request.values.get("village", "").strip()
    if not code:
        abort(400, description=_("Choose a village to pair buddies in."))
    village = get_village(session, scope, code=code)
    plan = plan_or_none()
    today = today_bangkok(utcnow())
    state = village_buddies(session, scope=scope, plan=plan, village=village, today=today)
    form = PairForm()
    form.learner_id.choices = [SelectChoice(uid, name) for uid, name in state.learners]
    form.mentor_id.choices = [SelectChoice(uid, name) for uid, name in state.mentors]
    if form.validate_on_submit():
        try:
            pair_buddies(
                session,
                scope=scope,
                plan=plan,
                learner_id=form.learner_id.data,
                mentor_id=form.mentor_id.data,
                officer_id=current_user.id,
                today=today,
                now=utcnow(),
            )
            session.commit()
        except BuddyRefused as refused:
            session.rollback()
            flash(str(REFUSALS[refused.reason]), "error")
        except IntegrityError:  # another officer paired one of them a moment ago
            session.rollback()
            flash(str(REFUSALS["taken"]), "error")
        else:
            flash(_("Buddies paired."), "success")
        return redirect(url_for(".buddies", village=village.code))
    record(
        session,
        actor_id=current_user.id,
        action="volunteers.list",
        subjects=[uid for uid, _name in state.learners + state.mentors],
        area_code=village.code,
        page="buddies",
    )
    session.commit()
    return render_template("mentoring/buddies.html", village=village, state=state, form=form)


@bp.post("/mentoring/buddies/<int:pair_id>/unpair")
def unpair_buddies(pair_id: int):
    """Undo a pair (CSRF-protected POST)."""
    session = get_session()
    village = request.form.get("village", "")
    unpair(session, scope=current_scope(), pair_id=pair_id)
    session.commit()
    flash(_("Buddies unpaired."), "success")
    return redirect(url_for(".buddies", village=village) if village else url_for(".visit_list"))
