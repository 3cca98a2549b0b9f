"""The search page (``search/index.html``): a form that queries the Pagefind index in the browser.

Without JavaScript the page explains how to find a document through the catalog instead, and
lists the catalog's categories and years. The page names the parts of the index to merge
(`search_shards`), which the pipeline builds from the same function: how the index is cut into
parts (`Shard`) is planned here, and `site_builder.search` runs Pagefind over each.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .. import urls
from ..site import Site
from . import HOME_CRUMB, Entry, Meta, Render, columns

# Pages per part of the index, about. Pagefind needs about a third of a megabyte per Chinese page
# in one run, and each run costs about a quarter of a second of its own: few large parts are
# quicker to build from scratch, a small newest part is quicker to rebuild after an edit.
SHARD_PAGES = 1000
NEWEST_PAGES = 400

SEARCH_COLUMN = columns.column(
    "站内搜索",
    "搜索本站公开的政策文件和页面，可按文件编号、索引号查找",
    "搜索,政策文件,文件编号,索引号",
    columns.SEARCH,
)


@dataclass(frozen=True, slots=True)
class Shard:
    """One part of the search index: a bundle folder and the output paths of the pages it holds."""

    bundle: str
    paths: tuple[str, ...]


def shard_pages(pages: Iterable[tuple[str, int | None]]) -> list[Shard]:
    """Parts of the index for ``pages`` (output path, year or None), the one with the newest
    years first (in ``pagefind/``, with the undated pages).

    The newest part takes the newest years, back to about NEWEST_PAGES pages: new and edited
    policies are nearly all there, so an edit re-indexes a small part. The older years are
    grouped from the oldest up to about SHARD_PAGES pages a part, so that years passing change
    only the youngest of them. A year is never split: one larger than a part is a part of its own.
    """
    by_year: dict[int | None, list[str]] = {}
    for path, year in pages:
        by_year.setdefault(year, []).append(path)
    years = sorted(y for y in by_year if y is not None)
    newest = list(by_year.get(None, []))
    if years:  # the newest year, however large, then the years before it that fit
        newest += by_year[years.pop()]
    while years and len(newest) + len(by_year[years[-1]]) <= NEWEST_PAGES:
        newest += by_year[years.pop()]
    groups: list[list[int]] = []
    count = 0
    for year in years:
        if groups and count + len(by_year[year]) <= SHARD_PAGES:
            groups[-1].append(year)
            count += len(by_year[year])
        else:
            groups.append([year])
            count = len(by_year[year])
    shards = [Shard(urls.SEARCH_INDEX, tuple(sorted(newest)))]
    for group in reversed(groups):
        name = f"{urls.SEARCH_INDEX}-{group[0]}" + (f"-{group[-1]}" if len(group) > 1 else "")
        shards.append(Shard(name, tuple(sorted(path for year in group for path in by_year[year]))))
    return [shard for shard in shards if shard.paths]


def search_shards(entries: Iterable[Entry]) -> list[Shard]:
    """The parts of the search index for the searchable pages among ``entries``, each by the year
    it is filed under (a policy's date; a page's, if it has one)."""
    return shard_pages(
        (entry.path, entry.dated.year if entry.dated is not None else None)
        for entry in entries
        if isinstance(entry, Render) and entry.searchable
    )


def plan_search(site: Site, planned: Iterable[Entry]) -> list[Entry]:
    """The search page; ``planned`` is every entry planned before it (the searchable pages).
    The hint's examples are the 文件编号 and 索引号 of the newest published policies that have
    one, so that trying the example finds a document."""
    merge = [shard.bundle + "/" for shard in search_shards(planned)[1:]]
    used = {p.category for p in site.policies}
    categories = [c for c in site.config.categories if c in used]
    return [
        Render(
            urls.output_file(urls.search()),
            "search.html",
            Meta(
                "搜索",
                (HOME_CRUMB, ("搜索", None)),
                column=SEARCH_COLUMN,
                description=SEARCH_COLUMN["ColumnDescription"],
                nav="search",
            ),
            {
                "categories": categories,
                "years": site.policy_years(),
                "merge": merge,
                "examples": {
                    "doc_no": next((p.doc_no for p in site.policies if p.doc_no), ""),
                    "index_no": next((p.index_no for p in site.policies if p.index_no), ""),
                },
            },
        )
    ]
