"""Assistance standards (SPEC 3.3, 6): validation with path:line, the values in force on a given
day, the change against the previous value, the pages, the chart and the open data."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from bs4 import BeautifulSoup, Tag
from conftest import (
    SAMPLE_CONTENT,
    SITE_YAML,
    TODAY,
    USCC,
    Result,
    policy_md,
    run_cli,
    soup,
    table_by_caption,
    write_tree,
)

# ---------------------------------------------------------------------------------------------
# A small content tree: districts 甲区, 乙区, 丙县 (conftest SITE_YAML), three basis policies.

BASIS = {
    "policies/tz-2023.md": policy_md(
        title="关于提高2023年低保标准的通知",
        index_no=f"{USCC}/2023-00001",
        date="2023-06-15",
        doc_no="测民发〔2023〕8号",
    ),
    "policies/tz-2024.md": policy_md(
        title="关于提高2024年救助保障标准的通知",
        index_no=f"{USCC}/2024-00001",
        date="2024-06-14",
        doc_no="测民发〔2024〕9号",
    ),
    "policies/tz-2027.md": policy_md(
        title="关于提高护理补贴标准的通知",
        index_no=f"{USCC}/2026-00001",
        date="2026-11-01",
        doc_no="测民发〔2026〕30号",
    ),
}

# 400 → 409 is +2.25 %: half-up gives 2.3 (round() on floats and banker's rounding give 2.2).
DIBAO = """\
name: 城市低保标准
group: 最低生活保障对象
unit: 元/人·月
order: 10
description: 城市低保对象按差额发放保障金。
history:
  - effective: 2023-07-01
    default: 400
    districts: {丙县: 380}
    basis: tz-2023
  - effective: 2024-07-01
    default: 409
    districts: {丙县: 400}
    basis: tz-2024
"""

# Written with the Chinese aliases only; no district override; a change announced for 2027.
HULI = """\
名称: 重度残疾人护理补贴
救助对象: 重度残疾人
单位: 元/人·月
排序: 70
说明: 按月发放。
调整记录:
  - 执行日期: 2024-07-01
    标准: 100
    依据: tz-2024
  - 执行日期: 2027-01-01
    标准: 120
    依据: tz-2027
"""

# A new standard whose first adjustment is announced but not yet in force; no order.
XINZENG = """\
name: 新增补贴
group: 新增对象
unit: 元/人·月
history:
  - effective: 2027-01-01
    default: 50
    basis: tz-2027
"""

TREE = {**BASIS, "standards/dibao.yaml": DIBAO, "standards/huli.yaml": HULI, "standards/xinzeng.yaml": XINZENG}


def build(root: Path, today: str = TODAY) -> Path:
    out = root.parent / f"output-{today}"
    result = run_cli("build", "--content", str(root), "--out", str(out), "--today", today)
    assert result.code == 0, result.err
    return out


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path]:
    """``site(today)``: TREE built with ``--today today``, once per date for this module."""
    root = write_tree(tmp_path_factory.mktemp("standards") / "content", {"site.yaml": SITE_YAML, **TREE})
    built: dict[str, Path] = {}

    def get(today: str = TODAY) -> Path:
        if today not in built:
            built[today] = build(root, today)
        return built[today]

    return get


def grid(table: Tag) -> dict[tuple[str, str], Tag]:
    """(row header, column header) → cell, checking every header has its scope."""
    head = table.find("thead")
    assert isinstance(head, Tag)
    columns = []
    for th in head.find_all("th"):
        assert th.get("scope") == "col"
        columns.append(th.get_text(strip=True))
    body = table.find("tbody")
    assert isinstance(body, Tag)
    cells: dict[tuple[str, str], Tag] = {}
    for tr in body.find_all("tr"):
        row = tr.find_all(["th", "td"], recursive=False)
        assert row[0].name == "th" and row[0].get("scope") == "row"
        label = (row[0].find("a") or row[0]).get_text(strip=True)
        assert len(row) == len(columns)
        for column, cell in zip(columns, row):
            cells[(label, column)] = cell
    return cells


def amount(cell: Tag) -> str:
    found = cell.find(class_="amount")
    return (found or cell).get_text(strip=True)


def change_text(cell: Tag) -> str:
    """The change as a screen reader hears it (visually hidden label included)."""
    found = cell.find(class_="change")
    assert isinstance(found, Tag)
    return found.get_text(strip=True)


# ---------------------------------------------------------------------------------------------
# Values in force, change, announced adjustments


@pytest.mark.slow
def test_value_changes_on_its_effective_day_not_the_day_before(site: Callable[..., Path]) -> None:
    before = grid(table_by_caption(soup(site("2024-06-30") / "standards/index.html"), "各区县现行救助保障标准"))
    on = grid(table_by_caption(soup(site("2024-07-01") / "standards/index.html"), "各区县现行救助保障标准"))
    assert [amount(before[("城市低保标准", d)]) for d in ("甲区", "乙区", "丙县")] == ["400", "400", "380"]
    assert before[("城市低保标准", "执行日期")].get_text(strip=True) == "2023-07-01"
    assert [amount(on[("城市低保标准", d)]) for d in ("甲区", "乙区", "丙县")] == ["409", "409", "400"]
    assert on[("城市低保标准", "执行日期")].get_text(strip=True) == "2024-07-01"
    assert on[("城市低保标准", "单位")].get_text(strip=True) == "元/人·月"
    # the first adjustment on record has nothing to compare with
    assert change_text(before[("城市低保标准", "甲区")]) == "—无此前记录"
    # the standard without any adjustment in force is not in the table yet
    assert ("重度残疾人护理补贴", "甲区") not in before


def test_change_is_amount_and_per_cent_rounded_half_up(site: Callable[..., Path]) -> None:
    page = soup(site("2024-07-01") / "standards/index.html")
    cells = grid(table_by_caption(page, "各区县现行救助保障标准"))
    assert change_text(cells[("城市低保标准", "甲区")]) == "较上次调整+9（+2.3%）"  # 2.25 % → 2.3 %
    assert change_text(cells[("城市低保标准", "丙县")]) == "较上次调整+20（+5.3%）"  # 5.263 % → 5.3 %
    detail = soup(site("2024-07-01") / "standards/dibao/index.html")
    current = grid(table_by_caption(detail, "城市低保标准：各区县现行标准"))
    assert [current[("甲区", h)].get_text(strip=True) for h in ("现行标准", "上次标准", "增减", "增幅")] == [
        "409",
        "400",
        "+9",
        "+2.3%",
    ]


def test_percent_change_uses_decimal_half_up() -> None:
    from site_builder.standards import change, percent_change

    assert round(2.25, 1) == 2.2  # what float rounding would have shown
    assert percent_change(Decimal(400), Decimal(409)) == Decimal("2.3")
    assert round(23 / 2000 * 100, 1) == 1.1  # 1.15 is 1.1499… as a float
    assert percent_change(Decimal(2000), Decimal(2023)) == Decimal("1.2")
    assert percent_change(Decimal(400), Decimal(391)) == Decimal("-2.3")  # half away from zero
    assert change(Decimal(1055), Decimal(1120)).amount == Decimal(65)
    assert percent_change(Decimal("1055.5"), Decimal(1120)) == Decimal("6.1")


def test_district_override_and_standard_without_override(site: Callable[..., Path]) -> None:
    out = site("2026-11-29")
    cells = grid(table_by_caption(soup(out / "standards/index.html"), "各区县现行救助保障标准"))
    assert [amount(cells[("城市低保标准", d)]) for d in ("甲区", "乙区", "丙县")] == ["409", "409", "400"]
    assert [amount(cells[("重度残疾人护理补贴", d)]) for d in ("甲区", "乙区", "丙县")] == ["100"] * 3
    # the history table has one column per group of districts that share a history
    dibao = soup(out / "standards/dibao/index.html")
    history = grid(table_by_caption(dibao, "城市低保标准历次调整"))
    assert amount(history[("2023-07-01", "甲区、乙区")]) == "400"
    assert amount(history[("2023-07-01", "丙县")]) == "380"
    assert amount(history[("2024-07-01", "丙县")]) == "400"
    huli = grid(table_by_caption(soup(out / "standards/huli/index.html"), "重度残疾人护理补贴历次调整"))
    assert amount(huli[("2024-07-01", "各区县统一")]) == "100"


def test_announced_change_is_not_in_force_until_its_day(site: Callable[..., Path]) -> None:
    out = site("2026-11-29")
    index = soup(out / "standards/index.html")
    cells = grid(table_by_caption(index, "各区县现行救助保障标准"))
    assert amount(cells[("重度残疾人护理补贴", "甲区")]) == "100"
    assert cells[("重度残疾人护理补贴", "执行日期")].get_text(strip=True) == "2024-07-01"
    announced = grid(table_by_caption(index, "已公布、尚未执行的标准调整"))
    assert announced[("重度残疾人护理补贴", "执行日期")].get_text(strip=True) == "2027-01-01"
    assert "120" in announced[("重度残疾人护理补贴", "调整后标准")].get_text(" ", strip=True).split()
    detail = soup(out / "standards/huli/index.html")
    history = grid(table_by_caption(detail, "重度残疾人护理补贴历次调整"))
    assert history[("2027-01-01", "状态")].get_text(strip=True) == "已公布、尚未执行"
    assert history[("2024-07-01", "状态")].get_text(strip=True) == "现行"
    current = grid(table_by_caption(detail, "重度残疾人护理补贴：各区县现行标准"))
    assert current[("丙县", "现行标准")].get_text(strip=True) == "100"
    note = detail.find(class_="notice-announced")
    assert note is not None and note.get_text(strip=True).startswith("已公布、尚未执行：")

    later = site("2027-01-01")
    cells = grid(table_by_caption(soup(later / "standards/index.html"), "各区县现行救助保障标准"))
    assert amount(cells[("重度残疾人护理补贴", "乙区")]) == "120"
    assert change_text(cells[("重度残疾人护理补贴", "乙区")]) == "较上次调整+20（+20.0%）"
    assert not soup(later / "standards/index.html").find(string="已公布、尚未执行的标准调整")
    history = grid(table_by_caption(soup(later / "standards/huli/index.html"), "重度残疾人护理补贴历次调整"))
    assert history[("2027-01-01", "状态")].get_text(strip=True) == "现行"
    assert history[("2024-07-01", "状态")].get_text(strip=True) == "已调整"


@pytest.mark.slow
def test_sample_future_entry_in_force_only_from_2027(sample_output: Path, tmp_path: Path) -> None:
    cells = grid(table_by_caption(soup(sample_output / "standards/index.html"), "各区县现行救助保障标准"))
    assert amount(cells[("重度残疾人护理补贴", "中心区")]) == "160"
    history = grid(
        table_by_caption(soup(sample_output / "standards/canji-huli-butie/index.html"), "重度残疾人护理补贴历次调整")
    )
    assert history[("2027-01-01", "状态")].get_text(strip=True) == "已公布、尚未执行"
    out = tmp_path / "out"
    result = run_cli("build", "--content", str(SAMPLE_CONTENT), "--out", str(out), "--today", "2027-01-01")
    assert result.code == 0, result.err
    cells = grid(table_by_caption(soup(out / "standards/index.html"), "各区县现行救助保障标准"))
    assert amount(cells[("重度残疾人护理补贴", "清河县")]) == "180"
    assert cells[("重度残疾人护理补贴", "执行日期")].get_text(strip=True) == "2027-01-01"


def test_model_functions_on_the_day_of_a_change() -> None:
    from site_builder.sources.standards import Standard, StandardEntry
    from site_builder.standards import ANNOUNCED, IN_FORCE, SUPERSEDED, in_force, series, status, values_in_force

    a = StandardEntry(date(2023, 7, 1), Decimal(400), {"丙县": Decimal(380)}, "p", 7, 10)
    b = StandardEntry(date(2024, 7, 1), Decimal(409), {}, "p", 11, 13)
    s = Standard(Path("x.yaml"), "x", "标准", "对象", "元/人·月", 1, "", (a, b), {})
    assert in_force(s, date(2023, 6, 30)) is None
    assert in_force(s, date(2024, 6, 30)) is a
    assert in_force(s, date(2024, 7, 1)) is b
    assert [status(s, e, date(2024, 6, 30)) for e in (a, b)] == [IN_FORCE, ANNOUNCED]
    assert [status(s, e, date(2024, 7, 1)) for e in (a, b)] == [SUPERSEDED, IN_FORCE]
    values = values_in_force(s, ("甲区", "丙县"), date(2024, 7, 1))
    assert [(v.value, v.change.amount if v.change else None) for v in values] == [(409, 9), (409, 29)]
    assert [g.label for g in series(s, ("甲区", "乙区", "丙县"))] == ["甲区、乙区", "丙县"]


# ---------------------------------------------------------------------------------------------
# Pages: meta tags, breadcrumbs, basis links, chart, home


def meta(page: BeautifulSoup, name: str) -> str | None:
    tag = page.find("meta", attrs={"name": name})
    return None if tag is None else str(tag["content"])


def test_pages_carry_column_meta_and_breadcrumbs(site: Callable[..., Path]) -> None:
    out = site()
    index, detail = soup(out / "standards/index.html"), soup(out / "standards/dibao/index.html")
    for page in (index, detail):
        assert meta(page, "ColumnName") == "救助保障标准"
        assert meta(page, "ColumnType") and meta(page, "ColumnDescription") and meta(page, "ColumnKeywords")
        assert len(page.find_all("h1")) == 1
    assert meta(detail, "ArticleTitle") == "城市低保标准"
    assert meta(detail, "PubDate") == "2024-06-14 00:00"
    trail = detail.find("nav", class_="breadcrumbs")
    assert trail is not None
    items = trail.find_all("li")
    assert [li.get_text(strip=True) for li in items] == ["首页", "救助保障标准", "城市低保标准"]
    assert items[1].a["href"] == "../"
    assert items[-1].get("aria-current") == "page"


def test_history_links_to_each_basis_policy(site: Callable[..., Path]) -> None:
    out = site()
    page_path = out / "standards/dibao/index.html"
    history = grid(table_by_caption(soup(page_path), "城市低保标准历次调整"))
    link = history[("2023-07-01", "依据")].find("a")
    assert link is not None and link.get_text(strip=True) == "关于提高2023年低保标准的通知"
    target = (page_path.parent / str(link["href"]) / "index.html").resolve()
    assert target == (out / "policies/tz-2023/index.html").resolve() and target.is_file()
    assert "测民发〔2023〕8号" in history[("2023-07-01", "依据")].get_text()


def test_chart_is_inline_svg_with_text_alternative(site: Callable[..., Path]) -> None:
    out = site()
    page = soup(out / "standards/dibao/index.html")
    svg = page.find("svg")
    assert svg is not None and svg.get("role") == "img"
    ids = str(svg["aria-labelledby"]).split()
    title, desc = (page.find(id=i) for i in ids)
    assert title is not None and title.name == "title" and title.get_text() == "城市低保标准变化图"
    assert desc is not None and desc.name == "desc"
    assert "甲区、乙区：2023年07月01日起400，2024年07月01日起409" in desc.get_text()
    assert "丙县：2023年07月01日起380，2024年07月01日起400" in desc.get_text()
    figure = svg.find_parent("figure")
    assert figure is not None and figure.find("script") is None  # drawn at build time, no JavaScript
    lines = svg.find_all("g", class_="chart-line")
    assert len(lines) == 2  # 甲区、乙区 and 丙县 differ
    strokes = [g.find("polyline") for g in lines]
    assert all(p["stroke"] == "currentColor" for p in strokes)
    assert len({p.get("stroke-dasharray", "") for p in strokes}) == 2  # told apart without colour
    shapes = [g.find(class_="chart-marker").name for g in lines]
    assert shapes == ["circle", "polygon"]
    legend = [t.get_text() for t in svg.find(class_="chart-legend").find_all("text")]
    assert legend == ["甲区、乙区", "丙县"]
    # the same numbers as data: the history table
    assert table_by_caption(page, "城市低保标准历次调整") is not None
    # one line only where every district has the same history
    huli = soup(out / "standards/huli/index.html").find("svg")
    assert len(huli.find_all("g", class_="chart-line")) == 1
    hollow = huli.find_all(class_="chart-marker-announced")
    assert len(hollow) == 1  # the 2027 adjustment


def test_chart_geometry() -> None:
    from site_builder.render.charts import step_chart, value_ticks

    chart = step_chart(
        [("各区县统一", [(date(2022, 7, 1), Decimal(100)), (date(2023, 7, 1), Decimal(120))])], date(2023, 12, 1)
    )
    (line,) = chart.lines
    xs = [x for x, _ in line.points]
    assert xs == sorted(xs) and xs[0] > chart.left and xs[-1] == chart.right
    ys = [y for _, y in line.points]
    assert ys[0] == ys[1] > ys[2] == ys[3]  # a step up, drawn flat-vertical-flat
    assert chart.today_x is not None and xs[2] < chart.today_x < chart.right
    assert [t.label for t in chart.x_ticks] == ["2022年", "2023年", "2024年"]
    assert [m.label for m in line.markers] == ["100", "120"]
    assert value_ticks(800, 1120)[0] < 800 and value_ticks(800, 1120)[-1] >= 1120


def test_home_shows_main_standards_at_a_glance(site: Callable[..., Path]) -> None:
    page = soup(site() / "index.html")
    cells = grid(table_by_caption(page, "主要救助保障标准"))
    assert cells[("城市低保标准", "现行标准")].get_text(strip=True) == "400～409（各区县不同）"
    assert cells[("城市低保标准", "执行日期")].get_text(strip=True) == "2024-07-01"
    assert ("重度残疾人护理补贴", "现行标准") not in cells  # order 70 > 60
    section = page.find(id="standards-heading").find_parent("section")
    assert any(a["href"] == "standards/" for a in section.find_all("a"))
    assert section.find("a", href="standards/dibao/") is not None


# ---------------------------------------------------------------------------------------------
# Open data agrees with the YAML


def sample_yaml() -> dict[str, dict[str, Any]]:
    return {
        p.stem: yaml.safe_load(p.read_text(encoding="utf-8"))
        for p in sorted((SAMPLE_CONTENT / "standards").glob("*.yaml"))
    }


def districts() -> list[str]:
    return list(yaml.safe_load((SAMPLE_CONTENT / "site.yaml").read_text(encoding="utf-8"))["districts"])


def test_csv_has_one_row_per_standard_district_and_date(sample_output: Path) -> None:
    raw = (sample_output / "data/standards.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel opens it as UTF-8
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    found = {(r["标准编号"], r["区县"], r["执行日期"]): r for r in rows}
    assert len(found) == len(rows)
    expected = {}
    for ident, data in sample_yaml().items():
        for entry in data["history"]:
            for district in districts():
                value = (entry.get("districts") or {}).get(district, entry["default"])
                expected[(ident, district, entry["effective"].isoformat())] = (value, entry["basis"], data)
    assert found.keys() == expected.keys()
    for key, (value, basis, data) in expected.items():
        row = found[key]
        assert Decimal(row["标准金额"]) == Decimal(str(value))
        assert (row["依据"], row["标准名称"], row["救助对象"], row["单位"]) == (
            basis,
            data["name"],
            data["group"],
            data["unit"],
        )
    assert found[("canji-huli-butie", "中心区", "2027-01-01")]["状态"] == "已公布、尚未执行"
    assert found[("canji-huli-butie", "中心区", "2026-07-01")]["状态"] == "现行"


def test_json_has_history_and_values_in_force(sample_output: Path) -> None:
    data = json.loads((sample_output / "data/standards.json").read_text(encoding="utf-8"))
    assert data["as_of"] == TODAY and data["districts"] == districts()
    by_id = {s["id"]: s for s in data["standards"]}
    source = sample_yaml()
    assert by_id.keys() == source.keys()
    for ident, yml in source.items():
        s = by_id[ident]
        assert (s["name"], s["group"], s["unit"], s["order"]) == (yml["name"], yml["group"], yml["unit"], yml["order"])
        assert [(h["effective"], h["default"], h["districts"], h["basis"]) for h in s["history"]] == [
            (e["effective"].isoformat(), e["default"], e.get("districts") or {}, e["basis"]) for e in yml["history"]
        ]
        current = [e for e in yml["history"] if e["effective"] <= date.fromisoformat(TODAY)][-1]
        assert s["in_force"]["effective"] == current["effective"].isoformat()
        for district in districts():
            expected = (current.get("districts") or {}).get(district, current["default"])
            assert s["in_force"]["districts"][district]["amount"] == expected
    dibao = by_id["dibao-chengshi"]["in_force"]["districts"]["北岭县"]
    assert (dibao["previous"], dibao["change"], dibao["change_percent"]) == (1055, 65, 6.2)
    assert by_id["canji-huli-butie"]["history"][-1]["status"] == "announced"


def test_readme_documents_the_open_data() -> None:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("## 开放数据 (open data)", 1)[1].split("\n## ", 1)[0]
    for word in ("data/standards.csv", "data/standards.json", "标准金额", "change_percent", "元/人·月", "BOM"):
        assert word in section


# ---------------------------------------------------------------------------------------------
# Validation: every rule fails with exit 1 and the exact path:line

S = "standards/bad.yaml"
SHOWN = "content/standards/bad.yaml"


def std(*history: str, head: str = "name: 低保\ngroup: 低保对象\nunit: 元/人·月\n") -> str:
    """A standard file; ``head`` is lines 1–3, ``history:`` line 4, then the items as given."""
    return head + "history:\n" + "".join(history)


def item(effective: str = "2024-07-01", default: str = "100", basis: str = "tz-2024", extra: str = "") -> str:
    """Four lines (five with ``extra``): effective, default, [extra], basis."""
    return f"  - effective: {effective}\n    default: {default}\n{extra}    basis: {basis}\n"


CASES: list[tuple[str, dict[str, str], str]] = [
    ("impossible date", {S: std(item("2024-02-30"))}, f"{SHOWN}:5: effective（执行日期） 的日期 “2024-02-30” 不存在"),
    ("malformed date", {S: std(item("2024/07/01"))}, f"{SHOWN}:5: effective（执行日期） 应为日期"),
    (
        "dates not increasing",
        {S: std(item("2024-07-01"), item("2023-07-01"))},
        f"{SHOWN}:8: 执行日期 2023-07-01 应晚于上一条调整的执行日期 2024-07-01（第 5 行）",
    ),
    (
        "same date twice",
        {S: std(item("2024-07-01"), item("2024-07-01"))},
        f"{SHOWN}:8: 执行日期 2024-07-01 应晚于上一条调整的执行日期 2024-07-01",
    ),
    ("amount zero", {S: std(item(default="0"))}, f"{SHOWN}:6: 标准 default 应为正数金额，实际为 0"),
    ("amount negative", {S: std(item(default="-880"))}, f"{SHOWN}:6: 标准 default 应为正数金额，实际为 -880"),
    ("amount not a number", {S: std(item(default="八百元"))}, f"{SHOWN}:6: default（标准） 应为数字，实际为 “八百元”"),
    ("amount quoted", {S: std(item(default='"880"'))}, f"{SHOWN}:6: default（标准） 应为数字"),
    ("amount below a fen", {S: std(item(default="880.555"))}, f"{SHOWN}:6: 标准 default 880.555 最多保留两位小数"),
    (
        "district amount not positive",
        {S: std(item(extra="    districts:\n      丙县: -1\n"))},
        f"{SHOWN}:8: 丙县的标准 应为正数金额，实际为 -1",
    ),
    (
        "district not in site.yaml",
        {S: std(item(extra="    districts:\n      甲区: 90\n      丁区: 90\n"))},
        f"{SHOWN}:9: 区县 “丁区” 不在 site.yaml 的 districts 中",
    ),
    ("basis missing", {S: std(item(basis="no-such-policy"))}, f"{SHOWN}:7: 依据 “no-such-policy” 不存在"),
    (
        "basis not proactively disclosed",
        {S: std(item(basis="ysq")), "policies/ysq.md": policy_md(disclosure="依申请公开", index_no=None)},
        f"{SHOWN}:7: 依据 “ysq” 的公开方式为“依申请公开”",
    ),
    (
        "basis a draft while in force",
        {S: std(item(basis="cg")), "policies/cg.md": policy_md(draft="true", index_no=f"{USCC}/2024-00009")},
        f"{SHOWN}:7: 依据 “cg” 仍是草稿，但这次调整已于 2024-07-01 执行",
    ),
    (
        "basis required",
        {S: std("  - effective: 2024-07-01\n    default: 100\n")},
        f"{SHOWN}:5: 缺少必填项 basis（依据）",
    ),
    ("id invalid", {S: "id: Dibao_1\n" + std(item())}, f"{SHOWN}:1: id “Dibao_1” 无效"),
    ("file stem not an id", {"standards/低保.yaml": std(item())}, "content/standards/低保.yaml:1: id “低保” 无效"),
    (
        "id duplicate",
        {S: "id: dibao\n" + std(item()), "standards/a.yaml": "id: dibao\n" + std(item())},
        f"{SHOWN}:1: 救助保障标准 id “dibao” 重复：content/standards/a.yaml 已使用",
    ),
    (
        "name missing",
        {S: std(item(), head="group: 低保对象\nunit: 元/人·月\n\n")},
        f"{SHOWN}:1: 缺少必填项 name（名称）",
    ),
    (
        "history empty",
        {S: std(head="name: 低保\ngroup: 低保对象\nunit: 元/人·月\n") + "  []\n"},
        f"{SHOWN}:4: 调整记录 history 不能为空",
    ),
    (
        "history not a list",
        {S: std(head="name: 低保\ngroup: 低保对象\nunit: 元/人·月\n") + "  a: 1\n"},
        f"{SHOWN}:4: history（调整记录） 应为列表",
    ),
    ("order not an integer", {S: "order: 第一\n" + std(item())}, f"{SHOWN}:1: order（排序） 应为整数"),
    (
        "group and its alias both given",
        {S: std(item(), head="name: 低保\ngroup: 甲\n救助对象: 乙\n")},
        f"{SHOWN}:3: group（类别/救助对象） 重复出现（第 2 行已给出）",
    ),
    (
        "YAML syntax error",
        {S: std(item(), head="name: [低保\ngroup: 低保对象\nunit: 元\n")},
        f"{SHOWN}:2: YAML 格式错误",
    ),
]


@pytest.mark.parametrize("name,files,expected", CASES, ids=[c[0] for c in CASES])
def test_rule_fails_with_path_and_line(
    content: Callable[..., Path], name: str, files: dict[str, str], expected: str
) -> None:
    root = content({**BASIS, **files})
    result: Result = run_cli("check", "--content", str(root), "--today", TODAY)
    assert result.code == 1, result.err
    assert any(line.startswith(expected) for line in result.lines), "\n".join(result.lines)
    assert "Traceback" not in result.err


def test_every_problem_of_a_file_is_reported_at_once(content: Callable[..., Path]) -> None:
    bad = std(item("2024-07-01", "0"), item("2023-07-01", basis="nope"))
    result = run_cli("check", "--content", str(content({**BASIS, S: bad})), "--today", TODAY)
    assert result.code == 1
    shown = [line.split(": ", 1)[0] for line in result.lines if line.startswith(SHOWN)]
    assert shown == [f"{SHOWN}:6", f"{SHOWN}:8"]  # a failing file stops before its basis is checked


def test_basis_published_later_withholds_the_adjustment(site: Callable[..., Path]) -> None:
    """An adjustment is not shown before its policy is published (e.g. --today before the notice)."""
    out = site("2026-10-01")  # tz-2027 is published on 2026-11-01
    history = grid(table_by_caption(soup(out / "standards/huli/index.html"), "重度残疾人护理补贴历次调整"))
    assert [key[0] for key in history if key[1] == "状态"] == ["2024-07-01"]
    data = json.loads((out / "data/standards.json").read_text(encoding="utf-8"))
    huli = next(s for s in data["standards"] if s["id"] == "huli")
    assert [h["effective"] for h in huli["history"]] == ["2024-07-01"]


@pytest.mark.slow
def test_draft_basis_for_a_future_adjustment_withholds_it(content: Callable[..., Path]) -> None:
    files = {**TREE, "policies/tz-2027.md": policy_md(index_no=f"{USCC}/2026-00001", date="2026-11-01", draft="true")}
    out = build(content(files), TODAY)
    history = grid(table_by_caption(soup(out / "standards/huli/index.html"), "重度残疾人护理补贴历次调整"))
    assert ("2027-01-01", "状态") not in history


def test_chinese_aliases_and_yml_amounts(content: Callable[..., Path]) -> None:
    from site_builder.config import load_config
    from site_builder.problems import Problems
    from site_builder.sources.standards import load_standards

    root = content({**TREE, "standards/extra.yaml": std(item(default="1500.0"), item("2025-07-01", "1055.5"))})
    problems = Problems(root.parent)
    config = load_config(root, problems)
    assert config is not None
    loaded = {s.id: s for s in load_standards(config, problems)}
    assert not problems.errors, [str(p) for p in problems]
    assert (loaded["huli"].name, loaded["huli"].group, loaded["huli"].order) == ("重度残疾人护理补贴", "重度残疾人", 70)
    assert [str(e.default) for e in loaded["extra"].history] == ["1500", "1055.5"]
    assert list(loaded) == ["dibao", "huli", "extra", "xinzeng"]  # by order; without one last, by id


def test_standard_not_yet_in_force_is_announced_only(site: Callable[..., Path]) -> None:
    out = site(TODAY)
    index = soup(out / "standards/index.html")
    assert ("新增补贴", "甲区") not in grid(table_by_caption(index, "各区县现行救助保障标准"))
    announced = grid(table_by_caption(index, "已公布、尚未执行的标准调整"))
    assert announced[("新增补贴", "执行日期")].get_text(strip=True) == "2027-01-01"
    detail = soup(out / "standards/xinzeng/index.html")
    summary = detail.find(class_="standard-summary")
    assert summary is not None and summary.get_text(strip=True) == "本标准尚未开始执行。"
    history = grid(table_by_caption(detail, "新增补贴历次调整"))
    assert history[("2027-01-01", "状态")].get_text(strip=True) == "已公布、尚未执行"
    data = json.loads((out / "data/standards.json").read_text(encoding="utf-8"))
    assert next(s for s in data["standards"] if s["id"] == "xinzeng")["in_force"] is None
    # before its policy is published, nothing about it is shown
    early = site("2026-10-01")
    assert not (early / "standards/xinzeng/index.html").exists()


# ---------------------------------------------------------------------------------------------
# Components, rendered alone with example parameters


def render_macro(source: str, **context: Any) -> BeautifulSoup:
    from site_builder.render.env import make_environment

    env = make_environment(Path(__file__).resolve().parent.parent / "templates")
    return BeautifulSoup(env.from_string(source).render(page_path="index.html", **context), "html.parser")


@pytest.mark.parametrize(
    "previous,current,shown",
    [
        (400, 409, "较上次调整+9（+2.3%）"),
        (409, 400, "较上次调整−9（−2.2%）"),
        (400, 400, "未调整"),
        (None, 400, "—无此前记录"),
    ],
)
def test_change_component(previous: int | None, current: int, shown: str) -> None:
    from site_builder.standards import change

    c = None if previous is None else change(Decimal(previous), Decimal(current))
    html = render_macro('{% from "components/change.html" import change %}{{ change(c) }}', c=c)
    (span,) = html.find_all("span", class_="change")
    assert span.get_text(strip=True) == shown


def test_chart_component_draws_every_line_with_a_text_alternative() -> None:
    from site_builder.render.charts import step_chart

    chart = step_chart(
        [
            ("甲区", [(date(2023, 7, 1), Decimal(400)), (date(2027, 1, 1), Decimal(420))]),
            ("丙县", [(date(2023, 7, 1), Decimal(380)), (date(2027, 1, 1), Decimal(420))]),
        ],
        date(2026, 11, 29),
    )
    html = render_macro(
        '{% from "components/chart.html" import step_chart %}{{ step_chart(c, "标题<", "说明&", "x", "元/人·月") }}',
        c=chart,
    )
    svg = html.find("svg")
    assert svg["role"] == "img" and svg["aria-labelledby"] == "x-title x-desc"
    assert html.find(id="x-title").get_text() == "标题<" and html.find(id="x-desc").get_text() == "说明&"
    lines = svg.find_all("g", class_="chart-line")
    assert len(lines) == 2
    assert [p.get("stroke-dasharray") for p in svg.select(".chart-line polyline")] == [None, "10 6"]
    assert len(svg.select(".chart-marker-announced")) == 2  # 2027 on both lines
    assert [t.get_text() for t in svg.select(".chart-value")] == ["400", "420", "380"]  # 420 labelled once
    assert svg.find(class_="chart-today").find("text").get_text() == "今天"
    assert "style" not in str(svg)  # the CSP forbids inline styles


def test_standards_glance_component() -> None:
    from site_builder.plan.standards import Adjustment, StandardView
    from site_builder.sources.policies import Policy
    from site_builder.sources.standards import Standard, StandardEntry
    from site_builder.standards import value_at

    e = StandardEntry(date(2024, 7, 1), Decimal(409), {"丙县": Decimal(400)}, "p", 7, 10)
    s = Standard(Path("x.yaml"), "dibao", "城市低保标准", "对象", "元/人·月", 1, "", (e,), {})
    values = tuple(value_at(s, 0, d) for d in ("甲区", "丙县"))
    basis: Policy = None  # type: ignore[assignment]  # not shown by this component
    current = Adjustment(e, "现行", values, basis)
    view = StandardView(s, current, values, (Decimal(400), Decimal(409)), (), (), ())
    html = render_macro(
        '{% from "components/standards_glance.html" import standards_glance with context %}'
        '{{ standards_glance(views | map("standard_row") | list, "主要标准") }}',
        views=[view],
    )
    cells = grid(table_by_caption(html, "主要标准"))
    assert cells[("城市低保标准", "现行标准")].get_text(strip=True) == "400～409（各区县不同）"
    assert cells[("城市低保标准", "单位")].get_text(strip=True) == "元/人·月"
    assert cells[("城市低保标准", "执行日期")].get_text(strip=True) == "2024-07-01"
    assert html.find("a", string="城市低保标准")["href"] == "standards/dibao/"
