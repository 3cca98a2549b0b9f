"""The build, stage by stage: load → validate → model → plan → render/write → search index →
manifest → swap.

Nothing touches the output folder until every source has loaded and passed every check, and
the new site replaces the old one only when it has been written in full.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Callable

from .config import load_config
from .manifest import write_manifest
from .plan import Render, plan_site
from .privacy.gate import check_sources, gate_entries, gate_output
from .problems import ContentError, Problems
from .render.renderer import Renderer
from .search import index_site
from .site import Site, build_model
from .sources.pages import load_pages
from .sources.policies import load_policies
from .sources.rosters import load_rosters
from .sources.standards import load_standards
from .write import StagingDir, write_entries

Log = Callable[[str], None]
TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "templates"


@dataclass(frozen=True, slots=True)
class Options:
    content_dir: Path
    out_dir: Path
    today: date
    drafts: bool = False
    strict: bool = False
    jobs: int = 1
    base_url: str | None = None
    template_dir: Path = TEMPLATE_DIR


@dataclass(frozen=True, slots=True)
class Report:
    site: Site
    files: int
    seconds: float
    problems: Problems


def load_site(options: Options, log: Log) -> tuple[Site, Problems]:
    """Load, validate and model every source. Raises ContentError listing every problem."""
    problems = Problems(display_root=options.content_dir.resolve().parent)
    config = load_config(options.content_dir, problems, options.base_url)
    problems.raise_if_errors(options.strict)
    assert config is not None
    policies = load_policies(config, problems)
    pages = load_pages(config, problems)
    standards = load_standards(config, problems)
    rosters = load_rosters(config, problems)
    site = build_model(
        config, policies, pages, options.today, problems, drafts=options.drafts, standards=standards,
        rosters=rosters,
    )
    check_sources(site, problems)  # the personal-data gate over every source that would be published
    problems.raise_if_errors(options.strict)
    log(f"已读取：政策文件 {len(site.policies)} 件（共 {len(policies)} 个文件），页面 {len(site.pages)} 个")
    log(f"已读取：救助保障标准 {len(site.standards)} 项")
    log(f"已读取：公示名单 {len(site.rosters)} 份在公示期内（共 {len(rosters)} 份）")
    for note in site.withheld:
        log(f"  未发布 {note}")
    return site, problems


def build(options: Options, log: Log) -> Report:
    """A full build into ``options.out_dir``; the old output stays in place on any failure."""
    started = time.perf_counter()
    site, problems = load_site(options, log)
    entries = plan_site(site, options.template_dir)
    renderer = Renderer(options.template_dir, site.config, site.today)
    pages = sum(isinstance(e, Render) and e.path.endswith(".html") for e in entries)
    log(f"生成：{len(entries)} 个文件，其中页面 {pages} 个")
    with StagingDir(options.out_dir) as staging:
        write_entries(entries, staging.path, renderer.render)
        searchable = [e.path for e in entries if isinstance(e, Render) and e.searchable]
        log(index_site(staging.path, searchable).summary())  # on its own line, with its time
        gate_output(staging.path, options.out_dir.name, site.config)  # personal-data gate, index included
        write_manifest(staging.path)  # last: it lists every file written above
        staging.commit()
    return Report(site, len(entries), time.perf_counter() - started, problems)


def check(options: Options, log: Log) -> Problems:
    """Every validation of a build, writing nothing."""
    site, problems = load_site(options, log)
    entries = plan_site(site, options.template_dir)
    # the output gate too, over every page rendered in memory (nothing is written)
    gate_entries(entries, Renderer(options.template_dir, site.config, site.today).render, options.out_dir.name,
                 site.config)
    return problems


__all__ = ["ContentError", "Options", "Report", "build", "check", "load_site"]
