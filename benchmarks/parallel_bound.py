#!/usr/bin/env python3
"""How close could our cold build of the policies and catalog come to the bare loop?

    .venv/bin/python benchmarks/parallel_bound.py --tree DIR [--repeat N] [--today DATE] [--work DIR]

Issue 8 asks for a cold build of the policies and their catalog in at most 1.3 × the time of the
2-process bare loop, search indexing reported on its own line. This takes that target apart into
what our build costs in CPU and how well it spreads over the cores. Round by round, in child
processes timed as `run.py` times them:

- the bare loop on 1 and on 2 processes (`bare_loop.py`);
- our cold build of the tree without its rosters, on 1 and on 2 processes, with the search index
  and the saving of `.cache/` left out: a real build does both after the pages are written, one
  beside the other, and `run.py` takes the search time off our time for this target;
- the imports our build starts with.

From the medians it prints the bound: what our build would take on 2 processes if everything
after its imports were spread perfectly over them, ``imports + (ours on 1 process − imports) / 2``.
Above 1.3 × the 2-process loop, no scheduling of our present work meets the target: only less
work does.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # run.py is imported by main() only: the timed child must not load the harness
    from run import Row

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
TARGET = 1.3  # issue 8: at most 1.3 × the bare loop on the same cores
CHILD = "--child"  # this script run as our build, search and cache saving left out


def child(argv: list[str]) -> int:
    """``build.py`` with ``argv``, without the search index and without saving the cache of
    parsed sources and of Markdown (both run beside each other after the pages are written)."""
    sys.path.insert(0, str(REPO))
    from site_builder import cache, pipeline
    from site_builder.cli import main

    pipeline._index = lambda *args, **kwargs: "搜索索引：未建立（parallel_bound.py）"
    save = cache.Store.save

    def save_but_sources(store: cache.Store) -> None:
        if store.path is None or store.path.name not in ("sources.pickle", "markdown.pickle"):
            save(store)

    cache.Store.save = save_but_sources  # type: ignore[method-assign]
    return main(argv)


def main(argv: list[str] | None = None) -> int:
    sys.path.insert(0, str(HERE))
    from run import Bench, Kind, Row, log, run_measured, run_rounds

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tree", type=Path, required=True, help="a content tree (gen_city.py writes one)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--today", type=date.fromisoformat, default=date(2026, 11, 29))
    parser.add_argument("--work", type=Path, help="scratch folder (default: a new one in /tmp, removed at the end)")
    args = parser.parse_args(argv)
    if not (args.tree / "site.yaml").is_file():
        parser.error(f"{args.tree} holds no site.yaml")
    work = args.work or Path(tempfile.mkdtemp(prefix="disclosure-bound-"))
    bench = Bench(work, args.today, None, args.repeat)
    content = work / "content"
    shutil.copytree(args.tree, content, ignore=shutil.ignore_patterns("rosters", ".cache"))
    bench.logs.mkdir(parents=True, exist_ok=True)

    def ours(jobs: int) -> list[str]:
        return [
            sys.executable,
            str(Path(__file__).resolve()),
            CHILD,
            "build",
            "--content",
            str(content),
            "--out",
            str(bench.out),
            "--today",
            args.today.isoformat(),
            "--jobs",
            str(jobs),
        ]

    loop = [sys.executable, str(HERE / "bare_loop.py"), "--content", str(content), "--out", str(work / "loop")]
    modules = "site_builder.cli, site_builder.pipeline, site_builder.render.renderer"
    imports = [sys.executable, "-c", f"import sys; sys.path.insert(0, {str(REPO)!r}); import {modules}"]
    runs = [
        ("loop1", "bare loop, 1 process", [*loop, "--jobs", "1"]),
        ("loop2", "bare loop, 2 processes", [*loop, "--jobs", "2"]),
        ("ours1", "ours, 1 process, no search, no cache saved", ours(1)),
        ("ours2", "ours, 2 processes, no search, no cache saved", ours(2)),
        ("imports", "ours: the imports alone", imports),
    ]

    def kind(key: str, label: str, cmd: list[str]) -> Kind:
        row = Row(key, label)

        def run(n: int) -> bool:
            for path in (bench.out, bench.cache, work / "loop"):
                bench.set_aside(path)
            sample = run_measured(cmd, work, bench.logs / f"{key}-{n}.log")
            row.samples.append(sample)
            log(f"  {label}: {sample.wall:.2f} s")
            if sample.code != 0:
                row.add_note(f"failed (exit {sample.code}): see {bench.logs / f'{key}-{n}.log'}")
            return sample.code == 0

        return Kind([row], run)

    try:
        rows = {row.key: row for row in run_rounds([kind(*spec) for spec in runs], args.repeat)}
        print(report(rows))
        return 0 if all(row.ok for row in rows.values()) else 1
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)


def report(rows: dict[str, Row]) -> str:
    """The medians, and the bound against the 2-process loop."""
    lines = ["| run | wall s | CPU s |", "|---|---:|---:|"]
    lines += [f"| {row.label} | {row.wall:.2f} | {row.cpu:.2f} |" for row in rows.values()]
    if not all(row.ok for row in rows.values()):
        return "\n".join([*lines, "", "a run failed: no bound"])
    loop1, loop2, ours1, ours2, imports = (rows[k] for k in ("loop1", "loop2", "ours1", "ours2", "imports"))
    bound = imports.wall + (ours1.wall - imports.wall) / 2
    spread = f"{imports.wall:.2f} + ({ours1.wall:.2f} − {imports.wall:.2f}) / 2 = {bound:.2f} s"
    return "\n".join(
        [
            *lines,
            "",
            f"ours / bare loop, 1 process: {ours1.wall / loop1.wall:.2f} × wall, {ours1.cpu / loop1.cpu:.2f} × CPU",
            f"ours / bare loop, 2 processes: {ours2.wall / loop2.wall:.2f} ×",
            f"2 processes against 1: ours {ours1.wall / ours2.wall:.2f} × faster, the loop {loop1.wall / loop2.wall:.2f} ×",
            f"bound, perfectly spread: {spread}, {bound / loop2.wall:.2f} × the 2-process loop (target {TARGET} ×)",
        ]
    )


if __name__ == "__main__":
    if sys.argv[1:2] == [CHILD]:
        sys.exit(child(sys.argv[2:]))
    sys.exit(main())
