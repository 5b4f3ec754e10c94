"""Stored per-village counts: registered volunteers, and ready ones per plan.

Pages over a whole country (coverage, the readiness list's province choice) read these
~8,000 rows instead of grouping 320,000 accounts and their readiness records on every view.
This module is their one writer, and `live_counts` is the one definition they must equal:

- a new readiness record adds one to its volunteer's village (`record_ready`, from
  `progress.refresh_volunteer`: one upsert, only on the submit that makes someone ready);
- `progress.reevaluate_plan` recounts the plan (`rebuild`);
- registrations, imports, village moves and erasures recount the villages they touch
  (`refresh_villages`, through the `volunteers_changed` signal of `auth.signals`);
- `flask plans rebuild-counts` recounts everything (after a bulk load outside the app).

Deactivated accounts still count as registered, as they do on the live pages. On
PostgreSQL every writer locks the village's row before it counts (an upsert that creates
or locks it), so concurrent submits, moves and registrations never lose an update.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import and_, delete, func, literal, select
from sqlalchemy.orm import Session

from ..auth.models import Role, User
from ..db import conflict_insert
from .models import Readiness, TrainingPlan, VillageReadyCount, VillageVolunteerCount

__all__ = ["live_counts", "rebuild", "record_ready", "refresh_villages", "stored", "stored_counts"]

_REGISTERED = VillageVolunteerCount.__table__
_READY = VillageReadyCount.__table__


def _counted() -> Any:
    """The volunteers that count: role volunteer, in a village, not erased."""
    return and_(
        User.role == Role.VOLUNTEER.value, User.erased_at.is_(None), User.village_id.is_not(None)
    )


def record_ready(session: Session, *, user_id: int, plan_id: int) -> None:
    """A readiness record was just inserted for the volunteer: one more ready in their
    village under the plan (one statement; the row is created when missing)."""
    source = select(literal(plan_id), User.village_id, literal(1)).where(
        User.id == user_id, _counted()
    )
    stmt = conflict_insert(session, _READY).from_select(["plan_id", "village_id", "ready"], source)
    stmt = stmt.on_conflict_do_update(
        index_elements=["plan_id", "village_id"], set_={"ready": _READY.c.ready + 1}
    )
    session.execute(stmt)


def refresh_villages(session: Session, village_ids: Iterable[int | None]) -> None:
    """Recount the villages' registered volunteers and ready ones under every plan (after a
    registration, an import, a move or an erasure; the caller's changes are flushed)."""
    ids = sorted({v for v in village_ids if v is not None})
    if not ids:
        return
    session.flush()
    plan_ids = sorted(session.scalars(select(TrainingPlan.id)))
    # Create or lock the rows first (sorted: concurrent writers take them in one order), so
    # the counts below see every transaction that committed before them.
    _lock(session, _REGISTERED, ["village_id"], "registered", [{"village_id": v} for v in ids])
    ready_keys = [{"plan_id": p, "village_id": v} for p in plan_ids for v in ids]
    _lock(session, _READY, ["plan_id", "village_id"], "ready", ready_keys)
    registered = dict.fromkeys(ids, 0)
    registered.update(
        (v, n)
        for v, n in session.execute(
            select(User.village_id, func.count(User.id))
            .where(_counted(), User.village_id.in_(ids))
            .group_by(User.village_id)
        )
    )
    ready = {(p, v): 0 for p in plan_ids for v in ids}
    ready.update(
        ((p, v), n)
        for p, v, n in session.execute(
            select(Readiness.plan_id, User.village_id, func.count(Readiness.id))
            .join(User, User.id == Readiness.user_id)
            .where(_counted(), User.village_id.in_(ids), Readiness.plan_id.in_(plan_ids))
            .group_by(Readiness.plan_id, User.village_id)
        )
    )
    _set(session, _REGISTERED, ["village_id"], "registered",
         [{"village_id": v, "registered": n} for v, n in registered.items()])  # fmt: skip
    _set(session, _READY, ["plan_id", "village_id"], "ready",
         [{"plan_id": p, "village_id": v, "ready": n} for (p, v), n in ready.items()])  # fmt: skip


def _lock(session: Session, table: Any, keys: list[str], column: str, rows: list[dict]) -> None:
    """Insert the rows at 0, or lock those already there (an update that changes nothing)."""
    if rows:
        stmt = conflict_insert(session, table).on_conflict_do_update(
            index_elements=keys, set_={column: table.c[column]}
        )
        session.execute(stmt, [{**row, column: 0} for row in rows])


def _set(session: Session, table: Any, keys: list[str], column: str, rows: list[dict]) -> None:
    """Write the counted values onto the (locked) rows."""
    if rows:
        stmt = conflict_insert(session, table)
        stmt = stmt.on_conflict_do_update(index_elements=keys, set_={column: stmt.excluded[column]})
        session.execute(stmt, rows)


def rebuild(session: Session, plan_id: int | None = None) -> None:
    """Recount from the accounts and readiness records: one plan's ready counts (after
    `reevaluate_plan`), or, without a plan, both tables entirely."""
    if plan_id is None:
        session.execute(delete(_REGISTERED))
        session.execute(
            conflict_insert(session, _REGISTERED).from_select(
                ["village_id", "registered"],
                select(User.village_id, func.count(User.id))
                .where(_counted())
                .group_by(User.village_id),
            )
        )
    ready = delete(_READY)
    source = (
        select(Readiness.plan_id, User.village_id, func.count(Readiness.id))
        .join(User, User.id == Readiness.user_id)
        .where(_counted())
        .group_by(Readiness.plan_id, User.village_id)
    )
    if plan_id is not None:
        ready = ready.where(_READY.c.plan_id == plan_id)
        source = source.where(Readiness.plan_id == plan_id)
    session.execute(ready)
    session.execute(
        conflict_insert(session, _READY).from_select(["plan_id", "village_id", "ready"], source)
    )


def stored_counts(session: Session, plan_id: int | None, villages: Any) -> dict[int, tuple]:
    """{village id: (registered, ready)} from the stored rows, for the villages a select()
    of Village.id gives (already limited to the viewer's scope by the caller)."""
    ready: Any = literal(0)
    if plan_id is not None:
        ready = func.coalesce(_READY.c.ready, 0)
    stmt = (
        select(villages.c.id, func.coalesce(_REGISTERED.c.registered, 0), ready)
        .select_from(villages)
        .outerjoin(_REGISTERED, _REGISTERED.c.village_id == villages.c.id)
    )
    if plan_id is not None:
        stmt = stmt.outerjoin(
            _READY, and_(_READY.c.village_id == villages.c.id, _READY.c.plan_id == plan_id)
        )
    return {village_id: (registered, n) for village_id, registered, n in session.execute(stmt)}


def live_counts(session: Session) -> dict[tuple[str, int, int | None], int]:
    """What the stored rows must hold, counted from the accounts and readiness records:
    {("registered", village id, None) | ("ready", village id, plan id): n}, zeros left out.
    The tests and `flask plans check-counts` compare the two."""
    result: dict[tuple[str, int, int | None], int] = {}
    for village_id, n in session.execute(
        select(User.village_id, func.count(User.id)).where(_counted()).group_by(User.village_id)
    ):
        result[("registered", village_id, None)] = n
    for plan_id, village_id, n in session.execute(
        select(Readiness.plan_id, User.village_id, func.count(Readiness.id))
        .join(User, User.id == Readiness.user_id)
        .where(_counted())
        .group_by(Readiness.plan_id, User.village_id)
    ):
        result[("ready", village_id, plan_id)] = n
    return result


def stored(session: Session) -> dict[tuple[str, int, int | None], int]:
    """The stored rows in `live_counts`' shape (zeros left out)."""
    result: dict[tuple[str, int, int | None], int] = {}
    for village_id, n in session.execute(
        select(_REGISTERED.c.village_id, _REGISTERED.c.registered)
    ):
        if n:
            result[("registered", village_id, None)] = n
    for plan_id, village_id, n in session.execute(
        select(_READY.c.plan_id, _READY.c.village_id, _READY.c.ready)
    ):
        if n:
            result[("ready", village_id, plan_id)] = n
    return result
