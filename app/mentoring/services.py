"""Who needs a mentor visit (the stuck rules over progress, attempts, coverage, devices and
buddies), and recording a visit. Plain functions: they take the session and never commit."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..areas.access import Scope, get_village, get_volunteer, volunteers_in_scope
from ..areas.models import Village
from ..auth.models import User
from ..content.models import Indicator
from ..errors import DomainError
from ..officers.coverage import coverage_villages
from ..officers.filters import Filters
from ..quizzes.models import Attempt
from ..readiness.models import Readiness, TrainingPlan
from ..readiness.progress import counts_under, is_expired, volunteer_rows
from . import rules
from .models import BuddyPair, Device, MentorVisit

_CHUNK = 5000


@dataclass(frozen=True)
class Settings:
    """The province's thresholds (config MENTOR_*): not official figures."""

    stall_days: int = 3
    fail_limit: int = 3
    near_days: int = 5
    visit_days: int = 7  # a visit this recent halves the urgency
    deadline: date | None = None


def campaign_deadline(plan: TrainingPlan | None, configured: str | None) -> date | None:
    """The day villages must be covered by: the MENTOR_DEADLINE setting (YYYY-MM-DD) when a
    province sets one, else the plan's deadline (the day data collection starts, set by the
    admin with the daily targets), else the plan's expiry day; None when none is known."""
    if configured:
        return date.fromisoformat(configured)
    if plan is None:
        return None
    return plan.deadline or plan.expires_on


def _chunks(ids: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), _CHUNK):
        yield ids[start : start + _CHUNK]


def scoped_volunteers(
    session: Session, plan: TrainingPlan | None, scope: Scope, filters: Filters, today: date
) -> list[Any]:
    """(id, name, phone, created, village id, code, moo, village name, subdistrict code,
    ready) of every volunteer in scope and the area filters."""
    columns = (
        User.id,
        User.full_name,
        User.phone,
        User.created_at,
        Village.id,
        Village.code,
        Village.moo,
        Village.name_th,
        Village.subdistrict_code,
    )
    if plan is None:
        stmt = volunteers_in_scope(select(*columns).select_from(User), scope)
        rows = [(*row, False) for row in session.execute(filters.areas(stmt, session))]
    else:
        stmt = filters.areas(volunteer_rows(plan, scope, *columns, Readiness.id), session)
        expired = is_expired(plan, today)
        rows = [(*row[:-1], row[-1] is not None and not expired) for row in session.execute(stmt)]
    return sorted(rows, key=lambda r: (r[5], r[1]))


def _last_activity(session: Session, ids: list[int]) -> dict[int, datetime]:
    """The last quiz attempt (submitted, or started) per volunteer."""
    when = func.max(func.coalesce(Attempt.submitted_at, Attempt.started_at))
    result: dict[int, datetime] = {}
    for chunk in _chunks(ids):
        stmt = (
            select(Attempt.user_id, when)
            .where(Attempt.user_id.in_(chunk))
            .group_by(Attempt.user_id)
        )
        result.update(dict(session.execute(stmt).all()))
    return result


def failure_streaks(
    session: Session, plan: TrainingPlan | None, ids: list[int]
) -> dict[int, list[tuple[int, int]]]:
    """{user id: [(indicator number, failures in a row), ...]} over counted attempts, for
    indicators not passed yet."""
    found: dict[int, list[tuple[int, int]]] = {}
    for chunk in _chunks(ids):
        counted = Attempt.submitted_at.is_not(None) if plan is None else counts_under(plan)
        stmt = (
            select(Attempt.user_id, Indicator.number, Attempt.passed)
            .join(Indicator, Indicator.id == Attempt.indicator_id)
            .where(counted, Attempt.user_id.in_(chunk))
            .order_by(Attempt.user_id, Indicator.number, Attempt.submitted_at, Attempt.id)
        )
        runs: dict[tuple[int, int], list[bool]] = {}
        for user_id, number, passed in session.execute(stmt):
            runs.setdefault((user_id, number), []).append(bool(passed))
        for (user_id, number), results in runs.items():
            if any(results):
                continue
            found.setdefault(user_id, []).append((number, rules.failure_streak(results)))
    return found


def _devices(session: Session, ids: list[int]) -> dict[int, Device]:
    result: dict[int, Device] = {}
    for chunk in _chunks(ids):
        result.update(
            {d.user_id: d for d in session.scalars(select(Device).where(Device.user_id.in_(chunk)))}
        )
    return result


def buddy_names(session: Session, scope: Scope, ids: list[int]) -> dict[int, str]:
    """{volunteer id: their buddy's full name} for volunteers in scope with a buddy."""
    pairs: list[tuple[int, int]] = []
    for chunk in _chunks(ids):
        stmt = select(BuddyPair.learner_id, BuddyPair.mentor_id).where(
            BuddyPair.learner_id.in_(chunk) | BuddyPair.mentor_id.in_(chunk)
        )
        pairs.extend(session.execute(stmt))
    others = {i for pair in pairs for i in pair}
    names: dict[int, str] = {}
    for chunk in _chunks(sorted(others)):
        stmt = volunteers_in_scope(select(User.id, User.full_name), scope)
        names.update(dict(session.execute(stmt.where(User.id.in_(chunk))).all()))
    result = {}
    for learner, mentor in pairs:
        result[learner] = names.get(mentor, "")
        result[mentor] = names.get(learner, "")
    return result


def _recent_visits(
    session: Session, village_ids: Iterable[int], since: date
) -> tuple[dict[int, date], dict[int, date]]:
    """({volunteer id: last visit day}, {village id: last village visit day}) since a day."""
    people: dict[int, date] = {}
    villages: dict[int, date] = {}
    for chunk in _chunks(sorted(set(village_ids))):
        stmt = select(MentorVisit.volunteer_id, MentorVisit.village_id, MentorVisit.visited_on)
        stmt = stmt.where(MentorVisit.village_id.in_(chunk), MentorVisit.visited_on >= since)
        for volunteer_id, village_id, day in session.execute(stmt):
            target, key = (people, volunteer_id) if volunteer_id else (villages, village_id)
            target[key] = max(target.get(key, day), day)
    return people, villages


def mentor_findings(
    session: Session,
    *,
    plan: TrainingPlan | None,
    scope: Scope,
    filters: Filters,
    now: datetime,
    today: date,
    settings: Settings,
) -> list[rules.Finding]:
    """Volunteers and villages in scope to visit, most urgent first, each with its reasons
    in Thai: stalled, failing the same indicator again and again, a village short of ready
    volunteers near the deadline, a device gap. A recent visit halves the urgency."""
    people = scoped_volunteers(session, plan, scope, filters, today)
    ids = [row[0] for row in people]
    learners = [row[0] for row in people if not row[9]]
    last = _last_activity(session, learners)
    streaks = failure_streaks(session, plan, learners)
    devices = _devices(session, ids)
    buddies = buddy_names(session, scope, ids)
    villages = coverage_villages(session, plan=plan, scope=scope, filters=filters, today=today)
    village_ids = {row[4] for row in people}
    id_of_code = {row[5]: row[4] for row in people}
    if villages:
        missing = [v.village_code for v in villages if v.village_code not in id_of_code]
        for chunk in range(0, len(missing), _CHUNK):
            stmt = scope.villages(select(Village.code, Village.id))
            stmt = stmt.where(Village.code.in_(missing[chunk : chunk + _CHUNK]))
            id_of_code.update(dict(session.execute(stmt).all()))
        village_ids |= set(id_of_code.values())
    visited_people, visited_villages = _recent_visits(
        session, village_ids, today - timedelta(days=settings.visit_days)
    )
    findings: list[rules.Finding] = []
    days_left = (settings.deadline - today).days if settings.deadline else None
    for v in villages:
        reason = rules.village_short(v.short, v.needed, days_left, settings.near_days)
        if reason is None:
            continue
        vid = id_of_code[v.village_code]
        findings.append(
            rules.Finding(
                kind="village",
                subject_id=vid,
                village_code=v.village_code,
                village_label=f"หมู่ {v.moo} {v.village_name}",
                subdistrict_code=v.subdistrict_code,
                reasons=[reason],
                visited_on=visited_villages.get(vid),
            )
        )
    for uid, name, phone, created, vid, code, moo, vname, sub, ready in people:
        reasons: list[rules.Reason] = []
        if not ready:
            stall = rules.stalled(last.get(uid, created), now, settings.stall_days)
            reasons += [stall] if stall else []
            for number, streak in streaks.get(uid, []):
                fail = rules.failing(number, streak, settings.fail_limit)
                reasons += [fail] if fail else []
        device = devices.get(uid)
        gap = rules.device_reason(device.kind, device.check_ok) if device else None
        reasons += [gap] if gap else []
        seen = [d for d in (visited_people.get(uid), visited_villages.get(vid)) if d]
        findings.append(
            rules.Finding(
                kind="volunteer",
                subject_id=uid,
                village_code=code,
                village_label=f"หมู่ {moo} {vname}",
                subdistrict_code=sub,
                name=name,
                phone=phone,
                reasons=reasons,
                visited_on=max(seen) if seen else None,
                buddy_name=buddies.get(uid, ""),
                ready=ready,
            )
        )
    return rules.by_urgency(findings)


class BadVisit(DomainError):
    """A visit names neither a volunteer nor a village, or has no date."""


def record_visit(
    session: Session,
    *,
    scope: Scope,
    officer_id: int,
    visited_on: date,
    volunteer_id: int | None = None,
    village_code: str | None = None,
    helped_learn: bool = False,
    checked_device: bool = False,
    paired_buddy: bool = False,
    note: str = "",
) -> MentorVisit:
    """Record a visit to a volunteer (their village is noted too) or a village, in scope
    (OutOfScope otherwise)."""
    if volunteer_id is not None:
        person = get_volunteer(session, scope, volunteer_id)
        village_id = person.village_id
    elif village_code:
        village_id = get_village(session, scope, code=village_code).id
    else:
        raise BadVisit("a visit needs a volunteer or a village")
    visit = MentorVisit(
        officer_id=officer_id,
        village_id=village_id,
        volunteer_id=volunteer_id,
        visited_on=visited_on,
        helped_learn=helped_learn,
        checked_device=checked_device,
        paired_buddy=paired_buddy,
        note=note.strip(),
    )
    session.add(visit)
    session.flush()
    return visit


def recent_visits(session: Session, scope: Scope, filters: Filters, limit: int = 20) -> list:
    """The latest visits in scope: (visit, village, volunteer name or None)."""
    stmt = (
        select(MentorVisit, Village, User.full_name)
        .join(Village, Village.id == MentorVisit.village_id)
        .outerjoin(User, User.id == MentorVisit.volunteer_id)
        .order_by(MentorVisit.visited_on.desc(), MentorVisit.id.desc())
        .limit(limit)
    )
    stmt = filters.areas(scope.villages(stmt), session)
    return list(session.execute(stmt))
