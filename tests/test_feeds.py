"""feed.xml (Atom), sitemap.xml and robots.txt: valid XML, absolute URLs from base_url, every
public page and no roster; at the root and under a sub-path (--base-url)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from datetime import date
from pathlib import Path
from urllib.parse import quote

import pytest
from conftest import TODAY, policy_md, run_cli, soup

BASE = "https://mzj.shifan.example.gov.cn/xxgk/"  # base_url of content/site.yaml
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$")


def policy_pages(out: Path) -> dict[str, dict[str, str]]:
    """What each built policy page shows: url → title, published date, publisher."""
    found = {}
    for path in sorted((out / "policies").glob("*/index.html")):
        page = soup(path)
        table = {
            row.th.get_text(strip=True): row.td.get_text(strip=True)
            for row in page.find("table", class_="meta-table").find_all("tr")
        }
        found[f"policies/{path.parent.name}/"] = {
            "title": page.h1.get_text(strip=True),
            "published": page.select_one(".article-dates time")["datetime"],
            "publisher": table["发布机构"],
        }
    return found


def public_pages(out: Path) -> set[str]:
    """Site paths of every HTML page a search engine may list: not 404, no roster, no noindex."""
    pages = set()
    for path in out.rglob("*.html"):
        rel = path.relative_to(out).as_posix()
        if rel == "404.html" or rel.startswith("rosters/"):
            continue
        if soup(path).find("meta", attrs={"name": "robots", "content": re.compile("noindex")}):
            continue
        pages.add(rel.removesuffix("index.html"))
    return pages


def absolute(path: str, base: str = BASE) -> str:
    return base + quote(path, safe="/-._~")


# --- feed.xml ---------------------------------------------------------------------------------


def test_feed_is_atom_with_the_latest_20_policies_newest_first(sample_output: Path) -> None:
    feed = ET.parse(sample_output / "feed.xml").getroot()
    assert feed.tag == f"{ATOM}feed"
    policies = policy_pages(sample_output)
    assert len(policies) > 20
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 20
    dates = [e.findtext(f"{ATOM}updated", "")[:10] for e in entries]
    assert dates == sorted(dates, reverse=True)
    newest = sorted((p["published"] for p in policies.values()), reverse=True)
    assert dates == newest[:20]
    links = [e.find(f"{ATOM}link").get("href") for e in entries]  # type: ignore[union-attr]
    assert len(set(links)) == 20
    # every policy newer than the oldest one in the feed is in it
    expected = {absolute(url) for url, p in policies.items() if p["published"] > dates[-1]}
    assert expected <= set(links)


def test_feed_entries_say_what_the_pages_say(sample_output: Path) -> None:
    feed = ET.parse(sample_output / "feed.xml").getroot()
    policies = {absolute(url): p for url, p in policy_pages(sample_output).items()}
    for entry in feed.findall(f"{ATOM}entry"):
        link = entry.find(f"{ATOM}link")
        assert link is not None and link.get("rel") == "alternate"
        href = link.get("href", "")
        page = policies[href]  # an absolute URL of a built policy page
        assert entry.findtext(f"{ATOM}id") == href
        assert entry.findtext(f"{ATOM}title") == page["title"]
        updated = entry.findtext(f"{ATOM}updated", "")
        assert RFC3339.match(updated) and updated[:10] == page["published"]
        assert entry.findtext(f"{ATOM}author/{ATOM}name") == page["publisher"]
        assert (entry.findtext(f"{ATOM}summary") or "").strip()
        assert entry.find(f"{ATOM}category") is not None


def test_feed_header(sample_output: Path) -> None:
    feed = ET.parse(sample_output / "feed.xml").getroot()
    assert feed.findtext(f"{ATOM}id") == BASE
    assert feed.findtext(f"{ATOM}title")
    self_link = [l for l in feed.findall(f"{ATOM}link") if l.get("rel") == "self"]
    assert [l.get("href") for l in self_link] == [f"{BASE}feed.xml"]
    updated = feed.findtext(f"{ATOM}updated", "")
    assert RFC3339.match(updated)
    assert updated == max(e.findtext(f"{ATOM}updated", "") for e in feed.findall(f"{ATOM}entry"))
    assert feed.findtext(f"{ATOM}author/{ATOM}name") == "示范市民政局"
    # every page announces the feed
    home = soup(sample_output / "index.html")
    assert home.find("link", rel="alternate", type="application/atom+xml")["href"] == "feed.xml"


def test_feed_escapes_markup_in_titles_and_summaries(content: Callable[..., Path]) -> None:
    root = content(
        {
            "policies/a.md": policy_md(title="'关于 A&B <试点> 的通知'", summary="'含 & 与 <b>标记</b> 的概述'"),
        }
    )
    out = root.parent / "out"
    assert run_cli("build", "--content", str(root), "--out", str(out), "--today", TODAY).code == 0
    entry = ET.parse(out / "feed.xml").getroot().find(f"{ATOM}entry")
    assert entry is not None
    assert entry.findtext(f"{ATOM}title") == "关于 A&B <试点> 的通知"
    assert entry.findtext(f"{ATOM}summary") == "含 & 与 <b>标记</b> 的概述"


def test_feed_of_a_site_without_policies_is_valid(content: Callable[..., Path]) -> None:
    root = content({"pages/about.md": "---\ntitle: 关于本站\n---\n本站介绍。\n"})
    out = root.parent / "out"
    result = run_cli("build", "--content", str(root), "--out", str(out), "--today", TODAY)
    assert result.code == 0, result.err
    feed = ET.parse(out / "feed.xml").getroot()
    assert feed.findall(f"{ATOM}entry") == []
    assert feed.findtext(f"{ATOM}updated", "").startswith(TODAY)


# --- sitemap.xml and robots.txt ---------------------------------------------------------------


@pytest.mark.slow
def test_sitemap_lists_every_public_page_with_lastmod_and_no_roster(sample_output: Path) -> None:
    urlset = ET.parse(sample_output / "sitemap.xml").getroot()
    assert urlset.tag == f"{SITEMAP}urlset"
    urls = {u.findtext(f"{SITEMAP}loc"): u.findtext(f"{SITEMAP}lastmod") for u in urlset.findall(f"{SITEMAP}url")}
    assert len(urls) == len(urlset.findall(f"{SITEMAP}url"))  # no duplicates
    assert set(urls) == {absolute(path) for path in public_pages(sample_output)}
    assert f"{BASE}search/" in urls and f"{BASE}catalog/" in urls and BASE in urls
    for loc, lastmod in urls.items():
        assert "rosters" not in loc and "404" not in loc
        assert lastmod and date.fromisoformat(lastmod) <= date.fromisoformat(TODAY), loc
    for url, page in policy_pages(sample_output).items():
        assert urls[absolute(url)] == page["published"]


def test_no_roster_page_anywhere_in_sitemap_or_feed(sample_output: Path) -> None:
    rosters = sorted((sample_output / "rosters").rglob("*.html")) if (sample_output / "rosters").exists() else []
    for path in rosters:  # roster pages say noindex themselves
        assert soup(path).find("meta", attrs={"name": "robots", "content": "noindex"}), path
    for name in ("sitemap.xml", "feed.xml"):
        assert "rosters/" not in (sample_output / name).read_text(encoding="utf-8")


def test_robots_txt(sample_output: Path) -> None:
    assert (sample_output / "robots.txt").read_text(encoding="utf-8") == (
        f"User-agent: *\nDisallow: /xxgk/rosters/\n\nSitemap: {BASE}sitemap.xml\n"
    )


# --- under a sub-path ---------------------------------------------------------------------------


def test_base_url_option_moves_every_absolute_url(subpath_output: Path) -> None:
    base = "https://example.gov.cn/sub/"
    feed = ET.parse(subpath_output / "feed.xml").getroot()
    hrefs = [l.get("href", "") for l in feed.iter(f"{ATOM}link")] + [feed.findtext(f"{ATOM}id", "")]
    assert hrefs and all(h.startswith(base) for h in hrefs)
    locs = [u.text or "" for u in ET.parse(subpath_output / "sitemap.xml").getroot().iter(f"{SITEMAP}loc")]
    assert locs and all(loc.startswith(base) for loc in locs)
    assert f"{base}catalog/{quote('社会救助')}/" in locs
    assert (subpath_output / "robots.txt").read_text(encoding="utf-8") == (
        f"User-agent: *\nDisallow: /sub/rosters/\n\nSitemap: {base}sitemap.xml\n"
    )
    not_found = soup(subpath_output / "404.html")
    assert {a["href"] for a in not_found.select("main a")} >= {"/sub/", "/sub/catalog/", "/sub/search/"}


def test_a_base_url_with_chinese_in_its_path_gives_valid_addresses(
    content: Callable[..., Path], tmp_path: Path
) -> None:
    """Feed readers and search engines take only ASCII addresses: the base's path is encoded
    once, in the feed, the sitemap, robots.txt and the printed address of a page."""
    root = content({"policies/2024/a.md": policy_md()})
    out = tmp_path / "output"
    done = run_cli(
        "build", "--content", str(root), "--out", str(out), "--today", TODAY, "--base-url", "https://x.gov.cn/民政"
    )
    assert done.code == 0, done.err
    base = "https://x.gov.cn/%E6%B0%91%E6%94%BF/"
    feed = ET.parse(out / "feed.xml").getroot()
    hrefs = [link.get("href", "") for link in feed.iter(f"{ATOM}link")] + [feed.findtext(f"{ATOM}id", "")]
    locs = [u.text or "" for u in ET.parse(out / "sitemap.xml").getroot().iter(f"{SITEMAP}loc")]
    assert hrefs and locs and all(url.startswith(base) and url.isascii() for url in hrefs + locs)
    assert "Disallow: /%E6%B0%91%E6%94%BF/rosters/" in (out / "robots.txt").read_text(encoding="utf-8")
    printed = soup(out / "policies" / "a" / "index.html").select_one(".print-only")
    assert printed is not None and f"{base}policies/a/" in printed.get_text()
