"""The audit of a built site (site_builder/audit/output.py), on small synthetic sites.

Each case writes a good site into tmp_path, breaks one thing and lists exactly the findings
expected; every check has a case that trips it and one that does not. No build: the pages come
from one template with a complete footer and complete meta tags.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from site_builder import urls
from site_builder.audit.findings import Finding, Severity
from site_builder.audit.output import FooterExpectation, audit_output
from site_builder.footer_formats import MIIT_URL, conac_url, error_report_url, police_url
from site_builder.plan.columns import CATALOG, COLUMN_TYPES, SITE_INFO

BASE = "https://mzj.shifan.example.gov.cn/xxgk/"
HOST = "mzj.shifan.example.gov.cn"
SITE_ID = "3799000012"
ICP_NO = "鲁ICP备12345678号-1"
POLICE = "鲁公网安备37010202000123号"
CONAC = "3F2A9C51D7E84B06A1C5E9D20B7F4A68"
EXPECT = FooterExpectation(site_id=SITE_ID, icp=ICP_NO, police_record=POLICE, conac_id=CONAC)
SHEHUI_JIUZHU = "%E7%A4%BE%E4%BC%9A%E6%95%91%E5%8A%A9"  # 社会救助, UTF-8 percent-encoded
ORPHAN = "页面从栏目首页沿链接无法到达（孤立页面）"
TYPES = "、".join(COLUMN_TYPES)

PAGE = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>{title}</title>
{meta}
<link rel="stylesheet" href="{up}static/site.css">
<script src="{up}static/site.js"></script>
{head}
</head>
<body>
<main id="main-content">
<h1 id="s1">{title}</h1>
{body}
</main>
<footer class="site-footer">
{footer}
</footer>
</body>
</html>
"""

HOME_BODY = """<a href="accessibility/">无障碍声明</a>
<a href="catalog/">信息公开目录</a>
<a href="policies/a/">一份政策</a>"""
CATALOG_BODY = f"""<a href="{SHEHUI_JIUZHU}/">社会救助</a>"""
CATEGORY_BODY = """<a href="../../policies/a/#s1">一份政策</a>"""
POLICY_BODY = """<a href="../../files/a.pdf">附件：a.pdf</a>
<a href="#s1">本页标题</a>
<img src="../../static/logo.png" alt="">"""
NOT_FOUND_BODY = """<a href="/xxgk/">返回首页</a>
<a href="/xxgk/catalog/">信息公开目录</a>"""

# output file → (title, column type or None for the home and 404, is an article, body)
PAGES: dict[str, tuple[str, str | None, bool, str]] = {
    "index.html": ("示范市民政局政府信息公开", None, False, HOME_BODY),
    "accessibility/index.html": ("无障碍声明", SITE_INFO, False, ""),
    "catalog/index.html": ("政府信息公开目录", CATALOG, False, CATALOG_BODY),
    "catalog/社会救助/index.html": ("社会救助", CATALOG, False, CATEGORY_BODY),
    "policies/a/index.html": ("一份政策", CATALOG, True, POLICY_BODY),
    "404.html": ("页面未找到", None, False, NOT_FOUND_BODY),
}
FILES = {
    "files/a.pdf": "%PDF-1.4",
    "static/site.css": "",
    "static/site.js": "",
    "static/logo.png": "",
    "static/police.png": "",
    "static/conac.png": "",
    # the search index's pages are not the site's: neither audited nor counted as unreachable
    "pagefind/pagefind.js": "",
    "pagefind/fragment/x.html": '<a href="nowhere/">x</a><script src="https://cdn.example.com/x.js"></script>',
    "pagefind-2019-2023/old.html": "<p>no meta, no footer</p>",
}


@dataclass(frozen=True)
class Change:
    """What one page has instead of the good template's: meta tags (None: left out), footer
    parts (by name, "" to leave out), extra lines in head and body."""

    meta: Mapping[str, str | None] = field(default_factory=dict)
    footer: Mapping[str, str] = field(default_factory=dict)
    head: str = ""
    body: str = ""


def link(target: str, rel: str) -> str:
    """How a page links within the site: relative, but from the host's root on 404.html."""
    return urls.rooted(urls.root(BASE), target) if rel == urls.NOT_FOUND else urls.relative(target, rel)


def good_meta(rel: str, title: str, column_type: str | None, article: bool) -> dict[str, str | None]:
    meta: dict[str, str | None] = {"SiteName": "示范市民政局政府信息公开", "SiteDomain": HOST, "SiteIDCode": SITE_ID}
    if column_type is not None:
        meta |= {
            "ColumnName": title,
            "ColumnDescription": f"{title}栏目",
            "ColumnKeywords": "政府信息公开",
            "ColumnType": column_type,
        }
    if article:
        meta |= {"ArticleTitle": title, "PubDate": "2024-03-01 09:30", "ContentSource": "示范市民政局"}
    return meta


def good_footer(rel: str) -> dict[str, str]:
    address = (
        urls.absolute(BASE, "missing/page/") if rel == urls.NOT_FOUND else urls.absolute(BASE, urls.site_path(rel))
    )
    return {
        "host": "<p>主办单位：示范市民政局</p>",
        "site_id": f"<p>网站标识码：{SITE_ID}</p>",
        "icp": f'<a href="{MIIT_URL}">{ICP_NO}</a>',
        "police": f'<a href="{html.escape(police_url(POLICE))}">\n<img src="{link("static/police.png", rel)}" alt="">'
        f"{POLICE}</a>",
        "conac": f'<a href="{html.escape(conac_url(CONAC))}"><img src="{link("static/conac.png", rel)}" alt="党政机关"></a>',
        "error": f'<a href="{html.escape(error_report_url(SITE_ID, address))}">我为政府网站找错</a>',
        "accessibility": f'<a href="{link("accessibility/", rel)}">无障碍声明</a>',
    }


def page_html(rel: str, title: str, column_type: str | None, article: bool, body: str, change: Change) -> str:
    meta = good_meta(rel, title, column_type, article) | dict(change.meta)
    footer = good_footer(rel) | dict(change.footer)
    up = link("", rel)
    return PAGE.format(
        title=title,
        up="" if up == "./" else up,
        meta="\n".join(f'<meta name="{name}" content="{value}">' for name, value in meta.items() if value is not None),
        head=change.head,
        body="\n".join(part for part in (body, change.body) if part),
        footer="\n".join(part for part in footer.values() if part),
    )


def write_site(
    out: Path,
    changes: Mapping[str, Change] = {},
    drop: tuple[str, ...] = (),
    extra: Mapping[str, tuple[str, str | None, bool, str]] = {},
) -> None:
    """The good site, with ``changes`` to some pages, ``drop`` files left out and ``extra`` pages."""
    for rel, content in FILES.items():
        if rel not in drop:
            _write(out / rel, content)
    for rel, (title, column_type, article, body) in (PAGES | dict(extra)).items():
        if rel not in drop:
            _write(out / rel, page_html(rel, title, column_type, article, body, changes.get(rel, Change())))


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def audit(out: Path, expect: FooterExpectation = EXPECT) -> list[Finding]:
    return audit_output(out, BASE, expect, lambda path: path.relative_to(out).as_posix())


@dataclass(frozen=True)
class Expected:
    """A finding; ``at`` is its line, or the text whose first line in the page it is on."""

    path: str
    at: str | int
    rule: str
    message: str
    severity: Severity = "error"

    def finding(self, out: Path) -> Finding:
        line = self.at if isinstance(self.at, int) else line_of(out / self.path, self.at)
        return Finding(self.path, line, self.rule, self.message, self.severity)


def line_of(page: Path, text: str) -> int:
    lines = page.read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if text in line)


@dataclass(frozen=True)
class Case:
    id: str
    changes: Mapping[str, Change] = field(default_factory=dict)
    expected: tuple[Expected, ...] = ()
    drop: tuple[str, ...] = ()
    extra: Mapping[str, tuple[str, str | None, bool, str]] = field(default_factory=dict)
    expect: FooterExpectation = EXPECT


def missing_link(target: str, pages: int = 1) -> str:
    return f"链接目标不存在：{target}（共 {pages} 个页面链接到它）"


POLICY = "policies/a/index.html"
A11Y = "accessibility/index.html"
HOME = "index.html"
NOT_FOUND = "404.html"
CATEGORY = "catalog/社会救助/index.html"

BROKEN_LINKS = [
    Case("good site"),
    Case(
        "relative link to a missing page",
        {HOME: Change(body='<a href="policies/x/">x</a>')},
        (Expected(HOME, 'href="policies/x/"', "broken-link", missing_link("policies/x/")),),
    ),
    Case(
        "missing page linked from three pages: once, at the first",
        {
            HOME: Change(body='<a href="policies/x/">x</a>'),
            "catalog/index.html": Change(body='<a href="../policies/x/">x</a>'),
            POLICY: Change(body='<a href="../x/">x</a><a href="../x/">again</a>'),
        },
        (Expected("catalog/index.html", 'href="../policies/x/"', "broken-link", missing_link("policies/x/", 3)),),
    ),
    Case(
        "an attachment missing",
        drop=("files/a.pdf",),
        expected=(Expected(POLICY, "files/a.pdf", "broken-link", missing_link("files/a.pdf")),),
    ),
    Case(
        "an image missing",
        drop=("static/logo.png",),
        expected=(Expected(POLICY, "logo.png", "broken-link", missing_link("static/logo.png")),),
    ),
    Case(
        "a stylesheet missing, from every page",
        drop=("static/site.css",),
        expected=(Expected(NOT_FOUND, "site.css", "broken-link", missing_link("static/site.css", 6)),),
    ),
    Case(
        "a folder without its index.html",
        drop=("accessibility/index.html",),
        expected=(Expected(NOT_FOUND, "accessibility/", "broken-link", missing_link("accessibility/", 5)),),
    ),
    Case(
        "a fragment to a missing id on the same page",
        {POLICY: Change(body='<a href="#nowhere">x</a>')},
        (Expected(POLICY, "#nowhere", "broken-link", "链接的锚点不存在：policies/a/#nowhere（共 1 个页面链接到它）"),),
    ),
    Case(
        "a fragment to a missing id on another page",
        {HOME: Change(body='<a href="policies/a/#s9">x</a>')},
        (Expected(HOME, "#s9", "broken-link", "链接的锚点不存在：policies/a/#s9（共 1 个页面链接到它）"),),
    ),
    Case(
        "root-relative link of 404.html to a missing page",
        {NOT_FOUND: Change(body='<a href="/xxgk/gone/">x</a>')},
        (Expected(NOT_FOUND, "/xxgk/gone/", "broken-link", missing_link("gone/")),),
    ),
    Case(
        "absolute link under base_url to a missing file",
        {HOME: Change(body=f'<a href="{BASE}data/gone.json">x</a>')},
        (Expected(HOME, "gone.json", "broken-link", missing_link("data/gone.json")),),
    ),
    Case(
        "a percent-encoded Chinese folder missing",
        {HOME: Change(body=f'<a href="catalog/{SHEHUI_JIUZHU}x/">x</a>')},
        (Expected(HOME, f"{SHEHUI_JIUZHU}x/", "broken-link", missing_link("catalog/社会救助x/")),),
    ),
    Case(
        "a relative link climbing out of the site's root",
        {POLICY: Change(body='<a href="../../../up.html">x</a>')},
        (Expected(POLICY, "up.html", "broken-link", "链接超出网站根目录：../../../up.html（共 1 个页面链接到它）"),),
    ),
    Case(
        "links that resolve or leave the site: no finding",
        {
            HOME: Change(
                body=f"""<a href="catalog/{SHEHUI_JIUZHU}/">社会救助</a>
<a href="catalog/社会救助/#s1">unencoded</a>
<a href="catalog">folder without its slash</a>
<a href="/xxgk">the root without its slash</a>
<a href="catalog/?page=2">query</a>
<a href="./">home</a><a href="#">top</a><a href="#top">top</a><a href="#main-content">main</a>
<a name="here"></a><a href="#here">named anchor</a>
<a href="{BASE}policies/a/#s1">absolute</a>
<a href="//{HOST}/xxgk/catalog/">protocol-relative</a>
<a href="/elsewhere/">the host's other site</a>
<a href="https://www.gov.cn/x/">external</a><a href="http://{HOST}/other/">outside base_url</a>
<a href="mailto:mzj@example.gov.cn">mail</a><a href="tel:0599-86612300">tel</a>
<a href="javascript:void(0)">js</a><img src="data:image/png;base64,AAAA" alt="">
<a href="files/a.pdf#page=2">a fragment of a file</a>"""
            )
        },
    ),
]

UNREACHABLE = [
    Case(
        "an orphan page",
        extra={"orphan/index.html": ("孤儿页", SITE_INFO, False, "")},
        expected=(Expected("orphan/index.html", 0, "unreachable", ORPHAN, "warning"),),
    ),
    Case(
        "pages linked only from an orphan, from 404.html or by <link>",
        {
            NOT_FOUND: Change(body='<a href="/xxgk/from-404/">x</a>'),
            HOME: Change(head='<link rel="alternate" href="by-link/">'),
        },
        (
            Expected("by-link/index.html", 0, "unreachable", ORPHAN, "warning"),
            Expected("from-404/index.html", 0, "unreachable", ORPHAN, "warning"),
            Expected("orphan/index.html", 0, "unreachable", ORPHAN, "warning"),
            Expected("orphan/child/index.html", 0, "unreachable", ORPHAN, "warning"),
        ),
        extra={
            "orphan/index.html": ("孤儿页", SITE_INFO, False, '<a href="child/">x</a>'),
            "orphan/child/index.html": ("孤儿页", SITE_INFO, False, ""),
            "from-404/index.html": ("x", SITE_INFO, False, ""),
            "by-link/index.html": ("x", SITE_INFO, False, ""),
        },
    ),
    Case(
        "a page reached through a chain of links, by absolute address: no finding",
        {POLICY: Change(body=f'<a href="{BASE}deep/">x</a>')},
        extra={"deep/index.html": ("深处", SITE_INFO, False, "")},
    ),
]


def wrong_type(value: str) -> str:
    return f"meta ColumnType「{value}」不是规定的栏目类型（应为其一：{TYPES}）"


META = [
    Case(
        "SiteName missing",
        {HOME: Change(meta={"SiteName": None})},
        (Expected(HOME, "<head>", "meta", '缺少 <meta name="SiteName">'),),
    ),
    Case(
        "SiteName empty",
        {HOME: Change(meta={"SiteName": " "})},
        (Expected(HOME, '"SiteName"', "meta", '<meta name="SiteName"> 的 content 为空'),),
    ),
    Case(
        "SiteDomain not base_url's host",
        {POLICY: Change(meta={"SiteDomain": "www.example.gov.cn"})},
        (
            Expected(
                POLICY, '"SiteDomain"', "meta", f"meta SiteDomain 应为网站的域名「{HOST}」，实为「www.example.gov.cn」"
            ),
        ),
    ),
    Case(
        "SiteIDCode not the site id, on 404.html too",
        {NOT_FOUND: Change(meta={"SiteIDCode": "3799000013"})},
        (
            Expected(
                NOT_FOUND, '"SiteIDCode"', "meta", f"meta SiteIDCode 应为网站标识码「{SITE_ID}」，实为「3799000013」"
            ),
        ),
    ),
    Case(
        "ColumnName missing",
        {A11Y: Change(meta={"ColumnName": None})},
        (Expected(A11Y, "<head>", "meta", '缺少 <meta name="ColumnName">'),),
    ),
    Case(
        "ColumnKeywords empty",
        {A11Y: Change(meta={"ColumnKeywords": ""})},
        (Expected(A11Y, '"ColumnKeywords"', "meta", '<meta name="ColumnKeywords"> 的 content 为空'),),
    ),
    Case(
        "ColumnType not a column type",
        {POLICY: Change(meta={"ColumnType": "信息公开"})},
        (Expected(POLICY, '"ColumnType"', "meta", wrong_type("信息公开")),),
    ),
    Case(
        "ColumnType wrong on three pages: once, at the first",
        {
            POLICY: Change(meta={"ColumnType": "信息公开"}),
            CATEGORY: Change(meta={"ColumnType": "信息公开"}),
            A11Y: Change(meta={"ColumnType": "其他"}),
        },
        (Expected(A11Y, '"ColumnType"', "meta", wrong_type("其他") + "（共 3 个页面）"),),
    ),
    Case(
        "PubDate without its time",
        {POLICY: Change(meta={"PubDate": "2024-03-01"})},
        (Expected(POLICY, '"PubDate"', "meta", "meta PubDate「2024-03-01」格式不对（应为 yyyy-MM-dd HH:mm）"),),
    ),
    Case(
        "PubDate missing and ContentSource empty on an article",
        {POLICY: Change(meta={"PubDate": None, "ContentSource": ""})},
        (
            Expected(POLICY, "<head>", "meta", '缺少 <meta name="PubDate">'),
            Expected(POLICY, '"ContentSource"', "meta", '<meta name="ContentSource"> 的 content 为空'),
        ),
    ),
    Case(
        "no Column meta on the home page and 404.html, no PubDate without ArticleTitle: no finding",
        {
            A11Y: Change(meta={"PubDate": "昨天"}),
            POLICY: Change(meta={"SiteDomain": HOST.upper()}),
        },
    ),
]


def footer_case(id: str, part: str, html_: str, expected: Expected | None, page: str = HOME) -> Case:
    """Page ``page`` with footer part ``part`` replaced by ``html_``."""
    return Case(id, {page: Change(footer={part: html_})}, (expected,) if expected else ())


def at_footer(message: str, page: str = HOME) -> Expected:
    return Expected(page, "<footer", "footer", message)


OWN_REPORT = html.escape(error_report_url(SITE_ID, BASE))
POLICY_REPORT = error_report_url(SITE_ID, BASE + "policies/a/")
MPS = police_url(POLICE)

FOOTER = [
    footer_case("host organisation missing", "host", "<p>承办：示范市民政局</p>", at_footer("页脚缺少「主办单位」")),
    footer_case(
        "site-id label without the id",
        "site_id",
        "<p>网站标识码：</p>",
        at_footer(f"页脚缺少「网站标识码：{SITE_ID}」"),
    ),
    footer_case(
        "the site id without its label",
        "site_id",
        f"<p>{SITE_ID}</p>",
        at_footer(f"页脚缺少「网站标识码：{SITE_ID}」"),
    ),
    footer_case("ICP link missing", "icp", "", at_footer(f"页脚缺少 ICP备案号链接（应链接到 {MIIT_URL}）")),
    footer_case(
        "ICP record as text, not a link",
        "icp",
        f"<p>{ICP_NO}</p>",
        at_footer(f"页脚缺少 ICP备案号链接（应链接到 {MIIT_URL}）"),
    ),
    footer_case(
        "ICP link text wrong",
        "icp",
        f'<a href="{MIIT_URL}">鲁ICP备12345678号</a>',
        Expected(
            HOME, "鲁ICP备12345678号<", "footer", f"页脚 ICP备案号链接的文字应为「{ICP_NO}」，实为「鲁ICP备12345678号」"
        ),
    ),
    Case(
        "ICP not configured: no link expected",
        {HOME: Change(footer={"icp": ""})},
        expect=FooterExpectation(SITE_ID, police_record=POLICE, conac_id=CONAC),
    ),
    Case(
        "ICP record configured in a wrong format",
        {page: Change(footer={"icp": f'<a href="{MIIT_URL}">鲁ICP12345678</a>'}) for page in PAGES},
        (Expected(NOT_FOUND, "鲁ICP12345678", "footer", "ICP备案号「鲁ICP12345678」格式不对（共 6 个页面）"),),
        expect=FooterExpectation(SITE_ID, icp="鲁ICP12345678", police_record=POLICE, conac_id=CONAC),
    ),
    footer_case(
        "ICP link with spaces around its text: no finding", "icp", f'<a href="{MIIT_URL}">\n  {ICP_NO}\n</a>', None
    ),
    footer_case("police link missing", "police", "", at_footer(f"页脚缺少公安备案号链接（应链接到 {MPS}）")),
    footer_case(
        "police link without its img",
        "police",
        f'<a href="{html.escape(MPS)}">{POLICE}</a>',
        Expected(HOME, "webSearch", "footer", "页脚公安备案号链接缺少备案图标 <img>"),
    ),
    footer_case(
        "police link text without the record",
        "police",
        f'<a href="{html.escape(MPS)}"><img src="static/police.png" alt="">公安备案</a>',
        Expected(HOME, "webSearch", "footer", f"页脚公安备案号链接的文字应包含「{POLICE}」"),
    ),
    footer_case(
        "police link to the wrong record",
        "police",
        f'<a href="{html.escape(police_url("鲁公网安备37010202000999号"))}"><img src="static/police.png" alt="">{POLICE}</a>',
        at_footer(f"页脚缺少公安备案号链接（应链接到 {MPS}）"),
    ),
    footer_case(
        "conac link missing", "conac", "", at_footer(f"页脚缺少党政机关网站标识链接（应链接到 {conac_url(CONAC)}）")
    ),
    footer_case(
        "conac link with an empty alt",
        "conac",
        f'<a href="{html.escape(conac_url(CONAC))}"><img src="static/conac.png" alt=" "></a>',
        Expected(HOME, "conac.cn", "footer", "页脚党政机关网站标识链接缺少有 alt 文字的标识图片 <img>"),
    ),
    footer_case(
        "conac link without an img",
        "conac",
        f'<a href="{html.escape(conac_url(CONAC))}">党政机关</a>',
        Expected(HOME, "conac.cn", "footer", "页脚党政机关网站标识链接缺少有 alt 文字的标识图片 <img>"),
    ),
    footer_case(
        "error-report link missing",
        "error",
        "",
        at_footer("页脚缺少「我为政府网站找错」链接（应链接到 https://zfwzgl.www.gov.cn/exposure/jiucuo.html）"),
    ),
    footer_case(
        "error-report url not the page's own address",
        "error",
        f'<a href="{OWN_REPORT}">我为政府网站找错</a>',
        Expected(POLICY, "jiucuo", "footer", f"页脚「我为政府网站找错」链接的地址不是本页的（应为 {POLICY_REPORT}）"),
        page=POLICY,
    ),
    footer_case(
        "error-report link text wrong",
        "error",
        f'<a href="{OWN_REPORT}">纠错</a>',
        Expected(HOME, "jiucuo", "footer", "页脚「我为政府网站找错」链接的文字应为「我为政府网站找错」，实为「纠错」"),
    ),
    footer_case(
        "error-report link of 404.html with another site code",
        "error",
        f'<a href="{html.escape(error_report_url("3799000099", BASE))}">我为政府网站找错</a>',
        Expected(
            NOT_FOUND,
            "jiucuo",
            "footer",
            f"页脚「我为政府网站找错」链接的地址应以 {error_report_url(SITE_ID, '')} 开头",
        ),
        page=NOT_FOUND,
    ),
    footer_case(
        "error-report link of 404.html with any address: no finding",
        "error",
        f'<a href="{html.escape(error_report_url(SITE_ID, "https://x.example/"))}">我为政府网站找错</a>',
        None,
        page=NOT_FOUND,
    ),
    footer_case("accessibility-statement link missing", "accessibility", "", at_footer("页脚缺少「无障碍声明」链接")),
    footer_case(
        "accessibility-statement link to another site",
        "accessibility",
        '<a href="https://www.example.org/a11y">无障碍声明</a>',
        Expected(
            HOME, "a11y", "footer", "页脚「无障碍声明」链接应指向本站的页面，实为「https://www.example.org/a11y」"
        ),
    ),
    Case(
        "a script from another host",
        {POLICY: Change(head='<script src="https://cdn.example.com/jquery.js"></script>')},
        (
            Expected(
                POLICY,
                "cdn.example.com",
                "footer",
                "页面加载其他网站的脚本 https://cdn.example.com/jquery.js：内容安全策略（CSP script-src 'self'）禁止，浏览器不会执行",
            ),
        ),
    ),
    Case(
        "a protocol-relative script from another host",
        {HOME: Change(body='<script src="//cdn.example.com/x.js"></script>')},
        (
            Expected(
                HOME,
                "cdn.example.com",
                "footer",
                "页面加载其他网站的脚本 //cdn.example.com/x.js：内容安全策略（CSP script-src 'self'）禁止，浏览器不会执行",
            ),
        ),
    ),
    Case(
        "a script of the site by its absolute address, an inline script: no finding",
        {HOME: Change(head=f'<script src="{BASE}static/site.js"></script><script>var a = 1;</script>')},
    ),
    Case(
        "host organisation missing on three pages: once, at the first",
        {page: Change(footer={"host": ""}) for page in (HOME, POLICY, NOT_FOUND)},
        (at_footer("页脚缺少「主办单位」（共 3 个页面）", NOT_FOUND),),
    ),
    Case(
        "an empty footer: each element named",
        {A11Y: Change(footer={part: "" for part in good_footer(A11Y)})},
        (
            Expected(A11Y, "<footer", "footer", "页脚缺少「主办单位」"),
            Expected(A11Y, "<footer", "footer", "页脚缺少「无障碍声明」链接"),
            Expected(A11Y, "<footer", "footer", f"页脚缺少「网站标识码：{SITE_ID}」"),
            Expected(A11Y, "<footer", "footer", f"页脚缺少 ICP备案号链接（应链接到 {MIIT_URL}）"),
            Expected(A11Y, "<footer", "footer", f"页脚缺少党政机关网站标识链接（应链接到 {conac_url(CONAC)}）"),
            Expected(A11Y, "<footer", "footer", f"页脚缺少公安备案号链接（应链接到 {MPS}）"),
            Expected(
                A11Y,
                "<footer",
                "footer",
                "页脚缺少「我为政府网站找错」链接（应链接到 https://zfwzgl.www.gov.cn/exposure/jiucuo.html）",
            ),
        ),
    ),
]


@pytest.mark.parametrize("case", BROKEN_LINKS + UNREACHABLE + META + FOOTER, ids=lambda case: case.id)
def test_audit_output(case: Case, tmp_path: Path) -> None:
    write_site(tmp_path, case.changes, case.drop, case.extra)
    assert audit(tmp_path, case.expect) == sorted(expected.finding(tmp_path) for expected in case.expected)


def test_a_page_without_a_footer(tmp_path: Path) -> None:
    write_site(tmp_path)
    page = tmp_path / A11Y
    text = page.read_text(encoding="utf-8")
    page.write_text(text[: text.index("<footer")] + "</body></html>\n", encoding="utf-8")
    assert audit(tmp_path) == [
        Finding(A11Y, line_of(page, "<body>"), "footer", "页面没有页脚 <footer>（主办单位、网站标识码等都没有）")
    ]


def test_findings_name_paths_as_shown_and_come_sorted(tmp_path: Path) -> None:
    write_site(
        tmp_path,
        {HOME: Change(meta={"SiteName": None}, body='<a href="x/">x</a>'), A11Y: Change(footer={"host": ""})},
        extra={"orphan/index.html": ("孤儿页", SITE_INFO, False, "")},
    )
    findings = audit_output(tmp_path, BASE, EXPECT, lambda path: "site/" + path.relative_to(tmp_path).as_posix())
    assert [(f.path, f.rule) for f in findings] == [
        ("site/accessibility/index.html", "footer"),
        ("site/index.html", "meta"),  # at <head>, before the link in the body
        ("site/index.html", "broken-link"),
        ("site/orphan/index.html", "unreachable"),
    ]
    assert findings == sorted(findings)


def test_a_site_at_the_host_root(tmp_path: Path) -> None:
    """At ``https://host/`` a root-relative link is from the site's root; a relative link that
    climbs above the root is still one out of the site (on a sub-path it would leave it)."""
    body = '<a href="/catalog/">x</a>\n<a href="/gone/">x</a>\n<a href="../up.html">x</a>'
    write_site(tmp_path, {HOME: Change(body=body)}, drop=(NOT_FOUND,))
    root = "https://mzj.shifan.example.gov.cn/"
    findings = audit_output(tmp_path, root, EXPECT, lambda path: path.relative_to(tmp_path).as_posix())
    page = tmp_path / HOME
    assert [f for f in findings if f.rule == "broken-link"] == [
        Finding(HOME, line_of(page, "/gone/"), "broken-link", missing_link("gone/")),
        Finding(HOME, line_of(page, "up.html"), "broken-link", "链接超出网站根目录：../up.html（共 1 个页面链接到它）"),
    ]
