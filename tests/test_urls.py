"""The URL scheme (site_builder/urls.py): each page kind's site path, output files, absolute and
relative addresses; and that nothing else in the builder or its templates spells those paths."""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from site_builder import urls
from site_builder.render.env import make_environment

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"
PACKAGE = ROOT / "site_builder"
BASE = "https://mzj.shifan.example.gov.cn/"
SUB = "https://x.gov.cn/mzj/"  # a site under a sub-path of its host
SHEHUI_JIUZHU = "%E7%A4%BE%E4%BC%9A%E6%95%91%E5%8A%A9"  # 社会救助, UTF-8 percent-encoded


# --- the site path of each kind of page ----------------------------------------------------------


@pytest.mark.parametrize(
    "made,expected",
    [
        (lambda: urls.home(), ""),
        (lambda: urls.catalog(), "catalog/"),
        (lambda: urls.catalog("社会救助"), "catalog/社会救助/"),
        (lambda: urls.catalog("政策解读"), "catalog/政策解读/"),
        (lambda: urls.catalog(2024), "catalog/2024/"),
        (lambda: urls.catalog("2024"), "catalog/2024/"),
        (lambda: urls.policy("dibao-biaozhun-2024"), "policies/dibao-biaozhun-2024/"),
        (lambda: urls.page("guide"), "guide/"),
        (lambda: urls.page("accessibility"), "accessibility/"),
        (lambda: urls.annual_reports(), "annual-reports/"),
        (lambda: urls.annual_report(2025), "annual-reports/2025/"),
        (lambda: urls.annual_report_data(2025, "json"), "data/annual-report-2025.json"),
        (lambda: urls.guides(), "guides/"),
        (lambda: urls.guide("dibao"), "guides/dibao/"),
        (lambda: urls.standards(), "standards/"),
        (lambda: urls.standard("dibao-chengshi"), "standards/dibao-chengshi/"),
        (lambda: urls.rosters(), "rosters/"),
        (lambda: urls.roster("2026-11-中心区-城市低保"), "rosters/2026-11-中心区-城市低保/"),
        (lambda: urls.search(), "search/"),
        (lambda: urls.attachment("2024/附件1.pdf"), "files/2024/附件1.pdf"),
        (lambda: urls.static("site.css"), "static/site.css"),
        (lambda: urls.FEED, "feed.xml"),
        (lambda: urls.SITEMAP, "sitemap.xml"),
        (lambda: urls.ROBOTS, "robots.txt"),
        (lambda: urls.NOT_FOUND, "404.html"),
        (lambda: urls.STANDARDS_JSON, "data/standards.json"),
        (lambda: urls.STANDARDS_CSV, "data/standards.csv"),
        (lambda: urls.ROSTERS_SUMMARY, "data/rosters-summary.json"),
        (lambda: urls.PAGEFIND_SCRIPT, "pagefind/pagefind.js"),
    ],
)
def test_site_path_of_each_page_kind(made: Callable[[], str], expected: str) -> None:
    assert made() == expected


@pytest.mark.parametrize(
    "first,number,expected",
    [
        ("catalog/", 1, "catalog/"),
        ("catalog/", 2, "catalog/page-2/"),
        ("catalog/社会救助/", 12, "catalog/社会救助/page-12/"),
        ("rosters/2026-11-甲区-城市低保/", 3, "rosters/2026-11-甲区-城市低保/page-3/"),
    ],
)
def test_numbered_pages_of_a_list(first: str, number: int, expected: str) -> None:
    assert urls.numbered(first, number) == expected


@pytest.mark.parametrize(
    "name,reserved",
    [
        ("catalog", True),
        ("policies", True),
        ("rosters", True),
        ("standards", True),
        ("annual-reports", True),
        ("search", True),
        ("static", True),
        ("files", True),
        ("data", True),
        ("pagefind", True),
        ("pagefind-2019-2021", True),  # an older part of the search index
        ("feed.xml", True),
        ("404.html", True),
        ("guides", True),
        ("guide", False),
        ("catalogue", False),
        ("about", False),
    ],
)
def test_reserved_top_level_names(name: str, reserved: bool) -> None:
    assert urls.reserved(name) is reserved


# --- output files and back -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "path,output",
    [
        ("", "index.html"),
        ("catalog/", "catalog/index.html"),
        ("catalog/社会救助/page-2/", "catalog/社会救助/page-2/index.html"),
        ("policies/a/", "policies/a/index.html"),
        ("static/site.css", "static/site.css"),
        ("feed.xml", "feed.xml"),
        ("404.html", "404.html"),
    ],
)
def test_output_file_and_back(path: str, output: str) -> None:
    assert urls.output_file(path) == output
    assert urls.site_path(output) == path


@pytest.mark.parametrize(
    "output,path",
    [
        ("index.html", ""),
        ("policies/a/index.html", "policies/a/"),
        ("catalog/2024/index.html", "catalog/2024/"),
        ("xindex.html", "xindex.html"),  # only a file named index.html is dropped
        ("policies/a/index.htm", "policies/a/index.htm"),
        ("data/standards.json", "data/standards.json"),
    ],
)
def test_site_path_drops_index_html_only(output: str, path: str) -> None:
    assert urls.site_path(output) == path


# --- absolute addresses --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "base,path,expected",
    [
        (BASE, urls.home(), BASE),
        (BASE, urls.catalog(), BASE + "catalog/"),
        (BASE, urls.catalog("社会救助"), f"{BASE}catalog/{SHEHUI_JIUZHU}/"),
        (BASE, urls.catalog(2023), BASE + "catalog/2023/"),
        (BASE, urls.policy("a-1"), BASE + "policies/a-1/"),
        (BASE, urls.FEED, BASE + "feed.xml"),
        (SUB, urls.home(), SUB),
        (SUB, urls.standards(), "https://x.gov.cn/mzj/standards/"),
        (SUB, urls.catalog("社会救助"), f"https://x.gov.cn/mzj/catalog/{SHEHUI_JIUZHU}/"),
        (
            SUB,
            urls.roster("2026-11-甲区-城市低保"),
            "https://x.gov.cn/mzj/rosters/2026-11-%E7%94%B2%E5%8C%BA-%E5%9F%8E%E5%B8%82%E4%BD%8E%E4%BF%9D/",
        ),
        (SUB, "a b/~x_y.z-w", "https://x.gov.cn/mzj/a%20b/~x_y.z-w"),  # safe: / - . _ ~
        (SUB, "a#b?c", "https://x.gov.cn/mzj/a%23b%3Fc"),
    ],
)
def test_absolute(base: str, path: str, expected: str) -> None:
    assert urls.absolute(base, path) == expected


@pytest.mark.parametrize(
    "base,root",
    [
        (BASE, "/"),
        (SUB, "/mzj/"),
        ("https://x.gov.cn/a/b/", "/a/b/"),
        ("https://x.gov.cn/%E6%B0%91/", "/%E6%B0%91/"),  # already encoded: left as it is
        ("https://x.gov.cn/民政/", "/%E6%B0%91%E6%94%BF/"),
    ],
)
def test_root_of_base_url(base: str, root: str) -> None:
    assert urls.root(base) == root


@pytest.mark.parametrize(
    "root,target,expected",
    [
        ("/", urls.home(), "/"),
        ("/", urls.catalog(), "/catalog/"),
        ("/mzj/", urls.search(), "/mzj/search/"),
        ("/mzj/", urls.catalog("社会救助"), f"/mzj/catalog/{SHEHUI_JIUZHU}/"),
        ("/mzj/", "rosters/r/page-2/#s1-c2", "/mzj/rosters/r/page-2/#s1-c2"),
    ],
)
def test_rooted(root: str, target: str, expected: str) -> None:
    assert urls.rooted(root, target) == expected


@pytest.mark.parametrize(
    "output,expected",
    [
        ("index.html", "/"),
        ("policies/a/index.html", "/policies/a/"),
        ("guide/index.html", "/guide/"),
        ("catalog/社会救助/index.html", "/catalog/社会救助/"),
    ],
)
def test_pagefind_url(output: str, expected: str) -> None:
    assert urls.pagefind_url(urls.site_path(output)) == expected


# --- links between pages -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "target,current,expected",
    [
        ("", "index.html", "./"),
        ("", "policies/a/index.html", "../../"),
        ("", "catalog/社会救助/page-2/index.html", "../../../"),
        ("", "404.html", "./"),
        ("catalog/", "index.html", "catalog/"),
        ("catalog/", "catalog/index.html", "./"),
        ("catalog/", "catalog/page-2/index.html", "../"),
        ("catalog/page-2/", "catalog/index.html", "page-2/"),
        ("catalog/社会救助/", "policies/a/index.html", f"../../catalog/{SHEHUI_JIUZHU}/"),
        ("catalog/社会救助/", "catalog/2024/index.html", f"../{SHEHUI_JIUZHU}/"),
        ("catalog/2024/", "catalog/社会救助/page-3/index.html", "../../2024/"),
        ("policies/a/", "policies/a/index.html", "./"),
        ("policies/b/", "policies/a/index.html", "../b/"),
        ("standards/", "standards/dibao/index.html", "../"),
        ("static/site.css", "index.html", "static/site.css"),
        ("static/site.css", "policies/a/index.html", "../../static/site.css"),
        ("static/site.css", "404.html", "static/site.css"),
        ("files/附件.pdf", "policies/a/index.html", "../../files/%E9%99%84%E4%BB%B6.pdf"),
        ("rosters/r/page-2/#s1-c2", "rosters/r/index.html", "page-2/#s1-c2"),
        ("rosters/r/#s1", "rosters/r/page-2/index.html", "../#s1"),
        ("guide/", "feed.xml", "guide/"),
    ],
)
def test_relative(target: str, current: str, expected: str) -> None:
    assert urls.relative(target, current) == expected


def test_url_for_in_a_template_asks_urls() -> None:
    env = make_environment(TEMPLATES)
    template = env.from_string("{{ url_for(urls.catalog(c)) }} {{ url_for(urls.home()) }}")
    assert template.render(c="社会救助", page_path="policies/a/index.html") == f"../../catalog/{SHEHUI_JIUZHU}/ ../../"
    # 404.html is served at any address: its links start at the site root
    rooted = template.render(c="社会救助", page_path="404.html", absolute_root=urls.root(SUB))
    assert rooted == f"/mzj/catalog/{SHEHUI_JIUZHU}/ /mzj/"


def test_page_url_in_a_template_is_the_absolute_address() -> None:
    class Site:
        base_url = SUB

    template = make_environment(TEMPLATES).from_string("{{ page_url() }}")
    assert template.render(site=Site, page_path="catalog/社会救助/index.html") == f"{SUB}catalog/{SHEHUI_JIUZHU}/"
    assert template.render(site=Site, page_path="index.html") == SUB


# --- nobody else spells the scheme ---------------------------------------------------------------

SECTIONS = ("policies", "catalog", "rosters", "standards", "annual-reports", "guides", "search")
_SECTION = "(?:" + "|".join(map(re.escape, SECTIONS)) + ")/"
# a string literal (in a Jinja expression or statement) that starts with a section's folder
_TEMPLATE_PATH = re.compile("['\"]" + _SECTION)
_JINJA_CODE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.DOTALL)
_URL_FOR_LITERAL = re.compile(r"""url_for\(\s*['"]""")


def _template_files() -> list[Path]:
    return sorted(p for p in TEMPLATES.rglob("*") if p.suffix in (".html", ".xml") and p.is_file())


@pytest.mark.parametrize("template", _template_files(), ids=lambda p: p.relative_to(TEMPLATES).as_posix())
def test_templates_ask_urls_for_every_site_path(template: Path) -> None:
    text = template.read_text(encoding="utf-8")
    found = [
        code.group(0)
        for code in _JINJA_CODE.finditer(text)
        if _TEMPLATE_PATH.search(code.group(0)) or _URL_FOR_LITERAL.search(code.group(0))
    ]
    assert found == [], "site paths are spelled here; use url_for(urls.…) instead"


def test_the_template_check_finds_what_it_looks_for() -> None:
    for spelled in (
        "{{ url_for('catalog/' ~ category ~ '/') }}",
        '{{ url_for("standards/") }}',
        "{{ url_for('') }}",
        "{{ url_for('static/site.css') }}",
        '{% set items = [("catalog", "目录", "catalog/")] %}',
        "{% set x = 'policies/' ~ slug %}",
    ):
        code = _JINJA_CODE.search(spelled)
        assert code and (_TEMPLATE_PATH.search(code.group(0)) or _URL_FOR_LITERAL.search(code.group(0))), spelled
    for fine in ("{{ url_for(urls.catalog(category)) }}", '{% if current == "" %}', "{{ url_for(policy.url) }}"):
        code = _JINJA_CODE.search(fine)
        assert code and not _URL_FOR_LITERAL.search(code.group(0))
    assert not _TEMPLATE_PATH.search("{{ url_for(urls.catalog(category)) }}")


_MODULE_PATH = re.compile(_SECTION)
ALLOWED: set[tuple[str, str]] = set()  # (module, literal) pairs that may stay, each with its reason


def _path_literals(tree: ast.AST) -> list[tuple[int, str]]:
    """String literals, and the literal parts of f-strings, that begin with a section's folder."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and _MODULE_PATH.match(node.value):
            found.append((node.lineno, node.value))
    return sorted(found)


def test_no_module_but_urls_builds_a_section_path() -> None:
    found = []
    for module in sorted(PACKAGE.rglob("*.py")):
        name = module.relative_to(PACKAGE).as_posix()
        if name == "urls.py":
            continue
        for line, literal in _path_literals(ast.parse(module.read_text(encoding="utf-8"))):
            if (name, literal) not in ALLOWED:
                found.append(f"site_builder/{name}:{line}: {literal!r}")
    assert found == [], "ask site_builder.urls instead"


def test_the_module_check_finds_what_it_looks_for() -> None:
    tree = ast.parse('a = f"policies/{slug}/"\nb = "catalog/"\nc = f"{base}standards/"\nd = ("rosters/",)\n')
    assert [literal for _, literal in _path_literals(tree)] == ["policies/", "catalog/", "standards/", "rosters/"]
    harmless = ast.parse('a = "content/policies/ 中的文件"\nb = "catalog"\nc = f"写到 {root}/policies/"\n')
    assert _path_literals(harmless) == []
