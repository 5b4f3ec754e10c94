"""The volunteers' "save data" switch (which clip version lessons play)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..db import get_session
from ..web import safe_next
from . import clips

bp = Blueprint("media", __name__)


@bp.post("/save-data")
def save_data():
    """Switch "save data" (the lighter clip version) on or off for the logged-in user."""
    on = clips.toggle_save_data(get_session(), current_user)
    get_session().commit()
    flash(
        _("Save data is on: clips play in the lighter version.") if on else _("Save data is off.")
    )
    return redirect(safe_next(request.form.get("next")) or url_for("site.readiness.home"))
