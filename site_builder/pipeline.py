"""The build, stage by stage: load → validate → model → plan → render/write → search index →
manifest → swap.

Nothing touches the output folder until every source has loaded and passed every check, and
the new site replaces the old one only when it has been written in full.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from . import testpoints
from .cache import (
    SourceCache,
    Store,
    Stores,
    builder_digest,
    cache_folder,
    compiled_templates,
    digest,
    stat_digest,
    tree_digest,
)
from .config import SiteConfig, load_config
from .last_build import LastBuild
from .manifest import MANIFEST_NAME, FileHash, hash_folder, manifest_bytes
from .options import TEMPLATE_DIR, Log, Options, Progress, Report
from .parallel import threaded
from .plan import Entry, Render, markdown_pieces, plan_site
from .plan.search import Shard, search_shards
from .privacy.gate import allow_list, check_output, check_sources, gate_entries, gate_output, scan_output
from .problems import ContentError, Problem, Problems
from .render.env import template_digest
from .render.renderer import Renderer
from .search import SearchReport, bundle_dirs, index_site
from .site import Site, build_model
from .sources.annual_reports import load_annual_reports
from .sources.guides import load_guides
from .sources.organization import load_organization
from .sources.pages import load_pages
from .sources.policies import load_policies
from .sources.rosters import load_rosters
from .sources.standards import load_standards
from .write import Record, StagingDir, WriteResult, link_tree, write_site


def load_site(options: Options, log: Log, store: Store | None = None) -> tuple[Site, Problems]:
    """Load, validate and model every source. Raises ContentError listing every problem.

    With a ``store``, files that have not changed since the last build are not parsed again.
    """
    testpoints.reached("load")
    problems = Problems(display_root=options.content_dir.resolve().parent)
    config = load_config(options.content_dir, problems, options.base_url)
    problems.raise_if_errors(options.strict)
    assert config is not None
    checked_against = digest(_site_yaml(options), options.base_url or "")
    cache = SourceCache(store, checked_against) if store is not None else None
    with_files = (
        SourceCache(store, digest(checked_against, stat_digest(config.content_dir / "files"))) if store else None
    )
    policies = load_policies(config, problems, with_files, options.jobs)  # attachments: their sizes are shown
    pages = load_pages(config, problems, cache)
    standards = load_standards(config, problems, cache)
    rosters = load_rosters(config, problems, cache, options.jobs)
    reports = load_annual_reports(config, problems, cache)
    organization = load_organization(config, problems, cache)
    guides = load_guides(config, problems, cache)
    site = build_model(
        config,
        policies,
        pages,
        options.today,
        problems,
        drafts=options.drafts,
        standards=standards,
        rosters=rosters,
        reports=reports,
        organization=organization,
        guides=guides,
    )
    testpoints.reached("gate")
    gate_cache = SourceCache(store, digest("gate", *sorted(allow_list(config)))) if store is not None else None
    # the personal-data gate over every source that would be published
    check_sources(site, problems, gate_cache, options.jobs)
    problems.raise_if_errors(options.strict)
    log(f"已读取：政策文件 {len(site.policies)} 件（共 {len(policies)} 个文件），页面 {len(site.pages)} 个")
    log(f"已读取：救助保障标准 {len(site.standards)} 项")
    log(f"已读取：办事指南 {len(site.guides)} 项（共 {len(guides)} 个文件）")
    log(f"已读取：公示名单 {len(site.rosters)} 份在公示期内（共 {len(rosters)} 份）")
    for note in site.withheld:
        log(f"  未发布 {note}")
    return site, problems


@dataclass
class OutputRecord:
    """What the last good build left in one output folder, for the next build into it: loaded
    once when a build starts, saved once when its output is in place (as Sphinx keeps its
    environment). Everything in it is keyed by what it was made from, so a stale record only
    costs work, never a wrong file."""

    files: dict[str, Record] = field(default_factory=dict)  # every file the writer wrote or took over
    search: dict[str, str] = field(default_factory=dict)  # part of the search index → key of its pages
    bundles: dict[str, FileHash] = field(default_factory=dict)  # each file of the index's parts
    templates: tuple[str, str] | None = None  # `_templates` of that build

    @classmethod
    def load(cls, store: Store) -> OutputRecord:
        found = store.get("record")
        return found if isinstance(found, cls) else cls()

    def save(self, store: Store) -> None:
        store.replace({"record": self})
        store.save()


@dataclass(frozen=True)
class _Build:
    """What every stage of one build reads: the options, the model and its plan, where the
    output goes and what the last build left there (``previous``: None for a first build)."""

    options: Options
    site: Site
    entries: list[Entry]
    out: Path
    previous: Path | None
    record: OutputRecord
    inputs: str  # digest of what every page shares: builder, templates used, site.yaml, today
    progress: Progress | None
    log: Log


@dataclass(frozen=True)
class _Index:
    """The search index of a build: the key of every part, the hashes of every file of every
    part (for the manifest), and the bundle folders to replace on commit."""

    keys: dict[str, str]
    hashes: dict[str, FileHash]
    replaced: set[str]


def build(
    options: Options,
    log: Log,
    on_pages: Callable[[], None] | None = None,
    last: LastBuild | None = None,
    progress: Progress | None = None,
    stores: Stores | None = None,
) -> Report:
    """Build into ``options.out_dir``; the old output stays in place on any failure.

    Work from the previous build is reused where its inputs are unchanged (``.cache/``): parsed
    sources, rendered Markdown, unchanged output files and the search index. The output is
    byte-identical to a build from scratch.

    When nothing changed since the last good build, nothing is done: the caller that passes
    ``last`` has asked it already (the command line does, before it imports this module);
    otherwise it is asked here. When only some files changed, they are published first and
    ``on_pages`` is called (the preview reloads the browser then); the search index follows. A
    failure at any point still puts the previous output back. ``progress`` hears the counts of
    the long stages as they go (the command line shows them on a terminal). ``stores`` opens the
    cache's files: the preview passes one that keeps them in memory between its builds.
    """
    started = time.perf_counter()
    if last is None:
        last = LastBuild(options)
        unchanged = last.unchanged(log, started)
        if unchanged is not None:
            return unchanged
    folder = cache_folder(options.content_dir)
    out = options.out_dir.resolve()
    open_store = stores or Stores()

    sources = open_store(folder, "sources")
    site, problems = load_site(options, log, sources)
    entries = _plan(site, options, log)

    outputs = open_store(folder, "outputs-" + digest(out.as_posix())[:16])
    record = OutputRecord.load(outputs)
    markdown = open_store(folder, "markdown")
    templates = _templates(options.template_dir, entries, record.templates)
    inputs = digest(builder_digest(), templates[1], _site_yaml(options), options.base_url or "", site.today.isoformat())
    previous = out if (out / "index.html").is_file() else None
    run = _Build(options, site, entries, out, previous, record, inputs, progress, log)
    # An update replaces only what changed; --strict (and a first build) writes and checks a whole site.
    update = previous is not None and bool(record.files) and not options.strict

    with StagingDir(options.out_dir, update) as staging, ThreadPoolExecutor(max_workers=1) as saver:
        result = _write_pages(run, staging, markdown)
        keep = {*result.records, MANIFEST_NAME}
        shards = search_shards(entries)
        bundles = {shard.bundle for shard in shards} | {p.name for p in bundle_dirs(out)}
        if staging.update:  # the new pages go live now; the old search index stays until the new one is checked
            staging.publish(keep, later=bundles, then=on_pages)
            testpoints.reached("publish")
        # The parsed sources and the rendered Markdown are final: their caches are saved while the
        # search index is built (keyed by content, they are right whether or not the build succeeds).
        # Not before the pages are published: pickling them holds the interpreter for 0.1-0.2 s.
        _keep_markdown(markdown, entries, result)
        saved = [saver.submit(store.save) for store in (sources, markdown)]
        index = _search_index(run, shards, bundles, staging, result)
        if options.strict:
            gate_output(staging.path, options.out_dir.name, site.config)  # every file, search index included
        _write_manifest(staging.path, result, index.hashes)
        staging.commit(keep | index.hashes.keys(), replace_dirs=sorted(index.replaced))

    for future in saved:
        future.result()
    OutputRecord(result.records, index.keys, index.hashes, templates).save(outputs)
    last.remember(len(entries), problems.warnings)
    return Report(len(entries), time.perf_counter() - started, problems)


def _plan(site: Site, options: Options, log: Log) -> list[Entry]:
    entries = plan_site(site, options.template_dir)
    pages = sum(isinstance(e, Render) and e.path.endswith(".html") for e in entries)
    log(f"计划：{len(entries)} 个文件，其中页面 {pages} 个")
    return entries


def _write_pages(run: _Build, staging: StagingDir, markdown: Store) -> WriteResult:
    """Render and write what changed into ``staging`` (take over the rest), each new file passing
    the personal-data gate as it is written and before any of it is published (files taken over
    were checked by the build that wrote them; --strict checks everything at the end instead)."""
    options, site = run.options, run.site
    compiled = compiled_templates(cache_folder(options.content_dir))

    def renders() -> Renderer:
        return Renderer(
            options.template_dir, site.config, site.today, markdown_cache=markdown.data, compiled_templates=compiled
        )

    check = None if options.strict else partial(scan_output, label=options.out_dir.name, allow=allow_list(site.config))
    testpoints.reached("render")
    result = write_site(
        run.entries,
        staging.path,
        run.previous,
        run.record.files,
        run.inputs,
        renders,
        options.jobs,
        not staging.update,
        check,
        run.progress and partial(run.progress, "生成页面"),
    )
    run.log(f"生成：新写入 {len(result.written)} 个文件，沿用未变化的 {len(result.reused)} 个")
    if result.findings:
        raise ContentError(result.findings)
    return result


def _keep_markdown(markdown: Store, entries: list[Entry], result: WriteResult) -> None:
    """The rendered Markdown of the bodies still in use: what was cached and what was new."""
    used = {digest(e.path, piece) for e in entries if isinstance(e, Render) for piece in markdown_pieces(e.markdown)}
    markdown.replace({key: html for key, html in {**markdown.data, **result.markdown}.items() if key in used})


def _search_index(
    run: _Build, shards: list[Shard], bundles: set[str], staging: StagingDir, result: WriteResult
) -> _Index:
    """The search index, part by part: a part whose pages are all unchanged is taken over, the
    others are built from the pages just written, each passing the gate as soon as it is made
    (--strict checks everything later)."""
    previous, out = run.previous, run.out
    keys = {s.bundle: digest(run.inputs, s.bundle, *(f"{p}:{result.records[p][0]}" for p in s.paths)) for s in shards}
    kept = [
        s
        for s in shards
        if previous is not None and run.record.search.get(s.bundle) == keys[s.bundle] and (previous / s.bundle).is_dir()
    ]
    rebuilt = [s for s in shards if s not in kept]
    for shard in kept:
        if not staging.update:
            assert previous is not None
            link_tree(previous / shard.bundle, staging.path / shard.bundle)
    testpoints.reached("index")
    options = run.options
    if rebuilt:
        site_dir = out if staging.update else staging.path
        gate = None if options.strict else partial(_gate_part, staging.path, options.out_dir.name, run.site.config)
        run.log(_index(rebuilt, site_dir, staging.path, options.jobs, len(shards), gate, run.progress))
    elif shards:
        run.log("搜索索引：可搜索的内容没有变化，沿用上次的索引")
    hashes: dict[str, FileHash] = {}
    for shard in shards:
        root = out if shard in kept and staging.update else staging.path
        hashes.update(hash_folder(root, shard.bundle, run.record.bundles))
    replaced = bundles - {shard.bundle for shard in kept}  # rebuilt parts, and parts no longer made
    return _Index(keys, hashes, replaced)


def _write_manifest(staging: Path, result: WriteResult, bundle_hashes: dict[str, FileHash]) -> None:
    """Last, the manifest: every file above, hashed when it was written (or by an earlier build)."""
    listed = {path: (rec[1], rec[3]) for path, rec in result.records.items()}
    listed.update((path, (size, sha)) for path, (size, _, sha) in bundle_hashes.items())
    (staging / MANIFEST_NAME).write_bytes(manifest_bytes(listed))


def _index(
    shards: list[Shard],
    site_dir: Path,
    staging: Path,
    jobs: int,
    parts: int,
    gate: Callable[[Shard], list[Problem]] | None = None,
    progress: Progress | None = None,
) -> str:
    """Index each of ``shards`` from the pages in ``site_dir`` into its bundle folder in
    ``staging``, as many at a time as there are jobs (Pagefind uses mostly one core); the log line.

    The largest parts start first, so that the last ones to finish are small. Each part is
    passed to ``gate`` as soon as it is made, while the others are still being built; any
    finding stops the build (ContentError) once all are done.
    """
    started = time.perf_counter()
    found: dict[str, list[Problem]] = {}
    order = sorted(shards, key=lambda shard: len(shard.paths), reverse=True)

    finished: list[Shard] = []

    def indexed(number: int, report: SearchReport) -> None:
        finished.append(order[number])
        if gate is not None:
            found[order[number].bundle] = gate(order[number])
        if progress is not None:
            progress("搜索索引（部分）", len(finished), len(shards))

    reports = threaded(lambda s: index_site(site_dir, s.paths, bundle=staging / s.bundle), order, jobs, indexed)
    problems = [problem for shard in shards for problem in found.get(shard.bundle, [])]
    if problems:
        raise ContentError(problems)
    report = SearchReport(sum(r.pages for r in reports), sum(r.words for r in reports), time.perf_counter() - started)
    return report.summary() if parts == 1 else f"{report.summary()}；索引共 {parts} 个部分，重建了 {len(shards)} 个"


def _gate_part(staging: Path, label: str, config: SiteConfig, shard: Shard) -> list[Problem]:
    """The personal-data findings in the bundle folder of a new part of the search index."""
    files = [p.relative_to(staging).as_posix() for p in (staging / shard.bundle).rglob("*") if p.is_file()]
    return check_output(staging, label, allow_list(config), files)


def _templates(template_dir: Path, entries: list[Entry], known: tuple[str, str] | None) -> tuple[str, str]:
    """(digest of the whole template folder and of the templates used, `template_digest`): the
    latter, parsed again only when the former has changed since the last build (``known``)."""
    used = sorted({entry.template for entry in entries if isinstance(entry, Render)})
    folder = digest(tree_digest(template_dir), *used)
    if known is not None and known[0] == folder:
        return known
    return folder, template_digest(template_dir, used)


def _site_yaml(options: Options) -> bytes:
    try:
        return (options.content_dir / "site.yaml").read_bytes()
    except OSError:
        return b"\0missing"


def check(options: Options, log: Log) -> Problems:
    """Every validation of a build, writing nothing."""
    site, problems = load_site(options, log)
    entries = plan_site(site, options.template_dir)
    # the output gate too, over every page rendered in memory (nothing is written)
    gate_entries(
        entries, Renderer(options.template_dir, site.config, site.today).render, options.out_dir.name, site.config
    )
    return problems


__all__ = ["TEMPLATE_DIR", "ContentError", "Options", "Report", "build", "check", "load_site"]
