"""Property-based tests of the loaders: whatever a file holds, loading it either gives a document
or records problems that point at a real line of that file, and never raises.

Name masking and the number detectors have their own properties (test_mask.py, test_detect.py);
here only what they lack: the detectors over HTML-escaped text, as pages and the gate see it.
"""

from __future__ import annotations

import html
from pathlib import Path

import markupsafe
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from site_builder.identifiers import luhn_is_valid, resident_id_check_char
from site_builder.privacy.detect import BANK_CARD, CARD_ISSUERS, RESIDENT_ID, card_issuer, scan_text
from site_builder.privacy.gate import scan_bytes
from site_builder.problems import Problems
from site_builder.sources.document import load_document
from site_builder.sources.textfile import split_front_matter
from site_builder.sources.yamldoc import load_yaml

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

# Text that looks like front matter often enough to reach the YAML parser and the field readers.
FRAGMENTS = st.sampled_from(
    [
        "---\n",
        "---",
        "\n",
        "title: ",
        "标题：",
        "date: 2024-02-30",
        "- ",
        "  ",
        "\t",
        ": ",
        "[",
        "]",
        "{",
        "}",
        '"',
        "'",
        "&a ",
        "*a",
        "!!python/object ",
        "!!binary ",
        "<<: ",
        "? ",
        "|\n",
        ">\n",
        "#",
        "...\n",
        "\r\n",
        "\ufeff",
        "\x00",
        "\x07",
        "\u2028",
        "\x85",
        "%YAML 1.1\n",
        "索引号: 11379900005183427E/2024-00001\n",
    ]
)
FRONT_MATTERISH = st.lists(st.one_of(FRAGMENTS, st.text(max_size=8)), max_size=40).map("".join)


def _line_count(data: bytes) -> int:
    text = data.decode("utf-8", errors="replace")
    return len(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))


def _load(tmp_path: Path, data: bytes) -> tuple[object, Problems]:
    path = tmp_path / "content" / "policies" / "a.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    problems = Problems(display_root=tmp_path)
    return load_document(path, problems), problems


def _assert_sound(doc: object, problems: Problems, data: bytes) -> None:
    lines = _line_count(data)
    for problem in problems:
        assert problem.path == "content/policies/a.md"
        assert 1 <= problem.line <= lines, (problem, lines)
        assert "\n" not in problem.message and problem.message.strip()
    if doc is None:
        assert problems.errors, "a file that gives no document must say why"


@SETTINGS
@given(text=FRONT_MATTERISH)
def test_any_text_gives_a_document_or_problems_on_real_lines(tmp_path: Path, text: str) -> None:
    data = text.encode("utf-8", errors="surrogatepass")
    doc, problems = _load(tmp_path, data)
    _assert_sound(doc, problems, data)


@SETTINGS
@given(data=st.binary(max_size=400))
def test_any_bytes_give_a_document_or_problems_on_real_lines(tmp_path: Path, data: bytes) -> None:
    doc, problems = _load(tmp_path, data)
    _assert_sound(doc, problems, data)


@SETTINGS
@given(data=st.binary(max_size=300))
def test_bytes_behind_a_valid_opening_never_crash_the_loader(tmp_path: Path, data: bytes) -> None:
    full = b"---\ntitle: x\n" + data + b"\n---\n"
    doc, problems = _load(tmp_path, full)
    _assert_sound(doc, problems, full)


KEYS = st.text(alphabet=st.characters(categories=["L", "N"], include_characters="_-"), min_size=1, max_size=12)
SCALARS = st.one_of(
    st.text(alphabet=st.characters(exclude_categories=["Cs", "Cc"]), max_size=30),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.booleans(),
    st.none(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.dates().map(lambda d: d.isoformat()),  # dates stay strings: the field readers parse them
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=4),
    max_leaves=12,
)


BODY = st.text(
    alphabet=st.characters(
        exclude_categories=["Cs", "Cc", "Zl", "Zp"], exclude_characters="\ufffe\uffff", include_characters="\n"
    ),
    max_size=60,
)


@SETTINGS
@given(meta=st.dictionaries(KEYS, VALUES, max_size=8), body=BODY, crlf=st.booleans(), bom=st.booleans())
@pytest.mark.slow
def test_generated_front_matter_round_trips(tmp_path: Path, meta: dict, body: str, crlf: bool, bom: bool) -> None:
    dumped = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=10**6)
    text = f"---\n{dumped}---\n{body}"
    if crlf:
        text = text.replace("\n", "\r\n")
    data = (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")
    doc, problems = _load(tmp_path, data)
    assert doc is not None, [str(p) for p in problems]
    assert doc.meta.data == meta
    assert doc.body == body
    lines = f"---\n{dumped}".split("\n")  # every key's line is where the dump put it
    for key in meta:
        assert lines[doc.meta.line(key) - 1].startswith((key, f"'{key}'", f'"{key}"')), (key, lines)


@given(st.text(max_size=200))
def test_split_front_matter_keeps_every_line(text: str) -> None:
    parts = split_front_matter(text)
    if parts is None:
        return
    yaml_text, yaml_line, body, body_line = parts
    lines = text.split("\n")
    assert yaml_line == 2
    assert "\n".join(lines[1 : body_line - 2]) == yaml_text
    assert lines[body_line - 2].rstrip() in ("---", "...")
    assert "\n".join(lines[body_line - 1 :]) == body


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300))
def test_yaml_never_raises_and_lines_stay_in_the_text(text: str) -> None:
    problems = Problems(display_root=Path("/"))
    load_yaml(text, Path("/x.yaml"), problems, first_line=5)
    total = text.count("\n") + text.count("\r") + 5 + 1
    for problem in problems:
        assert 5 <= problem.line <= total + 5, (problem, text)


# --- the detectors over HTML-escaped text ---------------------------------------------------------

AROUND = st.text(alphabet=st.sampled_from(list("申请人电话：，。 <>&\"'/=abc号\n")), max_size=12)


def _resident_id(body: str) -> str:
    return body + resident_id_check_char(body)


def _card(body: str) -> str:
    return next(body + d for d in "0123456789" if luhn_is_valid(body + d))


NUMBERS = st.one_of(
    st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True),
    st.from_regex(r"[1-6][0-9]{16}", fullmatch=True).map(_resident_id),
    st.from_regex(r"62[0-9]{14}", fullmatch=True).map(_card),
)


@settings(max_examples=300, deadline=None)
@given(before=AROUND, number=NUMBERS, after=AROUND)
@pytest.mark.slow
def test_escaping_text_for_html_finds_the_same_numbers(before: str, number: str, after: str) -> None:
    text = f"{before} {number} {after}"
    plain = [f.kind for f in scan_text(text)]
    assert plain, text
    assert [f.kind for f in scan_text(str(markupsafe.escape(text)))] == plain
    assert [f.kind for f in scan_text(html.escape(text))] == plain


@settings(max_examples=300, deadline=None)
@given(before=AROUND, number=NUMBERS, after=AROUND, data=st.data())
@pytest.mark.slow
def test_the_gate_reads_numbers_written_as_character_references(
    before: str, number: str, after: str, data: st.DataObject
) -> None:
    styles = [lambda c: c, lambda c: f"&#{ord(c)};", lambda c: f"&#x{ord(c):x};", lambda c: f"&#X{ord(c):X};"]
    encoded = "".join(data.draw(st.sampled_from(styles))(c) for c in number)
    page = f"<p>{html.escape(before)} {encoded} {html.escape(after)}</p>\n"
    expected = [f.kind for f in scan_text(f"{before} {number} {after}")]
    found = list(scan_bytes(page.encode("utf-8"), "policies/a/index.html", frozenset()))
    assert len(found) == len(expected), (page, found)


# --- bank cards: real issuers are caught in any form, other 19-digit ids are not (issue 19) ------


def _full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else "\u3000" if c == " " else c for c in text)


@st.composite
def real_cards(draw: st.DrawFn) -> str:
    first, last, _ = draw(st.sampled_from(CARD_ISSUERS))
    prefix = str(draw(st.integers(int(first), int(last)))).zfill(len(first))
    length = draw(st.integers(16, 19))
    body = draw(st.text(alphabet="0123456789", min_size=length - 1 - len(prefix), max_size=length - 1 - len(prefix)))
    return _card(prefix + body)


def card_forms(card: str) -> list[str]:
    grouped = " ".join(card[i : i + 4] for i in range(0, len(card), 4))
    return [
        card,
        grouped,
        grouped.replace(" ", "-"),
        _full_width(card),
        _full_width(grouped),
        _full_width(grouped.replace(" ", "-")),
        f"https://www.example.gov.cn/bmxxgknb/{card}.html",
    ]


@settings(max_examples=300, deadline=None)
@given(card=real_cards(), before=AROUND, after=AROUND)
@pytest.mark.slow
def test_every_card_with_a_real_issuer_is_caught_in_any_form(card: str, before: str, after: str) -> None:
    assert card_issuer(card) is not None
    for form in card_forms(card):
        findings = scan_text(f"{before} {form} {after}")
        # an ungrouped 18-digit number that also passes GB 11643 is reported as the graver finding
        kinds = {BANK_CARD, RESIDENT_ID} if len(card) == 18 and " " not in form and "-" not in form else {BANK_CARD}
        assert len(findings) == 1 and findings[0].kind in kinds, (form, findings)
    # caught for its prefix: the same digits from no issuer, with no card words about, are no card
    other = _card("0" + card[1:-1])
    assert [f for f in scan_text(f"{before} {other} {after}") if f.kind == BANK_CARD] == []


NO_ISSUER = st.sampled_from(
    [
        "0",
        "1",
        "7",
        "80",
        "82",
        "83",
        "84",
        "85",
        "86",
        "87",
        "88",
        "89",
        "90",
        "91",
        "92",
        "93",
        "94",
        "96",
        "97",
        "98",
        "99",
        "20",
        "21",
        "31",
        "32",
        "33",
        "35",
    ]
)


@settings(max_examples=300, deadline=None)
@given(prefix=NO_ISSUER, data=st.data(), before=AROUND, after=AROUND)
@pytest.mark.slow
def test_a_19_digit_id_with_no_issuer_is_no_card(prefix: str, data: st.DataObject, before: str, after: str) -> None:
    body = data.draw(st.text(alphabet="0123456789", min_size=18 - len(prefix), max_size=18 - len(prefix)))
    number = _card(prefix + body)
    if card_issuer(number) is not None:  # 35xx and 2221–2720 are JCB and Mastercard
        return
    for text in (
        f"{before} {number} {after}",
        f"{before}https://www.example.gov.cn/bmxxgknb/{number}.html{after}",
        f"{before}{_full_width(number)}{after}",
    ):
        assert scan_text(text) == [], text
