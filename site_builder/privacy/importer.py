"""``build.py import-roster``: a raw export of the assistance system → a masked roster.

The export (``.csv`` in UTF-8 or GBK/GB18030, or ``.xlsx``) has whatever columns the system
gives it: names, ID numbers, phones, addresses, bank accounts, incomes … Only the published
fields of SPEC 3.4 are kept, names are masked (SPEC 4), and every kept value goes through the
same row rules as a roster CSV (`RowChecker`), the personal-data detectors (a phone typed into
备注 stops the import) and the lexicon of sensitive words over 类别, 救助事由 and 备注 (`lexicon`;
with ``--skip-bad`` such a cell is left empty and the rest of its row imported, since those
fields are optional, and the report names every row and column emptied). Rows stream from the
file to a hidden temporary CSV beside the target, so memory does not grow with the export; the
YAML and CSV appear only when every row was good (or bad ones were skipped with ``--skip-bad``).
"""

from __future__ import annotations

import codecs
import csv
import os
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..config import load_config
from ..problems import ContentError, Problems, UsageError
from ..sources.rosters import (
    COLUMNS,
    PERIOD,
    PRELIMINARY,
    ROSTER_SLUG,
    STAGES,
    TERMINATION,
    RowChecker,
    default_title,
)
from .detect import scan_text
from .gate import allow_list, lexicon_of
from .lexicon import FREE_TEXT_KEYS, Lexicon, lexicon
from .mask import mask_name

__all__ = ["ImportResult", "import_roster"]

HEADER_SEARCH_ROWS = 10  # exports often have a title line or two above the header
MAX_LISTED_PROBLEMS = 200
MAX_LISTED_CELLS = 20  # emptied cells named one by one in the --skip-bad note

# Header variants seen in exports, normalised by `_normal_header` (no spaces, ASCII brackets).
# Earlier names win when an export has two columns for the same field.
HEADERS: dict[str, tuple[str, ...]] = {
    "name": (
        "户主姓名",
        "户主",
        "户主名称",
        "申请人姓名",
        "申请人",
        "保障对象姓名",
        "救助对象姓名",
        "对象姓名",
        "姓名",
        "name",
    ),
    "street": (
        "街道/乡镇",
        "街道(乡镇)",
        "乡镇(街道)",
        "乡镇/街道",
        "街道乡镇",
        "乡镇街道",
        "所属街道",
        "所属乡镇",
        "镇街",
        "街道",
        "乡镇",
        "street",
    ),
    "community": (
        "社区/村",
        "社区(村)",
        "村(社区)",
        "村/社区",
        "社区村",
        "村社区",
        "所属社区",
        "所属村",
        "村居",
        "社区",
        "村",
        "community",
    ),
    "persons": (
        "保障人数",
        "享受人数",
        "救助人数",
        "在保人数",
        "保障人口",
        "家庭人口",
        "家庭人数",
        "人口数",
        "人数",
        "persons",
    ),
    "amount": (
        "保障金额",
        "月保障金额",
        "救助金额",
        "月发放金额",
        "发放金额",
        "保障金",
        "救助金",
        "低保金",
        "金额",
        "amount",
    ),
    "category": ("类别", "保障类别", "对象类别", "救助类别", "分类类别", "供养方式", "category"),
    "reason": ("救助事由", "事由", "救助原因", "reason"),
    "note": ("备注", "说明", "note"),
}
# Columns known to hold personal data: dropped, and named as such in the report.
SENSITIVE = (
    "身份证",
    "证件",
    "公民身份",
    "电话",
    "手机",
    "联系方式",
    "住址",
    "地址",
    "银行",
    "卡号",
    "账号",
    "帐号",
    "开户",
    "收入",
    "财产",
    "存款",
    "房产",
    "车辆",
    "疾病",
    "病",
    "残疾",
    "健康",
    "出生",
    "年龄",
    "性别",
    "民族",
    "婚姻",
    "工作单位",
    "成员",
    "关系",
)
_UNITS = re.compile(r"[(（][^()（）]*(元|人|月|户)[^()（）]*[)）]$")
_BLANKS = frozenset({"-", "--", "—", "——", "/", "无"})


class _Unreadable(Exception):
    """The export cannot be read to the end (its problem is recorded): never import part of it."""


@dataclass
class ImportResult:
    yaml_path: Path
    csv_path: Path
    households: int
    persons: int
    amount: Decimal
    skipped: int
    notes: list[str] = field(default_factory=list)


def _normal_header(cell: Any) -> str:
    text = "" if cell is None else str(cell)
    text = text.translate(str.maketrans("（）：", "():")).replace(" ", "").replace("\u3000", "").strip()
    text = _UNITS.sub("", text)
    return text.rstrip(":").lower()


_LOOKUP = {name.lower(): key for key, names in HEADERS.items() for name in names}
_PRIORITY = {name.lower(): index for names in HEADERS.values() for index, name in enumerate(names)}


def map_header(cells: list[Any]) -> tuple[dict[str, int], list[str], list[str]]:
    """Column index of each kept field; the dropped personal-data and unknown column names."""
    chosen: dict[str, tuple[int, int]] = {}
    dropped_sensitive: list[str] = []
    dropped_unknown: list[str] = []
    for index, cell in enumerate(cells):
        shown = "" if cell is None else str(cell).strip()
        name = _normal_header(cell)
        if not name:
            continue
        key = _LOOKUP.get(name)
        if key is None:
            (dropped_sensitive if any(word in name for word in SENSITIVE) else dropped_unknown).append(shown)
            continue
        priority = _PRIORITY[name]
        if key in chosen and chosen[key][1] <= priority:
            dropped_unknown.append(shown)
            continue
        if key in chosen:
            dropped_unknown.append(str(cells[chosen[key][0]]).strip())
        chosen[key] = (index, priority)
    return {key: index for key, (index, _) in chosen.items()}, dropped_sensitive, dropped_unknown


def detect_encoding(path: Path) -> str:
    """utf-8-sig if the whole file decodes as UTF-8, else gb18030 (GBK's superset)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        with path.open("rb") as stream:
            while chunk := stream.read(1 << 20):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return "gb18030"
    return "utf-8-sig"


def _csv_rows(path: Path, problems: Problems) -> Iterator[tuple[int, list[Any]]]:
    encoding = detect_encoding(path)
    line = 1
    with path.open("r", encoding=encoding, errors="strict", newline="") as stream:
        try:
            first = stream.readline()
            stream.seek(0)
            delimiter = "\t" if "\t" in first and "," not in first else ","
            reader = csv.reader(stream, delimiter=delimiter)
            for row in reader:
                yield line, list(row)
                line = reader.line_num + 1
        except UnicodeDecodeError as exc:
            problems.error(path, line, f"文件既不是 UTF-8 也不是 GBK 编码，无法读取（{exc.reason}）")
            raise _Unreadable from None
        except csv.Error as exc:
            problems.error(path, line, f"CSV 格式错误：{exc}")
            raise _Unreadable from None


def _xlsx_rows(path: Path, problems: Problems, notes: list[str]) -> Iterator[tuple[int, list[Any]]]:
    import openpyxl  # type: ignore[import-untyped]  # only needed for .xlsx exports
    from openpyxl.utils.exceptions import InvalidFileException  # type: ignore[import-untyped]

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, OSError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        problems.error(path, 1, f"无法打开 Excel 文件（文件已损坏或不是 .xlsx？）：{exc}")
        raise _Unreadable from None
    try:
        sheets = book.worksheets
        if not sheets:
            problems.error(path, 1, "Excel 文件没有工作表")
            raise _Unreadable
        if len(sheets) > 1:
            others = "、".join(s.title for s in sheets[1:])
            notes.append(f"只读取了第一个工作表 “{sheets[0].title}”，其余工作表（{others}）已忽略")
        sheet = sheets[0]
        sheet.reset_dimensions()  # exports often carry wrong dimensions; read every row
        for number, row in enumerate(sheet.iter_rows(values_only=True), 1):
            yield number, list(row)
    finally:
        book.close()


def _cell(row: list[Any], index: int | None) -> Any:
    if index is None or index >= len(row):
        return None
    value = row[index]
    if isinstance(value, str):
        value = value.strip()
        if value in _BLANKS:
            return ""
    return value


def _clean_number(value: Any, unit: str) -> Any:
    """Raw numbers as exports write them: '1,234.50元', '￥980', '3人', 3.0 → the plain form."""
    if isinstance(value, float) and value.is_integer() and unit == "人":
        return int(value)
    if isinstance(value, str):
        text = value.replace(",", "").replace("，", "").replace("￥", "").replace("¥", "").strip()
        for suffix in (unit, "元/月", "元"):
            text = text.removesuffix(suffix).strip()
        return text
    return value


def import_roster(
    src: Path,
    *,
    program: str,
    district: str,
    period: str,
    content_dir: Path,
    out_dir: Path | None = None,
    stage: str = "长期公示",
    publish_from: date,
    publish_until: date | None = None,
    title: str | None = None,
    slug: str | None = None,
    skip_bad: bool = False,
    force: bool = False,
    display_root: Path | None = None,
) -> ImportResult:
    """Import ``src`` into ``out_dir`` (default ``content_dir/rosters``). Raises ContentError
    (every bad row, as ``SRC:row: message``) or UsageError; writes nothing then."""
    problems = Problems(display_root=display_root or Path.cwd())
    allow: frozenset[str] = frozenset()
    districts: tuple[str, ...] = ()
    words = lexicon()
    if (content_dir / "site.yaml").is_file():
        config = load_config(content_dir, problems)
        problems.raise_if_errors()
        assert config is not None
        allow, districts, words = allow_list(config), config.districts, lexicon_of(config)
    _check_arguments(src, program, district, districts, period, stage, publish_from, publish_until)
    slug = slug or default_slug(program, district, period, stage)
    if not ROSTER_SLUG.match(slug):
        raise UsageError(f"--slug “{slug}” 无效：只能使用小写字母、数字、汉字和单个连字符")
    target_dir = out_dir if out_dir is not None else content_dir / "rosters"
    yaml_path, csv_path = target_dir / f"{slug}.yaml", target_dir / f"{slug}.csv"
    existing = [p for p in (yaml_path, csv_path, target_dir / f"{slug}.yml") if p.exists()]
    if existing and not force:
        raise UsageError(f"{existing[0]} 已存在；确认要替换这份名单请加 --force")

    notes: list[str] = []
    suffix = src.suffix.lower()
    rows = _xlsx_rows(src, problems, notes) if suffix == ".xlsx" else _csv_rows(src, problems)
    target_dir.mkdir(parents=True, exist_ok=True)
    temp = target_dir / f".{slug}.csv.tmp"  # hidden: the loader skips it if a crash leaves it behind
    temp_yaml = target_dir / f".{slug}.yaml.tmp"
    try:
        with temp.open("w", encoding="utf-8-sig", newline="") as stream:
            try:
                writer = csv.writer(stream, lineterminator="\n")
                rules = _Rules(allow, words, program, skip_bad)
                summary = _convert(src, rows, writer, problems, rules, notes)
            except _Unreadable:
                raise ContentError(problems.errors) from None
        if summary.unreadable or (problems.errors and not skip_bad):
            raise ContentError(problems.errors)
        if summary.households == 0:
            problems.error(src, summary.header_line, "没有可导入的数据行")
            raise ContentError(problems.errors)
        if summary.skipped:
            notes.append(f"已跳过 {summary.skipped} 行有问题的数据（--skip-bad），其余 {summary.households} 户已导入")
        if summary.emptied:
            notes.append(_emptied_note(summary.emptied))
        temp_yaml.write_text(
            _yaml(
                title or default_title(program, district, period, stage),
                program,
                district,
                period,
                stage,
                publish_from,
                publish_until,
            ),
            encoding="utf-8",
        )
        os.replace(temp, csv_path)
        os.replace(temp_yaml, yaml_path)
        (target_dir / f"{slug}.yml").unlink(missing_ok=True)  # only reached with --force
    finally:
        temp.unlink(missing_ok=True)
        temp_yaml.unlink(missing_ok=True)
    return ImportResult(
        yaml_path,
        csv_path,
        summary.households,
        summary.persons,
        summary.amount,
        summary.skipped,
        [str(p) for p in problems.errors] + notes,
    )


@dataclass
class _Summary:
    households: int = 0
    persons: int = 0
    amount: Decimal = Decimal(0)
    skipped: int = 0
    hidden: int = 0  # bad rows beyond MAX_LISTED_PROBLEMS, counted but not listed
    header_line: int = 1
    unreadable: bool = False  # no usable header, or the file could not be read to the end
    emptied: list[tuple[int, str]] = field(default_factory=list)  # (row, column) of cells left empty


@dataclass(frozen=True)
class _Rules:
    """What every kept cell is checked against, beside `RowChecker`."""

    allow: frozenset[str]  # public numbers (pii.allow and the publisher's USCC)
    words: Lexicon  # sensitive words for 类别, 救助事由, 备注
    program: str  # the roster's program: its own program phrases are allowed
    skip_bad: bool  # a refused free-text cell is emptied, not the row refused


def _emptied_note(cells: list[tuple[int, str]]) -> str:
    """已删去 2 个含敏感个人信息的单元格（--skip-bad）…：第 3 行 备注、第 5 行 救助事由."""
    shown = "、".join(f"第 {line} 行 {header}" for line, header in cells[:MAX_LISTED_CELLS])
    more = f"等（共 {len(cells)} 处）" if len(cells) > MAX_LISTED_CELLS else ""
    return f"已删去 {len(cells)} 个含敏感个人信息的单元格（--skip-bad），这些行的其余内容已导入：{shown}{more}"


def _convert(
    src: Path,
    rows: Iterator[tuple[int, list[Any]]],
    writer: Any,
    problems: Problems,
    rules: _Rules,
    notes: list[str],
) -> _Summary:
    """Stream ``rows`` into ``writer``: find the header, then check, mask and write each row."""
    summary = _Summary()
    columns: dict[str, int] | None = None
    for line, row in rows:
        if columns is None:
            columns, sensitive, unknown = map_header(row)
            if "name" not in columns:
                if line >= HEADER_SEARCH_ROWS:
                    break
                columns = None  # a title line above the header
                continue
            summary.header_line = line
            missing = [c.header for c in COLUMNS if c.required and c.key not in columns]
            if missing:
                problems.error(
                    src,
                    line,
                    f"缺少必需的列：{'、'.join(missing)}（能识别的列名如 "
                    + "；".join(
                        f"{c.header}：{'、'.join(HEADERS[c.key][:4])}"
                        for c in COLUMNS
                        if c.key in {"street", "community", "persons", "amount"}
                    )
                    + "）",
                )
                summary.unreadable = True
                return summary
            if sensitive:
                notes.append(f"已丢弃含个人信息的列（不会公布）：{'、'.join(sensitive)}")
            if unknown:
                notes.append(f"已丢弃未识别的列：{'、'.join(unknown)}")
            kept = [c for c in COLUMNS if c.key in columns]
            writer.writerow([c.header for c in kept])
            batch = _Batch(src, writer, kept, columns, problems, rules, summary)
            continue
        values = {key: _cell(row, index) for key, index in columns.items()}
        if all(c is None or str(c).strip() == "" for c in row):
            continue  # blank line
        batch.add(line, values)
    if columns is None:
        problems.error(src, 1, f"前 {HEADER_SEARCH_ROWS} 行中找不到表头（应有“姓名”或“户主姓名”列）")
        summary.unreadable = True
        return summary
    batch.flush()
    if summary.hidden:
        problems.error(src, batch.last_line, f"另有 {summary.hidden} 行有问题，未逐一列出")
    return summary


class _Batch:
    """Rows waiting to be checked and written. The personal-number scan runs over the kept
    values of many rows at once: a `scan_text` call per cell would cost more than all the rest."""

    SIZE = 1000

    def __init__(
        self,
        src: Path,
        writer: Any,
        kept: list[Any],
        columns: dict[str, int],
        problems: Problems,
        rules: _Rules,
        summary: _Summary,
    ):
        self.src, self.writer, self.kept, self.problems = src, writer, kept, problems
        self.columns, self.rules, self.allow = columns, rules, rules.allow
        self.summary = summary
        self.checker = RowChecker(src, problems)
        self.rows: list[tuple[int, dict[str, Any]]] = []
        self.last_line = 1

    def add(self, line: int, values: dict[str, Any]) -> None:
        self.rows.append((line, values))
        self.last_line = line
        if len(self.rows) >= self.SIZE:
            self.flush()

    def flush(self) -> None:
        texts: list[str] = []
        owners: list[tuple[int, str]] = []
        for index, (_, values) in enumerate(self.rows):
            for key, value in values.items():
                if value is None or value == "":
                    continue
                for part in str(value).split("\n"):
                    texts.append(part)
                    owners.append((index, key))
        flagged: set[int] = set()
        for finding in scan_text("\n".join(texts), self.allow) if texts else ():
            index, key = owners[finding.line - 1]
            flagged.add(index)
            self.problems.error(
                self.src, self.rows[index][0], f"{_header(key)}中{finding.message}：个人信息不能写入名单"
            )
        for index, (line, values) in enumerate(self.rows):
            self._row(line, values, index in flagged)
        self.rows.clear()

    def _row(self, line: int, values: dict[str, Any], flagged: bool) -> None:
        summary = self.summary
        name = "" if values.get("name") is None else str(values["name"]).strip()
        values["name"] = name if any(ch.isdigit() for ch in name) else mask_name(name)
        values["persons"] = _clean_number(values.get("persons"), "人")
        values["amount"] = _clean_number(values.get("amount"), "元")
        refused = [] if flagged else self._sensitive_cells(values)
        if refused and not self.rules.skip_bad:
            flagged = True
        for key, message in refused:
            suffix = "，已删去这一格" if self.rules.skip_bad else ""
            self.problems.error(self.src, line, message.replace("不能写入名单", "不能写入名单" + suffix, 1))
            values[key] = ""
        record = None if flagged else self.checker.check(values, line)
        if len(self.problems.items) > MAX_LISTED_PROBLEMS:
            del self.problems.items[MAX_LISTED_PROBLEMS:]
            summary.hidden += 1
        if record is None:
            summary.skipped += 1
            return
        summary.emptied += [(line, _header(key)) for key, _ in refused]
        self.writer.writerow([_format(getattr(record, c.key)) for c in self.kept])
        summary.households += 1
        summary.persons += record.persons
        summary.amount += record.amount

    def _sensitive_cells(self, values: dict[str, Any]) -> list[tuple[str, str]]:
        """(key, message) of each 类别, 救助事由 or 备注 cell that names sensitive personal
        information or is not a coarse category; the message shows only a masked word."""
        refused: list[tuple[str, str]] = []
        for key in FREE_TEXT_KEYS:
            value = values.get(key)
            text = "" if value is None else str(value).strip()
            verdict = self.rules.words.check(key, text, self.rules.program) if text else None
            if verdict is not None:
                what, hint = verdict
                where = f"（第 {self.columns[key] + 1} 列 {_header(key)}）"
                refused.append((key, f"个人信息：{_header(key)}{what}，不能写入名单{where}{hint}"))
        return refused


def _header(key: str) -> str:
    return next(c.header for c in COLUMNS if c.key == key)


def _format(value: Any) -> str:
    if isinstance(value, Decimal):  # 2570.0 → 2570, 995.50 → 995.5
        return str(int(value)) if value == value.to_integral_value() else f"{value.normalize():f}"
    return str(value)


def _yaml(
    title: str,
    program: str,
    district: str,
    period: str,
    stage: str,
    publish_from: date,
    publish_until: date | None,
) -> str:
    lines = [
        "# 由 build.py import-roster 从救助系统导出文件生成；名单见同名 CSV。",
        "# 名单只能有户主姓名（已遮蔽）、街道/乡镇、社区/村、保障人数、保障金额、类别、救助事由和备注，",
        "# 不要加入身份证号码、电话、住址等任何其他个人信息。",
        f"title: {_quote(title)}",
        f"program: {_quote(program)}",
        f"district: {_quote(district)}",
        f'period: "{period}"',
        f"stage: {stage}",
        f"publish_from: {publish_from.isoformat()}",
    ]
    if publish_until is not None:
        lines.append(f"publish_until: {publish_until.isoformat()}")
    return "\n".join(lines) + "\n"


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def default_slug(program: str, district: str, period: str, stage: str) -> str:
    """2026-11-中心区-城市低保, with -初审 for a 初审公示 notice and -终止 for a 终止公示."""
    slug = f"{period}-{district}-{program}" + {PRELIMINARY: "-初审", TERMINATION: "-终止"}.get(stage, "")
    return re.sub(r"[^0-9a-z\u3400-\u9fff]+", "-", slug.lower()).strip("-")


def _check_arguments(
    src: Path,
    program: str,
    district: str,
    districts: tuple[str, ...],
    period: str,
    stage: str,
    publish_from: date,
    publish_until: date | None,
) -> None:
    if not src.is_file():
        raise UsageError(f"找不到导出文件：{src}")
    if src.suffix.lower() not in (".csv", ".xlsx"):
        raise UsageError(f"只能导入 .csv 或 .xlsx 文件：{src.name}（旧版 .xls 请先另存为 .xlsx）")
    if not program.strip() or "/" in program:
        raise UsageError(f"--program “{program}” 无效")
    if districts and district not in districts:
        raise UsageError(f"--district “{district}” 不在 site.yaml 的 districts 中（可选：{'、'.join(districts)}）")
    if not PERIOD.match(period):
        raise UsageError(f"--period “{period}” 应为 YYYY-MM，如 2026-11")
    if stage not in STAGES:
        raise UsageError(f"--stage 只能是：{'、'.join(STAGES)}")
    if publish_until is not None and publish_until < publish_from:
        raise UsageError(f"--publish-until {publish_until} 不能早于 --publish-from {publish_from}")
