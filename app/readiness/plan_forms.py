"""The admins' training plan form."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
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
from ..i18n import format_date_be
from .plans import PlanValues, expiry_allowed
from .targets import BadProfile, check_profile, parse_profile

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
    deadline = DateField(_l("Data collection starts on (optional)"), validators=[Optional()])
    target_profile = TextAreaField(
        _l("Daily targets, cumulative % per day (optional)"),
        validators=[Optional(), Length(max=4000)],
    )
    show_answers_after_fail = BooleanField(
        _l("Show the right answers after a failed quiz (else only once that quiz is passed)")
    )

    active = False
    today: date | None = None
    # The day the plan was activated (Asia/Bangkok), if it was: the campaign's start when
    # passes count from any day.
    activated_on: date | None = None
    _profile: list[float] | None = None

    def campaign_start(self) -> date | None:
        """The campaign's first day as the form would set it (see officers' targets)."""
        return self.passes_from.data or self.activated_on

    def validate_deadline(self, field: DateField) -> None:
        """The deadline comes after the campaign's start."""
        start = self.campaign_start()
        if field.data and start and field.data <= start:
            raise ValidationError(
                _l(
                    "Data collection must start after the campaign starts (%(day)s).",
                    day=format_date_be(start),
                )
            )

    def validate_target_profile(self, field: TextAreaField) -> None:
        """One cumulative percentage per campaign day, never going down, ending at 100."""
        self._profile = None
        text = (field.data or "").strip()
        if not text:
            return
        deadline, start = self.deadline.data, self.campaign_start()
        if deadline is None:
            raise ValidationError(_l("Set the day data collection starts first."))
        if start is None:
            raise ValidationError(
                _l("Set the day passes count from, or activate the plan, so the days are known.")
            )
        if deadline <= start:
            return  # the deadline's own error says why
        try:
            values = parse_profile(text)
            check_profile(values, (deadline - start).days)
        except BadProfile as error:
            raise ValidationError(_profile_message(error)) from None
        self._profile = values

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
            deadline=self.deadline.data,
            target_profile=tuple(self._profile) if self._profile else None,
        )


def _profile_message(error: BadProfile) -> str:
    """The admin's message for a profile that breaks a rule."""
    messages = {
        "not-a-number": _l("Day %(day)s: “%(value)s” is not a number."),
        "length": _l(
            "Give one percentage for each of the %(days)s days from the day after the start to "
            "the deadline (you gave %(count)s)."
        ),
        "range": _l("Day %(day)s: a percentage is from 0 to 100."),
        "decreasing": _l("Day %(day)s: the percentages add up and never go down."),
        "end": _l("The last day (the deadline) must be 100."),
    }
    return str(messages[error.reason]) % error.values


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
