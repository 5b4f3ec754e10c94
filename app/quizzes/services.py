"""Quiz services: loading banks, starting and submitting attempts."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from ..content.heads import IndicatorHead
from ..content.models import Indicator
from ..content.services import Changes, assign
from ..db import conflict_insert, utcnow
from ..errors import DomainError
from .bank import ChoiceView, QuestionView, published_bank, question_views
from .files import Bank, EntrySpec, RecordSpec
from .models import Attempt, AttemptAnswer, Question, Quiz
from .rules import (
    draw_questions,
    is_correct,
    mark_record,
    passes,
    record_answer_problem,
    retake_at,
)
from .signals import answers_after_fail, attempt_submitted
from .versions import save_question_content


class NoQuiz(DomainError):
    """The indicator has no published questions yet."""

    status_code = 404


class QuizOnCooldown(DomainError):
    """A failed quiz may be retaken only after the cooldown; `until` says when."""

    status_code = 429

    def __init__(self, until: datetime):
        super().__init__(until)
        self.until = until


class NotYourAttempt(DomainError):
    """Someone tried to submit or read another user's attempt."""

    status_code = 403


class UndrawnAnswer(DomainError):
    """An answer names a question that was not drawn, or a choice it does not have."""

    status_code = 400


def upsert_bank(session: Session, indicator: Indicator, bank: Bank, changes: Changes) -> None:
    """Upsert the quiz settings and questions by key. New wording for a question that attempts
    drew makes a new version (see versions.py); a question gone from the file is unpublished,
    never deleted (attempts keep pointing at it)."""
    quiz = session.scalar(select(Quiz).where(Quiz.indicator_id == indicator.id))
    created = quiz is None
    if quiz is None:
        quiz = Quiz(indicator=indicator)
        session.add(quiz)
    changes.note("quizzes", created, assign(quiz, pass_mark=bank.pass_mark, draw_size=bank.draw))
    stmt = (
        select(Question)
        .where(Question.indicator_id == indicator.id)
        .order_by(Question.version)
        .options(selectinload(Question.choices))
    )
    existing = {q.key: q for q in session.scalars(stmt)}  # the latest version of each key
    now = utcnow()
    for position, spec in enumerate(bank.questions, start=1):
        question = existing.pop(spec.key, None)
        created = question is None
        if question is None:
            question = Question(indicator_id=indicator.id, key=spec.key, choices=[])
            session.add(question)
        question, changed = save_question_content(session, question, spec, now=now)
        # The file lists it, so it is published (a question retired in the studio comes back).
        changed |= assign(question, position=position, published=True, archived_at=None)
        changes.note("questions", created, changed)
    for question in existing.values():
        changes.note("questions", False, assign(question, published=False))
    session.flush()


def published_question_counts(session: Session) -> dict[int, int]:
    """Per indicator id: how many published questions its bank has."""
    stmt = (
        select(Question.indicator_id, func.count())
        .where(Question.published.is_(True))
        .group_by(Question.indicator_id)
    )
    return dict(session.execute(stmt).all())


# The quiz path's lookups, built once with bound parameters: building a SELECT costs about
# twice what running it on SQLite does (issue 16), and these run on every quiz started.
_MINE = (Attempt.user_id == bindparam("user_id"), Attempt.indicator_id == bindparam("indicator_id"))
_LAST_FAILED_AT = select(func.max(Attempt.submitted_at)).where(*_MINE, Attempt.passed.is_(False))
_LAST_DRAW = (
    select(Attempt.draw)
    .where(*_MINE, Attempt.submitted_at.is_not(None))
    .order_by(Attempt.submitted_at.desc(), Attempt.id.desc())
    .limit(1)
)
_A_PASS = select(Attempt.id).where(*_MINE, Attempt.passed.is_(True)).limit(1)
_OPEN = select(Attempt).where(*_MINE, Attempt.submitted_at.is_(None))
_CLAIM = (
    update(Attempt)
    .where(Attempt.id == bindparam("attempt_id"), Attempt.submitted_at.is_(None))
    .values(submitted_at=bindparam("now"), score=bindparam("score"), passed=bindparam("passed"))
    .execution_options(synchronize_session=False)
)


def _last_failed_at(session: Session, user_id: int, indicator_id: int) -> datetime | None:
    return session.scalar(_LAST_FAILED_AT, {"user_id": user_id, "indicator_id": indicator_id})


def start_attempt(
    session: Session,
    *,
    user_id: int,
    indicator: Indicator | IndicatorHead,
    now: datetime,
    cooldown_seconds: int,
    rng: random.Random | None = None,
) -> Attempt:
    """The user's open attempt at this quiz, or a new one with a fresh draw.

    Raises NoQuiz without questions, QuizOnCooldown while a failed quiz cools down.
    """
    open_attempt = _open_attempt(session, user_id, indicator.id)
    if open_attempt is not None:
        return open_attempt
    quiz = published_bank(session, indicator.id)
    if quiz is None or not quiz.questions:
        raise NoQuiz(indicator.number)
    bank = {q.id: [c.key for c in q.choices] for q in quiz.questions}
    exercises = [q.id for q in quiz.questions if q.type == "record"]
    until = retake_at(_last_failed_at(session, user_id, indicator.id), cooldown_seconds)
    if until is not None and now < until:
        raise QuizOnCooldown(until)
    seen = _last_drawn(session, user_id, indicator.id)
    drawn = draw_questions(bank, quiz.draw_size, rng or random.SystemRandom(), exercises, seen)
    values = {
        "user_id": user_id,
        "indicator_id": indicator.id,
        "draw": [{"q": d.question_id, "c": list(d.choice_keys)} for d in drawn],
        "pass_mark": quiz.pass_mark,
        "started_at": now,
    }
    # One statement, under the one-open-attempt index: of a double tap's two requests one
    # inserts and the other finds nothing inserted and takes that attempt (no savepoint).
    stmt = (
        conflict_insert(session, Attempt)
        .values(**values)
        .on_conflict_do_nothing(
            index_elements=["user_id", "indicator_id"], index_where=Attempt.submitted_at.is_(None)
        )
        .returning(Attempt)
    )
    attempt = session.scalar(stmt)
    if attempt is None:  # a concurrent request (double tap) opened one a moment ago
        return _open_attempt(session, user_id, indicator.id)
    return attempt


def _last_drawn(session: Session, user_id: int, indicator_id: int) -> set[int]:
    """The questions of the user's latest submitted attempt at this quiz (none: empty)."""
    draw = session.scalar(_LAST_DRAW, {"user_id": user_id, "indicator_id": indicator_id})
    return {item["q"] for item in draw or []}


def has_passed(session: Session, user_id: int, indicator_id: int) -> bool:
    """True once the user has passed this indicator's quiz (any attempt)."""
    found = session.scalar(_A_PASS, {"user_id": user_id, "indicator_id": indicator_id})
    return found is not None


def answers_shown(session: Session, attempt: Attempt) -> bool:
    """May the result page show this attempt's right answers? Once the volunteer has passed
    the quiz (this attempt or another); after a fail only where the plan allows it."""
    if attempt.passed or has_passed(session, attempt.user_id, attempt.indicator_id):
        return True
    replies = answers_after_fail.send(session, indicator_id=attempt.indicator_id)
    return any(allowed for _receiver, allowed in replies)


def _open_attempt(session: Session, user_id: int, indicator_id: int) -> Attempt | None:
    return session.scalar(_OPEN, {"user_id": user_id, "indicator_id": indicator_id})


def get_attempt(session: Session, attempt_id: int, user_id: int) -> Attempt | None:
    """The attempt if it exists; NotYourAttempt when it belongs to someone else."""
    attempt = session.get(Attempt, attempt_id)
    if attempt is not None and attempt.user_id != user_id:
        raise NotYourAttempt(attempt_id)
    return attempt


Drawn = list[tuple[QuestionView, list[ChoiceView]]]


def drawn_questions(session: Session, attempt: Attempt) -> Drawn:
    """The attempt's questions with their choices, both in the order drawn (read-only views
    from the bank cache)."""
    questions = question_views(session, [item["q"] for item in attempt.draw])
    result = []
    for item in attempt.draw:
        question = questions[item["q"]]
        by_key = {c.key: c for c in question.choices}
        result.append((question, [by_key[k] for k in item["c"] if k in by_key]))
    return result


def check_answers(draw: list[dict], drawn: Drawn, answers: dict[int, list[str]]) -> None:
    """Raise UndrawnAnswer for an answer to a question the draw lacks, a choice the question
    does not have, or a recording exercise's entry it cannot take."""
    drawn_keys = {item["q"]: set(item["c"]) for item in draw}
    records = {q.id: q.record_spec for q, _c in drawn if q.type == "record"}
    for question_id, keys in answers.items():
        if question_id not in drawn_keys:
            raise UndrawnAnswer(f"question {question_id} was not drawn in this attempt")
        if question_id in records:
            problem = record_answer_problem(records[question_id], keys)
            if problem:
                raise UndrawnAnswer(f"question {question_id}: {problem}")
        elif not set(keys) <= drawn_keys[question_id]:
            raise UndrawnAnswer(f"question {question_id} has no such choice")


def score_answers(
    drawn: Drawn, answers: dict[int, list[str]]
) -> list[tuple[int, int, list[str], bool]]:
    """(position, question id, selected, right) per drawn question: the one scoring rule of
    online and offline attempts."""
    results = []
    for position, (question, _choices) in enumerate(drawn):
        selected = sorted(set(answers.get(question.id, [])))
        if question.type == "record":
            correct = mark_record(question.record_spec, selected).correct
        else:
            correct = is_correct(frozenset(selected), question.correct_keys)
        results.append((position, question.id, selected, correct))
    return results


def _record_answers(
    session: Session, attempt: Attempt, results: list[tuple[int, int, list[str], bool]]
) -> None:
    # One multi-row INSERT (an ORM add per answer was a statement each); the attempt's
    # answers load afresh when next read.
    session.execute(
        insert(AttemptAnswer),
        [
            {"attempt_id": attempt.id, "question_id": qid, "position": pos, "selected": sel,
             "correct": ok}
            for pos, qid, sel, ok in results
        ],
    )  # fmt: skip
    session.expire(attempt, ["answers"])


def submit_attempt(
    session: Session,
    attempt: Attempt,
    *,
    user_id: int,
    answers: dict[int, list[str]],
    now: datetime,
    drawn: Drawn | None = None,
) -> bool:
    """Score and record the answers once. Returns False when it was already submitted
    (a double tap or a re-sent form), leaving the first submission as it is.

    `drawn` saves a reload when the caller already has drawn_questions(session, attempt).
    Raises NotYourAttempt, and UndrawnAnswer for a question or choice not in the draw.
    """
    if attempt.user_id != user_id:
        raise NotYourAttempt(attempt.id)
    if drawn is None:
        drawn = drawn_questions(session, attempt)
    check_answers(attempt.draw, drawn, answers)
    if attempt.submitted_at is not None:
        return False
    results = score_answers(drawn, answers)
    score = sum(r[3] for r in results)
    passed = passes(score, attempt.total, attempt.pass_mark)
    # Conditional update: of two concurrent submits only one finds submitted_at still empty.
    claimed = session.execute(
        _CLAIM, {"attempt_id": attempt.id, "now": now, "score": score, "passed": passed}
    ).rowcount
    if claimed != 1:
        session.refresh(attempt)
        return False
    # The row now holds what the UPDATE wrote: no reload needed.
    for name, value in (("submitted_at", now), ("score", score), ("passed", passed)):
        set_committed_value(attempt, name, value)
    _record_answers(session, attempt, results)
    attempt_submitted.send(session, attempt=attempt, now=now)
    return True


def record_taken_attempt(
    session: Session,
    *,
    user_id: int,
    indicator_id: int,
    draw: list[dict],
    pass_mark: int,
    started_at: datetime,
    taken_at: datetime,
    answers: dict[int, list[str]],
    client_id: str,
) -> Attempt:
    """Record an attempt taken elsewhere (offline, from a quiz pack) as submitted at the time
    it was taken, scored by the same rule as an online one. The phone's client_id makes it
    once: a second call with the same id returns the first attempt unchanged.

    Raises UndrawnAnswer for answers the draw cannot take.
    """
    existing = session.scalar(select(Attempt).where(Attempt.client_id == client_id))
    if existing is not None:
        return existing
    attempt = Attempt(
        user_id=user_id,
        indicator_id=indicator_id,
        draw=draw,
        pass_mark=pass_mark,
        started_at=started_at,
        client_id=client_id,
    )
    drawn = drawn_questions(session, attempt)
    check_answers(draw, drawn, answers)
    results = score_answers(drawn, answers)
    score = sum(r[3] for r in results)
    attempt.score, attempt.passed = score, passes(score, len(draw), pass_mark)
    attempt.submitted_at = taken_at
    try:
        with session.begin_nested():
            session.add(attempt)
    except IntegrityError:  # the same id sent twice at once: the other request recorded it
        return session.scalar(select(Attempt).where(Attempt.client_id == client_id))
    _record_answers(session, attempt, results)
    attempt_submitted.send(session, attempt=attempt, now=taken_at)
    return attempt


@dataclass(frozen=True)
class EntryFeedback:
    """One item of a marked recording exercise, as the result page shows it."""

    entry: EntrySpec
    given: tuple[str, ...]  # what the volunteer recorded: option indices, SKIP or the number
    right: bool


@dataclass(frozen=True)
class RecordFeedback:
    """A recording exercise marked item by item, with what should have been recorded."""

    record: RecordSpec
    entries: tuple[EntryFeedback, ...]
    result: str | None  # the volunteer's result
    result_right: bool

    @property
    def items_right(self) -> int:
        """How many items were recorded right."""
        return sum(e.right for e in self.entries)


def record_feedback(question: QuestionView, answer: AttemptAnswer | None) -> RecordFeedback:
    """The item-by-item marking of a submitted recording exercise (nothing given when the
    answer row is missing)."""
    record = question.record_spec
    mark = mark_record(record, answer.selected if answer else [])
    entries = tuple(
        EntryFeedback(entry, m.given, m.right)
        for entry, m in zip(record.entries, mark.entries, strict=True)
    )
    return RecordFeedback(record, entries, mark.result, mark.result_right)
