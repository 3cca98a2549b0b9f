"""Assistance standards (救助保障标准): ``content/standards/*.yaml`` → `Standard`.

One file per standard, with its full history of adjustments. Everything one file can be checked
against is checked here (dates real and strictly increasing, amounts positive, districts named in
site.yaml, a URL-safe id); whether each ``basis`` names a published policy is a cross-file rule
and lives in ``site_builder.site``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Any

from .. import urls
from ..cache import SourceCache, cached
from ..config import SiteConfig
from ..problems import Problems
from .document import SLUG, discover
from .fields import Field, read_fields, written_key
from .yamldoc import load_yaml_file

FIELDS = (
    Field("id", None, "str"),
    Field("name", "名称", "str", required=True, max_len=100),
    Field("group", "类别", "str", required=True, max_len=60, more_aliases=("救助对象",)),
    Field("unit", "单位", "str", required=True, max_len=20),
    Field("order", "排序", "int"),
    Field("description", "说明", "str", max_len=500),
    Field("history", "调整记录", "list", required=True),
)
ENTRY = (
    Field("effective", "执行日期", "date", required=True),
    Field("default", "标准", "number", required=True),
    Field("districts", "区县标准", "mapping"),
    Field("basis", "依据", "str", required=True),
)


@dataclass(frozen=True, slots=True)
class StandardEntry:
    """One adjustment: from ``effective`` on, ``default`` everywhere except the ``districts`` listed."""

    effective: date
    default: Decimal
    districts: Mapping[str, Decimal]  # overrides only, in file order
    basis: str  # slug of the policy that set this value
    line: int  # the item's line, for messages
    basis_line: int

    def amount(self, district: str) -> Decimal:
        """The amount that applies in ``district`` under this adjustment."""
        return self.districts.get(district, self.default)


@dataclass(frozen=True, slots=True)
class Standard:
    source: Path
    id: str
    name: str
    group: str
    unit: str
    order: int | None  # None: listed after every ordered standard, and not on the home page
    description: str
    history: tuple[StandardEntry, ...]  # strictly increasing ``effective``
    lines: Mapping[str, int]

    @property
    def url(self) -> str:
        return urls.standard(self.id)

    def line(self, key: str) -> int:
        return self.lines.get(key, 1)


def standard_sort_key(standard: Standard) -> tuple[bool, int, str]:
    return (standard.order is None, standard.order or 0, standard.id)


def load_standards(config: SiteConfig, problems: Problems, cache: SourceCache | None = None) -> list[Standard]:
    """Every standard file under ``content/standards/``, checked one by one, in display order."""
    standards = []
    for path in discover(config.content_dir / "standards", "*.yaml") + discover(
        config.content_dir / "standards", "*.yml"
    ):
        standard = cached(cache, "standard", [path], problems, partial(load_standard, path, config))
        if standard is not None:
            standards.append(standard)
    return sorted(standards, key=standard_sort_key)


def load_standard(path: Path, config: SiteConfig, problems: Problems) -> Standard | None:
    doc = load_yaml_file(path, problems)
    if doc is None:
        return None
    before = len(problems.errors)
    f = read_fields(doc, (), FIELDS, path, problems, what="救助保障标准")

    ident = f["id"] or path.stem
    if not SLUG.match(ident):
        problems.error(
            path,
            f.line("id") if f["id"] else 1,
            f"id “{ident}” 无效：只能使用小写字母、数字和连字符（a-z、0-9、-），如 dibao-chengshi"
            + ("" if f["id"] else "；未写 id 时取文件名，请改文件名或写上 id"),
        )

    items: list[Any] = f["history"] or []
    history_key = written_key(doc.data, FIELDS[-1])
    if f["history"] is not None and not items:
        problems.error(path, f.line("history"), "调整记录 history 不能为空：至少要有一次执行日期和标准")
    history: list[StandardEntry] = []
    previous: tuple[date, int] | None = None
    for index in range(len(items)):
        e = read_fields(doc, (history_key, index), ENTRY, path, problems, what=f"调整记录第 {index + 1} 条")
        effective: date | None = e["effective"]
        if effective is not None:
            if previous is not None and effective <= previous[0]:
                problems.error(
                    path,
                    e.line("effective"),
                    f"执行日期 {effective} 应晚于上一条调整的执行日期 {previous[0]}（第 {previous[1]} 行）："
                    "调整记录须按时间先后排列，且同一天只能有一条",
                )
            previous = (effective, e.line("effective"))
        default = None
        if e["default"] is not None:  # a missing or wrongly typed one is already reported
            default = _amount(e["default"], "标准 default", path, e.line("default"), problems)
        overrides: dict[str, Decimal] = {}
        districts_key = written_key(doc.data[history_key][index], ENTRY[2])
        for district, raw in (e["districts"] or {}).items():
            line = doc.line(history_key, index, districts_key, district)
            if district not in config.districts:
                problems.error(
                    path,
                    line,
                    f"区县 “{district}” 不在 site.yaml 的 districts 中（可选：{'、'.join(config.districts)}）",
                )
                continue
            value = _amount(raw, f"{district}的标准", path, line, problems)
            if value is not None:
                overrides[district] = value
        if effective is not None and default is not None and e["basis"]:
            history.append(StandardEntry(effective, default, overrides, e["basis"], e.default_line, e.line("basis")))

    if len(problems.errors) > before:
        return None
    return Standard(
        source=path,
        id=ident,
        name=f["name"],
        group=f["group"],
        unit=f["unit"],
        order=f["order"],
        description=f["description"] or "",
        history=tuple(history),
        lines=dict(f.lines),
    )


def _amount(raw: Any, label: str, path: Path, line: int, problems: Problems) -> Decimal | None:
    """A positive amount of money with at most two decimals (分), as an exact Decimal."""
    if isinstance(raw, bool) or not isinstance(raw, (int, float)) or not math.isfinite(raw):
        problems.error(path, line, f"{label} 应为正数金额，实际为 “{raw}”")
        return None
    value = Decimal(str(raw))
    if value <= 0:
        problems.error(path, line, f"{label} 应为正数金额，实际为 {raw}")
        return None
    if value != value.quantize(Decimal("0.01")):
        problems.error(path, line, f"{label} {raw} 最多保留两位小数（到分）")
        return None
    # 1500.0 and 1500 are the same amount; keep the plain integer form for display and data
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value
