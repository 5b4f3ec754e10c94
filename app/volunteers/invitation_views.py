"""Officers' invitation codes and QR posters, one per village of their area."""

from __future__ import annotations

import io
import logging
import zipfile
from collections.abc import Iterator, Mapping

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    stream_with_context,
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
MAX_POSTERS_PER_ZIP = 400  # a district has at most a few hundred villages


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


def _poster_text(village: Village) -> tuple[str, str, list[str]]:
    """(village code, invitation code, lines) a poster shows, read while the session is open."""
    sub = village.subdistrict
    lines = [
        f"หมู่ {village.moo} {village.name_th}",
        f"ต.{sub.name_th} อ.{sub.district.name_th} จ.{sub.district.province.name_th}",
    ]
    return village.code, village.invite_code or "", lines


def _poster_png(text: tuple[str, str, list[str]]) -> bytes:
    """One village's poster as PNG bytes (raises PosterUnavailable without the fonts)."""
    _code, invite, lines = text
    return render_poster(
        url=url_for("site.volunteers.join", code=invite, _external=True),
        code=invite,
        village_lines=lines,
        font_dir=current_app.config["FONT_DIR"],
    )


class _Chunks(io.RawIOBase):
    """A write-only, unseekable file that hands what was written to a generator."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:  # type: ignore[override]
        self.parts.append(bytes(data))
        return len(data)

    def take(self) -> bytes:
        data, self.parts = b"".join(self.parts), []
        return data


def _zip_stream(posters: list[tuple[str, str, list[str]]], first: bytes) -> Iterator[bytes]:
    """A ZIP of the villages' posters (the first one drawn already), one PNG at a time (PNGs
    are compressed, so they are stored as they are): memory holds one poster at a time."""
    sink = _Chunks()
    with zipfile.ZipFile(sink, "w", zipfile.ZIP_STORED) as archive:
        for index, text in enumerate(posters):
            png = first if index == 0 else _poster_png(text)
            archive.writestr(f"invitation-{text[0]}.png", png)
            yield sink.take()
    yield sink.take()


@bp.get("/invitations/posters.zip")
def invitation_posters_zip():
    """Every poster of a district or subdistrict (those with a code) in one ZIP, streamed."""
    session = get_session()
    scope = current_scope()
    district, subdistrict = _area_args(request.args)
    area = subdistrict or district
    if len(area or scope.prefix or "") < 4:
        abort(
            400,
            description=_(
                "Choose a district or a subdistrict: one ZIP holds the posters of one "
                "district at most."
            ),
        )
    total, without_code = count_villages(session, scope, area)
    if total - without_code > MAX_POSTERS_PER_ZIP:
        abort(400, description=_("Too many villages for one ZIP: choose a subdistrict."))
    villages = [v for v in villages_in_scope(session, scope, area) if v.invite_code]
    if not villages:
        abort(404, description=_("These villages have no invitation codes yet: create them first."))
    posters = [_poster_text(village) for village in villages]
    try:  # a missing font fails here, before the download starts, not in its middle
        first = _poster_png(posters[0])
    except PosterUnavailable as error:
        log.error("invitation posters: %s", error)
        abort(503, description=_("The poster cannot be drawn: the Thai fonts are missing."))
    log.info("officer %s downloaded %s invitation posters", current_user.id, len(posters))
    name = f"invitation-posters-{area or scope.prefix}.zip"
    return Response(
        stream_with_context(_zip_stream(posters, first)),
        mimetype="application/zip",
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Cache-Control": "private, no-cache",
        },
    )


@bp.get("/invitations/<string(length=8):village_code>.png")
def invitation_poster(village_code: str):
    """The village's A4 poster: QR code of its join link, in Thai."""
    village = _village_or_404(village_code)
    if not village.invite_code:
        abort(404, description=_("This village has no invitation code yet: create it first."))
    try:
        png = _poster_png(_poster_text(village))
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
