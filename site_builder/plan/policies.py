"""Plan entries for policies, the catalog (政府信息公开目录), free pages and the home page."""

from __future__ import annotations

from .. import urls
from ..site import Site
from ..sources.policies import Policy
from . import HOME_CRUMB, Copy, Entry, Meta, Render, article_meta, columns, paginate, statutory_links
from .guides import citing

CATALOG_COLUMN = columns.column(
    "政府信息公开目录",
    "法定主动公开内容：按组配分类和年份排列的政府信息公开目录",
    "政府信息公开,信息公开目录,政策文件",
    columns.CATALOG,
)
CATALOG_CRUMB = ("政府信息公开目录", urls.catalog())


def plan_policies(site: Site) -> list[Entry]:
    by_slug = site.policies_by_slug
    # who replaces whom, in one pass: searching all policies for each one was quadratic (4 million
    # comparisons, the most of plan_site, for a city's 2,000 policies)
    replaced: dict[str, list[Policy]] = {}
    for policy in site.policies:
        if policy.superseded_by:
            replaced.setdefault(policy.superseded_by, []).append(policy)
    cited_by = citing(site.guides, "basis")
    entries: list[Entry] = []
    for policy in site.policies:
        replacing = replaced.get(policy.slug, [])
        entries.append(
            Render(
                urls.output_file(policy.url),
                "policy.html",
                Meta(
                    policy.title,
                    (HOME_CRUMB, CATALOG_CRUMB, (policy.category, urls.catalog(policy.category)), (policy.title, None)),
                    column=CATALOG_COLUMN | {"ColumnName": policy.category},
                    article=article_meta(
                        policy.title, policy.published, policy.publisher, policy.keywords, policy.summary
                    ),
                    description=policy.summary,
                    nav="catalog",
                    speech=True,
                ),
                {
                    "policy": policy,
                    "superseded_by": by_slug.get(policy.superseded_by),
                    "replaces": replacing,
                    "guides": cited_by.get(policy.slug, []),  # 相关办事指南
                },
                markdown=policy.body,
                searchable=True,
                lastmod=policy.published,
                dated=policy.date,
                source=policy.source,
                body_line=policy.body_line,
            )
        )
        for attachment in policy.attachments:
            entries.append(Copy(urls.attachment(attachment.file), site.config.content_dir / "files" / attachment.file))
    # two policies may share an attachment: copy it once
    seen: set[str] = set()
    unique: list[Entry] = []
    for entry in entries:
        if entry.path not in seen:
            seen.add(entry.path)
            unique.append(entry)
    return unique


def plan_catalog(site: Site) -> list[Entry]:
    size = site.config.page_size
    by_category: dict[str, list[Policy]] = {}
    by_year: dict[int, list[Policy]] = {}
    for policy in site.policies:  # one pass, newest first within each group as in site.policies
        by_category.setdefault(policy.category, []).append(policy)
        by_year.setdefault(policy.year, []).append(policy)
    categories = [(c, by_category.get(c, [])) for c in site.config.categories]
    years = [(y, by_year[y]) for y in site.policy_years()]
    facets = {
        "categories": [(c, len(ps)) for c, ps in categories],
        "years": [(y, len(ps)) for y, ps in years],
        "statutory": statutory_links(site),
    }
    entries: list[Entry] = []

    def listing(
        policies: list[Policy], base: str, heading: str, crumbs: tuple[tuple[str, str | None], ...], current: str
    ) -> None:
        for items, pagination, path in paginate(policies, size, base):
            title = heading if pagination.number == 1 else f"{heading}（第 {pagination.number} 页）"
            entries.append(
                Render(
                    path,
                    "catalog.html",
                    Meta(title, crumbs, column=CATALOG_COLUMN | {"ColumnName": heading}, nav="catalog"),
                    {
                        "heading": heading,
                        "policies": items,
                        "total": len(policies),
                        "pagination": pagination,
                        "facets": facets,
                        "current": current,
                        "first_index": (pagination.number - 1) * size,
                    },
                    lastmod=items[0].published if items else None,
                )
            )

    listing(list(site.policies), urls.catalog(), "政府信息公开目录", (HOME_CRUMB, ("政府信息公开目录", None)), "")
    for category, policies in categories:
        listing(policies, urls.catalog(category), category, (HOME_CRUMB, CATALOG_CRUMB, (category, None)), category)
    for year, policies in years:
        listing(policies, urls.catalog(year), f"{year}年", (HOME_CRUMB, CATALOG_CRUMB, (f"{year}年", None)), str(year))
    return entries


def plan_pages(site: Site) -> list[Entry]:
    entries: list[Entry] = []
    nav_for = {"guide": "guide", "system": "system"}
    for page in site.pages:
        crumbs: tuple[tuple[str, str | None], ...] = (HOME_CRUMB, (page.title, None))
        nav = nav_for.get(page.slug, "")
        column_type = columns.PAGE_COLUMNS.get(page.slug, columns.SITE_INFO)
        if page.report_year is not None:
            column_type = columns.REPORTS
            crumbs = (HOME_CRUMB, ("政府信息公开年报", urls.annual_reports()), (page.title, None))
            nav = "reports"
        article = (
            article_meta(page.title, page.date, site.config.publisher_name, (), page.summary) if page.date else None
        )
        entries.append(
            Render(
                urls.output_file(page.url),
                "page.html",
                Meta(
                    page.title,
                    crumbs,
                    article=article,
                    description=page.summary,
                    nav=nav,
                    column=columns.column(page.title, page.summary or page.title, page.title, column_type),
                ),
                {"page": page},
                markdown=page.body,
                searchable=True,
                lastmod=page.date,
                dated=page.date,
                source=page.source,
                body_line=page.body_line,
            )
        )
    return entries
