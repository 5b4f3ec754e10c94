"""Officers' forms: registering a LINE group, composing a reminder."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from .services import is_group_id


def _strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


def _group_id(form: FlaskForm, field: StringField) -> None:
    if field.data and not is_group_id(field.data):
        raise ValidationError(
            _l('A LINE group id starts with "C" followed by 32 characters 0-9 and a-f.')
        )


class GroupForm(FlaskForm):
    """A LINE group for an area code (district, subdistrict or village), or for a zone."""

    name = StringField(
        _l("Group name"), filters=[_strip], validators=[DataRequired(), Length(min=2, max=120)]
    )
    group_id = StringField(
        _l("LINE group id"),
        filters=[_strip],
        validators=[DataRequired(), Length(min=33, max=33), _group_id],
    )
    area_code = StringField(_l("Area code"), filters=[_strip], validators=[Optional()])
    zone = SelectField(_l("Or a support zone"), choices=[], validators=[Optional()])
    submit = SubmitField(_l("Add the group"))

    def validate(self, extra_validators=None) -> bool:
        """An area code (district 4 digits, subdistrict 6, village 8) or a zone (with, for
        admins, the province's 2-digit code)."""
        valid = super().validate(extra_validators)
        code = self.area_code.data or ""
        if self.zone.data:
            if code and not (code.isdigit() and len(code) == 2):
                self.area_code.errors = [_l("With a zone, give the province code (2 digits).")]
                return False
        elif not code:
            self.area_code.errors = [_l("Enter an area code or choose a zone.")]
            return False
        elif not (code.isdigit() and len(code) in (4, 6, 8)):
            self.area_code.errors = [
                _l("Enter the district (4 digits), subdistrict (6) or village (8) code.")
            ]
            return False
        return valid


class ReminderForm(FlaskForm):
    """Which group, an optional deadline and lesson; preview, then send."""

    group = SelectField(_l("LINE group"), coerce=int, validators=[DataRequired()])
    deadline = DateField(_l("Deadline (optional)"), validators=[Optional()])
    lesson = SelectField(_l("Link to (optional)"), coerce=int, validators=[Optional()])
    preview = SubmitField(_l("Preview"))
    send = SubmitField(_l("Send to the LINE group"))
