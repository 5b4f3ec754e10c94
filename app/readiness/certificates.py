"""Public checks of a certificate's code: what anyone holding the paper may learn (the name
partly masked, the plan, the date ready, and whether it is still valid), nothing more."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import Readiness
from .progress import is_expired
from .services import normal_code

log = logging.getLogger(__name__)

# Thai vowels written before their consonant: a masked word keeps the consonant too.
_LEADING_VOWELS = "เแโใไ"


class Validity(StrEnum):
    """What a public check says of a certificate."""

    VALID = "valid"
    EXPIRED = "expired"  # the plan's readiness has lapsed
    REVOKED = "revoked"  # the volunteer's account was deactivated or erased


@dataclass(frozen=True)
class CertificateCheck:
    """The public answer for one code."""

    masked_name: str
    plan_name_th: str
    plan_name_en: str
    ready_at: datetime
    validity: Validity


def _masked_word(word: str) -> str:
    """The first letter of a word (its consonant too after a leading vowel), then "***"."""
    keep = 2 if word[:1] in _LEADING_VOWELS else 1
    return word[:keep] + "***"


def mask_name(full_name: str) -> str:
    """A name a stranger may see: the first name and the surname's first letter, each cut.

    >>> mask_name("สมศรี พร้อมแล้ว")
    'สม*** พ***'
    """
    words = full_name.split()
    if not words:
        return "***"
    first = words[0]
    keep = 3 if first[:1] in _LEADING_VOWELS else 2
    shown = [first[:keep] + "***" if len(first) > keep else first[:1] + "***"]
    shown += [_masked_word(word) for word in words[1:2]]
    return " ".join(shown)


def validity_of(record: Readiness, today: date) -> Validity:
    """Revoked when the holder's account no longer stands; expired once the plan lapses."""
    if not record.user.active:
        return Validity.REVOKED
    if is_expired(record.plan, today):
        return Validity.EXPIRED
    return Validity.VALID


def check_certificate(session: Session, code: str, *, today: date) -> CertificateCheck | None:
    """The public answer for a certificate's code, or None when no certificate has it. Logs
    the outcome only (never the code, the name or who asked)."""
    stored = normal_code(code)
    record = None
    if stored is not None:
        record = session.scalar(select(Readiness).where(Readiness.code == stored))
    if record is None or record.user.erased_at is not None:  # erased: nobody's any more
        log.info("certificate check: unknown")
        return None
    validity = validity_of(record, today)
    log.info("certificate check: %s (plan %s)", validity.value, record.plan_id)
    return CertificateCheck(
        masked_name=mask_name(record.user.full_name),
        plan_name_th=record.plan.name_th,
        plan_name_en=record.plan.name_en,
        ready_at=record.ready_at,
        validity=validity,
    )
