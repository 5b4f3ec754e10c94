"""Volunteer signup: open (choosing a village) or through a village's invitation code."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user
from sqlalchemy.orm import Session
from wtforms import SelectChoice

from ..areas.services import list_districts
from ..auth.models import User
from ..auth.services import PhoneTaken
from ..db import get_session
from ..web import public
from .forms import JoinForm, SignupForm
from .invites import village_by_code
from .services import UnclaimedAccount, UnknownVillage, join_village, register_volunteer

bp = Blueprint("volunteers", __name__)


def _phone_taken(form: JoinForm, error: PhoneTaken, *, invited: bool) -> None:
    """Explain why the mobile cannot sign up here, and what to do instead."""
    if not isinstance(error, UnclaimedAccount):
        message = _("This mobile number already has an account. Log in.")
    elif invited:
        message = _(
            "An officer registered this mobile number in another village. "
            "Use that village's invitation QR code, or ask your officer."
        )
    else:
        message = _(
            "An officer has registered this mobile number already. To set your password, "
            "sign up through your village's invitation QR code (ask your officer for it)."
        )
    form.phone.errors.append(message)


def _welcome(session: Session, user: User):
    """Commit the new (or claimed) account, log in, and go to the training plan."""
    session.commit()
    login_user(user)
    flash(_("Welcome! Your training plan is below."), "success")
    return redirect(url_for("site.readiness.home"))


@bp.route("/signup", methods=["GET", "POST"])
@public
def signup():
    """Sign up as a volunteer and log in."""
    if current_user.is_authenticated:
        return redirect(url_for("site.readiness.home"))
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
        except PhoneTaken as error:
            _phone_taken(form, error, invited=False)
        except UnknownVillage:
            form.village.errors.append(_("Choose your village."))
        else:
            return _welcome(session, user)
    return render_template("volunteers/signup.html", form=form, districts=districts)


@bp.route("/join/<code>", methods=["GET", "POST"])
@public
def join(code: str):
    """Sign up into the village of an invitation poster (or claim an officer's registration)."""
    if current_user.is_authenticated:
        return redirect(url_for("site.readiness.home"))
    session = get_session()
    village = village_by_code(session, code)
    if village is None:
        abort(
            404,
            description=_(
                "This invitation code is not valid (any more). "
                "Ask your officer for the village's current poster."
            ),
        )
    form = JoinForm()
    if form.validate_on_submit():
        try:
            user = join_village(
                session,
                village=village,
                full_name=form.full_name.data,
                phone=form.phone.normalised or "",
                password=form.password.data,
                volunteer_type=form.volunteer_type.data,
            )
        except PhoneTaken as error:
            _phone_taken(form, error, invited=True)
        else:
            return _welcome(session, user)
    province = village.subdistrict.district.province.name_th
    return render_template("volunteers/join.html", form=form, village=village, province=province)
