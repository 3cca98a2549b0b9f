"""The model: every source loaded, cross-checked, and reduced to what is published today.

Rules that need more than one file live here (unique 索引号 and slugs, superseded_by targets,
pages that would collide with the site's own sections). Later phases read only this model.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from .config import SiteConfig
from .problems import Problems
from .sources.pages import Page
from .sources.policies import Policy

RESERVED = frozenset(
    {"policies", "catalog", "standards", "rosters", "search", "static", "files", "data",
     "annual-reports", "pagefind", "feed.xml", "sitemap.xml", "robots.txt", "404.html"}
)


@dataclass(frozen=True, slots=True)
class Site:
    config: SiteConfig
    today: date
    policies: tuple[Policy, ...]  # published, newest first
    pages: tuple[Page, ...]  # published, by slug
    withheld: tuple[str, ...]  # human-readable notes on sources left out, for the build log
    standards: tuple[Any, ...] = ()
    rosters: tuple[Any, ...] = ()

    @property
    def policies_by_slug(self) -> dict[str, Policy]:
        return {p.slug: p for p in self.policies}

    @property
    def pages_by_slug(self) -> dict[str, Page]:
        return {p.slug: p for p in self.pages}

    @property
    def annual_reports(self) -> tuple[Page, ...]:
        reports = [p for p in self.pages if p.report_year is not None]
        return tuple(sorted(reports, key=lambda p: p.report_year or 0, reverse=True))

    def policy_years(self) -> list[int]:
        return sorted({p.year for p in self.policies}, reverse=True)


def policy_sort_key(policy: Policy) -> tuple[date, date, str, str]:
    return (policy.date, policy.published, policy.index_no, policy.slug)


def build_model(
    config: SiteConfig,
    policies: list[Policy],
    pages: list[Page],
    today: date,
    problems: Problems,
    *,
    drafts: bool = False,
) -> Site:
    """Cross-check all sources and keep what is published on ``today``."""
    display = problems.rel
    first_index: dict[str, Policy] = {}
    first_slug: dict[str, str] = {}
    for policy in sorted(policies, key=lambda p: display(p.source)):
        if policy.index_no:
            other = first_index.get(policy.index_no)
            if other is not None:
                problems.error(
                    policy.source, policy.line("index_no"),
                    f"索引号 {policy.index_no} 重复：{display(other.source)}:{other.line('index_no')} 已使用",
                )
            else:
                first_index[policy.index_no] = policy
        other_path = first_slug.get(policy.slug)
        if other_path is not None:
            problems.error(
                policy.source, policy.line("slug"),
                f"slug “{policy.slug}” 重复：{other_path} 已使用，两者会写到同一网址",
            )
        else:
            first_slug[policy.slug] = display(policy.source)

    all_slugs = {p.slug for p in policies}
    for policy in policies:
        if policy.superseded_by:
            if policy.superseded_by not in all_slugs:
                problems.error(
                    policy.source, policy.line("superseded_by"),
                    f"替代文件 “{policy.superseded_by}” 不存在（应为另一政策文件的 slug）",
                )
            elif policy.superseded_by == policy.slug:
                problems.error(policy.source, policy.line("superseded_by"), "替代文件不能是其自身")
        if policy.status == "有效" and policy.superseded_by:
            problems.warning(
                policy.source, policy.line("status"),
                "已填写替代文件，但有效性仍为“有效”；被替代的文件通常应标为“废止”或“失效”",
            )

    page_slugs: dict[str, str] = {}
    for page in pages:
        if page.slug in RESERVED:
            problems.error(page.source, 1, f"页面 slug “{page.slug}” 与网站栏目重名，请换一个")
        elif page.slug in page_slugs:
            problems.error(page.source, 1, f"页面 slug “{page.slug}” 重复：{page_slugs[page.slug]} 已使用")
        else:
            page_slugs[page.slug] = display(page.source)

    withheld: list[str] = []
    published = []
    for policy in policies:
        reason = _withhold_reason(policy, today, drafts)
        if reason:
            withheld.append(f"{display(policy.source)}：{reason}")
        else:
            published.append(policy)
    published.sort(key=policy_sort_key, reverse=True)
    public_pages = sorted((p for p in pages if drafts or not p.draft), key=lambda p: p.slug)
    return Site(config, today, tuple(published), tuple(public_pages), tuple(withheld))


def _withhold_reason(policy: Policy, today: date, drafts: bool) -> str:
    if policy.draft and not drafts:
        return "草稿，未发布（加 --drafts 预览）"
    if policy.disclosure != "主动公开":
        return f"公开方式为“{policy.disclosure}”，不在网站发布"
    if policy.published > today:
        return f"发布日期 {policy.published} 尚未到"
    return ""
