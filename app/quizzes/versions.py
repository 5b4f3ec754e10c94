"""Question versions: new wording for a question that volunteers were asked goes into a new
version, so their attempts keep what they saw. The one writer of a question's content, used by
the studio and by `flask content load`."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from ..content.services import assign
from .files import ChoiceSpec, QuestionSpec, record_data, record_from_data
from .models import Attempt, AttemptAnswer, Choice, Question


def was_asked(session: Session, question: Question) -> bool:
    """True when an attempt drew or answered this question (this version)."""
    if question.id is None:
        return False
    # A submitted attempt has an answer row for every question it drew, so only the draws of
    # open attempts need reading (JSON, read here so it works the same on every database).
    answered = session.scalar(select(exists().where(AttemptAnswer.question_id == question.id)))
    if answered:
        return True
    open_draws = select(Attempt.draw).where(
        Attempt.indicator_id == question.indicator_id, Attempt.submitted_at.is_(None)
    )
    return any(item["q"] == question.id for draw in session.scalars(open_draws) for item in draw)


def content_differs(question: Question, spec: QuestionSpec) -> bool:
    """True when the spec's type, wording, choices, recording items, explanation or `see`
    differ from the row."""
    current = (
        question.type,
        question.text,
        question.explanation,
        question.see,
        [(c.key, c.text, c.correct) for c in question.choices],
        question.record or None,
    )
    wanted = (
        spec.type,
        spec.text,
        spec.explanation,
        spec.see,
        [(c.key, c.text, c.correct) for c in spec.choices],
        record_data(spec.record),
    )
    return current != wanted


def _write(question: Question, spec: QuestionSpec) -> None:
    assign(
        question,
        type=spec.type,
        text=spec.text,
        explanation=spec.explanation,
        see=spec.see,
        record=record_data(spec.record),
    )
    choices = {c.key: c for c in question.choices}
    for index, choice_spec in enumerate(spec.choices):
        choice = choices.pop(choice_spec.key, None)
        if choice is None:
            choice = Choice(key=choice_spec.key)
            question.choices.append(choice)
        assign(choice, text=choice_spec.text, correct=choice_spec.correct, position=index)
    for gone in choices.values():
        question.choices.remove(gone)


def save_question_content(
    session: Session, question: Question, spec: QuestionSpec, *, now: datetime
) -> tuple[Question, bool]:
    """Write the spec's content (not its key) into the question: in place when no attempt has
    drawn it, else into a new version with the same key, position and published state, while
    this row is archived. Returns the row holding the content and whether anything changed."""
    if not content_differs(question, spec):
        return question, False
    if not was_asked(session, question):
        _write(question, spec)
        return question, True
    latest = session.scalar(
        select(func.max(Question.version)).where(
            Question.indicator_id == question.indicator_id, Question.key == question.key
        )
    )
    newer = Question(
        indicator_id=question.indicator_id,
        key=question.key,
        version=(latest or question.version) + 1,
        position=question.position,
        published=question.published,
        choices=[],
    )
    # Archived implies unpublished: "volunteers can draw it" is just `published`.
    question.archived_at = now
    question.published = False
    session.add(newer)
    _write(newer, spec)
    session.flush()
    return newer, True


def draft_data(spec: QuestionSpec) -> dict:
    """A question's content (not its key) as stored in Question.draft (JSON)."""
    return {
        "type": spec.type,
        "text": spec.text,
        "choices": [[c.key, c.text, c.correct] for c in spec.choices],
        "explanation": spec.explanation,
        "see": spec.see,
        "record": record_data(spec.record),
    }


def draft_spec(question: Question) -> QuestionSpec | None:
    """The question's staged draft as a spec (None without one)."""
    data = question.draft
    if not data:
        return None
    return QuestionSpec(
        question.key,
        data["type"],
        data["text"],
        tuple(ChoiceSpec(key, text, bool(correct)) for key, text, correct in data["choices"]),
        data["explanation"],
        data["see"],
        record_from_data(data["record"]),
    )


def draft_view(question: Question) -> Question:
    """A detached copy of the question showing its draft (the question itself without one),
    for filling the studio's edit form; never added to the session."""
    spec = draft_spec(question)
    if spec is None:
        return question
    return Question(
        key=question.key,
        type=spec.type,
        text=spec.text,
        explanation=spec.explanation,
        see=spec.see,
        record=record_data(spec.record),
        choices=[
            Choice(key=c.key, text=c.text, correct=c.correct, position=i)
            for i, c in enumerate(spec.choices)
        ],
    )
