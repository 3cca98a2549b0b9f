"""What lists the rest of the site: ``feed.xml`` (Atom), ``sitemap.xml`` and ``robots.txt``.

Planned last, from the entries planned before them. Unlike page links (relative, so the site
works at any path), these hold absolute URLs made from ``base_url``: feed readers and crawlers
need them. The XML is written by templates (``feed.xml``, ``sitemap.xml``, autoescaped), never
by string concatenation.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from .. import urls
from ..site import Site
from ..sources.policies import Policy
from . import Entry, Meta, Render, Text

FEED_SIZE = 20
NOT_CRAWLED = (urls.rosters(),)  # personal data: robots.txt keeps crawlers out (the pages say noindex too)
TIMEZONE = "+08:00"  # dates on the site are Beijing dates
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True, slots=True)
class FeedEntry:
    id: str
    title: str
    link: str
    published: str  # RFC 3339
    updated: str
    author: str
    category: str
    summary: str


@dataclass(frozen=True, slots=True)
class Feed:
    id: str
    title: str
    subtitle: str
    home: str
    self_url: str
    updated: str
    author: str
    entries: tuple[FeedEntry, ...]


@dataclass(frozen=True, slots=True)
class SitemapUrl:
    loc: str
    lastmod: str  # YYYY-MM-DD


def xml_text(text: str) -> str:
    """Drop the few characters XML 1.0 cannot carry at all (escaping is the template's job)."""
    return _XML_ILLEGAL.sub("", text)


def rfc3339(day: date) -> str:
    return f"{day.isoformat()}T00:00:00{TIMEZONE}"


def feed_policies(policies: Sequence[Policy]) -> list[Policy]:
    """The latest FEED_SIZE policies, newest published first (ties: date, 索引号, slug, newest first)."""
    ordered = sorted(policies, key=lambda p: (p.published, p.date, p.index_no, p.slug), reverse=True)
    return ordered[:FEED_SIZE]


def plan_feed(site: Site) -> Entry:
    config = site.config
    base = config.base_url
    entries = []
    for policy in feed_policies(site.policies):
        link = urls.absolute(base, policy.url)
        summary = policy.summary or "；".join(
            part
            for part in (
                f"文件编号：{policy.doc_no}" if policy.doc_no else "",
                f"组配分类：{policy.category}",
                f"发文日期：{policy.date.isoformat()}",
            )
            if part
        )
        entries.append(
            FeedEntry(
                id=link,
                title=xml_text(policy.title),
                link=link,
                published=rfc3339(policy.published),
                updated=rfc3339(policy.published),
                author=xml_text(policy.publisher),
                category=policy.category,
                summary=xml_text(summary),
            )
        )
    updated = max((p.published for p in site.policies), default=site.today)
    feed = Feed(
        id=base,
        title=xml_text(f"{config.title}：最新政策文件"),
        subtitle=xml_text(f"{config.publisher_name}最新发布的 {FEED_SIZE} 件政策文件"),
        home=base,
        self_url=urls.absolute(base, urls.FEED),
        updated=rfc3339(updated),
        author=xml_text(config.publisher_name),
        entries=tuple(entries),
    )
    return Render(urls.FEED, "feed.xml", Meta(feed.title, ()), {"feed": feed}, sitemap=False)


def sitemap_urls(site: Site, entries: Sequence[Entry]) -> list[SitemapUrl]:
    """Every public HTML page of the plan, in plan order, each with its last change.

    A page without a date of its own (the search page, a free page without ``date``) gets the
    newest date of any page: the last time the site's content changed. Never the build time,
    which would make two builds of the same content differ.
    """
    pages = [
        e
        for e in entries
        if isinstance(e, Render)
        and e.sitemap
        and not e.meta.noindex
        and e.path.endswith(".html")
        and not e.path.startswith(NOT_CRAWLED)
    ]
    newest = max((e.lastmod for e in pages if e.lastmod is not None), default=site.today)
    return [
        SitemapUrl(urls.absolute(site.config.base_url, urls.site_path(e.path)), (e.lastmod or newest).isoformat())
        for e in pages
    ]


def plan_sitemap(site: Site, entries: Sequence[Entry]) -> Entry:
    pages = sitemap_urls(site, entries)
    return Render(urls.SITEMAP, "sitemap.xml", Meta("sitemap", ()), {"pages": pages}, sitemap=False)


def plan_robots(site: Site) -> Entry:
    base = site.config.base_url
    root = urls.root(base)
    lines = ["User-agent: *"]
    lines += [f"Disallow: {urls.rooted(root, path)}" for path in NOT_CRAWLED]
    lines += ["", f"Sitemap: {urls.absolute(base, urls.SITEMAP)}"]
    return Text(urls.ROBOTS, "\n".join(lines) + "\n")


def plan_feeds(site: Site, entries: Sequence[Entry]) -> list[Entry]:
    """The feed, the sitemap and robots.txt; ``entries`` is everything planned before them."""
    return [plan_feed(site), plan_sitemap(site, entries), plan_robots(site)]
