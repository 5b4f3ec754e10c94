"""The content stamp: a number that changes whenever what every volunteer sees changes (the
lessons, the question banks, the active training plan), so that what is built from them (a
lesson page's body, a bank, the plan) is cached per stamp and never served stale (issue 16:
a lesson view loaded and rendered the same lesson on every request).

Every ORM write of a tracked model bumps it in the same transaction: a flush that adds,
changes or deletes one, and an ORM UPDATE or DELETE statement on one. The models that count
register themselves with `track` (content here, quizzes and plans in their packages), so
this module imports no feature. A change of a tracked object's collection counts (a plan's
indicators). A write past the ORM (plain SQL) must call `bump` itself."""

from __future__ import annotations

import secrets
from itertools import chain
from typing import Any

from flask import current_app
from sqlalchemy import event, select
from sqlalchemy.orm import ORMExecuteState, Session

from ..db import conflict_insert
from .models import (
    Category,
    Clip,
    ContentStamp,
    FaqCard,
    Indicator,
    Infographic,
    Recording,
    RecordingItem,
)

_TRACKED: set[type] = set()
_ROW = 1
_MEMO = "bmn.content_stamp"  # (the transaction, its stamp) in session.info
# Built once: constructing a statement costs more than running it (issue 16).
_READ = select(ContentStamp.version).where(ContentStamp.id == _ROW)


def track(*models: type) -> None:
    """Count writes of these models as content changes."""
    _TRACKED.update(models)


track(Category, Indicator, Clip, Infographic, FaqCard, Recording, RecordingItem)


def content_stamp(session: Session) -> int:
    """The current stamp (0 before the first change on a fresh schema), read once per
    transaction: what a request loads after reading it is at least as new."""
    transaction = session.get_transaction()
    known = session.info.get(_MEMO)
    if known is not None and transaction is not None and known[0] is transaction:
        return known[1]
    stamp = session.scalar(_READ) or 0
    session.info[_MEMO] = (session.get_transaction(), stamp)
    return stamp


def stamped_cache(session: Session, name: str) -> dict[Any, Any]:
    """This app's cache called `name`, emptied whenever the content stamp has moved on: what
    goes in must be built from published content only (one cache per app, as tests run apps
    on other databases side by side). Racing threads at worst build an entry twice."""
    stamp = content_stamp(session)
    caches = current_app.extensions.setdefault("bmn.stamped", {})
    entry = caches.get(name)
    if entry is None or entry[0] != stamp:
        entry = caches[name] = (stamp, {})
    return entry[1]


def bump(session: Session) -> None:
    """Give the stamp a new value, in the caller's transaction (one upsert statement). A
    random one, not a count: a database restored to an earlier state (a backup, the test
    suite's snapshots) never meets a value cached for other content."""
    table = ContentStamp.__table__
    value = secrets.randbelow(2**31 - 1) + 1
    stmt = conflict_insert(session, table).values(id=_ROW, version=value)
    stmt = stmt.on_conflict_do_update(index_elements=[table.c.id], set_={"version": value})
    session.connection().execute(stmt)
    session.info.pop(_MEMO, None)


def _changed(session: Session) -> bool:
    if any(type(obj) in _TRACKED for obj in chain(session.new, session.deleted)):
        return True
    return any(
        type(obj) in _TRACKED and session.is_modified(obj)  # a plan's indicators: a collection
        for obj in session.dirty
    )


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _context: Any) -> None:
    if _changed(session):
        bump(session)


@event.listens_for(Session, "do_orm_execute")
def _on_execute(state: ORMExecuteState) -> None:
    if (state.is_update or state.is_delete) and any(
        mapper.class_ in _TRACKED for mapper in state.all_mappers
    ):
        bump(state.session)
