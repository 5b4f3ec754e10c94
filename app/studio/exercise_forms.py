"""The form of a recording exercise: the household scenario, per questionnaire item of the
indicator whether the exercise lists it, what the form needs for the household and why, and the
indicator's result."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from ..content.rules import item_kind
from ..quizzes.files import RESULTS, SKIP, EntrySpec, QuestionSpec, RecordSpec, record_from_data
from ..quizzes.forms import RESULT_LABELS, CheckboxField, whole_number
from . import question_rules as rules
from .question_forms import _strip, explanation_field, see_field, see_labels

if TYPE_CHECKING:
    from ..content.models import FaqCard, RecordingItem
    from ..quizzes.models import Question

SKIP_LABEL = _l("Skip (the form says to skip this item for the household)")


class FormItem:
    """A questionnaire item an exercise can list, with its field names in the form."""

    def __init__(self, index: int, item: RecordingItem):
        self.index, self.item = index, item
        self.options = tuple(a for a in item.answers if a.strip())
        self.kind = item_kind(item.question_th, item.answers)

    def names(self) -> dict[str, str]:
        """use / answer / skip / why field names."""
        i = self.index
        return {"use": f"use_{i}", "answer": f"answer_{i}", "skip": f"skip_{i}", "why": f"why_{i}"}


def form_items(items: list[RecordingItem]) -> list[FormItem]:
    """The items an exercise can list: every item with boxes of its own, in the form's order."""
    listed = [FormItem(i, item) for i, item in enumerate(items)]
    return [f for f in listed if f.kind is not None]


def build_exercise_form(
    items: list[FormItem],
    *,
    faq_cards: list[FaqCard],
    taken_keys: set[str] | None = None,
    formdata=None,
    **kwargs,
):
    """A FlaskForm for these items (CSRF included); taken_keys given for a new exercise."""

    class ExerciseForm(FlaskForm):
        text = TextAreaField(
            _l("The household (scenario, Thai)"),
            filters=[_strip],
            validators=[DataRequired(_l("Describe the household.")), Length(max=2000)],
        )
        result = RadioField(
            _l("Result of this indicator for the household"),
            choices=[SelectChoice(r, RESULT_LABELS[r]) for r in RESULTS],
            validators=[InputRequired(_l("Choose the result for this household."))],
        )
        explanation = explanation_field()
        see = see_field()

    if taken_keys is not None:
        ExerciseForm.key = StringField(
            _l("Short id (optional)"),
            filters=[_strip],
            validators=[Optional(), Length(max=rules.KEY_MAX)],
        )
    for item in items:
        names = item.names()
        setattr(ExerciseForm, names["use"], BooleanField(_l("In this exercise")))
        if item.kind == "number":
            setattr(ExerciseForm, names["answer"], StringField(_l("Number to write")))
            setattr(ExerciseForm, names["skip"], BooleanField(SKIP_LABEL))
        else:
            options = [SelectChoice(str(i), text) for i, text in enumerate(item.options)]
            options.append(SelectChoice(SKIP, SKIP_LABEL))
            field = CheckboxField if item.kind == "many" else SelectField
            if item.kind != "many":
                options.insert(0, SelectChoice("", "—"))
            # validate_exercise checks the answer of the items the exercise lists only
            setattr(
                ExerciseForm,
                names["answer"],
                field(_l("What the form needs"), choices=options, validate_choice=False),
            )
        setattr(
            ExerciseForm,
            names["why"],
            TextAreaField(_l("Why (shown after answering)"), filters=[_strip]),
        )
    form = ExerciseForm(formdata=formdata, **kwargs)
    labels = see_labels(basics=False)
    form.see.choices = [SelectChoice(k, v) for k, v in labels.items()] + [
        SelectChoice(f"faq:{c.slug}", f"FAQ: {c.title_th}") for c in faq_cards
    ]
    form.items = items
    form.taken_keys = taken_keys or set()
    return form


def validate_exercise(form) -> bool:
    """The form's own checks plus: at least one item, each listed item answered and
    explained, a number where a number is written, a key not yet used."""
    ok = form.validate_on_submit()
    if not form.is_submitted():
        return False
    listed = 0
    for item in form.items:
        names = item.names()
        if not form[names["use"]].data:
            continue
        listed += 1
        answer, why = form[names["answer"]], form[names["why"]]
        if not (why.data or "").strip():
            why.errors = [*why.errors, _l("Say why: volunteers read it after answering.")]
            ok = False
        if item.kind == "number":
            skipped = form[names["skip"]].data
            if skipped == bool((answer.data or "").strip()) or (
                not skipped and whole_number(answer.data) is None
            ):
                answer.errors = [*answer.errors, _l("Write a whole number, or tick skip.")]
                ok = False
        else:
            values = answer.data if isinstance(answer.data, list) else [answer.data]
            values = [v for v in values if v]
            known = {str(i) for i in range(len(item.options))} | {SKIP}
            if not values or (SKIP in values and len(values) > 1) or set(values) - known:
                answer.errors = [*answer.errors, _l("Choose what the form needs, or skip.")]
                ok = False
    if listed == 0:
        form.result.errors = [
            *form.result.errors,
            _l("Tick at least one item the volunteer records."),
        ]
        ok = False
    key = getattr(form, "key", None)
    if key is not None and key.data and rules.slugify_key(key.data) in form.taken_keys:
        key.errors = [*key.errors, _l("Another question of this indicator has this id.")]
        ok = False
    return ok


def exercise_spec(form, key: str) -> QuestionSpec:
    """The validated form as a QuestionSpec of type record."""
    entries = []
    for item in form.items:
        names = item.names()
        if not form[names["use"]].data:
            continue
        data = form[names["answer"]].data
        if item.kind == "number":
            answer = (SKIP,) if form[names["skip"]].data else (whole_number(data),)
        else:
            values = data if isinstance(data, list) else [data]
            answer = (SKIP,) if SKIP in values else tuple(sorted(v for v in values if v))
        entries.append(
            EntrySpec(
                label=item.item.label,
                question=item.item.question_th,
                options=item.options,
                kind=item.kind,
                answer=answer,
                why=form[names["why"]].data.strip(),
            )
        )
    return QuestionSpec(
        key=key,
        type="record",
        text=form.text.data,
        choices=(),
        explanation=form.explanation.data,
        see=form.see.data,
        record=RecordSpec(tuple(entries), form.result.data),
    )


def fill_exercise(form, question: Question) -> None:
    """Put a saved exercise into the form (GET of the edit page)."""
    record = record_from_data(question.record)
    form.text.data, form.explanation.data = question.text, question.explanation
    form.see.data, form.result.data = question.see, record.result
    by_label = {e.label: e for e in record.entries}
    for item in form.items:
        entry = by_label.get(item.item.label)
        if entry is None:
            continue
        names = item.names()
        form[names["use"]].data = True
        form[names["why"]].data = entry.why
        if item.kind == "number":
            form[names["skip"]].data = entry.skipped
            form[names["answer"]].data = "" if entry.skipped else entry.answer[0]
        elif item.kind == "many":
            form[names["answer"]].data = list(entry.answer)
        else:
            form[names["answer"]].data = entry.answer[0]
