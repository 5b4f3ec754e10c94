"""Admins' pages for officer accounts: create them, move their area, stop or restore them."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy.orm import Session
from wtforms import PasswordField, RadioField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from ..areas.services import area_label
from ..auth.forms import PhoneField
from ..auth.models import Role
from ..auth.services import PhoneTaken
from ..db import get_session
from ..web import or_404
from .accounts import (
    LEVELS,
    UnknownArea,
    area_options,
    create_officer,
    get_officer,
    list_officers,
    reset_password,
    set_active,
    set_area,
)

bp = Blueprint("accounts", __name__)

PASSWORD_MIN = 8


class AreaForm(FlaskForm):
    """An officer's scope: the whole province, a district or a subdistrict."""

    level = RadioField(
        _l("Scope"),
        choices=[
            SelectChoice("province", _l("A province")),
            SelectChoice("district", _l("A district")),
            SelectChoice("subdistrict", _l("A subdistrict")),
        ],
        default="district",
        validators=[InputRequired(message=_l("Choose the scope."))],
    )
    # Choices are set per request; the services check that the code exists.
    province = SelectField(_l("Province"), validate_choice=False)
    district = SelectField(_l("District"), validate_choice=False)
    subdistrict = SelectField(_l("Subdistrict"), validate_choice=False)

    @property
    def picker(self) -> SelectField:
        """The picker that holds the area for the chosen scope level."""
        return getattr(self, self.level.data if self.level.data in LEVELS else "district")

    @property
    def area_code(self) -> str:
        """The chosen area's code."""
        return (self.picker.data or "").strip()

    def validate(self, extra_validators=None) -> bool:
        """The picker for the chosen level must have a value."""
        ok = super().validate(extra_validators)
        if ok and not self.area_code:
            self.picker.errors = [*self.picker.errors, _("Choose the area.")]
            return False
        return ok

    def fill(self, session: Session) -> None:
        """Give the pickers their options (every province, district and subdistrict)."""
        options = area_options(session)
        blank = SelectChoice("", "–")
        self.province.choices = [blank] + [
            SelectChoice(p.code, p.name_th) for p in options.provinces
        ]
        self.district.choices = [blank] + [
            SelectChoice(d.code, d.name_th) for d in options.districts
        ]
        self.subdistrict.choices = [blank] + [
            SelectChoice(s.code, s.name_th, optgroup=d.name_th)
            for d in options.districts
            for s in options.subdistricts.get(d.code, [])
        ]


class AccountForm(AreaForm):
    """A new officer account."""

    full_name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=120)])
    phone = PhoneField(_l("Mobile number"), validators=[DataRequired()])
    password = PasswordField(
        _l("Password"),
        validators=[
            DataRequired(),
            Length(min=PASSWORD_MIN, message=_l("At least %(min)s characters.")),
        ],
    )


class PasswordForm(FlaskForm):
    """A new password for an officer."""

    new_password = PasswordField(
        _l("New password"),
        validators=[
            DataRequired(),
            Length(min=PASSWORD_MIN, message=_l("At least %(min)s characters.")),
        ],
    )

    def validate_new_password(self, field: PasswordField) -> None:
        """No surrounding spaces: they are invisible when the officer is told the password."""
        if field.data != field.data.strip():
            raise ValidationError(_l("No spaces at the start or end."))


def _admins_only() -> None:
    """Officer accounts are for admins (officers may open the rest of /officer/)."""
    if not current_user.has_role(Role.ADMIN):
        abort(403, description=_("Only admins may manage officer accounts."))


@bp.route("/accounts", methods=["GET", "POST"])
def accounts():
    """Every officer account and a form to add one."""
    _admins_only()
    session = get_session()
    form = AccountForm()
    form.fill(session)
    if form.validate_on_submit():
        try:
            officer = create_officer(
                session,
                full_name=form.full_name.data,
                phone=form.phone.normalised,
                password=form.password.data,
                area_code=form.area_code,
            )
        except UnknownArea:
            form.picker.errors.append(_("There is no such area."))
        except PhoneTaken:
            form.phone.errors.append(_("This mobile number already has an account."))
        else:
            session.commit()
            flash(
                _(
                    "Officer account created for %(area)s. Give the officer the password in "
                    "person.",
                    area=area_label(session, officer.area_code),
                ),
                "success",
            )
            return redirect(url_for("officer.accounts.accounts"))
    return render_template("officers/accounts.html", officers=list_officers(session), form=form)


@bp.route("/accounts/<int:user_id>", methods=["GET", "POST"])
def edit_account(user_id: int):
    """One officer: change the area, reset the password, deactivate or reactivate."""
    _admins_only()
    session = get_session()
    officer = or_404(get_officer(session, user_id), _("There is no such officer account."))
    code = officer.area_code or ""
    level = next((name for name, size in LEVELS.items() if size == len(code)), "district")
    area_form = AreaForm(data={"level": level, level: code})
    area_form.fill(session)
    password_form = PasswordForm()
    action = request.form.get("action") if request.method == "POST" else None
    if action == "area" and area_form.validate_on_submit():
        try:
            set_area(session, officer, area_form.area_code)
        except UnknownArea:
            area_form.picker.errors.append(_("There is no such area."))
        else:
            session.commit()
            flash(
                _("Area changed to %(area)s.", area=area_label(session, officer.area_code)),
                "success",
            )
            return redirect(url_for("officer.accounts.edit_account", user_id=officer.id))
    elif action == "password" and password_form.validate_on_submit():
        reset_password(session, officer, password_form.new_password.data)
        session.commit()
        flash(_("Password changed. Give the officer the new one in person."), "success")
        return redirect(url_for("officer.accounts.edit_account", user_id=officer.id))
    elif action in ("deactivate", "reactivate"):
        set_active(session, officer, action == "reactivate")
        session.commit()
        flash(
            _("Account reactivated: the officer can log in again.")
            if officer.active
            else _("Account deactivated: the officer can no longer log in."),
            "success",
        )
        return redirect(url_for("officer.accounts.edit_account", user_id=officer.id))
    elif request.method == "POST" and action not in ("area", "password"):
        abort(400, description=_("Unknown action."))
    return render_template(
        "officers/account_form.html",
        officer=officer,
        area=area_label(session, officer.area_code),
        area_form=area_form,
        password_form=password_form,
    )
