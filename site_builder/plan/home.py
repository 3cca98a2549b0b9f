"""The home page: latest policies, and what each kind of content shows at a glance."""

from __future__ import annotations

from .. import urls
from ..site import Site
from . import Entry, Meta, Render, columns, statutory_links
from .standards import home_standards


def plan_home(site: Site) -> list[Entry]:
    counts = {c: 0 for c in site.config.categories}
    for policy in site.policies:
        counts[policy.category] = counts.get(policy.category, 0) + 1
    return [
        Render(
            urls.output_file(urls.home()),
            "home.html",
            Meta(
                site.config.title,
                (("首页", None),),
                column=columns.column(
                    columns.HOME,
                    site.config.description or site.config.title,
                    "政府信息公开,政府信息公开指南,法定主动公开内容,政府信息公开年报",
                    columns.HOME,
                ),
                description=site.config.description,
                nav="home",
            ),
            {
                "latest": site.policies[:8],
                "category_counts": counts,
                "years": site.policy_years(),
                "rosters": site.rosters,
                "standards": home_standards(site),
                "statutory": statutory_links(site),
                "guides": site.guides,
            },
            lastmod=site.policies[0].published if site.policies else None,
        )
    ]
