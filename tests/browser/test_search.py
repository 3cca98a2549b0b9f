"""Site search in a real browser: type into search/index.html and read the results, as a resident
would. Chinese words from the middle of a sentence, 文号 and 索引号 find the right policy; roster
text finds nothing; results show title, date, 组配分类 and a snippet; filters; no JavaScript."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import SAMPLE_CONTENT

from .conftest import ServedSite, WatchedPage

DONE = re.compile(r"^(找到|没有找到)")
SAMPLE_BASE = "/xxgk/"  # the sample is served at its base path, the portal's /xxgk/ column (conftest)


def front_matter(relative: str) -> dict[str, Any]:
    text = (SAMPLE_CONTENT / "policies" / relative).read_text(encoding="utf-8")
    return dict(yaml.safe_load(text.split("---\n")[1]))


def wait_for_results(watched: WatchedPage) -> None:
    """Wait until the search that the last action started has shown its results."""
    from playwright.sync_api import expect

    expect(watched.page.locator("[data-search-results]")).to_have_attribute("aria-busy", "false")
    expect(watched.page.locator("[data-search-status]")).to_have_text(DONE)


RESULTS_PER_CLICK = 10  # PAGE_SIZE in search.js


def show_every_result(watched: WatchedPage) -> None:
    """Press 显示更多结果 until every result is listed, each time waiting until its batch is in:
    the status line already reads 找到… before the click, so it cannot tell that the batch came."""
    from playwright.sync_api import expect

    page = watched.page
    status = page.locator("[data-search-status]")
    total = int(re.match(r"^找到 (\d+) 条结果", status.text_content() or "").group(1))  # type: ignore[union-attr]
    more = page.get_by_role("button", name="显示更多结果")
    while more.is_visible():
        shown = min(total, page.locator(".search-result").count() + RESULTS_PER_CLICK)
        more.click()
        expect(page.locator(".search-result")).to_have_count(shown)
        expect(status).to_have_text(
            f"找到 {total} 条结果。" if shown == total else f"找到 {total} 条结果，显示前 {shown} 条。"
        )


def search(watched: WatchedPage, query: str) -> list[dict[str, Any]]:
    """Type ``query`` into the search box as a user does, wait for the answer, read the results."""

    page = watched.page
    if "search/" not in page.url:
        watched.goto("search/")
    box = page.get_by_label("搜索政策文件和页面")
    box.fill("")
    box.press_sequentially(query)
    box.press("Enter")
    wait_for_results(watched)
    return results(watched)


def results(watched: WatchedPage) -> list[dict[str, Any]]:
    items = []
    for item in watched.page.locator(".search-result").all():
        link = item.locator("h3 a")
        meta = item.locator(".search-result-meta")
        exact = item.locator(".search-exact")
        items.append(
            {
                "href": link.get_attribute("href"),
                "title": link.text_content(),
                "meta": meta.text_content() if meta.count() else "",
                "exact": exact.text_content() if exact.count() and exact.is_visible() else "",
                "snippet": item.locator(".search-snippet").text_content(),
                "marks": item.locator(".search-snippet mark").all_text_contents(),
            }
        )
    return items


BINZANG = "2025/binzang-huimin-zhengce.md"
YANGLAO = "2024/yanglao-fuwu-butie-banfa.md"


@pytest.mark.parametrize(
    ("source", "sentence", "word"),
    [
        (BINZANG, "为减轻群众丧葬负担，推进殡葬改革", "丧葬负担"),
        (YANGLAO, "服务券当月有效，不得提取现金，不得转让", "提取现金"),
        # the browser splits 回访 into 回 + 访, the index keeps it whole: found by the looser query
        (YANGLAO, "开展抽查回访，每年回访比例", "抽查回访"),
    ],
)
def test_a_word_from_the_middle_of_a_sentence_finds_its_policy(
    open_page: Callable[..., WatchedPage], source: str, sentence: str, word: str
) -> None:
    text = (SAMPLE_CONTENT / "policies" / source).read_text(encoding="utf-8")
    assert sentence in text and word in sentence and not sentence.startswith(word)
    slug = Path(source).stem
    found = search(open_page(), word)
    assert found and found[0]["href"] == f"{SAMPLE_BASE}policies/{slug}/", found


@pytest.mark.parametrize("source", [BINZANG, YANGLAO])
@pytest.mark.parametrize("key", ["doc_no", "index_no"])
@pytest.mark.parametrize("quoted", [False, True], ids=["plain", "quoted"])
def test_doc_no_and_index_no_find_their_policy(
    open_page: Callable[..., WatchedPage], source: str, key: str, quoted: bool
) -> None:
    value = front_matter(source)[key]
    assert re.search(r"〔\d{4}〕\d+号$" if key == "doc_no" else r"^[0-9A-Z]{18}/\d{4}-\d{5}$", value)
    found = search(open_page(), f'"{value}"' if quoted else value)
    assert found and found[0]["href"] == f"{SAMPLE_BASE}policies/{Path(source).stem}/"
    if quoted:  # exact: that document only
        assert len(found) == 1


LINSHI = "2024/linshi-jiuzhu-shishi-banfa.md"  # 示民发〔2024〕18号, which JINAN quotes
JINAN = "2026/jinan-xianxing-jiuzhu-guicheng.md"
DRAFT = "2026/yanglao-jigou-yunying-butie-banfa.md"  # draft: true
ON_REQUEST = "2025/jiuzhu-zijin-zhuanxiang-jiancha-zhenggai.md"  # disclosure: 依申请公开
LABELS = {"doc_no": "文件编号", "index_no": "索引号"}
METADATA_LABELS = ("文件信息", "索引号", "公开方式", "发布机构", "发文日期", "主题分类")


def body_start(out: Path, slug: str) -> str:
    """The first words of a built policy's body, as the page shows them."""
    from bs4 import BeautifulSoup

    doc = BeautifulSoup((out / "policies" / slug / "index.html").read_text(encoding="utf-8"), "html.parser")
    return doc.select_one(".article-body p").get_text(strip=True)[:15]  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("source", "key", "typed"),
    [
        (LINSHI, "doc_no", "{}"),
        (LINSHI, "doc_no", '"{}"'),
        (BINZANG, "doc_no", "{}"),
        (YANGLAO, "index_no", "{}"),
        (BINZANG, "index_no", '"{}"'),
    ],
    ids=["doc_no", "doc_no-quoted", "doc_no-quoted-by-no-page", "index_no", "index_no-quoted"],
)
def test_a_document_number_shows_its_document_first_marked_as_the_exact_match(
    open_page: Callable[..., WatchedPage], sample_output: Path, source: str, key: str, typed: str
) -> None:
    value = front_matter(source)[key]
    slug = Path(source).stem
    found = search(open_page(), typed.format(value))
    first, rest = found[0], found[1:]
    assert first["href"] == f"{SAMPLE_BASE}policies/{slug}/"
    assert first["exact"] == f"精确匹配：{LABELS[key]} {value}"
    # its snippet is the start of its body, not the metadata table
    assert first["snippet"].startswith(body_start(sample_output, slug)), first["snippet"]
    assert not any(label in first["snippet"] for label in METADATA_LABELS)
    # the rest are only pages that quote the number, none of them marked
    assert all(r["exact"] == "" and value in r["snippet"] for r in rest), rest
    if source == LINSHI and key == "doc_no":
        # a policy that quotes it, and the 临时救助 guide that cites it as its 设定依据
        assert {r["href"] for r in rest} == {
            f"{SAMPLE_BASE}policies/{Path(JINAN).stem}/",
            f"{SAMPLE_BASE}guides/linshi-jiuzhu/",
        }


def test_a_document_number_as_people_type_it_is_the_same_number(open_page: Callable[..., WatchedPage]) -> None:
    value = front_matter(LINSHI)["doc_no"]  # 示民发〔2024〕18号
    typed = value.replace("〔", "[").replace("〕", "]").replace("18号", "１８")  # square brackets, full-width, no 号
    assert typed != value
    found = search(open_page(), typed)
    assert (
        found[0]["href"] == f"{SAMPLE_BASE}policies/{Path(LINSHI).stem}/"
        and found[0]["exact"] == f"精确匹配：文件编号 {value}"
    )


@pytest.mark.parametrize(
    ("source", "key"),
    [(DRAFT, "doc_no"), (ON_REQUEST, "doc_no"), (ON_REQUEST, "index_no"), (None, "doc_no")],
    ids=["draft", "on-request", "on-request-index_no", "no-such-document"],
)
def test_a_number_of_no_published_document_says_so_and_points_to_disclosure_on_request(
    open_page: Callable[..., WatchedPage], sample_output: Path, source: str | None, key: str
) -> None:
    policies = SAMPLE_CONTENT / "policies"
    numbers = [front_matter(p.relative_to(policies).as_posix()).get(key) for p in policies.rglob("*.md")]
    value = front_matter(source)[key] if source else "示民发〔2024〕12号"
    assert (numbers.count(value) == 1) if source else value not in numbers  # in content, whether published or not
    if source:
        assert not (sample_output / "policies" / Path(source).stem).exists()  # not published
    site = yaml.safe_load((SAMPLE_CONTENT / "site.yaml").read_text(encoding="utf-8"))
    watched = open_page()
    assert search(watched, value) == []  # not pages that share its parts (示, 民, 2024 …)
    status = watched.page.locator("[data-search-status]")
    assert status.text_content() == (
        f"没有找到{LABELS[key]}为“{value}”的公开文件；它可能尚未公开或属于依申请公开，可以依申请公开。"
    )
    link = status.get_by_role("link", name="依申请公开")
    assert link.is_visible() and link.get_attribute("href") == site["request_url"]
    assert watched.console_errors == []


def test_snippets_start_with_the_body_not_the_metadata_table(open_page: Callable[..., WatchedPage]) -> None:
    watched = open_page()
    for word in ("殡葬", "临时救助", "养老服务补贴"):  # words of titles: their snippets begin near the top
        found = search(watched, word)
        assert found
        for result in found:
            assert not any(label in result["snippet"] for label in METADATA_LABELS), (word, result)


def test_results_show_title_date_category_and_a_snippet(open_page: Callable[..., WatchedPage]) -> None:
    meta = front_matter(BINZANG)
    watched = open_page()
    found = search(watched, "殡葬")
    first = found[0]
    assert first["title"] == meta["title"]
    assert f"日期：{meta['date']}" in first["meta"] and f"组配分类：{meta['category']}" in first["meta"]
    assert "殡葬" in first["snippet"] and "殡葬" in first["marks"]
    assert "\u200b" not in first["snippet"] + first["title"]
    status = watched.page.locator("[data-search-status]")
    assert status.get_attribute("aria-live") == "polite"
    assert status.text_content() == f"找到 {len(found)} 条结果。"
    assert len(found) < 10 and not watched.page.get_by_role("button", name="显示更多结果").is_visible()
    watched.page.get_by_role("link", name=meta["title"]).click()
    assert watched.page.url.endswith("/policies/binzang-huimin-zhengce/")
    assert watched.console_errors == [] and watched.foreign_requests == []


def test_the_form_is_labelled_and_the_page_is_chinese(open_page: Callable[..., WatchedPage]) -> None:
    watched = open_page()
    watched.goto("search/")
    page = watched.page
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    assert page.get_by_role("search").is_visible()
    assert page.get_by_label("搜索政策文件和页面").get_attribute("type") == "search"
    assert page.get_by_label("组配分类", exact=True).is_visible() and page.get_by_label("年份", exact=True).is_visible()
    assert not page.locator("[data-search-fallback]").is_visible()
    assert watched.console_errors == []


def test_filters_by_category_and_year(open_page: Callable[..., WatchedPage], sample_output: Path) -> None:
    watched = open_page()
    page = watched.page
    found = search(watched, "救助")
    assert len({r["meta"] for r in found}) > 1
    page.get_by_label("组配分类", exact=True).select_option("社会救助")
    wait_for_results(watched)
    assert all("组配分类：社会救助" in r["meta"] for r in results(watched))
    page.get_by_label("年份", exact=True).select_option("2024")
    wait_for_results(watched)
    filtered = results(watched)
    assert filtered and all("组配分类：社会救助" in r["meta"] and "日期：2024-" in r["meta"] for r in filtered)
    assert "category=" in page.url and "year=2024" in page.url
    # the filters alone list that part of the catalog, newest first
    page.get_by_label("搜索政策文件和页面").fill("")
    page.get_by_role("button", name="搜索").click()
    wait_for_results(watched)
    listed = results(watched)
    assert {r["href"] for r in listed} == policies_of(sample_output, "社会救助", "2024")
    dates = [re.search(r"日期：(\S+)", r["meta"]).group(1) for r in listed]  # type: ignore[union-attr]
    assert dates == sorted(dates, reverse=True)


def policies_of(out: Path, category: str, year: str, base: str = SAMPLE_BASE) -> set[str]:
    """URLs of the built policies of ``category`` dated in ``year``, from their metadata tables,
    for the site served at ``base``."""
    from bs4 import BeautifulSoup

    found = set()
    for path in (out / "policies").glob("*/index.html"):
        doc = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        table = {row.th.get_text(strip=True): row.td.get_text(strip=True) for row in doc.select(".meta-table tr")}
        if table["组配分类"] == category and table["发文日期"].startswith(year):
            found.add(f"{base}policies/{path.parent.name}/")
    assert found
    return found


def test_more_results_on_request_and_focus_moves_to_them(open_page: Callable[..., WatchedPage]) -> None:
    watched = open_page()
    found = search(watched, "示范市")
    page = watched.page
    assert len(found) == 10
    assert re.match(r"^找到 \d+ 条结果，显示前 10 条。$", page.locator("[data-search-status]").text_content() or "")
    page.get_by_role("button", name="显示更多结果").click()
    from playwright.sync_api import expect

    expect(page.locator(".search-result")).to_have_count(20)
    assert page.evaluate(
        "document.activeElement.closest('.search-result') === document.querySelectorAll('.search-result')[10]"
    )


def test_a_search_can_be_linked(open_page: Callable[..., WatchedPage]) -> None:

    watched = open_page()
    watched.goto("search/?q=殡葬&category=社会事务")
    wait_for_results(watched)
    assert watched.page.get_by_label("搜索政策文件和页面").input_value() == "殡葬"
    found = results(watched)
    assert found and found[0]["href"] == f"{SAMPLE_BASE}policies/binzang-huimin-zhengce/"


def test_nothing_found_says_so(open_page: Callable[..., WatchedPage]) -> None:
    watched = open_page()
    assert search(watched, '"量子纠缠"') == []
    assert watched.page.locator("[data-search-status]").text_content() == (
        '没有找到与“"量子纠缠"”相关的结果。可以换一个关键词，或到政府信息公开目录中查找。'
    )


def test_roster_names_are_not_findable(open_page: Callable[..., WatchedPage], sample_site: ServedSite) -> None:
    rosters = (
        sorted((sample_site.root / "rosters").rglob("index.html")) if (sample_site.root / "rosters").exists() else []
    )
    if not rosters:
        pytest.skip("the sample site has no roster pages (see test_roster_like_site_hides_roster_text)")
    from bs4 import BeautifulSoup

    names = []
    for path in rosters:
        doc = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        names += [td.get_text(strip=True) for td in doc.select("main td, main th") if "*" in td.get_text()]
    assert names
    watched = open_page()
    for name in sorted(set(names))[:3]:
        assert search(watched, f'"{name}"') == []


def test_roster_like_site_hides_roster_text(
    open_page: Callable[..., WatchedPage],
    served_site: Callable[..., ServedSite],
    content: Callable[..., Path],
    tmp_path: Path,
) -> None:
    from rosterlike import MARKUP_TEXT, ROSTER_ONLY, ROSTER_PATH, SHARED, build_roster_like_site

    site_dir = tmp_path / "site"
    build_roster_like_site(content(), site_dir)
    assert (site_dir / ROSTER_PATH).is_file()
    watched = open_page(served_site(site_dir))
    assert search(watched, ROSTER_ONLY) == []
    assert search(watched, '"王*明"') == []
    found = search(watched, SHARED)
    assert [r["href"] for r in found] == ["/policies/a/"]
    # markup in the indexed text is shown as text, never run
    shown = search(watched, "只是文字")  # the words just after the markup: the snippet holds both
    assert shown and MARKUP_TEXT.split()[0] in shown[0]["snippet"]
    assert watched.page.evaluate("window.__xss") is None
    assert watched.page.locator(".search-result img").count() == 0
    assert watched.console_errors == []


def test_without_javascript_the_page_explains_the_catalog(open_page: Callable[..., WatchedPage]) -> None:
    watched = open_page(javascript=False)
    watched.goto("search/")
    page = watched.page
    assert not page.get_by_role("search").is_visible()
    fallback = page.locator("[data-search-fallback]")
    assert fallback.is_visible() and "政府信息公开目录" in (fallback.text_content() or "")
    page.get_by_role("link", name="政府信息公开目录").first.click()
    assert page.url.endswith("/catalog/")


def test_broken_index_falls_back_to_the_catalog(
    open_page: Callable[..., WatchedPage],
    served_site: Callable[..., ServedSite],
    sample_output: Path,
    tmp_path: Path,
) -> None:
    import shutil

    site_dir = tmp_path / "site"
    shutil.copytree(sample_output, site_dir, ignore=shutil.ignore_patterns("pagefind"))
    watched = open_page(served_site(site_dir))
    watched.goto("search/")
    box = watched.page.get_by_label("搜索政策文件和页面")
    box.fill("殡葬")
    box.press("Enter")
    from playwright.sync_api import expect

    expect(watched.page.locator(".search-error")).to_be_visible()
    assert watched.page.locator("[data-search-fallback]").is_visible()
    assert not watched.page.get_by_role("search").is_visible()


def test_subpath_search_links_stay_under_the_sub_path(
    open_page: Callable[..., WatchedPage],
    served_site: Callable[..., ServedSite],
    subpath_output: Path,
) -> None:
    watched = open_page(served_site(subpath_output, "/sub/"))
    found = search(watched, "殡葬")
    assert found and all(r["href"].startswith("/sub/") for r in found)
    assert found[0]["href"] == "/sub/policies/binzang-huimin-zhengce/"
    watched.page.locator(".search-result h3 a").first.click()
    assert watched.page.url.endswith("/sub/policies/binzang-huimin-zhengce/")
    assert watched.console_errors == [] and watched.foreign_requests == []


def test_results_pass_axe(open_page: Callable[..., WatchedPage]) -> None:
    axe = pytest.importorskip("axe_playwright_python.base", reason="axe-playwright-python is not installed")
    watched = open_page()
    search(watched, "殡葬")
    watched.page.evaluate(axe.AXE_SCRIPT)
    result = watched.page.evaluate(
        "() => axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
    )
    assert [v["id"] for v in result["violations"]] == []


@pytest.fixture(scope="module")
def parted_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample site with its search index in several parts (a few pages a part)."""
    import shutil
    from datetime import date

    from site_builder.pipeline import Options, build
    from site_builder.plan import search as search_module

    root = tmp_path_factory.mktemp("parted")
    shutil.copytree(SAMPLE_CONTENT, root / "content")
    monkey = pytest.MonkeyPatch()
    monkey.setattr(search_module, "SHARD_PAGES", 8)
    monkey.setattr(search_module, "NEWEST_PAGES", 8)
    try:
        build(Options(content_dir=root / "content", out_dir=root / "output", today=date(2026, 11, 29)), lambda _: None)
    finally:
        monkey.undo()
    assert len([p for p in (root / "output").iterdir() if p.name.startswith("pagefind-")]) >= 2
    return root / "output"


def test_an_index_in_parts_finds_and_lists_like_one(
    open_page: Callable[..., WatchedPage], served_site: Callable[..., ServedSite], parted_output: Path
) -> None:
    watched = open_page(served_site(parted_output))
    page = watched.page
    # words from policies in older parts and in the newest one
    assert search(watched, "提取现金")[0]["href"] == "/policies/yanglao-fuwu-butie-banfa/"
    assert search(watched, "丧葬负担")[0]["href"] == "/policies/binzang-huimin-zhengce/"
    # a 文号 and an 索引号 from older parts: their document, marked, however the index is split
    for source, key in ((LINSHI, "doc_no"), (YANGLAO, "index_no")):
        value = front_matter(source)[key]
        found = search(watched, value)
        assert found[0]["href"] == f"/policies/{Path(source).stem}/" and found[0]["exact"].endswith(value)
        assert [r for r in found if r["exact"]] == found[:1]
    assert search(watched, front_matter(ON_REQUEST)["doc_no"]) == []
    # a category without words: every policy of it, from every part, newest first
    page.get_by_label("搜索政策文件和页面").fill("")
    page.get_by_label("组配分类", exact=True).select_option("社会救助")
    wait_for_results(watched)
    show_every_result(watched)
    listed = results(watched)
    assert {r["href"] for r in listed} == policies_of(parted_output, "社会救助", "", base="/")  # of any year
    dates = [re.search(r"日期：(\S+)", r["meta"]).group(1) for r in listed]  # type: ignore[union-attr]
    assert dates == sorted(dates, reverse=True)
    assert watched.console_errors == []


def test_choosing_a_category_replaces_a_search_still_waiting_to_run(open_page: Callable[..., WatchedPage]) -> None:
    """Typing starts a search after a short pause; choosing a category before it ends runs the
    search at once, and the typed one must not run again later and redraw the list. The page's
    timers run on Playwright's clock, moved on by hand: no waiting on real time."""
    from datetime import datetime, timedelta

    from playwright.sync_api import expect

    watched = open_page()
    page = watched.page
    start = datetime(2026, 11, 29, 9, 0)
    page.clock.install(time=start)
    watched.goto("search/")
    page.clock.pause_at(start + timedelta(minutes=1))  # from here on, time moves only by hand
    page.get_by_label("搜索政策文件和页面").fill("低保")  # the input event: a search due in 300 ms
    page.get_by_label("组配分类", exact=True).select_option("社会救助")  # runs now
    wait_for_results(watched)
    expect(page.locator(".search-result").first).to_be_visible()
    page.locator(".search-result").first.evaluate("node => { node.dataset.seen = 'yes'; }")
    page.clock.run_for(5000)  # well past the typed search's pause
    wait_for_results(watched)
    assert page.locator(".search-result").first.get_attribute("data-seen") == "yes"  # not drawn again
    assert watched.console_errors == []
