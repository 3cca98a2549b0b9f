"""The Jinja environment: autoescape, StrictUndefined, and the few helpers templates need.

Links are written relative to the page that holds them (``url_for``), so the built site works
at any sub-path and from any static host without a rebuild.
"""

from __future__ import annotations

import functools
import html
import posixpath
import re
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote, urljoin, urlsplit

import jinja2
from markupsafe import Markup, escape


@functools.lru_cache(maxsize=1 << 16)  # a site links the same few targets from thousands of pages
def relative_url(target: str, current: str) -> str:
    """The link from output file ``current`` (e.g. ``policies/a/index.html``) to ``target``.

    ``target`` is a site path: ``""`` for home, ``catalog/`` for a folder, ``static/site.css``.
    """
    folder = posixpath.dirname(current) or "."
    base, _, fragment = target.partition("#")
    rel = posixpath.relpath(base or ".", folder)
    if (base == "" or base.endswith("/")) and not rel.endswith("/"):
        rel = "./" if rel == "." else rel + "/"
    url = quote(rel, safe="/.-_~")
    return f"{url}#{fragment}" if fragment else url


@jinja2.pass_context
def _url_for(context: Any, target: str) -> str:
    root = context.get("absolute_root")
    if root is not None:  # pages served at any URL, such as 404.html
        return quote(root + target, safe="/.-_~#")
    return relative_url(target, context["page_path"])


def _page_url(context: Any) -> str:
    """The absolute address of the page being rendered (``base_url`` + its path, without index.html)."""
    path = str(context["page_path"]).removesuffix("index.html")
    return str(context["site"].base_url) + quote(path, safe="/.-_~")


_LINK_START = re.compile(r"<a\s[^>]*>")
_HREF = re.compile(r'\shref="([^"]*)"')


@jinja2.pass_context
def _print_urls(context: Any, markup: str) -> Markup:
    """Give each link in ``markup`` a ``data-print-url``: its absolute address, which print.css prints
    after the link text (a printed relative URL helps no one). Only http(s) targets; not in-page links."""
    page = _page_url(context)

    def add(match: re.Match[str]) -> str:
        tag = match.group(0)
        href = _HREF.search(tag)
        if href is None or "data-print-url=" in tag or href.group(1).startswith("#"):
            return tag
        absolute = urljoin(page, html.unescape(href.group(1)))
        if urlsplit(absolute).scheme not in ("http", "https"):
            return tag
        return f'{tag[:-1]} data-print-url="{escape(absolute)}">'

    return Markup(_LINK_START.sub(add, str(markup)))


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


def make_environment(template_dir: Path) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(template_dir)),
        autoescape=jinja2.select_autoescape(["html", "xml", "svg"], default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals["url_for"] = _url_for
    env.globals["page_url"] = jinja2.pass_context(_page_url)
    env.filters["print_urls"] = _print_urls
    env.filters["cn_date"] = cn_date
    env.filters["file_size"] = file_size
    env.filters["money"] = money
    return env
