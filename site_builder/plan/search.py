"""The search page (``search/index.html``): a form that queries the Pagefind index in the browser.

Without JavaScript the page explains how to find a document through the catalog instead, and
lists the catalog's categories and years. The page names the parts of the index to merge
(`search_shards`), which the pipeline builds from the same function.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..search import Shard, shard_pages
from ..site import Site
from . import HOME_CRUMB, Entry, Meta, Render

SEARCH_COLUMN = {
    "ColumnName": "站内搜索",
    "ColumnDescription": "搜索本站公开的政策文件和页面，可按文件编号、索引号查找",
    "ColumnKeywords": "搜索,政策文件,文件编号,索引号",
    "ColumnType": "搜索",
}


def search_shards(entries: Iterable[Entry]) -> list[Shard]:
    """The parts of the search index for the searchable pages among ``entries``: a policy by
    the year of its date, a page by the year of its date if it has one."""
    pages: list[tuple[str, int | None]] = []
    for entry in entries:
        if isinstance(entry, Render) and entry.searchable:
            policy, page = entry.context.get("policy"), entry.context.get("page")
            day = policy.date if policy is not None else getattr(page, "date", None)
            pages.append((entry.path, day.year if day is not None else None))
    return shard_pages(pages)


def plan_search(site: Site, planned: Iterable[Entry]) -> list[Entry]:
    """The search page; ``planned`` is every entry planned before it (the searchable pages).
    The hint's examples are the 文件编号 and 索引号 of the newest published policies that have
    one, so that trying the example finds a document."""
    merge = [shard.bundle + "/" for shard in search_shards(planned)[1:]]
    used = {p.category for p in site.policies}
    categories = [c for c in site.config.categories if c in used]
    return [
        Render(
            "search/index.html",
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
