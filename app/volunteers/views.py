"""Volunteer signup."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user
from wtforms import SelectChoice

from ..areas.services import list_districts
from ..auth.services import PhoneTaken
from ..db import get_session
from .forms import SignupForm
from .services import UnknownVillage, register_volunteer

bp = Blueprint("volunteers", __name__)


@bp.route("/signup", methods=["GET", "POST"])
def signup():
    """Sign up as a volunteer and log in."""
    if current_user.is_authenticated:
        return redirect(url_for("readiness.home"))
    session = get_session()
    districts = list_districts(session)
    form = SignupForm()
    form.village.choices = [
        SelectChoice(v.id, f"{_('Moo')} {v.moo} {v.name_th}")
        for d in districts
        for s in d.subdistricts
        for v in s.villages
    ]
    if form.validate_on_submit():
        try:
            user = register_volunteer(
                session,
                full_name=form.full_name.data,
                phone=form.phone.normalised or "",
                password=form.password.data,
                volunteer_type=form.volunteer_type.data,
                village_id=form.village.data,
            )
        except PhoneTaken:
            form.phone.errors.append(_("This mobile number already has an account. Log in."))
        except UnknownVillage:
            form.village.errors.append(_("Choose your village."))
        else:
            session.commit()
            login_user(user)
            flash(_("Welcome! Your training plan is below."), "success")
            return redirect(url_for("readiness.home"))
    return render_template("volunteers/signup.html", form=form, districts=districts)
