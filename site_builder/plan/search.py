"""The search page (``search/index.html``): a form that queries the Pagefind index in the browser.

Without JavaScript the page explains how to find a document through the catalog instead, and
lists the catalog's categories and years.
"""

from __future__ import annotations

from ..site import Site
from . import HOME_CRUMB, Entry, Meta, Render

SEARCH_COLUMN = {
    "ColumnName": "站内搜索",
    "ColumnDescription": "搜索本站公开的政策文件和页面，可按文件编号、索引号查找",
    "ColumnKeywords": "搜索,政策文件,文件编号,索引号",
    "ColumnType": "搜索",
}


def plan_search(site: Site) -> list[Entry]:
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
            {"categories": categories, "years": site.policy_years()},
        )
    ]
