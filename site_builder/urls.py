"""The site's URL scheme: where each kind of page lives, and how one page links to another.

Every other module asks here; none spells a path such as ``catalog/…/`` itself.

A *site path* is relative to the site root, without a leading slash: ``""`` is the home page,
``catalog/`` a folder page (written to ``catalog/index.html``), ``static/site.css`` a file. A
site path may end in a ``#fragment`` where it is a link target. The *output file* of a page is
where the writer puts it: `output_file` and `site_path` turn one into the other.

Links between pages are relative (`relative`), so the built site works at any sub-path and from
any static host without a rebuild; only what leaves the site (feed, sitemap, open data, the
printed address of a page) is absolute (`absolute`). Non-ASCII characters (Chinese categories,
districts) are percent-encoded as UTF-8 in both.

This module imports nothing of the builder's: the loaders, the plan and the templates all use it.
"""

from __future__ import annotations

import functools
import posixpath
from urllib.parse import quote, urlsplit

_SAFE = "/-._~"  # what stays as it is in a path; everything else is percent-encoded (UTF-8)
INDEX = "index.html"  # the file a folder page is written to

# Folders and files of the site root that the builder writes itself (a free page may not take these names)
POLICIES = "policies"
CATALOG = "catalog"
STANDARDS = "standards"
ROSTERS = "rosters"
SEARCH = "search"
ANNUAL_REPORTS = "annual-reports"
ORGANIZATION = "organization"
GUIDES = "guides"  # 办事指南
STATIC = "static"  # copied from templates/static/
FILES = "files"  # policies' attachments
DATA = "data"  # open data
SEARCH_INDEX = "pagefind"  # the newest part of the search index; older parts are ``pagefind-<years>``
FEED = "feed.xml"
SITEMAP = "sitemap.xml"
ROBOTS = "robots.txt"
NOT_FOUND = "404.html"  # served for any missing address, so its links start at the site root (`rooted`)
STANDARDS_JSON = f"{DATA}/standards.json"
STANDARDS_CSV = f"{DATA}/standards.csv"
ROSTERS_SUMMARY = f"{DATA}/rosters-summary.json"
PAGEFIND_SCRIPT = f"{SEARCH_INDEX}/pagefind.js"  # the search page loads the index through this
PAGE_PREFIX = "page-"  # page 2 of a list is ``…/page-2/``: no category or district may be named so

RESERVED = frozenset(
    {
        POLICIES,
        CATALOG,
        STANDARDS,
        ROSTERS,
        SEARCH,
        ANNUAL_REPORTS,
        ORGANIZATION,
        GUIDES,
        STATIC,
        FILES,
        DATA,
        SEARCH_INDEX,
        FEED,
        SITEMAP,
        ROBOTS,
        NOT_FOUND,
    }
)


def reserved(name: str) -> bool:
    """Whether a top-level ``name`` (a free page's slug) is one the site uses itself."""
    return name in RESERVED or name.startswith(SEARCH_INDEX + "-")


# --- the site path of each kind of page ----------------------------------------------------------


def home() -> str:
    return ""


def catalog(facet: str | int | None = None) -> str:
    """The catalog (政府信息公开目录), or its part for one 组配分类 (``catalog/社会救助/``) or year
    (``catalog/2024/``)."""
    return f"{CATALOG}/" if facet is None else f"{CATALOG}/{facet}/"


def policy(slug: str) -> str:
    return f"{POLICIES}/{slug}/"


def page(slug: str) -> str:
    """A free page (政府信息公开指南, 无障碍声明, a 年报 …): a folder of the site root."""
    return f"{slug}/"


def annual_reports() -> str:
    return f"{ANNUAL_REPORTS}/"


def annual_report(year: int) -> str:
    """A 政府信息公开工作年度报告 in the national format (content/annual-reports/<year>.yaml)."""
    return f"{ANNUAL_REPORTS}/{year}/"


def annual_report_data(year: int, suffix: str) -> str:
    """A report's figures as open data: ``data/annual-report-2025.json`` (or ``.csv``)."""
    return f"{DATA}/annual-report-{year}.{suffix}"


def organization() -> str:
    """机构信息: 机构职能, 内设机构, 领导信息, 监督检查 (content/organization.yaml)."""
    return f"{ORGANIZATION}/"


def guides() -> str:
    """The list of service guides (办事指南)."""
    return f"{GUIDES}/"


def guide(slug: str) -> str:
    """One service guide (content/guides/<slug>.yaml)."""
    return f"{GUIDES}/{slug}/"


def standards() -> str:
    return f"{STANDARDS}/"


def standard(standard_id: str) -> str:
    return f"{STANDARDS}/{standard_id}/"


def rosters() -> str:
    return f"{ROSTERS}/"


def roster(slug: str) -> str:
    return f"{ROSTERS}/{slug}/"


def search() -> str:
    return f"{SEARCH}/"


def numbered(first: str, number: int) -> str:
    """Page ``number`` of a list whose first page is the folder ``first``: ``catalog/page-2/``."""
    return first if number == 1 else f"{first}{PAGE_PREFIX}{number}/"


def attachment(name: str) -> str:
    """An attachment of a policy, by its file name under ``content/files/``."""
    return f"{FILES}/{name}"


def static(name: str) -> str:
    """A file of ``templates/static/`` (``site.css``, ``icons/x.svg``)."""
    return f"{STATIC}/{name}"


# --- site paths and output files -----------------------------------------------------------------


def output_file(path: str) -> str:
    """The file a site path is written to: a folder's ``index.html`` (``""`` → ``index.html``)."""
    return path + INDEX if path == "" or path.endswith("/") else path


def site_path(output: str) -> str:
    """The site path of an output file: ``policies/a/index.html`` → ``policies/a/``, ``index.html``
    → ``""``; any other file is its own site path."""
    if output == INDEX or output.endswith("/" + INDEX):
        return output[: -len(INDEX)]
    return output


# --- addresses -----------------------------------------------------------------------------------


def absolute(base_url: str, path: str) -> str:
    """The full address of a site path: ``base_url`` (as site.yaml gives it, ending in ``/``) +
    the path, non-ASCII percent-encoded (``https://x.gov.cn/mzj/catalog/%E6%95%91…/``). For pages
    and files, not links: a ``#`` is encoded too."""
    return base_url + quote(path, safe=_SAFE)


def root(base_url: str) -> str:
    """The path of the site root on its host: ``https://x.gov.cn/mzj/`` → ``/mzj/``, or ``/``;
    non-ASCII percent-encoded, what base_url gives encoded already kept as it is."""
    return quote(urlsplit(base_url).path or "/", safe=_SAFE + "%")


def rooted(root_path: str, target: str) -> str:
    """The link to ``target`` from a page served at any address (404.html), or a path that
    robots.txt names: from the host's root, ``root_path`` being `root` of ``base_url``."""
    return root_path + quote(target, safe=_SAFE + "#")


def pagefind_url(path: str) -> str:
    """The URL the search index holds for a page, from the site root: ``/policies/a/`` (compare
    it with a record's URL percent-decoded)."""
    return "/" + path


def relative(target: str, current: str) -> str:
    """The link from output file ``current`` (e.g. ``policies/a/index.html``) to site path ``target``.

    ``target`` may carry a ``#fragment``, and may be any path a Markdown link names (``..`` and
    empty segments included: a link that climbs above the root stops there, as in a browser).
    """
    folder = posixpath.dirname(current) or "."
    here = _segments(folder)
    if here:  # a link out of the page's top folder depends only on how deep the page is
        base = target.partition("#")[0]
        to = _segments(base or ".")
        if to is not None and (not to or to[0] != here[0]):
            return _relative_up(target, len(here))
    return _relative(target, folder)


@functools.lru_cache(maxsize=1 << 16)  # a site links the same few targets from thousands of pages
def _relative(target: str, folder: str) -> str:
    base, _, fragment = target.partition("#")
    return _url(base, _relpath(base or ".", folder), fragment)


@functools.lru_cache(maxsize=1 << 12)
def _relative_up(target: str, depth: int) -> str:
    """``_relative(target, folder)`` for a clean ``folder`` ``depth`` segments deep that shares no
    first segment with ``target``: every page links home and to the top sections this way."""
    base, _, fragment = target.partition("#")
    to = _segments(base or ".")
    assert to is not None
    return _url(base, "/".join(("..",) * depth + to), fragment)


def _url(base: str, rel: str, fragment: str) -> str:
    if (base == "" or base.endswith("/")) and not rel.endswith("/"):
        rel = "./" if rel == "." else rel + "/"
    url = quote(rel, safe=_SAFE)
    return f"{url}#{fragment}" if fragment else url


@functools.lru_cache(maxsize=1 << 12)  # the page's folder, for each of its links
def _segments(path: str) -> tuple[str, ...] | None:
    """The segments of a clean relative path (``.`` is none), or None when it needs normalising."""
    if path == ".":
        return ()
    parts = path.split("/")
    if parts[-1] == "":
        parts.pop()
    if not parts or any(p in ("", ".", "..") for p in parts):
        return None
    return tuple(parts)


def _relpath(path: str, start: str) -> str:
    """``posixpath.relpath(path, start)`` without its two ``abspath`` calls (a ``getcwd`` each).

    Page links are almost all between clean site paths, where the answer is plain string work;
    anything else (``..``, empty segments, absolute paths from hostile Markdown) goes to
    ``posixpath.relpath`` itself, with both paths taken from the site root rather than from the
    folder the build runs in: a link that climbs above the root (``/../../x``) stops there, as
    in a browser, and the page comes out the same wherever the build is run.
    """
    to, here = _segments(path), _segments(start)
    if to is None or here is None:
        return posixpath.relpath(posixpath.join("/", path), posixpath.join("/", start))
    common = 0
    for a, b in zip(to, here):
        if a != b:
            break
        common += 1
    return "/".join(("..",) * (len(here) - common) + to[common:]) or "."


__all__ = [
    "ANNUAL_REPORTS",
    "CATALOG",
    "DATA",
    "FEED",
    "FILES",
    "GUIDES",
    "INDEX",
    "NOT_FOUND",
    "PAGEFIND_SCRIPT",
    "PAGE_PREFIX",
    "POLICIES",
    "RESERVED",
    "ROBOTS",
    "ROSTERS",
    "ROSTERS_SUMMARY",
    "SEARCH",
    "SEARCH_INDEX",
    "SITEMAP",
    "STANDARDS",
    "STANDARDS_CSV",
    "STANDARDS_JSON",
    "STATIC",
    "absolute",
    "annual_reports",
    "attachment",
    "catalog",
    "guide",
    "guides",
    "home",
    "numbered",
    "output_file",
    "page",
    "pagefind_url",
    "policy",
    "relative",
    "reserved",
    "root",
    "rooted",
    "roster",
    "rosters",
    "search",
    "site_path",
    "standard",
    "standards",
    "static",
]
