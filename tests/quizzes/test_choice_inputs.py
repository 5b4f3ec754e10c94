"""The quiz page writes its radio buttons and boxes itself (issue 16: WTForms' option widgets
were most of the page's time): the HTML must stay exactly what WTForms writes, checked
answers and error attributes included, with labels and values escaped."""

from __future__ import annotations

import pytest
from werkzeug.datastructures import MultiDict
from wtforms import Form, RadioField, SelectChoice
from wtforms.validators import InputRequired

from app.quizzes.forms import CheckboxField, choice_inputs

CHOICES = [SelectChoice("a", 'ข้อ "ก" <b>'), SelectChoice('b"><x', "B"), SelectChoice("skip", "ข้าม")]


class QuizForm(Form):
    q1 = RadioField("one", choices=CHOICES, validators=[InputRequired()])
    q2 = CheckboxField("many", choices=CHOICES, validators=[InputRequired()])
    q3 = RadioField("optional", choices=CHOICES)


@pytest.mark.parametrize("name", ["q1", "q2", "q3"])
@pytest.mark.parametrize("sent", [{}, {"q1": ["a"], "q2": ["a", "skip"], "q3": ['b"><x']}])
@pytest.mark.parametrize("attrs", [{}, {"aria-invalid": "true", "aria-describedby": "q-error-1"}])
def test_choice_inputs_write_what_wtforms_writes(name: str, sent: dict, attrs: dict) -> None:
    field = QuizForm(MultiDict([(k, v) for k, values in sent.items() for v in values]))[name]
    ours = choice_inputs(field, **attrs)
    theirs = [(str(option(**attrs)), str(option.label.text), option.data) for option in field]
    assert [(str(html), label, value) for html, label, value in ours] == theirs
    assert any(" checked " in str(html) for html, _l, _v in ours) == bool(sent)
    assert all("<x" not in str(html) for html, _l, _v in ours)
