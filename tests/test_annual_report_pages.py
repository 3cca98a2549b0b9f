"""The annual report as residents and screen readers get it (国办公开办函〔2021〕30号): the sample's
2025 report parsed from the built page. Every header cell's span against the national format,
every data cell's ``headers`` against the cells that head its row and column on the grid the
spans make (WCAG H43), the figures against the report file, the comparison with 2024, the list
by year and the open data."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from bs4 import BeautifulSoup, Tag
from conftest import SAMPLE_CONTENT, soup

from site_builder.sources.annual_reports import REQUEST_ROWS

REPORT = "annual-reports/2025/index.html"


@pytest.fixture(scope="module")
def page(sample_output: Path) -> BeautifulSoup:
    return soup(sample_output / REPORT)


def written() -> dict[str, Any]:
    return dict(yaml.safe_load((SAMPLE_CONTENT / "annual-reports" / "2025.yaml").read_text(encoding="utf-8")))


def table(page: BeautifulSoup, kind: str) -> Tag:
    found = page.select_one(f"table.{kind}-table")
    assert found is not None, kind
    return found


def spans(row: Tag) -> list[tuple[str, str, int, int]]:
    """(tag, text, colspan, rowspan) of each cell of a row."""
    return [
        (c.name, c.get_text(strip=True), int(c.get("colspan", 1)), int(c.get("rowspan", 1)))
        for c in row.find_all(["th", "td"], recursive=False)
    ]


def grid(element: Tag) -> list[list[Tag]]:
    """The cells of every row of ``element`` (a table) placed on the grid their spans make:
    a cell stands in every position it covers."""
    rows = element.find_all("tr")
    cells: dict[tuple[int, int], Tag] = {}
    for r, row in enumerate(rows):
        c = 0
        for cell in row.find_all(["th", "td"], recursive=False):
            while (r, c) in cells:
                c += 1
            for dr in range(int(cell.get("rowspan", 1))):
                for dc in range(int(cell.get("colspan", 1))):
                    cells[(r + dr, c + dc)] = cell
            c += int(cell.get("colspan", 1))
    width = 1 + max(c for _, c in cells)
    assert all((r, c) in cells for r in range(len(rows)) for c in range(width)), "a row is short of cells"
    return [[cells[(r, c)] for c in range(width)] for r in range(len(rows))]


def expected_headers(element: Tag, heads: int) -> dict[int, list[str]]:
    """For each data cell (by id()), the ids of the header cells a screen reader should name: in
    its column, every ``th`` of the first ``heads`` rows (the column headers); in its row, every
    ``th`` before it (the row headers, also those spanning down from rows above)."""
    placed = grid(element)
    expected: dict[int, list[str]] = {}
    for r, row in enumerate(placed):
        for c, cell in enumerate(row):
            if cell.name != "td" or r < heads or id(cell) in expected:
                continue
            column = [placed[h][c] for h in range(heads)]
            before = row[:c]
            ids = [h["id"] for h in dict.fromkeys(column + before) if h.name == "th"]
            expected[id(cell)] = ids
    return expected


def check_every_data_cell(element: Tag, heads: int) -> int:
    expected = expected_headers(element, heads)
    cells = element.select("tbody td")
    for cell in cells:
        assert sorted(cell.get("headers", [])) == sorted(expected[id(cell)]), cell
    ids = [th.get("id") for th in element.find_all("th")]
    assert None not in ids and len(ids) == len(set(ids)), "every header cell has an id of its own"
    return len(cells)


# --- 三、收到和处理政府信息公开申请情况 ---------------------------------------------------------------


def test_section_three_has_the_national_header(page: BeautifulSoup) -> None:
    head = table(page, "requests").thead.find_all("tr")
    assert [spans(row) for row in head] == [
        [
            ("td", "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", 3, 3),
            ("th", "申请人情况", 7, 1),
        ],
        [("th", "自然人", 1, 2), ("th", "法人或其他组织", 5, 1), ("th", "总计", 1, 2)],
        [("th", t, 1, 1) for t in ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")],
    ]
    scopes = [th["scope"] for row in head for th in row.find_all("th")]
    assert scopes == ["colgroup", "col", "colgroup", "col", "col", "col", "col", "col", "col"]


def test_section_three_has_every_row_of_the_format_with_its_figures(page: BeautifulSoup) -> None:
    body = table(page, "requests").tbody
    placed = grid(body)
    assert len(placed) == 25 and all(len(row) == 10 for row in placed)
    # the three label columns: the headings of each row, merged as the format merges them
    labels = [[cell.get_text(strip=True) for cell in dict.fromkeys(row[:3])] for row in placed]
    assert labels[0] == ["一、本年新收政府信息公开申请数量"]
    assert labels[1] == ["二、上年结转政府信息公开申请数量"]
    assert labels[2] == ["三、本年度办理结果", "（一）予以公开"]
    assert labels[3] == ["三、本年度办理结果", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"]
    refused = [row[2] for row in labels[4:12]]
    assert [row[:2] for row in labels[4:12]] == [["三、本年度办理结果", "（三）不予公开"]] * 8
    assert refused == [
        "1．属于国家秘密",
        "2．其他法律行政法规禁止公开",
        "3．危及“三安全一稳定”",
        "4．保护第三方合法权益",
        "5．属于三类内部事务信息",
        "6．属于四类过程性信息",
        "7．属于行政执法案卷",
        "8．属于行政查询事项",
    ]
    assert [row[1:] for row in labels[12:15]] == [
        ["（四）无法提供", "1．本机关不掌握相关政府信息"],
        ["（四）无法提供", "2．没有现成信息需要另行制作"],
        ["（四）无法提供", "3．补正后申请内容仍不明确"],
    ]
    assert [row[2] for row in labels[15:20]] == [
        "1．信访举报投诉类申请",
        "2．重复申请",
        "3．要求提供公开出版物",
        "4．无正当理由大量反复申请",
        "5．要求行政机关确认或重新出具已获取信息",
    ]
    assert {row[1] for row in labels[15:20]} == {"（五）不予处理"}
    assert [row[1:] for row in labels[20:23]] == [
        ["（六）其他处理", "1．申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"],
        ["（六）其他处理", "2．申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"],
        ["（六）其他处理", "3．其他"],
    ]
    assert {row[0] for row in labels[2:24]} == {"三、本年度办理结果"}
    assert labels[23] == ["三、本年度办理结果", "（七）总计"]
    assert labels[24] == ["四、结转下年度继续办理"]
    # the figures, row by row, as the report file gives them (7 numbers: 6 applicants and the total)
    figures = written()["依申请公开"]
    for row, spec in zip(placed, REQUEST_ROWS, strict=True):
        assert [cell.get_text(strip=True) for cell in row[3:]] == [str(n) for n in figures[spec.alias]], spec.alias


def test_every_figure_of_section_three_names_all_its_headers(page: BeautifulSoup) -> None:
    assert check_every_data_cell(table(page, "requests"), heads=3) == 25 * 7


# --- 四、政府信息公开行政复议、行政诉讼情况 -----------------------------------------------------------


def test_section_four_is_one_row_of_fifteen_under_a_three_row_header(page: BeautifulSoup) -> None:
    element = table(page, "reviews")
    results = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
    assert [spans(row) for row in element.thead.find_all("tr")] == [
        [("th", "行政复议", 5, 1), ("th", "行政诉讼", 10, 1)],
        [("th", t, 1, 2) for t in results] + [("th", "未经复议直接起诉", 5, 1), ("th", "复议后起诉", 5, 1)],
        [("th", t, 1, 1) for t in results * 2],
    ]
    rows = element.tbody.find_all("tr")
    assert len(rows) == 1
    figures = written()["复议诉讼"]
    shown = [td.get_text(strip=True) for td in rows[0].find_all("td")]
    assert shown == [str(n) for key in ("行政复议", "未经复议直接起诉", "复议后起诉") for n in figures[key]]
    assert check_every_data_cell(element, heads=3) == 15


# --- 二、主动公开政府信息情况 -----------------------------------------------------------------------


def test_section_two_has_its_four_bands_spanning_the_table(page: BeautifulSoup) -> None:
    element = table(page, "active")
    assert element.thead is None
    bands = [row for row in element.tbody.find_all("tr") if spans(row)[0][2] == 4]
    assert [spans(row) for row in bands] == [
        [("th", "第二十条第（一）项", 4, 1)],
        [("th", "第二十条第（五）项", 4, 1)],
        [("th", "第二十条第（六）项", 4, 1)],
        [("th", "第二十条第（八）项", 4, 1)],
    ]
    rows = [spans(row) for row in element.tbody.find_all("tr")]
    assert rows[1] == [("th", t, 1, 1) for t in ("信息内容", "本年制发件数", "本年废止件数", "现行有效件数")]
    assert [r[0][1] for r in rows if r[0][0] == "th" and r[0][2] == 1 and len(r) > 1 and r[1][0] == "td"] == [
        "规章",
        "行政规范性文件",
        "行政许可",
        "行政处罚",
        "行政强制",
        "行政事业性收费",
    ]
    fees = next(r for r in rows if r[0][1] == "行政事业性收费")
    assert fees[1][2] == 3  # one figure across the three number columns


def test_every_figure_of_section_two_names_its_band_its_row_and_its_column(page: BeautifulSoup) -> None:
    element = table(page, "active")
    band: Tag | None = None
    columns: list[Tag] = []
    checked = 0
    for row in element.tbody.find_all("tr"):
        cells = row.find_all(["th", "td"], recursive=False)
        if cells[0].get("scope") == "colgroup":
            band, columns = cells[0], []
            continue
        if all(c.name == "th" for c in cells):
            columns = [c for c in cells for _ in range(int(c.get("colspan", 1)))]  # one per grid column
            continue
        assert band is not None
        position = 1
        for cell in cells[1:]:
            assert cell.name == "td"
            column = columns[position]
            assert sorted(cell["headers"]) == sorted([band["id"], cells[0]["id"], column["id"]]), cell
            position += int(cell.get("colspan", 1))
            checked += 1
    assert checked == 2 * 3 + 4  # 规章 and 行政规范性文件: 3 each; 许可, 处罚, 强制, 收费: 1 each


def test_normative_documents_are_the_catalogs_count(page: BeautifulSoup, sample_output: Path) -> None:
    element = table(page, "active")
    row = next(r for r in element.find_all("tr") if r.th.get_text(strip=True) == "行政规范性文件")
    shown = [int(td.get_text(strip=True).split()[0]) for td in row.find_all("td")]
    data = json.loads((sample_output / "data/annual-report-2025.json").read_text(encoding="utf-8"))
    text = json.dumps(data, ensure_ascii=False)
    assert shown[2] >= 1 and str(shown[2]) in text


# --- the rest of the page, the list and the open data ------------------------------------------------


def test_the_report_is_in_its_order_with_the_comparison_and_the_data(page: BeautifulSoup) -> None:
    headings = [h.get_text(strip=True) for h in page.select("main h2")]
    assert headings[:6] == [
        "一、总体情况",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "五、存在的主要问题及改进情况",
        "六、其他需要报告的事项",
    ]
    assert "与2024年对比" in headings
    opening = page.select_one(".article-body p").get_text(strip=True)
    assert "统计期限为2025年1月1日至2025年12月31日" in opening and "邮编：379900" in opening
    comparison = page.select_one("table.comparison-table")
    rows = {
        tr.th.get_text(strip=True): [td.get_text(strip=True) for td in tr.find_all("td")]
        for tr in comparison.tbody.find_all("tr")
    }
    new_2025 = written()["依申请公开"]["本年新收"][6]
    label = next(k for k in rows if "新收" in k)
    assert rows[label][0] == str(new_2025)
    links = {a.get_text(strip=True): a["href"] for a in page.select("main a")}
    assert links["本报告数据（JSON）"] == "../../data/annual-report-2025.json"


def test_the_list_has_every_report_by_year_newest_first(sample_output: Path) -> None:
    listing = soup(sample_output / "annual-reports/index.html")
    hrefs = [a["href"] for a in listing.select("main a") if a["href"].endswith(("2025/", "2024/"))]
    assert hrefs == ["2025/", "2024/"]


def test_the_open_data_holds_every_figure(sample_output: Path) -> None:
    raw = (sample_output / "data/annual-report-2025.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == ["年度", "部分", "项目", "列", "数值"]
    requests = [r for r in rows[1:] if r[1].startswith("三")]
    assert len(requests) == 25 * 7
    reviews = [r for r in rows[1:] if r[1].startswith("四")]
    assert len(reviews) == 15
