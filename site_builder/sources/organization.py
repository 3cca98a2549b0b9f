"""The bureau itself (机构信息): ``content/organization.yaml`` → `Organization`.

Three parts of 法定主动公开内容 that are about the bureau rather than its documents
(《政府信息公开条例》第二十条第（一）项 机构职能; the 领导信息 and 监督检查 that 国办公开办函〔2019〕61号
lists beside them): its functions (Markdown), its internal departments, its leaders and their
duties, and where residents write or phone to complain. One file, optional; `audit` says when a
part is missing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..cache import SourceCache, cached
from ..config import SiteConfig
from ..problems import Problems
from .fields import Field, read_fields, written_key
from .yamldoc import YamlDoc, load_yaml_file

FILE = "organization.yaml"

FIELDS = (
    Field("name", "机构名称", "str", max_len=100),
    Field("functions", "机构职能", "str", required=True),
    Field("departments", "内设机构", "list"),
    Field("leaders", "领导信息", "list", required=True),
    Field("supervision", "监督检查", "mapping", required=True),
    Field("updated", "更新日期", "date"),
)
DEPARTMENT = (
    Field("name", "名称", "str", required=True, max_len=60),
    Field("duties", "职责", "str", required=True, max_len=1000),
    Field("phone", "电话", "str", max_len=40),
)
LEADER = (
    Field("name", "姓名", "str", required=True, max_len=20),
    Field("post", "职务", "str", required=True, max_len=60),
    Field("duties", "分工", "str", required=True, max_len=500),
)
SUPERVISION = (
    Field("petition_address", "信访地址", "str", required=True, max_len=200),
    Field("petition_phone", "信访电话", "str", max_len=40),
    Field("complaint_phone", "投诉电话", "str", required=True, max_len=40, more_aliases=("监督电话",)),
    Field("email", "电子邮箱", "str", max_len=100),
    Field("note", "说明", "str", max_len=1000),
)


@dataclass(frozen=True, slots=True)
class Department:
    name: str
    duties: str
    phone: str


@dataclass(frozen=True, slots=True)
class Leader:
    name: str
    post: str
    duties: str


@dataclass(frozen=True, slots=True)
class Supervision:
    petition_address: str
    petition_phone: str
    complaint_phone: str
    email: str
    note: str


@dataclass(frozen=True, slots=True)
class Organization:
    source: Path
    name: str
    functions: str  # Markdown
    departments: tuple[Department, ...]
    leaders: tuple[Leader, ...]
    supervision: Supervision
    updated: date | None
    lines: Mapping[str, int]

    def line(self, key: str) -> int:
        return self.lines.get(key, 1)


def load_organization(config: SiteConfig, problems: Problems, cache: SourceCache | None = None) -> Organization | None:
    """``content/organization.yaml`` checked, or None when there is none (or it has errors)."""
    path = config.content_dir / FILE
    if not path.is_file():
        return None
    return cached(cache, "organization", [path], problems, lambda found: _load(path, config, found))


def _load(path: Path, config: SiteConfig, problems: Problems) -> Organization | None:
    doc = load_yaml_file(path, problems)
    if doc is None:
        return None
    before = len(problems.errors)
    f = read_fields(doc, (), FIELDS, path, problems, what="机构信息")
    departments = tuple(
        Department(d["name"], d["duties"], d["phone"] or "")
        for d in _items(doc, path, problems, FIELDS[2], f["departments"], DEPARTMENT, "内设机构")
    )
    leaders = tuple(
        Leader(d["name"], d["post"], d["duties"])
        for d in _items(doc, path, problems, FIELDS[3], f["leaders"], LEADER, "领导信息")
    )
    if f["leaders"] is not None and not f["leaders"]:
        problems.error(path, f.line("leaders"), "领导信息 leaders 不能为空：至少列出机构的主要负责人")
    supervision = Supervision("", "", "", "", "")
    if f["supervision"] is not None:
        s = read_fields(doc, (written_key(doc.data, FIELDS[4]),), SUPERVISION, path, problems, what="监督检查")
        supervision = Supervision(
            s["petition_address"] or "",
            s["petition_phone"] or "",
            s["complaint_phone"] or "",
            s["email"] or "",
            s["note"] or "",
        )
    if len(problems.errors) > before:
        return None
    return Organization(
        source=path,
        name=f["name"] or config.publisher_name,
        functions=f["functions"],
        departments=departments,
        leaders=leaders,
        supervision=supervision,
        updated=f["updated"],
        lines=dict(f.lines),
    )


def _items(
    doc: YamlDoc,
    path: Path,
    problems: Problems,
    field: Field,
    items: list[object] | None,
    spec: tuple[Field, ...],
    what: str,
) -> list[Mapping[str, str]]:
    """Each item of the list ``field`` read against ``spec``; only the complete ones."""
    key = written_key(doc.data, field)
    read = []
    for index in range(len(items or ())):
        item = read_fields(doc, (key, index), spec, path, problems, what=f"{what}第 {index + 1} 项")
        if all(item[s.key] is not None for s in spec if s.required):
            read.append(item.values)
    return read
