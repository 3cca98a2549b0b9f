"""The text bank of the city-scale benchmark tree: themes, titles and policy bodies.

Bodies are composed from sentence templates and per-theme vocabulary (低保, 特困, 养老, 儿童福利,
殡葬, 婚姻登记, 社会组织) so that they read like real disclosure documents: an addressee, a
purpose paragraph, numbered sections or 章/条, ordered and unordered lists and, in about a third
of them, a pipe table. Numbers are short (amounts, percentages, dates): no text here ever looks
like a resident ID, a mobile number or a bank card, so the builder's personal-data gate passes.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

BODY_MIN, BODY_MAX = 800, 3000  # characters of Markdown body
TABLE_SHARE = 1 / 3
NUMERALS = "一二三四五六七八九十"


@dataclass(frozen=True, slots=True)
class Theme:
    """One field of the bureau's work and the words its documents use."""

    key: str  # slug prefix
    topic: str  # 主题分类
    categories: tuple[str, ...]  # 组配分类 this theme's documents are filed under
    subjects: tuple[str, ...]
    people: tuple[str, ...]
    measures: tuple[str, ...]
    keywords: tuple[str, ...]
    laws: tuple[str, ...]
    unit: str  # the body that carries the work out
    monthly: bool = True  # pays a monthly standard (元/人·月), so a standards table fits


THEMES: tuple[Theme, ...] = (
    Theme(
        "dibao",
        "社会救助",
        ("社会救助", "规范性文件", "政策文件", "财政资金"),
        (
            "最低生活保障审核确认",
            "城乡低保动态管理",
            "低保边缘家庭认定",
            "低收入人口动态监测",
            "家庭经济状况核对",
            "低保渐退",
            "城乡低保标准调整",
            "社会救助“一网通办”",
        ),
        ("低保对象", "低保家庭", "低保边缘家庭", "支出型困难家庭", "低收入人口", "共同生活的家庭成员"),
        (
            "规范入户调查和邻里访问",
            "推行“不见面”审核确认",
            "落实低保渐退政策",
            "开展低保专项治理",
            "完善家庭经济状况核对机制",
            "实行分类施保",
            "对重病重残人员单独施保",
            "加强低收入人口动态监测预警",
            "按月足额发放保障金",
            "建立困难群众主动发现机制",
        ),
        ("最低生活保障", "低保", "动态管理", "社会救助", "家庭经济状况核对", "低保边缘家庭"),
        ("《社会救助暂行办法》", "民政部《最低生活保障审核确认办法》", "《示范省社会救助办法》"),
        "市社会救助服务中心",
    ),
    Theme(
        "tekun",
        "社会救助",
        ("社会救助", "规范性文件", "政策文件"),
        (
            "特困人员认定",
            "特困人员救助供养",
            "特困人员照料护理",
            "分散供养特困人员委托照料",
            "特困人员生活自理能力评估",
            "供养服务机构管理",
        ),
        ("特困人员", "分散供养特困人员", "集中供养特困人员", "未满十六周岁的特困人员", "失能半失能特困人员"),
        (
            "每年开展一次生活自理能力评估",
            "签订委托照料服务协议",
            "落实基本生活标准和照料护理标准",
            "提升供养服务机构失能照护能力",
            "优先安排集中供养",
            "加强供养服务机构安全管理",
            "为特困人员购买补充医疗保险",
            "建立定期探访巡访制度",
        ),
        ("特困人员", "救助供养", "照料护理", "供养服务机构"),
        ("《社会救助暂行办法》", "民政部《特困人员认定办法》", "《国务院关于进一步健全特困人员救助供养制度的意见》"),
        "市社会福利院",
    ),
    Theme(
        "yanglao",
        "养老服务",
        ("养老服务", "规范性文件", "政策文件", "财政资金"),
        (
            "居家社区养老服务",
            "养老机构运营补贴",
            "老年助餐服务",
            "经济困难老年人家庭适老化改造",
            "家庭养老床位建设",
            "高龄津贴发放",
            "养老服务综合监管",
            "社区嵌入式养老服务",
        ),
        ("经济困难老年人", "高龄老年人", "失能老年人", "空巢独居老年人", "养老机构", "养老服务组织"),
        (
            "推进街道综合养老服务中心建设",
            "发展社区老年助餐点",
            "开展养老机构等级评定",
            "落实养老机构运营补贴",
            "实施经济困难失能老年人集中照护",
            "推进家庭适老化改造",
            "开展养老服务领域安全检查",
            "培育专业化养老服务组织",
            "加强养老护理员职业技能培训",
        ),
        ("养老服务", "居家养老", "养老机构", "老年助餐", "适老化改造"),
        ("《中华人民共和国老年人权益保障法》", "《养老机构管理办法》", "《示范省养老服务条例》"),
        "市养老服务指导中心",
    ),
    Theme(
        "ertong",
        "儿童福利",
        ("儿童福利", "规范性文件", "政策文件"),
        (
            "孤儿基本生活保障",
            "事实无人抚养儿童保障",
            "困境儿童分类保障",
            "农村留守儿童关爱服务",
            "未成年人保护工作站建设",
            "儿童督导员和儿童主任队伍建设",
        ),
        ("孤儿", "事实无人抚养儿童", "困境儿童", "农村留守儿童", "儿童主任", "儿童督导员"),
        (
            "按月足额发放基本生活费",
            "建立困境儿童信息台账",
            "督促落实监护责任",
            "开展“一对一”关爱帮扶",
            "为孤儿和事实无人抚养儿童提供助学支持",
            "推进未成年人保护工作站全覆盖",
            "开展儿童主任业务培训",
            "完善强制报告和应急处置机制",
        ),
        ("儿童福利", "孤儿", "事实无人抚养儿童", "困境儿童", "未成年人保护"),
        (
            "《中华人民共和国未成年人保护法》",
            "《国务院关于加强困境儿童保障工作的意见》",
            "民政部等部门《关于进一步加强事实无人抚养儿童保障工作的意见》",
        ),
        "市儿童福利院",
    ),
    Theme(
        "binzang",
        "殡葬管理",
        ("社会事务", "政策文件", "规范性文件"),
        (
            "惠民殡葬",
            "基本殡葬服务费用减免",
            "节地生态安葬奖补",
            "公益性公墓建设管理",
            "殡葬服务收费管理",
            "清明节文明祭扫",
            "殡葬领域突出问题专项整治",
        ),
        ("城乡低保对象", "特困人员", "困难群众", "逝者家属", "殡葬服务机构"),
        (
            "免除遗体接运、暂存、火化和骨灰寄存等基本殡葬服务费用",
            "推行树葬、花坛葬、草坪葬等节地生态安葬方式",
            "规范殡葬服务收费公示",
            "推进公益性公墓建设",
            "倡导网络祭扫和社区公祭",
            "开展殡葬服务机构年度检查",
            "整治乱埋乱葬和违规建墓",
        ),
        ("惠民殡葬", "殡葬管理", "节地生态安葬", "文明祭扫"),
        (
            "《殡葬管理条例》",
            "《示范省殡葬管理办法》",
            "民政部等部门《关于进一步推动殡葬改革促进殡葬事业发展的指导意见》",
        ),
        "市殡仪馆",
        monthly=False,
    ),
    Theme(
        "hunyin",
        "婚姻登记",
        ("社会事务", "政策文件"),
        (
            "婚姻登记“跨省通办”",
            "婚姻登记预约服务",
            "结婚登记颁证服务",
            "婚俗改革",
            "婚姻家庭辅导服务",
            "婚姻登记档案管理",
        ),
        ("当事人", "婚姻登记机关", "婚姻登记员", "新人", "婚姻家庭辅导员"),
        (
            "推行婚姻登记网上预约",
            "在节假日和特殊日期延时服务",
            "开展集体颁证和个性化颁证服务",
            "设立婚姻家庭辅导室",
            "推进婚姻登记历史档案数字化",
            "倡导简约适度的婚俗新风",
            "规范婚姻登记窗口服务",
        ),
        ("婚姻登记", "跨省通办", "婚俗改革", "婚姻家庭辅导"),
        ("《中华人民共和国民法典》", "《婚姻登记条例》", "民政部《婚姻登记工作规范》"),
        "市婚姻登记处",
        monthly=False,
    ),
    Theme(
        "shezu",
        "社会组织",
        ("社会事务", "规范性文件", "政策文件", "部门计划及总结"),
        (
            "社会组织登记管理",
            "社会组织年度报告",
            "社会组织等级评估",
            "打击整治非法社会组织",
            "社区社会组织培育发展",
            "社会组织信用管理",
            "行业协会商会收费规范",
        ),
        ("社会团体", "民办非企业单位", "基金会", "社区社会组织", "业务主管单位", "行业协会商会"),
        (
            "按时报送年度工作报告",
            "开展等级评估和抽查审计",
            "公布活动异常名录和严重违法失信名单",
            "规范行业协会商会涉企收费",
            "建立社区社会组织孵化基地",
            "开展社会组织负责人培训",
            "加强社会组织党建工作",
        ),
        ("社会组织", "登记管理", "年度报告", "等级评估"),
        (
            "《社会团体登记管理条例》",
            "《民办非企业单位登记管理暂行条例》",
            "《基金会管理条例》",
            "民政部《社会组织信用信息管理办法》",
        ),
        "市社会组织服务中心",
        monthly=False,
    ),
)

ADDRESSEES = (
    "各区、县民政局，市直有关单位：",
    "各区县民政局、财政局：",
    "各区县民政局，市局机关各处室、各直属单位：",
    "各区县人民政府，市政府有关部门：",
)
ORGS = (
    "各区县民政局",
    "乡镇人民政府（街道办事处）",
    "村（居）民委员会",
    "市社会救助服务中心",
    "市财政局",
    "市卫生健康委",
    "市医保局",
    "市民政局有关处室",
)
GOALS = (
    "切实保障困难群众基本生活",
    "进一步规范{subject}工作",
    "提升{subject}服务质量和效率",
    "推动{subject}工作高质量发展",
    "织密扎牢民生保障安全网",
    "更好满足人民群众多样化需求",
)
RULE_KINDS = ("办法", "实施细则", "工作规程", "管理办法", "服务规范")
NOTICE_KINDS = ("实施方案", "指导意见", "工作方案")

TITLE_TEMPLATES = (
    ("rules", "示范市民政局关于印发《示范市{subject}{kind}》的通知"),
    ("notice", "示范市民政局关于进一步做好{subject}工作的通知"),
    ("notice", "示范市民政局 示范市财政局关于{subject}有关事项的通知"),
    ("notice", "关于开展{year}年{subject}专项行动的通知"),
    ("notice", "示范市民政局关于加强{subject}工作的实施意见"),
    ("notice", "示范市{year}年{subject}工作要点"),
    ("notice", "关于{year}年度{subject}工作情况的通报"),
    ("rules", "关于印发《{subject}{kind}（试行）》的通知"),
)

SENTENCES = (
    "各地要把{subject}工作摆在突出位置，{measure}，确保各项政策落实到位。",
    "{org}要切实履行主体责任，{measure}，做到底数清、情况明。",
    "对{people}，要{measure}，不得以任何理由推诿拖延。",
    "{year}年以来，全市累计{measure}，惠及{people}{n}人次，群众满意度达到{pct}%。",
    "要坚持公开、公平、公正原则，{measure}，主动接受社会监督。",
    "{org}应当在{days}个工作日内完成审核，并将结果书面告知申请人。",
    "加强部门协同和信息共享，依托市社会救助信息系统{measure}，减少群众跑腿。",
    "对{people}中的重点人员，要{measure}，防止发生冲击社会道德底线的事件。",
    "各区县要将{subject}所需经费纳入年度预算，{measure}，确保资金专款专用。",
    "市民政局将适时组织督导检查，对工作推进不力的予以通报。",
    "要加强政策宣传解读，通过政务新媒体、社区公告栏等渠道，让{people}知晓政策、用好政策。",
    "{subject}涉及面广、政策性强，{org}要加强组织领导，明确责任分工。",
    "到{year}年底，全市{subject}覆盖率达到{pct}%以上，{measure}取得明显成效。",
    "严禁优亲厚友、人情保、关系保，严禁截留、挤占、挪用{subject}资金。",
    "要建立工作台账，实行清单化管理、项目化推进，{measure}。",
    "对群众反映的问题，要做到件件有回音、事事有着落。",
    "坚持尽力而为、量力而行，{measure}，不断增强{people}的获得感、幸福感、安全感。",
    "{org}要会同{org2}，{measure}，形成工作合力。",
    "本市{subject}工作在全省综合评估中连续{small}年位居前列。",
)
CLOSING = "各地在执行中遇到的问题，请及时报告市民政局。"
CHAPTERS = ("总则", "申请和受理", "审核和确认", "服务和管理", "资金保障", "监督管理", "附则")
SECTIONS = ("总体要求", "主要任务", "工作措施", "保障措施", "实施步骤", "工作要求", "其他事项")
SUBSECTIONS = ("加强组织领导", "明确职责分工", "强化资金保障", "严格监督管理", "加强宣传引导", "注重工作实效")

TABLE_KINDS = ("standard", "tasks", "funds")


@dataclass(frozen=True, slots=True)
class Text:
    """What one policy says: title, summary, keywords and its Markdown body."""

    title: str
    summary: str
    keywords: tuple[str, ...]
    body: str
    style: str  # "rules" (章/条) or "notice" (一、二、三)
    kind: str  # 办法, 实施方案 …


class Composer:
    """Writes one policy's text with its own random stream (so each is reproducible alone)."""

    def __init__(self, rng: random.Random, theme: Theme, issued: date, districts: tuple[str, ...]):
        self.rng = rng
        self.theme = theme
        self.issued = issued
        self.districts = districts
        self.subject = rng.choice(theme.subjects)
        self._deck: list[str] = []

    # -- vocabulary ------------------------------------------------------------------------------
    def fill(self, template: str) -> str:
        """A template with every slot filled from this theme's vocabulary."""
        r, t = self.rng, self.theme
        org, org2 = r.sample(ORGS, 2)
        return template.format(
            subject=self.subject,
            people=r.choice(t.people),
            measure=r.choice(t.measures),
            org=org,
            org2=org2,
            year=self.issued.year,
            n=r.randint(120, 9800),
            pct=r.randint(80, 99),
            days=r.choice((5, 7, 10, 15, 20)),
            small=r.randint(2, 6),
            law=r.choice(t.laws),
        )

    def sentence(self) -> str:
        """The next sentence template from a shuffled deck, so a document seldom repeats one."""
        if not self._deck:
            self._deck = list(SENTENCES)
            self.rng.shuffle(self._deck)
        return self.fill(self._deck.pop())

    def sentences(self, low: int, high: int) -> str:
        return "".join(self.sentence() for _ in range(self.rng.randint(low, high)))

    # -- title and front-matter text -------------------------------------------------------------
    def title(self) -> tuple[str, str, str]:
        """(title, style, kind)."""
        style, template = self.rng.choice(TITLE_TEMPLATES)
        kind = self.rng.choice(RULE_KINDS if style == "rules" else NOTICE_KINDS)
        return template.format(subject=self.subject, kind=kind, year=self.issued.year), style, kind

    def summary(self, kind: str) -> str:
        measures = "、".join(self.rng.sample(self.theme.measures, 2))
        return f"围绕{self.subject}，明确{measures}等要求，本{kind}自印发之日起施行。"

    def keywords(self) -> tuple[str, ...]:
        return tuple(self.rng.sample(self.theme.keywords, min(3, len(self.theme.keywords))))

    # -- blocks ----------------------------------------------------------------------------------
    def opening(self, kind: str) -> str:
        laws = "、".join(self.rng.sample(self.theme.laws, min(2, len(self.theme.laws))))
        goal = self.rng.choice(GOALS).format(subject=self.subject)
        return (
            f"{self.rng.choice(ADDRESSEES)}\n\n为{goal}，根据{laws}等规定，结合本市实际，"
            f"制定本{kind}。现就有关事项通知如下。"
        )

    def ordered_list(self) -> str:
        items = self.rng.sample(self.theme.measures, self.rng.randint(3, min(5, len(self.theme.measures))))
        return "\n".join(f"{i}. {item}；" for i, item in enumerate(items, 1))

    def unordered_list(self) -> str:
        people = self.rng.sample(self.theme.people, self.rng.randint(2, min(4, len(self.theme.people))))
        return "\n".join(f"- **{p}**：{self.rng.choice(self.theme.measures)}；" for p in people)

    def table(self) -> str:
        kinds = TABLE_KINDS if self.theme.monthly else TABLE_KINDS[1:]
        kind = self.rng.choice(kinds)
        if kind == "standard":
            return self._standard_table()
        if kind == "tasks":
            return self._task_table()
        return self._fund_table()

    def _standard_table(self) -> str:
        rows = ["| 区县 | 保障对象 | 标准（元/人·月） | 执行时间 |", "| --- | --- | ---: | --- |"]
        start = f"{self.issued.year}年{self.rng.choice((1, 7))}月1日"
        base = self.rng.randrange(400, 1600, 5)
        for district in self.rng.sample(self.districts, min(len(self.districts), self.rng.randint(4, 6))):
            amount = base - (self.rng.randrange(0, 80, 5) if district.endswith("县") else 0)
            rows.append(f"| {district} | {self.rng.choice(self.theme.people)} | {amount} | {start} |")
        return f"表 1：{self.subject}标准\n\n" + "\n".join(rows)

    def _task_table(self) -> str:
        rows = ["| 序号 | 工作任务 | 责任单位 | 完成时限 |", "| ---: | --- | --- | --- |"]
        measures = self.rng.sample(self.theme.measures, min(len(self.theme.measures), self.rng.randint(3, 5)))
        for i, measure in enumerate(measures, 1):
            month = self.rng.randint(3, 12)
            rows.append(f"| {i} | {measure} | {self.rng.choice(ORGS)} | {self.issued.year}年{month}月底前 |")
        return "\n".join(rows)

    def _fund_table(self) -> str:
        rows = ["| 区县 | 资金合计（万元） | 其中：中央资金 | 其中：市级资金 |", "| --- | ---: | ---: | ---: |"]
        for district in self.districts:
            central = self.rng.randint(50, 2400) / 10
            local = self.rng.randint(30, 1800) / 10
            rows.append(f"| {district} | {central + local:.1f} | {central:.1f} | {local:.1f} |")
        return "\n".join(rows)

    def closing(self, kind: str) -> str:
        year = self.issued.year
        starts = f"{year}年{self.issued.month}月{self.issued.day}日"
        return f"本{kind}自{starts}起施行，由示范市民政局负责解释。{CLOSING}"

    # -- whole bodies ----------------------------------------------------------------------------
    def body(self, style: str, kind: str, target: int) -> str:
        """Markdown of about ``target`` characters (always within BODY_MIN..BODY_MAX)."""
        blocks = self._rules_blocks(kind) if style == "rules" else self._notice_blocks(kind)
        closing = self.closing(kind)
        parts: list[str] = []
        size = len(closing)
        for block in blocks:
            if size >= target or size + len(block) + 2 > BODY_MAX:
                break
            parts.append(block)
            size += len(block) + 2
        parts.append(closing)
        text = "\n\n".join(parts) + "\n"
        while len(text) < BODY_MIN:  # rare: a run of short blocks
            text = text[:-1] + "\n\n" + self.sentences(2, 3) + "\n"
        return text

    def _notice_blocks(self, kind: str) -> list[str]:
        blocks = [self.opening(kind)]
        with_table = self.rng.random() < TABLE_SHARE
        table_at = self.rng.randint(0, 2)
        for number, heading in enumerate(self.rng.sample(SECTIONS, len(SECTIONS))):
            blocks.append(f"## {NUMERALS[number]}、{heading}")
            blocks.append(self.sentences(2, 4))
            if with_table and number == table_at:
                blocks.append(self.table())
            if self.rng.random() < 0.5:
                blocks.append(self.ordered_list() if self.rng.random() < 0.5 else self.unordered_list())
            for sub, subheading in enumerate(self.rng.sample(SUBSECTIONS, self.rng.randint(0, 3))):
                blocks.append(f"### （{NUMERALS[sub]}）{subheading}")
                blocks.append(self.sentences(1, 3))
        return blocks

    def _rules_blocks(self, kind: str) -> list[str]:
        blocks = [self.opening(kind)]
        with_table = self.rng.random() < TABLE_SHARE
        article = 0
        for number, chapter in enumerate(CHAPTERS[:-1]):
            blocks.append(f"## 第{NUMERALS[number]}章 {chapter}")
            for _ in range(self.rng.randint(2, 4)):
                article += 1
                blocks.append(f"**第{_chinese_number(article)}条** {self.sentences(1, 3)}")
            if self.rng.random() < 0.4:
                blocks.append(self.ordered_list() if self.rng.random() < 0.5 else self.unordered_list())
            if with_table and number == 1:
                blocks.append(self.table())
        return blocks


def _chinese_number(n: int) -> str:
    """1–99 in Chinese numerals, as article numbers are written (第十二条)."""
    tens, ones = divmod(n, 10)
    if tens == 0:
        return NUMERALS[ones - 1]
    head = "" if tens == 1 else NUMERALS[tens - 1]
    return head + "十" + (NUMERALS[ones - 1] if ones else "")


def compose(rng: random.Random, theme: Theme, issued: date, districts: tuple[str, ...]) -> Text:
    """The full text of one policy of ``theme`` issued on ``issued``."""
    composer = Composer(rng, theme, issued, districts)
    title, style, kind = composer.title()
    target = rng.randint(BODY_MIN + 50, BODY_MAX - 150)
    body = composer.body(style, kind, target)
    return Text(title, composer.summary(kind), composer.keywords(), body, style, kind)
