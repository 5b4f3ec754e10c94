"""GET /api/v1/indicators and GET /healthz."""

from __future__ import annotations

import logging

from flask import Blueprint, jsonify, url_for
from sqlalchemy import select, text
from sqlalchemy.exc import SQLAlchemyError

from ..content.models import BASICS, Indicator
from ..content.services import published_counts
from ..db import get_session
from ..quizzes.services import published_question_counts

bp = Blueprint("api", __name__)
log = logging.getLogger(__name__)


@bp.get("/api/v1/indicators")
def indicators():
    """The indicators with their lesson URL and how much published material each has."""
    session = get_session()
    counts = published_counts(session)
    questions = published_question_counts(session)
    rows = session.scalars(
        select(Indicator).where(Indicator.number != BASICS).order_by(Indicator.number)
    )
    data = []
    for indicator in rows:
        material = counts.get(indicator.id, {})
        data.append(
            {
                "number": indicator.number,
                "category": indicator.category_number,
                "title_th": indicator.title_th,
                "title_en": indicator.title_en,
                "status": indicator.status,
                "url": url_for("content.lesson", number=indicator.number, _external=True),
                "clips": material.get("clips", 0),
                "infographics": material.get("infographics", 0),
                "faq_cards": material.get("faq_cards", 0),
                "questions": questions.get(indicator.id, 0),
            }
        )
    return jsonify(indicators=data, count=len(data))


@bp.get("/healthz")
def healthz():
    """200 when the database answers, 503 otherwise."""
    try:
        get_session().execute(text("SELECT 1"))
    except SQLAlchemyError as error:
        log.warning("health check: database unreachable: %s", type(error).__name__)
        return jsonify(status="error", database="unreachable"), 503
    return jsonify(status="ok", database="ok")


# Token pages, the officers' endpoints and the documentation; imported last to use `bp`.
from . import doc_views, officer_api, token_views  # noqa: E402, F401
