"""Quiz packs: a draw handed to a volunteer's phone while online, to take offline and send
later. A pack is signed (altered packs are refused), bound to its volunteer, usable once and
valid until it expires; the attempt it becomes is scored by the same rule as an online one and
recorded once however often the phone sends it (the phone's attempt id).

The time that counts is when the quiz was taken (as the phone says, but never before the pack
was issued nor after it reached the server), so a quiz taken before a plan's date counts even
when it syncs later.
"""

from __future__ import annotations

import random
import secrets
from datetime import datetime, timedelta
from typing import Any

from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ..content.models import Indicator
from ..errors import DomainError
from .files import record_from_data
from .models import Attempt, Question, Quiz, QuizPack
from .rules import draw_questions
from .services import UndrawnAnswer, record_taken_attempt

SALT = "bmn-quiz-pack"
# Why a pack is refused: a code the phone shows in the volunteer's language.
ALTERED, NOT_YOURS, EXPIRED, USED, UNKNOWN, BAD_ANSWERS = (
    "altered",
    "not_yours",
    "expired",
    "used",
    "unknown",
    "bad_answers",
)


class PackRefused(DomainError):
    """A pack that cannot be recorded; `reason` is one of the codes above."""

    status_code = 409

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _serializer(secret: str) -> URLSafeSerializer:
    return URLSafeSerializer(secret, salt=SALT)


def taken_time(claimed: datetime | None, issued_at: datetime, received_at: datetime) -> datetime:
    """When an offline quiz counts as taken: the phone's time, kept between the pack's issue
    and its arrival (a wrong phone clock can neither backdate nor postdate it)."""
    if claimed is None:
        return received_at
    return min(max(claimed, issued_at), received_at)


def _public_question(question: Question, choice_keys: list[str]) -> dict[str, Any]:
    """What the phone needs to show a question: no right answers, no explanations."""
    item: dict[str, Any] = {"id": question.id, "type": question.type, "text": question.text}
    if question.type == "record":
        record = record_from_data(question.record)
        item["entries"] = [
            {"label": e.label, "question": e.question, "options": list(e.options), "kind": e.kind}
            for e in record.entries
        ]
    else:
        texts = {c.key: c.text for c in question.choices}
        item["choices"] = [{"key": k, "text": texts[k]} for k in choice_keys if k in texts]
    return item


def issue_pack(
    session: Session,
    *,
    user_id: int,
    indicator: Indicator,
    now: datetime,
    secret: str,
    valid_for: timedelta,
    rng: random.Random | None = None,
) -> dict[str, Any] | None:
    """A new signed pack of the indicator's quiz for this volunteer (None: no quiz yet)."""
    quiz = session.scalar(select(Quiz).where(Quiz.indicator_id == indicator.id))
    stmt = (
        select(Question)
        .where(Question.indicator_id == indicator.id, Question.published.is_(True))
        .options(selectinload(Question.choices))
    )
    questions = {q.id: q for q in session.scalars(stmt)}
    if quiz is None or not questions:
        return None
    bank = {qid: [c.key for c in q.choices] for qid, q in questions.items()}
    exercises = [qid for qid, q in questions.items() if q.type == "record"]
    drawn = draw_questions(bank, quiz.draw_size, rng or random.SystemRandom(), exercises)
    pack = QuizPack(
        id=secrets.token_hex(16),
        user_id=user_id,
        indicator_id=indicator.id,
        draw=[{"q": d.question_id, "c": list(d.choice_keys)} for d in drawn],
        pass_mark=quiz.pass_mark,
        issued_at=now,
        expires_at=now + valid_for,
    )
    session.add(pack)
    session.flush()
    token = _serializer(secret).dumps({"p": pack.id, "u": user_id, "d": pack.draw})
    return {
        "token": token,
        "pack": pack.id,
        "number": indicator.number,
        "title": indicator.title_th,
        "pass_mark": pack.pass_mark,
        "issued_at": now.isoformat(),
        "expires_at": pack.expires_at.isoformat(),
        "questions": [_public_question(questions[d["q"]], d["c"]) for d in pack.draw],
    }


def read_token(token: str, secret: str) -> dict[str, Any]:
    """The signed content of a pack token; PackRefused(ALTERED) when it was changed."""
    try:
        data = _serializer(secret).loads(token)
    except BadSignature as error:
        raise PackRefused(ALTERED) from error
    if not isinstance(data, dict) or not {"p", "u", "d"} <= set(data):
        raise PackRefused(ALTERED)
    return data


def submit_pack(
    session: Session,
    *,
    user_id: int,
    token: str,
    client_id: str,
    answers: dict[int, list[str]],
    taken_at: datetime | None,
    now: datetime,
    secret: str,
) -> Attempt:
    """Record the quiz taken from a pack, once. Sending the same client_id again returns the
    attempt recorded the first time; anything else a pack cannot be is refused."""
    data = read_token(token, secret)
    if data["u"] != user_id:
        raise PackRefused(NOT_YOURS)
    pack = session.get(QuizPack, data["p"], with_for_update=True)
    if pack is None or pack.draw != data["d"]:
        raise PackRefused(UNKNOWN if pack is None else ALTERED)
    if pack.user_id != user_id:
        raise PackRefused(NOT_YOURS)
    if pack.attempt_id is not None:
        attempt = session.get(Attempt, pack.attempt_id)
        if attempt is not None and attempt.client_id == client_id:
            return attempt  # sent again: already recorded
        raise PackRefused(USED)
    when = taken_time(taken_at, pack.issued_at, now)
    if when > pack.expires_at:
        raise PackRefused(EXPIRED)
    try:
        attempt = record_taken_attempt(
            session,
            user_id=user_id,
            indicator_id=pack.indicator_id,
            draw=pack.draw,
            pass_mark=pack.pass_mark,
            started_at=pack.issued_at,
            taken_at=when,
            answers=answers,
            client_id=client_id,
        )
    except UndrawnAnswer as error:
        raise PackRefused(BAD_ANSWERS) from error
    if attempt.draw != pack.draw:  # an id the phone used for another pack
        raise PackRefused(USED)
    pack.attempt_id = attempt.id
    session.flush()
    return attempt


def pack_result(attempt: Attempt) -> dict[str, Any]:
    """What the phone shows after sending: score, pass and where the full result is."""
    return {
        "attempt": attempt.id,
        "score": attempt.score,
        "total": attempt.total,
        "passed": bool(attempt.passed),
    }
