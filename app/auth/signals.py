"""Account events that features above auth act on (blinker signals: auth never imports them).

`account_deactivated` is sent with the session (the sender's transaction: receivers flush,
never commit), the user's id and the time, whenever an account is deactivated."""

from __future__ import annotations

from datetime import datetime

from blinker import Namespace
from sqlalchemy.orm import Session

_signals = Namespace()

account_deactivated = _signals.signal("account-deactivated")


def send_account_deactivated(session: Session, user_id: int, *, now: datetime) -> None:
    """Tell every receiver (API tokens ...) that this account was deactivated."""
    account_deactivated.send(session, user_id=user_id, now=now)
