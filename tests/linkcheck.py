"""A link checker over a built site: every internal href/src resolves to a file, every fragment
to an id. Used by tests/test_links.py and the sub-path tests in tests/browser/."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup

# (tag, attribute) pairs that load or link to something
LINK_ATTRIBUTES = (
    ("a", "href"),
    ("area", "href"),
    ("link", "href"),
    ("script", "src"),
    ("img", "src"),
    ("source", "src"),
    ("iframe", "src"),
    ("form", "action"),
    ("video", "src"),
    ("audio", "src"),
)
EXTERNAL_SCHEMES = ("http", "https", "mailto", "tel")


@dataclass(frozen=True)
class Link:
    page: str  # site path of the HTML file holding it, e.g. "policies/a/index.html"
    tag: str
    url: str


def site_links(root: Path) -> list[Link]:
    """Every link-like attribute of every HTML file under ``root``."""
    links = []
    for path in sorted(root.rglob("*.html")):
        page = path.relative_to(root).as_posix()
        doc = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        for tag, attribute in LINK_ATTRIBUTES:
            for element in doc.find_all(tag):
                value = element.get(attribute)
                if value is not None:
                    links.append(Link(page, tag, str(value)))
    return links


def element_ids(path: Path) -> set[str]:
    doc = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    return {str(el["id"]) for el in doc.find_all(id=True)} | {
        str(a["name"]) for a in doc.find_all("a", attrs={"name": True})
    }


def target_file(root: Path, site_path: str) -> Path | None:
    """The file a site path is served from (folders by their index.html), or None."""
    if site_path == "" or site_path.endswith("/"):
        candidate = root / site_path / "index.html"
    else:
        candidate = root / site_path
    return candidate if candidate.is_file() else None


def check_links(root: Path, base_path: str = "/") -> list[str]:
    """Problems with the internal links of the site in ``root``, deployed under ``base_path``.

    Relative links resolve against the page; absolute paths (``/sub/catalog/``, as 404.html
    uses) must lie under ``base_path``. External http(s), mailto and tel links are not fetched.
    """
    problems: list[str] = []
    ids: dict[Path, set[str]] = {}
    for link in site_links(root):
        where = f"{link.page}: <{link.tag}> {link.url!r}"
        parts = urlsplit(link.url)
        if parts.scheme in EXTERNAL_SCHEMES:
            continue
        if parts.scheme or parts.netloc:
            problems.append(f"{where}: not a local link (scheme {parts.scheme!r})")
            continue
        if link.url == "" or link.url == "#":
            problems.append(f"{where}: empty link")
            continue
        path = unquote(parts.path)
        if path.startswith("/"):
            if not path.startswith(base_path):
                problems.append(f"{where}: absolute path outside the site's base path {base_path}")
                continue
            site_path = path[len(base_path) :]
        elif path == "":
            site_path = link.page
        else:
            joined = posixpath.normpath(posixpath.join(posixpath.dirname(link.page), path))
            if joined.startswith(".."):
                problems.append(f"{where}: leads out of the site")
                continue
            site_path = "" if joined == "." else joined + ("/" if path.endswith("/") else "")
        target = target_file(root, site_path)
        if target is None:
            hint = " (a folder: link to it with a trailing /)" if (root / site_path).is_dir() else ""
            problems.append(f"{where}: {site_path or '/'} does not exist{hint}")
            continue
        fragment = unquote(parts.fragment)
        if fragment and target.suffix == ".html":
            if target not in ids:
                ids[target] = element_ids(target)
            # "#top" scrolls to the top of any page (HTML: "indicated part of the document")
            if fragment not in ids[target] and fragment.lower() != "top":
                problems.append(f"{where}: no element with id {fragment!r} in {site_path or '/'}")
    return problems
