"""The support queue: asking, who answers which zone, answering once, reading answers."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload

from ..areas.models import ZONES, District
from ..auth.models import Role, User
from ..content.models import Indicator
from ..errors import DomainError
from ..readiness.models import PlanProgress
from ..readiness.services import active_plan
from .models import PROVINCE, SupportQuestion, SupportTeamMember
from .rules import is_overdue, median_answer_hours, waited

TEAM_ZONES = (*ZONES, PROVINCE)


class AlreadyHandled(DomainError):
    """Another team member answered or closed the question first."""

    status_code = 409


class NotAnswered(DomainError):
    """Only an answered question can become an FAQ card."""

    status_code = 409


def zone_of(user: User) -> str:
    """The support zone of a volunteer's district; the province-wide queue without one."""
    village = user.village
    zone = village.subdistrict.district.zone if village is not None else None
    return zone if zone in ZONES else PROVINCE


def team_zones(session: Session, user: User) -> frozenset[str] | None:
    """The zones whose questions the user answers; None for every zone (admins).

    Trainers and officers an admin put on a team answer its zone; an officer also answers
    for the zones of the districts in their own area (a province officer: every zone and
    the province-wide queue)."""
    if user.role == Role.ADMIN.value:
        return None
    zones = set(
        session.scalars(select(SupportTeamMember.zone).where(SupportTeamMember.user_id == user.id))
    )
    if user.role == Role.OFFICER.value and user.area_code:
        area = user.area_code
        districts = select(District.zone)
        if len(area) >= 4:
            districts = districts.where(District.code == area[:4])
        else:
            districts = districts.where(District.province_code == area[:2])
            zones.add(PROVINCE)
        zones |= {z if z in ZONES else PROVINCE for z in session.scalars(districts)}
    return frozenset(zones)


def in_zones(stmt: Select[Any], zones: frozenset[str] | None) -> Select[Any]:
    """Limit a select() of questions to the zones of a team (every zone for None)."""
    return stmt if zones is None else stmt.where(SupportQuestion.zone.in_(zones))


def get_question(
    session: Session, zones: frozenset[str] | None, question_id: int
) -> SupportQuestion | None:
    """A question of the team's zones, or None (another zone's answers 404 too)."""
    stmt = in_zones(select(SupportQuestion).where(SupportQuestion.id == question_id), zones)
    return session.scalar(stmt)


def ask_question(
    session: Session,
    *,
    asker: User,
    indicator: Indicator,
    text: str,
    request_key: str,
    photo_key: str | None,
    now: datetime,
) -> tuple[SupportQuestion, bool]:
    """Record a volunteer's question in their zone's queue; (question, False) when the same
    form (request_key) was sent already with the same text, even at the same moment from
    another request. A page kept open (or saved offline) and used again for another question
    carries the same form key: the text is part of the key, so that question is kept too."""
    text = text.strip()
    request_key = hashlib.sha256(f"{request_key}\n{text}".encode()).hexdigest()
    found = _by_key(session, asker.id, request_key)
    if found is not None:
        return found, False
    question = SupportQuestion(
        asker_id=asker.id,
        indicator_id=indicator.id,
        request_key=request_key,
        text=text,
        photo_key=photo_key,
        zone=zone_of(asker),
        created_at=now,
        status="open",
    )
    try:
        with session.begin_nested():
            session.add(question)
    except IntegrityError:  # the same form sent twice at once: the other request recorded it
        found = _by_key(session, asker.id, request_key)
        if found is None:
            raise
        return found, False
    return question, True


def _by_key(session: Session, asker_id: int, request_key: str) -> SupportQuestion | None:
    stmt = select(SupportQuestion).where(
        SupportQuestion.asker_id == asker_id, SupportQuestion.request_key == request_key
    )
    return session.scalar(stmt)


def answer_question(
    session: Session, question_id: int, *, answer: str, user_id: int, now: datetime
) -> None:
    """Answer an open question; AlreadyHandled when another member answered or closed it
    first (one conditional UPDATE: of two at once, exactly one changes the row)."""
    _handle(
        session,
        question_id,
        status="answered",
        answer=answer.strip(),
        answered_by_id=user_id,
        answered_at=now,
    )


def close_question(session: Session, question_id: int, *, user_id: int, now: datetime) -> None:
    """Close an open question without an answer (a duplicate, or nothing to answer)."""
    _handle(session, question_id, status="closed", answered_by_id=user_id, answered_at=now)


def _handle(session: Session, question_id: int, **values: Any) -> None:
    result = session.execute(
        update(SupportQuestion)
        .where(SupportQuestion.id == question_id, SupportQuestion.status == "open")
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise AlreadyHandled(question_id)
    session.expire_all()


@dataclass(frozen=True)
class QueueRow:
    """An open question as the team sees it."""

    question: SupportQuestion
    passed: int | None  # required indicators passed under the active plan
    required: int | None
    overdue: bool
    waited: tuple[int, int]  # hours, minutes


@dataclass(frozen=True)
class QueueFigures:
    """The queue's header: waiting, median hours to answer (last 7 days), overdue."""

    waiting: int
    median_hours: float | None
    overdue: int


def open_queue(
    session: Session, zones: frozenset[str] | None, *, now: datetime, overdue_hours: float
) -> list[QueueRow]:
    """The team's open questions, oldest first, with the asker's progress under the active
    plan."""
    plan = active_plan(session)
    stmt = select(SupportQuestion, PlanProgress.passed, PlanProgress.required)
    stmt = stmt.outerjoin(
        PlanProgress,
        (PlanProgress.user_id == SupportQuestion.asker_id)
        & (PlanProgress.plan_id == (plan.id if plan is not None else -1)),
    )
    stmt = in_zones(stmt.where(SupportQuestion.status == "open"), zones)
    stmt = stmt.order_by(SupportQuestion.created_at, SupportQuestion.id).options(
        joinedload(SupportQuestion.asker), joinedload(SupportQuestion.indicator)
    )
    return [
        QueueRow(
            q,
            passed,
            required,
            is_overdue(q.created_at, now, overdue_hours),
            waited(q.created_at, now),
        )
        for q, passed, required in session.execute(stmt)
    ]


def queue_figures(
    session: Session, zones: frozenset[str] | None, *, now: datetime, overdue_hours: float
) -> QueueFigures:
    """Waiting and overdue counts now, and the median time to answer over the last 7 days."""
    opened = in_zones(select(SupportQuestion.created_at), zones).where(
        SupportQuestion.status == "open"
    )
    waiting = list(session.scalars(opened))
    answered = in_zones(
        select(SupportQuestion.created_at, SupportQuestion.answered_at), zones
    ).where(
        SupportQuestion.status == "answered", SupportQuestion.answered_at >= now - timedelta(days=7)
    )
    pairs = [(c, a) for c, a in session.execute(answered)]
    return QueueFigures(
        waiting=len(waiting),
        median_hours=median_answer_hours(pairs),
        overdue=sum(is_overdue(c, now, overdue_hours) for c in waiting),
    )


def indicator_counts(session: Session, zones: frozenset[str] | None) -> list[tuple[int, int, int]]:
    """Per indicator number: questions asked and how many became FAQ cards (most asked first)."""
    stmt = (
        select(
            Indicator.number,
            func.count(SupportQuestion.id),
            func.count(SupportQuestion.faq_card_id),
        )
        .join(Indicator, Indicator.id == SupportQuestion.indicator_id)
        .group_by(Indicator.number)
        .order_by(func.count(SupportQuestion.id).desc(), Indicator.number)
    )
    return [tuple(row) for row in session.execute(in_zones(stmt, zones))]  # type: ignore[misc]


def my_questions(session: Session, user_id: int) -> list[SupportQuestion]:
    """All of a volunteer's questions, newest first."""
    stmt = (
        select(SupportQuestion)
        .where(SupportQuestion.asker_id == user_id)
        .order_by(SupportQuestion.created_at.desc(), SupportQuestion.id.desc())
    )
    return list(session.scalars(stmt))


def unseen_answers(session: Session, user_id: int) -> list[SupportQuestion]:
    """A volunteer's answered questions they have not seen yet, oldest answer first."""
    stmt = (
        select(SupportQuestion)
        .where(
            SupportQuestion.asker_id == user_id,
            SupportQuestion.status == "answered",
            SupportQuestion.seen_by_asker_at.is_(None),
        )
        .order_by(SupportQuestion.answered_at, SupportQuestion.id)
    )
    return list(session.scalars(stmt))


def mark_seen(session: Session, user_id: int, question_ids: list[int], now: datetime) -> int:
    """Mark the volunteer's own answered questions as seen; how many changed."""
    if not question_ids:
        return 0
    result = session.execute(
        update(SupportQuestion)
        .where(
            SupportQuestion.asker_id == user_id,
            SupportQuestion.id.in_(question_ids),
            SupportQuestion.status == "answered",
            SupportQuestion.seen_by_asker_at.is_(None),
        )
        .values(seen_by_asker_at=now)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount  # type: ignore[attr-defined,no-any-return]


def members(session: Session) -> list[SupportTeamMember]:
    """Every explicit team member, by zone then name."""
    stmt = (
        select(SupportTeamMember)
        .join(User, User.id == SupportTeamMember.user_id)
        .order_by(SupportTeamMember.zone, User.full_name)
    )
    return list(session.scalars(stmt))


def staff_choices(session: Session) -> list[User]:
    """Trainers and officers who may be put on a team."""
    stmt = (
        select(User)
        .where(User.role.in_([Role.TRAINER.value, Role.OFFICER.value]), User.active.is_(True))
        .order_by(User.role, User.full_name)
    )
    return list(session.scalars(stmt))


def add_member(session: Session, user_id: int, zone: str) -> bool:
    """Put a trainer or officer on a zone's team; False when they are on it already."""
    if zone not in TEAM_ZONES:
        raise ValueError(zone)
    if session.get(SupportTeamMember, (user_id, zone)) is not None:
        return False
    session.add(SupportTeamMember(user_id=user_id, zone=zone))
    session.flush()
    return True


def remove_member(session: Session, user_id: int, zone: str) -> None:
    """Take someone off a zone's team."""
    member = session.get(SupportTeamMember, (user_id, zone))
    if member is not None:
        session.delete(member)
        session.flush()
