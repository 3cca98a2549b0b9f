"""The site.yaml schema of ``site_builder/config.py``: every key declared once, with a Chinese
alias, a default (or required), a check, and the `SiteConfig` field it fills; each check with a
good and a bad value, giving its exact message at the key's line."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, fields
from datetime import date
from pathlib import Path
from typing import get_args, get_origin, get_type_hints

import pytest
from conftest import ROOT, SITE_YAML

from site_builder.config import SCHEMA, Contact, Option, Portal, Section, SiteConfig, load_config
from site_builder.problems import Problems
from site_builder.sources import fields as field_module
from site_builder.workdays import Calendar

SHOWN = "content/site.yaml"


def _keys() -> Iterator[tuple[str, Option | Section]]:
    """(dotted key, declaration) of every key of the schema, nested ones after their mapping."""
    for option in SCHEMA:
        yield option.key, option
        if isinstance(option, Section):
            for inner in option.options:
                yield f"{option.key}.{inner.key}", inner


def load(tmp_path: Path, text: str, base_url: str | None = None) -> tuple[SiteConfig | None, list[str]]:
    """``text`` as content/site.yaml: the config and every problem, in the order it was found."""
    root = tmp_path / "content"
    root.mkdir(exist_ok=True)
    (root / "site.yaml").write_text(text, encoding="utf-8")
    problems = Problems(tmp_path)
    config = load_config(root, problems, base_url)
    return config, [str(p) for p in problems.items]


def edited(old: str, new: str) -> str:
    """SITE_YAML with the line ``old`` replaced (it must be there, or the case tests nothing)."""
    assert old in SITE_YAML.splitlines(), old
    return SITE_YAML.replace(old + "\n", new + "\n", 1)


# --- the schema itself ---------------------------------------------------------------------------


def test_every_key_has_a_chinese_alias_and_a_default_or_is_required() -> None:
    keys = dict(_keys())
    assert len(keys) == 44  # 18 top-level keys, 26 in publisher, contact, roster, pii, calendar and portal
    for name, option in keys.items():
        assert option.alias and re.search(r"[\u4e00-\u9fff]", option.alias), name
        if isinstance(option, Section):  # absent, every key of it has its default
            assert option.required or all(o.required or o.default is not None for o in option.options), name
        else:
            assert option.required or option.default is not None, name


def test_names_are_unique_within_each_mapping() -> None:
    """A name given to two keys would silently read one of them only."""
    for mapping in (SCHEMA, *(s.options for s in SCHEMA if isinstance(s, Section))):
        names = [n for option in mapping for n in (option.key, option.alias, *option.more_aliases) if n]
        assert len(names) == len(set(names)), names


def test_every_siteconfig_field_is_filled_by_exactly_one_key_with_a_default_of_its_type() -> None:
    targets: list[str] = []
    hints = get_type_hints(SiteConfig)
    for option in SCHEMA:
        if isinstance(option, Section) and option.build is not None:  # contact, portal: an object of their own
            assert option.to is not None and isinstance(option.build, type)
            assert hints[option.to] is option.build
            targets.append(option.to)
            built = get_type_hints(option.build)
            assert sorted(o.to or "" for o in option.options) == sorted(built)
            for o in option.options:
                stored = o.default if o.convert is None else o.convert(o.default)
                kind = built[o.to or ""]
                assert isinstance(stored, get_origin(kind) or kind), (o.to, stored, kind)
            continue
        for inner in option.options if isinstance(option, Section) else (option,):
            if inner.to is None:
                assert inner.key == "mask", inner  # read and checked; the builder has one way to mask
                continue
            targets.append(inner.to)
            stored = inner.default if inner.convert is None else inner.convert(inner.default)
            kind = hints[inner.to]
            assert isinstance(stored, get_origin(kind) or kind), (inner.to, stored, kind)
    assert sorted(targets) == sorted(f.name for f in fields(SiteConfig) if f.name != "content_dir")


def test_every_field_kind_has_a_converter_and_a_name() -> None:
    kinds = set(get_args(field_module.Kind))
    assert set(field_module._CONVERTERS) == kinds
    assert set(field_module._KIND_NAMES) == kinds


# --- the README documents every key --------------------------------------------------------------


def _site_yaml_section(readme: str) -> str:
    """The README's ``## …site.yaml…`` section; empty when there is none."""
    match = re.search(r"^## [^\n]*site\.yaml[^\n]*\n(.*?)(?=^## |\Z)", readme, flags=re.MULTILINE | re.DOTALL)
    return match[1] if match else ""


def _parenthesised_after(text: str, start: int) -> str:
    """The ``( … )`` (nesting allowed) that follows ``text[start:]`` after white space; else empty."""
    rest = text[start:].lstrip()
    if not rest.startswith("("):
        return ""
    depth = 0
    for index, char in enumerate(rest):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth == 0:
            return rest[: index + 1]
    return ""


def undocumented(readme: str) -> list[str]:
    """Keys the site.yaml section does not show as `` `key`/`别名` ``, a nested mapping's keys
    in the parentheses right after it, as the front-matter section does."""
    section = _site_yaml_section(readme)
    missing: list[str] = []
    for option in SCHEMA:
        pair = f"`{option.key}`/`{option.alias}`"
        if pair not in section:
            missing.append(option.key)
            continue
        if isinstance(option, Section):
            nested = _parenthesised_after(section, section.index(pair) + len(pair))
            missing += [f"{option.key}.{o.key}" for o in option.options if f"`{o.key}`/`{o.alias}`" not in nested]
    return missing


def test_the_readme_check_sees_every_key_and_a_missing_one() -> None:
    parts = []
    for option in SCHEMA:
        pair = f"`{option.key}`/`{option.alias}`"
        if isinstance(option, Section):
            pair += " (" + ", ".join(f"`{o.key}`/`{o.alias}` (a note)" for o in option.options) + ")"
        parts.append(pair)
    readme = "# t\n\n## site.yaml\n\n" + ",\n".join(parts) + ".\n\n## Next\n\n`icp`/`备案号`\n"
    assert undocumented(readme) == []
    assert undocumented(readme.replace("`uscc`/`统一社会信用代码`", "`uscc`")) == ["publisher.uscc"]
    assert undocumented(readme.replace("`icp`/`备案号` (a note), ", "")) == ["publisher.icp"]  # not the next section's
    assert undocumented(readme.replace("`language`/`语言`", "")) == ["language"]
    assert undocumented(readme.replace("## site.yaml", "## Other")) == [o.key for o in SCHEMA]


def test_the_readme_documents_every_key_of_the_schema() -> None:
    assert undocumented((ROOT / "README.md").read_text(encoding="utf-8")) == []


# --- each check: a good value and a bad one, with the exact message at the key's line ------------


@dataclass(frozen=True)
class Case:
    key: str  # the dotted schema key whose check this is
    old: str  # a line of SITE_YAML
    good: str  # its replacement that passes
    bad: str  # its replacement that fails, with ``problems``
    problems: tuple[str, ...]
    base_url: str | None = None  # --base-url
    good_base_url: str | None = None


KNOWN = "健康状况、残疾状况、违法犯罪或矫正情况、宗教信仰、民族、未成年人情况、收入和财产、家庭状况"
NOT_A_SEGMENT = "不能用作网址的一段：不能含 / 或 \\，不能以 . 开头，不能是纯数字或 page-…"
BASE_URL = "base_url: https://mzj.test.example.gov.cn/"
DISTRICTS = "districts: [甲区, 乙区, 丙县]"
CATEGORIES = "categories: [政策文件, 社会救助, 部门计划及总结]"
TOPICS = "topics: [社会救助, 养老服务]"
PII = "  allow: []"  # the last line: keys added after it are under pii
HOTLINE = "  hotline: 0599-86612345"
SITE_ID = '  site_id: "3799000099"'
COLUMN_BASE_URL = "https://mzj.test.example.gov.cn/xxgk/"
PORTAL = "\nportal:\n  name: 测试市民政局\n  url: https://mzj.test.example.gov.cn/"
ABSENT_MAPPINGS = {"portal": PORTAL.strip().splitlines(), "calendar": ["calendar:"]}

CASES = [
    Case(
        "base_url",
        BASE_URL,
        "base_url: http://example.gov.cn/sub",
        "base_url: mzj.test.example.gov.cn",
        (f"{SHOWN}:2: base_url “mzj.test.example.gov.cn” 应为 http(s):// 开头的完整网址",),
    ),
    Case(
        "base_url",
        BASE_URL,
        "网址: https://example.gov.cn",
        "网址: ftp://example.gov.cn/",
        (f"{SHOWN}:2: base_url “ftp://example.gov.cn/” 应为 http(s):// 开头的完整网址",),
    ),
    Case(  # --base-url replaces site.yaml's, and is checked at site.yaml's line
        "base_url",
        BASE_URL,
        BASE_URL,
        BASE_URL,
        (f"{SHOWN}:2: base_url “example.gov.cn/sub” 应为 http(s):// 开头的完整网址",),
        base_url="example.gov.cn/sub",
        good_base_url="https://example.gov.cn/sub",
    ),
    Case(
        "publisher.uscc",
        "  uscc: 11379900005183427E",
        "  uscc: 91350100M000100Y43",
        "  统一社会信用代码: 11379900005183427A",
        (f"{SHOWN}:6: 统一社会信用代码 “11379900005183427A” 无效：应为 18 位且校验码符合 GB 32100",),
    ),
    Case(
        "publisher.uscc",
        "  uscc: 11379900005183427E",
        "  uscc: 12100000400000624D",
        "  uscc: 11379900005183427e",
        (f"{SHOWN}:6: 统一社会信用代码 “11379900005183427e” 无效：应为 18 位且校验码符合 GB 32100",),
    ),
    Case(
        "publisher.site_id",
        '  site_id: "3799000099"',
        "  site_id: ab12CD",
        '  site_id: "37990"',
        (f"{SHOWN}:7: 网站标识码 “37990” 应为 6–20 位字母或数字",),
    ),
    Case(
        "publisher.site_id",
        '  site_id: "3799000099"',
        '  site_id: "37990000993799000099"',
        '  site_id: "3799-000099"',
        (f"{SHOWN}:7: 网站标识码 “3799-000099” 应为 6–20 位字母或数字",),
    ),
    Case(
        "publisher.site_id",
        '  site_id: "3799000099"',
        "  site_id: ab12CD",
        "  site_id: ab12C",
        (f"{SHOWN}:7: 网站标识码 “ab12C” 应为 6–20 位字母或数字",),
    ),
    Case(
        "publisher.site_id",
        '  site_id: "3799000099"',
        '  site_id: "37990000993799000099"',
        '  site_id: "379900009937990000991"',
        (f"{SHOWN}:7: 网站标识码 “379900009937990000991” 应为 6–20 位字母或数字",),
    ),
    Case(
        "districts",
        DISTRICTS,
        "districts: [甲区, 乙区, 丙县, 丁区]",
        "districts: [甲区, 乙区, 甲区]",
        (f"{SHOWN}:8: districts 中 “甲区” 重复",),
    ),
    Case(  # each item: repeated, then not a URL segment; in the order of the list
        "districts",
        DISTRICTS,
        "districts: [甲区, 甲区东]",
        "区县: [甲/乙, 甲区, 甲/乙]",
        (
            f"{SHOWN}:8: districts 中 “甲/乙” {NOT_A_SEGMENT}",
            f"{SHOWN}:8: districts 中 “甲/乙” 重复",
            f"{SHOWN}:8: districts 中 “甲/乙” {NOT_A_SEGMENT}",
        ),
    ),
    Case(
        "categories",
        CATEGORIES,
        "categories: [Policy, 社会救助, policies]",
        "categories: [Policy, 社会救助, policy, POLICY]",
        (
            f"{SHOWN}:9: categories 中 “policy” 重复（与 “Policy” 只有大小写或字形不同）",
            f"{SHOWN}:9: categories 中 “POLICY” 重复（与 “Policy” 只有大小写或字形不同）",
        ),
    ),
    Case(  # one folded name: é written as one code point and as e + U+0301
        "categories",
        CATEGORIES,
        "categories: [caf\u00e9, cafe]",
        "categories: [caf\u00e9, cafe\u0301]",
        (f"{SHOWN}:9: categories 中 “cafe\u0301” 重复（与 “caf\u00e9” 只有大小写或字形不同）",),
    ),
    Case(
        "categories",
        CATEGORIES,
        "categories: [政策文件, well., 2024年]",
        "categories: [政策文件, .well, '2024']",
        (
            f"{SHOWN}:9: categories 中 “.well” {NOT_A_SEGMENT}",
            f"{SHOWN}:9: categories 中 “2024” {NOT_A_SEGMENT}",
        ),
    ),
    Case(
        "topics",
        TOPICS,
        "topics: [社会救助, page2]",
        "topics: [社会救助, page-2, 养老\\服务]",
        (
            f"{SHOWN}:10: topics 中 “page-2” {NOT_A_SEGMENT}",
            f"{SHOWN}:10: topics 中 “养老\\服务” {NOT_A_SEGMENT}",
        ),
    ),
    Case(
        "page_size",
        PII,
        PII + "\npage_size: 1",
        PII + "\npage_size: 0",
        (f"{SHOWN}:17: page_size 必须是正整数",),
    ),
    Case(
        "page_size",
        PII,
        PII + "\n每页条数: 50",
        PII + "\n每页条数: -3",
        (f"{SHOWN}:17: page_size 必须是正整数",),
    ),
    Case(  # a roster page of no households (or fewer than none) is no page
        "roster.page_size",
        HOTLINE,
        HOTLINE + "\n  page_size: 500",
        HOTLINE + "\n  每页条数: -3",
        (f"{SHOWN}:15: page_size 必须是正整数",),
    ),
    Case(
        "pii.sensitive_terms",
        PII,
        PII + "\n  sensitive_terms:\n    健康: [渐冻症]\n    家庭状况: [离异]",
        PII + "\n  sensitive_terms:\n    爱好: [集邮]\n    健康状况: 渐冻症\n    残疾: [' ']",
        (
            f"{SHOWN}:18: pii.sensitive_terms 中 “爱好” 不是已知的类别（可选：{KNOWN}）",
            f"{SHOWN}:19: pii.sensitive_terms 的 “健康状况” 应为词语列表，如 [渐冻症]",
            f"{SHOWN}:20: pii.sensitive_terms 的 “残疾” 应为词语列表，如 [渐冻症]",
        ),
    ),
    Case(  # under its Chinese name, each entry still at its own line
        "pii.sensitive_terms",
        PII,
        PII + "\n  敏感词: {}",
        PII + "\n  敏感词:\n    宗教: [某教]\n    1: [x]",
        (f"{SHOWN}:19: pii.sensitive_terms 中 “1” 不是已知的类别（可选：{KNOWN}）",),
    ),
    Case(
        "publisher.icp",
        SITE_ID,
        SITE_ID + "\n  icp: 京ICP备05070602号-12",
        SITE_ID + "\n  备案号: 示ICP备20260001号",
        (
            (
                f"{SHOWN}:8: ICP备案号 “示ICP备20260001号” 格式不对：应如 鲁ICP备12345678号 或 鲁ICP备12345678号-1"
                "（省份简称、ICP备、数字、号）"
            ),
        ),
    ),
    Case(
        "publisher.police_record",
        SITE_ID,
        SITE_ID + "\n  police_record: 鲁公网安备37010202000123号",
        SITE_ID + "\n  公安备案号: 鲁公网安备 37010202000123号",
        (
            (
                f"{SHOWN}:8: 公安备案号 “鲁公网安备 37010202000123号” 格式不对：应如 鲁公网安备37010202000123号"
                "（省份简称、公网安备、14 位数字、号，不加空格）"
            ),
        ),
    ),
    Case(
        "publisher.conac_id",
        SITE_ID,
        SITE_ID + "\n  conac_id: 0a1b2c3d4e5f60718293a4b5c6d7e8f9",
        SITE_ID + "\n  党政机关网站标识: 0A1B2C3D4E5F60718293A4B5C6D7E8F",
        (
            (
                f"{SHOWN}:8: 党政机关网站标识 “0A1B2C3D4E5F60718293A4B5C6D7E8F” 应为 32 位十六进制字符"
                "（见标识验证页网址中 id= 之后的部分）"
            ),
        ),
    ),
    Case(
        "annual_report_due",
        PII,
        PII + "\nannual_report_due: 03-31",
        PII + "\n年报公布期限: 02-28",
        (f"{SHOWN}:17: annual_report_due（年报公布期限） 的值 “02-28” 无效，只能是：01-31、03-31",),
    ),
    Case(
        "portal.url",
        PII,
        PII + PORTAL,
        PII + PORTAL.replace("url: https://", "url: "),
        (f"{SHOWN}:19: “mzj.test.example.gov.cn/” 应为 http(s):// 开头的完整网址",),
        base_url=COLUMN_BASE_URL,
        good_base_url=COLUMN_BASE_URL,
    ),
    Case(  # the portal's navigation: {label: absolute address}, in order; each bad entry at its line
        "portal.nav",
        PII,
        PII + PORTAL + "\n  nav:\n    首页: https://mzj.test.example.gov.cn/\n    政府信息公开: " + COLUMN_BASE_URL,
        PII + PORTAL + "\n  导航:\n    首页: https://mzj.test.example.gov.cn/\n    机构概况: /jggk/\n    民政要闻: 12",
        (
            f"{SHOWN}:22: portal.nav 中 “机构概况” 的网址“/jggk/” 应为 http(s):// 开头的完整网址",
            f"{SHOWN}:23: portal.nav 中 “民政要闻” 的网址应为文字",
        ),
        base_url=COLUMN_BASE_URL,
        good_base_url=COLUMN_BASE_URL,
    ),
    Case(
        "roster.notice_days",
        HOTLINE,
        HOTLINE + "\n  notice_days: 7",
        HOTLINE + "\n  公示天数: 0",
        (f"{SHOWN}:15: notice_days（公示天数） 应为 1 到 90 之间的整数",),
    ),
    Case(
        "roster.notice_unit",
        HOTLINE,
        HOTLINE + "\n  notice_unit: 工作日",
        HOTLINE + "\n  公示天数计法: 周",
        (f"{SHOWN}:15: notice_unit（公示天数计法） 的值 “周” 无效，只能是：自然日、工作日",),
    ),
    Case(
        "calendar.holidays",
        PII,
        PII + "\ncalendar:\n  holidays: [2027-01-01]",
        PII + "\n工作日历:\n  节假日: [2027-01-01, 2027-02-30]",
        (f"{SHOWN}:18: holidays 中 “2027-02-30” 不是日期（应为 YYYY-MM-DD，且是真实的日历日期）",),
    ),
    Case(
        "calendar.workdays",
        PII,
        PII + "\ncalendar:\n  workdays: [2027-02-07]",
        PII + "\ncalendar:\n  调休上班日: [二月七日]",
        (f"{SHOWN}:18: workdays 中 “二月七日” 不是日期（应为 YYYY-MM-DD，且是真实的日历日期）",),
    ),
    Case(  # 组配分类 with a shorter deadline than the law's 20 working days; each bad entry at its line
        "publish_within",
        PII,
        PII + "\npublish_within:\n  社会救助: 10",
        PII + "\n公开时限:\n  社会救助: 30\n  养老服务: 5\n  部门计划及总结: 是",
        (
            f"{SHOWN}:18: publish_within 中 “社会救助” 的工作日数应为 1 到 20 的整数（条例第二十六条：20 个工作日内）",
            f"{SHOWN}:20: publish_within 中 “部门计划及总结” 的工作日数应为 1 到 20 的整数（条例第二十六条：20 个工作日内）",
            f"{SHOWN}:19: publish_within 中 “养老服务” 不在 categories 中（可选：政策文件、社会救助、部门计划及总结）",
        ),
    ),
    Case(
        "roster.mask",
        HOTLINE,
        HOTLINE + "\n  mask: default",
        HOTLINE + "\n  遮蔽方式: 全名",
        (f"{SHOWN}:15: mask（遮蔽方式） 的值 “全名” 无效，只能是：default",),
    ),
]


KIND_NAMES = {"str": "文字", "strlist": "文字列表", "int": "整数", "mapping": "键值映射"}
WRONG = {"str": ("[a]", "['a']"), "strlist": ("{a: 1}", "{'a': 1}"), "int": ("1.5", "1.5"), "mapping": ("[a]", "['a']")}


def with_key(dotted: str, value: str) -> tuple[str, int]:
    """SITE_YAML with ``dotted`` (``key`` or ``mapping.key``) set to ``value``: on its own line
    (a mapping's lines go with it), else on a new line first in its mapping or last; the text
    and that line."""
    lines = SITE_YAML.splitlines()
    mapping, _, key = dotted.rpartition(".")
    if mapping and f"{mapping}:" not in lines:  # a mapping SITE_YAML leaves out: the smallest whole one
        lines += ABSENT_MAPPINGS[mapping]
        lines[lines.index(BASE_URL)] = "base_url: " + COLUMN_BASE_URL
    if mapping:
        start = lines.index(f"{mapping}:")
        end = next((i for i in range(start + 1, len(lines)) if not lines[i].startswith("  ")), len(lines))
        at = next((i for i in range(start + 1, end) if lines[i].startswith(f"  {key}:")), None)
        if at is None:
            at = start + 1
            lines.insert(at, "")
        lines[at] = f"  {key}: {value}"
    else:
        at = next((i for i, line in enumerate(lines) if line.startswith(f"{key}:")), None)
        if at is None:
            at = len(lines)
            lines.append("")
        lines[at] = f"{key}: {value}"
        while at + 1 < len(lines) and lines[at + 1].startswith("  "):
            del lines[at + 1]
    return "\n".join(lines) + "\n", at + 1


def _typed_keys() -> list[tuple[str, Option | Section]]:
    """Every key but contact's (an inline mapping in SITE_YAML)."""
    return [(name, o) for name, o in _keys() if not name.startswith("contact.")]


@pytest.mark.parametrize(("name", "option"), _typed_keys(), ids=[name for name, _ in _typed_keys()])
def test_a_value_of_the_wrong_type_is_named_at_its_line(tmp_path: Path, name: str, option: Option | Section) -> None:
    written, shown = WRONG[option.kind]
    text, line = with_key(name, written)
    _, problems = load(tmp_path, text)
    assert problems == [f"{SHOWN}:{line}: {option.label} 应为{KIND_NAMES[option.kind]}，实际为 “{shown}”"]


REQUIRED = [(name, o) for name, o in _keys() if o.required]


@pytest.mark.parametrize(("name", "option"), REQUIRED, ids=[name for name, _ in REQUIRED])
def test_a_required_key_left_empty_is_named_at_its_line(tmp_path: Path, name: str, option: Option | Section) -> None:
    text, line = with_key(name, "")
    config, problems = load(tmp_path, text.replace(": \n", ":\n"))
    assert problems == [f"{SHOWN}:{line}: {option.label} 应为{KIND_NAMES[option.kind]}，实际为 空值"]
    assert (config is None) == isinstance(option, Section)


def test_every_check_of_the_schema_has_cases() -> None:
    checked = {name for name, o in _keys() if isinstance(o, Option) and (o.check or o.each or o.parse or o.choices)}
    assert checked == {c.key for c in CASES}


@pytest.mark.parametrize("case", CASES, ids=[f"{c.key}: {c.bad.strip()}" for c in CASES])
def test_a_check_passes_a_good_value_and_names_a_bad_one_at_its_line(tmp_path: Path, case: Case) -> None:
    config, problems = load(tmp_path, edited(case.old, case.good), case.good_base_url)
    assert config is not None and problems == []
    config, problems = load(tmp_path, edited(case.old, case.bad), case.base_url)
    assert config is not None
    assert problems == list(case.problems)


# --- where the values go ---------------------------------------------------------------------------

MINIMAL = """\
title: 最小站点
base_url: https://example.gov.cn
publisher: {name: 某局, uscc: 11379900005183427E, site_id: "3799000099"}
districts: [甲区]
categories: [政策文件]
"""

FULL = """\
标题: 测试市民政局政府信息公开
网址: https://mzj.test.example.gov.cn/sub
语言: zh-Hans
publisher:
  名称: 测试市民政局
  统一社会信用代码: 11379900005183427E
  网站标识码: "3799000099"
  备案号: 鲁ICP备20260001号
  公安备案号: 鲁公网安备37990002000123号
  党政机关网站标识: 3F2A9C51D7E84B06A1C5E9D20B7F4A68
区县: [甲区, 乙区]
组配分类: [政策文件]
主题分类: [社会救助]
contact:
  地址: 人民路1号
  邮编: "379900"
  电话: 0599-1
  办公时间: 工作日
  邮箱: a@example.gov.cn
依申请公开: https://www.test.example.gov.cn/ysqgk/
roster:
  监督电话: 0599-2
  遮蔽方式: default
  每页条数: 50
  公示天数: 7
  公示天数计法: 工作日
pii:
  允许: [0599-86612345]
  敏感词: {疾病: [渐冻症], 健康状况: [尘肺病]}
  允许词语: [重点保障对象, '  ']
网站简介: 简介
每页条数: 30
年报公布期限: 03-31
规范性文件分类: [政策文件]
公开时限: {政策文件: 15}
工作日历: {节假日: [2027-01-01], 调休上班日: [2027-02-07]}
门户网站:
  名称: 测试市民政局
  网址: https://mzj.test.example.gov.cn/
  导航: {首页: "https://mzj.test.example.gov.cn/", 信息公开: "https://mzj.test.example.gov.cn/sub/"}
  页头文字: 页头
  页脚文字: 页脚
"""


def test_a_minimal_site_yaml_gets_every_default(tmp_path: Path) -> None:
    config, problems = load(tmp_path, MINIMAL)
    assert problems == []
    assert config == SiteConfig(
        content_dir=tmp_path / "content",
        title="最小站点",
        base_url="https://example.gov.cn/",
        language="zh-CN",
        publisher_name="某局",
        uscc="11379900005183427E",
        site_id="3799000099",
        icp="",
        police_record="",
        districts=("甲区",),
        categories=("政策文件",),
        topics=(),
        contact=Contact(),
        request_url="",
        roster_hotline="",
        roster_page_size=200,
        roster_notice_days=7,
        roster_notice_unit="自然日",
        pii_allow=frozenset(),
        description="",
        page_size=20,
        pii_sensitive_terms=(),
        pii_allow_phrases=(),
    )


def test_empty_mappings_get_the_defaults_and_zero_page_sizes_are_errors(tmp_path: Path) -> None:
    text = MINIMAL + "contact: {}\nroster: {每页条数: 0}\npii: {}\nlanguage: ''\npage_size: 0\n"
    config, problems = load(tmp_path, text)
    assert problems == [f"{SHOWN}:7: page_size 必须是正整数", f"{SHOWN}:10: page_size 必须是正整数"]
    assert config is not None
    assert (config.contact, config.roster_page_size, config.pii_allow, config.language, config.page_size) == (
        Contact(),
        200,
        frozenset(),
        "zh-CN",
        20,
    )


def test_every_key_under_its_chinese_alias_reaches_its_field(tmp_path: Path) -> None:
    config, problems = load(tmp_path, FULL)
    assert problems == []
    assert config == SiteConfig(
        content_dir=tmp_path / "content",
        title="测试市民政局政府信息公开",
        base_url="https://mzj.test.example.gov.cn/sub/",
        language="zh-Hans",
        publisher_name="测试市民政局",
        uscc="11379900005183427E",
        site_id="3799000099",
        icp="鲁ICP备20260001号",
        police_record="鲁公网安备37990002000123号",
        districts=("甲区", "乙区"),
        categories=("政策文件",),
        topics=("社会救助",),
        contact=Contact("人民路1号", "379900", "0599-1", "工作日", "a@example.gov.cn"),
        request_url="https://www.test.example.gov.cn/ysqgk/",
        roster_hotline="0599-2",
        roster_page_size=50,
        roster_notice_days=7,
        roster_notice_unit="工作日",
        pii_allow=frozenset({"0599-86612345"}),
        description="简介",
        page_size=30,
        pii_sensitive_terms=(("health", ("渐冻症", "尘肺病")),),
        pii_allow_phrases=("重点保障对象",),
        conac_id="3F2A9C51D7E84B06A1C5E9D20B7F4A68",
        portal=Portal(
            "测试市民政局",
            "https://mzj.test.example.gov.cn/",
            (("首页", "https://mzj.test.example.gov.cn/"), ("信息公开", "https://mzj.test.example.gov.cn/sub/")),
            "页头",
            "页脚",
        ),
        annual_report_due="03-31",
        normative_categories=("政策文件",),
        publish_within=(("政策文件", 15),),
        calendar=Calendar(frozenset({date(2027, 1, 1)}), frozenset({date(2027, 2, 7)})),
    )
    assert config.domain == "mzj.test.example.gov.cn"


CHINESE_SECTIONS = {"publisher:": "发布机构:", "contact:": "联系方式:", "roster:": "公示:", "pii:": "个人信息:"}


def test_the_nested_mappings_under_their_chinese_names_read_the_same(tmp_path: Path) -> None:
    """`发布机构:` … `个人信息:` are read where they are written (this once raised KeyError)."""
    chinese = FULL
    for english, name in CHINESE_SECTIONS.items():
        assert f"\n{english}\n" in chinese
        chinese = chinese.replace(f"\n{english}\n", f"\n{name}\n")
    english_config, _ = load(tmp_path, FULL)
    config, problems = load(tmp_path, chinese)
    assert problems == [] and config == english_config
    broken = chinese.replace("统一社会信用代码: 11379900005183427E", "统一社会信用代码: 11379900005183427A")
    _, problems = load(tmp_path, broken)
    assert len(problems) == 1 and problems[0].startswith("content/site.yaml:6: "), problems


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("https://mzj.x.gov.cn", "https://mzj.x.gov.cn/"),
        ("https://x.gov.cn/mzj", "https://x.gov.cn/mzj/"),
        ("https://x.gov.cn/民政/", "https://x.gov.cn/%E6%B0%91%E6%94%BF/"),
        ("https://x.gov.cn/m%C3%A9", "https://x.gov.cn/m%C3%A9/"),  # encoded already: kept
        ("http://127.0.0.1:8000/预览", "http://127.0.0.1:8000/%E9%A2%84%E8%A7%88/"),
    ],
)
def test_base_url_ends_in_a_slash_and_its_path_is_percent_encoded(tmp_path: Path, given: str, stored: str) -> None:
    """Feeds, the sitemap and printed pages put base_url into addresses as it is stored."""
    config, problems = load(tmp_path, MINIMAL, given)
    assert problems == [] and config is not None
    assert config.base_url == stored


def test_base_url_from_the_command_line_wins(tmp_path: Path) -> None:
    config, problems = load(tmp_path, MINIMAL, "http://localhost:8000/preview")
    assert problems == [] and config is not None
    assert config.base_url == "http://localhost:8000/preview/"


# --- what stops the load, and what is read before anything is checked ------------------------------


def test_without_a_publisher_nothing_nested_is_read(tmp_path: Path) -> None:
    config, problems = load(tmp_path, "title: 站点\nbase_url: nowhere\ncontact: {phonee: 1}\n")
    assert config is None
    assert problems == [
        f"{SHOWN}:1: 缺少必填项 publisher（发布机构）（site.yaml）",
        f"{SHOWN}:1: 缺少必填项 districts（区县）（site.yaml）",
        f"{SHOWN}:1: 缺少必填项 categories（组配分类）（site.yaml）",
    ]


def test_a_publisher_that_is_not_a_mapping_stops_the_load(tmp_path: Path) -> None:
    config, problems = load(tmp_path, edited("publisher:", "publisher: 测试市民政局\nx:"))
    assert config is None
    assert problems == [
        f"{SHOWN}:4: publisher（发布机构） 应为键值映射，实际为 “测试市民政局”",
        f"{SHOWN}:5: 警告：未知的键 “x”，已忽略（site.yaml）",
    ]


def test_a_missing_site_yaml_is_one_error(tmp_path: Path) -> None:
    problems = Problems(tmp_path)
    assert load_config(tmp_path / "content", problems) is None
    assert [str(p) for p in problems.items] == ["content/site.yaml:1: 缺少站点配置文件 site.yaml"]


def test_every_mapping_is_read_before_any_value_is_checked(tmp_path: Path) -> None:
    text = (
        edited(BASE_URL, "base_url: nowhere")
        .replace("  hotline: 0599-86612345", "  hotline: 0599-86612345\n  hotlien: 1")
        .replace("roster:", "roster:\n  page_size: many")
        .replace("  allow: []", "  allow: []\n  words: 1\npage_size: 0")
    )
    config, problems = load(tmp_path, text)
    assert config is not None
    assert problems == [
        f"{SHOWN}:14: page_size（每页条数） 应为整数，实际为 “many”",
        f"{SHOWN}:16: 警告：未知的键 “hotlien”，已忽略（roster 公示）",
        f"{SHOWN}:19: 警告：未知的键 “words”，已忽略（pii）",
        f"{SHOWN}:2: base_url “nowhere” 应为 http(s):// 开头的完整网址",
        f"{SHOWN}:20: page_size 必须是正整数",
    ]


def test_the_sections_are_named_in_their_messages(tmp_path: Path) -> None:
    text = (
        SITE_YAML.replace("  name: 测试市民政局\n", "")
        .replace("contact: {", "contact: {fax: 1, ")
        .replace("  hotline:", "  hotlin:")
    )
    config, problems = load(tmp_path, text)
    assert config is not None
    assert problems == [
        f"{SHOWN}:4: 缺少必填项 name（名称）（publisher 发布机构）",
        f"{SHOWN}:10: 警告：未知的键 “fax”，已忽略（contact 联系方式）",
        f"{SHOWN}:13: 警告：未知的键 “hotlin”，已忽略（roster 公示）；可能是 hotline（监督电话）的笔误",
    ]
