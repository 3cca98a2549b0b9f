"""Check characters: USCC (GB 32100), resident ID (GB 11643), Luhn."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from site_builder.identifiers import (
    USCC_ALPHABET,
    luhn_is_valid,
    resident_id_check_char,
    resident_id_is_valid,
    uscc_check_char,
    uscc_is_valid,
)

DIGITS = "0123456789"


def test_uscc_known_codes() -> None:
    assert uscc_check_char("11379900005183427") == "E"
    assert uscc_is_valid("11379900005183427E")
    assert uscc_is_valid("91350100M000100Y43")


@pytest.mark.parametrize(
    "code",
    [
        "11379900005183427F",  # wrong check character
        "11379900005183427e",  # lower case is not the alphabet
        "11379900005183427",  # 17 characters
        "11379900005183427EE",  # 19 characters
        "I1379900005183427E",  # I is not in the alphabet
        "１１379900005183427E",  # full-width digits are not normalised here
        "",
    ],
)
def test_uscc_invalid(code: str) -> None:
    assert not uscc_is_valid(code)


def test_uscc_check_value_31_means_zero() -> None:
    # Sum ≡ 0 (mod 31) gives 31 - 0 = 31, which must wrap to "0".
    assert uscc_check_char("0" * 17) == "0"
    assert uscc_is_valid("0" * 18)


def test_uscc_check_char_rejects_bad_bodies() -> None:
    with pytest.raises(ValueError):
        uscc_check_char("1137990000518342")
    with pytest.raises(ValueError):
        uscc_check_char("1137990000518342O")


@given(st.text(alphabet=USCC_ALPHABET, min_size=17, max_size=17))
def test_uscc_exactly_one_check_char(body: str) -> None:
    valid = [ch for ch in USCC_ALPHABET if uscc_is_valid(body + ch)]
    assert valid == [uscc_check_char(body)]


def test_resident_id_known_numbers() -> None:
    assert resident_id_check_char("11010519491231002") == "X"
    assert resident_id_is_valid("11010519491231002X")
    assert resident_id_is_valid("11010519491231002x")
    assert resident_id_is_valid("440524188001010014")
    assert resident_id_check_char("11010119900307123") == "3"


@pytest.mark.parametrize(
    "number",
    [
        "110105194912310021",  # wrong check digit
        "11010519491231002Y",
        "11010519491231002",  # 17 characters
        "110105194912310020X",
        "X10105194912310020",
        "１１010519491231002X",  # full-width digits are not normalised here
        "",
    ],
)
def test_resident_id_invalid(number: str) -> None:
    assert not resident_id_is_valid(number)


def test_resident_id_birth_date_is_not_checked() -> None:
    # Month 13, day 45: still a number that must be flagged when its check digit is right.
    body = "11010119901345123"
    assert resident_id_is_valid(body + resident_id_check_char(body))


def test_resident_id_check_char_rejects_bad_bodies() -> None:
    with pytest.raises(ValueError):
        resident_id_check_char("1101051949123100")
    with pytest.raises(ValueError):
        resident_id_check_char("1101051949123100X")


@given(st.text(alphabet=DIGITS, min_size=17, max_size=17))
def test_resident_id_exactly_one_check_char(body: str) -> None:
    valid = [ch for ch in DIGITS + "X" if resident_id_is_valid(body + ch)]
    assert valid == [resident_id_check_char(body)]


@pytest.mark.parametrize("digits", ["79927398713", "4111111111111111", "6222021234567890128", "00"])
def test_luhn_valid(digits: str) -> None:
    assert luhn_is_valid(digits)


@pytest.mark.parametrize(
    "digits",
    ["79927398710", "4111111111111112", "0", "", "4111 1111 1111 1111", "４111111111111111"],
)
def test_luhn_invalid(digits: str) -> None:
    assert not luhn_is_valid(digits)


@given(st.text(alphabet=DIGITS, min_size=1, max_size=25))
def test_luhn_exactly_one_check_digit(body: str) -> None:
    assert sum(luhn_is_valid(body + d) for d in DIGITS) == 1
