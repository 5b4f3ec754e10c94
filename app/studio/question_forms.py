"""Forms for a question and for an indicator's quiz settings."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    Field,
    FieldList,
    Form,
    FormField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from ..quizzes.files import CHOICE_KEYS, QuestionSpec
from . import question_rules as rules
from .forms import BASICS_LABELS, SECTION_LABELS

if TYPE_CHECKING:
    from ..content.models import FaqCard
    from ..quizzes.models import Question, Quiz

CHOICE_ROWS = len(CHOICE_KEYS)
SHOWN_ROWS = 4  # empty rows shown before "add a choice" (choices.js hides the rest)

PROBLEMS = {
    rules.EMPTY_CORRECT: _l("A choice ticked as correct has no text."),
    rules.TOO_FEW: _l("Write at least 2 choices."),
    rules.DUPLICATE: _l("Two choices have the same text."),
    rules.SINGLE_NEEDS_ONE: _l("A single-choice question needs exactly 1 correct choice."),
    rules.MULTIPLE_NEEDS_ONE: _l("A multiple-choice question needs at least 1 correct choice."),
}


def _strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


def see_labels(*, basics: bool) -> dict[str, str]:
    """Where a question may point, named as the quiz result page names it."""
    if basics:
        return dict(BASICS_LABELS)
    return {**SECTION_LABELS, "criterion": _l("Criterion")}


def explanation_field() -> TextAreaField:
    """What volunteers read after answering a question (or an exercise)."""
    return TextAreaField(
        _l("Explanation"),
        filters=[_strip],
        validators=[
            DataRequired(_l("Write the explanation: volunteers read it after answering.")),
            Length(max=4000),
        ],
    )


def see_field() -> SelectField:
    """The lesson part a wrong answer leads back to (its choices are set per indicator)."""
    return SelectField(
        _l("Where the lesson covers it"),
        validators=[InputRequired(_l("Choose where the lesson covers it."))],
    )


class ChoiceRow(Form):
    """One answer option and whether it is right."""

    text = StringField(_l("Choice"), filters=[_strip], validators=[Length(max=1000)])
    correct = BooleanField(_l("Correct"))


class QuestionForm(FlaskForm):
    """A question's content; `key` only when creating."""

    key = StringField(
        _l("Short id (optional)"),
        filters=[_strip],
        validators=[Optional(), Length(max=rules.KEY_MAX)],
    )
    type = RadioField(
        _l("Type"),
        choices=[
            SelectChoice("single", _l("Single choice: one right answer")),
            SelectChoice("multiple", _l("Multiple choice: one or more right answers")),
            SelectChoice("truefalse", _l("True or false")),
        ],
        default="single",
        validators=[InputRequired(_l("Choose the type."))],
    )
    text = TextAreaField(
        _l("Question (Thai)"),
        filters=[_strip],
        validators=[DataRequired(_l("Write the question.")), Length(max=2000)],
    )
    answer = RadioField(
        _l("Answer of a true-or-false question"),
        choices=[SelectChoice("true", "ถูก"), SelectChoice("false", "ผิด")],
        validate_choice=False,  # validate_answer checks it, for true-or-false questions only
    )
    choices = FieldList(FormField(ChoiceRow), min_entries=CHOICE_ROWS, max_entries=CHOICE_ROWS)
    explanation = explanation_field()
    see = see_field()

    def __init__(
        self,
        *args,
        faq_cards: Iterable[FaqCard] = (),
        basics: bool = False,
        taken_keys: Iterable[str] = (),
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        labels = see_labels(basics=basics)
        cards = {f"faq:{c.slug}": c for c in faq_cards}
        options = []
        for value in rules.see_values([c.slug for c in cards.values()], basics=basics):
            if value in cards:
                card = cards[value]
                label = f"FAQ: {card.title_th}"
                label = label if card.published else f"{label} ({_l('draft')})"
                options.append(SelectChoice(value, label))
            else:
                options.append(SelectChoice(value, labels[value]))
        self.see.choices = options
        self.taken_keys = set(taken_keys)
        self.choice_errors: list[str] = []

    def validate_key(self, field: Field) -> None:
        """A typed id must make a slug that no question of this indicator uses yet."""
        slug = rules.slugify_key(field.data or "")
        if not slug:
            raise ValidationError(
                _l("Use English letters, digits or '-', or leave it empty for an automatic id.")
            )
        if slug in self.taken_keys:
            raise ValidationError(
                _l("Another question of this indicator has the id %(key)s.", key=slug)
            )

    def validate_answer(self, field: Field) -> None:
        """A true-or-false question needs its answer."""
        if self.type.data == "truefalse" and field.data not in ("true", "false"):
            raise ValidationError(_l("Choose whether the statement is true or false."))

    def rows(self) -> list[tuple[str, bool]]:
        """The choice rows as (text, ticked)."""
        return [
            (entry.form.text.data or "", bool(entry.form.correct.data)) for entry in self.choices
        ]

    def validate(self, extra_validators=None) -> bool:
        """Field checks, then the choice rules (one error per problem)."""
        valid = super().validate(extra_validators)
        self.choice_errors = [
            PROBLEMS[p] for p in rules.choice_problems(self.type.data, self.rows())
        ]
        return valid and not self.choice_errors

    def spec(self, key: str) -> QuestionSpec:
        """The validated content as a QuestionSpec under this key."""
        answer = self.answer.data == "true" if self.type.data == "truefalse" else None
        return QuestionSpec(
            key=key,
            type=self.type.data,
            text=self.text.data,
            choices=rules.build_choices(self.type.data, self.rows(), answer),
            explanation=self.explanation.data,
            see=self.see.data,
        )

    def fill(self, question: Question) -> None:
        """Show a stored question (on GET)."""
        self.type.data = question.type
        self.text.data = question.text
        self.explanation.data = question.explanation
        self.see.data = question.see
        if question.type == "truefalse":
            self.answer.data = (
                "true" if question.choices and question.choices[0].correct else "false"
            )
            return
        for entry, choice in zip(self.choices, question.choices, strict=False):
            entry.form.text.data = choice.text
            entry.form.correct.data = choice.correct

    def shown_rows(self) -> int:
        """How many choice rows to show before "add a choice": the filled ones plus one."""
        filled = max((i + 1 for i, (text, _) in enumerate(self.rows()) if text), default=0)
        return min(CHOICE_ROWS, max(SHOWN_ROWS, filled + 1))


class QuizSettingsForm(FlaskForm):
    """Pass mark and draw size of an indicator's quiz."""

    pass_mark = IntegerField(
        _l("Pass mark (%)"),
        validators=[
            InputRequired(_l("Give the pass mark.")),
            NumberRange(1, 100, _l("The pass mark is a percentage from 1 to 100.")),
        ],
    )
    draw_size = IntegerField(
        _l("Questions drawn per attempt"),
        validators=[
            InputRequired(_l("Give the draw size.")),
            NumberRange(min=1, message=_l("Draw at least 1 question.")),
        ],
    )

    @classmethod
    def for_quiz(cls, quiz: Quiz | None) -> QuizSettingsForm:
        """The form showing the quiz's settings (80 % and 5 questions for a new quiz)."""
        if quiz is None:
            return cls(pass_mark=80, draw_size=5)
        return cls(obj=quiz)
