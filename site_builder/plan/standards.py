"""Plan entries for the assistance standards (救助保障标准): the index of what is in force today in
every district, one page per standard (history, chart, basis), and the open data files."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from .. import urls
from ..render.charts import Chart, step_chart
from ..site import Site
from ..sources.policies import Policy
from ..sources.standards import Standard, StandardEntry
from ..standards import (
    ANNOUNCED,
    IN_FORCE,
    DistrictValue,
    Series,
    in_force,
    series,
    status,
    value_at,
    value_range,
    values_in_force,
)
from . import HOME_CRUMB, Entry, Meta, Render, Text, article_meta, columns, json_number
from .guides import citing

STANDARDS_COLUMN = columns.column(
    "救助保障标准",
    "法定主动公开内容：城乡低保、特困人员、孤儿、残疾人两项补贴等困难群众救助保障标准，"
    "按区县列出现行标准、历次调整和调整依据",
    "救助保障标准,最低生活保障标准,特困人员救助供养标准,孤儿基本生活费,残疾人两项补贴",
    columns.STATUTORY,
)
STANDARDS_CRUMB = ("救助保障标准", urls.standards())
HOME_MAX_ORDER = 60  # standards with ``order`` up to this are shown on the home page
STATUS_CODES = {IN_FORCE: "in_force", ANNOUNCED: "announced"}
CSV_HEADER = (
    "标准编号",
    "标准名称",
    "救助对象",
    "单位",
    "区县",
    "执行日期",
    "标准金额",
    "状态",
    "依据",
    "依据文件",
    "文件编号",
    "依据文件网址",
)


@dataclass(frozen=True, slots=True)
class Adjustment:
    """One adjustment as a table row: the amount for each group of districts that share a history."""

    entry: StandardEntry
    status: str
    cells: tuple[DistrictValue, ...]  # one per `Series`, same order
    basis: Policy

    @property
    def uniform(self) -> bool:
        return len({c.value for c in self.cells}) == 1


@dataclass(frozen=True, slots=True)
class StandardView:
    """Everything the pages say about one standard on the build's "today"."""

    standard: Standard
    current: Adjustment | None  # None when no adjustment has taken effect yet
    values: tuple[DistrictValue, ...]  # in force today, one per district in site.yaml order
    range: tuple[Decimal, Decimal] | None  # lowest and highest amount in force today
    announced: tuple[Adjustment, ...]  # published, effective after today; earliest first
    series: tuple[Series, ...]
    history: tuple[Adjustment, ...]  # newest first, announced ones included

    @property
    def uniform(self) -> bool:
        return self.range is not None and self.range[0] == self.range[1]


def standard_view(site: Site, standard: Standard) -> StandardView:
    today, districts = site.today, site.config.districts
    policies = site.policies_by_slug
    groups = series(standard, districts)

    def adjustment(index: int) -> Adjustment:
        entry = standard.history[index]
        cells = tuple(value_at(standard, index, s.districts[0]) for s in groups)
        return Adjustment(entry, status(standard, entry, today), cells, policies[entry.basis])

    rows = [adjustment(i) for i in range(len(standard.history))]
    current = in_force(standard, today)
    values = values_in_force(standard, districts, today)
    return StandardView(
        standard=standard,
        current=next((r for r in rows if r.entry is current), None),
        values=values,
        range=value_range(values),
        announced=tuple(r for r in rows if r.status == ANNOUNCED),
        series=groups,
        history=tuple(reversed(rows)),
    )


def home_standards(site: Site) -> list[StandardView]:
    """The main standards in force, for the home page's at-a-glance table."""
    views = (standard_view(site, s) for s in site.standards if s.order is not None and s.order <= HOME_MAX_ORDER)
    return [v for v in views if v.current is not None]


def plan_standards(site: Site) -> list[Entry]:
    views = [standard_view(site, s) for s in site.standards]
    published = [a.basis.published for view in views for a in view.history]
    cited_by = citing(site.guides, "standards")
    entries: list[Entry] = [
        Render(
            urls.output_file(urls.standards()),
            "standards.html",
            Meta(
                "救助保障标准",
                (HOME_CRUMB, ("救助保障标准", None)),
                column=STANDARDS_COLUMN,
                description=STANDARDS_COLUMN["ColumnDescription"],
                nav="catalog",
            ),
            {
                "in_force": [v for v in views if v.current is not None],
                "announced": [(v, a) for v in views for a in v.announced],
            },
            lastmod=max(published, default=None),
        )
    ]
    for view in views:
        standard = view.standard
        last_published = max(a.basis.published for a in view.history)
        entries.append(
            Render(
                urls.output_file(standard.url),
                "standard.html",
                Meta(
                    standard.name,
                    (HOME_CRUMB, STANDARDS_CRUMB, (standard.name, None)),
                    column=STANDARDS_COLUMN,
                    article=article_meta(
                        standard.name,
                        last_published,
                        site.config.publisher_name,
                        (standard.name, standard.group, "救助保障标准"),
                        standard.description,
                    ),
                    description=standard.description,
                    nav="catalog",
                    speech=True,
                ),
                {"view": view, "chart": chart_of(view, site.today), "guides": cited_by.get(standard.id, [])},
                lastmod=last_published,
            )
        )
    entries.append(Text(urls.STANDARDS_JSON, standards_json(site, views)))
    entries.append(Text(urls.STANDARDS_CSV, standards_csv(site, views)))
    return entries


def chart_of(view: StandardView, today: date) -> Chart:
    """One step line per group of districts with the same history."""
    history = view.standard.history
    return step_chart([(s.label, list(zip((e.effective for e in history), s.values))) for s in view.series], today)


def standards_json(site: Site, views: list[StandardView]) -> str:
    """``data/standards.json``: every standard with its history and the amounts in force per district."""
    base = site.config.base_url
    districts = site.config.districts

    def entry_data(view: StandardView, a: Adjustment) -> dict[str, Any]:
        e = a.entry
        return {
            "effective": e.effective.isoformat(),
            "status": STATUS_CODES.get(a.status, "superseded"),
            "status_label": a.status,
            "default": json_number(e.default),
            "districts": {d: json_number(v) for d, v in e.districts.items()},
            "values": {d: json_number(e.amount(d)) for d in districts},
            "basis": e.basis,
            "basis_title": a.basis.title,
            "basis_doc_no": a.basis.doc_no,
            "basis_url": urls.absolute(base, a.basis.url),
        }

    def in_force_data(view: StandardView) -> dict[str, Any] | None:
        if view.current is None:
            return None
        return {
            "effective": view.current.entry.effective.isoformat(),
            "basis": view.current.entry.basis,
            "districts": {
                v.district: {
                    "amount": json_number(v.value),
                    "previous": json_number(v.change.previous) if v.change else None,
                    "change": json_number(v.change.amount) if v.change else None,
                    "change_percent": json_number(v.change.percent) if v.change else None,
                }
                for v in view.values
            },
        }

    data = {
        "title": f"{site.config.publisher_name}救助保障标准",
        "publisher": site.config.publisher_name,
        "as_of": site.today.isoformat(),
        "url": urls.absolute(base, urls.standards()),
        "districts": list(districts),
        "standards": [
            {
                "id": v.standard.id,
                "name": v.standard.name,
                "group": v.standard.group,
                "unit": v.standard.unit,
                "order": v.standard.order,
                "description": v.standard.description,
                "url": urls.absolute(base, v.standard.url),
                "in_force": in_force_data(v),
                "history": [entry_data(v, a) for a in reversed(v.history)],
            }
            for v in views
        ],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def standards_csv(site: Site, views: list[StandardView]) -> str:
    """``data/standards.csv``: one row per standard × adjustment × district; BOM so Excel reads UTF-8."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for view in views:
        s = view.standard
        for a in reversed(view.history):
            for district in site.config.districts:
                writer.writerow(
                    (
                        s.id,
                        s.name,
                        s.group,
                        s.unit,
                        district,
                        a.entry.effective.isoformat(),
                        str(a.entry.amount(district)),
                        a.status,
                        a.entry.basis,
                        a.basis.title,
                        a.basis.doc_no,
                        urls.absolute(site.config.base_url, a.basis.url),
                    )
                )
    return "\ufeff" + out.getvalue()
