"""Sensitive personal information in a roster's free text (issue 19; SPEC 4, PIPL Art. 28):
类别, 救助事由 and 备注 are checked against the lexicon in every ``check`` and ``build``; each
finding names the row, the column and the category and shows only a masked word."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import SITE_YAML, TODAY, run_cli

from site_builder.privacy.lexicon import CATEGORIES, TERMS, lexicon, mask_term

Content = Callable[..., Path]

ROSTER_YAML = 'program: {program}\ndistrict: 甲区\nperiod: "2026-11"\nstage: 长期公示\npublish_from: 2026-11-10\n'
HEADER = "户主姓名,街道/乡镇,社区/村,保障人数,保障金额,类别,救助事由,备注\n"
COLUMN = {"category": (6, "类别"), "reason": (7, "救助事由"), "note": (8, "备注")}

# one everyday phrase per category: (category, phrase, the word found in it as the message shows it)
SAMPLES = [
    ("health", "尿毒症透析", "尿**"),
    ("health", "ＨＩＶ感染者", "H**"),  # full-width, any case
    ("disability", "二级肢体残疾", "肢*"),
    ("criminal", "刑满释放人员", "刑*"),
    ("criminal", "社区矫正对象", "社***"),
    ("religion", "信教群众", "信*"),
    ("ethnicity", "维吾尔族", "维***"),
    ("minors", "留守儿童", "留***"),
    ("income", "月收入800元", "月**"),
    ("family", "离异单亲", "离*"),
]


def roster(rows: list[tuple[str, str, str]], program: str = "城市低保") -> dict[str, str]:
    """A roster CSV with one household per (category, reason, note)."""
    body = "".join(f"张*丰,东街道,一社区,2,1000,{c},{r},{n}\n" for c, r, n in rows)
    return {"rosters/r.yaml": ROSTER_YAML.format(program=program), "rosters/r.csv": HEADER + body}


def check(root: Path) -> tuple[int, list[str]]:
    result = run_cli("check", "--content", str(root), "--today", TODAY)
    assert "Traceback" not in result.err
    return result.code, [line for line in result.lines if line.startswith("content/")]


def cells(field: str, value: str) -> tuple[str, str, str]:
    return tuple(value if key == field else "" for key in ("category", "reason", "note"))  # type: ignore[return-value]


def test_every_category_is_caught_in_every_free_text_field(content: Content) -> None:
    rows = [cells(field, phrase) for field in COLUMN for _, phrase, _ in SAMPLES]
    code, lines = check(content(roster(rows)))
    assert code == 1
    expected = []
    for index, (field, (category, _, shown)) in enumerate((f, s) for f in COLUMN for s in SAMPLES):
        number, header = COLUMN[field]
        label = CATEGORIES[category][0]
        message = f"个人信息：{header}含有{label}（“{shown}”），不能公布（第 {number} 列 {header}）"
        expected.append(f"content/rosters/r.csv:{index + 2}: {message}")
    assert lines == expected
    for _, phrase, _ in SAMPLES:  # never shown in full
        assert phrase not in "\n".join(lines)


def test_the_lexicon_has_every_category_of_pipl_article_28() -> None:
    assert (
        set(TERMS)
        == set(CATEGORIES)
        == {
            "health",
            "disability",
            "criminal",
            "religion",
            "ethnicity",
            "minors",
            "income",
            "family",
        }
    )
    words = lexicon()
    for category, terms in TERMS.items():
        for term in terms:
            assert [hit.category for hit in words.find(f"备注：{term}。")][:1] == [category], term


@pytest.mark.parametrize(
    ("look_alike", "real", "found"),
    [
        ("社区", "社区矫正", "违法犯罪或矫正情况（“社***”）"),
        ("社区志愿者", "社区矫正对象", "违法犯罪或矫正情况（“社***”）"),
        ("精神文明户", "精神障碍", "健康状况（“精*”）"),
        ("病虫害防治员", "慢性病", "健康状况（“慢**”）"),
        ("消除安全隐患", "患者", "健康状况（“患*”）"),
        ("盲道维护", "失明", "残疾状况（“失*”）"),
        ("水族馆讲解员", "水族", "民族（“水*”）"),
        ("新纳入", "离异", "家庭状况（“离*”）"),
        ("保障金额调整", "工资", "收入和财产（“工*”）"),
    ],
)
def test_look_alike_phrases_are_not_caught(content: Content, look_alike: str, real: str, found: str) -> None:
    code, lines = check(content(roster([("A类", "", look_alike), ("A类", "", real)])))
    assert code == 1
    assert lines == [f"content/rosters/r.csv:3: 个人信息：备注含有{found}，不能公布（第 8 列 备注）"]


def test_program_names_are_allowed_only_in_a_roster_of_that_program(content: Content) -> None:
    rows = [("困难残疾人生活补贴", "", ""), ("重度残疾人护理补贴", "", "残疾人两项补贴")]
    code, lines = check(content(roster(rows, program="残疾人两项补贴")))
    assert (code, lines) == (0, [])
    code, lines = check(content(roster(rows, program="城市低保")))
    assert code == 1
    assert lines == [  # sorted by line, then message
        "content/rosters/r.csv:2: 个人信息：类别含有残疾状况（“残**”），不能公布（第 6 列 类别）",
        "content/rosters/r.csv:3: 个人信息：备注含有残疾状况（“残**”），不能公布（第 8 列 备注）",
        "content/rosters/r.csv:3: 个人信息：类别含有残疾状况（“残**”），不能公布（第 6 列 类别）",
    ]


def test_reason_and_category_take_only_coarse_values(content: Content) -> None:
    good = [("A类", "因病", ""), ("Ａ类", "因灾", ""), ("集中供养", "突发意外", ""), ("三类", "支出型", "")]
    bad = [("重点保障对象", "", ""), ("", "因残", ""), ("", "家中失火", "")]
    code, lines = check(content(roster(good + bad)))
    assert code == 1
    reasons = "急难型、支出型、因病、因灾、因学、就学"
    classes = "A类、B类、C类、一类、二类、三类、全额、差额、集中供养、分散供养"
    allow = "，或由本局确认后列入 site.yaml 的 pii.allow_phrases"
    assert lines == [
        f"content/rosters/r.csv:6: 个人信息：类别“重*****”不是保障类别，不能公布（第 6 列 类别）；只能写 {classes} 等{allow}",
        "content/rosters/r.csv:7: 个人信息：救助事由含有残疾状况（“因*”），不能公布（第 7 列 救助事由）",
        f"content/rosters/r.csv:8: 个人信息：救助事由“家***”不是概括的事由，不能公布（第 7 列 救助事由）；只能写 {reasons} 等{allow}",
    ]


def test_inline_records_name_the_line_of_the_key(content: Content) -> None:
    yaml = ROSTER_YAML.format(program="城市低保") + (
        "records:\n"
        "  - {户主姓名: 张*丰, 街道/乡镇: 东街道, 社区/村: 一社区, 保障人数: 3, 保障金额: 1500}\n"
        "  - name: 李*\n    street: 东街道\n    community: 一社区\n    persons: 1\n    amount: 700\n"
        "    备注: 精神分裂症\n"
    )
    code, lines = check(content({"rosters/r.yaml": yaml}))
    assert code == 1
    assert lines[0] == "content/rosters/r.yaml:13: 个人信息：备注含有健康状况（“精*”），不能公布（备注）"


def test_site_yaml_extends_the_lexicon_and_allows_phrases(content: Content) -> None:
    more = "  sensitive_terms:\n    健康状况: [渐冻]\n  allow_phrases: [重点保障对象]\n"
    site = SITE_YAML.replace("  allow: []\n", "  allow: []\n" + more)
    code, lines = check(content(roster([("重点保障对象", "", "渐冻症")]), site_yaml=site))
    assert code == 1
    assert lines[0] == "content/rosters/r.csv:2: 个人信息：备注含有健康状况（“渐*”），不能公布（第 8 列 备注）"
    assert len(lines) == 1  # the allowed 类别 is no finding


def test_an_unknown_category_in_site_yaml_is_an_error(content: Content) -> None:
    site = SITE_YAML.replace("  allow: []\n", "  allow: []\n  敏感词:\n    星座: [天蝎座]\n    健康: 渐冻症\n")
    code, lines = check(content(roster([("A类", "", "")]), site_yaml=site))
    assert code == 1
    known = "、".join(label for label, _ in CATEGORIES.values())
    assert lines[:2] == [
        f"content/site.yaml:18: pii.sensitive_terms 中 “星座” 不是已知的类别（可选：{known}）",
        "content/site.yaml:19: pii.sensitive_terms 的 “健康” 应为词语列表，如 [渐冻症]",
    ]


def test_masked_terms_keep_only_the_first_character() -> None:
    assert [mask_term(t) for t in ("尿毒症", "癌", "HIV", "")] == ["尿**", "*", "H**", "*"]
