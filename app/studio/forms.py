"""Studio forms: wording, its confirmation, lesson text and FAQ cards."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from ..content.files import SLUG
from ..content.models import LESSON_SECTIONS

MARKDOWN_MAX = 20_000  # characters in one Markdown field (also the live preview's limit)

# The lesson page's own section headings (the same message ids, so already translated).
SECTION_LABELS = {
    "measures": _l("What it measures and why"),
    "target_group": _l("Whom to ask about"),
    "how_to_ask": _l("How to ask"),
    "how_to_record": _l("How to record"),
    "pitfalls": _l("Common mistakes"),
}
BASICS_LABELS = {
    "measures": _l("What BMN data are for"),
    "target_group": _l("Households and members"),
    "how_to_ask": _l("Interviewing"),
    "how_to_record": _l("Recording and checking"),
    "pitfalls": _l("Common mistakes and where to get help"),
}


def _markdown(label: str, required: bool = False) -> TextAreaField:
    """A Markdown text area with the shared length limit."""
    first = DataRequired() if required else Optional()
    return TextAreaField(label, validators=[first, Length(max=MARKDOWN_MAX)])


class WordingForm(FlaskForm):
    """The indicator's own wording as volunteers read it."""

    title_th = StringField(_l("Title (Thai)"), validators=[DataRequired(), Length(max=300)])
    title_en = StringField(_l("Title (English)"), validators=[DataRequired(), Length(max=300)])
    target_group_th = StringField(
        _l("Target group (Thai)"), validators=[Optional(), Length(max=300)]
    )
    criterion_th = TextAreaField(_l("Criterion (Thai)"), validators=[Optional(), Length(max=2000)])


class ConfirmForm(FlaskForm):
    """Confirming the wording against the official manual."""

    note = StringField(
        _l("Manual and page checked"),
        validators=[
            DataRequired(message=_l("Say which manual and page you checked.")),
            Length(max=300),
        ],
    )


def build_lesson_form(basics: bool, obj: object = None) -> FlaskForm:
    """The five lesson sections, labelled as on the lesson page."""
    labels = BASICS_LABELS if basics else SECTION_LABELS

    class LessonForm(FlaskForm):
        pass

    for name in LESSON_SECTIONS:
        setattr(LessonForm, name, _markdown(labels[name]))
    return LessonForm(obj=obj)


class FaqForm(FlaskForm):
    """An FAQ card's title and Markdown answer."""

    title = StringField(_l("Problem (title)"), validators=[DataRequired(), Length(max=300)])
    body = _markdown(_l("Answer (Markdown)"), required=True)


class NewFaqForm(FaqForm):
    """A new FAQ card: also its id, used in links and in questions' `see: faq:<id>`."""

    slug = StringField(
        _l("Card id (optional)"),
        validators=[
            Optional(),
            Length(max=80),
            Regexp(
                SLUG.pattern + "$",
                message=_l("Use lower-case English letters and digits joined by hyphens."),
            ),
        ],
    )
