"""Printable certificates (A4 landscape): a ready volunteer's, and a top-5 area's."""

from __future__ import annotations

import segno
from flask import Blueprint, abort, current_app, render_template, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from ..areas.access import OutOfScope, current_scope, get_volunteer
from ..areas.services import area_label
from ..auth.models import Role
from ..db import get_session, utcnow
from ..i18n import format_date_be
from ..readiness.progress import is_expired, today_bangkok
from ..readiness.services import get_readiness
from .rankings import RANKED_LEVELS, ranked_area
from .rules import display_share
from .views import plan_or_none

bp = Blueprint("certificates", __name__)

LEVEL_NAMES_TH = {"village": "หมู่บ้าน", "subdistrict": "ตำบล", "district": "อำเภอ"}


def _issuer(area_code: str) -> str:
    """The issuing office's area: the officer's own, or for an admin the area's province."""
    code = current_user.area_code if current_user.role == Role.OFFICER.value else None
    return area_label(get_session(), code or area_code[:2])


def _thai_date(value) -> str:
    """A Buddhist-era Thai date whatever the UI language (certificates are in Thai)."""
    with force_locale("th"):
        return format_date_be(value)


def _qr_svg(data: str) -> Markup:
    """An inline SVG QR code of a URL we built (no user text), for checking the card.

    Sized by a viewBox only (no width or height), so the CSS box scales the whole code
    instead of cropping it; the standard 4-module quiet zone, on white."""
    qr = segno.make(data, error="m")
    return Markup(qr.svg_inline(border=4, omitsize=True, light="#fff", title=None))


@bp.get("/certificates/volunteer/<int:user_id>")
def volunteer_certificate(user_id: int):
    """A certificate for a volunteer who is ready (or confirmed) under the active plan."""
    scope = current_scope()
    session = get_session()
    volunteer = get_volunteer(session, scope, user_id)
    plan = plan_or_none()
    if plan is None:
        abort(409, description=_("There is no active training plan, so nobody is ready yet."))
    record = get_readiness(session, user_id, plan.id)
    if record is None:
        abort(409, description=_("This volunteer has not passed the training plan yet."))
    if is_expired(plan, today_bangkok(utcnow())):
        abort(409, description=_("Readiness under this training plan has expired."))
    verify_url = url_for("site.readiness.check", code=record.code, _external=True)
    return render_template(
        "officers/certificate.html",
        kind="volunteer",
        volunteer=volunteer,
        village_label=volunteer.village.label_th,
        plan=plan,
        record=record,
        ready_date=_thai_date(record.ready_at),
        issued_date=_thai_date(utcnow()),
        issuer=_issuer(volunteer.village.code),
        qr=_qr_svg(verify_url),
    )


@bp.get("/certificates/<level>/<code>")
def area_certificate(level: str, code: str):
    """A certificate for an area now in the top 5 of its level within the viewer's area."""
    if level not in RANKED_LEVELS:
        abort(404)
    scope = current_scope()
    if not scope.allows(code):
        raise OutOfScope(code)
    session = get_session()
    plan = plan_or_none()
    area = ranked_area(
        session,
        plan=plan,
        scope=scope,
        today=today_bangkok(utcnow()),
        level=level,
        code=code,
        min_needed=max(int(current_app.config.get("RANKING_MIN_NEEDED", 1)), 1),
    )
    if area is None:
        abort(404, description=_("This area is not in the current top 5 of its level."))
    return render_template(
        "officers/certificate.html",
        kind="area",
        area=area,
        level_name=LEVEL_NAMES_TH[level],
        share_text=f"{display_share(area.share):g}",  # half-up, but 99.96 is not 100
        scope_label=area_label(session, scope.prefix or None),
        plan=plan,
        reached_date=_thai_date(area.reached_at) if area.reached_at else "",
        issued_date=_thai_date(utcnow()),
        issuer=_issuer(code),
    )
