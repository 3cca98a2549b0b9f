"""``content/site.yaml`` → a typed, checked `SiteConfig`.

Each key has a type, a default where one makes sense, a Chinese alias, and its own error message.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from .identifiers import uscc_is_valid
from .privacy.lexicon import parse_sensitive_terms
from .problems import Problems
from .sources.fields import Field, read_fields
from .sources.yamldoc import load_yaml_file

_SITE_ID = re.compile(r"^[0-9A-Za-z]{6,20}$")

TOP = (
    Field("title", "标题", "str", required=True),
    Field("base_url", "网址", "str", required=True),
    Field("language", "语言", "str"),
    Field("publisher", "发布机构", "mapping", required=True),
    Field("districts", "区县", "strlist", required=True),
    Field("categories", "组配分类", "strlist", required=True),
    Field("topics", "主题分类", "strlist"),
    Field("contact", "联系方式", "mapping"),
    Field("request_url", "依申请公开", "str"),
    Field("roster", "公示", "mapping"),
    Field("pii", "个人信息", "mapping"),
    Field("description", "网站简介", "str"),
    Field("page_size", "每页条数", "int"),
)
PUBLISHER = (
    Field("name", "名称", "str", required=True),
    Field("uscc", "统一社会信用代码", "str", required=True),
    Field("site_id", "网站标识码", "str", required=True),
    Field("icp", "备案号", "str"),
    Field("police_record", "公安备案号", "str"),
)
CONTACT = (
    Field("address", "地址", "str"),
    Field("postcode", "邮编", "str"),
    Field("phone", "电话", "str"),
    Field("hours", "办公时间", "str"),
    Field("email", "邮箱", "str"),
)
ROSTER = (
    Field("hotline", "监督电话", "str"),
    Field("mask", "遮蔽方式", "str", choices=("default",)),
    Field("page_size", "每页条数", "int"),
)
PII = (
    Field("allow", "允许", "strlist"),
    Field("sensitive_terms", "敏感词", "mapping"),  # more words for privacy/lexicon.py, by category
    Field("allow_phrases", "允许词语", "strlist"),  # exact phrases the lexicon lets through
)


@dataclass(frozen=True, slots=True)
class Contact:
    address: str = ""
    postcode: str = ""
    phone: str = ""
    hours: str = ""
    email: str = ""


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
    pii_allow: frozenset[str]
    description: str
    page_size: int
    pii_sensitive_terms: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (category, words) added to the lexicon
    pii_allow_phrases: tuple[str, ...] = ()

    @property
    def domain(self) -> str:
        return urlsplit(self.base_url).netloc


def load_config(content_dir: Path, problems: Problems, base_url: str | None = None) -> SiteConfig | None:
    """Read and check ``site.yaml``; None (with problems recorded) when it is unusable."""
    path = content_dir / "site.yaml"
    if not path.is_file():
        problems.error(path, 1, "缺少站点配置文件 site.yaml")
        return None
    doc = load_yaml_file(path, problems)
    if doc is None:
        return None
    top = read_fields(doc, (), TOP, path, problems, what="site.yaml")
    if top["publisher"] is None:
        return None
    pub = read_fields(doc, ("publisher",), PUBLISHER, path, problems, what="publisher 发布机构")
    contact = (
        read_fields(doc, ("contact",), CONTACT, path, problems, what="contact 联系方式")
        if top["contact"] is not None
        else None
    )
    roster = (
        read_fields(doc, ("roster",), ROSTER, path, problems, what="roster 公示") if top["roster"] is not None else None
    )
    pii = read_fields(doc, ("pii",), PII, path, problems, what="pii") if top["pii"] is not None else None

    uscc = pub["uscc"] or ""
    if uscc and not uscc_is_valid(uscc):
        problems.error(
            path,
            pub.line("uscc"),
            f"统一社会信用代码 “{uscc}” 无效：应为 18 位且校验码符合 GB 32100",
        )
    site_id = pub["site_id"] or ""
    if site_id and not _SITE_ID.match(site_id):
        problems.error(path, pub.line("site_id"), f"网站标识码 “{site_id}” 应为 6–20 位字母或数字")
    url = base_url or top["base_url"] or ""
    parts = urlsplit(url)
    if url and (parts.scheme not in ("http", "https") or not parts.netloc):
        problems.error(path, top.line("base_url"), f"base_url “{url}” 应为 http(s):// 开头的完整网址")
    for key in ("districts", "categories", "topics"):
        seen: dict[str, str] = {}  # folded as a case-insensitive file system sees the name
        for name in top[key] or ():
            folded = unicodedata.normalize("NFC", name).lower()
            if folded in seen:
                same = "" if seen[folded] == name else f"（与 “{seen[folded]}” 只有大小写或字形不同）"
                problems.error(path, top.line(key), f"{key} 中 “{name}” 重复{same}")
            if "/" in name or "\\" in name or name.startswith((".", "page-")) or name.isdigit():
                problems.error(
                    path,
                    top.line(key),
                    f"{key} 中 “{name}” 不能用作网址的一段：不能含 / 或 \\，不能以 . 开头，不能是纯数字或 page-…",
                )
            seen.setdefault(folded, name)
    sensitive_terms: dict[str, tuple[str, ...]] = {}
    if pii is not None and pii["sensitive_terms"] is not None:
        sensitive_terms, errors = parse_sensitive_terms(pii["sensitive_terms"])
        pii_key = next(k for k in doc.data if k in ("pii", "个人信息"))
        terms_key = next(k for k in doc.data[pii_key] if k in ("sensitive_terms", "敏感词"))
        for name, text in errors:
            problems.error(path, doc.line(pii_key, terms_key, str(name)), text)
    for key in ("page_size",):
        if top[key] is not None and top[key] < 1:
            problems.error(path, top.line(key), "page_size 必须是正整数")
    c = contact
    return SiteConfig(
        content_dir=content_dir,
        title=top["title"] or "",
        base_url=url if url.endswith("/") else url + "/",
        language=top["language"] or "zh-CN",
        publisher_name=pub["name"] or "",
        uscc=uscc,
        site_id=site_id,
        icp=pub["icp"] or "",
        police_record=pub["police_record"] or "",
        districts=top["districts"] or (),
        categories=top["categories"] or (),
        topics=top["topics"] or (),
        contact=Contact(**{k: (c[k] or "") for k in ("address", "postcode", "phone", "hours", "email")})
        if c
        else Contact(),
        request_url=top["request_url"] or "",
        roster_hotline=(roster["hotline"] or "") if roster else "",
        roster_page_size=(roster["page_size"] or 200) if roster else 200,
        pii_allow=frozenset((pii["allow"] or ()) if pii else ()),
        description=top["description"] or "",
        page_size=top["page_size"] or 20,
        pii_sensitive_terms=tuple(sensitive_terms.items()),
        pii_allow_phrases=tuple((pii["allow_phrases"] or ()) if pii else ()),
    )
