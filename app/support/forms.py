"""Forms of the support queue: ask, answer, and the admins' team assignment."""

from __future__ import annotations

import uuid

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import HiddenField, SelectChoice, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, Regexp

from ..areas.models import ZONES

TEXT_MIN, TEXT_MAX = 5, 1000
ANSWER_MAX = 5000
ZONE_LABELS = {
    "north": _l("North zone"),
    "central": _l("Central zone"),
    "south": _l("South zone"),
    "province": _l("Province-wide (no zone)"),
}


def new_key() -> str:
    """A fresh request key (32 hex digits)."""
    return uuid.uuid4().hex


class AskForm(FlaskForm):
    """A volunteer's question about the indicator of the page, with an optional photo."""

    text = TextAreaField(
        _l("Ask a question about this indicator"),
        validators=[
            DataRequired(message=_l("Write your question.")),
            Length(
                min=TEXT_MIN,
                max=TEXT_MAX,
                message=_l(
                    "Write your question in %(min)d to %(max)d characters.",
                    min=TEXT_MIN,
                    max=TEXT_MAX,
                ),
            ),
        ],
    )
    photo = FileField(_l("Photo (optional)"))
    # The same form sent twice (a double tap, a resent page) records one question.
    request_key = HiddenField(
        default=new_key,
        validators=[DataRequired(), Regexp(r"^[0-9a-f]{32}$", message=_l("Reload the page."))],
    )


class AnswerForm(FlaskForm):
    """A team member's answer."""

    answer = TextAreaField(
        _l("Answer"),
        validators=[
            DataRequired(message=_l("Write the answer.")),
            Length(max=ANSWER_MAX, message=_l("The answer is too long.")),
        ],
    )


class MemberForm(FlaskForm):
    """Put a trainer or officer on a zone's team."""

    user_id = SelectField(_l("Trainer or officer"), coerce=int)
    zone = SelectField(
        _l("Zone"), choices=[SelectChoice(z, ZONE_LABELS[z]) for z in (*ZONES, "province")]
    )
