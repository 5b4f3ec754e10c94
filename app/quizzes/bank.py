"""Question banks as volunteers take them, cached per content stamp (issue 16): starting a
quiz, its page, a submit and a result each loaded the questions and their choices afresh.

The views here are read-only copies of `Question` and `Choice` with the attributes scoring,
forms and templates read; a question's id names one version of its wording, and any change
of a question, choice or quiz setting moves the content stamp (models.py tracks them), so
the cache never serves what the database no longer says."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ..content.stamp import stamped_cache
from .files import RecordSpec, record_from_data
from .models import Question, Quiz


@dataclass(frozen=True)
class ChoiceView:
    id: int
    key: str
    text: str
    correct: bool
    position: int


@dataclass(frozen=True)
class QuestionView:
    id: int
    indicator_id: int
    key: str
    type: str
    text: str
    explanation: str
    see: str
    record: dict[str, Any] | None
    position: int
    version: int
    published: bool
    choices: tuple[ChoiceView, ...]

    @property
    def correct_keys(self) -> frozenset[str]:
        """The keys of the right choices."""
        return frozenset(c.key for c in self.choices if c.correct)

    @cached_property
    def record_spec(self) -> RecordSpec | None:
        """The recording exercise, parsed once."""
        return record_from_data(self.record)


@dataclass(frozen=True)
class BankView:
    """A quiz's settings and its published questions."""

    pass_mark: int
    draw_size: int
    questions: tuple[QuestionView, ...]


def _view(question: Question) -> QuestionView:
    return QuestionView(
        question.id, question.indicator_id, question.key, question.type, question.text,
        question.explanation, question.see, question.record, question.position,
        question.version, question.published,
        tuple(ChoiceView(c.id, c.key, c.text, c.correct, c.position) for c in question.choices),
    )  # fmt: skip


def question_views(session: Session, ids: list[int]) -> dict[int, QuestionView]:
    """Questions by id (any version, published or not: attempts keep theirs)."""
    cache = stamped_cache(session, "questions")
    missing = [i for i in ids if i not in cache]
    if missing:
        stmt = (
            select(Question).where(Question.id.in_(missing)).options(selectinload(Question.choices))
        )
        for question in session.scalars(stmt):
            cache[question.id] = _view(question)
    return {i: cache[i] for i in ids if i in cache}


def published_bank(session: Session, indicator_id: int) -> BankView | None:
    """The indicator's quiz with its published questions; None without a quiz."""
    cache = stamped_cache(session, "banks")
    if indicator_id not in cache:
        quiz = session.scalar(select(Quiz).where(Quiz.indicator_id == indicator_id))
        bank = None
        if quiz is not None:
            stmt = (
                select(Question)
                .where(Question.indicator_id == indicator_id, Question.published.is_(True))
                .options(selectinload(Question.choices))
            )
            views = tuple(_view(q) for q in session.scalars(stmt))
            bank = BankView(quiz.pass_mark, quiz.draw_size, views)
            # The attempt about to be drawn from it reads its questions next.
            stamped_cache(session, "questions").update((v.id, v) for v in views)
        cache[indicator_id] = bank
    return cache[indicator_id]
