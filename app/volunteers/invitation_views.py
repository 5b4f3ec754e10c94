"""Officers' invitation codes and QR posters, one per village of their area."""

from __future__ import annotations

import logging
from collections.abc import Mapping

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from ..areas.access import OutOfScope, current_scope, get_village
from ..areas.models import Village
from ..areas.services import area_choices
from ..db import get_session
from .invites import ensure_codes, rotate_code
from .poster import PosterUnavailable, render_poster
from .services import count_villages, villages_in_scope

bp = Blueprint("invitations", __name__)

log = logging.getLogger(__name__)
PER_PAGE = 50


def _area_args(values: Mapping[str, str]) -> tuple[str, str]:
    """(district, subdistrict) from the query or form: 400 if malformed, 404 if outside."""
    district = values.get("district", "").strip()
    subdistrict = values.get("subdistrict", "").strip()
    for code, length in ((district, 4), (subdistrict, 6)):
        if code and not (len(code) == length and code.isdigit()):
            abort(400, description=_("The area code is not valid."))
    if district and subdistrict and not subdistrict.startswith(district):
        subdistrict = ""  # the district changed in the picker: its old subdistrict goes
    scope = current_scope()
    for code in (district, subdistrict):
        if code and not scope.overlaps(code):
            abort(404, description=_("There is no such area in your scope."))
    return district, subdistrict


def _village_or_404(code: str) -> Village:
    """A village of the officer's area (the access module's lookup), else 404 with the
    volunteers' own wording."""
    try:
        return get_village(get_session(), current_scope(), code=code)
    except OutOfScope:
        abort(404, description=_("There is no such village in your area."))


def _page() -> int:
    """The page number from the query (400 if not a positive number)."""
    raw = request.args.get("page", "1")
    if not raw.isdigit() or int(raw) < 1:
        abort(400, description=_("The page number is not valid."))
    return int(raw)


@bp.get("/invitations")
def invitations():
    """The villages of the area with their invitation codes, posters and rotate buttons."""
    session = get_session()
    scope = current_scope()
    district, subdistrict = _area_args(request.args)
    area = subdistrict or district
    page = _page()
    total, without_code = count_villages(session, scope, area)
    villages = villages_in_scope(session, scope, area, limit=PER_PAGE, offset=(page - 1) * PER_PAGE)
    return render_template(
        "volunteers/invitations.html",
        villages=villages,
        choices=area_choices(session, scope, district=district, subdistrict=subdistrict),
        district=district,
        subdistrict=subdistrict,
        total=total,
        without_code=without_code,
        page=page,
        pages=max(1, -(-total // PER_PAGE)),
    )


@bp.post("/invitations")
def create_invitations():
    """Create the missing invitation codes of the listed villages (all pages of the filter)."""
    session = get_session()
    district, subdistrict = _area_args(request.form)
    villages = villages_in_scope(session, current_scope(), subdistrict or district)
    created = ensure_codes(session, villages)
    session.commit()
    log.info("officer %s created %s invitation codes", current_user.id, created)
    flash(_("%(count)s invitation codes created.", count=created), "success")
    return redirect(
        url_for(
            "officer.invitations.invitations",
            district=district or None,
            subdistrict=subdistrict or None,
        )
    )


@bp.post("/invitations/<string(length=8):village_code>/rotate")
def rotate_invitation(village_code: str):
    """Give the village a new code: posters with the old one stop working."""
    session = get_session()
    village = _village_or_404(village_code)
    rotate_code(session, village)
    session.commit()
    log.info("officer %s rotated the invitation of village %s", current_user.id, village.code)
    flash(_("New invitation code for %(village)s. Print the new poster.", village=village.label_th))
    sub = village.subdistrict_code
    return redirect(url_for("officer.invitations.invitations", district=sub[:4], subdistrict=sub))


@bp.get("/invitations/<string(length=8):village_code>.png")
def invitation_poster(village_code: str):
    """The village's A4 poster: QR code of its join link, in Thai."""
    village = _village_or_404(village_code)
    if not village.invite_code:
        abort(404, description=_("This village has no invitation code yet: create it first."))
    sub = village.subdistrict
    lines = [
        f"หมู่ {village.moo} {village.name_th}",
        f"ต.{sub.name_th} อ.{sub.district.name_th} จ.{sub.district.province.name_th}",
    ]
    try:
        png = render_poster(
            url=url_for("site.volunteers.join", code=village.invite_code, _external=True),
            code=village.invite_code,
            village_lines=lines,
            font_dir=current_app.config["FONT_DIR"],
        )
    except PosterUnavailable as error:
        log.error("invitation poster: %s", error)
        abort(503, description=_("The poster cannot be drawn: the Thai fonts are missing."))
    return Response(
        png,
        mimetype="image/png",
        headers={
            "Content-Disposition": f'inline; filename="invitation-{village.code}.png"',
            "Cache-Control": "private, no-cache",
        },
    )
