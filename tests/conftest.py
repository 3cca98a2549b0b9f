"""Shared test helpers: throwaway content trees from a dict, the CLI run in-process and as a
subprocess, and the sample site built once per session."""

from __future__ import annotations

import contextlib
import io
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup, Tag
from hypothesis import settings

# Shared, noisy machines: no per-example time limit (speed lives in benchmarks/, not tests).
settings.register_profile("shared-machine", deadline=None)
settings.load_profile("shared-machine")

ROOT = Path(__file__).resolve().parent.parent


# Test files whose tests each build, serve or re-build whole sites (a second or more apiece):
# every test in them is marked ``slow``. Elsewhere a test that does is marked where it is defined.
SLOW_MODULES = frozenset(
    {
        "test_benchmark_run.py",
        "test_build_output.py",
        "test_builds_end.py",
        "test_hostile.py",
        "test_incremental.py",
        "test_incremental_sequences.py",
        "test_links.py",
        "test_nginx.py",
        "test_search_index.py",
        "test_serve.py",
    }
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test under tests/browser/ is marked ``browser`` (it drives Chromium), every test of
    `SLOW_MODULES` ``slow``, so that ``-m "not browser and not slow"`` is a quick loop."""
    browser = Path(__file__).resolve().parent / "browser"
    for item in items:
        if item.path.is_relative_to(browser):
            item.add_marker(pytest.mark.browser)
        elif item.path.name in SLOW_MODULES:
            item.add_marker(pytest.mark.slow)


SAMPLE_CONTENT = ROOT / "content"
TODAY = "2026-11-29"
USCC = "11379900005183427E"

SITE_YAML = """\
title: 测试市民政局政府信息公开
base_url: https://mzj.test.example.gov.cn/
language: zh-CN
publisher:
  name: 测试市民政局
  uscc: 11379900005183427E
  site_id: "3799000099"
districts: [甲区, 乙区, 丙县]
categories: [政策文件, 社会救助, 部门计划及总结]
topics: [社会救助, 养老服务]
contact: {address: 测试市人民路1号, phone: 0599-86600000, hours: 工作日}
request_url: https://www.test.example.gov.cn/ysqgk/
roster:
  hotline: 0599-86612345
pii:
  allow: []
"""

ORGANIZATION_YAML = """\
机构职能: |
  负责全市社会救助工作。
领导信息:
  - {姓名: 王测试, 职务: 局长, 分工: 主持全面工作。}
监督检查:
  信访地址: 测试市人民路1号
  投诉电话: 0599-86612345
"""


def policy_md(body: str = "正文第一段。\n", **fields: Any) -> str:
    """A policy file; ``fields`` override the defaults (None removes a key)."""
    meta: dict[str, Any] = {
        "title": "测试市民政局关于做好最低生活保障工作的通知",
        "index_no": f"{USCC}/2024-00001",
        "category": "社会救助",
        "doc_no": "测民发〔2024〕1号",
        "date": "2024-03-18",
    }
    meta.update(fields)
    lines = ["---"]
    for key, value in meta.items():
        if value is None:
            continue
        lines.append(f"{key}: {value}")
    lines.append("---")
    return "\n".join(lines) + "\n" + body


def write_tree(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write ``files`` (relative path → text or bytes) under ``root``; returns ``root``."""
    for rel, data in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(textwrap.dedent(data) if data.startswith("\n") else data, encoding="utf-8")
    return root


@dataclass
class Result:
    code: int
    out: str
    err: str

    @property
    def lines(self) -> list[str]:
        return [line for line in self.err.splitlines() if line.strip()]


def run_cli(*args: str, cwd: Path | None = None) -> Result:
    """Run ``build.py`` in-process (fast); exit status and captured output."""
    from site_builder.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), contextlib.chdir(cwd or Path.cwd()):
        try:
            code = main(list(args))
        except SystemExit as exc:
            code = int(exc.code or 0)
    return Result(code, out.getvalue(), err.getvalue())


def run_process(*args: str, cwd: Path, env: dict[str, str] | None = None) -> Result:
    """Run ``python build.py`` as users do, to see exactly what they would see."""
    proc = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
        check=False,
    )
    return Result(proc.returncode, proc.stdout, proc.stderr)


@pytest.fixture
def content(tmp_path: Path) -> Callable[..., Path]:
    """``content({"policies/a.md": …})`` → a content folder with a valid site.yaml and those files."""

    def make(files: dict[str, str | bytes] | None = None, site_yaml: str = SITE_YAML) -> Path:
        root = tmp_path / "content"
        write_tree(root, {"site.yaml": site_yaml, **(files or {})})
        return root

    return make


def table_by_caption(page: BeautifulSoup, prefix: str) -> Tag:
    """The table of ``page`` whose caption starts with ``prefix``."""
    for caption in page.find_all("caption"):
        if caption.get_text(strip=True).startswith(prefix):
            table = caption.find_parent("table")
            assert isinstance(table, Tag)
            return table
    raise AssertionError(f"no table captioned {prefix!r}")


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


@pytest.fixture(scope="session")
def sample_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped sample site, built once with --today 2026-11-29."""
    work = tmp_path_factory.mktemp("sample")
    out = work / "output"
    result = run_cli("build", "--content", str(SAMPLE_CONTENT), "--out", str(out), "--today", TODAY)
    assert result.code == 0, result.err
    return out


@pytest.fixture(scope="session")
def subpath_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample site built for https://example.gov.cn/sub (no trailing slash: the builder adds it)."""
    out = tmp_path_factory.mktemp("subpath") / "output"
    result = run_cli(
        "build",
        "--content",
        str(SAMPLE_CONTENT),
        "--out",
        str(out),
        "--today",
        TODAY,
        "--base-url",
        "https://example.gov.cn/sub",
    )
    assert result.code == 0, result.err
    return out


def tree_bytes(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` with its bytes, for byte-identity checks."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def replace_once(path: Path, old: str, new: str) -> None:
    """Edit ``path``: the first ``old`` becomes ``new``. ``old`` must be there, or the edit would
    change nothing and the comparison with a clean build would pass for nothing."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def copy_content(dest: Path) -> Path:
    """A writable copy of the sample content."""
    shutil.copytree(SAMPLE_CONTENT, dest)
    return dest
