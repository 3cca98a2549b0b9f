"""Each component of templates/components/ rendered alone, with example parameters, as GOV.UK
Frontend tests its components: what each one promises (its doc comment) holds without the page
around it. The tables take plain rows (render/rows.py), written out here by hand, and the rows
that the sample's own policies, rosters and standards make.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any
from urllib.parse import unquote

import pytest
from bs4 import BeautifulSoup, Tag
from conftest import SAMPLE_CONTENT

from site_builder.config import Contact, Portal
from site_builder.options import TEMPLATE_DIR, Options
from site_builder.pipeline import load_site
from site_builder.plan import Pagination
from site_builder.plan.standards import home_standards
from site_builder.render.charts import step_chart
from site_builder.render.env import make_environment
from site_builder.render.rows import policy_row, roster_row, standard_row
from site_builder.site import Site
from site_builder.standards import Change

TODAY = date(2026, 11, 29)
PAGE = "catalog/index.html"  # the page the component is shown on: links are relative to it


@cache
def sample() -> Site:
    site, _ = load_site(
        Options(content_dir=SAMPLE_CONTENT, out_dir=SAMPLE_CONTENT.parent / "output", today=TODAY), print
    )
    return site


def render(component: str, macro: str, *args: Any, caller: str | None = None, **kwargs: Any) -> BeautifulSoup:
    """``macro`` of ``components/<component>.html`` called with ``args``, on the page ``PAGE``."""
    env = make_environment(TEMPLATE_DIR)
    call = (
        f"{{% call {macro}(*args, **kwargs) %}}{caller}{{% endcall %}}"
        if caller is not None
        else f"{{{{ {macro}(*args, **kwargs) }}}}"
    )
    source = f'{{% from "components/{component}.html" import {macro} with context %}}{call}'
    html = env.from_string(source).render(args=args, kwargs=kwargs, page_path=PAGE, site=sample().config, today=TODAY)
    return BeautifulSoup(html, "html.parser")


def only(soup: BeautifulSoup | Tag, selector: str) -> Tag:
    found = soup.select(selector)
    assert len(found) == 1, (selector, found)
    return found[0]


def test_data_table_is_a_named_keyboard_region_with_a_caption() -> None:
    soup = render("table", "data_table", "各区县标准", "data-table", caller="<tbody><tr><td>1</td></tr></tbody>")
    region = only(soup, "div.table-wrap")
    assert (region["role"], region["tabindex"], region["aria-label"]) == ("region", "0", "各区县标准")
    assert only(region, "table")["class"] == ["data-table"]
    assert only(region, "caption").get_text() == "各区县标准"  # the label, when no caption is given
    assert only(region, "td").get_text() == "1"  # the call block's rows
    plain = render("table", "data_table", "表", "t", "<b>说明</b>", caller="")
    assert only(plain, "caption").get_text() == "<b>说明</b>"  # text is escaped: shown, not markup


def test_breadcrumbs_link_every_step_but_the_current_page() -> None:
    soup = render("breadcrumbs", "breadcrumbs", [("首页", ""), ("政府信息公开目录", "catalog/"), ("社会救助", None)])
    nav = only(soup, "nav.breadcrumbs")
    assert nav["aria-label"] == "当前位置"
    items = nav.select("ol > li")
    assert [li.get_text(strip=True) for li in items] == ["首页", "政府信息公开目录", "社会救助"]
    assert [a["href"] for a in nav.select("a")] == ["../", "./"]  # relative to catalog/index.html
    assert items[-1]["aria-current"] == "page" and items[-1].a is None


def test_breadcrumbs_in_a_portal_start_at_its_home_and_name_the_column() -> None:
    portal = Portal("某市民政局", "https://mzj.example.gov.cn/")
    soup = render("breadcrumbs", "breadcrumbs", [("首页", ""), ("社会救助", None)], portal)
    items = only(soup, "nav.breadcrumbs").select("ol > li")
    assert [li.get_text(strip=True) for li in items] == ["首页", "政府信息公开", "社会救助"]
    assert [a["href"] for a in soup.select("a")] == ["https://mzj.example.gov.cn/", "../"]
    alone = render("breadcrumbs", "breadcrumbs", [("首页", ""), ("社会救助", None)], Portal())
    assert [li.get_text(strip=True) for li in alone.select("li")] == ["首页", "社会救助"]


def test_site_footer_shows_what_site_yaml_gives_and_leaves_out_the_rest() -> None:
    config = sample().config
    address = "https://mzj.shifan.example.gov.cn/xxgk/catalog/%E7%A4%BE%E4%BC%9A%E6%95%91%E5%8A%A9/"
    full = render("site_footer", "site_footer", config, address)
    report = only(full, "a[href^='https://zfwzgl.www.gov.cn/']")["href"]
    assert report == (  # the page's address encoded once more, as a query value
        "https://zfwzgl.www.gov.cn/exposure/jiucuo.html?site_code=3799000012&url=https%3A%2F%2Fmzj.shifan.example.gov.cn"
        "%2Fxxgk%2Fcatalog%2F%25E7%25A4%25BE%25E4%25BC%259A%25E6%2595%2591%25E5%258A%25A9%2F"
    )
    assert only(full, "a[href='https://beian.miit.gov.cn/']").get_text() == config.icp
    assert only(full, "a.police-record img")["src"] == "../static/badges/police.svg"
    assert only(full, "a[href^='https://bszs.conac.cn/'] img")["src"] == "../static/badges/conac.svg"
    bare = replace(config, icp="", police_record="", conac_id="", contact=Contact(), portal=Portal())
    plain = render("site_footer", "site_footer", bare, address)
    hrefs = [a["href"] for a in plain.select("a")]
    assert not [h for h in hrefs if "beian" in h or "conac" in h]
    assert "主办单位：示范市民政局" in plain.get_text() and "地址" not in plain.get_text()
    assert only(plain, "a[href^='https://zfwzgl.www.gov.cn/']").get_text() == "我为政府网站找错"


def test_pagination_shows_nothing_for_one_page_and_marks_the_current_one() -> None:
    assert render("pagination", "pagination", Pagination(1, 1, "catalog/")).get_text(strip=True) == ""
    soup = render("pagination", "pagination", Pagination(2, 3, "catalog/"), "目录分页")
    nav = only(soup, "nav.pagination")
    assert nav["aria-label"] == "目录分页"
    assert only(nav, ".pagination-status").get_text() == "第 2 页，共 3 页"
    assert only(nav, "a[rel=prev]")["href"] == "./" and only(nav, "a[rel=next]")["href"] == "page-3/"
    assert only(nav, "a[aria-current=page]").get_text() == "第 2 页"


def _table_promises(soup: BeautifulSoup, caption: str, rows: int) -> list[Tag]:
    """The promises every stacked table makes: caption, header scopes and roles, a data-label on
    every body cell (its column's header). The body rows."""
    table = only(soup, "table")
    assert "stack-table" in table["class"]
    assert only(table, "caption").get_text() == caption
    headers = table.select("thead th")
    assert headers and all(th["scope"] == "col" and th["role"] == "columnheader" for th in headers)
    body = table.select("tbody > tr")
    assert len(body) == rows
    names = [th.get_text(strip=True) for th in headers]
    for row in body:
        cells = row.find_all(["th", "td"], recursive=False)
        assert [cell["data-label"] for cell in cells] == names
        assert [cell["scope"] for cell in cells if cell.name == "th"] == ["row"]
    return body


POLICY_ROW = {
    "title": "测试市民政局关于调整最低生活保障标准的通知",
    "url": "policies/dibao-biaozhun/",
    "status": "有效",
    "index_no": "11379900005183427E/2024-00012",
    "doc_no": "测民发〔2024〕12号",
    "category": "社会救助",
    "date": "2024-03-18",
}


def test_policy_table_lists_each_row_with_its_catalog_facts() -> None:
    repealed = POLICY_ROW | {"title": "旧办法", "url": "policies/jiu/", "status": "已废止", "index_no": "无"}
    soup = render("policy_table", "policy_table", [POLICY_ROW, repealed], "最新文件", 10)
    first, second = _table_promises(soup, "最新文件", 2)
    assert [td.get_text() for td in (first.td, second.td)] == ["11", "12"]  # numbered from first_index
    assert only(first, "th a")["href"] == "../policies/dibao-biaozhun/" and first.select(".status") == []
    assert only(second, ".status").get_text() == "（已废止）"
    assert [span.get_text() for span in first.select(".index-no .nowrap")] == ["11379900005183427E/", "2024-00012"]
    assert first.select_one(".index-no wbr") is not None and second.select_one(".index-no wbr") is None
    assert only(first, "time")["datetime"] == "2024-03-18" and only(first, ".doc-no").get_text() == "测民发〔2024〕12号"


def test_the_sample_policies_make_rows_the_table_takes() -> None:
    policies = sample().policies[:3]
    soup = render("policy_table", "policy_table", [policy_row(p) for p in policies], "最新文件")
    rows = _table_promises(soup, "最新文件", 3)
    assert [only(row, "th a")["href"] for row in rows] == [f"../{p.url}" for p in policies]
    assert [only(row, "time")["datetime"] for row in rows] == [p.date.isoformat() for p in policies]


def test_roster_list_links_each_notice_and_gives_its_period() -> None:
    standing = {
        "title": "甲区2026年11月城市低保长期公示名单",
        "url": "rosters/2026-11-甲区-城市低保/",
        "district": "甲区",
        "program": "城市低保",
        "stage": "长期公示",
        "start": "2026-11-06",
        "end": None,
        "households": 1234,
        "persons": 2345,
    }
    preliminary = standing | {"stage": "初审公示", "url": "rosters/r/", "end": "2026-12-01"}
    soup = render("roster_list", "roster_list", [standing, preliminary], "正在公示的名单")
    first, second = _table_promises(soup, "正在公示的名单", 2)
    assert unquote(str(only(first, "th a")["href"])) == "../rosters/2026-11-甲区-城市低保/"
    assert first.find(attrs={"data-label": "公示期"}).get_text() == "2026-11-06 起，至下一期名单公布"
    assert second.find(attrs={"data-label": "公示期"}).get_text() == "2026-11-06 至 2026-12-01"
    assert first.find(attrs={"data-label": "户数"}).get_text() == "1,234"
    rosters = sample().rosters
    assert rosters
    rows = _table_promises(
        render("roster_list", "roster_list", [roster_row(r) for r in rosters], "名单"), "名单", len(rosters)
    )
    assert [unquote(str(only(row, "th a")["href"])) for row in rows] == [f"../{r.url}" for r in rosters]


def test_standards_glance_shows_one_amount_or_the_range_where_districts_differ() -> None:
    row = {
        "name": "城市低保标准",
        "url": "standards/dibao-city/",
        "low": 1120,
        "high": 1120,
        "unit": "元/人·月",
        "effective": "2026-07-01",
    }
    soup = render("standards_glance", "standards_glance", [row, row | {"low": 1000, "high": 1120}], "主要救助保障标准")
    first, second = _table_promises(soup, "主要救助保障标准", 2)
    assert first.find(attrs={"data-label": "现行标准"}).get_text() == "1120"
    assert second.find(attrs={"data-label": "现行标准"}).get_text() == "1000～1120（各区县不同）"
    assert only(first, "time")["datetime"] == "2026-07-01"
    views = home_standards(sample())
    assert views
    rows = _table_promises(
        render("standards_glance", "standards_glance", [standard_row(v) for v in views], "标准"), "标准", len(views)
    )
    assert [only(r, "th a")["href"] for r in rows] == [f"../{v.standard.url}" for v in views]


@pytest.mark.parametrize(
    ("change", "text", "heard"),
    [
        (None, "—无此前记录", "无此前记录"),
        (Change(Decimal(1000), Decimal(0), Decimal(0)), "未调整", ""),
        (Change(Decimal(1055), Decimal(65), Decimal("6.2")), "较上次调整+65（+6.2%）", "较上次调整"),
        (Change(Decimal(900), Decimal(-20), Decimal("-2.2")), "较上次调整−20（−2.2%）", "较上次调整"),
    ],
)
def test_change_always_shows_the_sign_and_says_what_it_is(change: Change | None, text: str, heard: str) -> None:
    soup = render("change", "change", change)
    span = only(soup, "span.change")
    assert span.get_text() == text
    assert "".join(s.get_text() for s in span.select(".visually-hidden")) == heard


def test_step_chart_is_an_image_named_by_its_title_and_description() -> None:
    series = [("城市", [(date(2024, 1, 1), Decimal(1000)), (date(2025, 7, 1), Decimal(1055))])]
    chart = step_chart(series, TODAY)
    soup = render(
        "chart",
        "step_chart",
        chart,
        "城市低保标准变化图",
        "2024年1000元，2025年7月起1055元",
        "c",
        "元/人·月",
        "现行标准：1055",
    )
    svg = only(soup, "svg")
    assert svg["role"] == "img" and svg["aria-labelledby"] == "c-title c-desc"
    assert only(svg, "title#c-title").get_text() == "城市低保标准变化图"
    assert only(svg, "desc#c-desc").get_text() == "2024年1000元，2025年7月起1055元"
    assert only(svg, ".chart-current").get_text() == "现行标准：1055"
    assert svg.select(".chart-value-current")  # the value in force is marked


def test_related_guides_links_each_guide_and_is_nothing_without_one() -> None:
    soup = render("related_guides", "related_guides", [{"title": "最低生活保障审核确认", "url": "guides/dibao/"}])
    section = only(soup, "section.related-guides")
    heading = only(section, "h2")
    assert (heading.get_text(), section["aria-labelledby"]) == ("相关办事指南", heading["id"])
    link = only(section, "li a")
    assert (link.get_text(), link["href"]) == ("最低生活保障审核确认办事指南", "../guides/dibao/")
    assert render("related_guides", "related_guides", []).get_text(strip=True) == ""
