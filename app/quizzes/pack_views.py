"""Quiz packs over JSON for the offline app: hand out packs, take back quizzes taken offline,
and the page that runs a saved pack with no connection."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import Blueprint, abort, current_app, jsonify, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ..content.models import Indicator
from ..db import get_session, utcnow
from ..extensions import csrf
from ..web import public, same_site_json
from .packs import (
    ALTERED,
    BAD_ANSWERS,
    EXPIRED,
    NOT_YOURS,
    UNKNOWN,
    USED,
    PackRefused,
    issue_pack,
    pack_result,
    submit_pack,
)

bp = Blueprint("packs", __name__)

MAX_PACKS = 60  # indicators per request: everything is 38 plus the basics
MAX_NUMBER = 999  # an indicator's number, as in the URLs (a larger int overflows SQLite)


def _reasons() -> dict[str, str]:
    return {
        ALTERED: _("This quiz was changed on the phone, so it cannot be counted. Take it again."),
        NOT_YOURS: _("This quiz belongs to another volunteer's login on this phone."),
        EXPIRED: _("This saved quiz expired before it was taken. Take the quiz again."),
        USED: _("This saved quiz was already sent and counted."),
        UNKNOWN: _("This saved quiz is not known to the server. Take the quiz again."),
        BAD_ANSWERS: _("The answers do not fit this quiz. Take the quiz again."),
    }


@bp.post("/quiz-packs")
@csrf.exempt
def packs():
    """New signed packs for these indicator numbers: {"numbers": [3, 4]} -> {"packs": [...]}."""
    numbers = same_site_json().get("numbers")
    if (
        not isinstance(numbers, list)
        or len(numbers) > MAX_PACKS
        or not all(
            isinstance(n, int) and not isinstance(n, bool) and 0 <= n <= MAX_NUMBER for n in numbers
        )
    ):
        abort(
            400,
            description=f"numbers must be a list of at most {MAX_PACKS} indicator numbers"
            f" (0 to {MAX_NUMBER}).",
        )
    session = get_session()
    indicators = session.scalars(select(Indicator).where(Indicator.number.in_(numbers)))
    now = utcnow()
    valid_for = timedelta(days=current_app.config["QUIZ_PACK_DAYS"])
    issued = []
    for indicator in indicators:
        pack = issue_pack(
            session,
            user_id=current_user.id,
            indicator=indicator,
            now=now,
            secret=current_app.config["SECRET_KEY"],
            valid_for=valid_for,
        )
        if pack is not None:
            issued.append(pack)
    session.commit()
    return jsonify(packs=issued)


def _taken_at(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return when if when.tzinfo else None


@bp.post("/quiz-packs/submit")
@csrf.exempt
def submit():
    """A quiz taken from a pack: {"token", "client_id", "answers": {question id: [..]},
    "taken_at"} -> the result, once; a refused pack answers 409 with a reason to show."""
    data = same_site_json()
    token, client_id, raw = data.get("token"), data.get("client_id"), data.get("answers")
    if (
        not isinstance(token, str)
        or not isinstance(client_id, str)
        or not 8 <= len(client_id) <= 36
        or not isinstance(raw, dict)
    ):
        abort(400, description="token, client_id (8-36 characters) and answers are required.")
    try:
        answers = {
            int(qid): [str(v) for v in values]
            for qid, values in raw.items()
            if isinstance(values, list) and str(qid).isdigit()
        }
    except (TypeError, ValueError):
        abort(400, description="answers must map question ids to lists.")
    session = get_session()
    try:
        attempt = submit_pack(
            session,
            user_id=current_user.id,
            token=token,
            client_id=client_id,
            answers=answers,
            taken_at=_taken_at(data.get("taken_at")),
            now=utcnow(),
            secret=current_app.config["SECRET_KEY"],
        )
    except PackRefused as refused:
        session.rollback()
        return jsonify(reason=refused.reason, message=_reasons()[refused.reason]), 409
    session.commit()
    result = pack_result(attempt)
    result["result_url"] = url_for("site.quizzes.result", attempt_id=attempt.id)
    return jsonify(status="recorded", **result)


@bp.get("/offline/quiz")
@public
def offline_quiz():
    """The page that runs a saved quiz pack on the phone (no personal data: the pack is in the
    phone's storage), so it can be saved and opened offline."""
    return render_template("quizzes/offline_quiz.html")
