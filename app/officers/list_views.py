"""The readiness list: who is registered, training, ready or confirmed; a volunteer's
history; confirming data collectors; CSV/Excel exports and an A4 print-out."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import Session

from ..areas.access import Scope, current_scope
from ..areas.services import area_choices, area_label
from ..auth.audit import record
from ..db import get_session, utcnow
from ..readiness.progress import (
    BANGKOK,
    NotReady,
    confirm_collector,
    get_volunteer,
    is_expired,
    today_bangkok,
    unconfirm_collector,
)
from ..web import safe_next
from . import coverage_wide
from .coverage import ZONE_NAMES_TH
from .exports import Text, csv_response, date_be_th, xlsx_response
from .filters import Filters, parse_filters, wider_than_a_province
from .history import volunteer_history
from .lists import (
    SORTS,
    ReadinessRow,
    iter_readiness,
    matching_ids,
    readiness_page,
    volunteer_state,
)
from .views import STATE_LABELS, plan_or_none, thai_labels

bp = Blueprint("lists", __name__)

PER_PAGE = 50
PRINT_LIMIT = 2000
EXPORT_FORMATS = ("csv", "xlsx")

# Exports and the print-out are for Thai offices: Thai words whatever the UI language.
EXPORT_HEADER = [
    "ชื่อ-สกุล",
    "เบอร์มือถือ",
    "ประเภท",
    "หมู่บ้าน",
    "หมู่ที่",
    "ตำบล",
    "อำเภอ",
    "โซน",
    "สถานะ",
    "ผ่าน (ตัวชี้วัด)",
    "ร้อยละ",
    "พร้อมเมื่อ (เวลาประเทศไทย)",
    "ยืนยันเมื่อ",
]
TYPE_NAMES_TH = {
    "osm": "อสม.",
    "village_head": "ผู้ใหญ่บ้าน",
    "och_leader": "ผู้นำ อช.",
    "kpsm": "กพสม.",
    "other": "อื่น ๆ",
}


def _query() -> tuple[Filters, str, int]:
    """Filters, sort key and page number from the query string (bad values answer 400)."""
    filters = parse_filters(request.args, current_scope())
    sort = request.args.get("sort") or "name"
    page = request.args.get("page", 1, type=int) or 1
    return filters, sort, max(page, 1)


def _local(value: datetime | None) -> str:
    """A UTC instant as Bangkok time in Thai with the Buddhist-era year, as the UI shows it."""
    return date_be_th(value.astimezone(BANGKOK).replace(tzinfo=None)) if value else ""


@bp.get("/volunteers")
def readiness_list():
    """Volunteers in the officer's area with their state under the active plan; a scope
    wider than one province first asks for a province (with its counts)."""
    session = get_session()
    scope = current_scope()
    filters, sort, page_number = _query()
    plan = plan_or_none()
    today = today_bangkok(utcnow())
    choices = area_choices(
        session,
        scope,
        province=filters.province,
        district=filters.district or filters.subdistrict[:4] or filters.village[:4],
        subdistrict=filters.subdistrict or filters.village[:6],
        with_provinces=True,
    )
    context = {
        "plan": plan,
        "expired": plan is not None and is_expired(plan, today),
        "filters": filters,
        "choices": choices,
        "args": filters.as_args(),
        "sort": sort,
        "sorts": SORTS,
        "scope_label": area_label(session, filters.area_code or current_user.area_code),
    }
    if wider_than_a_province(scope, filters):
        provinces = coverage_wide.area_rows(  # the stored counts, summed by the database
            session, plan=plan, scope=scope, filters=Filters(), today=today, level="province"
        )
        provinces.sort(key=lambda area: area.code)
        return render_template("officers/list.html", page=None, provinces=provinces, **context)
    page = readiness_page(
        session,
        plan=plan,
        scope=scope,
        filters=filters,
        today=today,
        sort=sort,
        page=page_number,
        per_page=PER_PAGE,
    )
    record(
        session,
        actor_id=current_user.id,
        action="volunteers.list",
        subjects=[row.user_id for row in page.rows],
        area_code=filters.area_code or scope.area_code,
        page=page.page,
    )
    session.commit()
    return render_template("officers/list.html", page=page, provinces=None, **context)


@bp.get("/volunteers/<int:user_id>")
def volunteer(user_id: int):
    """One volunteer: contact, village, current progress and readiness under every plan."""
    session = get_session()
    scope = current_scope()
    person = get_volunteer(session, scope, user_id)
    record(
        session,
        actor_id=current_user.id,
        action="volunteer.view",
        subjects=[user_id],
        area_code=scope.area_code,
    )
    session.commit()
    plan = plan_or_none()
    today = today_bangkok(utcnow())
    return render_template(
        "officers/volunteer.html",
        person=person,
        plan=plan,
        state=volunteer_state(session, plan=plan, scope=scope, user_id=user_id, today=today),
        history=volunteer_history(session, user_id),
        back=safe_next(request.args.get("next")) or url_for("officer.lists.readiness_list"),
    )


def _back(user_id: int) -> str:
    """Where to go after a confirmation: the posted local `next`, else the detail page."""
    return safe_next(request.form.get("next")) or url_for(
        "officer.lists.volunteer", user_id=user_id
    )


@bp.post("/volunteers/<int:user_id>/confirm")
def confirm(user_id: int):
    """Confirm a ready volunteer as a data collector (the server checks readiness itself)."""
    session = get_session()
    scope = current_scope()
    person = get_volunteer(session, scope, user_id)
    plan = plan_or_none()
    now = utcnow()
    if plan is None:
        flash(_("There is no active training plan, so nobody can be confirmed."), "error")
        return redirect(_back(user_id), 303)
    try:
        confirm_collector(
            session,
            volunteer_id=user_id,
            plan=plan,
            scope=scope,
            officer_id=current_user.id,
            now=now,
        )
    except NotReady:
        session.rollback()
        if is_expired(plan, today_bangkok(now)):
            reason = _("Readiness under this plan has expired: nobody can be confirmed.")
        else:
            reason = _(
                "%(name)s was not confirmed: they have not passed every indicator of the "
                "active plan yet.",
                name=person.full_name,
            )
        flash(reason, "error")
        return redirect(_back(user_id), 303)
    session.commit()
    flash(_("%(name)s is confirmed as a data collector.", name=person.full_name), "success")
    return redirect(_back(user_id), 303)


@bp.post("/volunteers/<int:user_id>/unconfirm")
def unconfirm(user_id: int):
    """Withdraw a volunteer's confirmation as a data collector (they stay ready)."""
    session = get_session()
    scope = current_scope()
    person = get_volunteer(session, scope, user_id)
    plan = plan_or_none()
    if plan is not None:
        unconfirm_collector(session, volunteer_id=user_id, plan=plan, scope=scope)
        session.commit()
        flash(_("%(name)s is no longer confirmed as a data collector.", name=person.full_name))
    return redirect(_back(user_id), 303)


def _cells(row: ReadinessRow, state_names: dict[str, str]) -> list:
    """One export row, in EXPORT_HEADER's order."""
    return [
        row.full_name,
        Text(row.phone),
        TYPE_NAMES_TH.get(row.volunteer_type or "", row.volunteer_type or ""),
        row.village_name,
        row.moo,
        row.subdistrict_name,
        row.district_name,
        ZONE_NAMES_TH.get(row.zone or "", row.zone or ""),
        state_names.get(row.state, row.state),
        f"{row.passed}/{row.required}",
        row.percent,
        _local(row.ready_at),
        _local(row.confirmed_at),
    ]


def _record_export(
    session: Session, scope: Scope, filters: Filters, fmt: str, ids: list[int]
) -> None:
    """Audit an export or print-out (its rows are the subjects) and commit it before any
    row leaves."""
    record(
        session,
        actor_id=current_user.id,
        action="volunteers.export",
        subjects=ids,
        area_code=filters.area_code or scope.area_code,
        format=fmt,
    )
    session.commit()


@bp.get("/volunteers/export.<fmt>")
def export_readiness(fmt: str):
    """The filtered list as CSV or Excel, streamed (Thai column headers)."""
    if fmt not in EXPORT_FORMATS:
        abort(404)
    session = get_session()
    scope = current_scope()
    filters, sort, _page = _query()
    today = today_bangkok(utcnow())
    plan = plan_or_none()
    rows = iter_readiness(  # checks the sort before anything is recorded
        session, plan=plan, scope=scope, filters=filters, today=today, sort=sort
    )
    _record_export(session, scope, filters, fmt, matching_ids(
        session, plan=plan, scope=scope, filters=filters, today=today
    ))  # fmt: skip
    code = filters.area_code or scope.prefix or "all"
    filename = f"ความพร้อมอาสาสมัคร-{code}-{today.isoformat()}.{fmt}"
    state_names = thai_labels(STATE_LABELS)
    cells: Iterator[list] = (_cells(row, state_names) for row in rows)
    if fmt == "csv":
        return csv_response(filename, EXPORT_HEADER, cells, session=session)
    return xlsx_response(filename, "ความพร้อม", EXPORT_HEADER, cells)


@bp.get("/volunteers/print")
def print_readiness():
    """An A4 sign-off sheet of the filtered list, in Thai (up to PRINT_LIMIT rows)."""
    session = get_session()
    scope = current_scope()
    filters, sort, _page = _query()
    plan = plan_or_none()
    now = utcnow()
    page = readiness_page(
        session,
        plan=plan,
        scope=scope,
        filters=filters,
        today=today_bangkok(now),
        sort=sort,
        per_page=PRINT_LIMIT,
    )
    _record_export(session, scope, filters, "print", [row.user_id for row in page.rows])
    with force_locale("th"):
        return render_template(
            "officers/print.html",
            page=page,
            plan=plan,
            filters=filters,
            args=filters.as_args(),
            limit=PRINT_LIMIT,
            now=now,
            area=area_label(session, filters.area_code or current_user.area_code),
            state_names=thai_labels(STATE_LABELS),
            type_names=TYPE_NAMES_TH,
            zone_names=ZONE_NAMES_TH,
        )
