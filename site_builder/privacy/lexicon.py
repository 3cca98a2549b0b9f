"""Sensitive personal information in a roster's free text (SPEC 4; PIPL Art. 28), as data.

A roster names a household (masked name, community, amount); a word in its 备注 such as 尿毒症,
服刑 or 离异 would publish a fact about that family that the law calls sensitive and the
《最低生活保障审核确认办法》 (Art. 24) tells the bureau to keep private. The words are kept here as
tables, not as regexes scattered through the checks, so that they can be read, reviewed and
extended (``site.yaml`` ``pii.sensitive_terms``) like any other list:

* `TERMS`: category → words that reveal it. A word matches anywhere in a value, after
  `detect.normalize` (full-width ``ＨＩＶ`` is ``HIV``) and ignoring the case of Latin letters.
* `LOOK_ALIKES`: phrases that contain such a word but say nothing about a person (精神文明,
  病虫害防治, 隐患, 盲道 …). A word inside one of them is not a finding.
* `PROGRAM_PHRASES`: names of programs that contain such a word (困难残疾人生活补贴). Such a name is
  allowed only in a roster of that program (its ``program``), where it names the roster's own
  subject, which the notice publishes anyway; in a 低保 roster the same words would tell the
  neighbours that this household also draws a disability allowance.
* `REASONS` and `CLASS_CODES`: ``reason`` (救助事由) and ``category`` (类别) are not free text at
  all: they take one of these coarse values (or a program phrase of the roster's program, or a
  ``pii.allow_phrases`` entry), and anything else is refused, since a new value is most likely a
  description of the household. 因病 is accepted as a reason (one of the national 支出型临时救助
  causes; it names no diagnosis and a passing expense, not a state of the person); 因残 is not
  (it names a lasting disability of someone in the household), nor is 重点保障对象 as a class
  (the 低保 rules define it as 老年人、未成年人、重度残疾人和重病患者: it tells the neighbours one of
  those is in the house).

``pii.allow_phrases`` lists exact phrases the bureau has decided are fine: they are look-alikes
everywhere, and accepted as a whole ``reason`` or ``category``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

from .detect import normalize

__all__ = [
    "CATEGORIES",
    "CLASS_CODES",
    "FREE_TEXT_KEYS",
    "LOOK_ALIKES",
    "PROGRAM_PHRASES",
    "REASONS",
    "TERMS",
    "Lexicon",
    "TermHit",
    "lexicon",
    "mask_term",
    "parse_sensitive_terms",
]

# category → (label shown in messages, other names accepted in site.yaml pii.sensitive_terms)
CATEGORIES: Final[Mapping[str, tuple[str, tuple[str, ...]]]] = {
    "health": ("健康状况", ("健康", "疾病", "医疗健康")),
    "disability": ("残疾状况", ("残疾",)),
    "criminal": ("违法犯罪或矫正情况", ("犯罪", "违法犯罪", "矫正")),
    "religion": ("宗教信仰", ("宗教",)),
    "ethnicity": ("民族", ()),
    "minors": ("未成年人情况", ("未成年人",)),
    "income": ("收入和财产", ("收入", "财产", "收入财产")),
    "family": ("家庭状况", ("家庭", "婚姻")),
}

# The 55 minority nationalities and the majority: an ethnic group is named with its 族.
_NATIONALITIES = [
    "汉",
    "蒙古",
    "回",
    "藏",
    "维吾尔",
    "苗",
    "彝",
    "壮",
    "布依",
    "朝鲜",
    "满",
    "侗",
    "瑶",
    "白",
    "土家",
    "哈尼",
    "哈萨克",
    "傣",
    "黎",
    "傈僳",
    "佤",
    "畲",
    "高山",
    "拉祜",
    "水",
    "东乡",
    "纳西",
    "景颇",
    "柯尔克孜",
    "土",
    "达斡尔",
    "仫佬",
    "羌",
    "布朗",
    "撒拉",
    "毛南",
    "仡佬",
    "锡伯",
    "阿昌",
    "普米",
    "塔吉克",
    "怒",
    "乌孜别克",
    "俄罗斯",
    "鄂温克",
    "德昂",
    "保安",
    "裕固",
    "京",
    "塔塔尔",
    "独龙",
    "鄂伦春",
    "赫哲",
    "门巴",
    "珞巴",
    "基诺",
]

TERMS: Final[Mapping[str, tuple[str, ...]]] = {
    "health": (
        # 病 and 患 on their own catch 糖尿病, 患者, 病重, 生病 …; their look-alikes are listed below
        "病",
        "患",
        "重病",
        "大病",
        "患病",
        "患者",
        "病人",
        "慢性病",
        "疾病",
        "尿毒症",
        "透析",
        "血透",
        "癌",
        "肿瘤",
        "白血病",
        "精神",
        "抑郁",
        "焦虑症",
        "艾滋",
        "HIV",
        "梅毒",
        "乙肝",
        "肝炎",
        "结核",
        "偏瘫",
        "脑梗",
        "脑出血",
        "中风",
        "瘫痪",
        "卧床",
        "癫痫",
        "痴呆",
        "失智",
        "失能",
        "住院",
        "化疗",
        "放疗",
        "手术",
        "移植",
        "康复治疗",
        "药物",
        "重症",
    ),
    "disability": (
        "残",
        "残疾",
        "残疾人",
        "残障",
        "伤残",
        "重残",
        "病残",
        "因残",
        "智障",
        "智力",
        "聋",
        "哑",
        "盲",
        "失明",
        "视力",
        "听力",
        "言语",
        "肢体",
        "截肢",
        "自闭症",
        "孤独症",
        "脑瘫",
        "残疾证",
    ),
    "criminal": (
        "服刑",
        "刑满",
        "刑释",
        "戒毒",
        "吸毒",
        "涉毒",
        "社区矫正",
        "矫正对象",
        "在押",
        "羁押",
        "劳改",
        "劳教",
        "犯罪",
        "判刑",
        "缓刑",
        "假释",
        "监狱",
        "看守所",
        "拘留",
        "前科",
    ),
    "religion": (
        "信教",
        "宗教",
        "基督",
        "天主教",
        "伊斯兰",
        "穆斯林",
        "佛教",
        "信佛",
        "道教",
        "教徒",
        "信徒",
        "清真寺",
        "教会",
        "寺庙",
    ),
    "ethnicity": ("民族", *(f"{name}族" for name in _NATIONALITIES)),
    "minors": (
        "孤儿",
        "未成年",
        "留守儿童",
        "事实无人抚养",
        "困境儿童",
        "学生姓名",
        "子女姓名",
        "儿童姓名",
        "在校",
        "就读",
        "年级",
        "幼儿",
        "婴儿",
    ),
    "income": (
        "收入",
        "月收入",
        "存款",
        "车辆",
        "汽车",
        "轿车",
        "房产",
        "住房",
        "工资",
        "退休金",
        "养老金",
        "财产",
        "负债",
        "债务",
        "欠款",
        "贷款",
        "存折",
        "股票",
        "理财",
    ),
    "family": (
        "离异",
        "离婚",
        "单亲",
        "家暴",
        "家庭暴力",
        "丧偶",
        "未婚生育",
        "非婚生",
        "未婚先孕",
        "遗弃",
        "弃养",
        "失踪",
        "改嫁",
        "再婚",
        "分居",
        "同居",
        "去世",
        "死亡",
        "病故",
    ),
}

# Phrases that contain a word above and name nothing about a person. 社区 is the look-alike of
# 社区矫正 (it only matches a longer word, so it needs no entry, but is listed for the reader).
LOOK_ALIKES: Final[tuple[str, ...]] = (
    "社区",
    "精神文明",
    "文明精神",
    "雷锋精神",
    "病虫害",
    "病虫害防治",
    "隐患",
    "盲道",
    "盲区",
    "扫盲",
    "水族馆",
    "言语文明",
)

# program (as a roster's ``program`` names it) → the program phrases allowed in its free text
_DISABILITY_ALLOWANCES = ("残疾人两项补贴", "困难残疾人生活补贴", "重度残疾人护理补贴")
PROGRAM_PHRASES: Final[Mapping[str, tuple[str, ...]]] = {
    name: _DISABILITY_ALLOWANCES for name in _DISABILITY_ALLOWANCES
}

# 救助事由: the coarse causes of 临时救助 (急难型: sudden events; 支出型: a necessary expense).
REASONS: Final[tuple[str, ...]] = (
    "急难型",
    "支出型",
    "因病",
    "因灾",
    "因学",
    "就学",
    "意外事故",
    "突发意外",
    "自然灾害",
    "生活必需支出突然增加",
)
# 类别: the bureau's class codes and the forms of 特困 support.
CLASS_CODES: Final[tuple[str, ...]] = (
    "A类",
    "B类",
    "C类",
    "D类",
    "一类",
    "二类",
    "三类",
    "四类",
    "甲类",
    "乙类",
    "丙类",
    "Ⅰ类",
    "Ⅱ类",
    "Ⅲ类",
    "一档",
    "二档",
    "三档",
    "全额",
    "差额",
    "全额保障",
    "差额保障",
    "集中供养",
    "分散供养",
)
FREE_TEXT_KEYS: Final[tuple[str, ...]] = ("category", "reason", "note")
_SHOWN_REASONS = "、".join(REASONS[:6])
_SHOWN_CLASSES = "A类、B类、C类、一类、二类、三类、全额、差额、集中供养、分散供养"


def _fold(text: str) -> str:
    """What terms are compared on: normalised, Latin letters upper-case, no spaces."""
    return normalize(text).upper().replace(" ", "")


def mask_term(term: str) -> str:
    """A term as messages show it: its first character and a star for each other (尿毒症 → 尿**);
    a one-character term is a single star, since the character alone would say it all."""
    return "*" if len(term) <= 1 else term[0] + "*" * (len(term) - 1)


@dataclass(frozen=True, slots=True)
class TermHit:
    """A sensitive word in a value: its category key, the word as the value writes it, where."""

    category: str
    term: str
    offset: int  # 0-based, in the folded value

    @property
    def label(self) -> str:
        return CATEGORIES[self.category][0]


class Lexicon:
    """The words of `TERMS` (plus any from ``site.yaml``) and their exceptions, compiled once."""

    def __init__(self, extra: Mapping[str, Sequence[str]] | None = None, allow_phrases: Iterable[str] = ()):
        words: dict[str, str] = {}  # folded term → category; the built-in category wins a clash
        for category, terms in TERMS.items():
            for term in terms:
                words.setdefault(_fold(term), category)
        for category, added in (extra or {}).items():
            for term in added:
                if _fold(term):
                    words.setdefault(_fold(term), category)
        self._words = words
        self._allowed = frozenset(_fold(p) for p in allow_phrases if _fold(p))
        self._reasons = frozenset(_fold(r) for r in REASONS)
        self._classes = frozenset(_fold(c) for c in CLASS_CODES)
        self._verdicts: dict[tuple[str, str, str], tuple[str, str] | None] = {}

    @lru_cache(maxsize=32)  # noqa: B019 - one Lexicon per site.yaml, a handful of programs
    def _pattern(self, program: str) -> re.Pattern[str]:
        exempt = {_fold(p) for p in (*LOOK_ALIKES, *PROGRAM_PHRASES.get(_fold(program), ()))} | self._allowed
        # at one position the longest alternative wins, so a look-alike beats the word it contains
        alternatives = sorted({*self._words, *exempt}, key=lambda word: (-len(word), word))
        return re.compile("|".join(re.escape(word) for word in alternatives))

    def find(self, text: str, program: str = "") -> list[TermHit]:
        """Every sensitive word in ``text`` (a word inside a look-alike, an allowed phrase or a
        program phrase of ``program`` is none), in order."""
        folded = _fold(text)
        hits: list[TermHit] = []
        for match in self._pattern(program).finditer(folded):
            category = self._words.get(match.group())
            if category is not None and not self._exempt(match.group(), program):
                hits.append(TermHit(category, match.group(), match.start()))
        return hits

    def _exempt(self, word: str, program: str) -> bool:
        """A word that is itself an allowed phrase or a program phrase of ``program``."""
        return word in self._allowed or any(word == _fold(p) for p in PROGRAM_PHRASES.get(_fold(program), ()))

    def check(self, key: str, value: str, program: str = "") -> tuple[str, str] | None:
        """Why the free-text field ``key`` (category, reason, note) of a roster of ``program`` may
        not hold ``value``, as (what, hint) for a message: ``("含有健康状况（“尿**”）", "")`` or
        ``("“突**”不是概括的事由", "；只能写 …")``; None when it may. Remembered per distinct value."""
        remembered = (key, value, program)
        if remembered in self._verdicts:
            return self._verdicts[remembered]
        verdict = self._check(key, value, program)
        if len(self._verdicts) < 65536:
            self._verdicts[remembered] = verdict
        return verdict

    def _check(self, key: str, value: str, program: str) -> tuple[str, str] | None:
        folded = _fold(value)
        if not folded:
            return None
        phrases = {_fold(p) for p in PROGRAM_PHRASES.get(_fold(program), ())}
        if folded in self._allowed or (key == "category" and (folded in self._classes or folded in phrases)):
            return None
        if key == "reason" and folded in self._reasons:
            return None
        hits = self.find(value, program)
        if hits:
            return f"含有{hits[0].label}（“{mask_term(hits[0].term)}”）", ""
        allow = "，或由本局确认后列入 site.yaml 的 pii.allow_phrases"
        if key == "reason":
            return f"“{mask_term(folded)}”不是概括的事由", f"；只能写 {_SHOWN_REASONS} 等{allow}"
        if key == "category":
            return f"“{mask_term(folded)}”不是保障类别", f"；只能写 {_SHOWN_CLASSES} 等{allow}"
        return None


def parse_sensitive_terms(raw: Mapping[object, object]) -> tuple[dict[str, tuple[str, ...]], list[tuple[object, str]]]:
    """``pii.sensitive_terms`` of site.yaml (``{健康状况: [渐冻症, …], …}``) → category key → terms,
    and (key, message) for every entry that is not a known category with a list of words."""
    names = {name: key for key, (label, others) in CATEGORIES.items() for name in (key, label, *others)}
    terms: dict[str, tuple[str, ...]] = {}
    errors: list[tuple[object, str]] = []
    for name, words in raw.items():
        category = names.get(str(name))
        if category is None:
            known = "、".join(label for label, _ in CATEGORIES.values())
            errors.append((name, f"pii.sensitive_terms 中 “{name}” 不是已知的类别（可选：{known}）"))
            continue
        if not isinstance(words, list) or not all(isinstance(w, str) and w.strip() for w in words):
            errors.append((name, f"pii.sensitive_terms 的 “{name}” 应为词语列表，如 [渐冻症]"))
            continue
        terms[category] = terms.get(category, ()) + tuple(w.strip() for w in words)
    return terms, errors


@lru_cache(maxsize=8)
def _lexicon(extra: tuple[tuple[str, tuple[str, ...]], ...], allow_phrases: tuple[str, ...]) -> Lexicon:
    return Lexicon(dict(extra), allow_phrases)


def lexicon(extra: Iterable[tuple[str, tuple[str, ...]]] = (), allow_phrases: Iterable[str] = ()) -> Lexicon:
    """The lexicon with a site's additions (``SiteConfig.pii_sensitive_terms`` and
    ``pii_allow_phrases``); one shared object per configuration."""
    return _lexicon(tuple(extra), tuple(allow_phrases))
