"""The quiz form, built for the questions of one attempt."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from wtforms import (
    BooleanField,
    Field,
    RadioField,
    SelectChoice,
    SelectMultipleField,
    StringField,
    widgets,
)
from wtforms.validators import InputRequired, ValidationError

from .files import RESULTS, SKIP, record_from_data
from .rules import record_answer

if TYPE_CHECKING:
    from .files import RecordSpec
    from .models import Choice, Question

RESULT_LABELS = {
    "pass": _l("Pass"),
    "fail": _l("Fail"),
    "not_assessed": _l("Not assessed (-)"),
}
NUMBER = re.compile(r"[0-9][0-9,\s]{0,15}")


class CheckboxField(SelectMultipleField):
    """Several choices as checkboxes."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def choice_inputs(field: Field, **attrs: str) -> list[tuple[Markup, str, str]]:
    """(input, label, value) per choice of a radio or checkbox field: the same HTML as
    WTForms' option widgets, written directly (building an option field and its widget per
    choice was most of a quiz page's time)."""
    kind = "checkbox" if isinstance(field, SelectMultipleField) else "radio"
    fixed = "".join(f' {key}="{escape(value)}"' for key, value in sorted(attrs.items()))
    required = " required" if field.flags.required else ""
    ident, name = escape(field.id), escape(field.name)
    inputs = []
    for index, choice in enumerate(field.iter_choices()):
        checked = " checked" if choice.selected else ""
        html = (
            f'<input{fixed}{checked} id="{ident}-{index}" name="{name}"{required}'
            f' type="{kind}" value="{escape(choice.value)}">'
        )
        label = str(choice.label or choice.value)
        inputs.append((Markup(html), label, str(choice.value)))  # noqa: S704 - escaped above
    return inputs


def field_name(question_id: int) -> str:
    """The form field of a drawn question (of a recording exercise: the prefix of its fields)."""
    return f"q{question_id}"


def entry_field(question_id: int, index: int) -> str:
    """The field of one item of a recording exercise."""
    return f"q{question_id}_{index}"


def skip_field(question_id: int, index: int) -> str:
    """The "skip" box beside an item where a number is written."""
    return f"q{question_id}_{index}_skip"


def result_field(question_id: int) -> str:
    """The field of a recording exercise's result."""
    return f"q{question_id}_r"


def field_names(drawn: list[tuple[Question, list[Choice]]]) -> set[str]:
    """Every field name the form of these questions can post."""
    names = set()
    for question, _choices in drawn:
        record = record_from_data(question.record) if question.type == "record" else None
        if record is None:
            names.add(field_name(question.id))
            continue
        names.add(result_field(question.id))
        for index, entry in enumerate(record.entries):
            names.add(entry_field(question.id, index))
            if entry.kind == "number":
                names.add(skip_field(question.id, index))
    return names


def whole_number(text: str) -> str | None:
    """'12,500' or '12 500' as '12500'; None when it is not a whole number."""
    text = (text or "").strip()
    if not NUMBER.fullmatch(text):
        return None
    return re.sub(r"[,\s]", "", text)


class _NumberOrSkip:
    """A number item: a whole number, or the skip box, not both and not neither."""

    def __init__(self, skip_name: str):
        self.skip_name = skip_name

    def __call__(self, form, field) -> None:
        skipped = form[self.skip_name].data
        written = (field.data or "").strip()
        if skipped and written:
            raise ValidationError(_l("Write the number or tick skip, not both."))
        if not skipped and whole_number(written) is None:
            raise ValidationError(_l("Write a whole number (digits only), or tick skip."))


class _AnswerOrSkip:
    """Several boxes: some answers, or skip alone."""

    def __call__(self, form, field) -> None:
        if SKIP in (field.data or []) and len(field.data) > 1:
            raise ValidationError(_l("Tick skip alone, or the answers without skip."))


def _add_record_fields(form_class, question: Question, record: RecordSpec) -> None:
    required = InputRequired(message=_l("Record this item, or choose skip."))
    skip = SelectChoice(SKIP, _l("Skip this item (the form says to)"))
    for index, entry in enumerate(record.entries):
        name = entry_field(question.id, index)
        if entry.kind == "number":
            setattr(form_class, skip_field(question.id, index), BooleanField(skip.label))
            field = StringField(
                entry.question,
                validators=[_NumberOrSkip(skip_field(question.id, index))],
                render_kw={"inputmode": "numeric", "autocomplete": "off"},
            )
        else:
            options = [SelectChoice(str(i), text) for i, text in enumerate(entry.options)]
            field_class = CheckboxField if entry.kind == "many" else RadioField
            validators = [required] + ([_AnswerOrSkip()] if entry.kind == "many" else [])
            field = field_class(entry.question, choices=[*options, skip], validators=validators)
        setattr(form_class, name, field)
    setattr(
        form_class,
        result_field(question.id),
        RadioField(
            _l("Result of this indicator for the household"),
            choices=[SelectChoice(r, RESULT_LABELS[r]) for r in RESULTS],
            validators=[InputRequired(message=_l("Choose the result for this household."))],
        ),
    )


def build_attempt_form(drawn: list[tuple[Question, list[Choice]]]) -> FlaskForm:
    """A FlaskForm (CSRF included) with one required field per drawn question (a recording
    exercise: one per item, and its result)."""

    class AttemptForm(FlaskForm):
        pass

    required = InputRequired(message=_l("Answer this question."))
    for question, choices in drawn:
        if question.type == "record":
            _add_record_fields(AttemptForm, question, record_from_data(question.record))
            continue
        options = [SelectChoice(c.key, c.text) for c in choices]
        field_class = CheckboxField if question.type == "multiple" else RadioField
        setattr(
            AttemptForm,
            field_name(question.id),
            field_class(question.text, choices=options, validators=[required]),
        )
    return AttemptForm()


def attempt_answers(form: FlaskForm, drawn: list[tuple[Question, list[Choice]]]) -> dict:
    """Question id -> the stored answer (choice keys, or a recording exercise's entries)."""
    answers: dict[int, list[str]] = {}
    for question, _choices in drawn:
        if question.type != "record":
            data = form[field_name(question.id)].data
            answers[question.id] = data if isinstance(data, list) else [data]
            continue
        record = record_from_data(question.record)
        entries: dict[int, list[str]] = {}
        for index, entry in enumerate(record.entries):
            data = form[entry_field(question.id, index)].data
            if entry.kind == "number":
                skipped = form[skip_field(question.id, index)].data
                entries[index] = [SKIP] if skipped else [whole_number(data) or ""]
            else:
                entries[index] = data if isinstance(data, list) else [data]
        answers[question.id] = record_answer(entries, form[result_field(question.id)].data)
    return answers
