"""Pure readiness rules: no database, no request."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable, Mapping
from datetime import datetime

_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud to an officer


def ready_at(required: Iterable[int], first_passes: Mapping[int, datetime]) -> datetime | None:
    """When the last required indicator was first passed; None while any is missing."""
    required = list(required)
    if not required or any(i not in first_passes for i in required):
        return None
    return max(first_passes[i] for i in required)


def verification_code(
    secret: str, user_id: int, plan_id: int, when: datetime, salt: int = 0
) -> str:
    """A short code (XXXX-XXXX) an officer can check; derived, so it cannot be guessed."""
    message = f"{user_id}:{plan_id}:{when.isoformat()}:{salt}".encode()
    digest = hmac.new(secret.encode(), message, hashlib.sha256).digest()
    chars = "".join(_ALPHABET[b % len(_ALPHABET)] for b in digest[:8])
    return f"{chars[:4]}-{chars[4:]}"
