"""The save-for-offline page, what to save per scope, the content version, the service
worker at /sw.js and the web app manifest."""

from __future__ import annotations

from pathlib import Path

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    jsonify,
    render_template,
    request,
    url_for,
)
from flask_babel import force_locale, gettext
from werkzeug.exceptions import HTTPException

from ..content.services import list_categories
from ..db import get_session
from ..storage import BadKey, get_storage
from ..web import public
from .rules import PAGE_OVERHEAD, BadScope, parse_scope, shown_width
from .services import category_numbers, content_version, plan_save

bp = Blueprint("offline", __name__)

THEME = "#0b6e4f"
# Static files every saved page needs; the quiz runner's script only once it exists.
ASSETS = ("css/app.css", "js/app.js", "js/offline.js", "js/support-outbox.js")
QUIZ_SCRIPT = "js/quiz-offline.js"
QUIZ_SHELL = "/offline/quiz"


def _static(name: str) -> Path:
    """A file under static/."""
    return Path(current_app.static_folder or "static") / name


def _version() -> str:
    """The content version, salted with the page code's fingerprints."""
    asset_url = current_app.jinja_env.globals["asset_url"]
    return content_version(get_session(), salt="".join(asset_url(a) for a in ASSETS))


def _has_quiz_shell() -> bool:
    """True once the offline quiz page (the quiz runner's shell) is part of the app."""
    try:
        current_app.url_map.bind("localhost").match(QUIZ_SHELL)
    except HTTPException:
        return False
    return True


def _media_size(key: str) -> int:
    """A stored media file's size in bytes (0 when it is missing)."""
    try:
        path = get_storage().path(key)
    except BadKey:
        return 0
    return path.stat().st_size if path.is_file() else 0


@bp.get("/offline")
def save():
    """Save lessons for use without signal, see the storage used and clear it."""
    quiz_script = _static(QUIZ_SCRIPT).is_file()
    return render_template(
        "offline/save.html",
        categories=list_categories(get_session()),
        quiz_script=QUIZ_SCRIPT if quiz_script else None,
    )


@bp.get("/offline/list")
def save_list():
    """JSON: the URLs a scope saves (`scope` basics / category with `n` / all; `w` the
    screen's width in device pixels) with their sizes in bytes, clips apart."""
    session = get_session()
    try:
        scope = parse_scope(
            request.args.get("scope"), request.args.get("n"), category_numbers(session)
        )
    except BadScope as error:
        abort(400, description=str(error))
    width = shown_width(request.args.get("w", type=int))
    plan = plan_save(session, scope, width, _media_size)
    asset_url = current_app.jinja_env.globals["asset_url"]

    def media(key: str) -> str:
        return url_for("site.content.media", path=key)

    pages = [{"url": "/", "bytes": PAGE_OVERHEAD}]
    pages += [
        {"url": url_for("site.content.lesson", number=n), "bytes": size}
        for n, size in plan.lessons.items()
    ]
    pages.append({"url": url_for("site.content.summaries"), "bytes": PAGE_OVERHEAD})
    pages += [
        {"url": url_for("site.content.summary", category=c), "bytes": size}
        for c, size in plan.summaries.items()
    ]
    pages.append({"url": url_for("site.readiness.card"), "bytes": PAGE_OVERHEAD})
    pages.append({"url": url_for("site.offline.save"), "bytes": PAGE_OVERHEAD})
    pages.append({"url": url_for("site.content.robots"), "bytes": 100})
    if _has_quiz_shell():
        pages.append({"url": QUIZ_SHELL, "bytes": PAGE_OVERHEAD})
    assets = list(ASSETS) + ([QUIZ_SCRIPT] if _static(QUIZ_SCRIPT).is_file() else [])
    files = [{"url": asset_url(a), "bytes": _static(a).stat().st_size} for a in assets]
    files += [{"url": media(m.key), "bytes": m.size} for m in plan.media]
    clips = [{"url": media(m.key), "bytes": m.size} for m in plan.clips]
    aliases = {media(a): media(m.key) for m in plan.media + plan.clips for a in m.aliases}
    response = jsonify(
        version=_version(),
        scope=scope.kind,
        category=scope.category,
        pages=pages,
        files=files,
        clips=clips,
        aliases=aliases,
        quizzes=plan.quizzes,
        bytes=sum(item["bytes"] for item in pages + files),
        clip_bytes=sum(item["bytes"] for item in clips),
    )
    response.cache_control.no_store = True
    return response


@bp.get("/offline/version")
@public
def version():
    """JSON: the content version; it changes whenever a trainer publishes a change."""
    response = jsonify(version=_version())
    response.cache_control.no_store = True
    return response


@bp.get("/sw.js")
@public
def service_worker():
    """The service worker, from the root so that it controls every page; never cached
    without asking, so a new version reaches phones at their next visit."""
    response = Response(_static("js/sw.js").read_bytes(), mimetype="text/javascript")
    response.cache_control.no_cache = True
    response.headers["Service-Worker-Allowed"] = "/"
    response.add_etag()
    return response.make_conditional(request)


@bp.get("/manifest.webmanifest")
@public
def manifest():
    """The web app manifest: installable to the home screen, in Thai."""
    asset_url = current_app.jinja_env.globals["asset_url"]
    with force_locale("th"):
        name = gettext("BMN Learn")
        description = gettext(
            "Training for the volunteers who collect the Basic Minimum Needs (BMN) data."
        )
    icons = [
        {"src": asset_url(f"icons/icon-{px}.png"), "sizes": f"{px}x{px}", "type": "image/png"}
        for px in (192, 512)
    ]
    icons.append(
        {
            "src": asset_url("icons/maskable-512.png"),
            "sizes": "512x512",
            "type": "image/png",
            "purpose": "maskable",
        }
    )
    response = jsonify(
        id="/",
        name=name,
        short_name="BMN Learn",
        description=description,
        lang="th",
        dir="ltr",
        start_url="/",
        scope="/",
        display="standalone",
        orientation="portrait",
        theme_color=THEME,
        background_color="#ffffff",
        icons=icons,
    )
    response.mimetype = "application/manifest+json"
    response.cache_control.max_age = 3600
    return response
