"""Printing on A4: every page type is printed to PDF by Chromium and read back with pdftotext.

What a reader holds in their hand must have every column of every table: the paper size is A4
(print.css @page), and a table that is wider than the screen (the standards of six districts,
the catalog) is fitted to the width of the paper instead of being cut off at its right edge.
The test compares the printed text with the tables of the page: the caption, every column header
and every value of the last column (the one that was cut off, e.g. each 执行日期 of /standards/),
in the order of the page (a two-column table: each row header and its value). pdftotext -layout
puts each printed line on a line of text, the cells of a row side by side; the text of a cell
that wraps continues on the following lines, and is found there piece by piece.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from .conftest import WatchedPage, resolve

# One page of every page type: (name, site path); "*" as in conftest.resolve.
PRINTED = [
    ("home", ""),
    ("policy", "policies/dibao-shenhe-queren-banfa/"),  # a data table in the body, attachments
    ("catalog", "catalog/"),
    ("catalog-category", "catalog/社会救助/"),
    ("standards-index", "standards/"),  # six districts and the 执行日期: the widest table
    ("standard", "standards/dibao-chengshi/"),  # two district groups in the history, the chart
    ("rosters-index", "rosters/"),
    ("roster", "rosters/*/"),  # 类别 and 备注 columns
    ("guide", "guide/"),
    ("annual-report", "annual-reports/2025/"),  # the national tables: 10 and 15 columns under merged headers
    ("organization", "organization/"),  # 内设机构 and 领导信息
    ("service-guide", "guides/dibao/"),  # the materials checklist: every column on A4
]
MODES = {"standard": None, "large-text": "localStorage.setItem('a11y-text', 'large')"}
LOOK_AHEAD = 8  # lines on which the rest of a wrapped cell may be

# The tables of the page as printed: caption, then what must be printed in this order: the column
# headers and the last cell of every row that has one cell per column (a table without a header
# row: each row's header and value). Text as read (visually hidden words left out, no white space).
TABLES_JS = """() => {
    const text = el => {
        const copy = el.cloneNode(true);
        copy.querySelectorAll('.visually-hidden, [aria-hidden="true"]').forEach(n => n.remove());
        return copy.textContent.replace(/\\s+/g, '');
    };
    return Array.from(document.querySelectorAll('main table')).map(table => {
        const head = Array.from(table.querySelectorAll('thead th')).map(text);
        const rows = Array.from(table.querySelectorAll('tbody tr')).map(tr => Array.from(tr.children).map(text));
        const columns = head.length || Math.max(...rows.map(r => r.length));
        const full = rows.filter(r => r.length === columns);
        const wanted = head.length ? head.concat(full.map(r => r[r.length - 1]))
                                   : full.flatMap(r => [r[0], r[r.length - 1]]);
        return {caption: table.caption ? text(table.caption) : '', wanted: wanted.filter(Boolean)};
    });
}"""


def printed_lines(pdf: bytes, folder: Path) -> list[str]:
    """The PDF's text as pdftotext -layout reads it, one printed line each, white space removed,
    and without the address print.css writes after a link, “（https://…）”, which the page's own
    text does not have (test_accessibility.py checks those addresses); a line that held only such
    an address (a long one wraps onto lines of its own) is dropped with it."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext not found: install poppler-utils (bash scripts/setup.sh --test)")
    path = folder / "page.pdf"
    path.write_bytes(pdf)
    result = subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", str(path), "-"],
        capture_output=True,
        check=True,
        text=True,
        encoding="utf-8",
    )
    lines = (re.sub(r"\s+", "", line) for line in result.stdout.splitlines())
    stripped = (re.sub(r"https?://[\w./%#?=&~:+-]*", "", line).replace("（）", "") for line in lines)
    return [line for line in stripped if line]


def common_prefix(a: str, b: str) -> int:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return n


def find_cell(lines: list[str], item: str, after: tuple[int, int]) -> tuple[int, int] | None:
    """Where ``item`` is printed after position ``after`` (line, column): whole on one line, or its
    beginning (two characters at least) there and the rest, piece by piece, on the next lines."""
    line, column = after
    for i in range(line, len(lines)):
        at = lines[i].find(item[:2], column if i == line else 0)
        while at >= 0:
            rest = item[common_prefix(lines[i][at:], item) :]
            j = i
            while rest and j < i + LOOK_AHEAD and j + 1 < len(lines):
                j += 1
                pieces = [common_prefix(lines[j][k:], rest) for k in range(len(lines[j]))]
                best = max(pieces, default=0)
                if best >= min(2, len(rest)):
                    rest = rest[best:]
                elif lines[j] and rest.startswith(lines[j]):  # a line of one character: 通 / 知
                    rest = rest[len(lines[j]) :]
            if not rest:
                return i, at + 1
            at = lines[i].find(item[:2], at + 1)
    return None


def missing_in_order(lines: list[str], start: tuple[int, int], end: int, wanted: list[str]) -> list[str]:
    """The items of ``wanted`` not printed one after the other from ``start``, before line ``end``."""
    missing = []
    at = start
    for item in wanted:
        found = find_cell(lines, item, at)
        if found is None or found[0] >= end:
            missing.append(item)
        else:
            at = found
    return missing


@pytest.mark.parametrize("mode", list(MODES))
@pytest.mark.parametrize("path", [p for _, p in PRINTED], ids=[n for n, _ in PRINTED])
def test_a4_print_keeps_every_column_of_every_table(
    open_page: Callable[..., WatchedPage], path: str, mode: str, tmp_path: Path
) -> None:
    watched = open_page()
    page: Any = watched.page
    if MODES[mode]:
        page.add_init_script(MODES[mode])
    watched.goto(resolve(watched.site, path))
    page.emulate_media(media="print")
    tables = page.evaluate(TABLES_JS)
    assert tables, "every page type printed here has at least one table"
    lines = printed_lines(page.pdf(format="A4"), tmp_path)
    assert lines[0] == "示范市民政局政府信息公开"  # the header's site title comes first

    # each table's part of the text runs from its caption to the next table's caption
    starts = []
    at = (0, 0)
    for table in tables:
        found = find_cell(lines, table["caption"], at)
        assert found is not None, f"caption {table['caption']!r} not printed"
        starts.append(found)
        at = found
    problems = []
    for i, table in enumerate(tables):
        end = starts[i + 1][0] + 1 if i + 1 < len(tables) else len(lines)
        missing = missing_in_order(lines, starts[i], end, table["wanted"])
        if missing:
            problems.append((table["caption"], missing))
    assert problems == [], problems


def test_a4_is_the_paper_size_of_every_print(open_page: Callable[..., WatchedPage], tmp_path: Path) -> None:
    """print.css asks for A4 itself (@page size), so that printing from the browser's own dialog,
    whatever paper it proposes, lays the page out for the paper the tables were fitted to."""
    watched = open_page()
    watched.goto("standards/")
    pdf = watched.page.pdf(prefer_css_page_size=True)  # no format given: the page's own @page size
    (tmp_path / "page.pdf").write_bytes(pdf)
    if shutil.which("pdfinfo") is None:
        pytest.skip("pdfinfo not found: install poppler-utils (bash scripts/setup.sh --test)")
    info = subprocess.run(["pdfinfo", str(tmp_path / "page.pdf")], capture_output=True, check=True, text=True).stdout
    size = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info)
    assert size is not None, info
    width, height = float(size.group(1)), float(size.group(2))
    assert (round(width), round(height)) == (595, 842), info  # A4 in points (210 × 297 mm)


CHECKLIST_JS = """() => {
    const boxes = Array.from(document.querySelectorAll('.guide-materials tbody th[scope="row"]'))
        .map(th => getComputedStyle(th, '::before'))
        .map(s => ({content: s.content, border: s.borderTopStyle, width: parseFloat(s.width)}));
    const shown = sel => Array.from(document.querySelectorAll(sel)).filter(e => e.getClientRects().length).length;
    return {boxes, navs: shown('nav'), flows: shown('.flow svg'), steps: shown('.guide-steps li')};
}"""


def test_a_service_guide_prints_as_a_checklist(open_page: Callable[..., WatchedPage], tmp_path: Path) -> None:
    """A 办事指南 on paper is the list residents tick off at home: a box before every material, no
    navigation, the steps as the numbered list (the flow diagram says the same and is left out)."""
    watched = open_page()
    page: Any = watched.page
    watched.goto("guides/dibao/")
    page.emulate_media(media="print")
    found = page.evaluate(CHECKLIST_JS)
    assert len(found["boxes"]) == 5
    assert all(b["content"] == '""' and b["border"] == "solid" and b["width"] > 0 for b in found["boxes"]), found
    assert found["navs"] == 0 and found["flows"] == 0 and found["steps"] == 5
    lines = printed_lines(page.pdf(format="A4"), tmp_path)
    assert "最低生活保障审核确认办事指南" in lines


@pytest.mark.parametrize("slug", ["dibao", "tekun", "linshi-jiuzhu", "canji-liangxiang-butie"])
def test_a_sample_guide_prints_on_one_a4_sheet(
    open_page: Callable[..., WatchedPage], tmp_path: Path, slug: str
) -> None:
    """The checklist residents take to the window is one sheet: on paper a guide keeps what is
    ticked off and where to go (materials, steps, places, phones) and leaves the related standards,
    the questions and the cited policies' addresses to the web page, whose address it prints."""
    if shutil.which("pdfinfo") is None:
        pytest.skip("pdfinfo not found: install poppler-utils (bash scripts/setup.sh --test)")
    watched = open_page()
    watched.goto(f"guides/{slug}/")
    path = tmp_path / "guide.pdf"
    path.write_bytes(watched.page.pdf(prefer_css_page_size=True))
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, check=True, text=True).stdout
    assert re.search(r"^Pages:\s+1$", info, flags=re.MULTILINE), info
    lines = printed_lines(path.read_bytes(), tmp_path)
    assert "常见问题" not in lines and "相关救助保障标准" not in lines
    assert any(line.startswith("本页网址：") for line in lines)
