"""Admins: erase a volunteer's personal data, read and export the audit log."""

from __future__ import annotations

from collections.abc import Iterator

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.audit import ACTIONS, record
from ..auth.models import User
from ..db import get_session, utcnow
from ..i18n import format_date_be
from ..officers.exports import csv_response, xlsx_response
from .auditlog import AuditRow, BadAuditFilter, audit_page, iter_audit, parse_audit_filters
from .erasure import NotErasable, erasable, erase_volunteer
from .forms import CONFIRM_WORD, EraseForm
from .labels import ACTION_LABELS, action_label, role_label

bp = Blueprint("personal_data", __name__)

EXPORT_FORMATS = ("csv", "xlsx")
# Exports are for Thai offices: Thai headers and words whatever the UI language.
EXPORT_HEADER = [
    "เลขที่รายการ",
    "วันเวลา (เวลาประเทศไทย)",
    "การดำเนินการ",
    "ผู้ดำเนินการ",
    "บทบาท",
    "รหัสบัญชีผู้ดำเนินการ",
    "รหัสพื้นที่",
    "จำนวนบุคคล",
    "รหัสบัญชีของบุคคล",
]


@bp.route("/volunteers/<int:user_id>/erase", methods=["GET", "POST"])
def erase(user_id: int):
    """Erase a volunteer's name, mobile and ID (confirmed by typing a word)."""
    session = get_session()
    try:
        user = erasable(session, user_id)
    except NotErasable:
        abort(404, description=_("There is no such volunteer, or their data is erased already."))
    form = EraseForm()
    if not form.validate_on_submit():
        status = 400 if form.is_submitted() else 200
        page = render_template("privacy/erase.html", form=form, user=user, word=CONFIRM_WORD)
        return page, status, {"Cache-Control": "no-store"}
    try:
        erase_volunteer(session, user_id, actor_id=current_user.id, now=utcnow())
        session.commit()
    except NotErasable:  # erased by another admin meanwhile
        session.rollback()
        abort(404, description=_("There is no such volunteer, or their data is erased already."))
    flash(_("The volunteer's personal data has been erased (account %(id)s).", id=user_id))
    return redirect(url_for("admin.personal_data.audit_log", subject=user_id), 303)


def _filters():
    session = get_session()
    try:
        return parse_audit_filters(session, request.args), None
    except BadAuditFilter as error:
        return None, str(error)


@bp.get("/audit")
def audit_log():
    """The personal-data audit log, newest first, filtered."""
    filters, error = _filters()
    rows: list[AuditRow] = []
    next_before = None
    if filters is not None:
        before = request.args.get("before", type=int)
        rows, next_before = audit_page(get_session(), filters, before)
    page = render_template(
        "privacy/audit.html",
        rows=rows,
        filters=filters,
        error=error,
        args=request.args,
        next_before=next_before,
        actions=[(a, ACTION_LABELS[a]) for a in ACTIONS],
        action_label=action_label,
        role_label=role_label,
    )
    return page, 400 if error else 200, {"Cache-Control": "no-store"}


def _cells(row: AuditRow) -> list:
    with force_locale("th"):
        return [
            row.id,
            format_date_be(row.at, with_time=True),
            action_label(row.action),
            row.actor_name or "",
            role_label(row.actor_role),
            row.actor_id,
            row.area_code or "",
            row.subject_count,
            " ".join(str(i) for i in row.subject_ids),
        ]


def _exists(session, user_id: int | None) -> bool:
    return user_id is not None and session.get(User, user_id) is not None


@bp.get("/audit/export.<fmt>")
def export_audit(fmt: str):
    """The filtered audit log as CSV or Excel (Thai headers, Buddhist-era dates); the export
    is itself recorded."""
    if fmt not in EXPORT_FORMATS:
        abort(404)
    filters, error = _filters()
    if filters is None:
        abort(400, description=error)
    session = get_session()
    rows = list(iter_audit(session, filters))
    record(
        session,
        actor_id=current_user.id,
        action="audit.export",
        subjects=[filters.subject] if _exists(session, filters.subject) else [],
        area_code=filters.area or None,
        format=fmt,
        rows=len(rows),
        filters=sorted(filters.args()),
    )
    session.commit()
    cells: Iterator[list] = (_cells(row) for row in rows)
    filename = f"บันทึกการเข้าถึงข้อมูลส่วนบุคคล-{utcnow().date().isoformat()}.{fmt}"
    if fmt == "csv":
        return csv_response(filename, EXPORT_HEADER, cells)
    return xlsx_response(filename, "บันทึกการเข้าถึง", EXPORT_HEADER, cells)
