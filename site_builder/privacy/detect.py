"""Find personal numbers in text: resident IDs, mainland mobile numbers and bank cards (SPEC 4).

The personal-data gate runs :func:`scan_text` over every source that would be published and
again over every file written to the output. A missed number is a leak, a false alarm stops
the build, so the rules are chosen for "never miss a real number, rarely stop on a harmless one":

* Text is first :func:`normalize`-d, so full-width digits (１３８…) are numbers too.
* A *digit run* is a maximal run of ASCII digits; characters that are invisible on the page
  (zero-width space, soft hyphen, …) inside a run do not break it. Candidates are always whole
  runs, never a slice of one: an 11-digit mobile inside a 15-digit code is not a mobile.
  A run right after ``<digit>.`` is the fraction of a decimal (``0.30000000000000004``) and
  is ignored, so floats in charts and JSON do not look like bank cards.
* Runs joined by exactly one space or hyphen form a *chain* (``138 1234 5678``,
  ``110101-19900307-002X``, ``+86 138 1234 5678``). Any window of consecutive runs in a chain is
  a candidate, but a window of two or more runs only counts when its group boundaries fall where
  people actually split such a number: an ID after digit 3, 6, 10, 12 or 14 (region, birth year,
  month, date); a mobile after digit 3 or 7; a card every 4 digits (or after the 6-digit BIN),
  from a real issuer (`CARD_ISSUERS`). So a landline followed by a date
  (``0599-86612345 2023-02-22``) or a list of amounts never merges into a false number. Windows
  are tried longest first from the left; a match consumes its runs, one finding per number.
* A Luhn-valid run of 16–19 digits is a bank card only when it also looks like one: its leading
  digits are a real issuer's (`CARD_ISSUERS`: UnionPay 62, Visa 4, Mastercard 51–55 …), or card
  words (`CARD_CONTEXT`: 卡号, 账号, 银行, 开户 …) stand in the 16 characters before it. A
  Luhn-valid 19-digit id starting with 1 in a URL (``…/bmxxgknb/1744536686408826882.html``) is
  no card; a 62… card is one everywhere, in a URL too.
* An 18-character USCC with a valid check character is not a person's number when it contains
  letters (other than a final X), when it is the head of a 索引号 (``USCC/2023-00051``), or
  when it is listed in ``allow``. An all-digit USCC elsewhere is scanned like any number,
  because a real resident ID is a valid USCC one time in 31.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

from ..identifiers import luhn_is_valid, resident_id_is_valid, uscc_is_valid

__all__ = [
    "BANK_CARD",
    "CARD_CONTEXT",
    "CARD_ISSUERS",
    "MOBILE",
    "RESIDENT_ID",
    "Finding",
    "card_issuer",
    "mask_number",
    "normalize",
    "normalized_to",
    "scan_text",
]

RESIDENT_ID: Final = "resident_id"
MOBILE: Final = "mobile"
BANK_CARD: Final = "bank_card"

_LABELS: Final = {RESIDENT_ID: "身份证号码", MOBILE: "手机号码", BANK_CARD: "银行卡号"}
# How many leading and trailing characters a masked number keeps.
_KEEP: Final = {RESIDENT_ID: (6, 4), MOBILE: (3, 4), BANK_CARD: (4, 4)}


def _translation_table() -> dict[int, str]:
    # Full-width ASCII variants U+FF01..U+FF5E map to U+0021..U+007E, one char to one char.
    table = {code: chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F)}
    spaces = [0x00A0, 0x3000, 0x202F, 0x205F, *range(0x2000, 0x200B)]
    dashes = [0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2212, 0xFE58, 0xFE63]
    table.update({code: " " for code in spaces})
    table.update({code: "-" for code in dashes})
    return table


_TRANSLATION: Final = _translation_table()
_INVISIBLE: Final = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
_DIGIT_RUN: Final = re.compile(f"[0-9](?:[{_INVISIBLE}]*[0-9])*")
_INVISIBLE_CHARS: Final = re.compile(f"[{_INVISIBLE}]")
# An 18-character code not touching another letter or digit. The look-behind follows the first
# character (which it also checks, to be fixed-width) so that the pattern starts with a character
# class, which the regex engine skips to directly instead of trying every position.
_USCC_TOKEN: Final = re.compile(r"[0-9A-Z](?<![0-9A-Za-z][0-9A-Z])[0-9A-Z]{17}(?![0-9A-Za-z])")
_INDEX_NO_TAIL: Final = re.compile(r"/[0-9]{4}")
_MOBILE: Final = re.compile(r"1[3-9][0-9]{9}")
_SEPARATORS: Final = " -"
_MAX_DIGITS: Final = 19
# Mobile (bare, +86, 0086), bank card 16-19 and resident ID 18 (17 before a final X).
_CANDIDATE_LENGTHS: Final = frozenset({11, 13, 15, 16, 17, 18, 19})

# The scan looks at a character only to ask whether it is a digit (ASCII, or any `str.isdigit`
# one two places before a decimal fraction), a letter (USCC tokens, the X of an ID), ".", "/",
# a separator or an invisible character. `normalize` maps a few hundred characters, most of them
# (full-width punctuation: ，：（）) onto characters that answer all of these as they did, so the
# scan folds only the ones it can tell apart, and usually finds none to fold: the translation
# of a whole page, one dictionary lookup per character, was the slowest step of the gate.
_SIGNIFICANT: Final = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz./" + _SEPARATORS)
_FOLD: Final = {code: to for code, to in _TRANSLATION.items() if to in _SIGNIFICANT}
_FOLDED_CHARS: Final = re.compile("[" + "".join(re.escape(chr(code)) for code in sorted(_FOLD)) + "]+")
# Where runs joined into a chain hold the fewest digits of a number, in the folded text: a digit,
# then digits with invisible characters or single separators between them. Every chain with a
# finding lies inside one such region (a region only ignores the decimal fractions that break
# a chain), and each region starts and ends on a run boundary, so the runs outside the regions,
# nearly all the digits of a page, need no Python-level work at all.
_REGION: Final = re.compile(
    f"[0-9](?:[{_INVISIBLE}]*[0-9]|[{re.escape(_SEPARATORS)}][0-9]){{{min(_CANDIDATE_LENGTHS) - 1},}}"
)

_ID_BREAKS: Final = frozenset({3, 6, 10, 12, 14})
_MOBILE_BREAKS: Final = frozenset({3, 7})
_CARD_BREAKS: Final = frozenset({4, 8, 12, 16})


def normalized_to(targets: str) -> str:
    """Every character but the line break that `normalize` maps into ``targets``: those of
    ``targets`` it leaves as they are, and the look-alikes it maps onto them."""
    kept = [ch for ch in targets if ch != "\n" and _TRANSLATION.get(ord(ch), ch) in targets]
    mapped = [chr(code) for code, to in sorted(_TRANSLATION.items()) if to in targets]
    return "".join(dict.fromkeys(kept + mapped))  # each once


def normalize(text: str) -> str:
    """Map full-width and typographic look-alikes to ASCII, one character to one character.

    Full-width ASCII (０-９, Ａ-Ｚ, ａ-ｚ, －, ＋, …), the ideographic and other Unicode spaces
    and the Unicode hyphens/dashes/minus become ``0-9``/``A-Z``/``a-z``, space and ``-``.
    Length and line structure are unchanged, so offsets in the result are offsets in ``text``.
    """
    return text.translate(_TRANSLATION)


@dataclass(frozen=True, slots=True)
class Finding:
    """One personal number found in a text; it holds only a masked form, never the number.

    ``line`` and ``column`` are 1-based and point at the first digit; ``kind`` is one of
    :data:`RESIDENT_ID`, :data:`MOBILE`, :data:`BANK_CARD`.
    """

    line: int
    column: int
    kind: str
    masked: str

    @property
    def message(self) -> str:
        """User-facing Chinese text, e.g. ``发现手机号码 138****5678``."""
        return f"发现{_LABELS.get(self.kind, self.kind)} {self.masked}"


def mask_number(kind: str, digits: str) -> str:
    """Mask a bare number for messages: ``110101********123X``, ``138****5678``, ``6222********1234``.

    Keeps the leading region/prefix/BIN digits and the last four, stars the rest (an ``x``
    check character is shown upper-case). A string too short to keep both ends is all stars.

    Raises:
        ValueError: for an unknown ``kind``.
    """
    if kind not in _KEEP:
        raise ValueError(f"unknown kind of personal number: {kind!r}")
    head, tail = _KEEP[kind]
    digits = digits.upper()
    if len(digits) <= head + tail:
        return "*" * len(digits)
    return digits[:head] + "*" * (len(digits) - head - tail) + digits[-tail:]


@dataclass(frozen=True, slots=True)
class _Run:
    """A digit run of the normalised text: where it starts and its bare digits."""

    start: int
    end: int
    digits: str
    x_suffix: bool  # the run is followed by X/x, the possible check character of an ID


@lru_cache(maxsize=64)
def _bare_allow(entries: frozenset[str]) -> frozenset[str]:
    """Allow-list entries as bare digits (mobiles without +86/0086) and upper-case USCCs.

    Cached: a build passes the same ``pii.allow`` to thousands of calls.
    """
    bare: set[str] = set()
    for entry in entries:
        text = normalize(entry).strip().upper()
        if uscc_is_valid(text):
            bare.add(text)
        digits = "".join(ch for ch in text if ch.isascii() and ch.isdigit())
        for prefix in ("0086", "86"):
            rest = digits[len(prefix) :]
            if digits.startswith(prefix) and _MOBILE.fullmatch(rest):
                digits = rest
                break
        if digits:
            bare.add(digits)
    return frozenset(bare)


_uscc_is_valid: Final = lru_cache(maxsize=4096)(uscc_is_valid)  # every page repeats the publisher's


def _fold(text: str) -> str:
    """`normalize` as far as the scan can tell (see `_FOLD`); ``text`` itself when nothing changes."""
    if _FOLDED_CHARS.search(text) is None:
        return text
    return _FOLDED_CHARS.sub(lambda match: match.group().translate(_FOLD), text)


def _blank_organisation_codes(text: str, allow: frozenset[str]) -> str:
    """Replace USCCs that cannot be a person's number by letters, so no run is found in them."""

    def replace(match: re.Match[str]) -> str:
        code = match.group()
        if not _uscc_is_valid(code):
            return code
        id_shaped = code[:17].isdigit() and code[17] in "0123456789X"
        in_index_no = _INDEX_NO_TAIL.match(text, match.end()) is not None
        if not id_shaped or in_index_no or code in allow:
            return "U" * len(code)
        return code

    return _USCC_TOKEN.sub(replace, text)


def _digit_runs(text: str, start: int = 0, end: int | None = None) -> list[_Run]:
    """Digit runs of ``text`` (between ``start`` and ``end``, which must not cut a run) in order,
    without the fraction parts of decimals."""
    runs: list[_Run] = []
    for match in _DIGIT_RUN.finditer(text, start, len(text) if end is None else end):
        start, end = match.span()
        if start >= 2 and text[start - 1] == "." and text[start - 2].isdigit():
            continue
        x_suffix = text[end : end + 1] in ("X", "x")
        digits = match.group()
        if not digits.isascii():  # invisible characters inside
            digits = _INVISIBLE_CHARS.sub("", digits)
        runs.append(_Run(start, end, digits, x_suffix))
    return runs


def _chains(text: str, runs: Sequence[_Run]) -> list[list[_Run]]:
    """Group runs that are joined by exactly one space or hyphen."""
    chains: list[list[_Run]] = []
    for run in runs:
        previous = chains[-1][-1] if chains else None
        joined = previous is not None and run.start - previous.end == 1 and text[previous.end] in _SEPARATORS
        if joined:
            chains[-1].append(run)
        else:
            chains.append([run])
    return chains


def _breaks(lengths: Sequence[int]) -> set[int]:
    """Digit offsets at which a window of runs is split: (6, 8, 4) → {6, 14}."""
    offsets: set[int] = set()
    total = 0
    for length in lengths[:-1]:
        total += length
        offsets.add(total)
    return offsets


# The leading digits that card networks and Chinese banks issue cards under, as (first, last)
# prefixes of the same length: a number between them (by its leading digits) has a real issuer.
# UnionPay issues 62 (and 81); Chinese banks' older debit cards start 60 (601382 BOC, 603…) and
# their legacy domestic ones 9555 (CMB), 9558 (ICBC), 9559 (ABC); others' start 4, 51–55, 2221–2720 …
CARD_ISSUERS: Final[tuple[tuple[str, str, str], ...]] = (
    ("62", "62", "UnionPay 银联"),
    ("81", "81", "UnionPay 银联（新号段）"),
    ("60", "60", "国内银行借记卡（如中国银行 601382）"),
    ("4", "4", "Visa（如建设银行 436742）"),
    ("51", "55", "Mastercard"),
    ("2221", "2720", "Mastercard"),
    ("34", "34", "American Express"),
    ("37", "37", "American Express"),
    ("3528", "3589", "JCB"),
    ("300", "305", "Diners Club"),
    ("36", "36", "Diners Club"),
    ("38", "39", "Diners Club"),
    ("6011", "6011", "Discover"),
    ("644", "649", "Discover"),
    ("65", "65", "Discover"),
    ("50", "50", "Maestro"),
    ("56", "59", "Maestro"),
    ("63", "63", "Maestro"),
    ("67", "67", "Maestro"),
    ("9555", "9555", "招商银行（旧卡）"),
    ("9558", "9558", "工商银行（旧卡）"),
    ("9559", "9559", "农业银行（旧卡）"),
)
# Words that, shortly before a number, say it is an account: then any Luhn-valid 16–19 digits
# are a card, whatever they start with.
CARD_CONTEXT: Final[tuple[str, ...]] = ("卡号", "卡", "账号", "帐号", "账户", "帐户", "银行", "开户", "存折", "银联")
CARD_CONTEXT_CHARS: Final = 16  # how far before the number (same line) the words are looked for
_CARD_CONTEXT: Final = re.compile("|".join(map(re.escape, CARD_CONTEXT)) + "|card|account|acct", re.IGNORECASE)


def card_issuer(digits: str) -> str | None:
    """The network or bank that issues cards starting like ``digits``, or None (no card starts so)."""
    for first, last, issuer in CARD_ISSUERS:
        if first <= digits[: len(first)] <= last:
            return issuer
    return None


def _card_context(text: str, start: int) -> bool:
    """Card words (卡号, 账号, 银行, 开户 …) in the few characters before ``start`` on its line."""
    line_start = text.rfind("\n", 0, start) + 1
    return _CARD_CONTEXT.search(text, max(line_start, start - CARD_CONTEXT_CHARS), start) is not None


def _classify(window: Sequence[_Run], context: bool = False) -> tuple[str, str] | None:
    """The kind and bare number of a window of runs, or None if it is no personal number;
    ``context``: card words stand just before it."""
    if sum(len(run.digits) for run in window) not in _CANDIDATE_LENGTHS:
        return None
    digits = "".join(run.digits for run in window)
    breaks = _breaks([len(run.digits) for run in window])  # empty for a single run
    if window[-1].x_suffix and len(digits) == 17:
        digits_x = digits + "X"
        if resident_id_is_valid(digits_x) and breaks <= _ID_BREAKS:
            return RESIDENT_ID, digits_x
    if len(digits) == 18 and resident_id_is_valid(digits) and breaks <= _ID_BREAKS:
        return RESIDENT_ID, digits
    if 16 <= len(digits) <= _MAX_DIGITS and luhn_is_valid(digits):
        grouped_like_a_card = not breaks or breaks <= _CARD_BREAKS or breaks == {6}
        if grouped_like_a_card and (context or card_issuer(digits) is not None):
            return BANK_CARD, digits
    if not breaks:
        for prefix in ("", "86", "0086"):
            rest = digits[len(prefix) :]
            if digits.startswith(prefix) and _MOBILE.fullmatch(rest):
                return MOBILE, rest
    elif _MOBILE.fullmatch(digits) and breaks <= _MOBILE_BREAKS:
        return MOBILE, digits
    return None


def _scan_chain(text: str, chain: Sequence[_Run]) -> list[tuple[int, str, str]]:
    """(offset, kind, digits) of every number in a chain of ``text``, longest window first from the left."""
    found: list[tuple[int, str, str]] = []
    if sum(len(run.digits) for run in chain) < min(_CANDIDATE_LENGTHS):
        return found
    i = 0
    while i < len(chain):
        ends: list[int] = []
        total = 0
        for j in range(i, len(chain)):
            total += len(chain[j].digits)
            if j > i and total > _MAX_DIGITS:
                break
            ends.append(j)
        context = _card_context(text, chain[i].start)
        for j in reversed(ends):
            match = _classify(chain[i : j + 1], context)
            if match is not None:
                found.append((chain[i].start, *match))
                i = j + 1
                break
        else:
            i += 1
    return found


def scan_text(text: str, allow: frozenset[str] = frozenset()) -> list[Finding]:
    """Every resident ID, mobile number and bank card number in ``text``, sorted by position.

    ``allow`` lists public numbers the gate accepts (SPEC ``pii.allow``), written any way
    (``0599-12345``, ``+86 138 1234 5678``): a mobile or card number equal to an entry's bare
    digits is not reported. A resident ID is reported even when listed, except that an entry
    which is a valid USCC exempts that exact code as an organisation's (the gate should pass the
    publisher's own USCC here, since an all-digit USCC passes GB 11643 one time in 11).
    """
    allowed = _bare_allow(frozenset(allow))  # a set passed by mistake must not break the cache
    folded = _blank_organisation_codes(_fold(text), allowed)
    line_starts: list[int] = []
    findings: list[Finding] = []
    for region in _REGION.finditer(folded):
        for chain in _chains(folded, _digit_runs(folded, *region.span())):
            for offset, kind, digits in _scan_chain(folded, chain):
                if kind != RESIDENT_ID and digits in allowed:
                    continue
                if not line_starts:  # the first finding; most texts have none
                    line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
                line = bisect_right(line_starts, offset) - 1
                column = offset - line_starts[line] + 1
                findings.append(Finding(line + 1, column, kind, mask_number(kind, digits)))
    return sorted(findings, key=lambda finding: (finding.line, finding.column))
