"""The Jinja environment: autoescape, StrictUndefined, and the few helpers templates need.

Links are written relative to the page that holds them (``url_for``), so the built site works
at any sub-path and from any static host without a rebuild.
"""

from __future__ import annotations

import posixpath
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2


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


def money(value: float | int) -> str:
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
    env.filters["cn_date"] = cn_date
    env.filters["file_size"] = file_size
    env.filters["money"] = money
    return env
