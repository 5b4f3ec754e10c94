"""Admins put trainers and officers on the zones' support teams."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from wtforms import SelectChoice

from ..db import get_session
from .forms import ZONE_LABELS, MemberForm
from .services import TEAM_ZONES, add_member, members, remove_member, staff_choices

bp = Blueprint("support", __name__, url_prefix="/support")


@bp.route("/teams", methods=["GET", "POST"])
def teams():
    """The zones' teams: who answers which zone; add someone."""
    session = get_session()
    form = MemberForm()
    staff = staff_choices(session)
    form.user_id.choices = [SelectChoice(u.id, f"{u.full_name} ({u.role})") for u in staff]
    if form.validate_on_submit():
        added = add_member(session, form.user_id.data, form.zone.data)
        session.commit()
        flash(_("Added to the team.") if added else _("Already on this team."), "success")
        return redirect(url_for(".teams"))
    return render_template(
        "support/teams.html", form=form, members=members(session), zone_labels=ZONE_LABELS
    )


@bp.post("/teams/remove")
def remove():
    """Take someone off a zone's team."""
    zone = request.form.get("zone", "")
    user_id = request.form.get("user_id", type=int)
    if zone in TEAM_ZONES and user_id:
        session = get_session()
        remove_member(session, user_id, zone)
        session.commit()
        flash(_("Removed from the team."), "success")
    return redirect(url_for(".teams"))
