"""Column mode (国办公开办函〔2019〕61号) and the footer (国办发〔2017〕47号), on the rendered DOM of
the sample, which is the 政府信息公开 column of the bureau's portal; and the stand-alone site that
a site.yaml without ``portal:`` still builds."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup, Tag
from conftest import SITE_YAML, TODAY, policy_md, run_cli, soup
from test_sample_site import published_policies

BASE = "https://mzj.shifan.example.gov.cn/xxgk/"
PAGES = ["index.html", "policies/dibao-shenhe-queren-banfa/index.html", "catalog/index.html", "404.html"]


def footer_link(page: BeautifulSoup, href_start: str) -> Tag:
    links = [a for a in page.find("footer").find_all("a") if a["href"].startswith(href_start)]
    assert len(links) == 1, (href_start, links)
    return links[0]


@pytest.mark.parametrize("path", PAGES)
def test_every_footer_element_is_on_the_page(sample_output: Path, path: str) -> None:
    page = soup(sample_output / path)
    footer = page.find("footer")
    text = footer.get_text(" ", strip=True)
    assert "主办单位：示范市民政局" in text
    assert "地址：示范市中心区民生路88号市民服务中心B座" in text and "联系电话：0599-86612300" in text
    assert "网站标识码：3799000012" in text
    icp = footer_link(page, "https://beian.miit.gov.cn/")
    assert icp["href"] == "https://beian.miit.gov.cn/" and icp.get_text(strip=True) == "鲁ICP备20260001号-1"
    police = footer_link(page, "https://beian.mps.gov.cn/")
    assert police["href"] == "https://beian.mps.gov.cn/#/query/webSearch?code=37990002000123"
    assert police.get_text(strip=True) == "鲁公网安备37990002000123号"
    badge = police.find("img")
    assert badge["alt"] == ""  # the number says it; the badge is decoration
    conac = footer_link(page, "https://bszs.conac.cn/")
    assert conac["href"] == "https://bszs.conac.cn/sitename?method=show&id=3F2A9C51D7E84B06A1C5E9D20B7F4A68"
    mark = conac.find("img")
    assert mark["alt"].startswith("党政机关网站标识")
    for image in (badge, mark):  # self-hosted, not fetched from the record sites
        src = image["src"]
        assert "//" not in src
        if path != "404.html":  # 404.html links from the site root, wherever it is served
            assert (sample_output / path).parent.joinpath(src).resolve().is_file(), src
    report = footer_link(page, "https://zfwzgl.www.gov.cn/exposure/jiucuo.html")
    assert report.get_text(strip=True) == "我为政府网站找错"
    query = parse_qs(urlsplit(report["href"]).query)
    own = urljoin(BASE, path.removesuffix("index.html"))
    assert query == {"site_code": ["3799000012"], "url": [own]}
    statement = footer.find("a", string="无障碍声明")
    assert statement is not None and "//" not in statement["href"]
    assert not page.select("script[src*='//']")  # no script from another host: the CSP stays


EXPECTED_COLUMN_TYPES = {
    "index.html": "政府信息公开",
    "guide/index.html": "信息公开指南",
    "system/index.html": "信息公开制度",
    "catalog/index.html": "信息公开目录",
    "catalog/2025/index.html": "信息公开目录",
    "policies/dibao-shenhe-queren-banfa/index.html": "信息公开目录",
    "annual-reports/index.html": "信息公开年报",
    "annual-reports/2025/index.html": "信息公开年报",
    "standards/index.html": "法定主动公开内容",
    "rosters/index.html": "法定主动公开内容",
    "search/index.html": "站内搜索",
    "accessibility/index.html": "网站信息",
    "about/index.html": "网站信息",
}


def test_column_type_follows_the_kind_of_page(sample_output: Path) -> None:
    found = {}
    for path in EXPECTED_COLUMN_TYPES:
        meta = soup(sample_output / path).find("meta", attrs={"name": "ColumnType"})
        found[path] = meta["content"] if meta else None
    assert found == EXPECTED_COLUMN_TYPES


def test_the_catalog_shows_each_entrys_summary(sample_output: Path) -> None:
    page = soup(sample_output / "catalog" / "index.html")
    table = page.find("table", class_="catalog-table")
    headers = [th.get_text(strip=True) for th in table.select("thead th")]
    assert headers == ["序号", "标题", "内容概述", "索引号", "文件编号", "组配分类", "发文日期"]
    summaries = {meta["title"]: meta["summary"] for meta in published_policies().values()}
    rows = table.select("tbody tr")
    assert rows
    for row in rows:
        title = row.th.a.get_text(strip=True)
        cell = row.find("td", attrs={"data-label": "内容概述"})
        assert cell.get_text(strip=True) == summaries[title]


def test_the_header_is_the_portals_and_the_trail_starts_at_its_home(sample_output: Path) -> None:
    page = soup(sample_output / "standards" / "index.html")
    header = page.find("header")
    assert header.select_one(".portal-name a")["href"] == "https://mzj.shifan.example.gov.cn/"
    labels = [nav["aria-label"] for nav in header.find_all("nav")]
    assert labels == ["示范市民政局网站导航", "政府信息公开栏目导航"]  # two navigations, each named
    crumbs = page.select("nav.breadcrumbs li")
    assert [li.get_text(strip=True) for li in crumbs] == ["首页", "政府信息公开", "救助保障标准"]
    assert crumbs[0].a["href"] == "https://mzj.shifan.example.gov.cn/" and crumbs[1].a["href"] == "../"
    assert len(page.find_all("h1")) == 1


def test_without_a_portal_the_site_stands_alone(tmp_path: Path) -> None:
    content = tmp_path / "content"
    (content / "policies").mkdir(parents=True)
    (content / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
    (content / "policies" / "a.md").write_text(policy_md(), encoding="utf-8")
    out = tmp_path / "output"
    assert run_cli("build", "--content", str(content), "--out", str(out), "--today", TODAY).code == 0
    page = soup(out / "catalog" / "index.html")
    assert page.select(".portal-nav, .portal-name") == []
    nav = page.find("nav", class_="main-nav")
    assert nav["aria-label"] == "主导航"
    assert [a.get_text(strip=True) for a in nav.find_all("a")] == [
        "首页",
        "政府信息公开指南",
        "政府信息公开制度",
        "法定主动公开内容",
        "政府信息公开年报",
        "依申请公开",
        "搜索",
    ]
    crumbs = page.select("nav.breadcrumbs li")
    assert [li.get_text(strip=True) for li in crumbs] == ["首页", "政府信息公开目录"]
    footer = page.find("footer")  # what site.yaml does not give is left out, not shown empty
    assert footer.find("a", href="https://beian.miit.gov.cn/") is None
    assert footer.find("a", string="我为政府网站找错") is not None
