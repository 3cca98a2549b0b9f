"""Check characters of the identifiers a disclosure site deals with.

Three pure functions families, no I/O:

* the 统一社会信用代码 (USCC, GB 32100-2015), which prefixes every 索引号 and must be right
  before a policy is published;
* the 18-character resident ID number (居民身份证号码, GB 11643-1999), which the personal-data
  gate must find wherever it appears;
* the Luhn check (ISO/IEC 7812), which bank card numbers pass.

The validity checks are deliberately about the check character only: the personal-data gate
must err on the side of flagging, so a resident ID with an implausible birth date or an unknown
region code is still "valid" here.
"""

from __future__ import annotations

from typing import Final

__all__ = [
    "USCC_ALPHABET",
    "luhn_is_valid",
    "resident_id_check_char",
    "resident_id_is_valid",
    "uscc_check_char",
    "uscc_is_valid",
]

USCC_ALPHABET: Final = "0123456789ABCDEFGHJKLMNPQRTUWXY"
"""The 31 characters a USCC may use, in value order (no I, O, S, V, Z)."""

_USCC_WEIGHTS: Final = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_RESIDENT_ID_WEIGHTS: Final = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_RESIDENT_ID_CHECK: Final = "10X98765432"
_ASCII_DIGITS: Final = frozenset("0123456789")


def _is_ascii_digits(text: str) -> bool:
    """True for a non-empty string of ASCII digits (``str.isdigit`` also accepts ``'²'``)."""
    return bool(text) and all(ch in _ASCII_DIGITS for ch in text)


def uscc_check_char(first17: str) -> str:
    """Return the GB 32100-2015 check character for the first 17 characters of a USCC.

    Each character's value is its index in :data:`USCC_ALPHABET`; the check value is
    ``31 - sum(value * weight) % 31``, where 31 stands for ``0``.

    Raises:
        ValueError: if ``first17`` is not 17 characters from the USCC alphabet.
    """
    if len(first17) != 17:
        raise ValueError(f"a USCC body has 17 characters, not {len(first17)}")
    total = 0
    for ch, weight in zip(first17, _USCC_WEIGHTS, strict=True):
        value = USCC_ALPHABET.find(ch)
        if value < 0:
            raise ValueError(f"{ch!r} is not a USCC character")
        total += value * weight
    return USCC_ALPHABET[(31 - total % 31) % 31]


def uscc_is_valid(code: str) -> bool:
    """True if ``code`` is 18 upper-case USCC characters ending in the right check character."""
    if len(code) != 18 or any(ch not in USCC_ALPHABET for ch in code):
        return False
    return uscc_check_char(code[:17]) == code[17]


def resident_id_check_char(first17: str) -> str:
    """Return the GB 11643-1999 check character (``0``-``9`` or ``X``) for 17 ID digits.

    The check value is ``sum(digit * weight) % 11`` mapped through ``"10X98765432"``.

    Raises:
        ValueError: if ``first17`` is not 17 ASCII digits.
    """
    if len(first17) != 17 or not _is_ascii_digits(first17):
        raise ValueError("a resident ID body is 17 ASCII digits")
    total = sum(int(ch) * weight for ch, weight in zip(first17, _RESIDENT_ID_WEIGHTS, strict=True))
    return _RESIDENT_ID_CHECK[total % 11]


def resident_id_is_valid(s: str) -> bool:
    """True if ``s`` is 17 ASCII digits plus the right check character (``X`` or ``x``).

    No birth-date or region plausibility check: a number that merely *looks* like an ID
    with a correct check digit must still stop the build.
    """
    if len(s) != 18 or not _is_ascii_digits(s[:17]):
        return False
    return resident_id_check_char(s[:17]) == s[17].upper()


def luhn_is_valid(digits: str) -> bool:
    """True if ``digits`` (at least two ASCII digits, nothing else) passes the Luhn check.

    A single digit is rejected: it carries no check digit, so "valid" would be meaningless.
    """
    if len(digits) < 2 or not _is_ascii_digits(digits):
        return False
    total = 0
    for position, ch in enumerate(reversed(digits)):
        value = int(ch)
        if position % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0
