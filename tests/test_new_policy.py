"""``build.py new policy``: next free 索引号 of the year, a valid draft, never an overwrite; its
``--help`` lists the options and the categories it accepts."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import SITE_YAML, USCC, policy_md, run_cli


def test_new_policy_takes_the_next_serial_and_builds(content: Callable[..., Path]) -> None:
    root = content(
        {
            "policies/a.md": policy_md(index_no=f"{USCC}/2024-00007"),
            "policies/old.md": policy_md(index_no=f"{USCC}/2023-00031", date="2023-01-05"),
            "policies/draft.md": policy_md(index_no=f"{USCC}/2024-00009", draft="true"),
        }
    )
    result = run_cli(
        "new",
        "policy",
        "--title",
        "关于做好冬季救助工作的通知",
        "--category",
        "社会救助",
        "--date",
        "2024-11-20",
        "--content",
        str(root),
    )
    assert result.code == 0, result.err
    created = root / "policies" / "2024" / "policy-2024-00010.md"
    text = created.read_text(encoding="utf-8")
    assert f"index_no: {USCC}/2024-00010" in text
    assert 'title: "关于做好冬季救助工作的通知"' in text
    build = run_cli(
        "build", "--content", str(root), "--out", str(root.parent / "out"), "--today", "2026-11-29", "--drafts"
    )
    assert build.code == 0, build.err
    assert (root.parent / "out" / "policies" / "policy-2024-00010" / "index.html").exists()


@pytest.mark.slow
def test_new_policy_is_a_draft_until_its_draft_line_is_removed(content: Callable[..., Path]) -> None:
    root = content({"policies/a.md": policy_md()})
    result = run_cli(
        "new",
        "policy",
        "--title",
        "关于做好冬季救助工作的通知",
        "--category",
        "社会救助",
        "--date",
        "2024-11-20",
        "--content",
        str(root),
    )
    assert result.code == 0, result.err
    created = root / "policies" / "2024" / "policy-2024-00002.md"
    assert result.lines == [
        f"已创建 {created}：这是草稿（draft: true），只有 build --drafts 才生成它；改好后删除 draft: true 这一行即可发布"
    ]
    text = created.read_text(encoding="utf-8")
    draft_lines = [line for line in text.splitlines() if line.startswith("draft:")]
    assert draft_lines == ["draft: true  # 草稿：只在 build --drafts 时生成；删除这一行即可发布"]
    page = Path("policies", "policy-2024-00002", "index.html")

    def built(out: str, *extra: str) -> bool:
        build = run_cli(
            "build", "--content", str(root), "--out", str(root.parent / out), "--today", "2026-11-29", *extra
        )
        assert build.code == 0, build.err
        return (root.parent / out / page).exists()

    assert not built("published")
    assert built("with-drafts", "--drafts")
    created.write_text(text.replace(draft_lines[0] + "\n", ""), encoding="utf-8")
    assert built("published")


def help_of(result_out: str) -> tuple[str, dict[str, str]]:
    """The help text joined into one line, and each option's help (``--title TITLE`` → its text)."""
    options: dict[str, str] = {}
    section = result_out.split("options:\n", 1)[1].split("\n\n", 1)[0]
    for line in section.splitlines():
        match = re.match(r"^  (-\S+(?:, --\S+)?(?: [A-Z-]+)?) {2,}(\S.*)$", line)
        assert match, line
        options[match[1]] = match[2]
    return " ".join(result_out.split()), options


@pytest.mark.parametrize("position", ["before", "default"])
def test_new_policy_help_lists_options_and_the_categories(
    content: Callable[..., Path], monkeypatch: pytest.MonkeyPatch, position: str
) -> None:
    monkeypatch.setenv("COLUMNS", "400")  # one line per option and paragraph
    root = content(
        {},
        site_yaml=SITE_YAML.replace(
            "categories: [政策文件, 社会救助, 部门计划及总结]", "categories: [政策文件, 社会救助, 婚姻登记]"
        ),
    )
    args = ["new", "policy", "--content", str(root), "--help"] if position == "before" else ["new", "policy", "-h"]
    result = run_cli(*args, cwd=root.parent if position == "default" else None)
    assert result.code == 0, result.err
    text, options = help_of(result.out)
    assert list(options) == [
        "-h, --help",
        "--title TITLE",
        "--category CATEGORY",
        "--date YYYY-MM-DD",
        "--slug SLUG",
        "--content DIR",
    ]
    assert all(options.values())
    assert options["--category CATEGORY"] == "组配分类：site.yaml 的 categories 之一（见下）"
    assert "草稿（draft: true）" in text and "删除 draft: true 这一行即可发布" in text
    shown = "content/site.yaml" if position == "default" else f"{root}/site.yaml"
    assert f"可选的组配分类（{shown} 的 categories）：政策文件、社会救助、婚姻登记。" in text


def test_new_policy_help_without_a_content_folder_says_where_categories_come_from(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "400")
    result = run_cli("new", "policy", "--help", cwd=tmp_path)
    assert result.code == 0, result.err
    text, options = help_of(result.out)
    assert "--category CATEGORY" in options
    assert (
        "可选的组配分类：内容目录 content 的 site.yaml 中的 categories（content/site.yaml 不存在；"
        "请用 --content 指出内容目录，写在 --help 之前）。"
    ) in text


def test_new_policy_first_of_a_year(content: Callable[..., Path]) -> None:
    root = content({"policies/a.md": policy_md()})
    result = run_cli(
        "new",
        "policy",
        "--title",
        "标题",
        "--category",
        "政策文件",
        "--date",
        "2026-01-02",
        "--slug",
        "first-2026",
        "--content",
        str(root),
    )
    assert result.code == 0, result.err
    assert f"index_no: {USCC}/2026-00001" in (root / "policies" / "2026" / "first-2026.md").read_text(encoding="utf-8")


def test_new_policy_refuses_to_overwrite(content: Callable[..., Path]) -> None:
    root = content({"policies/2024/taken.md": policy_md()})
    before = (root / "policies" / "2024" / "taken.md").read_bytes()
    result = run_cli(
        "new",
        "policy",
        "--title",
        "标题",
        "--category",
        "政策文件",
        "--date",
        "2024-05-01",
        "--slug",
        "taken",
        "--content",
        str(root),
    )
    assert result.code == 2
    assert "已存在，不会覆盖" in result.err
    assert (root / "policies" / "2024" / "taken.md").read_bytes() == before


def test_new_policy_unknown_category(content: Callable[..., Path]) -> None:
    root = content({})
    result = run_cli("new", "policy", "--title", "标题", "--category", "无此分类", "--content", str(root))
    assert result.code == 2
    assert "组配分类 “无此分类” 不在 site.yaml 中" in result.err
    assert not (root / "policies").exists()


def test_usage_errors_exit_2() -> None:
    assert run_cli().code == 2
    assert run_cli("frobnicate").code == 2
    assert run_cli("new", "policy", "--title", "缺分类").code == 2
