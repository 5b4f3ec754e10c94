"""Volunteers' side of the support queue: ask about an indicator, read the answers."""

from __future__ import annotations

import logging

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from ..auth import throttle
from ..content.models import Indicator
from ..content.stamp import stamped_cache
from ..db import get_session, utcnow
from ..extensions import csrf
from ..media.images import ImageRefused
from ..storage import BadKey, send_stored
from ..web import same_site_json
from .forms import AskForm, new_key
from .models import SupportQuestion
from .photos import photo_store, store_photo
from .services import ask_question, mark_seen, my_questions, team_zones

bp = Blueprint("support", __name__)
log = logging.getLogger(__name__)


# Marks the cached ask form carries where each page puts its own values (no form text,
# token or hex key can contain them: they have characters those never do).
_CSRF_MARK = "bmn:csrf-token:mark"
_KEY_MARK = "bmn:request-key:mark"


@bp.app_template_global("ask_box")
def ask_box(number: int) -> Markup:
    """The ask form of the lesson and quiz result pages, fresh (issue 16: building and
    rendering the form was a quarter of a lesson view). Rendered once per language and
    indicator, then each page gets its own CSRF token and request key."""
    cache = stamped_cache(get_session(), "ask_boxes")
    key = (str(get_locale()), number)
    html = cache.get(key)
    if html is None:
        form = AskForm(formdata=None)
        form.request_key.data = _KEY_MARK
        if "csrf_token" in form:
            form.csrf_token.current_token = _CSRF_MARK
        html = cache[key] = render_template("support/_ask_box.html", ask_form=form, number=number)
    return Markup(html.replace(_CSRF_MARK, generate_csrf()).replace(_KEY_MARK, new_key()))  # noqa: S704 - our template's output, values hex and URL-safe


def _indicator(number: int) -> Indicator:
    indicator = get_session().scalar(select(Indicator).where(Indicator.number == number))
    if indicator is None:
        abort(404, description=_("There is no indicator %(number)d.", number=number))
    return indicator


@bp.route("/indicators/<int(max=999):number>/ask", methods=["GET", "POST"])
def ask(number: int):
    """Ask the zone's support team a question about an indicator (with an optional photo)."""
    session = get_session()
    indicator = _indicator(number)
    form = AskForm()
    if not form.validate_on_submit():
        status = 400 if request.method == "POST" else 200
        return render_template("support/ask.html", indicator=indicator, form=form), status
    if not throttle.take("SUPPORT_ASK_LIMIT", "support-ask", str(current_user.id)):
        form.text.errors.append(
            _("You have sent many questions in the last hour. Please wait a while and try again.")
        )
        return render_template("support/ask.html", indicator=indicator, form=form), 429
    photo_key = None
    upload = form.photo.data
    if upload and getattr(upload, "filename", ""):
        try:
            photo_key = store_photo(
                photo_store(),
                upload.read(),
                max_bytes=current_app.config["SUPPORT_PHOTO_MAX_BYTES"],
                max_pixels=current_app.config["IMAGE_MAX_PIXELS"],
                max_memory=current_app.config["IMAGE_MAX_MEMORY"],
            )
        except ImageRefused as error:
            form.photo.errors.append(str(error))
            return render_template("support/ask.html", indicator=indicator, form=form), 400
    question, _created = _save(session, indicator, form, photo_key, "asked")
    flash(
        _("Question sent to your zone's support team. The answer will appear on your home page."),
        "success",
    )
    return redirect(url_for(".mine", _anchor=f"q{question.id}"))


def _save(session, indicator: Indicator, form: AskForm, photo_key: str | None, how: str):
    """Record the volunteer's question (once per request key) and commit; logged by id,
    indicator and zone only. Returns (question, created)."""
    question, created = ask_question(
        session,
        asker=current_user,
        indicator=indicator,
        text=form.text.data,
        request_key=form.request_key.data,
        photo_key=photo_key,
        now=utcnow(),
    )
    session.commit()
    if created:
        log.info(
            "support question %s %s (indicator %s, zone %s)",
            question.id,
            how,
            indicator.number,
            question.zone,
        )
    return question, created


@bp.post("/indicators/<int(max=999):number>/questions")
@csrf.exempt  # JSON from this site's script only (same_site_json): a saved page's token is stale
def ask_queued(number: int):
    """A question the phone kept while it had no signal (static/js/support-outbox.js):
    {"text", "request_key"} -> 201 {"status": "sent"} the first time and 200 the same when the
    same question comes again; a refusal answers 4xx with a message to show."""
    data = same_site_json()
    fields = {name: data.get(name) for name in ("text", "request_key")}
    form = AskForm(
        formdata=MultiDict({k: v if isinstance(v, str) else "" for k, v in fields.items()}),
        meta={"csrf": False},
    )
    if not form.validate():
        message = str((form.text.errors or form.request_key.errors)[0])
        return jsonify(reason="invalid", message=message), 400
    session = get_session()
    indicator = session.scalar(select(Indicator).where(Indicator.number == number))
    if indicator is None:
        message = _("There is no indicator %(number)d.", number=number)
        return jsonify(reason="unknown", message=message), 404
    if not throttle.take("SUPPORT_ASK_LIMIT", "support-ask", str(current_user.id)):
        message = _(
            "You have sent many questions in the last hour. Please wait a while and try again."
        )
        return jsonify(reason="limit", message=message), 429
    question, created = _save(session, indicator, form, None, "sent from the phone's queue")
    url = url_for(".mine", _anchor=f"q{question.id}")
    return jsonify(status="sent", url=url), 201 if created else 200


@bp.get("/support/mine")
def mine():
    """All of the volunteer's questions and their answers."""
    return render_template(
        "support/mine.html", questions=my_questions(get_session(), current_user.id)
    )


@bp.post("/support/seen")
def seen():
    """Mark answers as seen (sent by the page that showed them, or its button without script)."""
    ids = [int(v) for v in request.form.getlist("question") if v.isdigit()][:100]
    session = get_session()
    mark_seen(session, current_user.id, ids, utcnow())
    session.commit()
    if request.headers.get("X-Requested-With") == "fetch":
        return "", 204
    return redirect(url_for(".mine"))


@bp.get("/support/photos/<int:question_id>")
def photo(question_id: int):
    """A question's photo, for its asker and the zone's team only (no caching)."""
    session = get_session()
    question = session.get(SupportQuestion, question_id)
    if question is None or not question.photo_key:
        abort(404)
    if question.asker_id != current_user.id:
        zones = team_zones(session, current_user)
        if zones is not None and question.zone not in zones:
            abort(404)
    try:
        path = photo_store().path(question.photo_key)
    except BadKey:
        abort(404)
    if not path.is_file():
        abort(404)
    response = send_stored(
        path, question.photo_key, accel=current_app.config["SUPPORT_PHOTO_ACCEL_REDIRECT"]
    )
    response.headers["Cache-Control"] = "no-store"
    return response
