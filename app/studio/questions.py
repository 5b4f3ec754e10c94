"""Question banks in the studio: list, create, edit (versioned), reorder, publish, retire,
and the quiz settings. Every change writes an audit entry; the caller commits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from ..content.audit import record
from ..content.models import FaqCard, Indicator
from ..db import utcnow
from ..errors import DomainError
from ..quizzes.files import QuestionSpec
from ..quizzes.models import AttemptAnswer, Question, Quiz
from ..quizzes.versions import content_differs, draft_data, draft_spec, save_question_content


class _DrawSize(DomainError):
    """A change that would leave the draw more questions than are published."""

    def __init__(self, published: int, draw_size: int):
        super().__init__(published, draw_size)
        self.published, self.draw_size = published, draw_size


class BankTooSmall(_DrawSize):
    """Retiring or unpublishing would leave fewer published questions than the draw."""

    def __str__(self) -> str:
        return _(
            "Volunteers draw %(draw)d questions and only %(count)d would stay published: "
            "lower the draw size first.",
            draw=self.draw_size,
            count=self.published,
        )


class DrawTooLarge(_DrawSize):
    """The quiz settings ask to draw more questions than the bank has published."""

    def __str__(self) -> str:
        return _(
            "The bank has only %(count)d published questions, fewer than a draw of %(draw)d: "
            "publish more questions or choose a smaller draw size.",
            count=self.published,
            draw=self.draw_size,
        )


class QuestionRetired(DomainError):
    """A retired (or replaced) question cannot be changed or published."""

    status_code = 409

    def __str__(self) -> str:
        return _("This question is retired: volunteers no longer get it, and it cannot change.")


@dataclass(frozen=True)
class QuestionRow:
    """A question in the studio list: its current version and how often it was answered."""

    question: Question
    answered: int  # attempts that answered this version


@dataclass(frozen=True)
class BankView:
    """An indicator's bank for the studio page."""

    quiz: Quiz | None
    active: list[QuestionRow]  # not retired, in order
    retired: list[QuestionRow]
    published: int

    @property
    def short(self) -> bool:
        """True when fewer questions are published than volunteers draw."""
        return self.quiz is not None and self.published < self.quiz.draw_size


def get_quiz(session: Session, indicator_id: int) -> Quiz | None:
    """The indicator's quiz settings, if it has any."""
    return session.scalar(select(Quiz).where(Quiz.indicator_id == indicator_id))


def current_versions(session: Session, indicator_id: int) -> list[Question]:
    """The newest version of each of the indicator's questions, retired ones included, in
    order."""
    stmt = (
        select(Question)
        .where(Question.indicator_id == indicator_id)
        .order_by(Question.version)
        .options(selectinload(Question.choices))
    )
    latest = {q.key: q for q in session.scalars(stmt)}
    return sorted(latest.values(), key=lambda q: (q.position, q.id))


def newest_version(session: Session, question: Question) -> Question:
    """The newest version of the question's key (the question itself when it is)."""
    stmt = (
        select(Question)
        .where(Question.indicator_id == question.indicator_id, Question.key == question.key)
        .order_by(Question.version.desc())
    )
    return session.scalars(stmt).first() or question


def published_count(session: Session, indicator_id: int) -> int:
    """How many questions volunteers can draw (published implies not archived)."""
    stmt = select(func.count()).where(
        Question.indicator_id == indicator_id, Question.published.is_(True)
    )
    return session.scalar(stmt) or 0


def bank_view(session: Session, indicator: Indicator) -> BankView:
    """The indicator's questions, their answer counts and its quiz settings."""
    stmt = (
        select(AttemptAnswer.question_id, func.count())
        .join(Question, Question.id == AttemptAnswer.question_id)
        .where(Question.indicator_id == indicator.id)
        .group_by(AttemptAnswer.question_id)
    )
    answered = dict(session.execute(stmt).all())
    rows = [QuestionRow(q, answered.get(q.id, 0)) for q in current_versions(session, indicator.id)]
    return BankView(
        quiz=get_quiz(session, indicator.id),
        active=[r for r in rows if r.question.archived_at is None],
        retired=[r for r in rows if r.question.archived_at is not None],
        published=published_count(session, indicator.id),
    )


def used_keys(session: Session, indicator_id: int) -> set[str]:
    """Every key the indicator's questions have used, retired ones included."""
    stmt = select(Question.key).where(Question.indicator_id == indicator_id).distinct()
    return set(session.scalars(stmt))


def faq_cards(session: Session, indicator_id: int) -> list[FaqCard]:
    """The indicator's FAQ cards a question may point to (not archived), in order."""
    stmt = (
        select(FaqCard)
        .where(FaqCard.indicator_id == indicator_id, FaqCard.archived_at.is_(None))
        .order_by(FaqCard.position, FaqCard.id)
    )
    return list(session.scalars(stmt))


def create_question(
    session: Session, indicator: Indicator, spec: QuestionSpec, *, user_id: int, now: datetime
) -> Question:
    """Add a draft question at the end of the bank."""
    last = session.scalar(
        select(func.max(Question.position)).where(Question.indicator_id == indicator.id)
    )
    question = Question(
        indicator_id=indicator.id,
        key=spec.key,
        version=1,
        position=(last or 0) + 1,
        published=False,
        choices=[],
    )
    session.add(question)
    save_question_content(session, question, spec, now=now)  # new, so written in place
    session.flush()
    record(
        session,
        user_id=user_id,
        action="question.create",
        indicator_id=indicator.id,
        question_id=question.id,
        key=question.key,
        version=question.version,
    )
    return question


def edit_question(
    session: Session, question: Question, spec: QuestionSpec, *, user_id: int, now: datetime
) -> Question | None:
    """Save new content: a published question keeps what volunteers draw and holds the edit
    as its draft until publish_draft (an edit back to the published content drops the draft);
    a draft is saved in place, or as a new version when attempts drew it. Returns the row
    holding the content, or None when nothing changed."""
    if question.archived_at is not None:
        raise QuestionRetired(question.id)
    if question.published:
        draft = draft_data(spec) if content_differs(question, spec) else None
        if draft == question.draft:
            return None
        question.draft = draft
        record(
            session, user_id=user_id, action="question.draft", indicator_id=question.indicator_id,
            key=question.key, version=question.version, staged=draft is not None,
        )  # fmt: skip
        return question
    return _save(session, question, spec, user_id=user_id, now=now)


def _save(
    session: Session, question: Question, spec: QuestionSpec, *, user_id: int, now: datetime
) -> Question | None:
    """Write content through the versions (a new version when attempts drew this one)."""
    old_id, old_version = question.id, question.version
    saved, changed = save_question_content(session, question, spec, now=now)
    if not changed:
        return None
    session.flush()
    record(
        session,
        user_id=user_id,
        action="question.edit",
        indicator_id=question.indicator_id,
        key=question.key,
        version=[old_version, saved.version],
        question_id=[old_id, saved.id],
    )
    return saved


def publish_draft(
    session: Session, question: Question, *, user_id: int, now: datetime
) -> Question | None:
    """Publish a question's draft: a new version when volunteers were asked this one (their
    attempts keep it), else in place. The row volunteers now draw; None without a draft."""
    if question.archived_at is not None:
        raise QuestionRetired(question.id)
    spec = draft_spec(question)
    if spec is None:
        return None
    question.draft = None
    return _save(session, question, spec, user_id=user_id, now=now) or question


def discard_draft(session: Session, question: Question, *, user_id: int) -> bool:
    """Drop a question's draft, keeping the published content; False without one."""
    if question.archived_at is not None:
        raise QuestionRetired(question.id)
    if not question.draft:
        return False
    question.draft = None
    record(
        session, user_id=user_id, action="question.discard_draft",
        indicator_id=question.indicator_id, key=question.key, version=question.version,
    )  # fmt: skip
    return True


def _check_draw(session: Session, question: Question) -> None:
    """Refuse taking a published question away when the draw needs it."""
    quiz = get_quiz(session, question.indicator_id)
    if question.published and quiz is not None:
        left = published_count(session, question.indicator_id) - 1
        if left < quiz.draw_size:
            raise BankTooSmall(left, quiz.draw_size)


def retire_question(session: Session, question: Question, *, user_id: int, now: datetime) -> None:
    """Archive the question: never drawn again, kept for the attempts that asked it."""
    if question.archived_at is not None:
        raise QuestionRetired(question.id)
    _check_draw(session, question)
    was_published = question.published
    question.archived_at = now
    question.published = False
    record(
        session,
        user_id=user_id,
        action="question.retire",
        indicator_id=question.indicator_id,
        key=question.key,
        version=question.version,
        was_published=was_published,
    )


def set_published(session: Session, question: Question, published: bool, *, user_id: int) -> bool:
    """Publish (volunteers can draw it) or unpublish (back to draft); False if already so."""
    if question.archived_at is not None:
        raise QuestionRetired(question.id)
    if question.published == published:
        return False
    if not published:
        _check_draw(session, question)
    question.published = published
    spec = draft_spec(question)
    if not published and spec is not None:  # nothing is shown now: the draft is the content
        question.draft = None
        _save(session, question, spec, user_id=user_id, now=utcnow())
    record(
        session,
        user_id=user_id,
        action="question.publish",
        indicator_id=question.indicator_id,
        key=question.key,
        version=question.version,
        published=[not published, published],
    )
    return True


def move_question(session: Session, question: Question, direction: str, *, user_id: int) -> bool:
    """Swap the question with its neighbour above ("up") or below ("down"); positions of the
    bank become 1..n. False when it is already first or last."""
    if question.archived_at is not None:
        raise QuestionRetired(question.id)
    order = [q for q in current_versions(session, question.indicator_id) if q.archived_at is None]
    index = order.index(question)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(order):
        return False
    order[index], order[other] = order[other], order[index]
    before = question.position
    for position, item in enumerate(order, start=1):
        item.position = position
    record(
        session,
        user_id=user_id,
        action="question.move",
        indicator_id=question.indicator_id,
        key=question.key,
        position=[before, question.position],
    )
    return True


def save_quiz_settings(
    session: Session, indicator: Indicator, *, pass_mark: int, draw_size: int, user_id: int
) -> Quiz:
    """Set the pass mark and draw size; refused when fewer questions are published than the
    draw."""
    published = published_count(session, indicator.id)
    if published < draw_size:
        raise DrawTooLarge(published, draw_size)
    quiz = get_quiz(session, indicator.id)
    old = (quiz.pass_mark, quiz.draw_size) if quiz else (None, None)
    if quiz is None:
        quiz = Quiz(indicator_id=indicator.id, pass_mark=pass_mark, draw_size=draw_size)
        session.add(quiz)
    quiz.pass_mark, quiz.draw_size = pass_mark, draw_size
    if old != (pass_mark, draw_size):
        record(
            session,
            user_id=user_id,
            action="quiz.settings",
            indicator_id=indicator.id,
            pass_mark=[old[0], pass_mark],
            draw_size=[old[1], draw_size],
        )
    return quiz
