"""Trainer pages."""

from __future__ import annotations

from flask import Blueprint, render_template

from ..auth.decorators import roles_required
from ..auth.models import Role
from ..db import get_session
from .services import indicator_checklist

bp = Blueprint("studio", __name__, url_prefix="/studio")


@bp.get("/indicators")
@roles_required(Role.TRAINER, Role.ADMIN)
def indicators():
    """Which indicators still need checking against the official manual, and what is missing."""
    rows = indicator_checklist(get_session())
    return render_template(
        "studio/indicators.html",
        rows=rows,
        to_check=[r for r in rows if r.indicator.needs_checking],
    )
