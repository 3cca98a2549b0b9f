"""Service guides (办事指南): ``content/guides/<slug>.yaml`` → `Guide`.

What 民办函〔2019〕52号 asks a 办事指南 of 低保, 特困 and 临时救助 to say: the matter and who handles
it, its legal basis, who may apply, the materials (a table), the steps, the time limits, the fee,
where and when, the phones, and the questions people ask. Everything one file can be checked
against is checked here, each at its line; whether each ``basis`` names a published policy and
each ``standards`` id an existing standard is a cross-file rule and lives in ``site_builder.site``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from .. import urls
from ..cache import SourceCache, cached
from ..config import SiteConfig
from ..problems import Problems
from .document import SLUG, discover
from .fields import Field, read_fields, written_key
from .yamldoc import YamlDoc, load_yaml_file

WHAT = "办事指南"
FREE = "不收费"  # the fee when none is written
CITYWIDE = "全市"  # a place without a district serves the whole city
FORMS = ("纸质", "电子", "纸质或电子")
MIN_STEPS = 2
STEP_NAME_MAX = 16  # a step's name is drawn inside a box of the flow diagram, on one line
_WORKING_DAYS = re.compile(r"^(\d+)\s*个工作日$")

FIELDS = (
    Field("title", "事项名称", "str", required=True, max_len=60),
    Field("summary", "内容概述", "str", max_len=300),
    Field("authority", "实施主体", "str", max_len=100),
    Field("audience", "服务对象", "str", max_len=300),
    Field("basis", "设定依据", "strlist", required=True),
    Field("standards", "相关标准", "strlist"),
    Field("eligibility", "受理条件", "strlist", required=True),
    Field("materials", "申请材料", "list", required=True),
    Field("steps", "办理流程", "list", required=True),
    Field("legal_limit", "法定办结时限", "str", required=True, max_len=60),
    Field("promised_limit", "承诺办结时限", "str", max_len=60),
    Field("fee", "收费", "str", max_len=200),
    Field("places", "办理地点", "list", required=True),
    Field("phone", "咨询电话", "str", required=True, max_len=60),
    Field("complaint_phone", "监督投诉电话", "str", required=True, max_len=60),
    Field("faq", "常见问题", "list"),
    Field("order", "排序", "int"),
    Field("updated", "更新日期", "date"),
    Field("draft", "草稿", "bool"),
)
_BY_KEY = {f.key: f for f in FIELDS}
MATERIAL = (
    Field("name", "名称", "str", required=True, max_len=100),
    Field("source", "来源", "str", max_len=100),
    Field("copies", "份数", "int"),
    Field("form", "形式", "str", choices=FORMS),
    Field("required", "必需", "bool"),
    Field("note", "备注", "str", max_len=200),
)
STEP = (
    Field("name", "环节", "str", required=True, max_len=STEP_NAME_MAX),
    Field("text", "说明", "str", required=True, max_len=500),
    Field("days", "时限", "str", max_len=30),
)
PLACE = (
    Field("district", "区县", "str"),
    Field("address", "地址", "str", required=True, max_len=200),
    Field("hours", "办理时间", "str", required=True, max_len=200),
)
QUESTION = (
    Field("question", "问", "str", required=True, max_len=200, more_aliases=("问题",)),
    Field("answer", "答", "str", required=True, max_len=1000, more_aliases=("解答",)),
)


@dataclass(frozen=True, slots=True)
class Material:
    """One row of 申请材料."""

    name: str
    source: str  # who issues it: "申请人提供", "户籍所在地派出所" …; "" when not written
    copies: int
    form: str  # one of FORMS
    required: bool
    note: str


@dataclass(frozen=True, slots=True)
class Step:
    """One step of 办理流程, in order."""

    name: str
    text: str
    days: str  # the step's own time limit, e.g. "3个工作日"; "" when not written


@dataclass(frozen=True, slots=True)
class Place:
    """Where and when to apply: for one district, or for the whole city (``district`` "")."""

    district: str
    address: str
    hours: str

    @property
    def where(self) -> str:
        return self.district or CITYWIDE


@dataclass(frozen=True, slots=True)
class Question:
    question: str
    answer: str


@dataclass(frozen=True, slots=True)
class Guide:
    source: Path
    slug: str
    title: str
    summary: str
    authority: str
    audience: str
    basis: tuple[str, ...]  # slugs of policies, in file order
    basis_lines: tuple[int, ...]  # the line of each
    standards: tuple[str, ...]  # ids of standards
    standard_lines: tuple[int, ...]
    eligibility: tuple[str, ...]
    materials: tuple[Material, ...]
    steps: tuple[Step, ...]
    legal_limit: str
    promised_limit: str
    fee: str
    places: tuple[Place, ...]  # the whole city's place first, then districts in site.yaml order
    phone: str
    complaint_phone: str
    faq: tuple[Question, ...]
    order: int | None
    updated: date | None
    draft: bool
    lines: Mapping[str, int]

    @property
    def url(self) -> str:
        return urls.guide(self.slug)

    def line(self, key: str) -> int:
        return self.lines.get(key, 1)


def guide_sort_key(guide: Guide) -> tuple[bool, int, str]:
    return (guide.order is None, guide.order or 0, guide.slug)


def load_guides(config: SiteConfig, problems: Problems, cache: SourceCache | None = None) -> list[Guide]:
    """Every guide under ``content/guides/``, checked one by one, in display order."""
    folder = config.content_dir / urls.GUIDES
    guides = []
    for path in discover(folder, "*.yaml") + discover(folder, "*.yml"):
        guide = cached(cache, "guide", [path], problems, partial(load_guide, path, config))
        if guide is not None:
            guides.append(guide)
    return sorted(guides, key=guide_sort_key)


def load_guide(path: Path, config: SiteConfig, problems: Problems) -> Guide | None:
    """One guide file, every problem recorded at its line; None when there is any error."""
    doc = load_yaml_file(path, problems)
    if doc is None:
        return None
    before = len(problems.errors)
    f = read_fields(doc, (), FIELDS, path, problems, what=WHAT)
    if not SLUG.match(path.stem):
        problems.error(
            path,
            1,
            f"文件名 “{path.stem}” 无效：办事指南的文件名就是网址，只能使用小写字母、数字和连字符（a-z、0-9、-），如 dibao.yaml",
        )
    reader = _Reader(doc, path, problems)
    basis = reader.slugs(f, "basis", "设定依据 basis 不能为空：至少写一件政策文件的 slug")
    standards = reader.slugs(f, "standards", "")
    if f["eligibility"] is not None and not f["eligibility"]:
        problems.error(path, f.line("eligibility"), "受理条件 eligibility 不能为空：至少写一条")
    materials = reader.materials(f)
    steps = reader.steps(f)
    places = reader.places(f, config.districts)
    faq = tuple(
        Question(q["question"], q["answer"])
        for q in reader.items(f, "faq", QUESTION, "常见问题")
        if q["question"] and q["answer"]
    )
    _check_limits(f["legal_limit"], f["promised_limit"], path, f.line("promised_limit"), problems)
    if len(problems.errors) > before:
        return None
    return Guide(
        source=path,
        slug=path.stem,
        title=f["title"],
        summary=f["summary"] or "",
        authority=f["authority"] or config.publisher_name,
        audience=f["audience"] or "",
        basis=tuple(s for s, _ in basis),
        basis_lines=tuple(line for _, line in basis),
        standards=tuple(s for s, _ in standards),
        standard_lines=tuple(line for _, line in standards),
        eligibility=f["eligibility"],
        materials=materials,
        steps=steps,
        legal_limit=f["legal_limit"],
        promised_limit=f["promised_limit"] or "",
        fee=f["fee"] or FREE,
        places=places,
        phone=f["phone"],
        complaint_phone=f["complaint_phone"],
        faq=faq,
        order=f["order"],
        updated=f["updated"],
        draft=bool(f["draft"]),
        lines=dict(f.lines),
    )


def working_days(limit: str) -> int | None:
    """30 for "30个工作日"; None for any other wording (such as "即时办结")."""
    match = _WORKING_DAYS.match(limit.strip())
    return int(match[1]) if match else None


def _check_limits(legal: str | None, promised: str | None, path: Path, line: int, problems: Problems) -> None:
    """A promise (承诺办结时限) may be shorter than the law allows (法定办结时限), never longer."""
    if not legal or not promised:
        return
    legal_days, promised_days = working_days(legal), working_days(promised)
    if legal_days is not None and promised_days is not None and promised_days > legal_days:
        problems.error(
            path,
            line,
            f"承诺办结时限 promised_limit（{promised}）不能长于法定办结时限 legal_limit（{legal}）",
        )


class _Reader:
    """Reads the lists of one guide file, each item at its own line."""

    def __init__(self, doc: YamlDoc, path: Path, problems: Problems):
        self.doc, self.path, self.problems = doc, path, problems

    def key(self, name: str) -> str:
        return written_key(self.doc.data, _BY_KEY[name])

    def slugs(self, f: Any, name: str, empty: str) -> list[tuple[str, int]]:
        """(slug, line) of each item of a list of slugs; ``empty``: the error for an empty list."""
        values: tuple[str, ...] | None = f[name]
        if values is None:
            return []
        if not values and empty:
            self.problems.error(self.path, f.line(name), empty)
        key = self.key(name)
        written = self.doc.data.get(key)
        if isinstance(written, list):  # each item at its line, blank items skipped as read_fields does
            lines = [self.doc.line(key, i) for i, item in enumerate(written) if str(item).strip()]
        else:  # one slug written as a plain value
            lines = [f.line(name)] * len(values)
        return list(zip(values, lines))

    def items(self, f: Any, name: str, spec: tuple[Field, ...], what: str) -> list[Any]:
        """The fields of each mapping of the list ``name``."""
        key = self.key(name)
        return [
            read_fields(self.doc, (key, index), spec, self.path, self.problems, what=f"{what}第 {index + 1} 项")
            for index in range(len(f[name] or []))
        ]

    def materials(self, f: Any) -> tuple[Material, ...]:
        if f["materials"] is not None and not f["materials"]:
            self.problems.error(self.path, f.line("materials"), "申请材料 materials 不能为空：至少写一项材料")
        result = []
        for m in self.items(f, "materials", MATERIAL, "申请材料"):
            copies = 1 if m["copies"] is None else m["copies"]
            if copies < 1:
                self.problems.error(self.path, m.line("copies"), f"份数 copies 应为正整数，实际为 {copies}")
            if m["name"]:
                result.append(
                    Material(
                        m["name"],
                        m["source"] or "",
                        copies,
                        m["form"] or FORMS[0],
                        True if m["required"] is None else m["required"],
                        m["note"] or "",
                    )
                )
        return tuple(result)

    def steps(self, f: Any) -> tuple[Step, ...]:
        written = f["steps"]
        if written is not None and len(written) < MIN_STEPS:
            self.problems.error(
                self.path,
                f.line("steps"),
                f"办理流程 steps 至少要有 {MIN_STEPS} 个环节（现有 {len(written)} 个），按办理的先后顺序写",
            )
        return tuple(
            Step(s["name"], s["text"], s["days"] or "")
            for s in self.items(f, "steps", STEP, "办理流程")
            if s["name"] and s["text"]
        )

    def places(self, f: Any, districts: tuple[str, ...]) -> tuple[Place, ...]:
        if f["places"] is not None and not f["places"]:
            self.problems.error(self.path, f.line("places"), "办理地点 places 不能为空：至少写一处")
        seen: dict[str, int] = {}
        result = []
        for p in self.items(f, "places", PLACE, "办理地点"):
            district = p["district"] or ""
            line = p.line("district")
            if district and district not in districts:
                self.problems.error(
                    self.path,
                    line,
                    f"区县 “{district}” 不在 site.yaml 的 districts 中（可选：{'、'.join(districts)}；"
                    f"全市统一的办理地点不写区县）",
                )
                continue
            where = district or CITYWIDE
            if where in seen:
                self.problems.error(self.path, line, f"{where}的办理地点重复（第 {seen[where]} 行已写）")
                continue
            seen[where] = line
            if p["address"] and p["hours"]:
                result.append(Place(district, p["address"], p["hours"]))
        order = {name: index for index, name in enumerate(districts)}
        return tuple(sorted(result, key=lambda place: -1 if not place.district else order[place.district]))
