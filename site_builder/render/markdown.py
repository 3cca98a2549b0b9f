"""Markdown → safe HTML for policy and page bodies.

Python-Markdown renders; a tree processor makes tables accessible (caption, header scopes, a
focusable scroll container, numeric cells right-aligned by class) and keeps a single <h1> per
page by demoting body headings; nh3 then removes anything a content file should not carry.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from urllib.parse import unquote

import markdown
import nh3
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from .env import relative_url

ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "strong", "em", "b", "i",
    "a", "blockquote", "code", "pre", "table", "caption", "thead", "tbody", "tr", "th", "td",
    "div", "span", "sup", "sub", "dl", "dt", "dd", "img", "abbr",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "th": {"scope", "colspan", "rowspan", "class"},
    "td": {"colspan", "rowspan", "class"},
    "div": {"class", "tabindex", "role", "aria-label"},
    "ol": {"start"},
    "abbr": {"title"},
    "table": {"class"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
_NUMERIC = re.compile(r"^[\s¥￥+\-−]*[\d,，.]+\s*(%|元|人|户|个|天|日|次|万元|亿元)?\s*$")
_CAPTION_PARA = re.compile(r"^(表|附表)\s*\d*[：:\s]")


class _SiteLinks(Treeprocessor):
    """Site-absolute links (``/catalog/``) become relative to the page, so sub-paths work."""

    page_path = "index.html"

    def run(self, root: etree.Element) -> None:
        for el in root.iter():
            attr = {"a": "href", "img": "src"}.get(el.tag)
            value = el.get(attr) if attr else None
            if attr and value and value.startswith("/") and not value.startswith("//"):
                el.set(attr, relative_url(unquote(value[1:]), self.page_path))


class _AccessibleTables(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        levels = [int(el.tag[1]) for el in root.iter() if re.fullmatch(r"h[1-6]", el.tag)]
        if levels and min(levels) == 1:
            for el in root.iter():
                if re.fullmatch(r"h[1-6]", el.tag):
                    el.tag = f"h{min(int(el.tag[1]) + 1, 6)}"
        children = list(root)
        heading = ""
        count = 0
        for index, el in enumerate(children):
            if re.fullmatch(r"h[2-6]", el.tag):
                heading = "".join(el.itertext()).strip()
            if el.tag != "table":
                continue
            count += 1
            caption_text = heading or f"表 {count}"
            prev = children[index - 1] if index else None
            if prev is not None and prev.tag == "p":
                text = "".join(prev.itertext()).strip()
                if _CAPTION_PARA.match(text) and len(text) <= 60:
                    caption_text = text
                    root.remove(prev)
            caption = etree.Element("caption")
            caption.text = caption_text
            el.insert(0, caption)
            for cell in el.iter():
                align = cell.attrib.pop("align", None) or ""
                style = cell.attrib.pop("style", "")
                if cell.tag == "th":
                    cell.set("scope", "col")
                if cell.tag == "td":
                    text = "".join(cell.itertext()).strip()
                    if "right" in style or align == "right" or (text and _NUMERIC.match(text)):
                        cell.set("class", "num")
            # the wrapper makes a wide table scroll on its own, reachable by keyboard
            position = list(root).index(el)
            wrapper = etree.Element(
                "div", {"class": "table-wrap", "tabindex": "0", "role": "region", "aria-label": caption_text}
            )
            root.remove(el)
            wrapper.append(el)
            root.insert(position, wrapper)
            # first column cells are row headers when the header row names them
            tbody = el.find("tbody")
            if tbody is not None:
                for row in tbody.findall("tr"):
                    first = row.find("td")
                    if first is not None and "num" not in first.get("class", ""):
                        first.tag = "th"
                        first.set("scope", "row")


class _AccessibleTablesExtension(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.treeprocessors.register(_AccessibleTables(md), "accessible_tables", 5)
        self.links = _SiteLinks(md)
        md.treeprocessors.register(self.links, "site_links", 4)


class MarkdownRenderer:
    """One Markdown instance, reset between documents (several times faster than a new one)."""

    def __init__(self) -> None:
        self._extension = _AccessibleTablesExtension()
        self._md = markdown.Markdown(
            extensions=["tables", "sane_lists", self._extension],
            output_format="html",
        )

    def render(self, text: str, page_path: str = "index.html") -> str:
        """Sanitised HTML for ``text``, with site links made relative to ``page_path``."""
        self._md.reset()
        self._extension.links.page_path = page_path
        html = self._md.convert(text)
        return sanitize(html)


def sanitize(html: str) -> str:
    """Keep the structure a disclosure document needs; drop scripts, styles, handlers, forms."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
