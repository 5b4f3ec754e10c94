"""The ID card number rules: check digit, typing with dashes, masking, keyed hash."""

from __future__ import annotations

import pytest

from app.volunteers.idcard import (
    BadNationalId,
    check_digit,
    clean_id,
    id_hash,
    is_valid_id,
    mask_id,
)

from .conftest import new_id


@pytest.mark.parametrize(
    ("first12", "digit"),
    [
        ("123456789012", 1),  # sum 352, 352 % 11 = 0 -> 11 % 10 = 1
        ("111111111111", 9),  # sum 90, 90 % 11 = 2 -> 9
        ("000000000006", 0),  # sum 12, 12 % 11 = 1 -> 10 % 10 = 0
        ("000000000000", 1),  # sum 0 -> 11 % 10 = 1
    ],
)
def test_check_digit_follows_the_weights_13_to_2(first12, digit):
    assert check_digit(first12) == digit


@pytest.mark.parametrize(
    "typed", ["1234567890121", "1-2345-67890-12-1", "1 2345 67890 12 1", " 1234567890121 "]
)
def test_a_valid_number_is_accepted_with_dashes_or_spaces(typed):
    assert clean_id(typed) == "1234567890121"
    assert is_valid_id(typed)


@pytest.mark.parametrize(
    "typed",
    [
        "1234567890122",  # wrong check digit
        "1234567890120",
        "123456789012",  # 12 digits
        "12345678901211",  # 14 digits
        "12345678901a1",
        "๑๒๓๔๕๖๗๘๙๐๑๒๑",  # Thai digits are not accepted
        "",
    ],
)
def test_invalid_numbers_are_refused(typed):
    assert not is_valid_id(typed)
    with pytest.raises(BadNationalId):
        clean_id(typed)


def test_generated_test_numbers_are_valid_and_a_changed_digit_is_not():
    number = new_id()
    assert is_valid_id(number)
    changed = number[:5] + str((int(number[5]) + 1) % 10) + number[6:]
    assert not is_valid_id(changed)


def test_the_mask_keeps_only_the_last_three_digits():
    assert mask_id("1234567890121") == "x-xxxx-xxxxx-12-1"
    masked = mask_id("3100600112358")
    assert masked == "x-xxxx-xxxxx-35-8"
    assert sum(ch.isdigit() for ch in masked) == 3


def test_the_hash_is_keyed_stable_and_hides_the_number():
    digits = "1234567890121"
    first = id_hash("secret-a", digits)
    assert first == id_hash("secret-a", digits)
    assert first != id_hash("secret-b", digits)
    assert first != id_hash("secret-a", "1111111111119")
    assert len(first) == 64 and int(first, 16) >= 0
    assert digits not in first
