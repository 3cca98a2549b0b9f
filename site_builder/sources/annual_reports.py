"""Annual reports (政府信息公开工作年度报告): ``content/annual-reports/<year>.yaml`` → `AnnualReport`,
in the format of 国办公开办函〔2021〕30号.

The format is data here, once: the rows and columns of sections 二, 三 and 四 with their English
keys, the Chinese keys staff write, and the labels the national tables print. The loader, the
checks, the page, the open data and ``build.py new annual-report`` all read it.

Every rule one file can be checked against is checked here, each an error at its line: counts
are non-negative integers, 收费 a decimal; each row of 三 has 7 numbers whose 总计 is the sum of
the 6 applicant columns; per column 一 + 二 = 三（七） + 四 and 三（七） is the sum of the 21 results;
each row of 四 has its 总计. Section 二's 行政规范性文件 figures are computed from the catalog
(`site_builder.annual_reports`): a figure written here overrides it, with a reason.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Any, Final

from .. import urls
from ..cache import SourceCache, cached
from ..config import SiteConfig
from ..problems import Problems
from .document import discover
from .fields import Field, Fields, read_fields
from .yamldoc import YamlDoc, load_yaml_file


@dataclass(frozen=True, slots=True)
class Row:
    """A row (or column) of the format: ``key`` in English, ``alias`` as staff write it in the
    YAML, ``label`` as the national table prints it, ``group`` the key of the row group it is in."""

    key: str
    alias: str
    label: str
    group: str = ""


# --- 三、收到和处理政府信息公开申请情况 ------------------------------------------------------------

APPLICANTS: Final = (
    Row("natural", "自然人", "自然人"),
    Row("business", "商业企业", "商业企业", "organisation"),
    Row("research", "科研机构", "科研机构", "organisation"),
    Row("public_interest", "社会公益组织", "社会公益组织", "organisation"),
    Row("legal_service", "法律服务机构", "法律服务机构", "organisation"),
    Row("other", "其他", "其他", "organisation"),
    Row("total", "总计", "总计"),
)
ORGANISATION_LABEL: Final = "法人或其他组织"
CROSS_CHECK_NOTE: Final = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"

# row groups of 三, by key: their labels (in the table, a header spanning the rows of the group)
REQUEST_GROUPS: Final = {
    "results": "三、本年度办理结果",
    "refused": "（三）不予公开",
    "unavailable": "（四）无法提供",
    "not_processed": "（五）不予处理",
    "other_handling": "（六）其他处理",
}
SUBGROUP_OF: Final = {name: "results" for name in ("refused", "unavailable", "not_processed", "other_handling")}

REQUEST_ROWS: Final = (
    Row("new", "本年新收", "一、本年新收政府信息公开申请数量"),
    Row("carried_over", "上年结转", "二、上年结转政府信息公开申请数量"),
    Row("public", "予以公开", "（一）予以公开", "results"),
    Row("partial", "部分公开", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "results"),
    Row("secret", "属于国家秘密", "1．属于国家秘密", "refused"),
    Row("prohibited", "其他法律行政法规禁止公开", "2．其他法律行政法规禁止公开", "refused"),
    Row("security", "危及三安全一稳定", "3．危及“三安全一稳定”", "refused"),
    Row("third_party", "保护第三方合法权益", "4．保护第三方合法权益", "refused"),
    Row("internal", "属于三类内部事务信息", "5．属于三类内部事务信息", "refused"),
    Row("process", "属于四类过程性信息", "6．属于四类过程性信息", "refused"),
    Row("enforcement", "属于行政执法案卷", "7．属于行政执法案卷", "refused"),
    Row("query", "属于行政查询事项", "8．属于行政查询事项", "refused"),
    Row("not_held", "本机关不掌握相关政府信息", "1．本机关不掌握相关政府信息", "unavailable"),
    Row("needs_making", "没有现成信息需要另行制作", "2．没有现成信息需要另行制作", "unavailable"),
    Row("unclear", "补正后申请内容仍不明确", "3．补正后申请内容仍不明确", "unavailable"),
    Row("petition", "信访举报投诉类申请", "1．信访举报投诉类申请", "not_processed"),
    Row("repeated", "重复申请", "2．重复申请", "not_processed"),
    Row("publication", "要求提供公开出版物", "3．要求提供公开出版物", "not_processed"),
    Row("massive", "无正当理由大量反复申请", "4．无正当理由大量反复申请", "not_processed"),
    Row("confirm", "要求行政机关确认或重新出具已获取信息", "5．要求行政机关确认或重新出具已获取信息", "not_processed"),
    Row(
        "no_correction",
        "逾期不补正",
        "1．申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        "other_handling",
    ),
    Row(
        "no_fee",
        "逾期未缴纳费用",
        "2．申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        "other_handling",
    ),
    Row("other_reason", "其他处理", "3．其他", "other_handling"),
    Row("total", "总计", "（七）总计", "results"),
    Row("carried_forward", "结转下年度", "四、结转下年度继续办理"),
)
RESULT_KEYS: Final = tuple(r.key for r in REQUEST_ROWS if r.group and r.key != "total")  # the 21 results

# --- 四、政府信息公开行政复议、行政诉讼情况 ----------------------------------------------------------

REVIEW_COLUMNS: Final = (
    Row("upheld", "结果维持", "结果维持"),
    Row("corrected", "结果纠正", "结果纠正"),
    Row("other", "其他结果", "其他结果"),
    Row("pending", "尚未审结", "尚未审结"),
    Row("total", "总计", "总计"),
)
REVIEW_ROWS: Final = (
    Row("review", "行政复议", "行政复议"),
    Row("direct", "未经复议直接起诉", "未经复议直接起诉", "litigation"),
    Row("after_review", "复议后起诉", "复议后起诉", "litigation"),
)
LITIGATION_LABEL: Final = "行政诉讼"

# --- 二、主动公开政府信息情况 --------------------------------------------------------------------

DOCUMENT_COLUMNS: Final = (
    Row("issued", "本年制发", "本年制发件数"),
    Row("repealed", "本年废止", "本年废止件数"),
    Row("in_force", "现行有效", "现行有效件数"),
)
DECISIONS: Final = (  # (第二十条第（五）项 …（六）项): 本年处理决定数量
    Row("licensing", "行政许可", "行政许可", "item5"),
    Row("punishment", "行政处罚", "行政处罚", "item6"),
    Row("coercion", "行政强制", "行政强制", "item6"),
)
ACTIVE_BANDS: Final = {
    "item1": "第二十条第（一）项",
    "item5": "第二十条第（五）项",
    "item6": "第二十条第（六）项",
    "item8": "第二十条第（八）项",
}
FEES_LABEL: Final = "行政事业性收费"
FEES_HEADER: Final = "本年收费金额（单位：万元）"
DECISIONS_HEADER: Final = "本年处理决定数量"

SECTIONS: Final = (  # the narrative, by key: the heading the page gives it
    ("overview", "一、总体情况"),
    ("problems", "五、存在的主要问题及改进情况"),
    ("other", "六、其他需要报告的事项"),
)


def _fields(rows: Sequence[Row], kind: Any) -> tuple[Field, ...]:
    return tuple(Field(r.key, r.alias, kind) for r in rows)


FIELDS = (
    Field("year", "年度", "int"),
    Field("title", "标题", "str", max_len=200),
    Field("written", "成文日期", "date", required=True),
    Field("published", "发布日期", "date", required=True),
    Field("summary", "内容概述", "str", max_len=300),
    Field("overview", "总体情况", "str", required=True),
    Field("active", "主动公开", "mapping", required=True),
    Field("requests", "依申请公开", "mapping", required=True),
    Field("reviews", "复议诉讼", "mapping", required=True, more_aliases=("行政复议行政诉讼",)),
    Field("problems", "存在的主要问题及改进情况", "str", required=True, more_aliases=("存在的主要问题",)),
    Field("other", "其他需要报告的事项", "str", required=True),
    Field("draft", "草稿", "bool"),
)
ACTIVE = (
    Field("rules", "规章", "mapping"),
    Field("normative", "行政规范性文件", "mapping"),
    *_fields(DECISIONS, "int"),
    Field("fees", FEES_LABEL, "number"),
)
DOCUMENTS = _fields(DOCUMENT_COLUMNS, "int")
NORMATIVE = (*DOCUMENTS, Field("reason", "理由", "str", max_len=300))
REQUESTS = _fields(REQUEST_ROWS, "list")
REVIEWS = _fields(REVIEW_ROWS, "list")


@dataclass(frozen=True, slots=True)
class Override:
    """A 行政规范性文件 figure written in the report instead of the one computed from the catalog."""

    value: int
    line: int


@dataclass(frozen=True, slots=True)
class AnnualReport:
    source: Path
    year: int
    title: str
    written: date
    published: date
    summary: str
    sections: Mapping[str, str]  # overview, problems, other: Markdown
    rules: Mapping[str, int]  # 规章: issued, repealed, in_force
    normative: Mapping[str, Override]  # 行政规范性文件: only what the report writes
    normative_reason: str
    normative_line: int
    decisions: Mapping[str, int]  # licensing, punishment, coercion
    fees: Decimal  # 万元
    requests: Mapping[str, tuple[int, ...]]  # row key → 7 numbers (the APPLICANTS columns)
    reviews: Mapping[str, tuple[int, ...]]  # row key → 5 numbers (the REVIEW_COLUMNS)
    draft: bool
    lines: Mapping[str, int]

    @property
    def url(self) -> str:
        return urls.annual_report(self.year)

    def line(self, key: str) -> int:
        return self.lines.get(key, 1)


def load_annual_reports(config: SiteConfig, problems: Problems, cache: SourceCache | None = None) -> list[AnnualReport]:
    """Every report under ``content/annual-reports/``, newest year first."""
    reports = []
    for path in discover(config.content_dir / urls.ANNUAL_REPORTS, "*.yaml", problems):
        report = cached(cache, "annual-report", [path], problems, partial(load_annual_report, path, config))
        if report is not None:
            reports.append(report)
    return sorted(reports, key=lambda r: r.year, reverse=True)


def load_annual_report(path: Path, config: SiteConfig, problems: Problems) -> AnnualReport | None:
    doc = load_yaml_file(path, problems)
    if doc is None:
        return None
    before = len(problems.errors)
    f = read_fields(doc, (), FIELDS, path, problems, what="政府信息公开工作年度报告")
    year = _year(path, f["year"], f.line("year"), problems)
    written, published = f["written"], f["published"]
    if year is not None:
        for key, day in (("written", written), ("published", published)):
            if day is not None and day.year <= year:
                problems.error(path, f.line(key), f"{year} 年的年度报告，日期 {day} 应在 {year} 年之后")
    if written and published and published < written:
        problems.error(path, f.line("published"), f"发布日期 {published} 不能早于成文日期 {written}")
    reading = _Reading(doc, path, problems)
    active = reading.mapping(("active",), ACTIVE, "主动公开", f["active"] is not None)
    rules = reading.counts(reading.mapping(("active", "rules"), DOCUMENTS, "规章", active["rules"] is not None), "规章")
    given = reading.mapping(("active", "normative"), NORMATIVE, "行政规范性文件", active["normative"] is not None)
    normative = {}
    for column in DOCUMENT_COLUMNS:
        if given[column.key] is not None:
            value = reading.count(given[column.key], given.line(column.key), f"行政规范性文件{column.alias}")
            if value is not None:
                normative[column.key] = Override(value, given.line(column.key))
    decisions = {
        row.key: reading.count(active[row.key] or 0, active.line(row.key), row.label) or 0 for row in DECISIONS
    }
    fees = _fees(active["fees"], path, active.line("fees"), problems)
    requests = reading.table(
        reading.mapping(("requests",), REQUESTS, "依申请公开", f["requests"] is not None),
        REQUEST_ROWS,
        APPLICANTS,
        "依申请公开",
    )
    reviews = reading.table(
        reading.mapping(("reviews",), REVIEWS, "复议诉讼", f["reviews"] is not None),
        REVIEW_ROWS,
        REVIEW_COLUMNS,
        "复议诉讼",
    )
    if len(requests) == len(REQUEST_ROWS):
        reading.check_requests(requests)
    if len(problems.errors) > before or year is None or written is None or published is None:
        return None
    return AnnualReport(
        source=path,
        year=year,
        title=f["title"] or f"{config.publisher_name}{year}年政府信息公开工作年度报告",
        written=written,
        published=published,
        summary=f["summary"] or "",
        sections={key: f[key] or "" for key, _ in SECTIONS},
        rules={c.key: rules.get(c.key, 0) for c in DOCUMENT_COLUMNS},
        normative=normative,
        normative_reason=given["reason"] or "",
        normative_line=given.default_line if active["normative"] is not None else f.line("active"),
        decisions=decisions,
        fees=fees or Decimal(0),
        requests={key: values for key, (values, _) in requests.items()},
        reviews={key: values for key, (values, _) in reviews.items()},
        draft=bool(f["draft"]),
        lines=dict(f.lines),
    )


def _year(path: Path, given: int | None, line: int, problems: Problems) -> int | None:
    """The report's year: its file name (``2025.yaml``); ``year`` may repeat it, never differ."""
    stem = path.stem
    if not (stem.isascii() and stem.isdigit() and len(stem) == 4):
        problems.error(path, 1, f"年度报告的文件名应为年份，如 2025.yaml（而不是 {path.name}）")
        return None
    if given is not None and given != int(stem):
        problems.error(path, line, f"年度 {given} 与文件名 {path.name} 不一致")
        return None
    return int(stem)


def _fees(raw: Any, path: Path, line: int, problems: Problems) -> Decimal | None:
    """收费 in 万元: a non-negative decimal, to the yuan at most (four decimals)."""
    if raw is None:
        return Decimal(0)
    if isinstance(raw, bool) or not isinstance(raw, (int, float)) or not math.isfinite(raw) or raw < 0:
        problems.error(path, line, f"{FEES_LABEL}（{FEES_HEADER}）应为非负的数，实际为 “{raw}”")
        return None
    value = Decimal(str(raw))
    if value != value.quantize(Decimal("0.0001")):
        problems.error(path, line, f"{FEES_LABEL} {raw} 万元最多保留四位小数（到元）")
        return None
    return value


@dataclass(frozen=True, slots=True)
class _Reading:
    doc: YamlDoc
    path: Path
    problems: Problems

    def written(self, chain: tuple[str, ...]) -> tuple[str, ...]:
        """``chain`` of English keys (top level, then 主动公开's) as the file writes them."""
        keys: list[str] = []
        mapping = self.doc.data
        for key, spec in zip(chain, (FIELDS, ACTIVE), strict=False):
            field = next(f for f in spec if f.key == key)
            written = next(n for n in (field.key, field.alias, *field.more_aliases) if n and n in mapping)
            keys.append(written)
            mapping = mapping[written]
        return tuple(keys)

    def mapping(self, chain: tuple[str, ...], spec: tuple[Field, ...], what: str, present: bool) -> Fields | _Empty:
        """The mapping at ``chain`` read against ``spec``; an empty one when the file leaves it out."""
        if not present:
            return _Empty()
        return read_fields(self.doc, self.written(chain), spec, self.path, self.problems, what=what)

    def count(self, raw: Any, line: int, label: str) -> int | None:
        if isinstance(raw, bool) or not isinstance(raw, int) or raw < 0:
            self.problems.error(self.path, line, f"{label} 应为非负整数，实际为 “{raw}”")
            return None
        return raw

    def counts(self, fields: Fields | _Empty, what: str) -> dict[str, int]:
        found: dict[str, int] = {}
        for column in DOCUMENT_COLUMNS:
            if fields[column.key] is not None:
                value = self.count(fields[column.key], fields.line(column.key), f"{what}{column.alias}")
                if value is not None:
                    found[column.key] = value
        return found

    def table(
        self, fields: Fields | _Empty, rows: Sequence[Row], columns: Sequence[Row], what: str
    ) -> dict[str, tuple[tuple[int, ...], int]]:
        """Each row of a table: its numbers (one per column, the last the 总计 of the others) and
        its line. A row left out is an error: the national format has every row."""
        if isinstance(fields, _Empty):
            return {}
        names = "、".join(c.alias for c in columns)
        found: dict[str, tuple[tuple[int, ...], int]] = {}
        for row in rows:
            raw, line = fields[row.key], fields.line(row.key)
            if raw is None:
                if row.key not in fields.lines:
                    self.problems.error(self.path, line, f"{what}缺少“{row.alias}”一行（{row.label}）")
                continue
            if len(raw) != len(columns):
                self.problems.error(
                    self.path, line, f"{what}“{row.alias}”应为 {len(columns)} 个数（{names}），实际为 {len(raw)} 个"
                )
                continue
            values = [
                self.count(value, line, f"{what}“{row.alias}”的{column.alias}")
                for column, value in zip(columns, raw, strict=True)
            ]
            numbers = [v if v is not None else 0 for v in values]
            parts = sum(numbers[:-1])
            if None not in values and numbers[-1] != parts:
                self.problems.error(
                    self.path,
                    line,
                    f"{what}“{row.alias}”的总计 {numbers[-1]} 应等于前 {len(numbers) - 1} 列之和 {parts}",
                )
            found[row.key] = (tuple(numbers), line)
        return found

    def check_requests(self, requests: Mapping[str, tuple[tuple[int, ...], int]]) -> None:
        """三: per column, 三（七） is the sum of the 21 results, and 一 + 二 = 三（七） + 四."""
        total, total_line = requests["total"]
        for index, column in enumerate(APPLICANTS):
            results = sum(requests[key][0][index] for key in RESULT_KEYS)
            if total[index] != results:
                self.problems.error(
                    self.path,
                    total_line,
                    f"依申请公开“总计”（三（七））的{column.alias}列 {total[index]} 应等于 21 项办理结果之和 {results}",
                )
            new, carried = requests["new"][0][index], requests["carried_over"][0][index]
            forward, forward_line = requests["carried_forward"][0][index], requests["carried_forward"][1]
            if new + carried != total[index] + forward:
                self.problems.error(
                    self.path,
                    forward_line,
                    f"依申请公开{column.alias}列：本年新收 {new} + 上年结转 {carried} = {new + carried}，"
                    f"应等于总计 {total[index]} + 结转下年度 {forward} = {total[index] + forward}",
                )


class _Empty:
    """A mapping the report leaves out: every key absent."""

    lines: Mapping[str, int] = {}
    default_line = 1

    def __getitem__(self, key: str) -> Any:
        return None

    def line(self, key: str) -> int:
        return 1
