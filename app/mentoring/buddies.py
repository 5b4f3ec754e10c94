"""Buddy pairs (ทีมคู่หูคู่คิด): an officer pairs a volunteer not ready yet with a ready one
of the same village; each volunteer has at most one buddy. The unique columns settle a
race between two officers: the second insert fails and the view answers "already paired"."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from ..areas.access import OutOfScope, Scope, get_volunteer, volunteers_in_scope
from ..areas.models import Village
from ..auth.models import User
from ..errors import DomainError
from ..readiness.models import Readiness, TrainingPlan
from ..readiness.progress import is_expired
from .models import BuddyPair


class BuddyRefused(DomainError):
    """The pair breaks a rule; `reason` is one of REASONS (views show the Thai text)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


REASONS = ("same_person", "other_village", "learner_ready", "mentor_not_ready", "taken")


def is_ready(session: Session, plan: TrainingPlan | None, user_id: int, today: date) -> bool:
    """Ready under the active plan (and the plan not expired)."""
    if plan is None or is_expired(plan, today):
        return False
    stmt = select(Readiness.id).where(Readiness.user_id == user_id, Readiness.plan_id == plan.id)
    return session.scalar(stmt) is not None


def pair_of(session: Session, user_id: int) -> BuddyPair | None:
    """The pair a volunteer is in, as learner or mentor."""
    stmt = select(BuddyPair).where(
        or_(BuddyPair.learner_id == user_id, BuddyPair.mentor_id == user_id)
    )
    return session.scalar(stmt)


def pair_buddies(
    session: Session,
    *,
    scope: Scope,
    plan: TrainingPlan | None,
    learner_id: int,
    mentor_id: int,
    officer_id: int,
    today: date,
    now: datetime,
) -> BuddyPair:
    """Pair a volunteer not ready yet with a ready one of the same village, both in scope
    (OutOfScope otherwise) and both without a buddy (BuddyRefused)."""
    learner = get_volunteer(session, scope, learner_id)
    mentor = get_volunteer(session, scope, mentor_id)
    if learner.id == mentor.id:
        raise BuddyRefused("same_person")
    if learner.village_id != mentor.village_id:
        raise BuddyRefused("other_village")
    if is_ready(session, plan, learner.id, today):
        raise BuddyRefused("learner_ready")
    if not is_ready(session, plan, mentor.id, today):
        raise BuddyRefused("mentor_not_ready")
    if pair_of(session, learner.id) or pair_of(session, mentor.id):
        raise BuddyRefused("taken")
    pair = BuddyPair(
        learner_id=learner.id,
        mentor_id=mentor.id,
        village_id=learner.village_id,
        paired_by_id=officer_id,
        paired_at=now,
    )
    session.add(pair)
    session.flush()  # a concurrent pair of the same person fails here (unique columns)
    return pair


def unpair(session: Session, *, scope: Scope, pair_id: int) -> None:
    """Undo a pair in the officer's scope (OutOfScope otherwise)."""
    pair = session.get(BuddyPair, pair_id)
    if pair is None:
        raise OutOfScope(pair_id)
    get_volunteer(session, scope, pair.learner_id)
    session.delete(pair)
    session.flush()


@dataclass(frozen=True)
class VillageBuddies:
    """A village's pairs and who can still be paired."""

    pairs: list[tuple[int, str, str]]  # (pair id, learner name, mentor name)
    learners: list[tuple[int, str]]  # not ready, no buddy
    mentors: list[tuple[int, str]]  # ready, no buddy


def village_buddies(
    session: Session, *, scope: Scope, plan: TrainingPlan | None, village: Village, today: date
) -> VillageBuddies:
    """The village's pairs and the volunteers free to pair (the village is in scope)."""
    stmt = volunteers_in_scope(select(User.id, User.full_name).select_from(User), scope)
    people = dict(session.execute(stmt.where(User.village_id == village.id)).all())
    pairs = list(
        session.execute(
            select(BuddyPair.id, BuddyPair.learner_id, BuddyPair.mentor_id)
            .where(BuddyPair.village_id == village.id)
            .order_by(BuddyPair.id)
        )
    )
    paired = {i for _id, learner, mentor in pairs for i in (learner, mentor)}
    ready: set[int] = set()
    if plan is not None and not is_expired(plan, today) and people:
        stmt = select(Readiness.user_id).where(
            Readiness.plan_id == plan.id, Readiness.user_id.in_(list(people))
        )
        ready = set(session.scalars(stmt))
    free = sorted((name, uid) for uid, name in people.items() if uid not in paired)
    return VillageBuddies(
        pairs=[(pid, people.get(lrn, ""), people.get(mtr, "")) for pid, lrn, mtr in pairs],
        learners=[(uid, name) for name, uid in free if uid not in ready],
        mentors=[(uid, name) for name, uid in free if uid in ready],
    )


def buddy_for_volunteer(session: Session, user_id: int) -> tuple[str, str] | None:
    """(first name, mobile) of the volunteer's buddy, for their own home page."""
    pair = pair_of(session, user_id)
    if pair is None:
        return None
    other = session.get(User, pair.mentor_id if pair.learner_id == user_id else pair.learner_id)
    if other is None or other.erased_at is not None:
        return None
    parts = other.full_name.split()
    return (parts[0] if parts else "", other.phone)
