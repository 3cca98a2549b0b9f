"""The personal-data detectors of SPEC 4: what must be caught and what must not."""

from __future__ import annotations

import dataclasses
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from site_builder.identifiers import luhn_is_valid, resident_id_check_char, uscc_is_valid
from site_builder.privacy import detect
from site_builder.privacy.detect import (
    BANK_CARD,
    MOBILE,
    RESIDENT_ID,
    Finding,
    mask_number,
    normalize,
    scan_text,
)

# 110101 19900307 002X has a valid check character (X); ...123X would not.
ID_X = "11010119900307002X"
ID_DIGIT = "110101199003071233"
CARD_19 = "6222021234567890128"
CARD_16 = "6222021234567894"
# An all-digit USCC whose check character is a digit and which also passes GB 11643.
USCC_ALL_DIGITS = "113799000051800197"


def kinds(text: str, allow: frozenset[str] = frozenset()) -> list[str]:
    return [finding.kind for finding in scan_text(text, allow)]


def to_full_width(text: str) -> str:
    return "".join(chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ch for ch in text)


def luhn_complete(body: str) -> str:
    return next(body + d for d in "0123456789" if luhn_is_valid(body + d))


# --- normalize -------------------------------------------------------------------------------


def test_normalize_maps_full_width_one_to_one() -> None:
    assert normalize("１３８－１２３４　５６７８") == "138-1234 5678"
    assert normalize("ＡＢＣｘｙｚ＋８６") == "ABCxyz+86"
    assert normalize("电话：\n１２") == "电话:\n12"


@given(st.text())
def test_normalize_keeps_length_and_lines(text: str) -> None:
    result = normalize(text)
    assert len(result) == len(text)
    assert [i for i, ch in enumerate(result) if ch == "\n"] == [i for i, ch in enumerate(text) if ch == "\n"]


# --- findings and messages -------------------------------------------------------------------


def test_messages_show_only_masked_numbers() -> None:
    text = f"身份证：{ID_X}\n手机：13812345678\n卡号：{CARD_16}"
    assert [f.message for f in scan_text(text)] == [
        "发现身份证号码 110101********002X",
        "发现手机号码 138****5678",
        "发现银行卡号 6222********7894",
    ]
    assert all("1234567" not in f.message for f in scan_text(text))


def test_findings_carry_line_and_column_sorted() -> None:
    text = "第一行没有号码\n电话 13812345678，另 13987654321\n\n  " + ID_X
    assert scan_text(text) == [
        Finding(2, 4, MOBILE, "138****5678"),
        Finding(2, 18, MOBILE, "139****4321"),
        Finding(4, 3, RESIDENT_ID, "110101********002X"),
    ]


def test_finding_is_frozen() -> None:
    finding = Finding(1, 1, MOBILE, "138****5678")
    with pytest.raises(dataclasses.FrozenInstanceError):
        finding.line = 2  # type: ignore[misc]


def test_mask_number() -> None:
    assert mask_number(RESIDENT_ID, "11010119900307002x") == "110101********002X"
    assert mask_number(MOBILE, "13812345678") == "138****5678"
    assert mask_number(BANK_CARD, CARD_19) == "6222***********0128"
    assert mask_number(MOBILE, "1234567") == "*******"
    with pytest.raises(ValueError):
        mask_number("passport", "E12345678")


# --- what must be caught ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        ID_X,
        ID_DIGIT,
        ID_X.lower(),
        to_full_width(ID_X),
        "110101 19900307 002X",
        "110101-19900307-002X",
        "110101 1990 0307 002X",
        "110101-1990-03-07-002X",
        "１１０１０１　１９９００３０７　００２Ｘ",
        f"申请人张三（身份证号{ID_X}）已提交材料",
        f"ID{ID_X}",
        f"{USCC_ALL_DIGITS}",  # all-digit USCC outside a 索引号: it *is* a valid ID
    ],
)
def test_resident_ids_are_caught(text: str) -> None:
    assert kinds(text) == [RESIDENT_ID]


@pytest.mark.parametrize(
    "text",
    [
        "13812345678",
        "电话13812345678。",
        "138 1234 5678",
        "138-1234-5678",
        "+86 138 1234 5678",
        "+86-138-1234-5678",
        "+8613812345678",
        "008613812345678",
        "1381234 5678",
        "１３８１２３４５６７８",
        "１３８－１２３４－５６７８",
        "138\u200b1234\u200b5678",  # zero-width spaces do not hide a number
        "2023-02-22 138 1234 5678",
        "0599-86612345 13812345678",
        "19912345678",
    ],
)
def test_mobiles_are_caught(text: str) -> None:
    assert kinds(text) == [MOBILE]


@pytest.mark.parametrize(
    "text",
    [
        CARD_16,
        CARD_19,
        "6222 0212 3456 7890 128",
        "6222-0212-3456-7890-128",
        "6222 0212 3456 7894",
        "622202 1234567890128",
        f"工资卡号：{CARD_19}。",
        to_full_width("6222 0212 3456 7890 128"),
    ],
)
def test_bank_cards_are_caught(text: str) -> None:
    assert kinds(text) == [BANK_CARD]


def test_one_finding_per_number_in_a_chain() -> None:
    assert kinds("6222 0212 3456 7890 128 138 1234 5678") == [BANK_CARD, MOBILE]


# --- what must not be caught -----------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "110101199003071234",  # wrong check digit
        "11010119900307123X",  # wrong check character
        "110101 19900307 123X",
        "123456789012345",  # 15-digit document code
        "发证编号370100200012345",
        "0599-86612345",
        "(0599)86612345",
        "（0599）86612345",
        "0599-8661234",
        "0599-86612345 2023-02-22",
        "0599-86612345-8001",
        "2023-02-22",
        "20230222",
        "2023-02-15 12:30",
        "1,234,567.89",
        "12345678.00",
        "13812345678.00"[2:],  # 812345678.00
        "11379900005183427E",
        "11379900005183427E/2023-00051",
        f"{USCC_ALL_DIGITS}/2023-00051",
        "12345678901234567890123",
        "62220212345678901280",  # 20 digits
        "138123456789",  # 12 digits: a mobile inside a longer run is no mobile
        "2138123456789",
        "0.30000000000000004",
        "33.33333333333333614",
        "2019 2020 2021 2022 2023",
        "1350 1200 960",
        "第13-19条",
        "热线：12345",
        "示公网安备 37990002000123号",
        "",
    ],
)
def test_harmless_numbers_are_not_caught(text: str) -> None:
    assert scan_text(text) == []


# --- the allow list --------------------------------------------------------------------------


def test_allow_accepts_mobiles_written_any_way() -> None:
    allow = frozenset({"+86 138-1234-5678"})
    assert kinds("13812345678、138 1234 5678、+8613812345678", allow) == []
    assert kinds("13812345679", allow) == [MOBILE]


def test_allow_accepts_full_width_and_bare_entries() -> None:
    assert kinds("138 1234 5678", frozenset({"１３８１２３４５６７８"})) == []
    assert kinds("138 1234 5678", frozenset({"008613812345678"})) == []


def test_allow_accepts_a_public_bank_account() -> None:
    assert kinds(f"捐款账户 {CARD_19}", frozenset({"6222 0212 3456 7890 128"})) == []


def test_allow_never_accepts_resident_ids() -> None:
    assert kinds(ID_X, frozenset({ID_X})) == [RESIDENT_ID]


def test_allow_accepts_an_all_digit_uscc() -> None:
    text = f"统一社会信用代码：{USCC_ALL_DIGITS}"
    assert kinds(text) == [RESIDENT_ID]
    assert kinds(text, frozenset({USCC_ALL_DIGITS})) == []


# --- properties ------------------------------------------------------------------------------

chinese = st.text(alphabet="民政局公示名单申请人联系电话身份证号，。：（）", max_size=8)
digit_strings = st.text(alphabet="0123456789", min_size=17, max_size=17)


@st.composite
def resident_ids(draw: st.DrawFn) -> str:
    body = draw(digit_strings)
    return body + resident_id_check_char(body)


def id_forms(number: str) -> list[str]:
    grouped = f"{number[:6]} {number[6:14]} {number[14:]}"
    return [
        number,
        to_full_width(number),
        grouped,
        grouped.replace(" ", "-"),
        to_full_width(grouped),
    ]


@given(resident_ids(), chinese, chinese)
def test_every_valid_id_is_caught(number: str, before: str, after: str) -> None:
    for form in id_forms(number):
        findings = scan_text(before + form + after)
        assert [(f.column, f.kind) for f in findings] == [(len(before) + 1, RESIDENT_ID)]
        assert findings[0].masked == mask_number(RESIDENT_ID, number)


@given(st.integers(min_value=15, max_value=18), st.data())
def test_every_luhn_card_is_caught(body_length: int, data: st.DataObject) -> None:
    card = luhn_complete(data.draw(st.text(alphabet="0123456789", min_size=body_length, max_size=body_length)))
    findings = scan_text(f"卡号{card}。")
    assert len(findings) == 1
    # An 18-digit number that also passes GB 11643 is reported as the graver finding.
    assert findings[0].kind in ({BANK_CARD, RESIDENT_ID} if len(card) == 18 else {BANK_CARD})
    assert findings[0].column == 3


@given(st.integers(min_value=15, max_value=18), st.data())
def test_every_grouped_card_is_caught(body_length: int, data: st.DataObject) -> None:
    tail = data.draw(st.text(alphabet="0123456789", min_size=body_length - 2, max_size=body_length - 2))
    card = luhn_complete("62" + tail)
    grouped = " ".join(card[i : i + 4] for i in range(0, len(card), 4))
    for form in (grouped, grouped.replace(" ", "-"), to_full_width(grouped)):
        assert [f.kind for f in scan_text(form)] == [BANK_CARD]


mobiles = st.builds(
    lambda second, rest: "1" + second + rest,
    st.sampled_from("3456789"),
    st.text(alphabet="0123456789", min_size=9, max_size=9),
)


def mobile_forms(number: str) -> list[str]:
    spaced = f"{number[:3]} {number[3:7]} {number[7:]}"
    return [
        number,
        spaced,
        spaced.replace(" ", "-"),
        "+86 " + spaced,
        "+86" + number,
        to_full_width(number),
    ]


@given(mobiles, chinese, chinese)
def test_every_mobile_is_caught(number: str, before: str, after: str) -> None:
    for form in mobile_forms(number):
        findings = scan_text(before + form + after)
        assert [(f.kind, f.masked) for f in findings] == [(MOBILE, mask_number(MOBILE, number))]


@given(mobiles, st.data())
def test_allowed_mobiles_are_not_caught(number: str, data: st.DataObject) -> None:
    allow_entry = data.draw(st.sampled_from(mobile_forms(number)))
    for form in mobile_forms(number):
        assert scan_text("电话" + form, frozenset({allow_entry})) == []


@given(
    st.from_regex(r"0[1-9][0-9]{1,2}-[2-8][0-9]{6,7}", fullmatch=True),
    st.dates(),
    st.sampled_from([" ", "，", "-", "  "]),
)
def test_landline_followed_by_date_is_not_caught(phone: str, date: object, separator: str) -> None:
    assert scan_text(f"{phone}{separator}{date}") == []


@given(st.text(alphabet=st.characters(exclude_categories=["Nd"])))
def test_text_without_digits_has_no_findings(text: str) -> None:
    assert scan_text(text) == []


# --- the fast path of scan_text finds exactly what the straightforward scan finds -------------
# `scan_text` folds only the characters the scan can tell apart and looks for chains only inside
# regions of 11+ digits; this is the scan without either shortcut, over the whole normalised text.

_PLAIN_USCC_TOKEN = re.compile(r"(?<![0-9A-Za-z])[0-9A-Z]{18}(?![0-9A-Za-z])")


def straightforward_scan(text: str, allow: frozenset[str] = frozenset()) -> list[tuple[int, int, str, str]]:
    allowed = detect._bare_allow(allow)

    def blank(match: re.Match[str]) -> str:
        code = match.group()
        if not uscc_is_valid(code):
            return code
        id_shaped = code[:17].isdigit() and code[17] in "0123456789X"
        in_index_no = re.compile(r"/[0-9]{4}").match(normalised, match.end()) is not None
        return "U" * len(code) if not id_shaped or in_index_no or code in allowed else code

    normalised = normalize(text)
    normalised = _PLAIN_USCC_TOKEN.sub(blank, normalised)
    runs = []
    for match in re.finditer(f"[0-9](?:[{detect._INVISIBLE}]*[0-9])*", normalised):
        start, end = match.span()
        if start >= 2 and normalised[start - 1] == "." and normalised[start - 2].isdigit():
            continue
        digits = re.sub(f"[{detect._INVISIBLE}]", "", match.group())
        runs.append(detect._Run(start, end, digits, normalised[end : end + 1] in ("X", "x")))
    found = []
    for chain in detect._chains(normalised, runs):
        for offset, kind, digits in detect._scan_chain(normalised, chain):
            if kind != RESIDENT_ID and digits in allowed:
                continue
            line = text.count("\n", 0, offset)
            column = offset - (text.rfind("\n", 0, offset) + 1) + 1
            found.append((line + 1, column, kind, mask_number(kind, digits)))
    return sorted(found)


# Every character `normalize` maps, folded by the scan or not, and what sits next to numbers.
_MAPPED = "".join(sorted(chr(code) for code in detect._TRANSLATION))
SCAN_PIECES = st.one_of(
    st.sampled_from(
        [
            ID_X,
            ID_DIGIT,
            CARD_19,
            CARD_16,
            USCC_ALL_DIGITS,
            "11379900005183427E",
            "91350100M000100Y43",
            "13812345678",
            "138 1234 5678",
            "+86 138-1234-5678",
            "0086",
            "/2024-00001",
            "0.3",
            "1.",
            "2026-11-29",
            "6222 0212 3456",
            "卡号",
            "账号：",
            "ＣＡＲＤ",
            "1744536686408826882",
            "/bmxxgknb/",
        ]
    ),
    st.text(alphabet="0123456789 -./Xx\nUE号\u200b\u00ad\u00b2\u0663" + _MAPPED, max_size=8),
    st.text(max_size=4),
)


@settings(max_examples=400, deadline=None)
@given(
    st.lists(SCAN_PIECES, max_size=14),
    st.sampled_from([frozenset(), frozenset({"13812345678"}), frozenset({USCC_ALL_DIGITS, "0599-86612345"})]),
)
@pytest.mark.slow
def test_scan_text_agrees_with_the_straightforward_scan(pieces: list[str], allow: frozenset[str]) -> None:
    text = "".join(pieces)
    assert [(f.line, f.column, f.kind, f.masked) for f in scan_text(text, allow)] == straightforward_scan(text, allow)


def test_characters_the_scan_does_not_fold_look_the_same_to_it() -> None:
    for code, to in detect._TRANSLATION.items():
        if code in detect._FOLD:
            continue
        ch = chr(code)
        assert to not in detect._SIGNIFICANT and to not in detect._INVISIBLE and ch not in detect._INVISIBLE
        assert not ch.isdigit() and not to.isdigit() and not ch.isascii()


@pytest.mark.parametrize("targets", ["0123456789", " -", "X", "-\n"])
def test_normalized_to_lists_exactly_what_normalize_maps_into_the_targets(targets: str) -> None:
    every = "".join(chr(code) for code in range(0x110000) if not 0xD800 <= code <= 0xDFFF)
    expected = {ch for ch, to in zip(every, detect.normalize(every), strict=True) if to in targets and ch != "\n"}
    found = detect.normalized_to(targets)
    assert set(found) == expected and len(found) == len(expected)


# --- bank cards: a real issuer prefix, or card words before the number (issue 19) -------------

URL_ID = "1744536686408826882"  # Luhn-valid, 19 digits, no card starts with 1


@pytest.mark.parametrize(
    ("prefix", "issuer"),
    [
        ("6222", "UnionPay 银联"),
        ("6217", "UnionPay 银联"),
        ("8171", "UnionPay 银联（新号段）"),
        ("601382", "国内银行借记卡（如中国银行 601382）"),
        ("436742", "Visa（如建设银行 436742）"),
        ("5100", "Mastercard"),
        ("5599", "Mastercard"),
        ("2221", "Mastercard"),
        ("2720", "Mastercard"),
        ("3400", "American Express"),
        ("3700", "American Express"),
        ("3528", "JCB"),
        ("3589", "JCB"),
        ("9558", "工商银行（旧卡）"),
        ("1744", None),
        ("0123", None),
        ("7000", None),
        ("8000", None),
        ("2220", None),
        ("2721", None),
        ("3100", None),
        ("3527", None),
        ("9000", None),
    ],
)
def test_card_issuers_are_a_table_of_prefixes(prefix: str, issuer: str | None) -> None:
    assert detect.card_issuer(prefix + "0" * 12) == issuer


def test_a_luhn_valid_id_in_a_url_is_no_card_but_a_unionpay_card_is() -> None:
    assert luhn_is_valid(URL_ID)
    assert scan_text(f"https://www.example.gov.cn/bmxxgknb/{URL_ID}.html") == []
    assert scan_text(f'<a href="/zwgk/{URL_ID}/index.html">{URL_ID}</a>') == []
    findings = scan_text(f"https://www.example.gov.cn/bmxxgknb/{CARD_19}.html")
    assert [(f.kind, f.column, f.masked) for f in findings] == [(BANK_CARD, 37, "6222***********0128")]


@pytest.mark.parametrize("before", ["卡号：", "银行账号 ", "开户行示范农商银行，账户：", "工资卡", "Card No. "])
def test_card_words_make_any_luhn_number_a_card(before: str) -> None:
    assert scan_text(f"编号：{URL_ID}") == []
    findings = scan_text(f"{before}{URL_ID}")
    assert [(f.kind, f.column, f.masked) for f in findings] == [(BANK_CARD, len(before) + 1, "1744***********6882")]


def test_card_words_count_only_just_before_the_number_on_its_line() -> None:
    assert scan_text(f"银行卡号见附件。本页网址为 https://x.cn/{URL_ID}") == []  # more than 16 characters before
    assert scan_text(f"卡号\n{URL_ID}") == []
