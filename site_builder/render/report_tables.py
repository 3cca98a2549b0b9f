"""The three tables of an annual report (国办公开办函〔2021〕30号) as plain rows of cells, for the
``merged_table`` component: each cell says whether it is a header, its text, its spans, its
``id`` and the ids of the headers it belongs to, so that a screen reader announces every figure
with all its headers (WCAG technique H43). The national layout lives here once; the template
only prints cells.

A cell is ``{"th": bool, "text": str, "id": str, "headers": str, "colspan": int, "rowspan": int,
"class": str, "note": str, "scope": str}``; a table is ``{"head": [row, …], "body": [row, …]}``, a row a list of
cells.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from ..sources.annual_reports import (
    ACTIVE_BANDS,
    APPLICANTS,
    CROSS_CHECK_NOTE,
    DECISIONS,
    DECISIONS_HEADER,
    DOCUMENT_COLUMNS,
    FEES_HEADER,
    FEES_LABEL,
    LITIGATION_LABEL,
    ORGANISATION_LABEL,
    REQUEST_GROUPS,
    REQUEST_ROWS,
    REVIEW_COLUMNS,
    REVIEW_ROWS,
    SUBGROUP_OF,
)

if TYPE_CHECKING:
    from ..annual_reports import ReportView

Cell = dict[str, Any]
Table = dict[str, list[list[Cell]]]


def cell(text: object, *, th: bool = False, id: str = "", headers: Iterable[str] = (), **more: Any) -> Cell:
    return {
        "th": th,
        "text": str(text),
        "id": id,
        "headers": " ".join(headers),
        "colspan": more.get("colspan", 1),
        "rowspan": more.get("rowspan", 1),
        "class": more.get("cls", "num" if not th else ""),
        "note": more.get("note", ""),
        "scope": more.get("scope", ""),
    }


def _scoped(table: Table) -> Table:
    """Every header cell gets a scope too (beside id/headers, for browsers that read only scope):
    col/colgroup in the head and on band and column-header rows, row/rowgroup for row headers."""
    for part in ("head", "body"):
        for row in table[part]:
            for c in row:
                if c["th"] and not c["scope"]:
                    if part == "head":
                        c["scope"] = "colgroup" if c["colspan"] > 1 else "col"
                    else:
                        c["scope"] = "rowgroup" if c["rowspan"] > 1 else "row"
    return table


def active_table(view: ReportView) -> Table:
    """二、主动公开政府信息情况: four columns, a band row for each item of Art. 20 spanning them all,
    then that item's header row and its rows."""
    report = view.report
    body: list[list[Cell]] = []

    def band(key: str) -> str:
        band_id = f"a-{key}"
        body.append([cell(ACTIVE_BANDS[key], th=True, id=band_id, colspan=4, cls="band", scope="colgroup")])
        return band_id

    item1 = band("item1")
    heads = [f"a-item1-{c.key}" for c in DOCUMENT_COLUMNS]
    body.append(
        [cell("信息内容", th=True, id="a-item1-content", headers=[item1], scope="col")]
        + [
            cell(c.label, th=True, id=h, headers=[item1], scope="col")
            for c, h in zip(DOCUMENT_COLUMNS, heads, strict=True)
        ]
    )
    documents = (("rules", "规章", {k: (v, None, "") for k, v in report.rules.items()}),) + (
        (
            "normative",
            "行政规范性文件",
            {k: (f.value, f.computed if f.differs else None, f.reason) for k, f in view.normative.items()},
        ),
    )
    for key, label, figures in documents:
        row_id = f"a-{key}"
        row = [cell(label, th=True, id=row_id, headers=[item1, "a-item1-content"])]
        for column, head in zip(DOCUMENT_COLUMNS, heads, strict=True):
            value, computed, reason = figures[column.key]
            note = f"按政府信息公开目录计算为 {computed}；{reason}" if computed is not None else ""
            row.append(cell(value, headers=[item1, row_id, head], note=note))
        body.append(row)
    for key, rows, header in (
        ("item5", [r for r in DECISIONS if r.group == "item5"], DECISIONS_HEADER),
        ("item6", [r for r in DECISIONS if r.group == "item6"], DECISIONS_HEADER),
        ("item8", [], FEES_HEADER),
    ):
        band_id = band(key)
        body.append(
            [
                cell("信息内容", th=True, id=f"{band_id}-content", headers=[band_id], scope="col"),
                cell(header, th=True, id=f"{band_id}-value", headers=[band_id], colspan=3, scope="colgroup"),
            ]
        )
        items: list[tuple[str, str, object]] = [(r.key, r.label, report.decisions[r.key]) for r in rows]
        items = items or [("fees", FEES_LABEL, report.fees)]
        for row_key, label, amount in items:
            row_id = f"a-{row_key}"
            body.append(
                [
                    cell(label, th=True, id=row_id, headers=[band_id, f"{band_id}-content"]),
                    cell(amount, headers=[band_id, row_id, f"{band_id}-value"], colspan=3),
                ]
            )
    return _scoped({"head": [], "body": body})


def request_table(view: ReportView) -> Table:
    """三、收到和处理政府信息公开申请情况: 3 label columns and 7 number columns under a 3-row header."""
    report = view.report
    columns = [f"q-{c.key}" for c in APPLICANTS]
    organisation = [c for c in APPLICANTS if c.group == "organisation"]
    head = [
        [
            cell(CROSS_CHECK_NOTE, id="q-note", colspan=3, rowspan=3, cls="cross-check"),
            cell("申请人情况", th=True, id="q-applicants", colspan=7),
        ],
        [
            cell(APPLICANTS[0].label, th=True, id=columns[0], headers=["q-applicants"], rowspan=2),
            cell(ORGANISATION_LABEL, th=True, id="q-organisation", headers=["q-applicants"], colspan=5),
            cell(APPLICANTS[-1].label, th=True, id=columns[-1], headers=["q-applicants"], rowspan=2),
        ],
        [cell(c.label, th=True, id=f"q-{c.key}", headers=["q-applicants", "q-organisation"]) for c in organisation],
    ]
    column_headers = {
        f"q-{c.key}": ["q-applicants", *(["q-organisation"] if c.group else []), f"q-{c.key}"] for c in APPLICANTS
    }
    size = {name: sum(1 for r in REQUEST_ROWS if r.group == name) for name in REQUEST_GROUPS}
    size["results"] += sum(size[sub] for sub in SUBGROUP_OF)
    started: set[str] = set()
    body = []
    for row in REQUEST_ROWS:
        cells: list[Cell] = []
        groups = _groups_of(row.group)
        for group in groups:  # a group's header cell, on its first row only
            if group not in started:
                started.add(group)
                parent = [f"q-{g}" for g in groups[: groups.index(group)]]
                cells.append(cell(REQUEST_GROUPS[group], th=True, id=f"q-{group}", headers=parent, rowspan=size[group]))
        row_id = f"q-row-{row.key}"
        cells.append(cell(row.label, th=True, id=row_id, headers=[f"q-{g}" for g in groups], colspan=3 - len(groups)))
        for column, value in zip(columns, report.requests[row.key], strict=True):
            cells.append(cell(value, headers=[*(f"q-{g}" for g in groups), row_id, *column_headers[column]]))
        body.append(cells)
    return _scoped({"head": head, "body": body})


def _groups_of(group: str) -> Sequence[str]:
    """The row groups a row of 三 is in, outermost first: () · (results,) · (results, refused)."""
    if not group:
        return ()
    return (SUBGROUP_OF[group], group) if group in SUBGROUP_OF else (group,)


def review_table(view: ReportView) -> Table:
    """四、政府信息公开行政复议、行政诉讼情况: one row of 15 numbers under a 3-row header."""
    report = view.report
    review, litigation = REVIEW_ROWS[0], REVIEW_ROWS[1:]
    head = [
        [
            cell(review.label, th=True, id="v-review", colspan=5),
            cell(LITIGATION_LABEL, th=True, id="v-litigation", colspan=10),
        ],
        [cell(c.label, th=True, id=f"v-review-{c.key}", headers=["v-review"], rowspan=2) for c in REVIEW_COLUMNS]
        + [cell(r.label, th=True, id=f"v-{r.key}", headers=["v-litigation"], colspan=5) for r in litigation],
        [
            cell(c.label, th=True, id=f"v-{r.key}-{c.key}", headers=["v-litigation", f"v-{r.key}"])
            for r in litigation
            for c in REVIEW_COLUMNS
        ],
    ]
    row: list[Cell] = []
    for r in REVIEW_ROWS:
        for column, value in zip(REVIEW_COLUMNS, report.reviews[r.key], strict=True):
            if r is review:
                headers = ["v-review", f"v-review-{column.key}"]
            else:
                headers = ["v-litigation", f"v-{r.key}", f"v-{r.key}-{column.key}"]
            row.append(cell(value, headers=headers))
    return _scoped({"head": head, "body": [row]})


FILTERS = {"active_table": active_table, "request_table": request_table, "review_table": review_table}
