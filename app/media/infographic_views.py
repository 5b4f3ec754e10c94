"""Infographic pages in the studio: upload, the infographic with its variants and alt texts,
publish, unpublish, delete."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from werkzeug.exceptions import RequestEntityTooLarge

from ..content.models import Indicator, Infographic
from ..db import get_session
from ..errors import DomainError
from ..extensions import csrf
from ..storage import get_storage
from ..web import get_or_404, is_archived, or_404
from . import infographics as services
from .forms import AltTextForm, InfographicUploadForm
from .images import pixel_limit
from .infographics import megabytes

bp = Blueprint("infographics", __name__)
NOT_FOUND = _l("There is no such infographic.")

FORM_OVERHEAD = 1024 * 1024  # room for the alt texts and the multipart framing


def _pixel_limit() -> int:
    """The pixels an upload may have: the configured limit, lowered by the memory budget."""
    config = current_app.config
    return pixel_limit(config["IMAGE_MAX_PIXELS"], config["IMAGE_MAX_MEMORY"])


def _upload_page(indicator: Indicator, form: InfographicUploadForm, status: int = 200):
    limit = current_app.config["IMAGE_MAX_BYTES"]
    page = render_template(
        "media/infographic_upload.html",
        indicator=indicator,
        form=form,
        max_size=megabytes(limit),
        max_pixels=f"{_pixel_limit():,}",
    )
    return page, status


@bp.route("/indicators/<int(max=999):number>/infographics/new", methods=["GET", "POST"])
@csrf.exempt  # the app-wide check would read the body under the 16 MB page limit before the
# role check; InfographicUploadForm (a FlaskForm) checks the CSRF token itself below.
def upload_infographic(number: int):
    """Upload an infographic: checked by content, cleaned, stored with its width variants."""
    indicator = or_404(
        get_session().scalar(select(Indicator).where(Indicator.number == number)),
        _("There is no indicator %(number)d.", number=number),
    )
    limit = current_app.config["IMAGE_MAX_BYTES"]
    form = InfographicUploadForm(formdata=None)
    if request.method == "POST":
        request.max_content_length = limit + FORM_OVERHEAD
        try:
            form = InfographicUploadForm()  # reads the body
        except RequestEntityTooLarge:
            form.file.errors = [
                _("The file is larger than the %(size)s limit for images.", size=megabytes(limit))
            ]
            return _upload_page(indicator, form, 413)
    if not form.validate_on_submit():
        return _upload_page(indicator, form, 400 if form.is_submitted() else 200)
    session = get_session()
    upload = form.file.data
    try:
        image = services.upload_infographic(
            session,
            get_storage(),
            indicator,
            upload.stream.read(limit + 1),
            upload.filename,
            form.alt_th.data,
            form.alt_en.data or "",
            max_bytes=limit,
            max_pixels=current_app.config["IMAGE_MAX_PIXELS"],
            max_memory=current_app.config["IMAGE_MAX_MEMORY"],
            user_id=current_user.id,
        )
    except DomainError as error:
        session.rollback()
        form.file.errors = [str(error)]
        return _upload_page(indicator, form, 400)
    session.commit()
    flash(_("Uploaded as a draft. Check the picture, then publish it."))
    return redirect(url_for("studio.infographics.infographic", infographic_id=image.id))


@bp.route("/infographics/<int:infographic_id>", methods=["GET", "POST"])
def infographic(infographic_id: int):
    """An infographic: the picture, its variants and sizes, alt texts (POST), publish, delete."""
    image = get_or_404(
        get_session(), Infographic, infographic_id, description=NOT_FOUND, unless=is_archived
    )
    form = AltTextForm(obj=image)
    if form.validate_on_submit():
        session = get_session()
        changed = services.update_alt(
            session, image, form.alt_th.data, form.alt_en.data or "", current_user.id
        )
        session.commit()
        flash(_("Alt texts saved.") if changed else _("Nothing changed."))
        return redirect(url_for("studio.infographics.infographic", infographic_id=image.id))
    shown = services.shown_infographic(image.indicator)
    return render_template(
        "media/infographic_show.html",
        image=image,
        indicator=image.indicator,
        form=form,
        shown=shown,
    ), (400 if form.is_submitted() else 200)


def _change(infographic_id: int, action: Callable, done: str):
    """Run a publish-like service on an infographic, commit, and say what happened."""
    image = get_or_404(
        get_session(), Infographic, infographic_id, description=NOT_FOUND, unless=is_archived
    )
    session = get_session()
    action(session, image, current_user.id)
    session.commit()
    flash(done)
    return redirect(url_for("studio.infographics.infographic", infographic_id=infographic_id))


@bp.post("/infographics/<int:infographic_id>/publish")
def publish_infographic(infographic_id: int):
    """Publish: volunteers see the first published infographic of the indicator."""
    return _change(
        infographic_id,
        services.publish_infographic,
        _("Published: volunteers can see the infographic."),
    )


@bp.post("/infographics/<int:infographic_id>/unpublish")
def unpublish_infographic(infographic_id: int):
    """Take an infographic back to draft."""
    return _change(
        infographic_id,
        services.unpublish_infographic,
        _("Unpublished: the infographic is a draft again."),
    )


@bp.post("/infographics/<int:infographic_id>/delete")
def delete_infographic(infographic_id: int):
    """Delete a draft infographic (archived instead when volunteers may have seen it)."""
    image = get_or_404(
        get_session(), Infographic, infographic_id, description=NOT_FOUND, unless=is_archived
    )
    number = image.indicator.number
    session = get_session()
    try:
        archived, unused = services.delete_infographic(session, image, current_user.id)
    except DomainError as error:
        session.rollback()
        flash(str(error), "error")
        return redirect(url_for("studio.infographics.infographic", infographic_id=infographic_id))
    session.commit()
    storage = get_storage()
    for key in unused:
        storage.delete(key)
    flash(
        _("Infographic archived: volunteers saw it before, so it is kept.")
        if archived
        else _("Infographic deleted.")
    )
    return redirect(url_for("studio.workspace.indicator", number=number))
