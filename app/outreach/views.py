"""Officers' LINE tools: groups of their area, reminders with a preview, the outbox, and
printable QR codes of the lessons' short links."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from ..areas.access import OutOfScope, current_scope
from ..areas.models import ZONES
from ..areas.services import area_label
from ..content.models import Indicator
from ..db import get_session, utcnow
from ..readiness.progress import today_bangkok
from ..readiness.services import active_plan
from .forms import GroupForm, ReminderForm
from .models import LineGroup
from .services import (
    BadGroup,
    add_group,
    compose_reminder,
    count_not_ready,
    get_group,
    groups_in_scope,
    messages_in_scope,
    queue_reminder,
    remove_group,
)
from .share import qr_file, short_url
from .tasks import dispatch, line_settings

bp = Blueprint("outreach", __name__)

ZONE_NAMES = {"north": "โซนเหนือ", "central": "โซนกลาง", "south": "โซนใต้"}
ZONE_CHOICES = {"north": _l("North zone"), "central": _l("Central zone"), "south": _l("South zone")}
QR_TYPES = {"png": "image/png", "svg": "image/svg+xml"}
HOME = -1  # the reminder links to the volunteers' start page


def group_area_name(group: LineGroup) -> str:
    """The Thai name of a group's area ("อ.เมืองน่าน", "โซนเหนือ จ.น่าน")."""
    label = area_label(get_session(), group.area_code)
    return f"{ZONE_NAMES[group.zone]} {label}" if group.zone else label


def _group_form() -> GroupForm:
    form = GroupForm()
    prefix = current_scope().prefix or ""
    zones = [("", _("No zone"))]
    if len(prefix) <= 2:  # zones: admins and officers of a whole province
        zones += [(z, str(ZONE_CHOICES[z])) for z in ZONES]
    form.zone.choices = zones
    return form


def _render_groups(form: GroupForm, status: int = 200):
    session = get_session()
    groups = groups_in_scope(session, current_scope())
    names = {g.id: group_area_name(g) for g in groups}
    body = render_template(
        "outreach/groups.html",
        form=form,
        groups=groups,
        names=names,
        line_on=line_settings().ready,
    )
    return body, status


@bp.get("/line/groups")
def groups():
    """The LINE groups of the officer's area, and the form to add one."""
    return _render_groups(_group_form())


@bp.post("/line/groups")
def add():
    """Register a LINE group for an area in the officer's scope."""
    form = _group_form()
    if not form.validate_on_submit():
        return _render_groups(form, 400)
    zone = form.zone.data or None
    area_code = form.area_code.data or ""
    if zone:
        area_code = (current_scope().prefix or "")[:2] or area_code
    session = get_session()
    try:
        add_group(
            session,
            current_scope(),
            area_code=area_code,
            zone=zone,
            group_id=form.group_id.data,
            name=form.name.data,
            created_by_id=current_user.id,
        )
    except (BadGroup, OutOfScope):
        session.rollback()
        form.area_code.errors = [_("There is no such area in your scope.")]
        return _render_groups(form, 400)
    session.commit()
    flash(_("The LINE group was added."), "success")
    return redirect(url_for(".groups"))


@bp.post("/line/groups/<int:group_pk>/remove")
def remove(group_pk: int):
    """Stop offering a group for reminders (what was sent to it stays in the outbox)."""
    session = get_session()
    remove_group(session, get_group(session, current_scope(), group_pk))
    session.commit()
    flash(_("The LINE group was removed."), "success")
    return redirect(url_for(".groups"))


def _reminder_form(groups: list[LineGroup]) -> ReminderForm:
    form = ReminderForm()
    form.group.choices = [(g.id, f"{g.name} ({group_area_name(g)})") for g in groups]
    lessons = get_session().execute(
        select(Indicator.number, Indicator.title_th).order_by(Indicator.number)
    )
    form.lesson.choices = [(HOME, _("The volunteers' start page"))] + [
        (number, f"{number}. {title}") for number, title in lessons
    ]
    return form


def _reminder_text(group: LineGroup, form: ReminderForm) -> tuple[str, int]:
    """The reminder's text for the chosen group and its not-ready count."""
    session = get_session()
    counts = count_not_ready(
        session, current_scope(), group, active_plan(session), today_bangkok(utcnow())
    )
    lesson = form.lesson.data
    link = (
        short_url(lesson)
        if lesson not in (None, HOME)
        else url_for("site.readiness.home", _external=True)
    )
    text = compose_reminder(group_area_name(group), counts.not_ready, form.deadline.data, link)
    return text, counts.not_ready


@bp.route("/line/remind", methods=["GET", "POST"])
def remind():
    """Compose a reminder to a group: preview the text, then send it through the outbox."""
    session = get_session()
    scope = current_scope()
    groups = groups_in_scope(session, scope)
    form = _reminder_form(groups)
    preview = None
    if form.is_submitted():
        if not form.validate():
            if form.group.data and not any(g.id == form.group.data for g in groups):
                abort(404, description=_("There is no such LINE group in your area."))
            body = render_template(
                "outreach/remind.html", form=form, preview=None, line_on=line_settings().ready
            )
            return body, 400
        group = get_group(session, scope, form.group.data)
        text, _count = _reminder_text(group, form)
        if form.send.data:
            message = queue_reminder(session, group, text, current_user.id)
            session.commit()
            dispatch(message.id)
            flash(_("The reminder was put in the outbox."), "success")
            return redirect(url_for(".outbox"))
        preview = text
    return render_template(
        "outreach/remind.html", form=form, preview=preview, line_on=line_settings().ready
    )


@bp.get("/line/outbox")
def outbox():
    """The reminders sent (or not) to the groups of the officer's area, newest first."""
    session = get_session()
    messages = messages_in_scope(session, current_scope())
    response = Response(
        render_template("outreach/outbox.html", messages=messages, line_on=line_settings().ready)
    )
    response.cache_control.no_store = True
    return response


@bp.get("/lessons/share")
def lessons():
    """Every lesson with its short link and QR codes to print or download."""
    rows = get_session().execute(
        select(Indicator.number, Indicator.title_th).order_by(Indicator.number)
    )
    items = [(number, title, short_url(number)) for number, title in rows]
    return render_template("outreach/lessons.html", items=items)


@bp.get("/lessons/<int(max=999):number>/qr.<kind>")
def lesson_qr(number: int, kind: str):
    """A lesson's QR code (of its short link) as a PNG or SVG file to print."""
    if kind not in QR_TYPES:
        abort(404)
    found = get_session().scalar(select(Indicator.id).where(Indicator.number == number))
    if found is None:
        abort(404, description=_("There is no indicator %(number)d.", number=number))
    response = Response(qr_file(short_url(number), kind), mimetype=QR_TYPES[kind])
    response.headers["Content-Disposition"] = f'attachment; filename="lesson-{number}-qr.{kind}"'
    return response
