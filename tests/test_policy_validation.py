"""Every rule of SPEC 3.2 has a failing input that gives exit 1 and the right path:line."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import USCC, policy_md, run_cli, soup

P = "policies/a.md"
SHOWN = "content/policies/a.md"


def build(content_dir: Path, *extra: str) -> object:
    return run_cli(
        "build",
        "--content",
        str(content_dir),
        "--out",
        str(content_dir.parent / "output"),
        "--today",
        "2026-11-29",
        *extra,
    )


def problems_of(result: object) -> list[str]:
    return [line for line in result.err.splitlines() if line.startswith("content/")]  # type: ignore[attr-defined]


# (case id, files, expected "path:line: fragment of message")
CASES: list[tuple[str, dict[str, str], str]] = [
    ("missing title", {P: policy_md(title=None)}, f"{SHOWN}:2: 缺少必填项 title"),
    ("missing category", {P: policy_md(category=None)}, f"{SHOWN}:2: 缺少必填项 category"),
    ("missing date", {P: policy_md(date=None)}, f"{SHOWN}:2: 缺少必填项 date"),
    ("unknown category", {P: policy_md(category="殡葬管理")}, f"{SHOWN}:4: 组配分类 “殡葬管理” 不在 site.yaml"),
    ("unknown topic", {P: policy_md(topics="[社会救助, 婚姻登记]")}, f"{SHOWN}:7: 主题分类 “婚姻登记” 不在 site.yaml"),
    ("impossible date", {P: policy_md(date="2024-02-30")}, f"{SHOWN}:6: date（发文日期） 的日期 “2024-02-30” 不存在"),
    ("malformed date", {P: policy_md(date="2024/03/18")}, f"{SHOWN}:6: date（发文日期） 应为日期"),
    (
        "written after date",
        {P: policy_md(written="2024-03-20")},
        f"{SHOWN}:7: 成文日期 2024-03-20 不能晚于发文日期 2024-03-18",
    ),
    (
        "published before written",
        {P: policy_md(written="2024-03-10", published="2024-03-09")},
        f"{SHOWN}:8: 发布日期 2024-03-09 不能早于成文日期",
    ),
    ("index_no format", {P: policy_md(index_no=f"{USCC}/2024-12")}, f"{SHOWN}:3: 索引号 “{USCC}/2024-12” 格式不对"),
    (
        "index_no bad USCC check character",
        {P: policy_md(index_no="11379900005183427F/2024-00001")},
        f"{SHOWN}:3: 索引号中的统一社会信用代码 “11379900005183427F” 校验码错误",
    ),
    (
        "index_no year differs from date",
        {P: policy_md(index_no=f"{USCC}/2023-00001")},
        f"{SHOWN}:3: 索引号的年份 2023 与发文日期 2024-03-18 的年份 2024 不一致",
    ),
    ("index_no missing", {P: policy_md(index_no=None)}, f"{SHOWN}:1: 缺少索引号"),
    ("disclosure value", {P: policy_md(disclosure="公开")}, f"{SHOWN}:7: disclosure（公开方式） 的值 “公开” 无效"),
    ("status value", {P: policy_md(status="有效的")}, f"{SHOWN}:7: status（有效性） 的值 “有效的” 无效"),
    (
        "summary too long",
        {P: policy_md(summary="概" * 301)},
        f"{SHOWN}:7: summary（内容概述） 过长：301 个字符，最多 300 个",
    ),
    (
        "superseded_by unknown",
        {P: policy_md(status="废止", superseded_by="no-such-policy")},
        f"{SHOWN}:8: 替代文件 “no-such-policy” 不存在",
    ),
    ("slug invalid", {P: policy_md(slug="Dibao_Banfa")}, f"{SHOWN}:7: slug “Dibao_Banfa” 无效"),
    ("file stem not a slug", {"policies/低保.md": policy_md()}, "content/policies/低保.md:1: slug “低保” 无效"),
    (
        "attachment missing",
        {P: policy_md(attachments="[{file: 2024/form.xlsx, title: 申请表}]")},
        f"{SHOWN}:7: 附件 “2024/form.xlsx” 不存在",
    ),
    (
        "attachment outside files/",
        {P: policy_md(attachments="[{file: ../site.yaml, title: 配置}]"), "files/keep.txt": "x"},
        f"{SHOWN}:7: 附件路径 “../site.yaml” 必须是 content/files/ 之内的相对路径",
    ),
    (
        "attachment absolute",
        {P: policy_md(attachments="[{file: /etc/passwd, title: 口令}]")},
        f"{SHOWN}:7: 附件路径 “/etc/passwd” 必须是 content/files/ 之内的相对路径",
    ),
    (
        "attachment without title",
        {P: policy_md(attachments="[{file: a.pdf}]"), "files/a.pdf": "%PDF-1.4"},
        f"{SHOWN}:7: 缺少必填项 title（标题）（附件）",
    ),
    ("duplicate key", {P: policy_md(body="", title="甲\ntitle: 乙")}, f"{SHOWN}:3: 键 “title” 重复（第 2 行已出现）"),
    ("key and alias both given", {P: policy_md(标题="乙")}, f"{SHOWN}:7: title（标题） 重复出现（第 2 行已给出）"),
    (
        "YAML syntax error",
        {P: "---\ntitle: 甲\ncategory: [社会救助\ndate: 2024-03-18\n---\n正文\n"},
        f"{SHOWN}:4: YAML 格式错误",
    ),
    ("tab indentation", {P: "---\ntitle: 甲\nattachments:\n\t- file: a\n---\n"}, f"{SHOWN}:4: YAML 格式错误"),
    ("no front matter", {P: "# 标题\n\n正文\n"}, f"{SHOWN}:1: 缺少 YAML 前置元数据"),
    ("unclosed front matter", {P: "---\ntitle: 甲\n"}, f"{SHOWN}:1: 缺少 YAML 前置元数据"),
    ("empty file", {P: ""}, f"{SHOWN}:1: 文件为空"),
    ("invalid UTF-8", {P: "placeholder"}, f"{SHOWN}:3: 不是有效的 UTF-8 文本"),
]


@pytest.mark.parametrize("name,files,expected", CASES, ids=[c[0] for c in CASES])
def test_rule_fails_with_path_and_line(
    content: Callable[..., Path], name: str, files: dict[str, str], expected: str
) -> None:
    root = content(files)
    if name == "invalid UTF-8":
        (root / P).write_bytes(policy_md(body="").encode("utf-8").replace(b"index_no", "索引号".encode("gbk"), 1))
    result = build(root)
    assert result.code == 1, result.err
    assert "Traceback" not in result.err
    assert any(line.startswith(expected) for line in problems_of(result)), result.err
    assert not (root.parent / "output").exists()


def test_duplicate_index_no_names_both_files(content: Callable[..., Path]) -> None:
    root = content({"policies/a.md": policy_md(), "policies/b.md": policy_md(title="另一个文件")})
    result = build(root)
    assert result.code == 1
    assert f"content/policies/b.md:3: 索引号 {USCC}/2024-00001 重复：content/policies/a.md:3 已使用" in problems_of(
        result
    )


def test_duplicate_slug_across_folders(content: Callable[..., Path]) -> None:
    root = content({"policies/2023/a.md": policy_md(), "policies/2024/a.md": policy_md(index_no=f"{USCC}/2024-00002")})
    result = build(root)
    assert result.code == 1
    assert any(
        "content/policies/2024/a.md:1: slug “a” 重复：content/policies/2023/a.md 已使用" in line
        for line in problems_of(result)
    ), result.err


def test_every_problem_of_a_run_is_reported_together(content: Callable[..., Path]) -> None:
    root = content(
        {
            "policies/a.md": policy_md(category="无此分类"),
            "policies/b.md": policy_md(date="2024-13-01", index_no=f"{USCC}/2024-00002"),
            "pages/guide.md": "没有前置元数据\n",
        }
    )
    result = build(root)
    assert result.code == 1
    shown = problems_of(result)
    assert any(line.startswith("content/policies/a.md:4:") for line in shown)
    assert any(line.startswith("content/policies/b.md:6:") for line in shown)
    assert any(line.startswith("content/pages/guide.md:1:") for line in shown)
    assert "发现 3 个问题" in result.err


def test_attachment_symlink_out_of_files_is_refused(content: Callable[..., Path], tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("内部文件", encoding="utf-8")
    root = content({P: policy_md(attachments="[{file: link.txt, title: 链接}]"), "files/.keep": ""})
    os.symlink(secret, root / "files" / "link.txt")
    result = build(root)
    assert result.code == 1
    assert any(line.startswith(f"{SHOWN}:7: 附件 “link.txt” 指向 content/files/ 之外") for line in problems_of(result))


def test_unknown_key_warns_and_fails_under_strict(content: Callable[..., Path]) -> None:
    root = content({P: policy_md(colour="红色")})
    ok = build(root)
    assert ok.code == 0, ok.err
    assert f"{SHOWN}:7: 警告：未知的键 “colour”" in ok.err
    strict = run_cli(
        "build", "--content", str(root), "--out", str(root.parent / "out2"), "--today", "2026-11-29", "--strict"
    )
    assert strict.code == 1
    assert f"{SHOWN}:7: 未知的键 “colour”" in strict.err


def test_chinese_aliases_are_accepted(content: Callable[..., Path]) -> None:
    text = (
        "---\n标题: 关于低保工作的通知\n索引号: " + USCC + "/2024-00003\n组配分类: 社会救助\n"
        "文件编号: 测民发〔2024〕3号\n发文日期: 2024-05-06\n成文日期: 2024-05-01\n有效性: 有效\n"
        "主题分类: [社会救助]\n内容概述: 概述文字\n---\n正文。\n"
    )
    root = content({P: text})
    result = build(root)
    assert result.code == 0, result.err
    html = (root.parent / "output" / "policies" / "a" / "index.html").read_text(encoding="utf-8")
    assert "测民发〔2024〕3号" in html and "关于低保工作的通知" in html


def test_site_yaml_uscc_check_character(content: Callable[..., Path]) -> None:
    from conftest import SITE_YAML

    root = content({}, site_yaml=SITE_YAML.replace("uscc: 11379900005183427E", "uscc: 11379900005183427A"))
    result = build(root)
    assert result.code == 1
    assert "content/site.yaml:6: 统一社会信用代码 “11379900005183427A” 无效" in result.err


def test_windows_line_endings_and_bom_work(content: Callable[..., Path]) -> None:
    text = "\ufeff" + policy_md(body="第一段。\n\n第二段。\n").replace("\n", "\r\n")
    root = content({P: text})
    result = build(root)
    assert result.code == 0, result.err
    assert (root.parent / "output" / "policies" / "a" / "index.html").exists()


def test_check_reports_like_build_and_writes_nothing(content: Callable[..., Path]) -> None:
    root = content({P: policy_md(category="无此分类")})
    result = run_cli("check", "--content", str(root), "--today", "2026-11-29")
    assert result.code == 1
    assert any(line.startswith(f"{SHOWN}:4:") for line in problems_of(result))
    assert sorted(p.name for p in root.parent.iterdir()) == ["content"]


def test_policies_loaded_on_several_processes_give_what_one_process_gives(content: Callable[..., Path]) -> None:
    """A first build loads its policies on forked processes: the same policies, and the same
    problems in the same order, as one by one."""
    from site_builder import cache
    from site_builder.config import load_config
    from site_builder.problems import Problems
    from site_builder.sources.policies import load_policies

    files = {
        f"policies/p{n:02d}.md": policy_md(index_no=f"{USCC}/2024-{n + 100:05d}", doc_no=None)
        for n in range(2 * cache.PARALLEL_LOADS)
    }
    files["policies/p05.md"] = policy_md(date="2024-02-30")
    files["policies/p27.md"] = policy_md(category="无此分类", index_no=f"{USCC}/2024-00127")
    root = content(files)
    outcomes = []
    for processes in (1, 2):
        problems = Problems(root.parent)
        config = load_config(root, problems, None)
        assert config is not None
        policies = load_policies(config, problems, None, processes)
        outcomes.append(([(p.slug, p.title, p.body) for p in policies], [str(p) for p in problems]))
    assert outcomes[0] == outcomes[1]
    assert len(outcomes[0][0]) == 2 * cache.PARALLEL_LOADS - 2 and len(outcomes[0][1]) >= 2


# --- a misspelt key is named as the likely typo (every kind that reads fields) --------------------

STANDARD = """\
name: 城市低保标准
group: 最低生活保障对象
unti: 元/人·月
history:
  - effective: 2024-07-01
    default: 409
    basis: a
"""
ROSTER = """\
program: 城市低保
district: 甲区
period: "2026-11"
stgae: 长期公示
publish_from: 2026-11-10
records:
  - {name: 张*丰, street: 东街道, community: 一社区, persons: 3, amount: 1500}
"""

TYPO_CASES: list[tuple[str, dict[str, str], str]] = [
    (
        "policy",
        {P: policy_md(category=None, catgory="社会救助")},
        f"{SHOWN}:6: 缺少必填项 category（组配分类）（政策文件）；第 6 行的 “catgory” 可能是它的笔误",
    ),
    (
        "policy, Chinese alias",
        {P: policy_md(category=None, 组配分="社会救助")},
        f"{SHOWN}:6: 缺少必填项 category（组配分类）（政策文件）；第 6 行的 “组配分” 可能是它的笔误",
    ),
    (
        "policy, other case",
        {P: policy_md(title=None, Title="标题")},
        f"{SHOWN}:6: 缺少必填项 title（标题）（政策文件）；第 6 行的 “Title” 可能是它的笔误",
    ),
    (
        "attachment",
        {P: policy_md(attachments="[{file: a.pdf, titel: 申请表}]"), "files/a.pdf": "%PDF-1.4"},
        f"{SHOWN}:7: 缺少必填项 title（标题）（附件）；第 7 行的 “titel” 可能是它的笔误",
    ),
    (
        "page",
        {"pages/guide.md": "---\nslug: guide\ntitel: 政府信息公开指南\n---\n正文\n"},
        "content/pages/guide.md:3: 缺少必填项 title（标题）（页面）；第 3 行的 “titel” 可能是它的笔误",
    ),
    (
        "standard",
        {P: policy_md(), "standards/dibao.yaml": STANDARD},
        "content/standards/dibao.yaml:3: 缺少必填项 unit（单位）（救助保障标准）；第 3 行的 “unti” 可能是它的笔误",
    ),
    (
        "roster",
        {"rosters/2026-11-甲区-城市低保.yaml": ROSTER},
        (
            "content/rosters/2026-11-甲区-城市低保.yaml:4: "
            "缺少必填项 stage（公示类型）（公示名单）；第 4 行的 “stgae” 可能是它的笔误"
        ),
    ),
]


@pytest.mark.parametrize("name,files,expected", TYPO_CASES, ids=[c[0] for c in TYPO_CASES])
def test_misspelt_required_key_is_named_at_its_own_line(
    content: Callable[..., Path], name: str, files: dict[str, str], expected: str
) -> None:
    result = build(content(files))
    assert result.code == 1, result.err
    assert expected in problems_of(result), result.err
    assert not any("未知的键" in line for line in problems_of(result)), result.err  # said once, as the error


def test_misspelt_site_yaml_key_is_named_at_its_own_line(content: Callable[..., Path]) -> None:
    from conftest import SITE_YAML

    root = content({}, site_yaml=SITE_YAML.replace("categories:", "categores:"))
    result = build(root)
    assert result.code == 1
    assert (
        "content/site.yaml:9: 缺少必填项 categories（组配分类）（site.yaml）；第 9 行的 “categores” 可能是它的笔误"
        in problems_of(result)
    ), result.err


def test_misspelt_optional_key_warning_names_the_key(content: Callable[..., Path]) -> None:
    root = content({P: policy_md(doc_no=None, doc_n="测民发〔2024〕1号", colour="红色", data="2024-03-18")})
    result = build(root)
    assert result.code == 0, result.err
    assert problems_of(result) == [
        f"{SHOWN}:6: 警告：未知的键 “doc_n”，已忽略（政策文件）；可能是 doc_no（文件编号）的笔误",
        f"{SHOWN}:7: 警告：未知的键 “colour”，已忽略（政策文件）",
        f"{SHOWN}:8: 警告：未知的键 “data”，已忽略（政策文件）",  # date is given: not a typo of it
    ]


# --- a key followed by a full-width colon (typed with a Chinese input method) -------------------

FULL_WIDTH = "后面用了全角冒号“：”，请改为半角冒号“:”（冒号后再加一个空格，如 "
FULL_WIDTH_CASES: list[tuple[str, dict[str, str], list[str]]] = [
    (
        "between two keys",
        {P: "---\ntitle: 甲\nindex_no: x\ncategory：社会救助\ndate: 2024-03-18\n---\n正文\n"},
        [f"{SHOWN}:4: 键名 “category” {FULL_WIDTH}“category: …”）"],
    ),
    (
        "last key",
        {P: "---\ntitle: 甲\ncategory：社会救助\n---\n正文\n"},
        [f"{SHOWN}:3: 键名 “category” {FULL_WIDTH}“category: …”）"],
    ),
    (
        "first key",
        {P: "---\ntitle：甲\ncategory: 社会救助\n---\n正文\n"},
        [f"{SHOWN}:2: 键名 “title” {FULL_WIDTH}“title: …”）"],
    ),
    ("the only key", {P: "---\ntitle：甲\n---\n正文\n"}, [f"{SHOWN}:2: 键名 “title” {FULL_WIDTH}“title: …”）"]),
    (
        "two keys, space before the colon",
        {P: "---\ntitle ：甲\n组配分类：社会救助\ndate: 2024-03-18\n---\n"},
        [
            f"{SHOWN}:2: 键名 “title” {FULL_WIDTH}“title: …”）",
            f"{SHOWN}:3: 键名 “组配分类” {FULL_WIDTH}“组配分类: …”）",
        ],
    ),
    (
        "in an attachment",
        {P: "---\ntitle: 甲\nattachments:\n  - file: a.pdf\n    title：表\ndate: 2024-03-18\n---\n"},
        [f"{SHOWN}:5: 键名 “title” {FULL_WIDTH}“title: …”）"],
    ),
    (
        "indented under the key before",
        {P: "---\ntitle: 甲\n  category：社会救助\ndate: 2024-03-18\n---\n"},
        [f"{SHOWN}:3: 键名 “category” {FULL_WIDTH}“category: …”）"],
    ),
    (
        "BOM and CRLF",
        {P: "\ufeff---\r\ntitle: 甲\r\n\r\ncategory：社会救助\r\ndate: 2024-03-18\r\n---\r\n"},
        [f"{SHOWN}:4: 键名 “category” {FULL_WIDTH}“category: …”）"],
    ),
    (
        "a YAML file",
        {P: policy_md(), "standards/dibao.yaml": STANDARD.replace("unti: ", "unit：")},
        [f"content/standards/dibao.yaml:3: 键名 “unit” {FULL_WIDTH}“unit: …”）"],
    ),
]


@pytest.mark.parametrize("name,files,expected", FULL_WIDTH_CASES, ids=[c[0] for c in FULL_WIDTH_CASES])
def test_full_width_colon_after_a_key_is_named_at_its_line(
    content: Callable[..., Path], name: str, files: dict[str, str], expected: list[str]
) -> None:
    root = content({k: v.encode("utf-8") for k, v in files.items()})  # bytes: the CRLF case stays CRLF
    result = build(root)
    assert result.code == 1, result.err
    assert "Traceback" not in result.err
    assert problems_of(result) == expected, result.err


def test_full_width_colon_inside_a_value_is_text(content: Callable[..., Path]) -> None:
    text = (
        "---\ntitle: 关于印发《最低生活保障办法》的通知：第二批\nindex_no: " + USCC + "/2024-00001\n"
        "category: 社会救助\ndate: 2024-03-18\nkeywords:\n  - 低保：城市\n"
        "summary: 本通知明确了\n  以下事项：申请、审核\ndoc_no: |\n  测民发：1号\n---\n正文。\n"
    )
    root = content({P: text})
    result = build(root)
    assert result.code == 0, result.err
    assert problems_of(result) == []
    page = soup(root.parent / "output" / "policies" / "a" / "index.html")
    assert page.h1 is not None and page.h1.get_text(strip=True) == "关于印发《最低生活保障办法》的通知：第二批"
