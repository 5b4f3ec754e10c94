"""GET /healthz: whether the app and its database answer (for load balancers)."""

from __future__ import annotations

import logging

from flask import Blueprint, current_app, jsonify

from ..db import database_answers, db
from ..web import public

bp = Blueprint("health", __name__)
log = logging.getLogger(__name__)


@bp.get("/healthz")
@public
def healthz():
    """200 when the database answers within HEALTH_TIMEOUT seconds, 503 otherwise (never
    later, whatever the database does)."""
    if not database_answers(db.engine, float(current_app.config["HEALTH_TIMEOUT"])):
        log.warning("health check: database unreachable or not answering")
        return jsonify(status="error", database="unreachable"), 503
    return jsonify(status="ok", database="ok")
