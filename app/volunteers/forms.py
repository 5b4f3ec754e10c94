"""Volunteer forms: signing up (open or through a village's invitation) and officers'
registration and import."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    HiddenField,
    PasswordField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
)
from wtforms.validators import DataRequired, EqualTo, Length, Optional, ValidationError

from ..auth.forms import PhoneField
from ..auth.passwords import password_problem
from .types import VOLUNTEER_TYPES


def _strip(value: str | None) -> str | None:
    """Trim what people type around a value."""
    return value.strip() if isinstance(value, str) else value


def _optional_int(value: object) -> int | None:
    """A select's value as an id; the empty "choose…" option gives None."""
    return None if value in ("", None) else int(value)  # type: ignore[call-overload]


class VolunteerForm(FlaskForm):
    """Who the volunteer is: full name, mobile and volunteer type."""

    full_name = StringField(
        _l("Full name"), filters=[_strip], validators=[DataRequired(), Length(min=2, max=120)]
    )
    phone = PhoneField(_l("Mobile number"), validators=[DataRequired()])
    volunteer_type = RadioField(
        _l("I am a"),
        choices=[SelectChoice(k, v) for k, v in VOLUNTEER_TYPES.items()],
        validators=[DataRequired()],
    )


def _password_field() -> PasswordField:
    return PasswordField(_l("Password"), validators=[DataRequired(), Length(max=128)])


def _confirm_field() -> PasswordField:
    return PasswordField(
        _l("Password again"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))],
    )


def _activation_field(required: bool) -> StringField:
    return StringField(
        _l("Activation code"),
        filters=[_strip],
        validators=[DataRequired() if required else Optional(), Length(max=20)],
    )


class _PasswordPolicy:
    """Refuses short and common passwords and the user's own mobile number."""

    def validate_password(self, field: PasswordField) -> None:
        problem = password_problem(field.data or "", self.phone.normalised)  # type: ignore[attr-defined]
        if problem:
            raise ValidationError(problem)


class JoinForm(_PasswordPolicy, VolunteerForm):
    """Signing up through a village's invitation: the village is fixed, a password is set;
    an account an officer registered is claimed with the activation code of its slip."""

    password = _password_field()
    confirm = _confirm_field()
    activation_code = _activation_field(required=False)


class ClaimForm(_PasswordPolicy, FlaskForm):
    """Claiming the account an officer registered: mobile, activation code, new password."""

    phone = PhoneField(_l("Mobile number"), validators=[DataRequired()])
    activation_code = _activation_field(required=True)
    password = _password_field()
    confirm = _confirm_field()


class SignupForm(JoinForm):
    """Open signup: the volunteer also chooses district, subdistrict and village."""

    activation_code = None  # type: ignore[assignment]  # claims go through /join or /claim

    district = SelectField(_l("District"), validate_choice=False)
    subdistrict = SelectField(_l("Subdistrict"), validate_choice=False)
    village = SelectField(
        _l("Village"), coerce=int, validators=[DataRequired(message=_l("Choose your village."))]
    )


class RegisterForm(VolunteerForm):
    """An officer registers one volunteer in a village of their area (no password)."""

    volunteer_type = RadioField(
        _l("Volunteer type"),
        choices=[SelectChoice(k, v) for k, v in VOLUNTEER_TYPES.items()],
        validators=[DataRequired()],
    )
    village = SelectField(
        _l("Village"),
        coerce=_optional_int,
        validate_choice=False,  # the service refuses villages outside the officer's area
        validators=[DataRequired(message=_l("Choose the village."))],
    )
    national_id = StringField(
        _l("ID card number (optional)"),
        filters=[_strip],
        validators=[Optional(), Length(max=20)],
    )


class EditVolunteerForm(RegisterForm):
    """An officer corrects a volunteer's name, mobile, village or type (ID card aside)."""

    national_id = None  # type: ignore[assignment]


class ImportForm(FlaskForm):
    """A CSV or Excel file of volunteers, checked first (dry run)."""

    file = FileField(
        _l("CSV or Excel file"),
        validators=[FileRequired(message=_l("Choose a CSV or Excel (.xlsx) file."))],
        render_kw={"accept": ".csv,.xlsx,text/csv"},
    )
    skip_registered = BooleanField(
        _l(
            "Skip people already registered in the same village (same mobile or ID card "
            "number): import only the new names"
        )
    )


class ConfirmImportForm(FlaskForm):
    """Confirms the import of a file that passed the dry run."""

    token = HiddenField(validators=[DataRequired()])
    skip_registered = HiddenField()  # "1" when the dry run skipped registered people
