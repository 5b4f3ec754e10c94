"""Field-visit sheets: one A4 page per village of a subdistrict, with the volunteers' mobile
numbers, for officers who visit villages with paper."""

from __future__ import annotations

import itertools

from flask import Blueprint, abort, render_template, request
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user

from ..areas.access import current_scope
from ..areas.services import area_label
from ..auth.audit import record
from ..db import get_session, utcnow
from ..readiness.progress import today_bangkok
from .filters import parse_filters
from .list_views import TYPE_NAMES_TH
from .lists import ReadinessRow, readiness_page
from .views import STATE_LABELS, plan_or_none, thai_labels

bp = Blueprint("sheets", __name__)

SHEET_LIMIT = 3000  # volunteers on one print-out (a subdistrict has far fewer)


def by_village(rows: list[ReadinessRow]) -> list[list[ReadinessRow]]:
    """Rows ordered by village, cut into one list per village."""
    return [list(group) for _code, group in itertools.groupby(rows, lambda r: r.village_code)]


@bp.get("/volunteers/village-sheets")
def village_sheets():
    """One page per village of the chosen subdistrict (or the one village): names in Thai
    order, mobile numbers, state and room for notes. Audited as an export."""
    session = get_session()
    scope = current_scope()
    filters = parse_filters(request.args, scope)
    if not (filters.subdistrict or filters.village):
        abort(400, description=_("Choose a subdistrict first: the sheets have a page per village."))
    plan = plan_or_none()
    now = utcnow()
    page = readiness_page(
        session,
        plan=plan,
        scope=scope,
        filters=filters,
        today=today_bangkok(now),
        sort="village",
        per_page=SHEET_LIMIT,
    )
    rows, cut = page.rows, page.total > SHEET_LIMIT
    record(
        session,
        actor_id=current_user.id,
        action="volunteers.export",
        subjects=[row.user_id for row in rows],
        area_code=filters.area_code,
        format="village-sheet",
    )
    session.commit()
    with force_locale("th"):
        html = render_template(
            "officers/village_sheets.html",
            villages=by_village(rows),
            cut=cut,
            limit=SHEET_LIMIT,
            plan=plan,
            now=now,
            area=area_label(session, filters.area_code),
            args=filters.as_args(),
            state_names=thai_labels(STATE_LABELS),
            type_names=TYPE_NAMES_TH,
        )
    return html, 200, {"Cache-Control": "no-store"}
