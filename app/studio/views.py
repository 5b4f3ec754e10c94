"""Trainer pages: the overview, an indicator's workspace, previews."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _

from ..content.markdown import render_markdown
from ..content.views import render_lesson
from ..db import get_session
from .forms import BASICS_LABELS, MARKDOWN_MAX, SECTION_LABELS, ConfirmForm
from .services import indicator_workspace, studio_overview
from .wording import history

bp = Blueprint("workspace", __name__)


@bp.app_template_global()
def has_endpoint(name: str) -> bool:
    """True when the app has a view for the endpoint (studio pages link to parts as they land)."""
    return name in current_app.view_functions


@bp.app_template_global()
def studio_url(endpoint: str, value: int, **extra: str) -> str | None:
    """The URL of a page taking one id or number, whatever its parameter is named; None
    while that page does not exist yet (so a link can wait for it)."""
    try:
        rules = list(current_app.url_map.iter_rules(endpoint))
    except KeyError:
        return None
    arguments = rules[0].arguments if rules else set()
    if len(arguments) != 1:
        return None
    return url_for(endpoint, **{next(iter(arguments)): value}, **extra)


@bp.get("/")
def overview():
    """Every unit's clips, infographics, FAQ cards and questions, and what is missing."""
    rows = studio_overview(get_session())
    attention = request.args.get("attention") == "1"
    return render_template(
        "studio/overview.html",
        rows=[r for r in rows if r.needs_attention] if attention else rows,
        attention=attention,
        flagged=sum(r.needs_attention for r in rows),
        to_check=sum(r.indicator.needs_checking for r in rows if not r.indicator.is_basics),
    )


@bp.get("/indicators")
def indicators():
    """The former checklist: now part of the overview."""
    return redirect(url_for("studio.workspace.overview"), 301)


@bp.get("/indicators/<int(max=999):number>")
def indicator(number: int):
    """One indicator's workspace: wording, lesson text and every item with its editor."""
    workspace = indicator_workspace(get_session(), number)
    if workspace is None:
        abort(404, description=_("There is no indicator %(number)d.", number=number))
    labels = BASICS_LABELS if workspace.indicator.is_basics else SECTION_LABELS
    return render_template(
        "studio/indicator.html",
        ws=workspace,
        labels=labels,
        confirm_recording=ConfirmForm(formdata=None),
        recording_history=history(get_session(), workspace.indicator.id, "recording."),
    )


@bp.get("/indicators/<int(max=999):number>/preview")
def preview_lesson(number: int):
    """The lesson page as volunteers will see it, drafts included and marked."""
    return render_lesson(number, preview=True)


@bp.post("/preview")
def preview_markdown():
    """Markdown from a studio text area, rendered and sanitised (the live preview)."""
    text = request.form.get("text", "")
    if len(text) > MARKDOWN_MAX:
        abort(413, description=_("The text is too long to preview."))
    response = Response(str(render_markdown(text)), mimetype="text/html")
    # A fragment for fetch(); never a page of its own.
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["Cache-Control"] = "no-store"
    return response
