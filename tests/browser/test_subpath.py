"""The site deployed under a sub-path (--base-url https://example.gov.cn/sub/), served under
/sub/ on 127.0.0.1 and fetched over HTTP (no browser needed): 404.html's absolute links and the
links of a few pages all answer 200."""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from linkcheck import LINK_ATTRIBUTES

from .conftest import ServedSite

PAGES = ["", "catalog/", "catalog/社会救助/", "policies/binzang-huimin-zhengce/", "search/", "guide/", "404.html"]


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if (tag, name) in LINK_ATTRIBUTES and value:
                self.links.append(value)


def fetch(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def links_of(body: bytes) -> list[str]:
    parser = _Links()
    parser.feed(body.decode("utf-8"))
    return parser.links


@pytest.fixture
def site(served_site: Callable[..., ServedSite], subpath_output: Path) -> ServedSite:
    return served_site(subpath_output, "/sub/")


def internal(base: str, page_url: str, link: str) -> str | None:
    """The absolute URL of ``link`` if it leads to another document on this server, else None."""
    if link.startswith("#"):  # same document
        return None
    url = urljoin(page_url, link).split("#")[0]
    return url if urlsplit(url).netloc == urlsplit(base).netloc else None


def test_404_page_links_work_from_any_depth(site: ServedSite) -> None:
    for missing in ("no-such-page/", "policies/gone/deeper/", "catalog/不存在/"):
        url = site.url_for(missing)
        status, body = fetch(url)
        assert status == 404 and "页面未找到".encode() in body
        links = links_of(body)
        assert any(link.startswith("/sub/static/") for link in links)
        for link in links:
            target = internal(site.url, url, link)
            if target:
                assert urlsplit(target).path.startswith("/sub/"), link
                assert fetch(target)[0] == 200, f"{missing}: {link}"


@pytest.mark.parametrize("path", PAGES)
def test_every_link_of_a_page_answers(site: ServedSite, path: str) -> None:
    url = site.url_for(path)
    status, body = fetch(url)
    assert status == 200
    targets = {t for link in links_of(body) if (t := internal(site.url, url, link))}
    assert targets
    for target in sorted(targets):
        assert urlsplit(target).path.startswith("/sub/"), target
        assert fetch(target)[0] == 200, f"{path}: {target}"


def test_outside_the_sub_path_is_not_found(site: ServedSite) -> None:
    root = site.url[: -len("sub/")]
    assert fetch(root + "index.html")[0] == 404
    assert fetch(site.url_for("feed.xml"))[0] == 200
    assert fetch(site.url_for("pagefind/pagefind.js"))[0] == 200
