"""Markdown → safe HTML for policy and page bodies.

Python-Markdown renders; a tree processor makes tables accessible (caption, header scopes, a
focusable scroll container, numeric cells right-aligned by class) and keeps a single <h1> per
page by demoting body headings; nh3 then removes anything a content file should not carry.
"""

from __future__ import annotations

import functools
import re
import xml.etree.ElementTree as etree
from typing import Any
from urllib.parse import unquote

import markdown
import nh3
from markdown import inlinepatterns, util
from markdown.blockprocessors import BlockProcessor
from markdown.extensions import Extension
from markdown.extensions.sane_lists import SaneListExtension
from markdown.extensions.tables import TableExtension
from markdown.treeprocessors import InlineProcessor, Treeprocessor

from .. import urls

ALLOWED_TAGS = {
    "p",
    "br",
    "hr",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "li",
    "strong",
    "em",
    "b",
    "i",
    "a",
    "blockquote",
    "code",
    "pre",
    "table",
    "caption",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "div",
    "span",
    "sup",
    "sub",
    "dl",
    "dt",
    "dd",
    "img",
    "abbr",
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
_HEADINGS = frozenset(f"h{level}" for level in range(1, 7))  # a set lookup per element, not a regex
_LINK_ATTRIBUTE = {"a": "href", "img": "src"}


class _SiteLinks(Treeprocessor):  # type: ignore[misc]
    """Site-absolute links (``/catalog/``) become relative to the page, so sub-paths work."""

    page_path = "index.html"

    def run(self, root: etree.Element) -> None:
        for el in root.iter():
            attr = _LINK_ATTRIBUTE.get(el.tag)
            value = el.get(attr) if attr else None
            if attr and value and value.startswith("/") and not value.startswith("//"):
                el.set(attr, urls.relative(unquote(value[1:]), self.page_path))


class _AccessibleTables(Treeprocessor):  # type: ignore[misc]
    def run(self, root: etree.Element) -> None:
        levels = [int(el.tag[1]) for el in root.iter() if el.tag in _HEADINGS]
        if levels and min(levels) == 1:
            for el in root.iter():
                if el.tag in _HEADINGS:
                    el.tag = f"h{min(int(el.tag[1]) + 1, 6)}"
        children = list(root)
        heading = ""
        count = 0
        for index, el in enumerate(children):
            if el.tag in _HEADINGS and el.tag != "h1":
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


# What a text must contain for each of Python-Markdown's inline patterns to match, keyed by the
# pattern's own regular expression: a pattern whose expression is not listed here (another
# extension's, or a changed one in a newer Markdown) is always tried.
_NEEDS = {
    expression: re.compile(needs)
    for expression, needs in {
        inlinepatterns.BACKTICK_RE: r"[`\\]",
        inlinepatterns.ESCAPE_RE: r"\\",
        inlinepatterns.LINK_RE: r"\[",  # also reference, short_reference
        inlinepatterns.IMAGE_LINK_RE: r"\[",  # also image_reference, short_image_ref
        inlinepatterns.AUTOLINK_RE: "<",
        inlinepatterns.AUTOMAIL_RE: "<",
        inlinepatterns.HTML_RE: "<",
        inlinepatterns.ENTITY_RE: "&",
        inlinepatterns.LINE_BREAK_RE: "  \n",
    }.items()
}
_ALWAYS = re.compile("")


@functools.lru_cache(maxsize=8)
def _needs_any(needs: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(needs))


class _QuickInline(InlineProcessor):  # type: ignore[misc]
    """Python-Markdown's inline stage, without trying patterns that cannot match.

    The stock stage tries every inline pattern (links, emphasis, entities, …) on every piece of
    text, about 14 regular-expression searches through Python-level calls each: most of the
    time of a Markdown conversion, and wasted on the plain Chinese prose that policies are made
    of. Here a text that contains none of the characters any pattern needs is returned as it is,
    and a pattern whose character is absent is skipped, which is exactly what the stock code
    concludes after searching. Everything else is the stock code, so the HTML is the same.
    """

    def run(self, tree: etree.Element, ancestors: list[str] | None = None) -> etree.Element:
        self._needs: dict[Any, re.Pattern[str]] = {}
        for pattern in self.inlinePatterns:
            if isinstance(pattern, inlinepatterns.DelimiterProcessor):
                needs = pattern.compiled_re  # matches its delimiter characters (*, _) and nothing else
            elif isinstance(pattern, inlinepatterns.InlineProcessor) and pattern.compiled_re.pattern in _NEEDS:
                needs = _NEEDS[pattern.compiled_re.pattern]
            else:
                needs = _ALWAYS
            self._needs[pattern] = needs
        every = tuple(n.pattern for n in self._needs.values())
        self._any = _ALWAYS if "" in every else _needs_any(every)
        return super().run(tree, ancestors)  # type: ignore[no-any-return]

    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:
        if not isinstance(data, util.AtomicString) and self._any.search(data) is None:
            return data
        return InlineProcessor._InlineProcessor__handleInline(self, data, patternIndex)  # type: ignore[no-any-return]

    def _InlineProcessor__applyPattern(
        self, pattern: Any, data: str, patternIndex: int, startIndex: int = 0
    ) -> tuple[str, bool, int]:
        if self._needs[pattern].search(data) is None:
            return data, False, 0  # what the stock method returns when the pattern does not match
        return InlineProcessor._InlineProcessor__applyPattern(  # type: ignore[no-any-return]
            self, pattern, data, patternIndex, startIndex
        )


# Python-Markdown's own block processors, and the tables and sane_lists ones (same names). With
# these and no others, a one-line block starting with a letter is a paragraph (see below).
_STOCK_BLOCKS = frozenset(
    {
        "empty",
        "indent",
        "code",
        "hashheader",
        "setextheader",
        "hr",
        "olist",
        "ulist",
        "quote",
        "reference",
        "table",
        "paragraph",
    }
)


class _QuickParagraphs(BlockProcessor):  # type: ignore[misc]
    """A paragraph that is one line starting with a letter goes straight to the paragraph processor.

    The stock parser asks every block processor in turn (about ten Python calls and regular
    expressions per block) before the paragraph one takes it, and most blocks of Chinese prose
    are such paragraphs. Each of the others needs something that such a block lacks: a line break
    (set-ext headings, tables, anything on a later line), leading spaces (code, list continuation),
    a digit or one of ``*+-_#>[`` first (lists, rules, ATX headings, quotes, references), or
    emptiness. A letter (``str.isalpha``: a Chinese character, a Latin letter) is none of those.
    With any other processor registered (another extension's), every block takes the stock path.
    """

    NAME = "quick_paragraphs"

    def __init__(self, parser: Any) -> None:
        super().__init__(parser)
        self._paragraph: BlockProcessor | None = None
        self._checked = False

    def test(self, parent: etree.Element, block: str) -> bool:
        if not self._checked:  # the registry is complete by the first block
            registry = self.parser.blockprocessors
            stock = len(registry) == len(_STOCK_BLOCKS) + 1 and all(
                name in registry and type(registry[name]).__module__.startswith("markdown.") for name in _STOCK_BLOCKS
            )
            self._paragraph = registry["paragraph"] if stock else None
            self._checked = True
        return self._paragraph is not None and "\n" not in block and block[:1].isalpha()

    def run(self, parent: etree.Element, blocks: list[str]) -> bool | None:
        assert self._paragraph is not None
        return self._paragraph.run(parent, blocks)  # type: ignore[no-any-return]


class _AccessibleTablesExtension(Extension):  # type: ignore[misc]
    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.treeprocessors.register(_QuickInline(md), "inline", 20)  # replaces the stock one
        md.parser.blockprocessors.register(_QuickParagraphs(md.parser), _QuickParagraphs.NAME, 105)  # before all
        md.treeprocessors.register(_AccessibleTables(md), "accessible_tables", 5)
        self.links = _SiteLinks(md)
        md.treeprocessors.register(self.links, "site_links", 4)


class MarkdownRenderer:
    """One Markdown instance, reset between documents (several times faster than a new one)."""

    def __init__(self) -> None:
        self._extension = _AccessibleTablesExtension()
        # Instances, not names: a name is looked up among the entry points of every installed
        # package, which costs each render process about 30 ms.
        self._md = markdown.Markdown(
            extensions=[TableExtension(), SaneListExtension(), self._extension],
            output_format="html",
        )
        # Asked for every element several times, and a scan of a list of fifty tags each time; the
        # list is complete once the extensions are registered.
        self._md.is_block_level = functools.lru_cache(maxsize=256)(self._md.is_block_level)

    def render(self, text: str, page_path: str = "index.html") -> str:
        """Sanitised HTML for ``text``, with site links made relative to ``page_path``."""
        self._md.reset()
        self._extension.links.page_path = page_path
        html = self._md.convert(text)
        return sanitize(html)


# Built once: nh3.clean would convert the allow-lists to a new sanitiser on every call.
_CLEANER = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    url_schemes=URL_SCHEMES,
    link_rel="noopener noreferrer",
    strip_comments=True,
)


def sanitize(html: str) -> str:
    """Keep the structure a disclosure document needs; drop scripts, styles, handlers, forms."""
    return _CLEANER.clean(html)
