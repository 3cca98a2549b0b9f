"""The Jinja environment: autoescape, StrictUndefined, and the few helpers templates need.

Links are written relative to the page that holds them (``url_for``), so the built site works
at any sub-path and from any static host without a rebuild.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import jinja2
import jinja2.meta
from markupsafe import Markup, escape

from .. import footer_formats, urls
from ..cache import digest, tree_digest
from . import report_tables, rows


@jinja2.pass_context
def _url_for(context: Any, target: str) -> str:
    """The link from the page being rendered to site path ``target`` (one of `urls`)."""
    root = context.get("absolute_root")
    if root is not None:  # pages served at any URL, such as 404.html
        return urls.rooted(root, target)
    return urls.relative(target, context["page_path"])


def _page_url(context: Any) -> str:
    """The absolute address of the page being rendered (``base_url`` + its path, without index.html)."""
    return urls.absolute(str(context["site"].base_url), urls.site_path(str(context["page_path"])))


# A link's opening tag, or a whole <nav> element: navigation is never printed (print.css hides
# every <nav> in <main>: pagination, catalog facets, a roster's index of streets), so its links
# need no printed address. Templates do not nest <nav>, and the sanitiser drops it from bodies.
_LINK_START = re.compile(r"<nav[\s>].*?</nav>|<a\s[^>]*>", re.DOTALL)
_HREF = re.compile(r'\shref="([^"]*)"')


@jinja2.pass_context
def _print_urls(context: Any, markup: str) -> Markup:
    """Give each link in ``markup`` a ``data-print-url``: its absolute address, which print.css prints
    after the link text (a printed relative URL helps no one). Only http(s) targets; not in-page
    links, and not the links of navigation, which is not printed."""
    page = _page_url(context)

    def add(match: re.Match[str]) -> str:
        tag = match.group(0)
        if tag.startswith("<nav"):
            return tag
        href = _HREF.search(tag)
        if href is None or "data-print-url=" in tag or href.group(1).startswith("#"):
            return tag
        attribute = _print_url_attribute(page, html.unescape(href.group(1)))
        return f"{tag[:-1]}{attribute}>" if attribute else tag

    return Markup(_LINK_START.sub(add, str(markup)))


def _print_url_attribute(page: str, href: str) -> str:
    """`` data-print-url="…"`` for a link from ``page`` to ``href``, or "" when it is not http(s).

    Most links on a page are plain relative paths (``../../static/site.css``, ``../page-9/#s2``),
    and most pages have an address of their own, so caching by (page, href) seldom hits. A plain
    path (and fragment) below a plain http(s) folder is simply appended to it, which is all
    ``urljoin`` would do; anything else goes to ``urljoin``, cached.
    """
    path, hash_, fragment = href.partition("#")
    if not hash_ or _FRAGMENT.fullmatch(fragment):
        base, rest = _lift(page, path)
        if _folders(base) and _PLAIN.fullmatch(rest):
            return f' data-print-url="{escape(base + rest + hash_ + fragment)}"'
    return _joined_attribute(*_lift(page, href))


@functools.lru_cache(maxsize=1 << 16)
def _joined_attribute(page: str, href: str) -> str:
    absolute = urljoin(page, href)
    if urlsplit(absolute).scheme not in ("http", "https"):
        return ""
    return f' data-print-url="{escape(absolute)}"'


# A relative path that ``urljoin`` only appends: no scheme, query, fragment, parameters,
# whitespace, empty segments or dot segments (the last segment may be empty: a folder).
_SEGMENT = r"[^\x00-\x20\x7f:?#;\\/]"
_PLAIN = re.compile(rf"(?:(?!\.\.?/){_SEGMENT}+/)*(?!\.\.?$){_SEGMENT}*")
_FRAGMENT = re.compile(r"[^\x00-\x20\x7f]+")  # kept as it is by ``urljoin`` (an empty one is dropped)


@functools.lru_cache(maxsize=1 << 12)
def _folders(page: str) -> tuple[str, ...]:
    """``https://h/a/b/`` → (``https://h/a/b/``, ``https://h/a/``, ``https://h/``); () if not that plain."""
    if not page.endswith("/") or not page.startswith(("http://", "https://")) or "?" in page or "#" in page:
        return ()
    root = page.find("/", page.index("//") + 2) + 1
    path = page[root:]
    if not _PLAIN.fullmatch(path):
        return ()
    folders = [page]
    while path:
        path = path[: path.rindex("/", 0, len(path) - 1) + 1] if "/" in path[:-1] else ""
        folders.append(page[:root] + path)
    return tuple(folders)


def _lift(page: str, href: str) -> tuple[str, str]:
    """An equal (page, href) pair for ``urljoin``, with the href's leading ``../`` taken off the page.

    ``../../static/site.css`` from ``https://h/policies/a/`` and from ``…/policies/b/`` is the same
    ``static/site.css`` from ``https://h/``: the resolved link is then worked out (and cached) once
    for all pages at one depth, instead of once per page. Pairs this cannot prove equal are
    returned as they are.
    """
    if not href.startswith("../"):
        return page, href
    folders = _folders(page)
    up = 0
    while href.startswith("../", 3 * up) and up + 1 < len(folders):
        up += 1
    rest = href[3 * up :]
    if not folders or not _PLAIN.fullmatch(rest):
        return page, href
    return folders[up], rest


def cn_date(value: date | None) -> str:
    """2024-03-18 → 2024年03月18日, the form government pages use."""
    if value is None:
        return ""
    return f"{value.year}年{value.month:02d}月{value.day:02d}日"


def file_size(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / 1024 / 1024:.1f} MB"


def money(value: float) -> str:
    """Amounts without a trailing .0; thousands separators for large sums."""
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    return f"{int(value):,}"


def make_environment(template_dir: Path, compiled: Path | None = None) -> jinja2.Environment:
    """The templates' environment; with ``compiled``, a folder where compiled templates are kept
    between builds (each checked against its template's text before use)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(template_dir)),
        autoescape=jinja2.select_autoescape(["html", "xml", "svg"], default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # one environment per build: no stat() of every template for every page
        bytecode_cache=jinja2.FileSystemBytecodeCache(str(compiled)) if compiled is not None else None,
    )
    env.globals["url_for"] = _url_for
    env.globals["urls"] = urls  # the site path of each kind of page: url_for(urls.catalog(category))
    env.globals["page_url"] = jinja2.pass_context(_page_url)
    env.globals["footer"] = footer_formats  # the footer's record sites: footer.police_url(site.police_record)
    env.filters["print_urls"] = _print_urls
    env.filters["cn_date"] = cn_date
    env.filters["file_size"] = file_size
    env.filters["money"] = money
    env.filters.update(rows.FILTERS)  # the components' plain parameters, made from the content
    env.filters.update(report_tables.FILTERS)  # an annual report's merged tables, as plain cells
    return env


def template_digest(template_dir: Path, names: Iterable[str]) -> str:
    """A digest of the templates that pages are rendered with: ``names`` and every template they
    extend, include or import, and so on, with their text.

    A stylesheet or script in ``static/`` (copied, not rendered), the preview's overlay, or a
    template that no page uses is not part of it: editing one must not make every page look
    changed. A reference that only rendering could resolve (a name held in a variable), or a
    template that does not parse, makes it the digest of every file in the folder instead.
    """
    env = make_environment(template_dir)
    assert env.loader is not None
    sources: dict[str, str] = {}
    todo = sorted(set(names))
    while todo:
        name = todo.pop()
        if name in sources:
            continue
        try:
            source, filename, _ = env.loader.get_source(env, name)
        except jinja2.TemplateNotFound:
            sources[name] = "\0missing"  # rendering will say so
            continue
        sources[name] = source
        try:
            referenced = list(jinja2.meta.find_referenced_templates(env.parse(source, name, filename)))
        except jinja2.TemplateSyntaxError:
            return tree_digest(template_dir)
        if None in referenced:
            return tree_digest(template_dir)
        todo += [ref for ref in referenced if ref is not None and ref not in sources]
    return digest(*(part for name in sorted(sources) for part in (name, sources[name])))
