"""Static Chinese full-text search: run Pagefind's extended build over the staged site.

The index is made in parts (`plan.search.Shard`, planned there): the searchable pages of a run of years each, the newest in
``pagefind/`` (which the search page loads), older ones in ``pagefind-<first year>-<last year>/``
(which it merges in, ``mergeIndex``). Pagefind's memory grows with the pages of one run (about a
third of a megabyte per Chinese page), one run uses mostly one core, and it cannot update an
index: in parts, the largest process stays small, the parts are built side by side, and an edit
rebuilds only the part that holds the page (the small newest one, usually). Parts never split a year, so that a
search sorted by date can be put together year by year.

Only pages whose ``<main>`` carries ``data-pagefind-body`` (plan entries with ``searchable=True``:
policies and free pages) are indexed. Pagefind indexes *every* page when no page carries that
attribute, so the index is checked against the plan afterwards: a page that is not searchable
(a roster, above all) in the index fails the build.

The bundled ``pagefind_extended`` binary is run directly (about a third faster than the Python
API), from a working folder of its own that holds only our ``pagefind.json`` (the exact list of
pages) and without ``PAGEFIND_*`` variables, so that no stray ``pagefind.yml`` or environment
setting can change the index. Pagefind 1.5.2 writes its filter indexes in a random order;
`pagefind_format.stabilize_filters` puts them in a fixed one, so two builds of the same site
give byte-identical bundles.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import tempfile
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from . import urls
from .pagefind_format import PagefindFormatError, read_fragment, stabilize_filters

LANGUAGE = "zh-cn"
# 〔〕 keep 文号 such as 示民发〔2023〕5号 together, / and - keep 索引号 such as …/2023-00051 together
INCLUDE_CHARACTERS = "〔〕/-"
TIMEOUT_SECONDS = 600
# Pagefind's ready-made interfaces, which the site does not use (search.js talks to pagefind.js):
# their inline styles would break the Content-Security-Policy, so they are not published at all.
UNUSED_FILES = (
    "pagefind-ui.js",
    "pagefind-ui.css",
    "pagefind-modular-ui.js",
    "pagefind-modular-ui.css",
    "pagefind-component-ui.js",
    "pagefind-component-ui.css",
    "pagefind-highlight.js",
)


class SearchIndexError(Exception):
    """The search index could not be built; the message says why, for the build log."""


@dataclass(frozen=True, slots=True)
class SearchReport:
    """What was indexed, and how long it took (Pagefind plus the checks after it)."""

    pages: int
    words: int
    seconds: float

    def summary(self) -> str:
        if self.pages == 0:
            return "搜索索引：没有可搜索的页面，未建立索引"
        return f"搜索索引：{self.pages} 个页面，{self.words} 个词（{self.seconds:.2f} 秒）"


@dataclass(frozen=True, slots=True)
class IndexedPage:
    """One page as the search index holds it (what the browser can find and show)."""

    url: str  # as Pagefind records it, from the site root: "/policies/a/"
    content: str
    meta: dict[str, str]
    filters: dict[str, list[str]]


def bundle_dirs(site_dir: Path) -> list[Path]:
    """The bundle folders of every part of the index under ``site_dir``."""
    if not site_dir.is_dir():
        return []
    return sorted(
        p
        for p in site_dir.iterdir()
        if p.is_dir() and (p.name == urls.SEARCH_INDEX or p.name.startswith(urls.SEARCH_INDEX + "-"))
    )


def find_binary() -> Path:
    """The extended Pagefind binary shipped in the ``pagefind_bin_extended`` wheel.

    The plain build cannot segment Chinese (it indexes nothing useful), so it is never a fallback.
    """
    try:
        from pagefind_bin_extended import get_executable  # type: ignore[import-untyped]
    except ImportError:
        raise SearchIndexError(
            "找不到 Pagefind 扩展版（Python 包 pagefind_bin_extended）。"
            "请运行 bash scripts/setup.sh，按 requirements.lock 安装 pagefind[extended]。"
        ) from None
    try:
        binary: Path = get_executable()
    except FileNotFoundError as exc:
        raise SearchIndexError(f"Pagefind 扩展版程序缺失：{exc}。请重新安装 pagefind[extended]。") from None
    if not os.access(binary, os.X_OK):
        raise SearchIndexError(f"Pagefind 扩展版程序不可执行：{binary}")
    return binary


def file_glob(paths: Iterable[str]) -> str:
    """A glob matching exactly ``paths``: Pagefind reads those pages and no other (the catalog
    pages beside them, thousands of roster pages at city scale)."""
    escaped = ["".join(f"[{c}]" if c in "*?[]{}," else c for c in path) for path in sorted(paths)]
    return escaped[0] if len(escaped) == 1 else "{" + ",".join(escaped) + "}"


def index_site(
    site_dir: Path, searchable: Iterable[str], binary: Path | None = None, bundle: Path | None = None
) -> SearchReport:
    """Index ``site_dir`` into ``bundle`` (by default ``site_dir/pagefind/``); ``searchable`` lists
    the output paths that may appear in the index (and should). Raises SearchIndexError with a
    readable reason.

    An incremental build indexes the published site, which already holds its new pages, into a
    bundle in its staging folder, so that the old index stays in place until the new one is checked.
    """
    bundle = (bundle or site_dir / urls.SEARCH_INDEX).resolve()
    searchable = list(searchable)
    expected = {urls.pagefind_url(urls.site_path(path)) for path in searchable}
    if not expected:  # Pagefind would index every <body>, rosters included: build no index at all
        return SearchReport(0, 0, 0.0)
    binary = binary or find_binary()
    command = [
        str(binary),
        "--site",
        str(site_dir.resolve()),
        "--output-path",
        str(bundle),
        "--force-language",
        LANGUAGE,
        "--include-characters",
        INCLUDE_CHARACTERS,
    ]
    env = {key: value for key, value in os.environ.items() if not key.startswith("PAGEFIND_")}
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="pagefind-cwd-") as cwd:  # no stray pagefind.yml can be picked up
        # The list of pages goes in a configuration file of our own, not on the command line: a
        # command-line argument is limited to 128 KB, about 2,800 page paths.
        (Path(cwd) / "pagefind.json").write_text(json.dumps({"glob": file_glob(searchable)}), encoding="utf-8")
        try:
            proc = subprocess.run(
                command, cwd=cwd, env=env, capture_output=True, text=True, timeout=TIMEOUT_SECONDS, check=False
            )
        except OSError as exc:
            raise SearchIndexError(f"无法运行 Pagefind（{binary}）：{exc.strerror or exc}") from None
        except subprocess.TimeoutExpired:
            raise SearchIndexError(f"Pagefind 建立搜索索引超过 {TIMEOUT_SECONDS} 秒，已中止") from None
    if proc.returncode != 0:
        detail = _last_lines(proc.stderr or proc.stdout)
        raise SearchIndexError(f"Pagefind 建立搜索索引失败（退出码 {proc.returncode}）：{detail}")
    if "Did not find a data-pagefind-body element" in proc.stdout:
        raise SearchIndexError("没有页面标记 data-pagefind-body，Pagefind 会索引所有页面（包括公示名单），已中止")

    for name in UNUSED_FILES:
        (bundle / name).unlink(missing_ok=True)
    try:
        stabilize_filters(bundle)  # Pagefind 1.5.2 orders filters at random
        indexed = {unquote(page.url) for page in read_bundle(bundle)}
    except (PagefindFormatError, OSError, ValueError) as exc:
        raise SearchIndexError(f"无法读取 Pagefind 生成的索引：{exc}") from None
    unexpected = sorted(indexed - expected)
    if unexpected:
        raise SearchIndexError("搜索索引中出现了不应被搜索的页面：" + "、".join(unexpected[:10]))
    missing = sorted(expected - indexed)
    if missing:
        raise SearchIndexError("以下可搜索页面没有进入搜索索引：" + "、".join(missing[:10]))
    words = re.search(r"Indexed (\d+) words?", proc.stdout)
    return SearchReport(len(indexed), int(words.group(1)) if words else 0, time.perf_counter() - started)


def read_index(site_dir: Path) -> Iterator[IndexedPage]:
    """Every page in the built index, read back from Pagefind's fragment files.

    For checks over what search can reveal: the index holds each page's full text, which the
    browser fetches with the results (the personal-data gate can read it from here too).
    """
    for bundle in bundle_dirs(site_dir):
        yield from read_bundle(bundle)


def read_bundle(bundle: Path) -> Iterator[IndexedPage]:
    """Every page in the Pagefind bundle folder ``bundle``."""
    for fragment in sorted((bundle / "fragment").glob("*.pf_fragment")):
        data = read_fragment(fragment)
        yield IndexedPage(
            url=data["url"],
            content=data.get("content", ""),
            meta=dict(data.get("meta", {})),
            filters={k: list(v) for k, v in data.get("filters", {}).items()},
        )


def _last_lines(text: str, count: int = 5) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return " ".join(lines[-count:]) or "（没有输出）"
