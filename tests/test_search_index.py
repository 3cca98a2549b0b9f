"""The static search index (Pagefind, extended build): only policies and free pages, with the
metadata the results show; never a roster; byte-identical across runs; clear errors."""

from __future__ import annotations

import re
import shutil
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from conftest import SAMPLE_CONTENT, TODAY, copy_content, run_cli, soup, tree_bytes
from rosterlike import ROSTER_ONLY, SHARED, build_roster_like_site

from site_builder import search
from site_builder.pagefind_format import CborMap, cbor_decode, cbor_encode, pagefind_hash
from site_builder.search import SearchIndexError, index_site, read_index
from site_builder.urls import pagefind_url, site_path


def marked_pages(out: Path) -> set[str]:
    """Site paths of the pages whose <main> carries data-pagefind-body."""
    found = set()
    for path in out.rglob("*.html"):
        main = soup(path).find("main")
        if main is not None and main.has_attr("data-pagefind-body"):
            found.add(path.relative_to(out).as_posix())
    return found


def test_only_policies_free_pages_reports_and_the_bureau_are_marked_searchable(sample_output: Path) -> None:
    marked = marked_pages(sample_output)
    policies = {p.relative_to(sample_output).as_posix() for p in (sample_output / "policies").glob("*/index.html")}
    pages = {f"{p.stem}/index.html" for p in (SAMPLE_CONTENT / "pages").glob("*.md")}
    reports = {f"annual-reports/{p.stem}/index.html" for p in (SAMPLE_CONTENT / "annual-reports").glob("*.yaml")}
    guides = {f"guides/{p.stem}/index.html" for p in (SAMPLE_CONTENT / "guides").glob("*.yaml")}
    assert policies and pages and reports and guides
    assert marked == policies | pages | reports | guides | {
        "organization/index.html"
    }  # 机构信息: its duties, its leaders
    for path in marked:
        assert soup(sample_output / path).find_all(attrs={"data-pagefind-body": True})[0].name == "main"


def test_nothing_under_rosters_standards_catalog_or_search_is_marked(sample_output: Path) -> None:
    for path in marked_pages(sample_output):
        assert not path.startswith(("rosters/", "standards/", "catalog/", "search/", "data/"))
        assert path not in ("index.html", "404.html")


def test_index_holds_exactly_the_marked_pages(sample_output: Path) -> None:
    indexed = {page.url for page in read_index(sample_output)}
    assert indexed == {pagefind_url(site_path(path)) for path in marked_pages(sample_output)}
    assert not any(url.startswith("/rosters/") for url in indexed)


def test_index_holds_doc_no_index_no_and_result_metadata(sample_output: Path) -> None:
    pages = {page.url: page for page in read_index(sample_output)}
    binzang = pages["/policies/binzang-huimin-zhengce/"]
    text = binzang.content.replace("\u200b", "")  # Pagefind marks Chinese word breaks with U+200B
    # the 文号 and 索引号 are exact filters (search.js looks a pasted number up there), not text
    assert "示民规〔2025〕1号" not in text and "11379900005183427E/2025-00017" not in text
    assert "为减轻群众丧葬负担，推进殡葬改革" in text
    assert binzang.meta["title"].startswith("示范市民政局 示范市财政局关于印发《示范市基本殡葬服务惠民政策实施办法》")
    assert binzang.meta["date"] == "2025-04-15"
    assert binzang.meta["category"] == "社会事务"
    assert binzang.filters == {
        "category": ["社会事务"],
        "doc_no": ["示民规〔2025〕1号"],
        "index_no": ["11379900005183427E/2025-00017"],
        "year": ["2025"],
    }
    guide = pages["/guide/"]
    assert guide.meta["title"] == "示范市民政局政府信息公开指南" and "category" not in guide.meta


def test_indexed_text_of_a_policy_is_its_title_and_body_not_its_metadata_table(sample_output: Path) -> None:
    """Snippets come from the indexed text: it must start with the title and go on with the body,
    with none of the metadata table (索引号 …, 公开方式 主动公开, …), which every policy shares."""
    pages = {page.url: page for page in read_index(sample_output)}
    policies = sorted((sample_output / "policies").glob("*/index.html"))
    assert len(policies) > 20
    for path in policies:
        doc = soup(path)
        table = {row.th.get_text(strip=True): row.td.get_text(strip=True) for row in doc.select(".meta-table tr")}
        page = pages[f"/policies/{path.parent.name}/"]
        text = page.content.replace("\u200b", "")
        body = doc.select_one(".article-body").get_text(" ", strip=True)
        assert text.startswith(page.meta["title"]), (path, text[:80])
        # then the body, after a notice of 废止 or 替代 at most (Pagefind ends headings with ". "):
        # compare letters and digits only
        letters = re.compile(r"[\W_]+")
        after_title = letters.sub("", text[len(page.meta["title"]) :])
        assert letters.sub("", body)[:20] in after_title[:120], (path, text[:200])
        for label in ("文件信息", "索引号", "公开方式", "发布机构"):
            assert label not in text, (path, label)
        assert table["索引号"] not in text
        assert page.filters["index_no"] == [table["索引号"]]
        assert page.filters.get("doc_no", []) == ([table["文件编号"]] if table["文件编号"] else [])


def test_roster_like_page_never_reaches_the_index(content: Callable[..., Path], tmp_path: Path) -> None:
    report = build_roster_like_site(content(), tmp_path / "site")
    assert report.pages == 2  # the policy and the free page
    pages = list(read_index(tmp_path / "site"))
    assert sorted(p.url for p in pages) == ["/about/", "/policies/a/"]
    everything = "".join(p.content + str(p.meta) for p in pages).replace("\u200b", "")
    assert SHARED in everything
    assert ROSTER_ONLY not in everything and "王*明" not in everything


def test_only_the_listed_pages_are_read_into_the_index(tmp_path: Path) -> None:
    # Pagefind is given the exact files to read: a wrongly marked page beside a searchable one,
    # or a roster page, is never read, whatever its markup says.
    for name in ("policies/a", "policies/b", "rosters/c"):
        (tmp_path / name).mkdir(parents=True)
        (tmp_path / name / "index.html").write_text(
            '<html lang="zh-CN"><body><main data-pagefind-body><h1>标题</h1><p>最低生活保障</p></main></body></html>',
            encoding="utf-8",
        )
    report = index_site(tmp_path, ["policies/a/index.html"])
    assert report.pages == 1
    assert [page.url for page in read_index(tmp_path)] == ["/policies/a/"]


def test_a_page_in_the_index_that_was_not_asked_for_fails_the_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The index is checked against the list afterwards (should the glob ever let more in)."""
    from site_builder import search

    for name in ("policies/a", "policies/b"):
        (tmp_path / name).mkdir(parents=True)
        (tmp_path / name / "index.html").write_text(
            '<html lang="zh-CN"><body><main data-pagefind-body><h1>标题</h1><p>最低生活保障</p></main></body></html>',
            encoding="utf-8",
        )
    monkeypatch.setattr(search, "file_glob", lambda paths: "policies/*/index.html")
    with pytest.raises(SearchIndexError, match="/policies/b/"):
        index_site(tmp_path, ["policies/a/index.html"])


def test_a_part_of_thousands_of_pages_is_indexed_exactly(tmp_path: Path) -> None:
    """A single year of a big city can hold thousands of policies, all in one part: their list is
    longer than one command-line argument may be (128 KB), and still only they are indexed."""
    page = '<html lang="zh-CN"><body><main data-pagefind-body><h1>第{}号</h1><p>最低生活保障</p></main></body></html>'
    listed = [f"policies/{n:04d}-{'minzheng-gonggong-fuwu-zhengce-wenjian-' * 2}{n}/index.html" for n in range(1600)]
    for path in [*listed, "policies/not-listed/index.html"]:
        (tmp_path / path).parent.mkdir(parents=True)
        (tmp_path / path).write_text(page.format(path[9:13]), encoding="utf-8")
    assert len(search.file_glob(listed).encode()) > 128 * 1024
    report = index_site(tmp_path, listed)  # fails on a page indexed that was not asked for, or one missing
    assert report.pages == len(listed)


def test_unmarked_pages_fail_instead_of_indexing_every_page(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text('<html lang="zh-CN"><body><p>低保</p></body></html>', encoding="utf-8")
    with pytest.raises(SearchIndexError, match="data-pagefind-body"):
        index_site(tmp_path, ["a/index.html"])


def test_no_searchable_page_builds_no_index(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text('<html lang="zh-CN"><body><p>低保</p></body></html>', encoding="utf-8")
    report = index_site(tmp_path, [])
    assert report.pages == 0 and not (tmp_path / "pagefind").exists()
    assert "没有可搜索的页面" in report.summary()


def test_build_logs_the_search_indexing_time_on_its_own_line(sample_output: Path, tmp_path: Path) -> None:
    result = run_cli("build", "--content", str(SAMPLE_CONTENT), "--out", str(tmp_path / "o"), "--today", TODAY)
    assert result.code == 0
    lines = [line for line in result.lines if line.startswith("搜索索引：")]
    assert len(lines) == 1
    assert lines[0].endswith(" 秒）") and f"{len(marked_pages(sample_output))} 个页面" in lines[0]


def test_index_is_byte_identical_across_runs(sample_output: Path, tmp_path: Path) -> None:
    """Pagefind 1.5.2 orders filter values at random; the builder fixes the order."""
    searchable = sorted(marked_pages(sample_output))
    bundles = []
    for run in range(4):
        site = tmp_path / f"run{run}"
        shutil.copytree(sample_output, site, ignore=shutil.ignore_patterns("pagefind", "manifest.json"))
        index_site(site, searchable)
        bundles.append(tree_bytes(site / "pagefind"))
    assert len(bundles[0]) > 10 and any(name.startswith("filter/") for name in bundles[0])
    for other in bundles[1:]:
        assert other.keys() == bundles[0].keys()
        assert [name for name in other if other[name] != bundles[0][name]] == []


def test_missing_pagefind_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    content_dir = copy_content(tmp_path / "content")
    out = tmp_path / "output"
    assert run_cli("build", "--content", str(content_dir), "--out", str(out), "--today", TODAY).code == 0
    before = tree_bytes(out)
    monkeypatch.setitem(sys.modules, "pagefind_bin_extended", None)  # import fails as if not installed
    shutil.rmtree(tmp_path / ".cache")  # a cold cache: the index must be made again
    result = run_cli("build", "--content", str(content_dir), "--out", str(out), "--today", TODAY)
    assert result.code == 1
    assert "找不到 Pagefind 扩展版" in result.err and "Traceback" not in result.err
    assert tree_bytes(out) == before
    # no temporary folder left; the cache keeps the parsed sources for the next build
    assert sorted(p.name for p in tmp_path.iterdir()) == [".cache", "content", "output"]


def test_failing_pagefind_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search, "find_binary", lambda: Path("/bin/false"))
    result = run_cli("build", "--content", str(SAMPLE_CONTENT), "--out", str(tmp_path / "o"), "--today", TODAY)
    assert result.code == 1
    assert "Pagefind 建立搜索索引失败（退出码 1）" in result.err and "Traceback" not in result.err
    assert not (tmp_path / "o").exists()


def test_cbor_codec_round_trips_what_pagefind_writes() -> None:
    values = [
        0,
        23,
        24,
        255,
        256,
        65535,
        65536,
        2**32,
        -1,
        -25,
        "",
        "社会救助",
        b"\x00",
        [],
        [1, [2, "a"]],
        CborMap([("k", 1)]),
        True,
        False,
        None,
    ]
    for value in values:
        assert cbor_decode(cbor_encode(value)) == value
    assert cbor_encode([1, "a"]) == b"\x82\x01\x61a"
    # SHA-1 da39a3ee5e6b4b0d3255bfef95601890afd80709, each byte without its leading zero
    assert pagefind_hash(b"") == "da39a3ee5e6b4bd3255bfef95601890afd879"


def test_only_the_search_api_is_published(sample_output: Path) -> None:
    bundle = sorted(p.name for p in (sample_output / "pagefind").iterdir() if p.is_file())
    assert "pagefind.js" in bundle and "pagefind-worker.js" in bundle and "pagefind-entry.json" in bundle
    assert not [name for name in bundle if "-ui." in name or "highlight" in name]
    search_page = soup(sample_output / "search" / "index.html")
    assert search_page.find("form", attrs={"data-pagefind": "../pagefind/pagefind.js"})
    assert [s["src"] for s in search_page.select("main script")] == ["../static/search.js"]


def test_parts_of_the_index_group_whole_years_from_the_oldest() -> None:
    from site_builder.plan.search import Shard, shard_pages

    pages = [
        (f"policies/{year}-{n}/index.html", year)
        for year, count in ((2016, 3), (2017, 2), (2018, 4), (2019, 1), (2020, 6))
        for n in range(count)
    ]
    pages.append(("guide/index.html", None))
    monkey = pytest.MonkeyPatch()
    monkey.setattr("site_builder.plan.search.SHARD_PAGES", 5)
    monkey.setattr("site_builder.plan.search.NEWEST_PAGES", 5)
    try:
        shards = shard_pages(pages)
        monkey.setattr("site_builder.plan.search.SHARD_PAGES", 10)
        monkey.setattr("site_builder.plan.search.NEWEST_PAGES", 8)
        larger = shard_pages(pages)
    finally:
        monkey.undo()
    assert [s.bundle for s in shards] == ["pagefind", "pagefind-2018-2019", "pagefind-2016-2017"]
    assert shards[0] == Shard("pagefind", tuple(sorted([p for p, y in pages if y in (2020, None)])))
    assert sorted(p for s in shards for p in s.paths) == sorted(p for p, _ in pages)  # each page once
    # a year larger than a part is a part of its own; the newest part holds the undated pages
    assert [len(s.paths) for s in shards] == [7, 5, 5]
    # the newest part takes the newest years that fit (2020 and 2019: 8 pages), the older parts are larger
    assert [(s.bundle, len(s.paths)) for s in larger] == [("pagefind", 8), ("pagefind-2016-2018", 9)]
    assert shard_pages([("guide/index.html", None)]) == [Shard("pagefind", ("guide/index.html",))]
    assert shard_pages([]) == []


def test_an_edit_rebuilds_only_its_part_of_the_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With the index in parts, the search page merges them all, every searchable page is in
    exactly one, an edit rebuilds only the part with its page, and the result equals a clean build."""
    from site_builder.pipeline import Options, build
    from site_builder.plan import search

    monkeypatch.setattr(search, "SHARD_PAGES", 8)
    monkeypatch.setattr(search, "NEWEST_PAGES", 8)
    content = tmp_path / "site" / "content"
    shutil.copytree(SAMPLE_CONTENT, content)
    out = tmp_path / "site" / "output"

    def run(target: Path) -> list[str]:
        log: list[str] = []
        build(Options(content_dir=content, out_dir=target, today=date.fromisoformat(TODAY), jobs=2), log.append)
        return log

    run(out)
    bundles = sorted(p.name for p in out.iterdir() if p.name.startswith("pagefind"))
    assert len(bundles) > 2 and bundles[0] == "pagefind"
    form = soup(out / "search" / "index.html").find("form", attrs={"data-pagefind": "../pagefind/pagefind.js"})
    assert form is not None and sorted(form["data-pagefind-merge"].split()) == [f"../{b}/" for b in bundles[1:]]
    urls = [page.url for page in read_index(out)]
    assert sorted(urls) == sorted(pagefind_url(site_path(p)) for p in marked_pages(out)) and len(urls) == len(set(urls))

    older = next(b for b in bundles if "2024" in b)
    inodes = {p: p.stat().st_ino for b in bundles if b != older for p in (out / b).rglob("*") if p.is_file()}
    policy = content / "policies" / "2024" / "yanglao-fuwu-butie-banfa.md"  # no other page shows its text
    policy.write_text(policy.read_text(encoding="utf-8") + "\n本办法由市民政局负责解释。\n", encoding="utf-8")
    log = run(out)
    assert any(line.startswith("搜索索引：") and f"共 {len(bundles)} 个部分，重建了 1 个" in line for line in log), log
    assert all(p.stat().st_ino == ino for p, ino in inodes.items()), "other parts should be taken over"
    assert any("负责解释" in page.content.replace("\u200b", "") for page in read_index(out))

    shutil.rmtree(content.parent / ".cache")
    run(tmp_path / "clean")
    incremental, clean = tree_bytes(out), tree_bytes(tmp_path / "clean")
    assert incremental.keys() == clean.keys()
    assert [p for p in clean if incremental[p] != clean[p]] == []
