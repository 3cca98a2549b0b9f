"""Typed fields of a YAML mapping: English keys with Chinese aliases, one error per bad value.

Every content kind declares its keys as a tuple of `Field`; `read_fields` turns a parsed
mapping into checked Python values, recording problems (with the key's line) as it goes.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any, Literal

from ..problems import Problems
from .textfile import CONTROL, control_message
from .yamldoc import Key, YamlDoc

Kind = Literal["str", "date", "strlist", "bool", "number", "int", "mapping", "list"]
_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_KIND_NAMES = {
    "str": "文字",
    "date": "日期（YYYY-MM-DD）",
    "strlist": "文字列表",
    "bool": "true 或 false",
    "number": "数字",
    "int": "整数",
    "mapping": "键值映射",
    "list": "列表",
}
TYPO_CUTOFF = 0.75  # difflib ratio: catgory → category 0.93, data → date 0.75, colour → contact 0.31


@dataclass(frozen=True, slots=True)
class Field:
    key: str
    alias: str | None
    kind: Kind
    required: bool = False
    choices: tuple[str, ...] = ()
    max_len: int | None = None
    more_aliases: tuple[str, ...] = ()  # further accepted names, e.g. 救助对象 beside 类别

    @property
    def label(self) -> str:
        names = "/".join(a for a in (self.alias, *self.more_aliases) if a)
        return f"{self.key}（{names}）" if names else self.key


@dataclass(frozen=True, slots=True)
class Fields:
    """The values read from one mapping, and the line of each key (by English name)."""

    values: Mapping[str, Any]
    lines: Mapping[str, int]
    default_line: int

    def __getitem__(self, key: str) -> Any:
        return self.values.get(key)

    def line(self, key: str) -> int:
        return self.lines.get(key, self.default_line)


def parse_date(value: Any) -> date | None:
    """A real calendar date written as YYYY-MM-DD, else None."""
    if isinstance(value, datetime):  # an explicit !!timestamp with a time of day
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        return None
    match = _DATE.match(value.strip())
    if not match:
        return None
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def read_fields(
    doc: YamlDoc,
    prefix: Key,
    spec: tuple[Field, ...],
    path: Path,
    problems: Problems,
    *,
    what: str,
) -> Fields:
    """Read the mapping at ``prefix`` of ``doc`` against ``spec``.

    Chinese aliases are accepted; a key given twice (once per name) is an error; unknown keys are
    warnings (errors under --strict); a missing required key is an error at the mapping's line.
    An unknown key that resembles a key not given (``catgory``, ``doc_n``) is named as its likely
    misspelling: for a missing required key the error moves to the misspelt key's line.
    """
    mapping = doc.data
    for part in prefix:
        mapping = mapping[part]
    base_line = doc.line(*prefix) if prefix else doc.first_line
    if not isinstance(mapping, dict):
        problems.error(path, base_line, f"{what}必须是“键: 值”形式的映射")
        return Fields({}, {}, base_line)
    by_name = {f.key: f for f in spec} | {f.alias: f for f in spec if f.alias}
    by_name |= {a: f for f in spec for a in f.more_aliases}
    values: dict[str, Any] = {}
    lines: dict[str, int] = {}
    unknown: dict[str, int] = {}  # name → line
    for name, raw in mapping.items():
        line = doc.line(*prefix, name)
        field = by_name.get(name)
        if field is None:
            unknown[str(name)] = line
            continue
        if field.key in lines:
            problems.error(path, line, f"{field.label} 重复出现（第 {lines[field.key]} 行已给出）")
            continue
        lines[field.key] = line
        value = _convert(field, raw, path, line, problems)
        if value is not None:
            values[field.key] = value
    absent = [f for f in spec if f.key not in lines]
    guesses = {name: guess for name in unknown if (guess := _likely_field(name, absent)) is not None}
    for field in spec:
        if not field.required or field.key in lines:
            continue
        typo = max((n for n, (_, f) in guesses.items() if f is field), key=lambda n: guesses[n][0], default=None)
        if typo is None:
            problems.error(path, base_line, f"缺少必填项 {field.label}（{what}）")
            continue
        line = unknown.pop(typo)
        problems.error(path, line, f"缺少必填项 {field.label}（{what}）；第 {line} 行的 “{typo}” 可能是它的笔误")
    for name, line in unknown.items():
        hint = f"；可能是 {guesses[name][1].label}的笔误" if name in guesses else ""
        problems.warning(path, line, f"未知的键 “{name}”，已忽略（{what}）{hint}")
    return Fields(values, lines, base_line)


def written_key(mapping: Any, field: Field) -> str:
    """The name under which ``field`` appears in ``mapping``: its English key or an alias (the
    English key when it is absent), to address the lines of a list's items in a `YamlDoc`."""
    names = (field.key, field.alias, *field.more_aliases)
    if isinstance(mapping, dict):
        for name in names:
            if name in mapping:
                return str(name)
    return field.key


def _likely_field(name: str, candidates: list[Field]) -> tuple[float, Field] | None:
    """The field whose English key or Chinese alias ``name`` most resembles (ignoring case),
    with the similarity; None when none is close enough to be a likely misspelling."""
    best: tuple[float, Field] | None = None
    folded = name.casefold()
    for field in candidates:
        for known in (field.key, field.alias, *field.more_aliases):
            if not known:
                continue
            ratio = SequenceMatcher(None, folded, known.casefold()).ratio()
            if ratio >= TYPO_CUTOFF and (best is None or ratio > best[0]):
                best = (ratio, field)
    return best


def _convert(field: Field, raw: Any, path: Path, line: int, problems: Problems) -> Any:
    """The checked value of ``raw`` for ``field``, or None (with a problem recorded when bad)."""
    at = _At(field, raw, path, line, problems)
    if raw is None or (isinstance(raw, str) and not raw.strip() and field.kind != "str"):
        if field.required:
            at.bad()
        return None
    return _CONVERTERS[field.kind](raw, at)


@dataclass(frozen=True, slots=True)
class _At:
    """Where a value is being read, to report what is wrong with it."""

    field: Field
    raw: Any
    path: Path
    line: int
    problems: Problems

    def error(self, message: str) -> None:
        """Report ``message`` about the field, after its label."""
        self.problems.error(self.path, self.line, f"{self.field.label} {message}")

    def bad(self) -> None:
        """Report that the value is not of the field's kind."""
        shown = "空值" if self.raw is None else f"“{self.raw}”"
        self.error(f"应为{_KIND_NAMES[self.field.kind]}，实际为 {shown}")


def _to_str(raw: Any, at: _At) -> str | None:
    if isinstance(raw, (bool, dict, list)):
        at.bad()
        return None
    value = str(raw).strip()
    control = CONTROL.search(value)
    if control is not None:  # written as a YAML escape such as "\x07"; the file itself is clean
        at.error(control_message(control.group()))
        return None
    field = at.field
    if field.required and not value:
        at.bad()
        return None
    if field.choices and value not in field.choices:
        at.error(f"的值 “{value}” 无效，只能是：{'、'.join(field.choices)}")
        return None
    if field.max_len is not None and len(value) > field.max_len:
        at.error(f"过长：{len(value)} 个字符，最多 {field.max_len} 个")
        return None
    return value or None


def _to_date(raw: Any, at: _At) -> date | None:
    parsed = parse_date(raw)
    if parsed is None:
        if isinstance(raw, str) and _DATE.match(raw.strip()):
            at.error(f"的日期 “{raw}” 不存在（不是真实的日历日期）")
        else:
            at.bad()
    return parsed


def _to_strlist(raw: Any, at: _At) -> tuple[str, ...] | None:
    items = [raw] if isinstance(raw, str) else raw
    if not isinstance(items, list) or not all(
        isinstance(i, (str, int, float)) and not isinstance(i, bool) for i in items
    ):
        at.bad()
        return None
    control = next((m for m in map(CONTROL.search, map(str, items)) if m is not None), None)
    if control is not None:
        at.error(control_message(control.group()))
        return None
    return tuple(str(i).strip() for i in items if str(i).strip())


def _to_bool(raw: Any, at: _At) -> bool | None:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, str) and raw.strip() in ("是", "否"):
        return raw.strip() == "是"
    at.bad()
    return None


def _to_number(raw: Any, at: _At) -> int | float | None:
    not_finite = isinstance(raw, float) and not math.isfinite(raw)  # .inf, .nan
    if isinstance(raw, bool) or not isinstance(raw, (int, float)) or not_finite:
        at.bad()
        return None
    return raw


def _to_int(raw: Any, at: _At) -> int | None:
    if isinstance(raw, bool) or not isinstance(raw, int):  # 1.5, .inf, true
        at.bad()
        return None
    return raw


def _to_mapping(raw: Any, at: _At) -> dict[Any, Any] | None:
    if not isinstance(raw, dict):
        at.bad()
        return None
    return raw


def _to_list(raw: Any, at: _At) -> list[Any] | None:
    if not isinstance(raw, list):
        at.bad()
        return None
    return raw


# kind → its converter: the value, or None with the problem reported
_CONVERTERS: dict[Kind, Callable[[Any, _At], Any]] = {
    "str": _to_str,
    "date": _to_date,
    "strlist": _to_strlist,
    "bool": _to_bool,
    "number": _to_number,
    "int": _to_int,
    "mapping": _to_mapping,
    "list": _to_list,
}
