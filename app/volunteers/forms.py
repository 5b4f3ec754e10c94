"""The volunteer signup form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, RadioField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from ..auth.forms import PhoneField
from .types import VOLUNTEER_TYPES


class SignupForm(FlaskForm):
    """Full name, mobile, password, volunteer type and village."""

    full_name = StringField(_l("Full name"), validators=[DataRequired(), Length(min=2, max=120)])
    phone = PhoneField(_l("Mobile number"), validators=[DataRequired()])
    password = PasswordField(
        _l("Password"),
        validators=[
            DataRequired(),
            Length(min=8, max=128, message=_l("Use at least 8 characters.")),
        ],
    )
    confirm = PasswordField(
        _l("Password again"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))],
    )
    volunteer_type = RadioField(
        _l("I am a"),
        choices=[SelectChoice(k, v) for k, v in VOLUNTEER_TYPES.items()],
        validators=[DataRequired()],
    )
    district = SelectField(_l("District"), validate_choice=False)
    subdistrict = SelectField(_l("Subdistrict"), validate_choice=False)
    village = SelectField(
        _l("Village"), coerce=int, validators=[DataRequired(message=_l("Choose your village."))]
    )
