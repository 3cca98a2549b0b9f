"""Phones (390 px wide) and the desktop width of the key tables, in headless Chromium.

On a phone the key tables (policies, standards, roster notices and rosters: site.css
.stack-table) are read without scrolling sideways: each row is a block, each cell labelled with
its column header. Checked as a reader sees it: every cell of those tables lies inside the screen
and inside its table's box, with all of its text; the 索引号 whole; /standards/ says how many
districts there are and shows each of them; a standard's chart names the value in force where
the chart starts. The table semantics stay for screen readers (Chromium's accessibility tree).
On a desktop (1280 px) a 文件编号 is on one line and the catalog shows every column without
scrolling.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from .conftest import WatchedPage, resolve

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
# The key tables: policies, standards (index, home, history, announced), roster notices, rosters,
# a guide's materials and places, the bureau's departments and leaders.
KEY_TABLES = (
    "table.catalog-table, table.standards-glance, table.standards-table, table.announced-table, "
    "table.standard-history, table.roster-list, table.roster-table, table.guide-materials, "
    "table.guide-places, table.departments-table, table.leaders-table"
)
MODES = {"standard": None, "large-text": "localStorage.setItem('a11y-text', 'large')"}
KEY_PAGES = [
    ("home", ""),
    ("standards-index", "standards/"),
    ("standard", "standards/dibao-chengshi/"),
    ("catalog", "catalog/"),
    ("rosters-index", "rosters/"),
    ("roster", "rosters/*/"),
    ("guide", "guides/linshi-jiuzhu/"),
    ("organization", "organization/"),
]

# Every cell with text of every key table that is not where a reader can see it whole: outside
# the screen, outside its table's box (cut off by the scrolling container), hidden, or with text
# that runs past the cell. Empty cells are off screen on purpose (nothing to read).
HIDDEN_CELLS_JS = """([selector, width]) => {
    const bad = [];
    for (const table of document.querySelectorAll(selector)) {
        const wrap = table.closest('.table-wrap').getBoundingClientRect();
        for (const cell of table.querySelectorAll('tbody th, tbody td')) {
            const text = cell.textContent.trim();
            if (!text) continue;
            const box = cell.getBoundingClientRect();
            const range = document.createRange();
            range.selectNodeContents(cell);
            const lines = Array.from(range.getClientRects()).filter(r => r.width > 0);
            const inside = r => r.left >= Math.max(0, wrap.left) - 0.5 && r.right <= Math.min(width, wrap.right) + 0.5;
            const within = r => r.left >= box.left - 0.5 && r.right <= box.right + 0.5;
            if (!cell.checkVisibility({visibilityProperty: true}) || box.width < 1 || !inside(box)
                || !lines.length || !lines.every(r => inside(r) && within(r))) {
                bad.push(`${table.caption.textContent.trim().slice(0, 12)} | ${text.slice(0, 30)}`);
            }
        }
    }
    return bad;
}"""

# Each cell's label (drawn by ::before) is its column's header.
LABELS_JS = """(selector) => Array.from(document.querySelectorAll(selector)).flatMap(table => {
    const headers = Array.from(table.querySelectorAll('thead th')).map(th => th.textContent.trim());
    return Array.from(table.querySelectorAll('tbody tr')).filter(tr => tr.children.length === headers.length)
        .flatMap(tr => Array.from(tr.children).map((cell, i) => {
            const shown = getComputedStyle(cell, '::before').content;
            const ok = cell.tagName === 'TH'
                || (cell.dataset.label === headers[i] && shown.startsWith(`"${headers[i]}"`));
            return ok ? null : `${headers[i]}: ${cell.dataset.label} / ${shown}`;
        })).filter(Boolean);
})"""


def open_at(open_page: Callable[..., WatchedPage], path: str, mode: str = "standard", **size: int) -> Any:
    watched = open_page(**(size or PHONE))
    if MODES[mode]:
        watched.page.add_init_script(MODES[mode])
    watched.goto(resolve(watched.site, path))
    return watched.page


@pytest.mark.parametrize("mode", list(MODES))
@pytest.mark.parametrize("path", [p for _, p in KEY_PAGES], ids=[n for n, _ in KEY_PAGES])
def test_key_tables_are_read_on_a_phone_without_scrolling_sideways(
    open_page: Callable[..., WatchedPage], path: str, mode: str
) -> None:
    page = open_at(open_page, path, mode)
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
    assert page.locator(KEY_TABLES).count() > 0
    assert page.evaluate(HIDDEN_CELLS_JS, [KEY_TABLES, PHONE["width"]]) == []
    assert page.evaluate(LABELS_JS, KEY_TABLES) == []
    # no key table scrolls inside its container either
    scrolling = page.evaluate(
        """(selector) => Array.from(document.querySelectorAll(selector))
              .map(t => t.closest('.table-wrap')).filter(w => w.scrollWidth > w.clientWidth + 1)
              .map(w => w.getAttribute('aria-label'))""",
        KEY_TABLES,
    )
    assert scrolling == []


@pytest.mark.parametrize("mode", list(MODES))
def test_the_index_no_is_whole_on_a_phone(open_page: Callable[..., WatchedPage], mode: str) -> None:
    page = open_at(open_page, "", mode)
    cells = page.locator("table.catalog-table tbody tr > :nth-child(3)")  # the 索引号 column
    assert cells.count() > 0
    for i in range(cells.count()):
        cell = cells.nth(i)
        box = cell.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
        # its text is the 索引号, and every line of it lies inside the cell and the screen
        text = cell.inner_text().replace("\n", "")
        assert text.startswith("11379900005183427E/") and len(text) == len("11379900005183427E/2026-00115"), text
        lines = cell.evaluate(
            """c => { const r = document.createRange(); r.selectNodeContents(c);
                      return Array.from(r.getClientRects()).filter(x => x.width > 0)
                             .map(x => [Math.round(x.top), x.left, x.right]); }"""
        )
        right_edge = box["x"] + box["width"] + 0.5
        assert lines and all(box["x"] - 0.5 <= left and right <= right_edge for _, left, right in lines)
        # broken, if at all, only after the “/”: the USCC and the number each stay whole
        assert len({top for top, _, _ in lines}) <= 2


def test_standards_index_says_how_many_districts_and_shows_each(open_page: Callable[..., WatchedPage]) -> None:
    page = open_at(open_page, "standards/")
    table = page.get_by_role("table", name="各区县现行救助保障标准")
    headers = table.locator("thead th").all_inner_texts()
    districts = [h for h in headers if h not in ("标准名称", "单位", "执行日期")]
    assert len(districts) == 6
    hint = table.locator("caption .district-count")
    assert hint.is_visible()
    assert hint.inner_text() == f"共 {len(districts)} 个区县：" + "、".join(districts)
    box = hint.bounding_box()
    assert box is not None and box["x"] + box["width"] <= PHONE["width"]
    # every standard shows all of them, each visible under the standard's name
    rows = table.locator("tbody tr")
    assert rows.count() >= 10
    for i in range(rows.count()):
        labels = (
            rows.nth(i)
            .locator("td[data-label]")
            .evaluate_all("cells => cells.filter(c => c.checkVisibility()).map(c => c.dataset.label)")
        )
        assert [label for label in labels if label in districts] == districts


@pytest.mark.parametrize("width", [PHONE["width"], DESKTOP["width"]], ids=["phone", "desktop"])
def test_a_standards_chart_labels_the_value_in_force(open_page: Callable[..., WatchedPage], width: int) -> None:
    page = open_at(open_page, "standards/dibao-chengshi/", width=width, height=900)
    in_force = page.get_by_role("table", name="城市最低生活保障标准：各区县现行标准")
    amounts = sorted(set(in_force.locator("tbody td:nth-child(2)").all_inner_texts()), key=float)
    assert amounts == ["1120"]
    chart = page.locator(".chart-scroll")
    label = chart.locator("svg text.chart-current")
    assert label.text_content() == "现行标准：1120"
    # seen where the chart starts, without scrolling it: inside the chart's visible box and the screen
    shown, box = chart.bounding_box(), label.bounding_box()
    assert shown is not None and box is not None
    assert shown["x"] - 0.5 <= box["x"] and box["x"] + box["width"] <= min(shown["x"] + shown["width"], width) + 0.5
    assert box["height"] >= 12  # drawn at a readable size, not squeezed with the chart
    # and the point in force is marked on each line that labels it
    assert chart.locator("svg text.chart-value-current").all_text_contents() == ["1120"]


@pytest.mark.parametrize(
    "path",
    ["", "standards/", "catalog/", "rosters/*/", "guides/linshi-jiuzhu/", "organization/"],
    ids=["home", "standards", "catalog", "roster", "guide", "organization"],
)
def test_stacked_tables_keep_their_table_semantics(open_page: Callable[..., WatchedPage], path: str) -> None:
    """What Chromium gives screen readers: a table named by its caption, rows, the column headers,
    row headers and cells, and a cell's name without its visible label (the header says it)."""
    page = open_at(open_page, path)
    cdp = page.context.new_cdp_session(page)
    nodes = cdp.send("Accessibility.getFullAXTree")["nodes"]
    by_id = {n["nodeId"]: n for n in nodes}

    def role(n: dict[str, Any]) -> str:
        return str(n.get("role", {}).get("value", ""))

    def name(n: dict[str, Any]) -> str:
        return str(n.get("name", {}).get("value", ""))

    def below(n: dict[str, Any]) -> list[dict[str, Any]]:
        found = []
        for child in n.get("childIds", []):
            found.append(by_id[child])
            found.extend(below(by_id[child]))
        return found

    shown = page.evaluate(
        """(selector) => Array.from(document.querySelectorAll(selector)).map(t => [
               t.caption.textContent.replace(/\\s+/g, ''),
               Array.from(t.querySelectorAll('thead th')).map(th => th.textContent.trim())])""",
        KEY_TABLES,
    )
    tables = [n for n in nodes if role(n) == "table" and not n.get("ignored")]
    assert shown
    for caption, column_headers in shown:
        table = next(t for t in tables if "".join(name(t).split()) == caption)
        inside = below(table)
        headers = [name(n) for n in inside if role(n) == "columnheader"]
        assert headers == column_headers
        assert sum(role(n) == "row" for n in inside) > 1
        assert any(role(n) == "rowheader" for n in inside)
        cells = [name(n) for n in inside if role(n) == "cell"]
        labelled = [c for c in cells for h in headers if h in ("序号", "区县", "单位") and c.startswith(h)]
        assert cells and labelled == []  # a cell's name is its value, not “label + value”


def test_a_document_number_is_on_one_line_on_a_desktop(open_page: Callable[..., WatchedPage]) -> None:
    for path in ("", "catalog/", "catalog/2024/"):
        page = open_at(open_page, path, **DESKTOP)
        numbers = page.locator("table.catalog-table tbody td[data-label='文件编号']")
        assert numbers.count() > 0
        for i in range(numbers.count()):
            cell = numbers.nth(i)
            if not cell.inner_text().strip():
                continue
            tops = cell.evaluate(
                """c => { const r = document.createRange(); r.selectNodeContents(c);
                          return Array.from(r.getClientRects()).filter(x => x.width > 0)
                                 .map(x => Math.round(x.top)); }"""
            )
            assert len(set(tops)) == 1, (path, cell.inner_text(), tops)
            height = cell.evaluate(
                """c => { const r = document.createRange(); r.selectNodeContents(c);
                          return [r.getBoundingClientRect().height, parseFloat(getComputedStyle(c).lineHeight)]; }"""
            )
            assert height[0] <= height[1] + 0.5, (path, cell.inner_text(), height)
        if path == "catalog/2024/":  # numbers such as 示民发〔2024〕26号 among them
            assert any(re.fullmatch(r"示民发〔2024〕\d+号", n) for n in numbers.all_inner_texts())
        # and the table shows every column without scrolling
        wrap = page.locator("table.catalog-table").locator("xpath=..")
        assert wrap.evaluate("w => w.scrollWidth <= w.clientWidth"), path
