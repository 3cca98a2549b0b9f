"""Every internal link of the built site resolves: each href/src to a file (folders to their
index.html) and each fragment to an id; at the root and under a sub-path."""

from __future__ import annotations

from pathlib import Path

from linkcheck import check_links, site_links


def test_every_internal_link_of_the_sample_site_resolves(sample_output: Path) -> None:
    links = site_links(sample_output)
    assert len(links) > 1000  # the checker sees the whole site
    assert check_links(sample_output, base_path="/xxgk/") == []  # the sample is the portal's /xxgk/ column


def test_every_internal_link_resolves_under_a_sub_path(subpath_output: Path) -> None:
    assert check_links(subpath_output, base_path="/sub/") == []
    # 404.html is served at any URL, so it links by absolute path from the base path
    absolute = [link.url for link in site_links(subpath_output) if link.page == "404.html" and link.url.startswith("/")]
    assert absolute and all(url.startswith("/sub/") for url in absolute)


def test_only_404_uses_absolute_paths(sample_output: Path) -> None:
    absolute = {link.page for link in site_links(sample_output) if link.url.startswith("/")}
    assert absolute <= {"404.html"}


def test_the_checker_finds_broken_links_and_fragments(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "index.html").write_text(
        '<a href="a/">ok</a><a href="a">folder without slash</a><a href="b/">missing</a>'
        '<a href="a/#here">id ok</a><a href="a/#nowhere">bad fragment</a><a href="#top">top</a>'
        '<a href="../up.html">out of the site</a><a href="https://example.org/x">external</a>'
        '<img src="static/x.png" alt=""><a href="/elsewhere/">absolute outside</a>',
        encoding="utf-8",
    )
    (tmp_path / "a" / "index.html").write_text('<p id="here">here</p>', encoding="utf-8")
    problems = check_links(tmp_path, base_path="/sub/")
    assert len(problems) == 6, problems
    for fragment in ("'a'", "'b/'", "'a/#nowhere'", "'../up.html'", "'static/x.png'", "'/elsewhere/'"):
        assert any(fragment in p for p in problems), fragment
