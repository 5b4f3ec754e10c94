"""Login form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, ValidationError

from .passwords import password_problem
from .phone import normalise_phone


class PhoneField(StringField):
    """A Thai mobile number, normalised to 10 digits when valid."""

    def pre_validate(self, form: FlaskForm) -> None:
        if self.data and normalise_phone(self.data) is None:
            raise ValidationError(_l("Enter a Thai mobile number, e.g. 081 234 5678."))

    @property
    def normalised(self) -> str | None:
        return normalise_phone(self.data or "")


class LoginForm(FlaskForm):
    """Log in with mobile number and password."""

    phone = PhoneField(_l("Mobile number"), validators=[DataRequired()])
    password = PasswordField(_l("Password"), validators=[DataRequired()])
    remember = BooleanField(_l("Keep me logged in on this phone"))
    next = HiddenField()


class PasswordChangeForm(FlaskForm):
    """A logged-in user changes their own password (the current one proves it is them)."""

    current = PasswordField(_l("Current password"), validators=[DataRequired()])
    password = PasswordField(_l("New password"), validators=[DataRequired()])
    confirm = PasswordField(
        _l("New password again"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))],
    )

    def __init__(self, *args, phone: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.phone = phone

    def validate_password(self, field) -> None:
        problem = password_problem(field.data or "", self.phone)
        if problem:
            raise ValidationError(problem)
