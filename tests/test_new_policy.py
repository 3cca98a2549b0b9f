"""``build.py new policy``: next free 索引号 of the year, a valid file, never an overwrite."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from conftest import USCC, policy_md, run_cli


def test_new_policy_takes_the_next_serial_and_builds(content: Callable[..., Path]) -> None:
    root = content({
        "policies/a.md": policy_md(index_no=f"{USCC}/2024-00007"),
        "policies/old.md": policy_md(index_no=f"{USCC}/2023-00031", date="2023-01-05"),
        "policies/draft.md": policy_md(index_no=f"{USCC}/2024-00009", draft="true"),
    })
    result = run_cli("new", "policy", "--title", "关于做好冬季救助工作的通知", "--category", "社会救助",
                     "--date", "2024-11-20", "--content", str(root))
    assert result.code == 0, result.err
    created = root / "policies" / "2024" / "policy-2024-00010.md"
    text = created.read_text(encoding="utf-8")
    assert f"index_no: {USCC}/2024-00010" in text
    assert 'title: "关于做好冬季救助工作的通知"' in text
    build = run_cli("build", "--content", str(root), "--out", str(root.parent / "out"), "--today", "2026-11-29")
    assert build.code == 0, build.err
    assert (root.parent / "out" / "policies" / "policy-2024-00010" / "index.html").exists()


def test_new_policy_first_of_a_year(content: Callable[..., Path]) -> None:
    root = content({"policies/a.md": policy_md()})
    result = run_cli("new", "policy", "--title", "标题", "--category", "政策文件", "--date", "2026-01-02",
                     "--slug", "first-2026", "--content", str(root))
    assert result.code == 0, result.err
    assert f"index_no: {USCC}/2026-00001" in (root / "policies" / "2026" / "first-2026.md").read_text(encoding="utf-8")


def test_new_policy_refuses_to_overwrite(content: Callable[..., Path]) -> None:
    root = content({"policies/2024/taken.md": policy_md()})
    before = (root / "policies" / "2024" / "taken.md").read_bytes()
    result = run_cli("new", "policy", "--title", "标题", "--category", "政策文件", "--date", "2024-05-01",
                     "--slug", "taken", "--content", str(root))
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
