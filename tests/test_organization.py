"""机构信息 (content/organization.yaml): 机构职能, 内设机构, 领导信息 and 监督检查 as 法定主动公开内容.

The sample's page as residents see it (parsed HTML), where it is linked from, and each check of
the file with its exact message and line."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import ORGANIZATION_YAML, SAMPLE_CONTENT, TODAY, run_cli, soup

PAGE = "organization/index.html"


@pytest.fixture(scope="module")
def page(sample_output: Path) -> BeautifulSoup:
    return soup(sample_output / PAGE)


def sample() -> dict[str, object]:
    return dict(yaml.safe_load((SAMPLE_CONTENT / "organization.yaml").read_text(encoding="utf-8")))


def cells(table: object) -> list[list[str]]:
    assert table is not None
    return [[c.get_text(" ", strip=True) for c in row.find_all(["th", "td"])] for row in table.select("tbody tr")]  # type: ignore[attr-defined]


def test_each_part_of_the_sample_is_on_its_page(page: BeautifulSoup) -> None:
    sample()
    assert [h.get_text(strip=True) for h in page.find_all("h1")] == ["机构信息"]
    assert [h.get_text(strip=True) for h in page.select("main h2")] == ["机构职能", "内设机构", "领导信息", "监督检查"]
    # 机构职能: the Markdown, rendered (its numbered duties are a real list)
    functions = page.find("h2", string="机构职能").find_parent("section")
    duties = [li.get_text(strip=True) for li in functions.select(".article-body ol li")]
    assert len(duties) == 7 and duties[0].startswith("拟订全市民政事业发展规划")
    # where and when: from site.yaml's contact
    terms = {dt.get_text(strip=True): dt.find_next_sibling("dd").get_text(strip=True) for dt in functions.select("dt")}
    assert terms["办公地址"] == "示范市中心区民生路88号市民服务中心B座（邮编 379900）"
    assert terms["联系电话"] == "0599-86612300"


def test_departments_and_leaders_are_tables_with_captions_and_header_scopes(page: BeautifulSoup) -> None:
    data = sample()
    departments = page.select_one("table.departments-table")
    assert departments.caption.get_text(strip=True) == "内设机构及其职责"
    assert [(th.get_text(strip=True), th["scope"]) for th in departments.select("thead th")] == [
        ("名称", "col"),
        ("主要职责", "col"),
        ("联系电话", "col"),
    ]
    assert all(row.th["scope"] == "row" for row in departments.select("tbody tr"))
    assert cells(departments) == [[d["名称"], d["职责"], d["电话"]] for d in data["内设机构"]]  # type: ignore[attr-defined]
    leaders = page.select_one("table.leaders-table")
    assert leaders.caption.get_text(strip=True) == "领导姓名、职务和工作分工"
    assert cells(leaders) == [[p["姓名"], p["职务"], p["分工"]] for p in data["领导信息"]]  # type: ignore[attr-defined]


def test_supervision_says_where_to_complain(page: BeautifulSoup) -> None:
    section = page.find("h2", string="监督检查").find_parent("section")
    terms = {dt.get_text(strip=True): dt.find_next_sibling("dd").get_text(strip=True) for dt in section.select("dt")}
    written = sample()["监督检查"]
    assert terms == {
        "信访地址": written["信访地址"],  # type: ignore[index]
        "信访电话": written["信访电话"],  # type: ignore[index]
        "监督投诉电话": written["投诉电话"],  # type: ignore[index]
        "电子邮箱": written["电子邮箱"],  # type: ignore[index]
    }


def test_it_is_statutory_content_linked_from_the_catalog_and_the_home_page(
    page: BeautifulSoup, sample_output: Path
) -> None:
    assert page.find("meta", attrs={"name": "ColumnType"})["content"] == "法定主动公开内容"
    trail = [a.get_text(strip=True) for a in page.select(".breadcrumbs a")]
    assert trail[-1] == "法定主动公开内容"
    for listing, prefix in (("catalog/index.html", "../"), ("index.html", "")):
        links = {a.get_text(strip=True): a["href"] for a in soup(sample_output / listing).select("main a")}
        assert links["机构信息"] == f"{prefix}organization/", listing
    assert "organization/" in (sample_output / "sitemap.xml").read_text(encoding="utf-8")


def check(content: Callable[..., Path], organization: str) -> list[str]:
    root = content({"organization.yaml": organization})
    result = run_cli("check", "--content", str(root), "--today", TODAY)
    return result.lines


def test_a_site_without_the_file_has_no_page(content: Callable[..., Path], tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run_cli("build", "--content", str(content()), "--out", str(out), "--today", TODAY).code == 0
    assert not (out / "organization").exists()
    links = [a.get_text(strip=True) for a in soup(out / "catalog/index.html").select(".facets a")]
    assert "机构信息" not in links and "救助保障标准" in links


def test_the_required_parts(content: Callable[..., Path]) -> None:
    assert check(content, "内设机构: []\n") == [
        "content/organization.yaml:1: 缺少必填项 functions（机构职能）（机构信息）",
        "content/organization.yaml:1: 缺少必填项 leaders（领导信息）（机构信息）",
        "content/organization.yaml:1: 缺少必填项 supervision（监督检查）（机构信息）",
        "失败：发现 3 个问题，未写入任何文件。",
    ]


def test_a_leader_needs_a_post_and_duties_and_supervision_a_complaint_phone(content: Callable[..., Path]) -> None:
    text = ORGANIZATION_YAML.replace("{姓名: 王测试, 职务: 局长, 分工: 主持全面工作。}", "{姓名: 王测试}").replace(
        "  投诉电话: 0599-86612345\n", ""
    )
    assert check(content, text) == [
        "content/organization.yaml:4: 缺少必填项 duties（分工）（领导信息第 1 项）",
        "content/organization.yaml:4: 缺少必填项 post（职务）（领导信息第 1 项）",
        "content/organization.yaml:5: 缺少必填项 complaint_phone（投诉电话/监督电话）（监督检查）",
        "失败：发现 3 个问题，未写入任何文件。",
    ]


def test_no_leaders_and_empty_functions_are_errors(content: Callable[..., Path]) -> None:
    text = ORGANIZATION_YAML.replace("  负责全市社会救助工作。\n", "  \n").replace(
        "领导信息:\n  - {姓名: 王测试, 职务: 局长, 分工: 主持全面工作。}\n", "领导信息: []\n"
    )
    assert check(content, text) == [
        "content/organization.yaml:1: functions（机构职能） 应为文字，实际为 “”",
        "content/organization.yaml:3: 领导信息 leaders 不能为空：至少列出机构的主要负责人",
        "失败：发现 2 个问题，未写入任何文件。",
    ]


def test_a_misspelt_key_is_named(content: Callable[..., Path]) -> None:
    lines = check(content, ORGANIZATION_YAML + "更新日其: 2026-10-09\n")
    assert [line for line in lines if line.startswith("content/")] == [
        "content/organization.yaml:8: 警告：未知的键 “更新日其”，已忽略（机构信息）；可能是 updated（更新日期）的笔误"
    ]


def test_a_mobile_number_in_it_is_refused(content: Callable[..., Path]) -> None:
    lines = check(content, ORGANIZATION_YAML.replace("0599-86612345", "13812345678"))
    assert lines == [
        (
            "content/organization.yaml:7: 个人信息：发现手机号码 138****5678，不能发布（第 9 列）；"
            "如是公开的办公号码，可列入 site.yaml 的 pii.allow"
        ),
        "失败：发现 1 个问题，未写入任何文件。",
    ]
