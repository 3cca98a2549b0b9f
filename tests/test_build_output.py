"""The writer: atomic swap, nothing lost on failure or interruption, byte-identical rebuilds."""

from __future__ import annotations

import io
import posixpath
import shutil
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote, urljoin, urlsplit

import pytest
from conftest import SAMPLE_CONTENT, copy_content, policy_md, run_cli, run_process, soup, tree_bytes
from hypothesis import example, given, settings
from hypothesis import strategies as st
from markupsafe import escape

from site_builder import urls
from site_builder.plan import plan_static
from site_builder.render import env


def test_two_builds_are_byte_identical(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    for out in (a, b):
        result = run_cli("build", "--content", str(SAMPLE_CONTENT), "--out", str(out), "--today", "2026-11-29")
        assert result.code == 0, result.err
    first, second = tree_bytes(a), tree_bytes(b)
    assert len(first) > 50
    assert first.keys() == second.keys()
    assert [k for k in first if first[k] != second[k]] == []


def test_source_date_epoch_sets_today(content: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> None:
    root = content({"policies/a.md": policy_md(published="2026-12-01", date="2024-03-18")})
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764892800")  # 2025-12-05 UTC
    run_cli("build", "--content", str(root), "--out", str(root.parent / "early"))
    assert not (root.parent / "early" / "policies" / "a").exists()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1796428800")  # 2026-12-04 UTC
    run_cli("build", "--content", str(root), "--out", str(root.parent / "late"))
    assert (root.parent / "late" / "policies" / "a" / "index.html").exists()


def test_failed_build_leaves_previous_output_untouched(tmp_path: Path) -> None:
    content_dir = copy_content(tmp_path / "content")
    out = tmp_path / "output"
    assert run_cli("build", "--content", str(content_dir), "--out", str(out), "--today", "2026-11-29").code == 0
    before = tree_bytes(out)
    broken = content_dir / "policies" / "2024" / "dibao-shenhe-queren-banfa.md"
    broken.write_text(
        broken.read_text(encoding="utf-8").replace("category: 规范性文件", "category: 无此分类"), encoding="utf-8"
    )
    result = run_cli("build", "--content", str(content_dir), "--out", str(out), "--today", "2026-11-29")
    assert result.code == 1
    assert tree_bytes(out) == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != ".cache") == ["content", "output"]


def test_interrupted_build_keeps_old_output_and_leaves_no_temporary_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    content_dir = copy_content(tmp_path / "content")
    out = tmp_path / "output"
    assert run_cli("build", "--content", str(content_dir), "--out", str(out), "--today", "2026-11-29").code == 0
    before = tree_bytes(out)

    from site_builder.render import renderer

    calls = {"n": 0}
    original = renderer.Renderer.render

    def interrupt(self, entry):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 5:
            raise KeyboardInterrupt
        return original(self, entry)

    monkeypatch.setattr(renderer.Renderer, "render", interrupt)
    shutil.rmtree(tmp_path / ".cache")  # a cold cache, so that pages are rendered again
    result = run_cli("build", "--content", str(content_dir), "--out", str(out), "--today", "2026-11-29")
    assert result.code == 130
    assert "输出目录保持原样" in result.err
    assert tree_bytes(out) == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != ".cache") == ["content", "output"]


def test_bad_content_shows_no_traceback_as_a_process(tmp_path: Path) -> None:
    content_dir = copy_content(tmp_path / "content")
    (content_dir / "policies" / "bad.md").write_text(policy_md(date="2024-02-30"), encoding="utf-8")
    result = run_process(
        "build", "--content", str(content_dir), "--out", str(tmp_path / "out"), "--today", "2026-11-29", cwd=tmp_path
    )
    assert result.code == 1
    assert "Traceback" not in result.err
    assert "content/policies/bad.md:6: date（发文日期） 的日期 “2024-02-30” 不存在" in result.err
    assert not (tmp_path / "out").exists()


def test_build_replaces_stale_files(tmp_path: Path, content: Callable[..., Path]) -> None:
    root = content({"policies/a.md": policy_md()})
    out = root.parent / "output"
    assert run_cli("build", "--content", str(root), "--out", str(out), "--today", "2026-11-29").code == 0
    (root / "policies" / "a.md").rename(root / "policies" / "b.md")
    assert run_cli("build", "--content", str(root), "--out", str(out), "--today", "2026-11-29").code == 0
    assert not (out / "policies" / "a").exists()
    assert (out / "policies" / "b" / "index.html").exists()


def test_drafts_only_with_flag(content: Callable[..., Path]) -> None:
    root = content({"policies/a.md": policy_md(draft="true")})
    out = root.parent / "output"
    result = run_cli("build", "--content", str(root), "--out", str(out), "--today", "2026-11-29")
    assert result.code == 0
    assert "草稿" in result.err
    assert not (out / "policies" / "a").exists()
    run_cli("build", "--content", str(root), "--out", str(out), "--today", "2026-11-29", "--drafts")
    assert (out / "policies" / "a" / "index.html").exists()


def test_only_actively_disclosed_policies_are_published(content: Callable[..., Path]) -> None:
    root = content(
        {
            "policies/a.md": policy_md(disclosure="依申请公开"),
            "policies/b.md": policy_md(disclosure="不予公开", index_no="11379900005183427E/2024-00002"),
        }
    )
    out = root.parent / "output"
    result = run_cli("build", "--content", str(root), "--out", str(out), "--today", "2026-11-29")
    assert result.code == 0, result.err
    assert not (out / "policies").exists()
    assert "依申请公开" in result.err and "不予公开" in result.err


def test_unreferenced_files_are_not_published(content: Callable[..., Path]) -> None:
    root = content({"policies/a.md": policy_md(), "files/internal-draft.docx": b"PK\x03\x04"})
    out = root.parent / "output"
    assert run_cli("build", "--content", str(root), "--out", str(out), "--today", "2026-11-29").code == 0
    assert not (out / "files").exists()


def test_missing_content_folder_is_a_usage_error(tmp_path: Path) -> None:
    result = run_cli("build", "--content", str(tmp_path / "nope"), "--out", str(tmp_path / "o"))
    assert result.code == 2
    assert "内容目录不存在" in result.err


def test_bad_today_is_a_usage_error(tmp_path: Path) -> None:
    result = run_cli("build", "--content", str(SAMPLE_CONTENT), "--today", "2026-13-01")
    assert result.code == 2


def test_missing_site_yaml(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    result = run_cli("build", "--content", str(tmp_path / "content"), "--out", str(tmp_path / "o"))
    assert result.code == 1
    assert "content/site.yaml:1: 缺少站点配置文件 site.yaml" in result.err
    shutil.rmtree(tmp_path / "content")


# Links are worked out by string shortcuts (render/env.py) that must agree with the standard
# library everywhere, including on paths no plan makes (hostile Markdown links, odd base URLs).
_SEGMENT = st.sampled_from(
    [
        "policies",
        "catalog",
        "低保",
        "page-2",
        "a.html",
        "%E4",
        ".",
        "..",
        "",
        "x;y",
        "q?1",
        "f#2",
        "g#",
        "#h",
        " s",
        "a:b",
        "\\",
        "\t",
        ".well-known",
    ]
)
_PATH = st.lists(_SEGMENT, max_size=5).map("/".join)


@settings(max_examples=3000, deadline=None)
@given(_PATH, _PATH, st.booleans())
def test_relative_paths_agree_with_posixpath(target: str, folder: str, leading_slash: bool) -> None:
    path = ("/" if leading_slash else "") + target or "."
    start = folder or "."
    try:  # as posixpath works it out from the site root (not from the folder the build runs in)
        expected = posixpath.relpath(posixpath.join("/", path), posixpath.join("/", start))
    except ValueError:
        return
    assert urls._relpath(path, start) == expected


def test_a_link_above_the_site_root_does_not_depend_on_the_build_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from site_builder.render.markdown import MarkdownRenderer

    pages = []
    for folder in (tmp_path, tmp_path / "a" / "b" / "c"):
        folder.mkdir(parents=True, exist_ok=True)
        monkeypatch.chdir(folder)
        pages.append(MarkdownRenderer().render("见[附件](/../../../files/x.pdf)。", "policies/a/index.html"))
    assert pages[0] == pages[1]
    assert 'href="../../files/x.pdf"' in pages[0]  # from the root, as a browser resolves /../../../files/x.pdf


@settings(max_examples=3000, deadline=None)
@given(_PATH, st.sampled_from(["", "#s1", "#"]), _PATH, st.sampled_from(["index.html", "a.css", ""]))
@example("", "", "policies/a", "index.html")  # home, from a page two folders deep
@example("catalog/", "#y2024", "catalog/page-2", "index.html")  # the same first folder: no shortcut
def test_page_links_agree_with_the_plain_computation(path: str, anchor: str, folder: str, name: str) -> None:
    target, current = path + anchor, f"{folder}/{name}" if folder else name
    base, _, fragment = target.partition("#")
    here = posixpath.dirname(current) or "."
    try:
        rel = urls._relpath(base or ".", here)
    except ValueError:
        return
    if (base == "" or base.endswith("/")) and not rel.endswith("/"):
        rel = "./" if rel == "." else rel + "/"
    expected = quote(rel, safe="/.-_~") + (f"#{fragment}" if fragment else "")
    assert urls.relative(target, current) == expected


@settings(max_examples=3000, deadline=None)
@given(
    st.sampled_from(
        [
            "https://mz.example.gov.cn",
            "http://h:8080",
            "https://h/sub",
            "https://h/a//b",
            "https://h?q",
            "https://h/./x",
            "ftp://h",
            "https://h/x;p",
            "https://",
            "http://h/a/..",
        ]
    ),
    _PATH,
    st.booleans(),
    st.integers(0, 4),
    _PATH,
)
@example("https://h", "a", True, 0, "g#")  # urljoin drops an empty fragment
@example("https://h", "a/b", True, 1, "g/#x\ty")  # and a tab anywhere
def test_print_url_shortcut_agrees_with_urljoin(host: str, path: str, folder: bool, ups: int, rest: str) -> None:
    page = f"{host}/{path}" + ("/" if folder else "")
    href = "../" * ups + rest
    assert urljoin(*env._lift(page, href)) == urljoin(page, href)
    absolute = urljoin(page, href)
    expected = f' data-print-url="{escape(absolute)}"' if urlsplit(absolute).scheme in ("http", "https") else ""
    assert env._print_url_attribute(page, href) == expected


def test_print_url_shortcut_shares_work_between_pages_at_one_depth() -> None:
    assert env._lift("https://h/mz/policies/a/", "../../static/site.css") == ("https://h/mz/", "static/site.css")
    assert env._lift("https://h/catalog/page-2/", "../page-3/") == ("https://h/catalog/", "page-3/")
    page = "https://h/rosters/r/page-2/"
    assert env._print_url_attribute(page, "../page-9/#s2") == ' data-print-url="https://h/rosters/r/page-9/#s2"'
    assert env._print_url_attribute(page, "s1-c2/") == ' data-print-url="https://h/rosters/r/page-2/s1-c2/"'
    assert env._print_url_attribute(page, "tel:0599-1") == ""
    assert urls.relative("catalog/低保/", "policies/a/index.html") == "../../catalog/%E4%BD%8E%E4%BF%9D/"
    assert urls.relative("policies/a/", "policies/a/index.html") == "./"


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_shows_on_a_terminal_only_and_is_cleared(monkeypatch: pytest.MonkeyPatch) -> None:
    from site_builder.cli import TerminalProgress

    monkeypatch.delenv("CI", raising=False)
    terminal = _Terminal()
    progress = TerminalProgress(terminal)
    progress("生成页面", 1, 3)
    progress("生成页面", 2, 3)  # within 0.2 s of the last: not drawn
    progress("生成页面", 3, 3)  # the last count always is
    progress.clear()
    assert terminal.getvalue() == "\r生成页面：1/3\x1b[K\r生成页面：3/3\x1b[K\r\x1b[K"
    monkeypatch.setenv("CI", "true")
    quiet = _Terminal()
    TerminalProgress(quiet)("生成页面", 3, 3)
    piped = io.StringIO()
    monkeypatch.delenv("CI")
    TerminalProgress(piped)("生成页面", 3, 3)
    assert quiet.getvalue() == "" and piped.getvalue() == ""


def test_a_build_reports_its_progress_through_each_long_stage(tmp_path: Path) -> None:
    from datetime import date

    from site_builder.pipeline import Options, build

    heard: list[tuple[str, int, int]] = []
    build(
        Options(
            content_dir=copy_content(tmp_path / "content"), out_dir=tmp_path / "out", today=date(2026, 11, 29), jobs=2
        ),
        lambda line: None,
        progress=lambda *counts: heard.append(counts),
    )
    pages = [done for stage, done, total in heard if stage == "生成页面"]
    assert pages == sorted(pages) and heard[[s for s, _, _ in heard].index("生成页面")][2] == max(pages)
    assert ("搜索索引（部分）", 1, 1) in heard


def test_links_in_navigation_get_no_print_address(sample_output: Path) -> None:
    """print.css hides every <nav> in <main> (pagination, catalog facets, a roster's index of
    streets): their links carry no data-print-url, while the printed links beside them do."""
    pages = [p for p in sample_output.rglob("*.html") if p.parent.name != "pagefind"]
    nav_links = printed = 0
    for path in pages:
        main = soup(path).find("main")
        if main is None:
            continue
        for link in main.select("nav a[href]"):
            assert not link.has_attr("data-print-url"), (path, link)
            nav_links += 1
        outside = [a for a in main.select("a[href]") if a.find_parent("nav") is None]
        printed += sum(a.has_attr("data-print-url") for a in outside)
    assert nav_links > 100 and printed > 100  # the sample's catalog and rosters have both
    catalog = soup(sample_output / "catalog" / "index.html").find("main")
    assert catalog.select("nav.facets a") and catalog.select("table a[data-print-url]")


def test_editors_scratch_files_beside_the_static_files_are_not_published(tmp_path: Path) -> None:
    static = tmp_path / "templates" / "static"
    (static / ".git").mkdir(parents=True)
    for name in ("site.css", "site.css~", ".site.css.swp", ".git/config", "fonts/a.woff2"):
        (static / name).parent.mkdir(parents=True, exist_ok=True)
        (static / name).write_text("x", encoding="utf-8")
    assert [entry.path for entry in plan_static(tmp_path / "templates")] == ["static/fonts/a.woff2", "static/site.css"]


def _urls_in(data: object) -> list[str]:
    """Every value of a ``url`` / ``…_url`` key anywhere in parsed JSON ``data``."""
    if isinstance(data, dict):
        found = [v for k, v in data.items() if (k == "url" or k.endswith("_url")) and isinstance(v, str)]
        return found + [u for v in data.values() for u in _urls_in(v)]
    if isinstance(data, list):
        return [u for v in data for u in _urls_in(v)]
    return []


@pytest.mark.parametrize(
    ("output", "base_url"),
    [("sample_output", "https://mzj.shifan.example.gov.cn/xxgk/"), ("subpath_output", "https://example.gov.cn/sub/")],
    ids=["root", "sub-path"],
)
def test_open_data_urls_are_absolute_and_lead_to_pages_that_exist(
    output: str, base_url: str, request: pytest.FixtureRequest
) -> None:
    """A program reading data/*.json gets URLs it can follow: absolute, under base_url, and each
    to a page the build wrote (a relative one would resolve against data/, where none is)."""
    import json
    from urllib.parse import unquote

    out: Path = request.getfixturevalue(output)
    checked: dict[str, int] = {}
    for name in ("standards.json", "rosters-summary.json"):
        urls = _urls_in(json.loads((out / "data" / name).read_text(encoding="utf-8")))
        checked[name] = len(urls)
        for url in urls:
            assert url.startswith(base_url) and url.isascii(), (name, url)  # non-ASCII percent-encoded
            parts = urlsplit(url)
            assert parts.scheme == "https" and not parts.query and not parts.fragment, (name, url)
            path = unquote(url[len(base_url) :])
            page = (out / path / "index.html") if path.endswith("/") or not path else out / path
            assert page.is_file(), (name, url)
    assert checked["rosters-summary.json"] >= 5 and checked["standards.json"] > 5, checked
