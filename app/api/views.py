"""GET /api/v1/indicators: the public catalogue of indicators and their material."""

from __future__ import annotations

from flask import Blueprint, jsonify, url_for
from sqlalchemy import select

from ..content.models import BASICS, Indicator
from ..content.services import published_counts
from ..db import get_session
from ..quizzes.services import published_question_counts
from ..web import public

bp = Blueprint("v1", __name__)


@bp.get("/v1/indicators")
@public
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
                "url": url_for("site.content.lesson", number=indicator.number, _external=True),
                "clips": material.get("clips", 0),
                "infographics": material.get("infographics", 0),
                "faq_cards": material.get("faq_cards", 0),
                "questions": questions.get(indicator.id, 0),
            }
        )
    return jsonify(indicators=data, count=len(data))
