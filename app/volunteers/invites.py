"""Village invitation codes: printed on a QR poster, they sign volunteers up into the village."""

from __future__ import annotations

import secrets
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..areas.models import Village

# No 0/O, 1/I/L: a code read off a poster and typed by hand cannot be misread.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 8
_CHUNK = 1000  # codes per IN (...) query


def new_code() -> str:
    """A random code of CODE_LENGTH characters from ALPHABET."""
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(raw: str) -> str:
    """The code as stored: upper case, without spaces or dashes people may add."""
    return raw.strip().replace("-", "").replace(" ", "").upper()


def _unused_codes(session: Session, count: int) -> list[str]:
    """`count` fresh codes that no village holds (31^8 codes make a clash very rare)."""
    codes: set[str] = set()
    while len(codes) < count:
        wanted = list({new_code() for _ in range(count - len(codes))} - codes)
        for start in range(0, len(wanted), _CHUNK):
            chunk = wanted[start : start + _CHUNK]
            stmt = select(Village.invite_code).where(Village.invite_code.in_(chunk))
            codes |= set(chunk) - set(session.scalars(stmt))
    return list(codes)


def ensure_codes(session: Session, villages: Sequence[Village]) -> int:
    """Give every village without an invitation code a new one; returns how many got one."""
    missing = [v for v in villages if not v.invite_code]
    for village, code in zip(missing, _unused_codes(session, len(missing)), strict=True):
        village.invite_code = code
    session.flush()
    return len(missing)


def rotate_code(session: Session, village: Village) -> str:
    """Replace the village's code: the old poster stops working."""
    village.invite_code = _unused_codes(session, 1)[0]
    session.flush()
    return village.invite_code


def village_by_code(session: Session, code: str) -> Village | None:
    """The village whose current invitation code this is, if any."""
    code = normalise_code(code)
    if len(code) != CODE_LENGTH or any(ch not in ALPHABET for ch in code):
        return None
    return session.scalar(select(Village).where(Village.invite_code == code))
