#!/usr/bin/env python3
"""Make the sample rosters of ``content/rosters/`` the way staff would: from raw exports.

Generates seeded, made-up exports of the assistance system — with everything such exports carry:
names (compound surnames and ·-names included), checksum-valid ID numbers, mobile numbers,
addresses, bank cards and incomes — into a temporary folder (never into the repository), then
runs ``build.py import-roster`` on each, which keeps only the published fields and masks names.

    .venv/bin/python scripts/make_sample_rosters.py            # rewrites content/rosters/
    .venv/bin/python scripts/make_sample_rosters.py --out DIR  # somewhere else

Every person here is invented; any likeness to a real number is chance.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from site_builder.identifiers import luhn_is_valid, resident_id_check_char

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任"
    "沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
COMPOUND = ("欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "夏侯", "端木")
GIVEN = (
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂英华玉萍红梅鑫波斌宇浩凯秀兰建国建华志强海燕淑珍"
    "凤英玉兰春梅德福永刚文斌佳怡子涵雨欣浩然梓轩一诺思远晓东晓燕国庆金凤玉珍秋菊冬梅"
)
DOT_FIRST = ("买买提", "阿不都", "艾力", "热合曼", "阿依古丽", "古丽娜", "努尔", "吐尔逊", "帕提古丽", "依明")
DOT_LAST = ("吐尔逊", "艾买提", "阿不力孜", "肉孜", "买买提", "库尔班", "司马义", "哈斯木")
REGIONS = ("379901", "379902", "379903", "379904", "379921", "379922")

PLACES = {
    "中心区": {
        "民生街道": ("和平社区", "光明社区", "新华社区"),
        "人民路街道": ("文化社区", "育才社区"),
        "北关街道": ("北关社区", "安居社区", "铁路社区"),
    },
    "东湖区": {
        "东湖街道": ("湖滨社区", "荷花社区"),
        "青年路街道": ("青年社区", "幸福社区", "长青社区"),
    },
    "西山区": {
        "西山街道": ("松林社区", "枫林社区"),
        "王家庄镇": ("王家庄村", "前店村", "后店村"),
    },
    "南港区": {
        "港湾街道": ("海港社区", "渔港社区"),
        "盐田镇": ("盐田村", "东滩村"),
    },
    "北岭县": {
        "北岭镇": ("北岭村", "上河村", "下河村", "石门村"),
        "杨树乡": ("杨树村", "柳园村", "梨园村"),
        "高山乡": ("高山村", "云岭村"),
    },
    "清河县": {
        "城关镇": ("东关社区", "西关社区"),
        "清河镇": ("清河村", "马庄村"),
    },
}


@dataclass(frozen=True)
class Household:
    name: str
    sex: str
    id_number: str
    mobile: str
    street: str
    community: str
    address: str
    persons: int
    amount: float
    category: str
    reason: str
    card: str
    income: int
    note: str


class Generator:
    def __init__(self, seed: int):
        self.random = random.Random(seed)

    def name(self) -> str:
        r = self.random
        roll = r.random()
        if roll < 0.03:
            return f"{r.choice(DOT_FIRST)}·{r.choice(DOT_LAST)}"
        surname = r.choice(COMPOUND) if roll < 0.08 else r.choice(SURNAMES)
        length = 1 if r.random() < 0.3 else 2
        return surname + "".join(r.choice(GIVEN) for _ in range(length))

    def id_number(self) -> str:
        r = self.random
        body = (
            f"{r.choice(REGIONS)}{r.randint(1938, 1998)}{r.randint(1, 12):02d}{r.randint(1, 28):02d}"
            f"{r.randint(0, 999):03d}"
        )
        return body + resident_id_check_char(body)

    def mobile(self) -> str:
        return f"1{self.random.choice('3456789')}{self.random.randint(0, 999_999_999):09d}"

    def card(self) -> str:
        body = "622202" + f"{self.random.randint(0, 10**12 - 1):012d}"
        return next(body + d for d in "0123456789" if luhn_is_valid(body + d))

    def household(self, district: str, program: str) -> Household:
        r = self.random
        street = r.choice(list(PLACES[district]))
        community = r.choice(PLACES[district][street])
        persons = r.choices((1, 2, 3, 4, 5), (30, 28, 22, 14, 6))[0]
        category, reason, note = "", "", ""
        if program == "特困供养":
            persons = 1
            category = r.choice(("分散供养", "分散供养", "集中供养"))
            amount = 1456.0 + r.choice((0, 0, 290, 580))
        elif program == "临时救助":
            reason = r.choice(("因病", "因灾", "突发意外", "生活必需支出突然增加", "就学"))
            amount = float(r.choice(range(500, 6001, 100)))
        else:
            category = r.choice(("A类", "B类", "B类", "C类"))
            amount = float(max(120, persons * 1120 - r.randint(0, persons * 600) // 10 * 10))
            if r.random() < 0.08:
                # neutral notes only: nothing about health, disability or children (SPEC 4; the
                # personal-data gate refuses 重病患者单独施保, 重度残疾人单独施保, 含未成年人)
                note = r.choice(("新纳入", "保障金额调整", "续保"))
            if r.random() < 0.05:
                amount += 0.5
        return Household(
            name=self.name(),
            sex=r.choice("男女"),
            id_number=self.id_number(),
            mobile=self.mobile(),
            street=street,
            community=community,
            address=f"{district}{street}{community}{r.randint(1, 40)}号楼{r.randint(1, 6)}单元{r.randint(101, 1802)}室",
            persons=persons,
            amount=amount,
            category=category,
            reason=reason,
            card=self.card(),
            income=r.randint(0, 1500),
            note=note,
        )


# The columns of the system's export, in two dialects (exports differ between districts).
DIALECT_A = (
    "序号",
    "户主姓名",
    "性别",
    "身份证号码",
    "联系电话",
    "家庭住址",
    "街道（乡镇）",
    "社区（村）",
    "保障人数",
    "月保障金额（元）",
    "保障类别",
    "开户银行",
    "银行卡号",
    "家庭月收入（元）",
    "备注",
)
DIALECT_B = (
    "编号",
    "姓名",
    "公民身份号码",
    "手机",
    "乡镇",
    "村",
    "保障人口",
    "保障金额",
    "类别",
    "救助事由",
    "银行账号",
    "居住地址",
    "备注",
)


def row(h: Household, number: int, dialect: tuple[str, ...]) -> list[object]:
    values = {
        "序号": number,
        "编号": f"BH{number:05d}",
        "户主姓名": h.name,
        "姓名": h.name,
        "性别": h.sex,
        "身份证号码": h.id_number,
        "公民身份号码": h.id_number,
        "联系电话": h.mobile,
        "手机": h.mobile,
        "家庭住址": h.address,
        "居住地址": h.address,
        "街道（乡镇）": h.street,
        "乡镇": h.street,
        "社区（村）": h.community,
        "村": h.community,
        "保障人数": h.persons,
        "保障人口": h.persons,
        "月保障金额（元）": h.amount,
        "保障金额": h.amount,
        "保障类别": h.category,
        "类别": h.category,
        "救助事由": h.reason,
        "开户银行": "示范农商银行",
        "银行卡号": h.card,
        "银行账号": h.card,
        "家庭月收入（元）": h.income,
        "备注": h.note,
    }
    return [values[column] for column in dialect]


def write_csv(path: Path, households: list[Household], dialect: tuple[str, ...], encoding: str) -> None:
    with path.open("w", encoding=encoding, newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(dialect)
        for number, h in enumerate(households, 1):
            writer.writerow(row(h, number, dialect))


def write_xlsx(path: Path, households: list[Household], dialect: tuple[str, ...], title: str) -> None:
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("花名册")
    sheet.append([title])  # a title line above the header, as exports often have
    sheet.append(list(dialect))
    for number, h in enumerate(households, 1):
        sheet.append(row(h, number, dialect))
    book.save(path)


@dataclass(frozen=True)
class Sample:
    program: str
    district: str
    period: str
    stage: str
    publish_from: str
    households: int
    seed: int
    fmt: str  # csv-utf8, csv-gbk or xlsx
    dialect: tuple[str, ...]
    carry_over: tuple[int, float] | None = None  # (seed of the previous period, share that stays)


SAMPLES = (
    # the October standing list of 中心区, replaced on 2026-11-10 by November's
    Sample("城市低保", "中心区", "2026-10", "长期公示", "2026-10-10", 248, 101, "csv-utf8", DIALECT_A),
    Sample("城市低保", "中心区", "2026-11", "长期公示", "2026-11-10", 0, 102, "csv-utf8", DIALECT_A, (101, 0.93)),
    Sample("城市低保", "东湖区", "2026-11", "长期公示", "2026-11-10", 126, 103, "csv-gbk", DIALECT_A),
    # 东湖区's 初审公示 for November ran 2026-11-03 to 11-09 and has ended
    Sample("城市低保", "东湖区", "2026-11", "初审公示", "2026-11-03", 9, 104, "csv-gbk", DIALECT_A),
    Sample("农村低保", "北岭县", "2026-11", "长期公示", "2026-11-12", 183, 105, "xlsx", DIALECT_B),
    Sample("特困供养", "西山区", "2026-11", "长期公示", "2026-11-12", 46, 106, "xlsx", DIALECT_A),
    Sample("临时救助", "南港区", "2026-11", "长期公示", "2026-11-16", 34, 107, "csv-utf8", DIALECT_B),
    # up on 2026-11-29: 2026-11-25 to 2026-12-01
    Sample("城市低保", "清河县", "2026-12", "初审公示", "2026-11-25", 31, 108, "csv-gbk", DIALECT_A),
)


def households_for(sample: Sample) -> list[Household]:
    if sample.carry_over is None:
        generator = Generator(sample.seed)
        return [generator.household(sample.district, sample.program) for _ in range(sample.households)]
    previous_seed, stays = sample.carry_over
    previous = next(s for s in SAMPLES if s.seed == previous_seed)
    chooser = random.Random(sample.seed)
    kept = [h for h in households_for(previous) if chooser.random() < stays]
    generator = Generator(sample.seed)
    joined = [generator.household(sample.district, sample.program) for _ in range(30)]
    return kept + joined


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "content" / "rosters")
    parser.add_argument("--content", type=Path, default=ROOT / "content")
    args = parser.parse_args(argv)

    from site_builder.cli import main as build_py

    with tempfile.TemporaryDirectory(prefix="raw-exports-") as temp:
        for sample in SAMPLES:
            households = households_for(sample)
            stem = f"{sample.district}{sample.period}{sample.program}{sample.stage}"
            if sample.fmt == "xlsx":
                raw = Path(temp) / f"{stem}.xlsx"
                write_xlsx(raw, households, sample.dialect, f"{sample.district}{sample.program}保障对象花名册")
            else:
                raw = Path(temp) / f"{stem}.csv"
                write_csv(raw, households, sample.dialect, "gbk" if sample.fmt == "csv-gbk" else "utf-8")
            code = build_py(
                [
                    "import-roster",
                    str(raw),
                    "--program",
                    sample.program,
                    "--district",
                    sample.district,
                    "--period",
                    sample.period,
                    "--stage",
                    sample.stage,
                    "--publish-from",
                    sample.publish_from,
                    "--content",
                    str(args.content),
                    "--out",
                    str(args.out),
                    "--force",
                ]
            )
            if code != 0:
                return code
    return 0


if __name__ == "__main__":
    sys.exit(main())
