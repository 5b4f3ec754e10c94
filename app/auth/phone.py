"""Thai mobile numbers: accept what people type, store ten digits (0XXXXXXXXX)."""

from __future__ import annotations

import re

_MOBILE = re.compile(r"0[689]\d{8}")


def normalise_phone(raw: str) -> str | None:
    """Return the number as 10 digits starting 06/08/09, or None if it is not a Thai mobile.

    Accepts spaces, dashes, dots, brackets and the +66 / 66 country code.
    """
    digits = re.sub(r"[\s\-.()]", "", raw or "")
    if digits.startswith("+66"):
        digits = "0" + digits[3:]
    elif digits.startswith("66") and len(digits) == 11:
        digits = "0" + digits[2:]
    return digits if _MOBILE.fullmatch(digits) else None
