"""The quiz form, built for the questions of one attempt."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectChoice, SelectMultipleField, widgets
from wtforms.validators import InputRequired

if TYPE_CHECKING:
    from .models import Choice, Question


class CheckboxField(SelectMultipleField):
    """Several choices as checkboxes."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def field_name(question_id: int) -> str:
    """The form field of a drawn question."""
    return f"q{question_id}"


def build_attempt_form(drawn: list[tuple[Question, list[Choice]]]) -> FlaskForm:
    """A FlaskForm (CSRF included) with one required field per drawn question."""

    class AttemptForm(FlaskForm):
        pass

    required = InputRequired(message=_l("Answer this question."))
    for question, choices in drawn:
        options = [SelectChoice(c.key, c.text) for c in choices]
        field_class = CheckboxField if question.type == "multiple" else RadioField
        setattr(
            AttemptForm,
            field_name(question.id),
            field_class(question.text, choices=options, validators=[required]),
        )
    return AttemptForm()
