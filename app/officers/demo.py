"""Generated demo volunteers with their quiz attempts, inserted in bulk; readiness follows.

Everything here is fake: names are drawn from short lists of common Thai given names and
made-up family names, and mobile numbers come from the reserved range 0890000000-0890999999
(`DEMO_PHONE_PREFIX`), which no test, demo login or real person uses. The same seed gives
the same people on every machine.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session

from ..auth.models import Role, User
from ..quizzes.models import Attempt
from ..readiness.counts import rebuild as rebuild_counts
from ..readiness.models import Readiness, TrainingPlan
from ..readiness.progress import passes_since, reevaluate_plan

DEMO_PHONE_PREFIX = "0890"
PASS_MARK = 80
_CHUNK = 5000  # volunteers per insert round (their attempts go in rounds of _ROWS rows)
_ROWS = 10000

_GIVEN = (
    "สมศรี", "สมชาย", "มาลี", "บุญมี", "คำปัน", "ศรีนวล", "จันทร์เพ็ญ", "ประยูร", "สุดา",
    "วันดี", "อินทร", "แสงเดือน", "บัวตอง", "ทองใบ", "นงลักษณ์", "สายทอง", "พิมพ์ใจ",
    "อำนวย", "ดวงใจ", "เพ็ญศรี", "สมบัติ", "กาญจนา", "วิไล", "ประเสริฐ", "บุญเรือง",
)  # fmt: skip
_FAMILY_HEAD = ("ใจ", "แก้ว", "ศรี", "บุญ", "ทอง", "คำ", "สุข", "เพชร", "มั่น", "อินทร์")
_FAMILY_TAIL = ("ดี", "งาม", "มา", "เรือง", "ยืน", "สม", "วงศ์", "ใส", "แสง", "ปัญญา")
# Most volunteers who collect จปฐ. data are village health volunteers (อสม.).
_TYPES = (("osm", 70), ("village_head", 8), ("och_leader", 8), ("kpsm", 7), ("other", 7))


@dataclass(frozen=True)
class DemoVillage:
    """A village to fill: its id, 8-digit code and number of households."""

    id: int
    code: str
    households: int | None


@dataclass
class DemoVolunteer:
    """One generated volunteer and the quiz attempts they made (not yet in the database)."""

    village_id: int
    full_name: str
    phone: str
    volunteer_type: str
    created_at: datetime
    # (indicator id, started, submitted, score, passed), oldest first.
    attempts: list[tuple[int, datetime, datetime, int, bool]] = field(default_factory=list)
    passed: int = 0
    ready_at: datetime | None = None
    confirmed_at: datetime | None = None

    @property
    def started_at(self) -> datetime | None:
        """The first attempt's start: when training began."""
        return self.attempts[0][1] if self.attempts else None


@dataclass(frozen=True)
class Mix:
    """How the generated volunteers spread over the states and how often they fail."""

    ready_share: float = 0.55
    training_share: float = 0.25
    confirmed_share: float = 0.1  # of the ready ones, confirmed as data collectors
    attempts_per_volunteer: float | None = None  # average over everyone; None: ~1.3 per try


def volunteers_per_village(households: int | None, ratio: int, spread: int) -> int:
    """About one volunteer per `ratio` households, give or take `spread` (at least one)."""
    if not households:
        return 0
    return max(round(households / ratio) + spread, 1)


def plan_volunteers(
    villages: Sequence[DemoVillage],
    indicator_ids: Sequence[int],
    *,
    mix: Mix,
    now: datetime,
    seed: int,
    ratio: int = 40,
    per_village: int | None = None,
    first_phone: int = 0,
    since: datetime | None = None,
) -> Iterator[DemoVolunteer]:
    """Yield the volunteers of every village in turn, with attempts consistent with their
    state: ready ones passed every indicator, those in training some, the rest none."""
    rng = random.Random(seed)
    n = len(indicator_ids)
    types = [t for t, weight in _TYPES for _ in range(weight)]
    fails = _mean_fails(mix, n)
    window = max(since or now - timedelta(days=15), now - timedelta(days=15))
    span = max((now - timedelta(hours=1) - window).total_seconds(), 3600.0)
    phone = first_phone
    for village in villages:
        count = (
            per_village
            if per_village is not None
            else volunteers_per_village(village.households, ratio, rng.choice((-1, 0, 0, 0, 1)))
        )
        # Villages differ: some are far ahead, some have hardly started.
        share = min(max(rng.gauss(mix.ready_share, 0.15), 0.0), 1.0)
        for _ in range(count):
            name = f"{rng.choice(_GIVEN)} {rng.choice(_FAMILY_HEAD)}{rng.choice(_FAMILY_TAIL)}"
            person = DemoVolunteer(
                village_id=village.id,
                full_name=name,
                phone=f"{DEMO_PHONE_PREFIX}{phone:06d}",
                volunteer_type=rng.choice(types),
                created_at=now,
            )
            phone += 1
            draw = rng.random()
            if not n or draw >= share + mix.training_share:
                goal = None  # registered, never tried a quiz
            else:
                goal = n if draw < share else rng.randrange(n)
            if goal is None:
                person.created_at = now - timedelta(seconds=rng.uniform(3600, 45 * 86400))
            else:
                _attempts(rng, person, indicator_ids[: goal + (goal < n)], goal, fails, now, span)
                if goal == n and rng.random() < mix.confirmed_share:
                    delay = timedelta(seconds=rng.uniform(3600, 2 * 86400))
                    person.confirmed_at = min(person.ready_at + delay, now)  # type: ignore[operator]
            yield person


def _mean_fails(mix: Mix, n: int) -> float:
    """Failed tries per attempted indicator that give the wanted average of attempts."""
    if mix.attempts_per_volunteer is None or not n:
        return 0.3
    tried = mix.ready_share * n + mix.training_share * ((n - 1) / 2 + 1)
    return max(mix.attempts_per_volunteer / tried - 1, 0.0) if tried else 0.0


def _attempts(
    rng: random.Random,
    person: DemoVolunteer,
    indicator_ids: Sequence[int],
    goal: int,
    fails: float,
    now: datetime,
    span: float,
) -> None:
    """Fill the attempts: indicators in plan order, failures before each pass, and one
    failed indicator after the last pass for someone still training."""
    whole, part = int(fails), fails - int(fails)
    tries: list[tuple[int, bool]] = []
    for index, indicator_id in enumerate(indicator_ids):
        misses = whole + (rng.random() < part) + (index >= goal)
        tries += [(indicator_id, False)] * misses
        if index < goal:
            tries.append((indicator_id, True))
    offset = rng.uniform(0, span)
    start = now - timedelta(hours=1) - timedelta(seconds=offset)
    step = offset / len(tries)
    for i, (indicator_id, ok) in enumerate(tries):
        started = start + timedelta(seconds=i * step + rng.uniform(0, step / 2))
        submitted = started + timedelta(seconds=rng.randint(120, 540))
        score = rng.choice((80, 90, 100)) if ok else rng.choice((20, 40, 50, 60, 70))
        person.attempts.append((indicator_id, started, submitted, score, ok))
        if ok:
            person.passed += 1
            person.ready_at = max(person.ready_at or submitted, submitted)
    if goal < len(indicator_ids):
        person.ready_at = None  # still training: the last indicator tried is not passed
    person.created_at = start - timedelta(seconds=rng.uniform(600, 30 * 86400))


def demo_volunteers_exist(session: Session) -> bool:
    """True once demo volunteers have been generated in this database."""
    stmt = select(User.id).where(User.phone.startswith(DEMO_PHONE_PREFIX)).limit(1)
    return session.scalar(stmt) is not None


def generate_volunteers(
    session: Session,
    *,
    villages: Sequence[DemoVillage],
    plan: TrainingPlan | None,
    now: datetime,
    secret: str,
    seed: int = 2570,
    ratio: int = 40,
    per_village: int | None = None,
    mix: Mix | None = None,
    password_hash: str = "",
    confirmed_by_id: int | None = None,
) -> dict[str, int]:
    """Insert generated volunteers into the villages with their attempts at the plan's
    quizzes (bulk inserts), then let the readiness package record what those attempts give
    (`reevaluate_plan`, the same code as everywhere else) and confirm some of the ready
    ones. The caller commits."""
    mix = mix or Mix()
    indicator_ids = [i.id for i in plan.indicators] if plan else []
    counts = {"volunteers": 0, "attempts": 0, "ready": 0, "confirmed": 0}
    people = plan_volunteers(
        villages,
        indicator_ids,
        mix=mix,
        now=now,
        seed=seed,
        ratio=ratio,
        per_village=per_village,
        since=passes_since(plan) if plan else None,
    )
    confirmations: list[dict[str, Any]] = []
    while batch := [p for _, p in zip(range(_CHUNK), people, strict=False)]:
        users = [
            {"full_name": p.full_name, "phone": p.phone, "password_hash": password_hash,
             "role": Role.VOLUNTEER.value, "volunteer_type": p.volunteer_type,
             "village_id": p.village_id, "created_at": p.created_at, "active": True,
             "save_data": False}
            for p in batch
        ]  # fmt: skip
        stmt = insert(User).returning(User.id, sort_by_parameter_order=True)
        ids = list(session.scalars(stmt, users))
        attempts: list[dict[str, Any]] = []
        for user_id, p in zip(ids, batch, strict=True):
            for indicator_id, started, submitted, score, ok in p.attempts:
                attempts.append(
                    {"user_id": user_id, "indicator_id": indicator_id, "draw": [],
                     "pass_mark": PASS_MARK, "started_at": started, "submitted_at": submitted,
                     "score": score, "passed": ok}
                )  # fmt: skip
                if len(attempts) >= _ROWS:
                    session.execute(insert(Attempt), attempts)
                    counts["attempts"] += len(attempts)
                    attempts = []
            if plan is not None and p.ready_at is not None and p.confirmed_at is not None:
                confirmations.append({"uid": user_id, "at": p.confirmed_at})
        if attempts:
            session.execute(insert(Attempt), attempts)
        counts["volunteers"] += len(batch)
        counts["attempts"] += len(attempts)
    if plan is not None:
        counts["ready"] = reevaluate_plan(session, plan, secret=secret, now=now)["newly_ready"]
        for chunk in (confirmations[i : i + _ROWS] for i in range(0, len(confirmations), _ROWS)):
            session.execute(
                update(Readiness.__table__)
                .where(Readiness.plan_id == plan.id, Readiness.user_id == bindparam("uid"))
                .values(confirmed_at=bindparam("at"), confirmed_by_id=confirmed_by_id),
                chunk,
            )
        counts["confirmed"] = len(confirmations)
    rebuild_counts(session)  # bulk inserts: the stored per-village counts, recounted
    session.flush()
    return counts
