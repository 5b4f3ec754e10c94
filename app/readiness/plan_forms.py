"""The admins' training plan form."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, IntegerField, SelectMultipleField, StringField
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)

from ..content.files import SLUG
from .plans import PlanValues, expiry_allowed

FIRST_YEAR, LAST_YEAR = 2569, 2600  # campaign years, Buddhist era


class PlanForm(FlaskForm):
    """A plan's names, campaign year, required indicators and dates.

    Set `active` and `today` before validating: an active plan must not lapse today.
    """

    name_th = StringField(_l("Name (Thai)"), validators=[DataRequired(), Length(max=200)])
    name_en = StringField(_l("Name (English)"), validators=[DataRequired(), Length(max=200)])
    campaign_year = IntegerField(
        _l("Campaign year (Buddhist era)"),
        validators=[
            InputRequired(message=_l("Enter the campaign year, e.g. 2570.")),
            NumberRange(
                FIRST_YEAR,
                LAST_YEAR,
                message=_l("The campaign year is a Buddhist-era year from %(min)s to %(max)s."),
            ),
        ],
    )
    indicators = SelectMultipleField(
        _l("Required indicators"),
        coerce=int,
        validators=[DataRequired(message=_l("Choose at least one indicator."))],
    )
    expires_on = DateField(_l("Readiness expires after (optional)"), validators=[Optional()])
    passes_from = DateField(_l("Count quiz passes from (optional)"), validators=[Optional()])
    show_answers_after_fail = BooleanField(
        _l("Show the right answers after a failed quiz (else only once that quiz is passed)")
    )

    active = False
    today: date | None = None

    def validate_expires_on(self, field: DateField) -> None:
        """An active plan's readiness must last beyond today."""
        if self.active and self.today and not expiry_allowed(field.data, self.today):
            raise ValidationError(_l("The active plan's expiry date must be after today."))

    def validate_passes_from(self, field: DateField) -> None:
        """Passes must be able to count before readiness lapses."""
        expires = self.expires_on.data
        if field.data and expires and field.data > expires:
            raise ValidationError(_l("Passes must count from a day before the expiry date."))

    def values(self) -> PlanValues:
        """The validated values for the services."""
        return PlanValues(
            name_th=self.name_th.data,
            name_en=self.name_en.data,
            campaign_year=self.campaign_year.data,
            indicator_numbers=tuple(self.indicators.data),
            expires_on=self.expires_on.data,
            passes_from=self.passes_from.data,
            show_answers_after_fail=bool(self.show_answers_after_fail.data),
        )


class NewPlanForm(PlanForm):
    """A new plan: also its slug, its id in content/plans and in links."""

    slug = StringField(
        _l("Plan id"),
        validators=[
            DataRequired(),
            Length(max=80),
            Regexp(
                SLUG.pattern + "$",
                message=_l("Use lower-case English letters and digits joined by hyphens."),
            ),
        ],
    )
