"""Forms of mentor visits, buddy pairs and the volunteer's device page (CSRF on each)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError
from wtforms.widgets import HiddenInput

from ..db import utcnow
from ..readiness.progress import today_bangkok


class VisitForm(FlaskForm):
    """A visit that happened: its day, what was done, notes."""

    volunteer_id = HiddenField()
    village = HiddenField()
    visited_on = DateField(
        _l("Day of the visit"), validators=[DataRequired(_l("Enter the day of the visit."))]
    )
    helped_learn = BooleanField(_l("Helped with learning"))
    checked_device = BooleanField(_l("Checked the device"))
    paired_buddy = BooleanField(_l("Paired a buddy"))
    note = TextAreaField(
        _l("What was done"),
        validators=[Length(max=2000, message=_l("At most %(max)d characters."))],
    )

    def validate_visited_on(self, field: DateField) -> None:
        """A visit is recorded once it has happened: never a day still to come."""
        if field.data and field.data > today_bangkok(utcnow()):
            raise ValidationError(_l("The day of the visit cannot be in the future."))


class PairForm(FlaskForm):
    """A volunteer not ready yet and a ready one of the same village."""

    learner_id = SelectField(
        _l("New volunteer (not ready yet)"),
        coerce=int,
        validators=[InputRequired(_l("Choose a volunteer who is not ready yet."))],
    )
    mentor_id = SelectField(
        _l("Ready volunteer (buddy)"),
        coerce=int,
        validators=[InputRequired(_l("Choose a ready volunteer."))],
    )


class DeviceForm(FlaskForm):
    """Which device the volunteer learns and will collect data on."""

    kind = RadioField(
        _l("The device I use"),
        choices=[
            SelectChoice("own", _l("My own smartphone or tablet")),
            SelectChoice("shared", _l("A device I share with others")),
            SelectChoice("none", _l("I have no device")),
        ],
        validators=[InputRequired(_l("Choose one."))],
    )


class DeviceCheckForm(FlaskForm):
    """The summary this phone's check found, posted only with the volunteer's consent."""

    consent = BooleanField(
        _l("I agree that this page checks this phone and sends the summary above"),
        validators=[DataRequired(_l("Tick the box to agree before the check."))],
    )
    browser = HiddenField()
    free_mb = IntegerField(widget=HiddenInput(), validators=[Optional()])
    offline_ok = HiddenField()
