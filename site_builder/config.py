"""``content/site.yaml`` → a typed, checked `SiteConfig`.

`SCHEMA` declares every key of site.yaml once, nested mappings included: its English key and
Chinese alias, its type, its default, the check of its value, and the `SiteConfig` field it fills.
`load_config` walks it: first every mapping is read (typed values, unknown keys, missing
required keys), then every value is checked and stored, in schema order.
"""

from __future__ import annotations

import dataclasses
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

from . import footer_formats, urls
from .identifiers import uscc_is_valid
from .privacy.lexicon import parse_sensitive_terms
from .problems import Problems
from .sources.fields import Field, Fields, Kind, parse_date, read_fields
from .sources.yamldoc import YamlDoc, load_yaml_file
from .workdays import Calendar

SOCIAL_ASSISTANCE_DAYS = 10  # 社会救助领域基层政务公开标准目录 (民办函〔2019〕52号): within 10 working days

Check = Callable[[Any], str | None]
"""A value → its error message, or None when it is good."""
ItemCheck = Callable[[str, Sequence[str]], str | None]
"""A list item and the items before it → what is wrong with it (shown after ``key 中 “item” ``), or None."""
Parse = Callable[[Any], tuple[Any, Sequence[tuple[object, str]]]]
"""A mapping → its value, and (sub-key, message) for each bad entry, shown at that sub-key's line."""


@dataclass(frozen=True, slots=True)
class Option(Field):
    """One key of site.yaml: read as a `Field`, then checked and stored in `SiteConfig`.

    ``default`` stands in when the key is absent or empty, for a required key too (its error is
    reported and a `SiteConfig` is still made, so that every other problem is reported with it).
    """

    to: str | None = None  # the SiteConfig field (a Contact field, inside contact); None: checked, not kept
    default: Any = None
    check: Check | None = None
    each: tuple[ItemCheck, ...] = ()  # for a list: run on every item, in order
    parse: Parse | None = None  # for a mapping: turns it into the stored value
    convert: Callable[[Any], Any] | None = None  # the stored value → the SiteConfig field's type


@dataclass(frozen=True, slots=True)
class Section(Field):
    """A nested mapping of site.yaml and its own keys. Absent, every key has its default."""

    kind: Kind = "mapping"
    what: str = ""  # names the mapping in its messages
    options: tuple[Option, ...] = ()
    to: str | None = None  # with ``build``: the SiteConfig field of the object built from the keys
    build: Callable[..., Any] | None = None  # else each key fills its own SiteConfig field


@dataclass(frozen=True, slots=True)
class Contact:
    address: str = ""
    postcode: str = ""
    phone: str = ""
    hours: str = ""
    email: str = ""


@dataclass(frozen=True, slots=True)
class Portal:
    """The bureau's portal (门户网站) whose 政府信息公开 column this site is: with it, every page
    carries the portal's header and navigation, and the trail starts at the portal's home."""

    name: str = ""
    url: str = ""
    nav: tuple[tuple[str, str], ...] = ()  # (label, absolute address) of its main navigation
    header_text: str = ""
    footer_text: str = ""

    @property
    def enabled(self) -> bool:
        return bool(self.name)


@dataclass(frozen=True, slots=True)
class SiteConfig:
    """Everything site.yaml says, checked. ``content_dir`` is where it was read from."""

    content_dir: Path
    title: str
    base_url: str
    language: str
    publisher_name: str
    uscc: str
    site_id: str
    icp: str
    police_record: str
    districts: tuple[str, ...]
    categories: tuple[str, ...]
    topics: tuple[str, ...]
    contact: Contact
    request_url: str
    roster_hotline: str
    roster_page_size: int
    roster_notice_days: int  # 初审公示 and 终止公示 last this many days …
    roster_notice_unit: str  # … counted as 自然日 (calendar days) or 工作日 (working days)
    pii_allow: frozenset[str]
    description: str
    page_size: int
    pii_sensitive_terms: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (category, words) added to the lexicon
    pii_allow_phrases: tuple[str, ...] = ()
    conac_id: str = ""  # 党政机关网站标识
    portal: Portal = Portal()
    calendar: Calendar = dataclasses.field(
        default_factory=Calendar
    )  # working days: the official calendar and site.yaml's own days
    # MM-DD of the year after: 1月31日 for a department, 3月31日 for a government's office
    annual_report_due: str = "01-31"
    normative_categories: tuple[str, ...] = ()  # counted as 行政规范性文件 in the annual report
    # working days within which a 组配分类's items are published, where not 20 (条例第二十六条)
    publish_within: tuple[tuple[str, int], ...] = ()

    @property
    def normative(self) -> tuple[str, ...]:
        """The 组配分类 counted as 行政规范性文件: ``normative_categories``, else 规范性文件 if it is one."""
        if self.normative_categories:
            return self.normative_categories
        return ("规范性文件",) if "规范性文件" in self.categories else ()

    def publish_days(self, category: str) -> int:
        """Working days within which an item of ``category`` is published after it is made: as
        ``publish_within`` says, else 10 for 社会救助 (社会救助领域基层政务公开标准目录), else 20
        (《政府信息公开条例》第二十六条)."""
        return dict(self.publish_within).get(category, SOCIAL_ASSISTANCE_DAYS if category == "社会救助" else 20)

    @property
    def domain(self) -> str:
        return urlsplit(self.base_url).netloc


# --- the checks of single values -------------------------------------------------------------------


def _uscc_error(uscc: str) -> str | None:
    if uscc_is_valid(uscc):
        return None
    return f"统一社会信用代码 “{uscc}” 无效：应为 18 位且校验码符合 GB 32100"


def _site_id_error(site_id: str) -> str | None:
    return None if footer_formats.SITE_ID.fullmatch(site_id) else f"网站标识码 “{site_id}” 应为 6–20 位字母或数字"


def _icp_error(icp: str) -> str | None:
    if footer_formats.ICP.fullmatch(icp):
        return None
    return f"ICP备案号 “{icp}” 格式不对：应如 鲁ICP备12345678号 或 鲁ICP备12345678号-1（省份简称、ICP备、数字、号）"


def _police_record_error(record: str) -> str | None:
    if footer_formats.POLICE_RECORD.fullmatch(record):
        return None
    return f"公安备案号 “{record}” 格式不对：应如 鲁公网安备37010202000123号（省份简称、公网安备、14 位数字、号，不加空格）"


def _conac_id_error(conac_id: str) -> str | None:
    if footer_formats.CONAC_ID.fullmatch(conac_id):
        return None
    return f"党政机关网站标识 “{conac_id}” 应为 32 位十六进制字符（见标识验证页网址中 id= 之后的部分）"


def _notice_days_error(days: int) -> str | None:
    return None if 1 <= days <= 90 else "notice_days（公示天数） 应为 1 到 90 之间的整数"


def _not_a_date(item: str, earlier: Sequence[str]) -> str | None:
    return None if parse_date(item) is not None else "不是日期（应为 YYYY-MM-DD，且是真实的日历日期）"


def _dates(items: Sequence[str]) -> frozenset[date]:
    return frozenset(d for d in map(parse_date, items) if d is not None)


def _absolute_url_error(url: str) -> str | None:
    parts = urlsplit(url)
    if parts.scheme in ("http", "https") and parts.netloc:
        return None
    return f"“{url}” 应为 http(s):// 开头的完整网址"


def _portal_nav(raw: Mapping[object, object]) -> tuple[Any, Sequence[tuple[object, str]]]:
    """``{栏目名: 网址}`` in order → ((label, url), …); each bad entry at its own line."""
    items: list[tuple[str, str]] = []
    errors: list[tuple[object, str]] = []
    for label, url in raw.items():
        if not isinstance(url, str):
            errors.append((label, f"portal.nav 中 “{label}” 的网址应为文字"))
        elif (wrong := _absolute_url_error(url)) is not None:
            errors.append((label, f"portal.nav 中 “{label}” 的网址{wrong}"))
        else:
            items.append((str(label).strip(), url))
    return tuple(items), errors


def _base_url_error(url: str) -> str | None:
    parts = urlsplit(url)
    if parts.scheme in ("http", "https") and parts.netloc:
        return None
    return f"base_url “{url}” 应为 http(s):// 开头的完整网址"


def _page_size_error(size: int) -> str | None:
    return None if size >= 1 else "page_size 必须是正整数"


def _folded(name: str) -> str:
    """``name`` as a case-insensitive file system sees it."""
    return unicodedata.normalize("NFC", name).lower()


def _repeated(name: str, earlier: Sequence[str]) -> str | None:
    """``name`` after one that names the same folder (the lists are short: a search will do)."""
    folded = _folded(name)
    first = next((e for e in earlier if _folded(e) == folded), None)
    if first is None:
        return None
    return "重复" if first == name else f"重复（与 “{first}” 只有大小写或字形不同）"


def _not_a_segment(name: str, earlier: Sequence[str]) -> str | None:
    if "/" in name or "\\" in name or name.startswith((".", urls.PAGE_PREFIX)) or name.isdigit():
        return "不能用作网址的一段：不能含 / 或 \\，不能以 . 开头，不能是纯数字或 page-…"
    return None


def _sensitive_terms(raw: Mapping[object, object]) -> tuple[Any, Sequence[tuple[object, str]]]:
    terms, errors = parse_sensitive_terms(raw)
    return tuple(terms.items()), errors


def _publish_within(raw: Mapping[object, object]) -> tuple[Any, Sequence[tuple[object, str]]]:
    """``{组配分类: 工作日数}`` → ((category, days), …); each bad entry at its own line. No more than
    the law's 20 working days: a setting can only shorten the deadline."""
    items: list[tuple[str, int]] = []
    errors: list[tuple[object, str]] = []
    for category, days in raw.items():
        if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= 20:
            errors.append(
                (
                    category,
                    f"publish_within 中 “{category}” 的工作日数应为 1 到 20 的整数（条例第二十六条：20 个工作日内）",
                )
            )
        else:
            items.append((str(category), days))
    return tuple(items), errors


def _base_url(url: str) -> str:
    """``url`` ending in ``/``, its path percent-encoded where it is not already (a feed, a
    sitemap and a printed page need a valid address: ``/民政/`` → ``/%E6%B0%91%E6%94%BF/``)."""
    parts = urlsplit(url)
    path = quote(parts.path, safe="/%-._~!$&'()*+,;=:@")
    return urlunsplit(parts._replace(path=path if path.endswith("/") else path + "/"))


_NAMES = (_repeated, _not_a_segment)  # a district, category or topic names a folder of the site

# Keys are read, then their values checked (nested ones in their place), in this order; of two
# keys a misspelt one resembles equally, it is taken for the first.
SCHEMA: tuple[Option | Section, ...] = (
    Option("title", "标题", "str", required=True, to="title", default=""),
    Option(
        "base_url", "网址", "str", required=True, to="base_url", default="", check=_base_url_error, convert=_base_url
    ),
    Option("language", "语言", "str", to="language", default="zh-CN"),
    Section(
        "publisher",
        "发布机构",
        required=True,
        what="publisher 发布机构",
        options=(
            Option("name", "名称", "str", required=True, to="publisher_name", default=""),
            Option("uscc", "统一社会信用代码", "str", required=True, to="uscc", default="", check=_uscc_error),
            Option("site_id", "网站标识码", "str", required=True, to="site_id", default="", check=_site_id_error),
            Option("icp", "备案号", "str", to="icp", default="", check=_icp_error),
            Option("police_record", "公安备案号", "str", to="police_record", default="", check=_police_record_error),
            Option("conac_id", "党政机关网站标识", "str", to="conac_id", default="", check=_conac_id_error),
        ),
    ),
    Option("districts", "区县", "strlist", required=True, to="districts", default=(), each=_NAMES),
    Option("categories", "组配分类", "strlist", required=True, to="categories", default=(), each=_NAMES),
    Option("topics", "主题分类", "strlist", to="topics", default=(), each=_NAMES),
    Section(
        "contact",
        "联系方式",
        what="contact 联系方式",
        to="contact",
        build=Contact,
        options=(
            Option("address", "地址", "str", to="address", default=""),
            Option("postcode", "邮编", "str", to="postcode", default=""),
            Option("phone", "电话", "str", to="phone", default=""),
            Option("hours", "办公时间", "str", to="hours", default=""),
            Option("email", "邮箱", "str", to="email", default=""),
        ),
    ),
    Option("request_url", "依申请公开", "str", to="request_url", default=""),
    Section(
        "roster",
        "公示",
        what="roster 公示",
        options=(
            Option("hotline", "监督电话", "str", to="roster_hotline", default=""),
            Option("mask", "遮蔽方式", "str", choices=("default",), default="default"),
            Option("page_size", "每页条数", "int", to="roster_page_size", default=200, check=_page_size_error),
            # 初审公示 7 days (最低生活保障审核确认办法), 终止公示 7 days (特困人员认定办法 Art. 26); the
            # 基层政务公开 catalogue says 7 个工作日
            Option("notice_days", "公示天数", "int", to="roster_notice_days", default=7, check=_notice_days_error),
            Option(
                "notice_unit",
                "公示天数计法",
                "str",
                to="roster_notice_unit",
                default="自然日",
                choices=("自然日", "工作日"),
            ),
        ),
    ),
    Section(
        "pii",
        "个人信息",
        what="pii",
        options=(
            Option("allow", "允许", "strlist", to="pii_allow", default=(), convert=frozenset),
            # more words for privacy/lexicon.py, by category
            Option(
                "sensitive_terms", "敏感词", "mapping", to="pii_sensitive_terms", default=(), parse=_sensitive_terms
            ),
            # exact phrases the lexicon lets through
            Option("allow_phrases", "允许词语", "strlist", to="pii_allow_phrases", default=()),
        ),
    ),
    Option("description", "网站简介", "str", to="description", default=""),
    Option("page_size", "每页条数", "int", to="page_size", default=20, check=_page_size_error),
    # the 组配分类 whose policies section 二 of the annual report counts as 行政规范性文件
    Option(
        "normative_categories",
        "规范性文件分类",
        "strlist",
        to="normative_categories",
        default=(),
        convert=tuple,
    ),
    # working days to publish in, by 组配分类, where shorter than the 20 of Art. 26 (社会救助: 10 by default)
    Option("publish_within", "公开时限", "mapping", to="publish_within", default=(), parse=_publish_within),
    # Art. 49: a department publishes last year's annual report by 1月31日, a government's office by 3月31日
    Option(
        "annual_report_due", "年报公布期限", "str", to="annual_report_due", default="01-31", choices=("01-31", "03-31")
    ),
    Section(
        "calendar",
        "工作日历",
        what="calendar 工作日历",
        to="calendar",
        build=Calendar,
        options=(
            # days the chinesecalendar package does not know yet (a new year's notice)
            Option("holidays", "节假日", "strlist", to="holidays", default=(), each=(_not_a_date,), convert=_dates),
            Option("workdays", "调休上班日", "strlist", to="workdays", default=(), each=(_not_a_date,), convert=_dates),
        ),
    ),
    Section(
        "portal",
        "门户网站",
        what="portal 门户网站",
        to="portal",
        build=Portal,
        options=(
            Option("name", "名称", "str", required=True, to="name", default=""),
            Option("url", "网址", "str", required=True, to="url", default="", check=_absolute_url_error),
            Option("nav", "导航", "mapping", to="nav", default=(), parse=_portal_nav),
            Option("header_text", "页头文字", "str", to="header_text", default=""),
            Option("footer_text", "页脚文字", "str", to="footer_text", default=""),
        ),
    ),
)
_SECTIONS = tuple(s for s in SCHEMA if isinstance(s, Section))


def load_config(content_dir: Path, problems: Problems, base_url: str | None = None) -> SiteConfig | None:
    """Read and check ``site.yaml``; None (with problems recorded) when it is unusable.

    ``base_url`` (``--base-url``) replaces site.yaml's before it is checked.
    """
    path = content_dir / "site.yaml"
    if not path.is_file():
        problems.error(path, 1, "缺少站点配置文件 site.yaml")
        return None
    doc = load_yaml_file(path, problems)
    if doc is None:
        return None
    site = _Reading(doc, path, problems)
    top = site.read((), SCHEMA, "site.yaml")
    if _required_section_missing(top):
        return None
    sections: dict[str, Fields] = {}  # all read before any value is checked, as ever
    for section in _SECTIONS:
        if top[section.key] is not None:
            sections[section.key] = site.read(site.written((section,)), section.options, section.what)
    values = site.values(SCHEMA, top, sections, overrides={"base_url": base_url})
    _check_publish_within(site, values["publish_within"], values["categories"])
    return SiteConfig(content_dir=content_dir, **values)


def _check_publish_within(site: _Reading, publish_within: Sequence[tuple[str, int]], categories: Sequence[str]) -> None:
    """Each 组配分类 given a deadline of its own is one of ``categories``, at its line."""
    for category, _ in publish_within:
        if category not in categories:
            option = next(o for o in SCHEMA if o.key == "publish_within")
            site.problems.error(
                site.path,
                site.doc.line(*site.written((option,)), category),
                f"publish_within 中 “{category}” 不在 categories 中（可选：{'、'.join(categories)}）",
            )


def _required_section_missing(top: Fields) -> bool:
    """A required nested mapping (publisher) is absent or not a mapping: nothing more to read."""
    return any(s.required and top[s.key] is None for s in _SECTIONS)


@dataclass(frozen=True, slots=True)
class _Reading:
    doc: YamlDoc
    path: Path
    problems: Problems

    def read(self, prefix: tuple[str, ...], spec: tuple[Field, ...], what: str) -> Fields:
        return read_fields(self.doc, prefix, spec, self.path, self.problems, what=what)

    def values(
        self,
        options: tuple[Option | Section, ...],
        fields: Fields | None,
        sections: Mapping[str, Fields],
        overrides: Mapping[str, Any],
        within: tuple[Section, ...] = (),
    ) -> dict[str, Any]:
        """Check each value read (``fields`` is None for an absent mapping) and return each
        SiteConfig field's value, defaults filled in; nested mappings in their place."""
        values: dict[str, Any] = {}
        for option in options:
            if isinstance(option, Section):
                inner = self.values(option.options, sections.get(option.key), {}, {}, (*within, option))
                if option.build is not None and option.to is not None:
                    values[option.to] = option.build(**inner)
                else:
                    values |= inner
                continue
            value = overrides.get(option.key) or (fields[option.key] if fields is not None else None)
            if value is not None and fields is not None:
                value = self.checked(option, value, fields.line(option.key), within)
            if option.to is not None:
                value = value or option.default
                values[option.to] = value if option.convert is None else option.convert(value)
        return values

    def checked(self, option: Option, value: Any, line: int, within: tuple[Section, ...]) -> Any:
        """Report what is wrong with ``value`` (at ``line``, the key's); the value to store."""
        message = option.check(value) if option.check is not None else None
        if message is not None:
            self.problems.error(self.path, line, message)
        for index, item in enumerate(value if option.each else ()):
            for check in option.each:
                if (wrong := check(item, value[:index])) is not None:
                    self.problems.error(self.path, line, f"{option.key} 中 “{item}” {wrong}")
        if option.parse is None:
            return value
        value, errors = option.parse(value)
        written = self.written((*within, option))
        for name, text in errors:
            self.problems.error(self.path, self.doc.line(*written, str(name)), text)
        return value

    def written(self, chain: tuple[Field, ...]) -> tuple[str, ...]:
        """The keys of ``chain`` as site.yaml writes them (English or Chinese, the first given)."""
        keys: list[str] = []
        mapping = self.doc.data
        for field in chain:
            key = next(k for k in mapping if k in (field.key, field.alias))
            keys.append(key)
            mapping = mapping[key]
        return tuple(keys)
