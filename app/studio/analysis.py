"""Item analysis: how each question version of an indicator's quiz fared in submitted attempts.

Counts are aggregated in SQL (GROUP BY over attempt_answers joined to attempts, and to users,
villages and subdistricts when filtered); only (attempt id, score) pairs are pulled, to find
the thirds of scorers, so the page stays a handful of queries however many attempts there are.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, String, and_, case, cast, func, or_, select
from sqlalchemy.orm import Session, selectinload

from ..areas.models import District, Subdistrict, Village
from ..auth.models import User
from ..content.models import Indicator
from ..quizzes.files import EntrySpec, record_from_data
from ..quizzes.models import Attempt, AttemptAnswer, Question
from ..quizzes.rules import mark_record, record_answer_problem
from ..volunteers.types import VOLUNTEER_TYPES
from .rules import Thirds, discrimination, most_chosen, percent, thirds, wrong_choice_counts

SORTS = ("hardest", "discrimination", "attempts")


@dataclass(frozen=True)
class Filters:
    """Whose attempts count: a district code and a volunteer type (None: everyone)."""

    district: str | None = None
    volunteer_type: str | None = None

    def args(self) -> dict[str, str]:
        """The filters as query arguments (for links that keep them)."""
        values = {"district": self.district, "volunteer_type": self.volunteer_type}
        return {k: v for k, v in values.items() if v}


@dataclass(frozen=True)
class ItemRow:
    """One question version's figures."""

    question: Question
    attempts: int  # submitted attempts that drew it
    correct: int
    percent_correct: float | None
    top_wrong_text: str  # the most chosen wrong choice ("" when none)
    top_wrong_count: int
    discrimination: float | None
    # A recording exercise's figures per questionnaire item and for the result (else empty).
    parts: tuple[PartRow, ...] = ()


@dataclass(frozen=True)
class PartRow:
    """One item of a recording exercise (or its result): how often it was recorded right and
    the most common wrong recording."""

    label: str  # the item's label, or "result"
    entry: EntrySpec | None  # the item (None for the result)
    attempts: int
    correct: int
    percent_correct: float | None
    top_wrong: tuple[str, ...] | None  # what was recorded (see quizzes.rules), None when none
    top_wrong_count: int


def parse_filters(session: Session, district: str | None, volunteer_type: str | None) -> Filters:
    """Filters from query arguments; unknown values mean no filter."""
    known = district and session.get(District, district) is not None
    return Filters(
        district=district if known else None,
        volunteer_type=volunteer_type if volunteer_type in VOLUNTEER_TYPES else None,
    )


def districts(session: Session) -> list[District]:
    """The districts to filter by, in code order."""
    return list(session.scalars(select(District).order_by(District.code)))


def _scoped(stmt: Select[Any], indicator_id: int, filters: Filters) -> Select[Any]:
    """Restrict a statement over Attempt to the indicator's submitted, filtered attempts."""
    stmt = stmt.where(Attempt.indicator_id == indicator_id, Attempt.submitted_at.is_not(None))
    if filters.district or filters.volunteer_type:
        stmt = stmt.join(User, User.id == Attempt.user_id)
    if filters.volunteer_type:
        stmt = stmt.where(User.volunteer_type == filters.volunteer_type)
    if filters.district:
        stmt = (
            stmt.join(Village, Village.id == User.village_id)
            .join(Subdistrict, Subdistrict.code == Village.subdistrict_code)
            .where(Subdistrict.district_code == filters.district)
        )
    return stmt


def count_attempts(session: Session, indicator_id: int, filters: Filters) -> int:
    """How many submitted attempts the filters count (the discrimination index needs
    MIN_ATTEMPTS of them)."""
    stmt = _scoped(select(func.count(Attempt.id)), indicator_id, filters)
    return session.scalar(stmt) or 0


def _third_condition(cut: Thirds, top: bool) -> ColumnElement[bool]:
    """SQL for Thirds.in_top / in_bottom (rank: higher score first, then lower attempt id)."""
    attempt_id, score = cut.top_last if top else cut.bottom_first
    if top:
        return or_(Attempt.score > score, and_(Attempt.score == score, Attempt.id <= attempt_id))
    return or_(Attempt.score < score, and_(Attempt.score == score, Attempt.id >= attempt_id))


def _by_third(
    session: Session, indicator_id: int, filters: Filters, cut: Thirds
) -> dict[int, dict[bool, tuple[int, int]]]:
    """Per question id: {in top third: (answers, right)} over the two thirds' attempts."""
    top = _third_condition(cut, top=True)
    right = func.sum(case((AttemptAnswer.correct.is_(True), 1), else_=0))
    group = case((top, 1), else_=0)
    stmt = _scoped(
        select(AttemptAnswer.question_id, group, func.count(), right).join(
            Attempt, Attempt.id == AttemptAnswer.attempt_id
        ),
        indicator_id,
        filters,
    ).where(or_(top, _third_condition(cut, top=False)))
    result: dict[int, dict[bool, tuple[int, int]]] = {}
    for question_id, in_top, drew, right_count in session.execute(
        stmt.group_by(AttemptAnswer.question_id, group)
    ):
        result.setdefault(question_id, {})[bool(in_top)] = (drew, int(right_count or 0))
    return result


def _record_parts(question: Question, answers: list[tuple[list[str], int]]) -> tuple[PartRow, ...]:
    """Per item of a recording exercise and for its result: right counts and the most common
    wrong recording, from the distinct answers given (with how many gave each)."""
    record = record_from_data(question.record)
    size = len(record.entries)
    right = [0] * (size + 1)
    wrong: list[dict[tuple[str, ...], int]] = [{} for _ in range(size + 1)]
    total = 0
    for selected, times in answers:
        if record_answer_problem(record, selected):
            continue
        total += times
        mark = mark_record(record, selected)
        given = [(e.given, e.right) for e in mark.entries] + [
            ((mark.result,) if mark.result else (), mark.result_right)
        ]
        for index, (value, ok) in enumerate(given):
            if ok:
                right[index] += times
            else:
                wrong[index][value] = wrong[index].get(value, 0) + times
    labels = [(e.label, e) for e in record.entries] + [("result", None)]
    parts = []
    for index, (label, entry) in enumerate(labels):
        top = max(wrong[index].items(), key=lambda kv: (kv[1], kv[0]), default=None)
        parts.append(
            PartRow(
                label=label,
                entry=entry,
                attempts=total,
                correct=right[index],
                percent_correct=percent(right[index], total),
                top_wrong=top[0] if top else None,
                top_wrong_count=top[1] if top else 0,
            )
        )
    return tuple(parts)


def analyse_items(
    session: Session, indicator: Indicator, filters: Filters, sort: str = "hardest"
) -> list[ItemRow]:
    """Per question version: attempts, % right, the most chosen wrong choice and D; every
    version answered in the filtered attempts, and every published question (even unasked)."""
    answers = select(AttemptAnswer.question_id).join(
        Attempt, Attempt.id == AttemptAnswer.attempt_id
    )
    right = func.sum(case((AttemptAnswer.correct.is_(True), 1), else_=0))
    totals_stmt = _scoped(answers.add_columns(func.count(), right), indicator.id, filters)
    totals = {
        qid: (drew, int(ok or 0))
        for qid, drew, ok in session.execute(totals_stmt.group_by(AttemptAnswer.question_id))
    }
    selected = cast(AttemptAnswer.selected, String)  # JSON has no equality on PostgreSQL
    given_stmt = _scoped(
        answers.add_columns(selected, AttemptAnswer.correct, func.count()), indicator.id, filters
    ).group_by(AttemptAnswer.question_id, selected, AttemptAnswer.correct)
    every: dict[int, list[tuple[list[str], int]]] = {}  # right and wrong: exercises need both
    wrong: dict[int, list[tuple[list[str], int]]] = {}
    for qid, keys, is_right, times in session.execute(given_stmt):
        given = (json.loads(keys) if keys else [], times)
        every.setdefault(qid, []).append(given)
        if not is_right:
            wrong.setdefault(qid, []).append(given)
    scores = session.execute(_scoped(select(Attempt.id, Attempt.score), indicator.id, filters))
    cut = thirds((attempt_id, score or 0) for attempt_id, score in scores)
    by_third = _by_third(session, indicator.id, filters, cut) if cut else {}

    shown = Question.id.in_(list(totals)) | and_(
        Question.indicator_id == indicator.id,
        Question.published.is_(True),
        Question.archived_at.is_(None),
    )
    questions = session.scalars(
        select(Question).where(shown).options(selectinload(Question.choices))
    )
    rows = []
    for question in questions:
        drew, ok = totals.get(question.id, (0, 0))
        order = [c.key for c in question.choices]
        counts = wrong_choice_counts(wrong.get(question.id, []), question.correct_keys)
        top_wrong = most_chosen(counts, order)
        texts = {c.key: c.text for c in question.choices}
        halves = by_third.get(question.id, {})
        top_drew, top_ok = halves.get(True, (0, 0))
        bottom_drew, bottom_ok = halves.get(False, (0, 0))
        rows.append(
            ItemRow(
                question=question,
                attempts=drew,
                correct=ok,
                percent_correct=percent(ok, drew),
                top_wrong_text=texts.get(top_wrong[0], "") if top_wrong else "",
                top_wrong_count=top_wrong[1] if top_wrong else 0,
                discrimination=discrimination(top_ok, top_drew, bottom_ok, bottom_drew)
                if cut
                else None,
                parts=_record_parts(question, every.get(question.id, []))
                if question.type == "record"
                else (),
            )
        )
    return sort_rows(rows, sort)


def sort_rows(rows: list[ItemRow], sort: str) -> list[ItemRow]:
    """Hardest first (lowest % right), or lowest discrimination first, or most attempts first;
    rows without a figure go last, then the bank's order and version."""

    def bank(row: ItemRow) -> tuple[int, str, int]:
        return (row.question.position, row.question.key, row.question.version)

    def missing_last(value: float | None) -> tuple[bool, float]:
        return (value is None, value or 0.0)

    if sort == "discrimination":
        return sorted(rows, key=lambda r: (*missing_last(r.discrimination), *bank(r)))
    if sort == "attempts":
        return sorted(rows, key=lambda r: (-r.attempts, *bank(r)))
    return sorted(rows, key=lambda r: (*missing_last(r.percent_correct), -r.attempts, *bank(r)))
