"""Clip pages in the studio (upload, status, captions, publish, delete) and the save-data switch."""

from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from werkzeug.exceptions import RequestEntityTooLarge

from ..content.models import Clip, Indicator
from ..db import get_session
from ..errors import DomainError
from ..extensions import csrf
from ..storage import get_storage
from ..web import get_or_404, is_archived, or_404
from . import clips
from .captions import MAX_BYTES as CAPTIONS_MAX_BYTES
from .clip_forms import CaptionsForm, ClipUploadForm
from .tasks import current_tools, queue_processing

bp = Blueprint("clips", __name__)
NOT_FOUND = _l("There is no such clip.")


def _wants_json() -> bool:
    """True for the upload page's XMLHttpRequest (it reads JSON, not a page)."""
    return request.headers.get("X-Requested-With") == "XMLHttpRequest"


def indicator_url(number: int) -> str:
    """The studio workspace of an indicator."""
    return url_for("studio.workspace.indicator", number=number)


def _megabytes(size: int) -> str:
    """A size limit for people: "200 MB", or "20 KB" below a megabyte."""
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / (1024 * 1024):.0f} MB"


def _upload_page(indicator: Indicator, form: ClipUploadForm, status: int = 200):
    limit = current_app.config["CLIP_MAX_BYTES"]
    if _wants_json() and status != 200:
        errors = [str(e) for e in (*form.errors.get("csrf_token", []), *form.file.errors)]
        errors = errors or [_("The upload was refused.")]
        return jsonify(error=" ".join(errors)), status
    page = render_template(
        "media/clip_upload.html",
        indicator=indicator,
        form=form,
        max_bytes=limit,
        max_size=_megabytes(limit),
        back_url=indicator_url(indicator.number),
    )
    return page, status


@bp.route("/indicators/<int(max=999):number>/clips/new", methods=["GET", "POST"])
@csrf.exempt  # the app-wide check would read the body before the role check, under the
# 16 MB page limit; ClipUploadForm (a FlaskForm) checks the CSRF token itself below.
def upload_clip(number: int):
    """Upload a clip: checked by content, stored, then processed by a background job."""
    indicator = or_404(
        get_session().scalar(select(Indicator).where(Indicator.number == number)),
        _("There is no indicator %(number)d.", number=number),
    )
    if request.method == "POST":
        request.max_content_length = current_app.config["CLIP_MAX_BYTES"]
    form = ClipUploadForm(formdata=None)
    try:
        if request.method == "POST":
            form = ClipUploadForm()  # reads the body (streamed by Werkzeug to a temp file)
    except RequestEntityTooLarge:
        message = _(
            "The file is larger than the %(size)s limit for clips.",
            size=_megabytes(current_app.config["CLIP_MAX_BYTES"]),
        )
        form.file.errors = [message]
        return _upload_page(indicator, form, 413)
    if not form.validate_on_submit():
        return _upload_page(indicator, form, 400 if form.is_submitted() else 200)
    session = get_session()
    tools = current_tools()
    upload = form.file.data
    try:
        clip = clips.upload_clip(
            session, get_storage(), indicator, upload.stream, upload.filename, tools,
            current_user.id,
        )  # fmt: skip
    except DomainError as error:
        session.rollback()
        form.file.errors = [str(error)]
        return _upload_page(indicator, form, 400)
    session.commit()
    if clip.state == "processing" and not queue_processing(clip.id):
        flash(_("The clip is saved, but its processing could not be queued yet."), "error")
    elif clip.state == "processing":
        flash(_("Uploaded. The poster and the low-data version are being made."))
    else:
        flash(_("Uploaded. ffmpeg is not installed, so there is no poster or low-data version."))
    target = url_for("studio.clips.clip", clip_id=clip.id)
    if _wants_json():
        return jsonify(url=target, state=clip.state)
    return redirect(target)


@bp.get("/clips/<int:clip_id>")
def clip(clip_id: int):
    """A clip's status (processing / ready / failed and why), captions, publish and delete."""
    session = get_session()
    found = get_or_404(session, Clip, clip_id, description=NOT_FOUND, unless=is_archived)
    return render_template(
        "media/clip_show.html",
        clip=found,
        shown=clips.shown_clip(session, found.indicator_id),
        indicator=found.indicator,
        captions_form=CaptionsForm(),
        back_url=indicator_url(found.indicator.number),
    )


@bp.get("/clips/<int:clip_id>/status.json")
def clip_status(clip_id: int):
    """The clip's processing state, polled by the clip page while it is processing."""
    found = get_or_404(get_session(), Clip, clip_id, description=NOT_FOUND, unless=is_archived)
    return jsonify(
        state=found.state,
        error=found.error,
        duration=found.duration,
        poster=url_for("site.content.media", path=found.poster_path) if found.poster_path else None,
        low_size=found.low_size,
        phone_size=found.phone_size,
    )


@bp.post("/clips/<int:clip_id>/captions")
def clip_captions(clip_id: int):
    """Upload WebVTT captions for a clip (validated; a script tag is refused)."""
    found = get_or_404(get_session(), Clip, clip_id, description=NOT_FOUND, unless=is_archived)
    form = CaptionsForm()
    if not form.validate_on_submit():
        for error in form.file.errors:
            flash(str(error), "error")
        return redirect(url_for("studio.clips.clip", clip_id=found.id))
    session = get_session()
    data = form.file.data.stream.read(CAPTIONS_MAX_BYTES + 1)
    try:
        unused = clips.attach_captions(session, get_storage(), found, data, current_user.id)
    except DomainError as error:
        session.rollback()
        flash(_("Captions refused: %(reason)s", reason=str(error)), "error")
        return redirect(url_for("studio.clips.clip", clip_id=clip_id))
    session.commit()
    _delete_files(unused)
    flash(_("Captions saved."))
    return redirect(url_for("studio.clips.clip", clip_id=found.id))


@bp.post("/clips/<int:clip_id>/publish")
def publish_clip(clip_id: int):
    """Publish a ready clip while the indicator shows no other (the lesson shows its one
    published clip)."""
    return _change(clip_id, clips.publish_clip, _("Published: volunteers can see the clip."))


@bp.post("/clips/<int:clip_id>/show")
def show_clip_instead(clip_id: int):
    """Make this clip the one volunteers see, in place of the clip shown so far."""
    return _change(
        clip_id,
        clips.show_clip_instead,
        _("Volunteers now see this clip; the one shown before is a draft again."),
    )


@bp.post("/clips/<int:clip_id>/unpublish")
def unpublish_clip(clip_id: int):
    """Take a clip back to draft."""
    return _change(clip_id, clips.unpublish_clip, _("Unpublished: the clip is a draft again."))


def _change(clip_id: int, action, done: str):
    """Run a publish-like service on a clip, commit, and say what happened."""
    found = get_or_404(get_session(), Clip, clip_id, description=NOT_FOUND, unless=is_archived)
    session = get_session()
    try:
        action(session, found, current_user.id)
    except DomainError as error:
        session.rollback()
        flash(str(error), "error")
    else:
        session.commit()
        flash(done)
    return redirect(url_for("studio.clips.clip", clip_id=clip_id))


@bp.post("/clips/<int:clip_id>/delete")
def delete_clip(clip_id: int):
    """Delete a draft clip (archived instead when volunteers may have seen it)."""
    found = get_or_404(get_session(), Clip, clip_id, description=NOT_FOUND, unless=is_archived)
    number = found.indicator.number
    session = get_session()
    try:
        archived, unused = clips.delete_clip(session, found, current_user.id)
    except DomainError as error:
        session.rollback()
        flash(str(error), "error")
        return redirect(url_for("studio.clips.clip", clip_id=clip_id))
    session.commit()
    _delete_files(unused)
    flash(
        _("Clip archived: it was shown before, so it is kept.") if archived else _("Clip deleted.")
    )
    return redirect(indicator_url(number))


def _delete_files(keys: list[str]) -> None:
    storage = get_storage()
    for key in keys:
        storage.delete(key)
