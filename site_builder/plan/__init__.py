"""The page plan: every output file, and what it is made from.

One list of "this path is made from this template with this data" (or copied from this file)
is what the writer renders, what the sitemap and feed are made from, and what the personal-data
gate re-checks. Building it touches nothing on disk.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from .. import urls
from ..cache import is_scratch

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Meta:
    """What the base layout needs to know about a page (title, trail, 47号文 meta tags)."""

    title: str
    breadcrumbs: tuple[tuple[str, str | None], ...]  # (label, site path or None for "here")
    column: Mapping[str, str] | None = None  # ColumnName, ColumnDescription, ColumnKeywords, ColumnType
    article: Mapping[str, str] | None = None  # ArticleTitle, PubDate, ContentSource, Keywords, Description
    description: str = ""
    noindex: bool = False
    nav: str = ""  # which main-navigation item is current
    speech: bool = False  # offer 语音朗读 of the main text


@dataclass(frozen=True, slots=True)
class Render:
    path: str
    template: str
    meta: Meta
    context: Mapping[str, Any] = field(default_factory=dict)
    # rendered to ``body_html`` in the render stage; a tuple of pieces (a report's narrative
    # sections, shown between its tables) to a tuple of HTML pieces
    markdown: str | tuple[str, ...] | None = None
    sitemap: bool = True
    searchable: bool = False
    lastmod: date | None = None
    key: str | None = None  # when set, stands for ``context`` in the page's fingerprint (write.py)
    # What later stages need to know of the content a page shows, typed (not dug out of ``context``):
    dated: date | None = None  # filed under this date: the search index's parts follow its year
    source: Path | None = None  # the content file whose body it shows, for problems in the body
    body_line: int = 1  # where that body starts in ``source``


def markdown_pieces(markdown: str | tuple[str, ...] | None) -> tuple[str, ...]:
    """A `Render`'s Markdown as pieces, each rendered (and cached) on its own."""
    if markdown is None:
        return ()
    return (markdown,) if isinstance(markdown, str) else markdown


@dataclass(frozen=True, slots=True)
class Copy:
    path: str
    source: Path


@dataclass(frozen=True, slots=True)
class Text:
    path: str
    text: str


Entry = Render | Copy | Text


@dataclass(frozen=True, slots=True)
class Pagination:
    number: int
    count: int
    base: str  # site path of page 1, e.g. "catalog/"

    def url(self, number: int) -> str:
        return urls.numbered(self.base, number)

    @property
    def previous(self) -> str | None:
        return self.url(self.number - 1) if self.number > 1 else None

    @property
    def next(self) -> str | None:
        return self.url(self.number + 1) if self.number < self.count else None

    @property
    def pages(self) -> list[tuple[int, str]]:
        return [(n, self.url(n)) for n in range(1, self.count + 1)]


def page_count(items: int, size: int) -> int:
    """How many pages a list of ``items`` takes at ``size`` a page (an empty list has one)."""
    return max(1, -(-items // size))


def json_number(value: Decimal) -> int | float:
    """An amount for the open-data JSON: a whole number without ".0", else a float."""
    return int(value) if value == value.to_integral_value() else float(value)


def paginate(items: Sequence[T], size: int, base: str) -> Iterable[tuple[Sequence[T], Pagination, str]]:
    """Yield (slice, pagination, output path) for a list shown ``size`` items a page."""
    count = page_count(len(items), size)
    for number in range(1, count + 1):
        pagination = Pagination(number, count, base)
        yield items[(number - 1) * size : number * size], pagination, urls.output_file(pagination.url(number))


def article_meta(title: str, published: date, source: str, keywords: Iterable[str], description: str) -> dict[str, str]:
    return {
        "ArticleTitle": title,
        "PubDate": f"{published.isoformat()} 00:00",
        "ContentSource": source,
        "Keywords": ",".join(keywords),
        "Description": description,
    }


HOME_CRUMB = ("首页", urls.home())


def statutory_links(site: Site) -> tuple[tuple[str, str], ...]:
    """法定主动公开内容 beside the catalog, as (label, site path): what the catalog's side list
    and the home page link to."""
    links = [("机构信息", urls.organization())] if site.organization is not None else []
    links += [("救助保障标准", urls.standards()), ("公示名单", urls.rosters())]
    if site.guides:
        links.append(("办事指南", urls.guides()))
    return tuple(links)


if TYPE_CHECKING:
    from ..site import Site


def plan_site(site: Site, template_dir: Path) -> list[Entry]:
    """The whole plan, in a stable order (the writer and the manifest follow it).

    Each kind of content plans its own pages in its own module of this package.
    """
    from . import (  # the kind modules import the entry types from here  # finding and following: the search page; feed, sitemap, robots.txt
        annual_reports,  # 政府信息公开年报: the list, each report, its open data
        feeds,
        guides,  # 办事指南: the list and one page per guide
        home,
        organization,  # 机构信息: 机构职能, 领导信息, 监督检查
        policies,
        rosters,  # 公示名单: notices in force and data/rosters-summary.json
        search,
        standards,  # 救助保障标准: index, one page per standard, data/standards.json and .csv
    )

    entries: list[Entry] = []
    entries += home.plan_home(site)
    entries += policies.plan_policies(site)
    entries += policies.plan_catalog(site)
    entries += policies.plan_pages(site)
    entries += organization.plan_organization(site)
    entries += annual_reports.plan_annual_reports(site)
    entries += standards.plan_standards(site)
    entries += guides.plan_guides(site)
    entries += rosters.plan_rosters(site)  # 公示名单: noindex, not in sitemap, feed or search
    entries += search.plan_search(site, entries)  # after every searchable page
    entries += plan_static(template_dir)
    entries.append(
        Render(
            urls.NOT_FOUND,
            "404.html",
            Meta("页面未找到", (HOME_CRUMB, ("页面未找到", None)), noindex=True),
            {"absolute_root": urls.root(site.config.base_url)},
            sitemap=False,
        )
    )
    # Final step, after every other entry: the feed, sitemap and robots.txt list what is planned above.
    entries += feeds.plan_feeds(site, entries)
    from .paths import check_paths

    check_paths(entries, site.config.content_dir)  # every path safe, and written by one source only
    return entries


def plan_static(template_dir: Path) -> list[Entry]:
    """Every file of ``templates/static/``, but what editors and tools leave beside the files
    they work on (`is_scratch`: ``.site.css.swp``, ``site.css~``, a ``.git`` folder)."""
    root = template_dir / urls.STATIC
    entries: list[Entry] = []
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if path.is_file() and not any(is_scratch(part) for part in rel.parts):
            entries.append(Copy(urls.static(rel.as_posix()), path))
    return entries
