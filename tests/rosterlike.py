"""A small site with one policy, one free page and a roster-like page (a 公示名单 table, planned
as rosters are: searchable=False, sitemap=False, noindex), written and indexed by the real
pipeline stages, for tests that must show roster text never reaches the search index."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from conftest import policy_md, write_tree

from site_builder.pipeline import TEMPLATE_DIR, Options, load_site
from site_builder.plan import HOME_CRUMB, Meta, Render, plan_site
from site_builder.render.renderer import Renderer
from site_builder.search import SearchReport, index_site
from site_builder.sources.pages import Page
from site_builder.write import write_site

ROSTER_PATH = "rosters/2026-11-test/index.html"
ROSTER_ONLY = "青石板街道"  # appears on the roster page only
SHARED = "幸福里社区"  # on the roster page and in the policy
MARKUP_TEXT = '<img src=x onerror="window.__xss=1">'  # shown as text in the policy body

POLICY_BODY = f"""\
为做好困难群众兜底保障，本市在{SHARED}开展最低生活保障政策宣传月活动。

宣传材料中的示例代码 `{MARKUP_TEXT}` 只是文字，不会执行。
"""

ROSTER_TABLE = f"""\
| 户主姓名 | 街道 | 社区 | 保障人数 | 保障金额 |
| --- | --- | --- | --- | --- |
| 王*明 | {ROSTER_ONLY} | {SHARED} | 2 | 1120 |
| 李*芳 | {ROSTER_ONLY} | {SHARED} | 1 | 560 |
"""


def build_roster_like_site(content_root: Path, staging: Path) -> SearchReport:
    """Write the site into ``staging`` (must not exist) and index it; returns the index report."""
    write_tree(
        content_root,
        {
            "policies/a.md": policy_md(body=POLICY_BODY),
            "pages/about.md": "---\ntitle: 关于本站\n---\n本站由测试市民政局主办。\n",
        },
    )
    options = Options(content_dir=content_root, out_dir=staging, today=date(2026, 11, 29))
    site, _ = load_site(options, lambda message: None)
    entries = plan_site(site, TEMPLATE_DIR)
    page = Page(
        source=content_root / "rosters" / "test.yaml",
        slug="rosters/2026-11-test",
        title="城市低保初审公示",
        summary="",
        date=None,
        report_year=None,
        draft=False,
        body=ROSTER_TABLE,
        body_line=1,
    )
    entries.append(
        Render(
            ROSTER_PATH,
            "page.html",
            Meta(page.title, (HOME_CRUMB, ("公示名单", None)), noindex=True),
            {"page": page},
            markdown=ROSTER_TABLE,
            sitemap=False,
            searchable=False,
        )
    )
    staging.mkdir(parents=True)
    write_site(entries, staging, None, {}, "", lambda: Renderer(TEMPLATE_DIR, site.config, site.today))
    return index_site(staging, [e.path for e in entries if isinstance(e, Render) and e.searchable])
