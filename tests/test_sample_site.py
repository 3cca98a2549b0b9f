"""The shipped sample site, built with --today 2026-11-29: what residents see on each page."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from conftest import SAMPLE_CONTENT, soup

LABELS = ["索引号", "公开方式", "发布机构", "组配分类", "文件编号", "发文日期", "有效性", "主题分类"]


def front_matter(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    return yaml.safe_load(text.split("---\n")[1])


def published_policies() -> dict[str, dict]:
    found = {}
    for path in sorted((SAMPLE_CONTENT / "policies").rglob("*.md")):
        meta = front_matter(path)
        if meta.get("draft") or meta.get("disclosure", "主动公开") != "主动公开":
            continue
        found[meta.get("slug", path.stem)] = meta
    return found


def metadata_table(page) -> dict[str, str]:  # type: ignore[no-untyped-def]
    table = page.find("table", class_="meta-table")
    return {row.th.get_text(strip=True): row.td.get_text(strip=True) for row in table.find_all("tr")}


def test_sample_has_what_the_issue_asks() -> None:
    policies = published_policies()
    assert len(policies) >= 15
    assert len({p["category"] for p in policies.values()}) >= 5
    assert len({str(p["date"])[:4] for p in policies.values()}) >= 2
    assert any(p.get("status") == "废止" and p.get("superseded_by") in policies for p in policies.values())
    assert any(p.get("attachments") for p in policies.values())
    assert (SAMPLE_CONTENT / "pages" / "guide.md").exists()
    assert (SAMPLE_CONTENT / "pages" / "accessibility.md").exists()


def test_policy_page_metadata_table(sample_output: Path) -> None:
    page = soup(sample_output / "policies" / "dibao-shenhe-queren-banfa" / "index.html")
    table = metadata_table(page)
    assert list(table) == LABELS
    assert table["索引号"] == "11379900005183427E/2024-00007"
    assert table["公开方式"] == "主动公开"
    assert table["发布机构"] == "示范市民政局"
    assert table["组配分类"] == "规范性文件"
    assert table["发文日期"] == "2024-03-18"
    assert table["有效性"] == "有效"
    assert page.find("table", class_="meta-table").caption.get_text(strip=True) == "文件信息"
    assert all(th["scope"] == "row" for th in page.find("table", class_="meta-table").find_all("th"))
    h1s = page.find_all("h1")
    assert len(h1s) == 1 and "最低生活保障审核确认办法" in h1s[0].get_text()


def test_every_published_policy_page_matches_its_front_matter(sample_output: Path) -> None:
    for slug, meta in published_policies().items():
        page = soup(sample_output / "policies" / slug / "index.html")
        table = metadata_table(page)
        assert table["索引号"] == meta["index_no"], slug
        assert table["文件编号"] == meta.get("doc_no", ""), slug
        assert table["发文日期"] == str(meta["date"]), slug
        assert table["主题分类"] == "、".join(meta.get("topics", [])), slug
        assert page.find("meta", attrs={"name": "ArticleTitle"})["content"] == meta["title"]
        pub = str(meta.get("published", meta["date"]))
        assert page.find("meta", attrs={"name": "PubDate"})["content"] == f"{pub} 00:00"


def test_withheld_policies_are_not_built(sample_output: Path) -> None:
    assert not (sample_output / "policies" / "yanglao-jigou-yunying-butie-banfa").exists()  # draft
    assert not (sample_output / "policies" / "jiuzhu-zijin-zhuanxiang-jiancha-zhenggai").exists()  # 依申请公开


def test_repealed_policy_links_to_its_replacement(sample_output: Path) -> None:
    page = soup(sample_output / "policies" / "dibao-shenhe-queren-banfa-2023" / "index.html")
    assert metadata_table(page)["有效性"] == "废止"
    note = page.find("p", class_="notice-void")
    link = note.find("a")
    assert link["href"] == "../dibao-shenhe-queren-banfa/"
    newer = soup(sample_output / "policies" / "dibao-shenhe-queren-banfa" / "index.html")
    assert any(a["href"] == "../dibao-shenhe-queren-banfa-2023/" for a in newer.select("p.notice a"))


def test_attachments_listed_with_size_and_type_and_copied(sample_output: Path) -> None:
    page = soup(sample_output / "policies" / "dibao-shenhe-queren-banfa" / "index.html")
    item = page.select_one("section.attachments li")
    link = item.a
    assert link["href"] == "../../files/2024/dibao-shenqing-biao.xlsx"
    source = SAMPLE_CONTENT / "files" / "2024" / "dibao-shenqing-biao.xlsx"
    copied = sample_output / "files" / "2024" / "dibao-shenqing-biao.xlsx"
    assert copied.read_bytes() == source.read_bytes()
    assert "Excel" in item.get_text() and "KB" in item.get_text()


def test_breadcrumbs(sample_output: Path) -> None:
    page = soup(sample_output / "policies" / "dibao-shenhe-queren-banfa" / "index.html")
    crumbs = page.find("nav", class_="breadcrumbs").find_all("li")
    # column mode: the trail starts at the portal's home, then the column's
    assert [li.get_text(strip=True) for li in crumbs[:4]] == ["首页", "政府信息公开", "政府信息公开目录", "规范性文件"]
    assert [li.a["href"] for li in crumbs[:4]] == [
        "https://mzj.shifan.example.gov.cn/",
        "../../",
        "../../catalog/",
        "../../catalog/%E8%A7%84%E8%8C%83%E6%80%A7%E6%96%87%E4%BB%B6/",
    ]
    assert crumbs[-1].get("aria-current") == "page" and crumbs[-1].a is None


def test_catalog_counts_and_pagination(sample_output: Path) -> None:
    policies = published_policies()
    total = len(policies)
    first = soup(sample_output / "catalog" / "index.html")
    assert first.find("p", class_="result-count").get_text(strip=True).startswith(f"共 {total} 件")
    rows = first.select("table.catalog-table tbody tr")
    assert len(rows) == min(total, 20)
    pages = -(-total // 20)
    assert pages >= 2, "the sample should be large enough to paginate"
    nav = first.find("nav", class_="pagination")
    assert [a.get_text(strip=True) for a in nav.select("li a")][-1] == "下一页"
    last = soup(sample_output / "catalog" / f"page-{pages}" / "index.html")
    assert len(last.select("table.catalog-table tbody tr")) == total - 20 * (pages - 1)
    numbers = [int(r.td.get_text()) for r in last.select("table.catalog-table tbody tr")]
    assert numbers[0] == 20 * (pages - 1) + 1
    # newest first
    dates = [r.find("time")["datetime"] for r in rows]
    assert dates == sorted(dates, reverse=True)


def test_catalog_by_category_and_year(sample_output: Path) -> None:
    policies = published_policies()
    by_category: dict[str, int] = {}
    by_year: dict[str, int] = {}
    for meta in policies.values():
        by_category[meta["category"]] = by_category.get(meta["category"], 0) + 1
        by_year[str(meta["date"])[:4]] = by_year.get(str(meta["date"])[:4], 0) + 1
    for category, count in by_category.items():
        page = soup(sample_output / "catalog" / category / "index.html")
        assert len(page.select("table.catalog-table tbody tr")) == min(count, 20)
        assert page.find("h1").get_text(strip=True) == category
        rows = page.select("table.catalog-table tbody tr")
        cells = {row.find("td", attrs={"data-label": "组配分类"}).get_text(strip=True) for row in rows}
        assert cells == {category}
        assert page.find("meta", attrs={"name": "ColumnName"})["content"] == category
    for year, count in by_year.items():
        page = soup(sample_output / "catalog" / year / "index.html")
        years = {r.find("time")["datetime"][:4] for r in page.select("table.catalog-table tbody tr")}
        assert years == {year}
        assert len(page.select("table.catalog-table tbody tr")) == min(count, 20)


@pytest.mark.slow
def test_every_page_has_site_meta_one_h1_and_a_skip_link(sample_output: Path) -> None:
    pages = sorted(sample_output.rglob("*.html"))
    assert len(pages) > 40
    for path in pages:
        page = soup(path)
        assert page.html["lang"] == "zh-CN", path
        for name in ("SiteName", "SiteDomain", "SiteIDCode"):
            assert page.find("meta", attrs={"name": name})["content"], (path, name)
        assert page.find("meta", attrs={"name": "SiteIDCode"})["content"] == "3799000012"
        assert page.find("meta", attrs={"name": "SiteDomain"})["content"] == "mzj.shifan.example.gov.cn"
        assert len(page.find_all("h1")) == 1, path
        skip = page.body.find("a")
        assert skip["href"] == "#main-content", path
        assert page.find("main", id="main-content") is not None
        for table in page.find_all("table"):
            assert table.find("caption") is not None, path
            assert all(th.get("scope") in ("col", "row", "colgroup", "rowgroup") for th in table.find_all("th")), path


def test_list_pages_carry_column_meta(sample_output: Path) -> None:
    page = soup(sample_output / "catalog" / "index.html")
    for name in ("ColumnName", "ColumnDescription", "ColumnKeywords", "ColumnType"):
        assert page.find("meta", attrs={"name": name})["content"]
    assert page.find("meta", attrs={"name": "ColumnName"})["content"] == "政府信息公开目录"


def test_home_page(sample_output: Path) -> None:
    page = soup(sample_output / "index.html")
    assert page.find("h1").get_text(strip=True) == "示范市民政局政府信息公开"
    # column mode (国办公开办函〔2019〕61号): the portal's navigation, then the column's own: the four
    # first-level entries, 依申请公开 and search (the column's home is the title and the trail)
    portal = page.find("nav", class_="portal-nav")
    assert [a.get_text(strip=True) for a in portal.find_all("a")] == [
        "首页",
        "机构概况",
        "民政要闻",
        "政府信息公开",
        "办事服务",
        "互动交流",
    ]
    assert portal.find("a", attrs={"aria-current": "true"})["href"] == "https://mzj.shifan.example.gov.cn/xxgk/"
    nav = [a.get_text(strip=True) for a in page.find("nav", class_="main-nav").find_all("a")]
    assert nav == ["政府信息公开指南", "政府信息公开制度", "法定主动公开内容", "政府信息公开年报", "依申请公开", "搜索"]
    request = page.find("nav", class_="main-nav").find("a", string="依申请公开")
    assert request["href"] == "https://www.shifan.example.gov.cn/ysqgk/"
    latest = page.select("table.catalog-table tbody tr")
    assert 1 <= len(latest) <= 8
    footer = page.find("footer").get_text()
    assert "网站标识码：3799000012" in footer and "0599-86612300" in footer


def test_free_pages_and_annual_reports(sample_output: Path) -> None:
    guide = soup(sample_output / "guide" / "index.html")
    assert guide.find("h1").get_text(strip=True) == "示范市民政局政府信息公开指南"
    assert any(a["href"] == "../catalog/" for a in guide.select("main a"))  # written as /catalog/ in the source
    reports = soup(sample_output / "annual-reports" / "index.html")
    links = [a["href"] for a in reports.select("main ul.report-list a")]
    assert links == ["2025/", "2024/"]  # the reports in the national format, newest first
    assert (sample_output / "accessibility" / "index.html").exists()


def test_404_uses_absolute_links(sample_output: Path) -> None:
    page = soup(sample_output / "404.html")
    assert page.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    assert all(a["href"].startswith(("/", "http", "#")) for a in page.find_all("a", href=True))
