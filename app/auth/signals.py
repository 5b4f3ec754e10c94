"""Account events that features above auth act on (blinker signals: auth never imports them).

`account_deactivated` is sent with the session (the sender's transaction: receivers flush,
never commit), the user's id and the time, whenever an account is deactivated.
`volunteers_changed` is sent with the session and the ids of the villages whose volunteers
changed (a registration, an import, a move, an erasure), so readiness recounts them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from blinker import Namespace
from sqlalchemy.orm import Session

_signals = Namespace()

account_deactivated = _signals.signal("account-deactivated")


def send_account_deactivated(session: Session, user_id: int, *, now: datetime) -> None:
    """Tell every receiver (API tokens ...) that this account was deactivated."""
    account_deactivated.send(session, user_id=user_id, now=now)


volunteers_changed = _signals.signal("volunteers-changed")


def send_volunteers_changed(session: Session, village_ids: Iterable[int | None]) -> None:
    """Tell every receiver (the stored per-village counts) that these villages gained, lost
    or moved volunteers; the changes are flushed, in the sender's transaction."""
    ids = sorted({v for v in village_ids if v is not None})
    if ids:
        volunteers_changed.send(session, village_ids=ids)
