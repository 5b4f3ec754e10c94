"""Thai national ID card numbers: the check digit, the masked form and the keyed hash.

The full 13 digits are never stored or logged: only `mask_id` (the last 3 digits) to show and
`id_hash` (HMAC-SHA256 with the app's secret) to find the same person twice.
"""

from __future__ import annotations

import hashlib
import hmac
import re

from ..errors import DomainError

_SEPARATORS = re.compile(r"[\s\-.]")


class BadNationalId(DomainError):
    """The ID card number is not 13 digits or its check digit is wrong."""


def check_digit(first12: str) -> int:
    """The 13th digit for the first 12: (11 - sum(digit x weight 13..2) mod 11) mod 10."""
    if len(first12) != 12 or not first12.isdigit():
        raise ValueError("the check digit needs exactly 12 digits")
    weights = range(13, 1, -1)
    total = sum(int(digit) * weight for digit, weight in zip(first12, weights, strict=True))
    return (11 - total % 11) % 10


def clean_id(raw: str) -> str:
    """The 13 digits of an ID card number typed with dashes or spaces (raises BadNationalId)."""
    digits = _SEPARATORS.sub("", raw or "")
    if len(digits) != 13 or not digits.isascii() or not digits.isdigit():
        raise BadNationalId("an ID card number has 13 digits")
    if check_digit(digits[:12]) != int(digits[12]):
        raise BadNationalId("the ID card number's check digit is wrong")
    return digits


def is_valid_id(raw: str) -> bool:
    """True when the text is a well-formed ID card number with the right check digit."""
    try:
        clean_id(raw)
    except BadNationalId:
        return False
    return True


def mask_id(digits: str) -> str:
    """ "x-xxxx-xxxxx-12-1": the card's 1-4-5-2-1 grouping, only the last 3 digits visible."""
    if len(digits) != 13:
        raise ValueError("mask_id needs the 13 digits")
    return f"x-xxxx-xxxxx-{digits[10:12]}-{digits[12]}"


def id_hash(secret: str, digits: str) -> str:
    """The keyed hash (HMAC-SHA256, hex) that finds a number registered twice."""
    return hmac.new(secret.encode(), digits.encode(), hashlib.sha256).hexdigest()
