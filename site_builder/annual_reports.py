"""The annual reports as the site shows them: section 二's 行政规范性文件 figures computed from the
catalog, any figure a report writes instead checked against them, and the comparison with the
year before.

本年制发 counts the policies of the normative 组配分类 (site.yaml ``normative_categories``) published
(发布日期) in the year; 本年废止 those whose 废止日期 falls in it; 现行有效 those published by 12月31日
and not repealed by then. A policy marked 废止/失效 without a 废止日期 is counted as no longer in
force, and said so: the report cannot know the year it was repealed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from .problems import Problems
from .sources.annual_reports import DOCUMENT_COLUMNS, AnnualReport
from .sources.policies import Policy


@dataclass(frozen=True, slots=True)
class Figure:
    """A figure of section 二: the one shown, and the one computed from the catalog."""

    value: int
    computed: int
    reason: str = ""

    @property
    def differs(self) -> bool:
        return self.value != self.computed


@dataclass(frozen=True, slots=True)
class Comparison:
    label: str
    this_year: int
    last_year: int

    @property
    def change(self) -> int:
        return self.this_year - self.last_year


@dataclass(frozen=True, slots=True)
class ReportView:
    report: AnnualReport
    normative: Mapping[str, Figure]  # issued, repealed, in_force
    previous: ReportView | None = None  # the report of the year before, when there is one

    @property
    def year(self) -> int:
        return self.report.year

    def comparison(self) -> list[Comparison]:
        """The headline figures against the year before (empty without its report)."""
        if self.previous is None:
            return []
        return [Comparison(label, now, then) for label, now, then in zip_figures(self, self.previous)]


def headline(view: ReportView) -> list[tuple[str, int]]:
    """The figures compared year on year, with their labels."""
    report = view.report
    requests, reviews = report.requests, report.reviews
    return [
        ("行政规范性文件本年制发件数", view.normative["issued"].value),
        ("行政规范性文件现行有效件数", view.normative["in_force"].value),
        ("本年新收政府信息公开申请", requests["new"][-1]),
        ("本年度办理结果总计", requests["total"][-1]),
        ("结转下年度继续办理", requests["carried_forward"][-1]),
        ("行政复议总计", reviews["review"][-1]),
        ("行政诉讼总计", reviews["direct"][-1] + reviews["after_review"][-1]),
    ]


def zip_figures(now: ReportView, then: ReportView) -> Iterable[tuple[str, int, int]]:
    for (label, this_year), (_, last_year) in zip(headline(now), headline(then), strict=True):
        yield label, this_year, last_year


def normative_counts(policies: Iterable[Policy], categories: Sequence[str], year: int) -> dict[str, int]:
    """本年制发, 本年废止 and 现行有效 of the normative documents in ``policies`` for ``year``."""
    end = date(year, 12, 31)
    counts = dict.fromkeys((c.key for c in DOCUMENT_COLUMNS), 0)
    for policy in policies:
        if policy.category not in categories:
            continue
        counts["issued"] += policy.published.year == year
        counts["repealed"] += policy.repealed is not None and policy.repealed.year == year
        repealed = policy.repealed is not None and policy.repealed <= end
        undated = policy.repealed is None and policy.status != "有效"
        counts["in_force"] += policy.published <= end and not repealed and not undated
    return counts


def report_views(
    reports: Sequence[AnnualReport],
    policies: Sequence[Policy],
    categories: Sequence[str],
    problems: Problems,
) -> tuple[ReportView, ...]:
    """One view per report, newest first, each linked to the year before; a figure written in a
    report that differs from the catalog's without a 理由 is an error at its line."""
    if reports:
        for policy in policies:
            if policy.category in categories and policy.repealed is None and policy.status != "有效":
                problems.warning(
                    policy.source,
                    policy.line("status"),
                    f"有效性为“{policy.status}”但没有废止日期 repealed（废止日期）：年度报告按已不再有效计，"
                    "却无法计入哪一年的本年废止件数",
                )
    views: dict[int, ReportView] = {}
    for report in sorted(reports, key=lambda r: r.year):
        computed = normative_counts(policies, categories, report.year)
        figures = {}
        for column in DOCUMENT_COLUMNS:
            given = report.normative.get(column.key)
            figure = Figure(computed[column.key], computed[column.key])
            if given is not None:
                figure = Figure(given.value, computed[column.key], report.normative_reason)
                if figure.differs and not report.normative_reason:
                    problems.error(
                        report.source,
                        given.line,
                        f"行政规范性文件{column.alias} {given.value} 与按政府信息公开目录计算的 {figure.computed} 不同："
                        "请在 理由 中说明原因，或删去这一项以使用计算结果",
                    )
            figures[column.key] = figure
        views[report.year] = ReportView(report, figures, views.get(report.year - 1))
    return tuple(views[year] for year in sorted(views, reverse=True))
