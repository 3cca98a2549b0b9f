#!/usr/bin/env python3
"""Generate a city-scale content tree in the formats of SPEC 3.1–3.5, for benchmarks.

    .venv/bin/python benchmarks/gen_city.py --out /tmp/city [--seed 1] [--policies 2000]
        [--households 100000] [--today 2026-11-29] [--force]

What it writes into ``--out`` (a content folder, ready for ``build.py build --content``):

* ``site.yaml``: the sample's, with 10 districts (the sample's 6 and 4 fictional ones);
* ``policies/<year>/<slug>.md``: ``--policies`` policies over 2016–today, composed from the text
  bank in ``city_text.py``, with valid unique 索引号, 文件编号, categories and topics of site.yaml;
* ``standards/``, ``policies/standards/``, ``pages/`` and ``files/``: copied from the sample, so
  every standard finds its basis policy;
* ``rosters/<period>-<district>-<program>.yaml`` + ``.csv``: 城市低保 and 农村低保 长期公示 for
  every district, ``--households`` households in all, every name masked (张*丰).

The same arguments always give byte-identical files: every policy and roster draws from its own
random stream seeded from ``--seed``. Nothing written looks like a resident ID, a mobile number or
a bank card, and no name is unmasked, so the builder's personal-data gate passes.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import re
import shutil
import sys
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from city_text import THEMES, Text, Theme, compose

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "content"
FIRST_YEAR = 2016
FIRST_SEQUENCE = 201  # the sample's basis policies use 00101–00199 of their years
DOC_NO_SHARE = 0.7
# The folder pattern of generated policies (the copied basis policies live in policies/standards/).
GENERATED_POLICY_GLOB = "policies/[0-9][0-9][0-9][0-9]/*.md"

EXTRA_DISTRICTS = ("临江区", "新城区", "青松县", "白石县")
DISTRICT_SLUGS = {
    "中心区": "zhongxin",
    "东湖区": "donghu",
    "西山区": "xishan",
    "南港区": "nangang",
    "北岭县": "beiling",
    "清河县": "qinghe",
    "临江区": "linjiang",
    "新城区": "xincheng",
    "青松县": "qingsong",
    "白石县": "baishi",
}
DOC_NO_PREFIX = {"规范性文件": "示民规", "财政资金": "示民财", "部门计划及总结": "示民办发"}


@dataclass(frozen=True, slots=True)
class Program:
    name: str  # 项目
    slug: str
    urban: bool  # 城市 (街道/社区) or 农村 (乡镇/村)


PROGRAMS = (Program("城市低保", "chengshi-dibao", True), Program("农村低保", "nongcun-dibao", False))
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
COMPOUND_SURNAMES = ("欧阳", "司马", "诸葛", "上官", "令狐", "东方")
GIVEN_LAST = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰红梅兵林凤琴云莲辉健国成德福荣生海山祥顺喜"
PLACE_CHARS = "和平安康泰宁福瑞丰华兴隆盛新阳光明东西南北山水湖河桥柳杨桃李杏梅松竹兰石岭峪沟岗塘湾泉溪林园庄营"
PERSONS_WEIGHTS = (30, 28, 22, 12, 6, 2)  # households of 1..6 persons
CATEGORIES = ("一类", "二类", "三类")
CATEGORY_WEIGHTS = (2, 3, 5)
NOTES = ("", "新纳入", "调整保障金额")
NOTE_WEIGHTS = (97, 2, 1)
STANDARD_PER_PERSON = 1120  # the sample's 2026 城乡低保 standard, 元/人·月


@dataclass(frozen=True, slots=True)
class CityOptions:
    out: Path
    seed: int = 1
    policies: int = 2000
    households: int = 100_000
    today: date = date(2026, 11, 29)
    sample: Path = SAMPLE


@dataclass(frozen=True, slots=True)
class CityStats:
    policies: int
    rosters: int
    households: int
    files: int
    megabytes: float
    seconds: float


@dataclass(frozen=True, slots=True)
class SiteFacts:
    """What the generator needs from site.yaml."""

    uscc: str
    districts: tuple[str, ...]
    categories: tuple[str, ...]
    topics: tuple[str, ...]


# ---------------------------------------------------------------------------------------------
# site.yaml and the copied parts of the sample
# ---------------------------------------------------------------------------------------------


def write_site_yaml(sample: Path, out: Path) -> SiteFacts:
    """Copy the sample's site.yaml with the 4 extra districts; return the facts generation needs."""
    text = (sample / "site.yaml").read_text(encoding="utf-8")
    data = yaml.load(text, Loader=yaml.CSafeLoader)
    districts = tuple(_key(data, "districts", "区县")) + EXTRA_DISTRICTS
    pattern = re.compile(r"^(districts|区县):[^\n]*\n(?:[ \t]+-[^\n]*\n)*", re.MULTILINE)
    if not pattern.search(text):
        raise SystemExit(f"{sample / 'site.yaml'}: no districts: key to extend")
    text = pattern.sub(lambda m: f"{m[1]}: [{', '.join(districts)}]\n", text, count=1)
    (out / "site.yaml").write_text(text, encoding="utf-8")
    publisher = _key(data, "publisher", "发布机构")
    return SiteFacts(
        uscc=_key(publisher, "uscc", "统一社会信用代码"),
        districts=districts,
        categories=tuple(_key(data, "categories", "组配分类")),
        topics=tuple(_key(data, "topics", "主题分类")),
    )


def _key(mapping: dict[str, Any], english: str, chinese: str) -> Any:
    """A site.yaml value under its English key or its Chinese alias."""
    return mapping[english] if english in mapping else mapping[chinese]


def copy_sample_parts(sample: Path, out: Path) -> None:
    """Standards with their basis policies, the free pages and attachment files, as they are."""
    for part in ("standards", "policies/standards", "pages", "files"):
        if (sample / part).is_dir():
            shutil.copytree(sample / part, out / part)


# ---------------------------------------------------------------------------------------------
# policies
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PolicyPlan:
    """Who a generated policy is, before its text is written."""

    number: int  # 0-based generation number: the seed of its text
    theme: Theme
    category: str
    issued: date
    index_no: str
    slug: str
    doc_no: str


def plan_policies(count: int, seed: int, facts: SiteFacts, today: date) -> list[PolicyPlan]:
    """Dates, 索引号 and 文件编号 for ``count`` policies, numbered in date order per year."""
    rng = random.Random(f"{seed}-policies")
    first, last = date(FIRST_YEAR, 1, 1), today - timedelta(days=1)
    span = (last - first).days
    drafts = sorted((first + timedelta(days=rng.randint(0, span)), n) for n in range(count))
    sequence: dict[int, int] = {}
    doc_numbers: dict[tuple[str, int], int] = {}
    plans = []
    for issued, number in drafts:
        theme = THEMES[number % len(THEMES)]
        category = _category(rng, theme, facts.categories)
        seq = sequence[issued.year] = sequence.get(issued.year, FIRST_SEQUENCE - 1) + 1
        doc_no = ""
        if rng.random() < DOC_NO_SHARE:
            prefix = DOC_NO_PREFIX.get(category, rng.choice(("示民发", "示民函")))
            n = doc_numbers[prefix, issued.year] = doc_numbers.get((prefix, issued.year), 0) + 1
            doc_no = f"{prefix}〔{issued.year}〕{n}号"
        plans.append(
            PolicyPlan(
                number=number,
                theme=theme,
                category=category,
                issued=issued,
                index_no=f"{facts.uscc}/{issued.year}-{seq:05d}",
                slug=f"{theme.key}-{issued.year}-{seq:05d}",
                doc_no=doc_no,
            )
        )
    return plans


def _category(rng: random.Random, theme: Theme, allowed: tuple[str, ...]) -> str:
    choices = [c for c in theme.categories if c in allowed]
    return rng.choice(choices) if choices else allowed[0]


def policy_markdown(plan: PolicyPlan, seed: int, facts: SiteFacts, today: date) -> str:
    """The whole file of one policy: front matter in the sample's style, then the body."""
    rng = random.Random(f"{seed}-policy-{plan.number}")
    text: Text = compose(rng, plan.theme, plan.issued, facts.districts)
    written = max(plan.issued - timedelta(days=rng.randint(0, 6)), date(plan.issued.year, 1, 1))
    published = min(plan.issued + timedelta(days=rng.randint(0, 3)), today)
    topics = [t for t in (plan.theme.topic, "基层治理") if t in facts.topics][: rng.randint(1, 2)]
    lines = [
        "---",
        f"title: {_scalar(text.title)}",
        f"index_no: {plan.index_no}",
        f"category: {_scalar(plan.category)}",
    ]
    if plan.doc_no:
        lines.append(f"doc_no: {_scalar(plan.doc_no)}")
    lines += [
        f"date: {plan.issued.isoformat()}",
        f"written: {written.isoformat()}",
        f"published: {published.isoformat()}",
        f"summary: {_scalar(text.summary)}",
        f"keywords: [{', '.join(_scalar(k) for k in text.keywords)}]",
    ]
    if topics:
        lines.append(f"topics: [{', '.join(_scalar(t) for t in topics)}]")
    if plan.issued.year < 2019 and rng.random() < 0.2:
        lines.append("status: 失效")
    lines.append("---")
    return "\n".join(lines) + "\n" + text.body


_YAML_SPECIAL = re.compile(r"[:#\[\]{},&*!|>'\"%@`]")


def _scalar(value: str) -> str:
    """A YAML scalar: plain when that is safe, else a double-quoted (JSON) string."""
    if not value or _YAML_SPECIAL.search(value) or value[0] in "-?" or value.strip() != value:
        return json.dumps(value, ensure_ascii=False)
    return value


def write_policies(options: CityOptions, facts: SiteFacts) -> int:
    plans = plan_policies(options.policies, options.seed, facts, options.today)
    for plan in plans:
        folder = options.out / "policies" / str(plan.issued.year)
        folder.mkdir(parents=True, exist_ok=True)
        text = policy_markdown(plan, options.seed, facts, options.today)
        (folder / f"{plan.slug}.md").write_text(text, encoding="utf-8")
    return len(plans)


# ---------------------------------------------------------------------------------------------
# rosters
# ---------------------------------------------------------------------------------------------


def split_households(total: int, seed: int, districts: tuple[str, ...]) -> dict[tuple[str, Program], int]:
    """``total`` households over every (district, program): counties are mostly rural."""
    rng = random.Random(f"{seed}-split")
    weights = {}
    for district in districts:
        size = rng.uniform(0.6, 1.4)
        urban = 0.75 if district.endswith("区") else 0.3
        for program in PROGRAMS:
            weights[district, program] = size * (urban if program.urban else 1 - urban)
    scale = total / sum(weights.values())
    counts = {key: int(w * scale) for key, w in weights.items()}
    by_remainder = sorted(weights, key=lambda k: (counts[k] - weights[k] * scale, districts.index(k[0])))
    for key in by_remainder[: total - sum(counts.values())]:
        counts[key] += 1
    return counts


def places(rng: random.Random, urban: bool) -> list[tuple[str, list[str]]]:
    """Streets (街道, or 镇/乡 in the country) and their communities (社区, or 村)."""
    used: set[str] = set()

    def name() -> str:
        while True:
            candidate = "".join(rng.sample(PLACE_CHARS, 2))
            if candidate not in used:
                used.add(candidate)
                return candidate

    streets = []
    for _ in range(rng.randint(8, 12) if urban else rng.randint(6, 10)):
        street = name() + ("街道" if urban else rng.choice(("镇", "镇", "乡")))
        count = rng.randint(6, 14) if urban else rng.randint(8, 18)
        streets.append((street, [name() + ("社区" if urban else "村") for _ in range(count)]))
    return streets


def masked_names(rng: random.Random, count: int) -> list[str]:
    """Random names already masked as SPEC 4 says: 张*丰, 张*, 欧阳*娜."""
    surnames = rng.choices(SURNAMES, k=count)
    lasts = rng.choices(GIVEN_LAST, k=count)
    shapes = rng.choices((0, 1, 2), weights=(70, 29, 1), k=count)
    names = []
    for surname, last, shape in zip(surnames, lasts, shapes):
        if shape == 0:  # two-character given name: keep its last character
            names.append(f"{surname}*{last}")
        elif shape == 1:  # one-character given name
            names.append(f"{surname}*")
        else:
            names.append(f"{rng.choice(COMPOUND_SURNAMES)}*{last}")
    return names


def roster_rows(rng: random.Random, count: int, urban: bool) -> list[tuple[str, str, str, int, int, str, str]]:
    """``count`` households, grouped by street and community as the assistance system exports them."""
    streets = places(rng, urban)
    where = [(s, c) for s, (street, communities) in enumerate(streets) for c in range(len(communities))]
    spots = sorted(rng.choices(where, k=count))
    names = masked_names(rng, count)
    persons = rng.choices(range(1, 7), weights=PERSONS_WEIGHTS, k=count)
    categories = rng.choices(CATEGORIES, weights=CATEGORY_WEIGHTS, k=count)
    notes = rng.choices(NOTES, weights=NOTE_WEIGHTS, k=count)
    rows = []
    for i, (s, c) in enumerate(spots):
        street, communities = streets[s]
        need = persons[i] * STANDARD_PER_PERSON
        amount = max(need - rng.randrange(0, need, 10), 60)
        rows.append((names[i], street, communities[c], persons[i], amount, categories[i], notes[i]))
    return rows


def roster_yaml(district: str, program: Program, today: date) -> str:
    period = f"{today.year}-{today.month:02d}"
    return (
        f"# {district}{program.name}长期公示：户主姓名已按规定遮蔽，只公开保障人数和金额。\n"
        f"title: {district}{today.year}年{today.month}月{program.name}长期公示名单\n"
        f"program: {program.name}\n"
        f"district: {district}\n"
        f'period: "{period}"\n'
        "stage: 长期公示\n"
        f"publish_from: {today.replace(day=1).isoformat()}\n"
    )


def write_rosters(options: CityOptions, facts: SiteFacts) -> tuple[int, int]:
    """Write every roster with at least one household; return (rosters, households)."""
    folder = options.out / "rosters"
    folder.mkdir(parents=True, exist_ok=True)
    counts = split_households(options.households, options.seed, facts.districts)
    period = f"{options.today.year}-{options.today.month:02d}"
    written = households = 0
    for index, district in enumerate(facts.districts):
        for program in PROGRAMS:
            count = counts[district, program]
            if count == 0:
                continue
            rng = random.Random(f"{options.seed}-roster-{district}-{program.slug}")
            stem = f"{period}-{DISTRICT_SLUGS.get(district, f'd{index + 1}')}-{program.slug}"
            (folder / f"{stem}.yaml").write_text(roster_yaml(district, program, options.today), encoding="utf-8")
            with open(folder / f"{stem}.csv", "w", encoding="utf-8", newline="") as handle:
                writer = csv.writer(handle, lineterminator="\n")
                writer.writerow(("name", "street", "community", "persons", "amount", "category", "note"))
                writer.writerows(roster_rows(rng, count, program.urban))
            written += 1
            households += count
    return written, households


# ---------------------------------------------------------------------------------------------
# the whole tree
# ---------------------------------------------------------------------------------------------


def prepare_out(out: Path, force: bool) -> None:
    """An empty ``out``; with ``force`` an earlier generated tree (it has site.yaml) is replaced."""
    if out.exists() and any(out.iterdir()):
        if not force:
            raise SystemExit(f"{out} is not empty (use --force to replace a tree generated earlier)")
        if not (out / "site.yaml").is_file():
            raise SystemExit(f"{out} does not look like a content tree (no site.yaml): not removing it")
        shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)


def generate(options: CityOptions) -> CityStats:
    """Write the whole tree into ``options.out`` (which must exist and be empty)."""
    started = time.perf_counter()
    facts = write_site_yaml(options.sample, options.out)
    copy_sample_parts(options.sample, options.out)
    policies = write_policies(options, facts)
    rosters, households = write_rosters(options, facts)
    files = [p for p in options.out.rglob("*") if p.is_file()]
    size = sum(p.stat().st_size for p in files)
    return CityStats(policies, rosters, households, len(files), size / 1e6, time.perf_counter() - started)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, required=True, help="content folder to write (empty or absent)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--policies", type=int, default=2000)
    parser.add_argument("--households", type=int, default=100_000)
    parser.add_argument(
        "--today",
        type=date.fromisoformat,
        default=date(2026, 11, 29),
        help="the build's today: policies end the day before, rosters are for its month",
    )
    parser.add_argument("--sample", type=Path, default=SAMPLE, help="the sample content folder to copy from")
    parser.add_argument("--force", action="store_true", help="replace a tree generated earlier in --out")
    args = parser.parse_args(argv)
    if args.policies < 0 or args.households < 0:
        parser.error("--policies and --households must not be negative")
    prepare_out(args.out, args.force)
    stats = generate(CityOptions(args.out, args.seed, args.policies, args.households, args.today, args.sample))
    print(
        f"{args.out}: {stats.policies} policies, {stats.rosters} rosters with {stats.households} households, "
        f"{stats.files} files, {stats.megabytes:.1f} MB in {stats.seconds:.2f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
