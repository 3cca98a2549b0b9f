"""Audit a built site folder: the rules an inspector applies to the published pages.

The templates are meant to produce every footer element and meta tag, but only the built pages
show whether they did: a template edit, a site.yaml value or a page copied in by hand can each
lose one, and the inspection (国办秘函〔2019〕19号) looks at the pages, never at the templates.
So this reads what was written, as a crawler would: links and resources that lead nowhere,
pages no link reaches, the 47号文 meta tags, and the footer's identifiers.

Pages are parsed with the standard library's `HTMLParser` (no dependency for an audit that runs
on the publishing machine); the search index's own pages (``pagefind*/``) are not the site's.
A problem repeated over thousands of pages (one template) is reported once, at the first page,
with how many pages have it.
"""

from __future__ import annotations

import os
import posixpath
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Final
from urllib.parse import unquote, urlsplit

from .. import urls
from ..footer_formats import ERROR_REPORT_URL, ICP, MIIT_URL, conac_url, error_report_url, police_url
from ..plan.columns import COLUMN_TYPES
from .findings import Finding

Shown = Callable[[Path], str]

# the attribute of each tag that links to or loads something the audit follows
_REF_ATTRIBUTES: Final = {"a": "href", "link": "href", "img": "src", "script": "src"}
_WEB_SCHEMES: Final = ("http", "https")
_FREE_FRAGMENTS: Final = ("", "top")  # "#" and "#top" scroll to the top of any page (HTML standard)

_SITE_META: Final = ("SiteName", "SiteDomain", "SiteIDCode")
_COLUMN_META: Final = ("ColumnName", "ColumnDescription", "ColumnKeywords", "ColumnType")
_ARTICLE_META: Final = ("PubDate", "ContentSource")  # required once a page has ArticleTitle
_PUB_DATE: Final = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}")

_HOST_TEXT: Final = "主办单位"
_SITE_ID_TEXT: Final = "网站标识码"
_ERROR_REPORT_TEXT: Final = "我为政府网站找错"
_ACCESSIBILITY_TEXT: Final = "无障碍声明"


@dataclass(frozen=True, slots=True)
class FooterExpectation:
    """What every page's footer must show, from site.yaml."""

    site_id: str  # 网站标识码, always expected
    icp: str = ""  # ICP备案号; "" = not configured → do not expect it on pages
    police_record: str = ""  # 公安备案号, e.g. 鲁公网安备37010202000123号
    conac_id: str = ""  # 党政机关网站标识 id (32 hex)


# --- one page, as parsed -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Ref:
    """A link or a loaded resource: ``<a href>``, ``<link href>``, ``<img src>``, ``<script src>``."""

    tag: str
    url: str
    line: int


@dataclass(slots=True)
class _FooterLink:
    href: str | None
    line: int
    text: str = ""
    alts: list[str] = field(default_factory=list)  # the alt of each <img> inside it


@dataclass(slots=True)
class _Footer:
    line: int
    text: list[str] = field(default_factory=list)
    links: list[_FooterLink] = field(default_factory=list)


@dataclass(slots=True)
class _Page:
    head_line: int = 0
    body_line: int = 0
    metas: dict[str, tuple[str, int]] = field(default_factory=dict)  # name → (content, line), first wins
    refs: list[_Ref] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)
    footer: _Footer | None = None


class _PageParser(HTMLParser):
    """Collects what the audit needs from one page in a single pass."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = _Page()
        self._footer_depth = 0
        self._link: _FooterLink | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes: dict[str, str] = {}
        for name, value in attrs:  # the first of a repeated attribute counts, as in a browser
            attributes.setdefault(name, value or "")
        line = self.getpos()[0]
        self._record(tag, attributes, line)
        if self._footer_depth:
            self._in_footer(tag, attributes, line)
        if tag == "footer":
            self._open_footer(line)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a":
            self._link = None
        elif tag == "footer" and self._footer_depth:
            self._footer_depth -= 1
            self._link = None

    def handle_data(self, data: str) -> None:
        footer = self.page.footer
        if self._footer_depth and footer is not None:
            footer.text.append(data)
            if self._link is not None:
                self._link.text += data

    def _record(self, tag: str, attributes: dict[str, str], line: int) -> None:
        page = self.page
        if "id" in attributes:
            page.ids.add(attributes["id"])
        if tag == "a" and "name" in attributes:
            page.ids.add(attributes["name"])
        if tag == "head" and not page.head_line:
            page.head_line = line
        elif tag == "body" and not page.body_line:
            page.body_line = line
        elif tag == "meta" and "name" in attributes:
            page.metas.setdefault(attributes["name"], (attributes.get("content", ""), line))
        attribute = _REF_ATTRIBUTES.get(tag)
        if attribute is not None and attribute in attributes:
            page.refs.append(_Ref(tag, attributes[attribute].strip(), line))

    def _open_footer(self, line: int) -> None:
        """Every <footer> of the page counts as its footer; findings point at the last one opened
        outside another, the site's footer coming after any <footer> of an article."""
        if self._footer_depth == 0:
            if self.page.footer is None:
                self.page.footer = _Footer(line)
            else:
                self.page.footer.line = line
        self._footer_depth += 1

    def _in_footer(self, tag: str, attributes: dict[str, str], line: int) -> None:
        footer = self.page.footer
        assert footer is not None
        if tag == "a":
            self._link = _FooterLink(attributes.get("href"), line)
            footer.links.append(self._link)
        elif tag == "img" and self._link is not None:
            self._link.alts.append(attributes.get("alt", ""))


def _parse(file: Path) -> _Page:
    parser = _PageParser()
    parser.feed(file.read_text(encoding="utf-8", errors="replace"))
    parser.close()
    return parser.page


# --- the site: its files, its pages, where their links lead --------------------------------------


@dataclass(frozen=True, slots=True)
class _Target:
    """Where an internal link leads: the site path as linked (decoded; a folder ends in ``/``),
    the output file serving it (None: nothing does) and the fragment."""

    path: str
    file: str | None
    fragment: str


@dataclass(frozen=True, slots=True)
class _Site:
    out_dir: Path
    base_url: str
    host: str  # the host of base_url, lower case, without a port
    netloc: str  # the host of base_url as links name it (with a port, if any), lower case
    root: str  # the path of base_url on its host, decoded, ending in /
    files: frozenset[str]
    folders: frozenset[str]
    pages: dict[str, _Page]  # output file → page, in path order

    def file(self, rel: str) -> Path:
        return self.out_dir / rel


def _search_index(rel: str) -> bool:
    """Whether an output file belongs to the search index (``pagefind/``, ``pagefind-2019-2023/``)."""
    top, slash, _ = rel.partition("/")
    return bool(slash) and (top == urls.SEARCH_INDEX or top.startswith(urls.SEARCH_INDEX + "-"))


def _walk(out_dir: Path) -> tuple[frozenset[str], frozenset[str]]:
    """Every file and folder under ``out_dir``, as posix paths relative to it (one walk, so a
    link check is a set lookup rather than a system call)."""
    files: set[str] = set()
    folders: set[str] = set()
    for folder, subfolders, names in os.walk(out_dir):
        rel = Path(folder).relative_to(out_dir).as_posix()
        prefix = "" if rel == "." else rel + "/"
        folders.update(prefix + name for name in subfolders)
        files.update(prefix + name for name in names)
    return frozenset(files), frozenset(folders)


def _load(out_dir: Path, base_url: str) -> _Site:
    files, folders = _walk(out_dir)
    pages = {rel: _parse(out_dir / rel) for rel in sorted(files) if rel.endswith(".html") and not _search_index(rel)}
    parts = urlsplit(base_url)
    root = unquote(parts.path) or "/"
    return _Site(
        out_dir=out_dir,
        base_url=base_url,
        host=(parts.hostname or "").lower(),
        netloc=parts.netloc.lower(),
        root=root if root.endswith("/") else root + "/",
        files=files,
        folders=folders,
        pages=pages,
    )


def _normal(path: str, clamp: bool) -> str | None:
    """``path`` with ``.`` and ``..`` resolved (RFC 3986), a site path: a folder ends in ``/``
    (a last segment of ``.`` or ``..`` is a folder too), ``""`` is the root folder.

    Above the root a browser stops at the host's root (``clamp``); a relative link that climbs
    out of the site's own root gives None, since on a sub-path it would leave the site.
    """
    kept: list[str] = []
    segments = path.split("/")
    for segment in segments:
        if segment == "..":
            if not kept and not clamp:
                return None
            if kept:
                kept.pop()
        elif segment not in ("", "."):
            kept.append(segment)
    folder = segments[-1] in ("", ".", "..")
    joined = "/".join(kept)
    return joined + "/" if folder and joined else joined


def _site_path(url: str, page: str, site: _Site) -> str | None:
    """The site path an internal link of output file ``page`` names, decoded; ``..`` for a
    relative link out of the site; None when the link leaves the site (another host, a scheme
    other than the web's, an absolute path outside base_url's)."""
    try:
        parts = urlsplit(url)
    except ValueError:  # a malformed host ("http://[x"): nothing this audit can follow
        return None
    if parts.scheme or parts.netloc:
        if parts.scheme not in ("", *_WEB_SCHEMES) or parts.netloc.lower() != site.netloc:
            return None
        return _under_root(unquote(parts.path) or "/", site)
    path = unquote(parts.path)
    if path.startswith("/"):
        return _under_root(path, site)
    if path == "":
        return page  # "#x", "?q", "": the page itself
    folder = posixpath.dirname(page)
    normal = _normal(f"{folder}/{path}" if folder else path, clamp=False)
    return ".." if normal is None else normal


def _under_root(path: str, site: _Site) -> str | None:
    """A path from the host's root (``/xxgk/catalog/``) as a site path, None outside the site."""
    normal = "/" + (_normal(path, clamp=True) or "")
    if normal.startswith(site.root):
        return normal[len(site.root) :]
    return "" if normal + "/" == site.root else None


def _served(path: str, site: _Site) -> str | None:
    """The output file serving a site path: a folder's index.html; a folder linked without its
    slash is served too (the web server redirects to it)."""
    if path == "..":
        return None
    if path == "" or path.endswith("/"):
        index = urls.output_file(path)
        return index if index in site.files else None
    if path in site.files:
        return path
    index = f"{path}/{urls.INDEX}"
    return index if path in site.folders and index in site.files else None


def _target(url: str, page: str, site: _Site) -> _Target | None:
    """Where a link of ``page`` leads inside the site, or None for a link that leaves it."""
    path = _site_path(url, page, site)
    if path is None:
        return None
    try:
        fragment = unquote(urlsplit(url).fragment)
    except ValueError:
        fragment = ""
    return _Target(path, _served(path, site), fragment)


def _targets(site: _Site) -> dict[str, list[tuple[_Ref, _Target]]]:
    """The internal links of every page with where they lead (resolved once for all checks)."""
    resolved: dict[str, list[tuple[_Ref, _Target]]] = {}
    for rel, page in site.pages.items():
        pairs = ((ref, _target(ref.url, rel, site)) for ref in page.refs)
        resolved[rel] = [(ref, target) for ref, target in pairs if target is not None]
    return resolved


# --- broken-link and unreachable -----------------------------------------------------------------


def _link_problem(ref: _Ref, target: _Target, site: _Site) -> str | None:
    """What is wrong with an internal link, the same words for every page linking there (a link
    out of the site's root is named as written: where it leads depends on the deployment)."""
    if target.file is None:
        if target.path == "..":
            return f"链接超出网站根目录：{ref.url}"
        return f"链接目标不存在：{target.path}"
    page = site.pages.get(target.file)
    if page is None or target.fragment in _FREE_FRAGMENTS or target.fragment in page.ids:
        return None
    return f"链接的锚点不存在：{urls.site_path(target.file)}#{target.fragment}"


def _broken_links(site: _Site, resolved: dict[str, list[tuple[_Ref, _Target]]], shown: Shown) -> list[Finding]:
    """Each missing target once, at the first page and line linking to it, with how many pages do."""
    first: dict[str, tuple[str, int]] = {}
    linking: dict[str, set[str]] = {}
    for rel, links in resolved.items():
        for ref, target in links:
            problem = _link_problem(ref, target, site)
            if problem is not None:
                first.setdefault(problem, (rel, ref.line))
                linking.setdefault(problem, set()).add(rel)
    return [
        Finding(shown(site.file(rel)), line, "broken-link", f"{problem}（共 {len(linking[problem])} 个页面链接到它）")
        for problem, (rel, line) in first.items()
    ]


def _unreachable(site: _Site, resolved: dict[str, list[tuple[_Ref, _Target]]], shown: Shown) -> list[Finding]:
    """Pages no chain of ``<a href>`` from the column's home reaches (404.html is reached by
    mistyped addresses, not links)."""
    reached = {urls.INDEX} & site.pages.keys()
    todo = list(reached)
    while todo:
        for ref, target in resolved[todo.pop()]:
            if ref.tag == "a" and target.file in site.pages and target.file not in reached:
                reached.add(target.file)
                todo.append(target.file)
    return [
        Finding(shown(site.file(rel)), 0, "unreachable", "页面从栏目首页沿链接无法到达（孤立页面）", "warning")
        for rel in site.pages
        if rel not in reached and rel != urls.NOT_FOUND
    ]


# --- aggregated per-page checks: meta and footer -------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Issue:
    """One page's problem: ``kind`` is the same for the same problem on any page (what findings
    are aggregated by), ``message`` says it for this page."""

    kind: str
    line: int
    message: str


def _aggregate(rule: str, issues: Iterable[tuple[str, Iterable[_Issue]]], site: _Site, shown: Shown) -> list[Finding]:
    """One finding per kind of issue, at the first page with it, with how many pages have it."""
    first: dict[str, tuple[str, _Issue]] = {}
    pages: dict[str, set[str]] = {}
    for rel, page_issues in issues:
        for issue in page_issues:
            first.setdefault(issue.kind, (rel, issue))
            pages.setdefault(issue.kind, set()).add(rel)
    findings = []
    for kind, (rel, issue) in first.items():
        count = len(pages[kind])
        suffix = f"（共 {count} 个页面）" if count > 1 else ""
        findings.append(Finding(shown(site.file(rel)), issue.line, rule, issue.message + suffix))
    return findings


def _meta_issues(rel: str, page: _Page, site: _Site, footer: FooterExpectation) -> Iterator[_Issue]:
    required = list(_SITE_META)
    if rel not in (urls.INDEX, urls.NOT_FOUND):
        required += _COLUMN_META
    if "ArticleTitle" in page.metas:
        required += _ARTICLE_META
    for name in required:
        content, line = page.metas.get(name, ("", 0))
        if not line:
            yield _Issue(f"{name}:missing", page.head_line, f'缺少 <meta name="{name}">')
        elif not content.strip():
            yield _Issue(f"{name}:empty", line, f'<meta name="{name}"> 的 content 为空')
        else:
            wrong = _wrong_meta(name, content, site, footer)
            if wrong is not None:
                yield _Issue(f"{name}:wrong", line, wrong)


def _wrong_meta(name: str, content: str, site: _Site, footer: FooterExpectation) -> str | None:
    """What is wrong with a meta tag's (non-empty) value, if anything."""
    if name == "SiteDomain" and content.lower() != site.host:
        return f"meta SiteDomain 应为网站的域名「{site.host}」，实为「{content}」"
    if name == "SiteIDCode" and content != footer.site_id:
        return f"meta SiteIDCode 应为网站标识码「{footer.site_id}」，实为「{content}」"
    if name == "ColumnType" and content not in COLUMN_TYPES:
        return f"meta ColumnType「{content}」不是规定的栏目类型（应为其一：{'、'.join(COLUMN_TYPES)}）"
    if name == "PubDate" and not _PUB_DATE.fullmatch(content):
        return f"meta PubDate「{content}」格式不对（应为 yyyy-MM-dd HH:mm）"
    return None


def _script_issues(page: _Page, site: _Site) -> Iterator[_Issue]:
    """Scripts from another host: the pages' Content-Security-Policy (script-src 'self') blocks them."""
    for ref in page.refs:
        if ref.tag != "script":
            continue
        try:
            host = urlsplit(ref.url).hostname
        except ValueError:
            continue
        if host is not None and host.lower() != site.host:
            message = f"页面加载其他网站的脚本 {ref.url}：内容安全策略（CSP script-src 'self'）禁止，浏览器不会执行"
            yield _Issue(f"script:{ref.url}", ref.line, message)


_Check = tuple[str, Callable[[_FooterLink], bool], Callable[[_FooterLink], str]]  # kind, passes, message


def _link_issues(links: Sequence[_FooterLink], missing: _Issue, checks: Sequence[_Check]) -> Iterator[_Issue]:
    """A footer element that is a link: ``missing`` when no link is it; otherwise fine when one
    link passes every check, else the checks the first one fails."""
    if not links:
        yield missing
    elif not any(all(passes(link) for _, passes, _ in checks) for link in links):
        link = links[0]
        yield from (_Issue(kind, link.line, message(link)) for kind, passes, message in checks if not passes(link))


def _text(link: _FooterLink) -> str:
    return link.text.strip()


def _icp_issues(footer: _Footer, icp: str) -> Iterator[_Issue]:
    links = [link for link in footer.links if link.href == MIIT_URL]
    missing = _Issue("icp:missing", footer.line, f"页脚缺少 ICP备案号链接（应链接到 {MIIT_URL}）")
    checks: list[_Check] = [
        (
            "icp:text",
            lambda link: _text(link) == icp,
            lambda link: f"页脚 ICP备案号链接的文字应为「{icp}」，实为「{_text(link)}」",
        ),
        (
            "icp:format",
            lambda link: bool(ICP.fullmatch(_text(link))),
            lambda link: f"ICP备案号「{_text(link)}」格式不对",
        ),
    ]
    return _link_issues(links, missing, checks)


def _police_issues(footer: _Footer, record: str) -> Iterator[_Issue]:
    href = police_url(record)
    links = [link for link in footer.links if link.href == href]
    missing = _Issue("police:missing", footer.line, f"页脚缺少公安备案号链接（应链接到 {href}）")
    checks: list[_Check] = [
        ("police:text", lambda link: record in link.text, lambda link: f"页脚公安备案号链接的文字应包含「{record}」"),
        ("police:img", lambda link: bool(link.alts), lambda link: "页脚公安备案号链接缺少备案图标 <img>"),
    ]
    return _link_issues(links, missing, checks)


def _conac_issues(footer: _Footer, conac_id: str) -> Iterator[_Issue]:
    href = conac_url(conac_id)
    links = [link for link in footer.links if link.href == href]
    missing = _Issue("conac:missing", footer.line, f"页脚缺少党政机关网站标识链接（应链接到 {href}）")
    checks: list[_Check] = [
        (
            "conac:img",
            lambda link: any(alt.strip() for alt in link.alts),
            lambda link: "页脚党政机关网站标识链接缺少有 alt 文字的标识图片 <img>",
        ),
    ]
    return _link_issues(links, missing, checks)


def _error_report_href(site_id: str, address: str | None) -> tuple[Callable[[str], bool], str]:
    """Whether an error-report link's address is right, and what it should be: with this page's
    address, or for 404.html (served at any address) with any."""
    if address is None:
        prefix = error_report_url(site_id, "")
        return (lambda href: href.startswith(prefix)), f"页脚「{_ERROR_REPORT_TEXT}」链接的地址应以 {prefix} 开头"
    expected = error_report_url(site_id, address)
    return (lambda href: href == expected), f"页脚「{_ERROR_REPORT_TEXT}」链接的地址不是本页的（应为 {expected}）"


def _error_report_issues(footer: _Footer, site_id: str, address: str | None) -> Iterator[_Issue]:
    links = [link for link in footer.links if link.href is not None and link.href.startswith(ERROR_REPORT_URL)]
    missing = _Issue(
        "error-report:missing", footer.line, f"页脚缺少「{_ERROR_REPORT_TEXT}」链接（应链接到 {ERROR_REPORT_URL}）"
    )
    right, wrong = _error_report_href(site_id, address)
    checks: list[_Check] = [
        ("error-report:url", lambda link: right(link.href or ""), lambda link: wrong),
        (
            "error-report:text",
            lambda link: _text(link) == _ERROR_REPORT_TEXT,
            lambda link: f"页脚「{_ERROR_REPORT_TEXT}」链接的文字应为「{_ERROR_REPORT_TEXT}」，实为「{_text(link)}」",
        ),
    ]
    return _link_issues(links, missing, checks)


def _accessibility_issues(footer: _Footer, rel: str, site: _Site) -> Iterator[_Issue]:
    links = [link for link in footer.links if _text(link) == _ACCESSIBILITY_TEXT]
    missing = _Issue("accessibility:missing", footer.line, f"页脚缺少「{_ACCESSIBILITY_TEXT}」链接")
    checks: list[_Check] = [
        (
            "accessibility:external",
            lambda link: link.href is not None and _site_path(link.href, rel, site) is not None,
            lambda link: f"页脚「{_ACCESSIBILITY_TEXT}」链接应指向本站的页面，实为「{link.href or ''}」",
        ),
    ]
    return _link_issues(links, missing, checks)


def _footer_issues(rel: str, page: _Page, site: _Site, expect: FooterExpectation) -> Iterator[_Issue]:
    yield from _script_issues(page, site)
    footer = page.footer
    if footer is None:
        yield _Issue("footer:none", page.body_line, "页面没有页脚 <footer>（主办单位、网站标识码等都没有）")
        return
    text = "".join(footer.text)
    if _HOST_TEXT not in text:
        yield _Issue("host:missing", footer.line, f"页脚缺少「{_HOST_TEXT}」")
    if _SITE_ID_TEXT not in text or expect.site_id not in text:
        yield _Issue("site-id:missing", footer.line, f"页脚缺少「{_SITE_ID_TEXT}：{expect.site_id}」")
    if expect.icp:
        yield from _icp_issues(footer, expect.icp)
    if expect.police_record:
        yield from _police_issues(footer, expect.police_record)
    if expect.conac_id:
        yield from _conac_issues(footer, expect.conac_id)
    address = None if rel == urls.NOT_FOUND else urls.absolute(site.base_url, urls.site_path(rel))
    yield from _error_report_issues(footer, expect.site_id, address)
    yield from _accessibility_issues(footer, rel, site)


# --- the audit -----------------------------------------------------------------------------------


def audit_output(out_dir: Path, base_url: str, footer: FooterExpectation, shown: Shown) -> list[Finding]:
    """Every finding about the built site in ``out_dir``, served at ``base_url`` (absolute,
    ending in ``/``), sorted; ``shown`` gives the path a finding names for a file."""
    site = _load(out_dir, base_url)
    resolved = _targets(site)
    pages = site.pages.items()
    findings = [
        *_broken_links(site, resolved, shown),
        *_unreachable(site, resolved, shown),
        *_aggregate("meta", ((rel, _meta_issues(rel, page, site, footer)) for rel, page in pages), site, shown),
        *_aggregate("footer", ((rel, _footer_issues(rel, page, site, footer)) for rel, page in pages), site, shown),
    ]
    return sorted(findings)


__all__ = ["FooterExpectation", "audit_output"]
