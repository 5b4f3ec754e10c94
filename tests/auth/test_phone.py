"""Thai mobile numbers are normalised to ten digits."""

from __future__ import annotations

import pytest

from app.auth.phone import normalise_phone


@pytest.mark.parametrize(
    "typed",
    ["0812345678", "081-234-5678", "081 234 5678", "+66812345678", "66812345678", "(081) 234.5678"],
)
def test_common_ways_of_typing_a_mobile_number_are_accepted(typed):
    assert normalise_phone(typed) == "0812345678"


@pytest.mark.parametrize("typed", ["", "12345", "021234567", "0712345678", "08123456789", "abc"])
def test_non_mobile_numbers_are_refused(typed):
    assert normalise_phone(typed) is None
