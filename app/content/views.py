"""Lesson pages and media files."""

from __future__ import annotations

from pathlib import Path

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    make_response,
    render_template,
    request,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.models import TRAINER_ROLES
from ..db import get_session
from ..storage import BadKey, get_storage, send_stored
from ..web import public
from .lesson_page import build_lesson_page, lesson_page
from .markdown import render_markdown
from .rules import form_parts
from .services import (
    VIDEO_SUFFIXES,
    is_served_video,
    list_categories,
    pocket_summary,
    volunteer_clip,
)
from .signals import lesson_status

bp = Blueprint("content", __name__)

MEDIA_TYPES = {
    ".mp4": "video/mp4",
    ".webm": "video/webm",
    ".vtt": "text/vtt",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".webp": "image/webp",
}
MEDIA_MAX_AGE = 365 * 24 * 3600
FAVICON_MAX_AGE = 7 * 24 * 3600  # its URL never changes, so not for a year


@bp.app_template_filter("markdown")
def markdown_filter(text: str | None):
    """Sanitised Markdown for templates."""
    return render_markdown(text)


@bp.app_template_filter("form_parts")
def form_parts_filter(text: str) -> list[tuple[str, str]]:
    """A questionnaire item's text split into words, blanks and roster numbers."""
    return form_parts(text)


@bp.get("/indicators/<int(max=999):number>")
@public
def lesson(number: int):
    """An indicator's micro-lesson: text, clip, infographic, FAQ cards, the quiz button."""
    response = make_response(render_lesson(number))
    response.vary.add("Save-Data")  # the clip's source follows the browser's Save-Data
    return response


def browser_saves_data() -> bool:
    """True when the browser sends `Save-Data: on` (the phone's data saver)."""
    return request.headers.get("Save-Data", "").strip().lower() == "on"


def wants_save_data() -> bool:
    """True when the user chose "save data" or the browser sends `Save-Data: on`."""
    if browser_saves_data():
        return True
    return bool(current_user.is_authenticated and current_user.save_data)


def render_lesson(number: int, *, preview: bool = False) -> str:
    """The lesson page; preview=True (the studio's preview) also shows drafts, marked, and
    builds the page afresh instead of taking the cached published part."""
    session = get_session()
    if preview:
        page = build_lesson_page(session, number, preview=True)
    else:
        page = lesson_page(session, number, str(get_locale()))
    if page is None:
        abort(404, description=_("There is no indicator %(number)d.", number=number))
    status = None
    if current_user.is_authenticated and not preview:
        replies = lesson_status.send(
            session, user_id=current_user.id, indicator_id=page.indicator.id
        )
        status = next((reply for _receiver, reply in replies if reply), None)
    save_data = wants_save_data()
    return render_template(
        "content/lesson.html",
        indicator=page.indicator,
        clip=page.clip,
        clip_src=volunteer_clip(page.clip, save_data),
        infographic=page.infographic,
        body=page.body,
        prev_number=page.prev_number,
        next_number=page.next_number,
        preview=preview,
        save_data=save_data,
        browser_saves_data=browser_saves_data(),
        status=status,
    )


@bp.get("/summary")
@public
def summaries():
    """The pocket summaries (คู่มือสรุป): one page per category."""
    return render_template("content/summaries.html", categories=list_categories(get_session()))


@bp.get("/summary/<int(max=99):category>")
@public
def summary(category: int):
    """A category's pocket summary: each indicator's question, criterion and top pitfall."""
    found = pocket_summary(get_session(), category)
    if found is None:
        abort(404, description=_("There is no category %(number)d.", number=category))
    return render_template("content/summary.html", category=found[0], rows=found[1])


@bp.get("/media/<path:path>")
@public
def media(path: str):
    """A stored media file by its content-addressed key: HTTP range requests (seeking on
    phones), the content hash as ETag, cached for a year (a key never changes meaning).
    A video that is no clip's phone or low-data rendition (an original upload) is served
    to trainers and admins only, and kept out of shared caches."""
    suffix = Path(path).suffix.lower()
    mimetype = MEDIA_TYPES.get(suffix)
    try:
        file = get_storage().path(path)
    except BadKey:
        file = None
    if mimetype is None or file is None or not file.is_file():
        abort(404, description=_("There is no such media file."))
    studio_only = suffix in VIDEO_SUFFIXES and not is_served_video(get_session(), path)
    if studio_only and not (
        current_user.is_authenticated and current_user.has_role(*TRAINER_ROLES)
    ):
        abort(404, description=_("There is no such media file."))
    response = send_stored(
        file, path, accel=current_app.config["MEDIA_ACCEL_REDIRECT"], mimetype=mimetype,
        conditional=True, etag=Path(path).stem, max_age=MEDIA_MAX_AGE,
    )  # fmt: skip
    if "X-Accel-Redirect" not in response.headers:  # else nginx says so itself
        response.headers["Accept-Ranges"] = "bytes"
    response.cache_control.immutable = True
    response.cache_control.public = not studio_only  # no shared cache keeps an original
    response.cache_control.private = studio_only
    return response


@bp.get("/favicon.ico")
@public
def favicon():
    """The site icon browsers ask for on a first visit (a 404 there costs a round trip)."""
    icon = Path(current_app.static_folder or "static") / "favicon.ico"
    response = Response(icon.read_bytes(), mimetype="image/vnd.microsoft.icon")
    response.add_etag()
    response.cache_control.public = True
    response.cache_control.max_age = FAVICON_MAX_AGE
    return response.make_conditional(request)


ROBOTS = (
    "User-agent: *\nDisallow: /officer/\nDisallow: /studio/\nDisallow: /admin/\nDisallow: /api/\n"
)


@bp.get("/robots.txt")
@public
def robots():
    """Crawlers may read the public lessons, not the staff areas (saved for offline too, so a
    saved lesson opened with no signal finds it)."""
    response = Response(ROBOTS, mimetype="text/plain")
    response.cache_control.public = True
    response.cache_control.max_age = FAVICON_MAX_AGE
    return response
