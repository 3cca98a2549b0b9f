"""Rosters (公示名单): ``content/rosters/**/*.yaml`` (+ a CSV of the same stem) → `Roster`.

A roster is a YAML file of metadata (SPEC 3.4) whose households are either inline under
``records:`` or in a CSV file of the same stem beside it (headers in English or Chinese). Every
rule one file can be checked against lives here: fields, numbers, districts, dates, stage, the
masking of every name, and no column beyond the published fields. Which rosters are in force
today (dates, newer periods) is a rule across files: see ``site_builder.site``.
"""

from __future__ import annotations

import csv
import io
import re
import sys
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from functools import partial
from pathlib import Path
from typing import Any

from .. import urls
from ..cache import SourceCache, cached_each, digest
from ..config import SiteConfig
from ..privacy.mask import is_masked, mask_name
from ..problems import Problems
from ..workdays import UnknownYear
from .document import discover
from .fields import Field, read_fields
from .roster_table import Household, Households, HouseholdsBuilder
from .textfile import read_text
from .yamldoc import load_yaml_file

STAGES = ("初审公示", "长期公示", "终止公示")
PRELIMINARY, STANDING, TERMINATION = STAGES
# 初审公示 (a proposed grant) and 终止公示 (a proposed termination, 《特困人员认定办法》第二十六条)
# run for site.yaml roster.notice_days (7) 自然日 or 工作日 from their first day, unless they give
# their own end; a 长期公示 list has none
NOTICES = (PRELIMINARY, TERMINATION)
ONE_OFF_PROGRAMS = frozenset({"临时救助"})  # the amount is a one-off sum, not 元/月

PERIOD = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
# A roster's slug is its file stem: letters, digits, CJK, joined by single hyphens.
ROSTER_SLUG = re.compile(r"^[0-9a-z\u3400-\u9fff]+(?:-[0-9a-z\u3400-\u9fff]+)*$")
PERSONS = re.compile(r"^[0-9]+$")
AMOUNT = re.compile(r"^[0-9]+(?:\.[0-9]{1,2})?$")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
MAX_AMOUNT = Decimal("999999.99")  # more is a typo, or a number that is not an amount at all

FIELDS = (
    Field("title", "标题", "str", max_len=200),
    Field("program", "项目", "str", required=True, max_len=40),
    Field("district", "区县", "str", required=True),
    Field("period", "期别", "str", required=True),
    Field("stage", "公示类型", "str", required=True, choices=STAGES),
    Field("publish_from", "公示开始日期", "date", required=True),
    Field("publish_until", "公示结束日期", "date"),
    Field("records", "名单", "list"),
)


@dataclass(frozen=True, slots=True)
class Column:
    """One published record field: its key, the Chinese header the importer writes, aliases."""

    key: str
    header: str
    aliases: tuple[str, ...]
    required: bool


# The only fields a roster may hold (SPEC 3.4); nothing else about a household is published.
COLUMNS = (
    Column("name", "户主姓名", ("姓名",), True),
    Column("street", "街道/乡镇", ("街道（乡镇）", "街道", "乡镇"), True),
    Column("community", "社区/村", ("社区（村）", "社区", "村"), True),
    Column("persons", "保障人数", ("人数",), True),
    Column("amount", "保障金额", ("金额", "救助金额"), True),
    Column("category", "类别", (), False),
    Column("reason", "救助事由", ("事由",), False),
    Column("note", "备注", (), False),
)
COLUMN_BY_NAME: dict[str, Column] = {
    name: column for column in COLUMNS for name in (column.key, column.header, *column.aliases)
}
TEXT_KEYS = ("name", "street", "community", "category", "reason", "note")


@dataclass(frozen=True, slots=True)
class Roster:
    source: Path  # the YAML file
    records_source: Path  # where the households are: the YAML itself or the sibling CSV
    slug: str
    title: str
    program: str
    district: str
    period: str  # YYYY-MM
    stage: str
    publish_from: date
    publish_until: date | None  # None: a 长期公示 list stays up until a newer period replaces it
    records: Households  # grouped by street, then community, in order of first appearance; decoded on access
    persons: int
    amount: Decimal
    lines: Mapping[str, int]
    digest: str = ""  # of the files it was read from
    notice_length: str = ""  # of a 初审公示 or 终止公示: “7 天”, “7 个工作日”

    @property
    def fingerprint_id(self) -> tuple[str, str, str, str]:
        """Stands for the whole roster (every household) when a page's inputs are fingerprinted."""
        return ("roster", self.digest, str(self.publish_until), self.notice_length)

    @property
    def url(self) -> str:
        return urls.roster(self.slug)

    @property
    def households(self) -> int:
        return len(self.records)

    @property
    def one_off(self) -> bool:
        """临时救助 pays a one-off sum; the other programs pay monthly."""
        return self.program in ONE_OFF_PROGRAMS

    @property
    def period_label(self) -> str:
        year, month = self.period.split("-")
        return f"{year}年{int(month)}月"

    def line(self, key: str) -> int:
        return self.lines.get(key, 1)


def default_title(program: str, district: str, period: str, stage: str) -> str:
    """中心区2026年11月城市低保长期公示名单 — what the importer writes and the loader assumes."""
    match = PERIOD.match(period)
    when = f"{match[1]}年{int(match[2])}月" if match else period
    return f"{district}{when}{program}{stage}名单"


def notice_end(config: SiteConfig, start: date, path: Path, line: int, problems: Problems) -> date | None:
    """The last day of a notice from ``start``: roster.notice_days 自然日 or 工作日 (the official
    holidays and make-up workdays); None, with an error saying what to add, where the calendar
    does not know a year the notice runs into."""
    days = config.roster_notice_days
    if config.roster_notice_unit == "自然日":
        return start + timedelta(days=days - 1)
    try:
        return config.calendar.last_of(start, days)
    except UnknownYear as exc:
        problems.error(path, line, f"公示期按 {days} 个工作日计算，需要 {exc.year} 年的节假日：{exc}")
        return None


def load_rosters(
    config: SiteConfig, problems: Problems, cache: SourceCache | None = None, processes: int = 1
) -> list[Roster]:
    """Every roster under ``content/rosters/``, checked one by one (on ``processes`` processes);
    CSVs without a YAML are errors."""
    root = config.content_dir / "rosters"
    yamls = discover(root, "**/*.yaml") + discover(root, "**/*.yml")
    stems = {path.with_suffix("") for path in yamls}
    for path in discover(root, "**/*.csv"):
        if path.with_suffix("") not in stems:
            problems.error(
                path,
                1,
                f"名单 CSV 缺少同名的元数据文件 {path.stem}.yaml（写明项目、区县、期别、公示类型和公示开始日期）",
            )
    loads = [
        (
            [path, *([path.with_suffix(".csv")] if path.with_suffix(".csv").is_file() else [])],
            partial(load_roster, path, config),
        )
        for path in sorted(yamls)
    ]
    return [r for r in cached_each(cache, "roster", loads, problems, processes) if r is not None]


def load_roster(path: Path, config: SiteConfig, problems: Problems) -> Roster | None:
    doc = load_yaml_file(path, problems)
    if doc is None:
        return None
    if not isinstance(doc.data, dict):
        problems.error(path, doc.first_line, "名单元数据必须是“键: 值”形式的映射")
        return None
    before = len(problems.errors)
    f = read_fields(doc, (), FIELDS, path, problems, what="公示名单")

    slug = path.stem
    if not ROSTER_SLUG.match(slug):
        problems.error(
            path,
            1,
            f"文件名 “{path.name}” 不能用作网址：只能使用小写字母、数字、汉字和单个连字符，如 2026-11-中心区-城市低保.yaml",
        )
    district = f["district"]
    if district and district not in config.districts:
        problems.error(
            path,
            f.line("district"),
            f"区县 “{district}” 不在 site.yaml 的 districts 中（可选：{'、'.join(config.districts)}）",
        )
    program = f["program"] or ""
    if "/" in program:
        problems.error(path, f.line("program"), f"项目 “{program}” 不能含 /")
    period = f["period"] or ""
    if period and not PERIOD.match(period):
        problems.error(path, f.line("period"), f"期别 “{period}” 应为 YYYY-MM，如 2026-11")
    stage = f["stage"] or ""
    start: date | None = f["publish_from"]
    until: date | None = f["publish_until"]
    if start and until and until < start:
        problems.error(path, f.line("publish_until"), f"公示结束日期 {until} 不能早于公示开始日期 {start}")
    notice_length = ""
    if stage in NOTICES and start and until is None:
        until = notice_end(config, start, path, f.line("publish_from"), problems)
        unit = "天" if config.roster_notice_unit == "自然日" else "个工作日"
        notice_length = f"{config.roster_notice_days} {unit}"
    elif stage in NOTICES and start and until:
        notice_length = f"{(until - start).days + 1} 天"

    csv_path = path.with_suffix(".csv")
    records: HouseholdsBuilder | None
    if csv_path.is_file():
        if f["records"] is not None:
            problems.error(
                path,
                f.line("records"),
                f"名单同时写在 records（名单）和 {csv_path.name} 中：只能用其中一种",
            )
        records = _csv_records(csv_path, problems)
        records_source = csv_path
    elif f["records"] is not None:
        records = _inline_records(doc, f["records"], path, problems)
        records_source = path
    else:
        problems.error(path, 1, f"没有名单：请在 records（名单）下列出，或放在同名的 {path.stem}.csv 中")
        records, records_source = None, path
    if records is not None and not len(records):
        problems.error(records_source, 1, "名单为空：至少应有一户")

    if len(problems.errors) > before or records is None or start is None:
        return None
    return Roster(
        source=path,
        records_source=records_source,
        slug=slug,
        title=f["title"] or default_title(program, district, period, stage),
        program=program,
        district=district,
        period=period,
        stage=stage,
        publish_from=start,
        publish_until=until,
        notice_length=notice_length,
        records=records.build(),
        persons=records.persons,
        amount=records.amount,
        lines=dict(f.lines),
        digest=digest(
            path.as_posix(), path.read_bytes(), records_source.read_bytes() if records_source != path else b""
        ),
    )


class RowChecker:
    """Turns one record's raw values into a `Household`, or records why it cannot be published.

    Shared by inline records, roster CSVs and ``import-roster`` so every source obeys the same
    rules. ``problems`` messages never show an unmasked name.
    """

    NAMES_REMEMBERED = 65536  # verdicts on names kept at a time (a roster repeats masked names a lot)

    def __init__(self, path: Path, problems: Problems):
        self.path = path
        self.problems = problems
        self._name_verdicts: dict[str, str] = {}  # name → "" (publishable) or why not

    def check(self, values: Mapping[str, Any], line: int, lines: Mapping[str, int] | None = None) -> Household | None:
        found: list[str] = []  # counted here: Problems.errors is rebuilt on every access

        def error(key: str, message: str) -> None:
            found.append(key)
            self.problems.error(self.path, (lines or {}).get(key, line), message)

        text: dict[str, str] = {}
        for key in TEXT_KEYS:
            raw = values.get(key)
            if raw is None:
                text[key] = ""
                continue
            if isinstance(raw, (dict, list, bool)):
                error(key, f"{_label(key)} 应为文字")
                continue
            value = (raw if type(raw) is str else str(raw)).strip()
            if value:  # an empty value cannot start like a formula or hold a line break
                if value.startswith(FORMULA_START):
                    error(key, f"{_label(key)} 以 “{value[0]}” 开头，像电子表格公式，不能发布；请改为普通文字")
                if "\n" in value:
                    error(key, f"{_label(key)} 不能换行")
            text[key] = value
        for key in ("name", "street", "community"):
            if key in text and not text[key]:
                error(key, f"{_label(key)} 为空")
        name = text.get("name", "")
        if name:
            verdict = self._name_verdict(name)
            if verdict:
                error("name", verdict)
        persons = _persons(values.get("persons"))
        if persons is None:
            error("persons", f"保障人数 {_shown(values.get('persons'))} 应为 1–99 的整数")
        amount = _amount(values.get("amount"))
        if amount is None:
            error("amount", f"保障金额 {_shown(values.get('amount'))} 应为 0–999999.99 的数字（元，最多两位小数）")
        if found or persons is None or amount is None:
            return None
        return Household(
            name=name,
            street=_intern(text["street"]),
            community=_intern(text["community"]),
            persons=persons,
            amount=amount,
            category=_intern(text.get("category", "")),
            reason=text.get("reason", ""),
            note=_intern(text.get("note", "")),
            line=line,
        )

    def _name_verdict(self, name: str) -> str:
        """ "" if ``name`` may be published, else the message; a pure function of the name, so
        remembered: the checks run once per distinct name rather than once per row."""
        verdict = self._name_verdicts.get(name)
        if verdict is None:
            if any(ch.isdigit() for ch in name):
                verdict = "户主姓名中含有数字，不能发布（是否把证件号码填进了姓名列？）"
            elif not is_masked(name):
                verdict = (
                    f"个人信息：户主姓名未遮蔽，应写作 “{mask_name(name)}”"
                    "（只保留姓氏和名字的最后一个字，其余用 * 代替；请用 build.py import-roster 导入）"
                )
            else:
                verdict = ""
            if len(self._name_verdicts) >= self.NAMES_REMEMBERED:
                self._name_verdicts.clear()
            self._name_verdicts[name] = verdict
        return verdict


def _intern(value: str) -> str:
    """Street, community, category and note values repeat: keep one copy of each."""
    return sys.intern(value)


def _label(key: str) -> str:
    return COLUMN_BY_NAME[key].header


def _shown(raw: Any) -> str:
    """A bad value for a message; a long run of digits may be someone's number: not shown."""
    text = "" if raw is None else str(raw).strip()
    if not text:
        return "（空）"
    if sum(ch.isdigit() for ch in text) > 8:
        return "（一长串数字，不予显示）"
    return f"“{text[:20]}”"


def _persons(raw: Any) -> int | None:
    if type(raw) is str:  # a CSV cell: the common case first
        text = raw.strip()
        value = int(text) if PERSONS.match(text) else 0
        return value if 1 <= value <= 99 else None
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        value = raw
    elif isinstance(raw, str) and PERSONS.match(raw.strip()):
        value = int(raw.strip())
    else:
        return None
    return value if 1 <= value <= 99 else None


def _amount(raw: Any) -> Decimal | None:
    if isinstance(raw, bool) or raw is None:
        return None
    text = repr(raw) if isinstance(raw, float) else (raw if type(raw) is str else str(raw)).strip()
    if not AMOUNT.match(text):
        if isinstance(raw, float) and raw >= 0 and round(raw, 2) == raw:
            text = f"{raw:.2f}"
        else:
            return None
    try:
        value = Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern has already matched
        return None
    return value if value <= MAX_AMOUNT else None


def _inline_records(doc: Any, items: list[Any], path: Path, problems: Problems) -> HouseholdsBuilder | None:
    checker = RowChecker(path, problems)
    records = HouseholdsBuilder()
    ok = True
    for index, item in enumerate(items):
        line = doc.line("records", index)
        if not isinstance(item, dict):
            problems.error(path, line, "records（名单）的每一项都应是“键: 值”映射（户主姓名、街道/乡镇、社区/村……）")
            ok = False
            continue
        values: dict[str, Any] = {}
        lines: dict[str, int] = {}
        for name, value in item.items():
            key_line = doc.line("records", index, name)
            column = COLUMN_BY_NAME.get(str(name))
            if column is None:
                problems.error(path, key_line, _unknown_field(str(name)))
                ok = False
                continue
            if column.key in values:
                problems.error(path, key_line, f"{column.header} 重复出现")
                ok = False
                continue
            values[column.key] = value
            lines[column.key] = key_line
        record = checker.check(values, line, lines)
        if record is None:
            ok = False
        else:
            records.add(record)
    return records if ok else None


def _unknown_field(name: str) -> str:
    allowed = "、".join(f"{c.key}（{c.header}）" for c in COLUMNS)
    return f"未知的名单字段 “{name}”：名单只能公布 {allowed}，不能有其他个人信息"


def read_header(header: list[str], path: Path, line: int, problems: Problems) -> list[str] | None:
    """The record key of each column of a roster CSV header, or None (problems recorded)."""
    keys: list[str] = []
    ok = True
    for cell in header:
        name = cell.strip()
        column = COLUMN_BY_NAME.get(name)
        if column is None:
            problems.error(path, line, _unknown_field(name) if name else "表头有空白列名")
            ok = False
            continue
        if column.key in keys:
            problems.error(path, line, f"表头中 {column.header} 出现了两次")
            ok = False
            continue
        keys.append(column.key)
    for column in COLUMNS:
        if column.required and column.key not in keys and ok:
            problems.error(path, line, f"表头缺少 {column.header}（{column.key}）列")
            ok = False
    return keys if ok else None


def _csv_records(path: Path, problems: Problems) -> HouseholdsBuilder | None:
    text = read_text(path, problems)
    if text is None:
        return None
    reader = csv.reader(io.StringIO(text))
    rows = _numbered(reader)
    try:
        first = next(rows, None)
        if first is None:
            problems.error(path, 1, "CSV 文件为空：第一行应为表头（户主姓名,街道/乡镇,社区/村,保障人数,保障金额…）")
            return None
        header_line, header = first
        keys = read_header(header, path, header_line, problems)
        if keys is None:
            return None
        checker = RowChecker(path, problems)
        records = HouseholdsBuilder()
        ok = True
        for line, row in rows:
            if len(row) != len(keys):
                problems.error(path, line, f"这一行有 {len(row)} 列，表头有 {len(keys)} 列")
                ok = False
                continue
            record = checker.check(dict(zip(keys, row)), line)
            if record is None:
                ok = False
            else:
                records.add(record)
    except csv.Error as exc:
        problems.error(path, reader.line_num, f"CSV 格式错误：{exc}")
        return None
    return records if ok else None


def _numbered(reader: Iterable[list[str]]) -> Iterator[tuple[int, list[str]]]:
    """(first line of the row, row) for each non-blank row of a csv reader."""
    line = 1
    for row in reader:
        start = line
        line = getattr(reader, "line_num", line) + 1
        if any(cell.strip() for cell in row):
            yield start, row
