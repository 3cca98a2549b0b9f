"""Plan entries for the annual reports (政府信息公开年报): the list by year, one page per report in
the national format, and each report's figures as open data (JSON and CSV)."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from .. import urls
from ..annual_reports import ReportView
from ..site import Site
from ..sources.annual_reports import (
    APPLICANTS,
    DECISIONS,
    DOCUMENT_COLUMNS,
    FEES_HEADER,
    FEES_LABEL,
    REQUEST_ROWS,
    REVIEW_COLUMNS,
    REVIEW_ROWS,
)
from . import HOME_CRUMB, Entry, Meta, Render, Text, article_meta, columns, json_number

REPORTS_COLUMN = columns.column(
    "政府信息公开年报", "历年政府信息公开工作年度报告", "政府信息公开年报,年度报告", columns.REPORTS
)
REPORTS_CRUMB = ("政府信息公开年报", urls.annual_reports())
CSV_HEADER = ("年度", "部分", "项目", "列", "数值")


def plan_annual_reports(site: Site) -> list[Entry]:
    entries: list[Entry] = [_list(site)]
    for view in site.reports:
        report = view.report
        entries.append(
            Render(
                urls.output_file(report.url),
                "annual_report.html",
                Meta(
                    report.title,
                    (HOME_CRUMB, REPORTS_CRUMB, (report.title, None)),
                    column=REPORTS_COLUMN | {"ColumnName": f"{report.year}年政府信息公开工作年度报告"},
                    article=article_meta(
                        report.title, report.published, site.config.publisher_name, (), report.summary
                    ),
                    description=report.summary,
                    nav="reports",
                ),
                {
                    "view": view,
                    "json_url": urls.annual_report_data(report.year, "json"),
                    "csv_url": urls.annual_report_data(report.year, "csv"),
                },
                markdown=tuple(report.sections.values()),  # 一, 五, 六: shown between the tables
                searchable=True,
                lastmod=report.published,
                dated=report.published,
                source=report.source,
            )
        )
        entries.append(Text(urls.annual_report_data(report.year, "json"), report_json(site, view)))
        entries.append(Text(urls.annual_report_data(report.year, "csv"), report_csv(view)))
    return entries


def _list(site: Site) -> Render:
    """政府信息公开年报: every report, newest year first, those in the national format and the
    older free pages alike."""
    found = [(v.year, v.report.title, v.report.url) for v in site.reports]
    found += [(p.report_year or 0, p.title, p.url) for p in site.annual_reports]
    rows = [{"year": year, "title": title, "url": url} for year, title, url in sorted(found, reverse=True)]
    return Render(
        urls.output_file(urls.annual_reports()),
        "reports.html",
        Meta("政府信息公开年报", (HOME_CRUMB, ("政府信息公开年报", None)), nav="reports", column=REPORTS_COLUMN),
        {"reports": rows},
    )


def report_data(view: ReportView) -> dict[str, Any]:
    """The figures of sections 二–四, keyed as the YAML writes them, with the national labels."""
    report = view.report
    return {
        "active": {
            "rules": {c.key: report.rules[c.key] for c in DOCUMENT_COLUMNS},
            "normative": {
                c.key: {
                    "value": figure.value,
                    "computed_from_catalog": figure.computed,
                    "reason": figure.reason if figure.differs else "",
                }
                for c in DOCUMENT_COLUMNS
                for figure in (view.normative[c.key],)
            },
            **{row.key: report.decisions[row.key] for row in DECISIONS},
            "fees_10k_yuan": json_number(report.fees),
        },
        "requests": {
            "columns": [{"key": c.key, "label": c.label} for c in APPLICANTS],
            "rows": [
                {"key": row.key, "label": row.label, "values": list(report.requests[row.key])} for row in REQUEST_ROWS
            ],
        },
        "reviews": {
            "columns": [{"key": c.key, "label": c.label} for c in REVIEW_COLUMNS],
            "rows": [
                {"key": row.key, "label": row.label, "values": list(report.reviews[row.key])} for row in REVIEW_ROWS
            ],
        },
    }


def report_json(site: Site, view: ReportView) -> str:
    report = view.report
    data = {
        "title": report.title,
        "year": report.year,
        "publisher": site.config.publisher_name,
        "written": report.written.isoformat(),
        "published": report.published.isoformat(),
        "url": urls.absolute(site.config.base_url, report.url),
        "format": "国办公开办函〔2021〕30号",
        **report_data(view),
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def report_csv(view: ReportView) -> str:
    """One row per figure (年度, 部分, 项目, 列, 数值); UTF-8 with a BOM and CRLF, as Excel and WPS read."""
    report = view.report
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    active = "二、主动公开政府信息情况"
    for column in DOCUMENT_COLUMNS:
        writer.writerow((report.year, active, "规章", column.label, report.rules[column.key]))
    for column in DOCUMENT_COLUMNS:
        writer.writerow((report.year, active, "行政规范性文件", column.label, view.normative[column.key].value))
    for row in DECISIONS:
        writer.writerow((report.year, active, row.label, "本年处理决定数量", report.decisions[row.key]))
    writer.writerow((report.year, active, FEES_LABEL, FEES_HEADER, str(report.fees)))
    requests = "三、收到和处理政府信息公开申请情况"
    for row in REQUEST_ROWS:
        for column, value in zip(APPLICANTS, report.requests[row.key], strict=True):
            writer.writerow((report.year, requests, row.label, column.label, value))
    reviews = "四、政府信息公开行政复议、行政诉讼情况"
    for row in REVIEW_ROWS:
        for column, value in zip(REVIEW_COLUMNS, report.reviews[row.key], strict=True):
            writer.writerow((report.year, reviews, row.label, column.label, value))
    return "\ufeff" + out.getvalue()
