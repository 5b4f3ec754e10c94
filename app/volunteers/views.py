"""Volunteer signup: open (choosing a village) or through a village's invitation code, and
claiming the account an officer registered with its one-time activation code."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user
from sqlalchemy.orm import Session
from wtforms import SelectChoice

from ..areas.services import list_districts
from ..auth.models import User
from ..auth.services import PhoneTaken
from ..auth.throttle import minutes, record_failure, wait_seconds
from ..db import get_session
from ..web import public
from .forms import ClaimForm, JoinForm, SignupForm
from .invites import village_by_code
from .services import (
    UnknownVillage,
    WrongActivation,
    claim_account,
    join_village,
    register_volunteer,
)

bp = Blueprint("volunteers", __name__)


def _checks(phone: str | None) -> list[tuple[str, str, str]]:
    """Refused signups and claims count per address, and claims per mobile number too."""
    checks = [("SIGNUP_LIMIT_ADDRESS", "signup-address", request.remote_addr or "")]
    if phone:
        checks.append(("LOGIN_LIMIT_ACCOUNT", "claim-account", phone))
    return checks


def _too_many(form, phone: str | None) -> bool:
    """True (with the form's message) when this address or number has to wait."""
    wait = wait_seconds(_checks(phone))
    if wait:
        form.phone.errors.append(
            _("Too many tries. Try again in %(minutes)s minutes.", minutes=minutes(wait))
        )
    return bool(wait)


def _refused(form, error: PhoneTaken | WrongActivation, phone: str | None) -> None:
    """Count the refusal and say why, the same way for every existing account."""
    record_failure(_checks(phone))
    if isinstance(error, WrongActivation):
        form.activation_code.errors.append(
            _(
                "The mobile number or activation code is wrong, or the code has expired. "
                "Ask your officer for a new slip."
            )
        )
    else:
        form.phone.errors.append(
            _(
                "This mobile number cannot sign up again. If it is yours, log in. If an "
                "officer registered you, enter the activation code from the slip they gave you."
            )
        )


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
    if form.validate_on_submit() and not _too_many(form, None):
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
            _refused(form, error, None)
        except UnknownVillage:
            form.village.errors.append(_("Choose your village."))
        else:
            return _welcome(session, user)
    return render_template("volunteers/signup.html", form=form, districts=districts)


@bp.route("/join/<code>", methods=["GET", "POST"])
@public
def join(code: str):
    """Sign up into the village of an invitation poster (or claim an officer's registration
    with its activation code)."""
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
    phone = form.phone.normalised
    if form.validate_on_submit() and not _too_many(form, phone):
        try:
            user = join_village(
                session,
                village=village,
                full_name=form.full_name.data,
                phone=form.phone.normalised or "",
                password=form.password.data,
                volunteer_type=form.volunteer_type.data,
                activation_code=form.activation_code.data or "",
                secret=current_app.config["SECRET_KEY"],
            )
        except (PhoneTaken, WrongActivation) as error:
            _refused(form, error, phone)
        else:
            return _welcome(session, user)
    province = village.subdistrict.district.province.name_th
    return render_template("volunteers/join.html", form=form, village=village, province=province)


@bp.route("/claim", methods=["GET", "POST"])
@public
def claim():
    """Set the password of the account an officer registered, with the activation code of
    the slip (its QR opens this page with the code after the #, which never reaches us)."""
    if current_user.is_authenticated:
        return redirect(url_for("site.readiness.home"))
    session = get_session()
    form = ClaimForm()
    phone = form.phone.normalised
    if form.validate_on_submit() and not _too_many(form, phone):
        try:
            user = claim_account(
                session,
                phone=phone or "",
                activation_code=form.activation_code.data,
                password=form.password.data,
                secret=current_app.config["SECRET_KEY"],
            )
        except WrongActivation as error:
            _refused(form, error, phone)
        else:
            return _welcome(session, user)
    return render_template("volunteers/claim.html", form=form)
