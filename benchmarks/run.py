#!/usr/bin/env python3
"""Benchmark the disclosure site builder at city scale, against a bare loop, Pelican and Hugo.

    .venv/bin/python benchmarks/run.py [--policies 2000] [--households 100000] [--seed 1]
        [--tree DIR] [--jobs N] [--repeat N] [--skip-peers] [--skip-serve] [--profile] [--work DIR] [--keep]

Every timing is the wall time of a child process, interpreter start included, with the CPU time
(user + system) and the peak resident memory of that child from ``os.wait4`` (Linux reports the
largest single process of the child's tree, not the sum over worker processes). See README.md.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import math
import os
import platform
import pstats
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from gen_city import GENERATED_POLICY_GLOB, CityOptions, generate
from peers import (
    PEER_REQUIREMENTS,
    PeerTools,
    ensure_peers_venv,
    read_policies,
    write_hugo_site,
    write_pelican_site,
)
from serve_latency import measure as measure_serve

REPO = HERE.parent
BUILD_PY = REPO / "build.py"
SEARCH_LOG = re.compile(r"搜索|检索|pagefind|search", re.IGNORECASE)
SEARCH_SECONDS = re.compile(r"^搜索索引：.*（(\d+(?:\.\d+)?) 秒）")
EDIT_SENTENCE = "本文件由示范市民政局办公室负责校对（基准测试修改 {n}）。"


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------------
# measuring one child process
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Sample:
    """One run of one command."""

    wall: float  # seconds, from fork to exit
    cpu: float  # user + system seconds of the child and its waited-for children
    rss_mb: float  # peak resident set of the largest process in the child's tree
    code: int
    stderr: str


def run_measured(cmd: Sequence[str], cwd: Path, log_file: Path) -> Sample:
    """Run ``cmd`` and measure it with ``os.wait4``: the rusage of exactly this child."""
    with open(log_file, "w+b") as err:
        started = time.perf_counter()
        # its own process group, so that an interrupted benchmark stops the child's children too
        proc = subprocess.Popen(list(cmd), cwd=cwd, stdout=subprocess.DEVNULL, stderr=err, start_new_session=True)
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        except BaseException:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait()
            raise
        wall = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)  # so Popen does not wait again
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace")
    return Sample(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, proc.returncode, stderr)


@dataclass(slots=True)
class Row:
    """One line of the result table: the samples of one kind of run."""

    key: str  # short name used by the ratios
    label: str
    pages: int = 0  # policy pages the run wrote (ms / policy page divides by this)
    samples: list[Sample] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add_note(self, note: str) -> None:
        if note not in self.notes:
            self.notes.append(note)

    @property
    def note(self) -> str:
        return "; ".join(self.notes)

    @property
    def ok(self) -> bool:
        return bool(self.samples) and all(s.code == 0 for s in self.samples)

    @property
    def wall(self) -> float:
        return statistics.median(s.wall for s in self.samples)

    @property
    def cpu(self) -> float:
        return statistics.median(s.cpu for s in self.samples)

    @property
    def rss_mb(self) -> float:
        return max(s.rss_mb for s in self.samples)

    @property
    def ms_per_page(self) -> float:
        return 1000 * self.wall / self.pages if self.pages else float("nan")

    @property
    def search_seconds(self) -> float:
        """Search indexing, as the build log reports it (median over the samples; 0 without)."""
        found = [
            sum(float(m[1]) for line in s.stderr.splitlines() if (m := SEARCH_SECONDS.match(line.strip())))
            for s in self.samples
        ]
        return statistics.median(found) if found else 0.0


# ---------------------------------------------------------------------------------------------
# the scratch folder
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Bench:
    work: Path
    today: date
    jobs: int | None
    repeat: int
    fingerprints: dict[str, str] = field(default_factory=dict)  # builder code at the cold build

    @property
    def content(self) -> Path:
        return self.work / "content"

    @property
    def out(self) -> Path:
        return self.work / "output"

    @property
    def cache(self) -> Path:
        """Where the builder keeps its cache: ``.cache/`` beside the content folder."""
        return self.work / ".cache"

    @property
    def logs(self) -> Path:
        return self.work / "logs"

    def set_aside(self, path: Path) -> None:
        """Move ``path`` (an earlier run's output or cache) out of the way, to be deleted only at
        the end. Deleting thousands of files just before a run slows that run's file creation:
        ext4 skips the inodes freed in the last minutes when it makes new files, which cost
        seconds of system time on this VM; a rename frees nothing."""
        if path.exists():
            trash = self.work / "set-aside"
            trash.mkdir(exist_ok=True)
            path.rename(trash / f"{sum(1 for _ in trash.iterdir())}-{path.name}")

    def build_command(self, *python_args: str) -> list[str]:
        cmd = [
            sys.executable,
            *python_args,
            str(BUILD_PY),
            "build",
            "--content",
            str(self.content),
            "--out",
            str(self.out),
            "--today",
            self.today.isoformat(),
        ]
        return cmd + (["--jobs", str(self.jobs)] if self.jobs else [])


def prepare_tree(bench: Bench, args: argparse.Namespace) -> None:
    """Put the content tree at ``bench.content``: a copy of ``--tree`` if it holds one, else new."""
    tree: Path | None = args.tree
    if tree is not None and (tree / "site.yaml").is_file():
        log(f"reusing the tree in {tree} (--policies/--households/--seed do not apply)")
        shutil.copytree(tree, bench.content)
        return
    target = tree if tree is not None else bench.content
    if target.exists() and any(target.iterdir()):
        raise SystemExit(f"{target} is neither empty nor a content tree (no site.yaml)")
    target.mkdir(parents=True, exist_ok=True)
    options = CityOptions(target, args.seed, args.policies, args.households, bench.today)
    stats = generate(options)
    log(
        f"generated {stats.policies} policies and {stats.rosters} rosters ({stats.households} households): "
        f"{stats.files} files, {stats.megabytes:.1f} MB in {stats.seconds:.2f} s"
    )
    if tree is not None:
        shutil.copytree(tree, bench.content)


def policy_files(content: Path) -> list[Path]:
    return sorted(content.glob(GENERATED_POLICY_GLOB))


def count_households(content: Path) -> int:
    """Records in the roster CSVs (one header line each)."""
    total = 0
    for path in (content / "rosters").glob("**/*.csv"):
        with open(path, "rb") as handle:
            total += max(sum(1 for _ in handle) - 1, 0)
    return total


def count_pages(folder: Path, pattern: str = "policies/*/index.html") -> int:
    return sum(1 for _ in folder.glob(pattern))


# ---------------------------------------------------------------------------------------------
# our builder: cold, no change, one policy edited
# ---------------------------------------------------------------------------------------------


@dataclass(slots=True)
class Kind:
    """One kind of run (ours, the bare loop, a peer): its rows, and one round of it (``run(n)``,
    False once it failed). `main` runs the rounds of all kinds in turn, round by round, so that a
    machine that slows down or speeds up during the benchmark does so for every kind alike."""

    rows: list[Row]
    run: Callable[[int], bool]
    active: bool = True


def run_rounds(kinds: Sequence[Kind], repeat: int) -> list[Row]:
    """Round 1 of every kind, then round 2 of every kind, …; a kind that failed runs no more."""
    for n in range(1, repeat + 1):
        log(f"round {n} of {repeat}")
        for kind in kinds:
            kind.active = kind.active and kind.run(n)
    return [row for kind in kinds for row in kind.rows]


def bench_ours(bench: Bench) -> Kind:
    rows = [
        Row("cold", "ours: cold full build (no .cache/)"),
        Row("nochange", "ours: no-change rebuild"),
        Row("edit", "ours: one policy edited, rebuild"),
        Row("warm", "ours: full build, .cache/ kept (output removed)"),
    ]
    generated = policy_files(bench.content)
    if not generated:
        raise SystemExit(f"no generated policies ({GENERATED_POLICY_GLOB}) in {bench.content}")
    victim = generated[len(generated) // 2]
    original = victim.read_bytes()

    def run(n: int) -> bool:
        bench.set_aside(bench.cache)
        bench.set_aside(bench.out)
        if not _our_build(bench, rows[0], f"cold-{n}"):
            return False
        rows[0].pages = rows[1].pages = rows[2].pages = rows[3].pages = count_pages(bench.out)
        if not _our_build(bench, rows[1], f"nochange-{n}"):
            return False
        sentence = EDIT_SENTENCE.format(n=n)
        try:
            victim.write_bytes(original.rstrip(b"\n") + f"\n\n{sentence}\n".encode())
            if not _our_build(bench, rows[2], f"edit-{n}"):
                return False
        finally:
            victim.write_bytes(original)
        rows[2].add_note(_edit_note(bench.out / "policies" / victim.stem / "index.html", sentence))
        bench.set_aside(bench.out)  # what CI does when it keeps .cache/ between runs
        return _our_build(bench, rows[3], f"warm-{n}")

    return Kind(rows, run)


def bench_policies_only(bench: Bench) -> Kind:
    """The issue's first target: a cold build of the policies and their catalog alone (the same
    tree without rosters), to hold against the bare loop with search indexing left out; then the
    same with the cache of that build kept (the output removed)."""
    rows = [
        Row("policies", "ours: cold, policies + catalog only (no rosters)"),
        Row("policies-warm", "ours: policies + catalog only, .cache/ kept (output removed)"),
    ]
    root = bench.work / "policies-only"
    shutil.rmtree(root, ignore_errors=True)
    shutil.copytree(bench.content, root / "content", ignore=shutil.ignore_patterns("rosters"))
    cmd = [
        sys.executable,
        str(BUILD_PY),
        "build",
        "--content",
        str(root / "content"),
        "--out",
        str(root / "output"),
        "--today",
        bench.today.isoformat(),
    ] + (["--jobs", str(bench.jobs)] if bench.jobs else [])

    def run(n: int) -> bool:
        bench.set_aside(root / ".cache")
        for row in rows:
            bench.set_aside(root / "output")
            row.samples.append(run_measured(cmd, bench.work, bench.logs / f"ours-{row.key}-{n}.log"))
            row.pages = count_pages(root / "output")
            if row.samples[-1].code != 0:
                row.add_note(f"failed (exit {row.samples[-1].code}): see {bench.logs / f'ours-{row.key}-{n}.log'}")
                return False
            log(f"  {row.label}: {row.samples[-1].wall:.2f} s (search indexing {row.search_seconds:.2f} s)")
        return True

    return Kind(rows, run)


def bench_serve(bench: Bench, edits: int = 3) -> Kind:
    """The preview: from saving a policy to the browsers being told to reload, with the edited page
    in place (each edit is one sample; its wall time is that latency). The preview's first build
    of each round is not timed."""
    row = Row("serve", f"ours: serve, one policy saved → browser told to reload ({edits} edits a round)")
    generated = policy_files(bench.content)
    victim = generated[len(generated) // 2]  # the policy the edit run edits
    url = f"/policies/{victim.stem}/"

    def run(n: int) -> bool:
        sentences = [EDIT_SENTENCE.format(n=f"{n}-{i}") for i in range(1, edits + 1)]
        log_file = bench.logs / f"ours-serve-{n}.log"
        result = measure_serve(
            BUILD_PY, bench.content, bench.work / "serve-output", bench.today, victim, url, sentences, log_file
        )
        for latency, shown in zip(result.latencies, result.shown, strict=True):
            row.samples.append(Sample(latency, float("nan"), result.rss_mb, 0, ""))
            if not shown:
                row.add_note("EDIT NOT IN THE PAGE AT THE RELOAD")
        if result.error:
            row.samples.append(Sample(float("nan"), float("nan"), result.rss_mb, 1, ""))
            row.add_note(f"failed: {result.error} (see {log_file})")
            return False
        log(f"  {row.label}: " + ", ".join(f"{s:.2f} s" for s in result.latencies))
        return True

    return Kind([row], run)


def builder_fingerprint() -> str:
    """A digest of the builder's code and templates: the cache is keyed by them, so a rebuild
    after they changed is a cold build whatever ``.cache/`` holds."""
    digest = hashlib.blake2b(digest_size=16)
    for root in (REPO / "site_builder", REPO / "templates"):
        for path in sorted(root.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(path.relative_to(REPO).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _our_build(bench: Bench, row: Row, name: str) -> bool:
    before = builder_fingerprint()
    sample = run_measured(bench.build_command(), bench.work, bench.logs / f"ours-{name}.log")
    row.samples.append(sample)
    if builder_fingerprint() != before or (row.key != "cold" and before != bench.fingerprints.get("cold")):
        row.add_note("BUILDER CODE CHANGED during the runs: the cache could not be used")
    if row.key == "cold":
        bench.fingerprints["cold"] = before
    if sample.code != 0:
        row.add_note(f"failed (exit {sample.code}): see {bench.logs / f'ours-{name}.log'}")
        log(f"our build failed, exit {sample.code}; the end of its log:")
        log("\n".join(sample.stderr.splitlines()[-15:]))
        return False
    log(f"  {row.label}: {sample.wall:.2f} s")
    return True


def _edit_note(page: Path, sentence: str) -> str:
    shown = page.is_file() and sentence in page.read_text(encoding="utf-8")
    return "edit shown in the output" if shown else "EDIT NOT IN THE OUTPUT"


def search_lines(rows: list[Row]) -> list[str]:
    """The build log's lines about search indexing, for each kind of our runs (last sample)."""
    found = []
    for row in rows:
        if row.samples:
            for line in row.samples[-1].stderr.splitlines():
                if SEARCH_LOG.search(line):
                    found.append(f"{row.label}: {line.strip()}")
    return found


# ---------------------------------------------------------------------------------------------
# the bare loop and the peers
# ---------------------------------------------------------------------------------------------


def bench_bare_loop(bench: Bench, processes: int) -> Kind:
    row = Row(f"bare-{processes}", f"bare loop, {processes} process{'es' if processes > 1 else ''}")
    out = bench.work / f"bare-{processes}"
    cmd = [
        sys.executable,
        str(HERE / "bare_loop.py"),
        "--content",
        str(bench.content),
        "--out",
        str(out),
        "--jobs",
        str(processes),
    ]

    def run(n: int) -> bool:
        bench.set_aside(out)
        row.samples.append(run_measured(cmd, bench.work, bench.logs / f"bare-{processes}-{n}.log"))
        row.pages = count_pages(out)
        log(f"  {row.label}: {row.samples[-1].wall:.2f} s")
        return True

    return Kind([row], run)


def bench_peer(bench: Bench, label: str, cmd: list[str], root: Path, output: str) -> Kind:
    row = Row(root.name, label)

    def run(n: int) -> bool:
        bench.set_aside(root / output)
        row.samples.append(run_measured(cmd, root, bench.logs / f"{root.name}-{n}.log"))
        row.pages = count_pages(root / output)
        if row.samples[-1].code != 0:
            row.add_note(f"failed (exit {row.samples[-1].code}): see {bench.logs / f'{root.name}-{n}.log'}")
            return False
        log(f"  {label}: {row.samples[-1].wall:.2f} s")
        return True

    return Kind([row], run)


def bench_peers(bench: Bench) -> list[Kind]:
    tools: PeerTools = ensure_peers_venv(log)
    policies = read_policies(policy_files(bench.content))
    pelican_root, hugo_root = bench.work / "pelican", bench.work / "hugo"
    for root in (pelican_root, hugo_root):
        shutil.rmtree(root, ignore_errors=True)
        root.mkdir()
    pelican_args = write_pelican_site(policies, pelican_root)
    hugo_args = write_hugo_site(policies, hugo_root)
    versions = dict(r.split("==") for r in (r.replace("[markdown]", "") for r in PEER_REQUIREMENTS))
    return [
        bench_peer(bench, f"Pelican {versions['pelican']}", tools.pelican + pelican_args, pelican_root, "output"),
        bench_peer(bench, f"Hugo {versions['hugo']}", tools.hugo + hugo_args, hugo_root, "public"),
    ]


# ---------------------------------------------------------------------------------------------
# profile
# ---------------------------------------------------------------------------------------------


def profile_build(bench: Bench, top: int = 10) -> str:
    """cProfile of one cold build (top entries by cumulative and by own time) and its slowest imports."""
    stats_file = bench.work / "build.pstats"
    bench.set_aside(bench.cache)
    bench.set_aside(bench.out)
    cmd = bench.build_command("-X", "importtime", "-m", "cProfile", "-o", str(stats_file))
    sample = run_measured(cmd, bench.work, bench.logs / "profile.log")
    if sample.code != 0 or not stats_file.is_file():
        return f"profiled build failed (exit {sample.code}): see {bench.logs / 'profile.log'}"
    sections = [f"cProfile of one cold build ({sample.wall:.2f} s under the profiler), {stats_file}"]
    for order in ("cumulative", "tottime"):
        buffer = io.StringIO()
        pstats.Stats(str(stats_file), stream=buffer).sort_stats(order).print_stats(top)
        sections.append(f"top {top} by {order} time:\n" + _trim_pstats(buffer.getvalue()))
    sections.append(_import_summary(sample.stderr))
    return "\n\n".join(sections)


def _trim_pstats(text: str) -> str:
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if line.lstrip().startswith("ncalls")), 0)
    return "\n".join(line for line in lines[start:] if line.strip())


def _import_summary(stderr: str, top: int = 8) -> str:
    """Total import time and the slowest top-level imports, from ``-X importtime`` lines."""
    entries = []
    for line in stderr.splitlines():
        match = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)", line)
        if match and len(match[3]) <= 1:  # top-level imports only
            entries.append((int(match[2]), match[4]))
    if not entries:
        return ""
    total = sum(us for us, _ in entries) / 1e6
    slowest = ", ".join(f"{name} {us / 1e3:.0f} ms" for us, name in sorted(entries, reverse=True)[:top])
    return f"imports (-X importtime): {total:.2f} s in all; slowest: {slowest}"


# ---------------------------------------------------------------------------------------------
# report
# ---------------------------------------------------------------------------------------------


def table(rows: list[Row]) -> str:
    lines = [
        "| run | wall s | CPU s | ms / policy page | peak RSS MB | policy pages | note |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for row in rows:
        if not row.samples:
            continue
        lines.append(
            f"| {row.label} | {row.wall:.2f} | {_number(row.cpu)} | {_number(row.ms_per_page)} "
            f"| {row.rss_mb:.0f} | {row.pages or ''} | {row.note} |"
        )
    return "\n".join(lines)


def _number(value: float) -> str:
    return "" if math.isnan(value) else f"{value:.2f}"


OURS = ("cold", "nochange", "edit", "warm", "policies", "policies-warm")  # the keys of our builder's rows
RATIOS = (  # (label, numerator key, denominator key)
    ("ours cold / bare loop, 1 process", "cold", "bare-1"),
    ("ours cold / bare loop, 2 processes", "cold", "bare-2"),
    ("Pelican / ours cold", "pelican", "cold"),
    ("ours cold / Hugo", "cold", "hugo"),
    ("ours no-change / ours cold", "nochange", "cold"),
    ("ours one-edit / ours cold", "edit", "cold"),
)


def ratios(rows: list[Row]) -> str:
    """Wall-time and CPU-time ratios between the rows that ran and succeeded."""
    by_key = {row.key: row for row in rows if row.ok}
    lines = ["| ratio | wall × | CPU × |", "|---|---:|---:|"]
    for label, top, bottom in RATIOS:
        if top in by_key and bottom in by_key:
            a, b = by_key[top], by_key[bottom]
            lines.append(f"| {label} | {a.wall / b.wall:.2f} | {a.cpu / b.cpu:.2f} |")
    # the target: policies + catalog, search indexing reported on its own (wall time only:
    # the log gives the indexing's wall time, not its CPU time)
    for key, what in (("policies", "cold"), ("policies-warm", ".cache/ kept")):
        for bare in ("bare-1", "bare-2"):
            if key in by_key and bare in by_key:
                a, b = by_key[key], by_key[bare]
                lines.append(
                    f"| ours policies + catalog, {what}, without search indexing ({a.search_seconds:.2f} s) / "
                    f"{b.label} | {(a.wall - a.search_seconds) / b.wall:.2f} | |"
                )
        if key in by_key and "pelican" in by_key:
            ours, pelican = by_key[key], by_key["pelican"]
            lines.append(
                f"| Pelican / ours policies + catalog, {what}, without search indexing "
                f"| {pelican.wall / (ours.wall - ours.search_seconds):.2f} | |"
            )
    return "\n".join(lines)


def builder_line() -> str:
    """Which builder was measured: the commit, and whether the working tree differs from it."""

    def git(*args: str) -> str:
        done = subprocess.run(["git", "-C", str(REPO), *args], capture_output=True, text=True, check=False)
        return done.stdout.strip() if done.returncode == 0 else ""

    head = git("rev-parse", "--short", "HEAD") or "unknown"
    changed = [line for line in git("status", "--porcelain", "--", "site_builder", "templates").splitlines() if line]
    state = f", {len(changed)} files of site_builder/ and templates/ changed since" if changed else ""
    return f"builder: commit {head}{state}"


def machine_line() -> str:
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return f"{platform.node()}: {os.cpu_count()} cores, Python {platform.python_version()}, load average {load}"


# ---------------------------------------------------------------------------------------------
# main
# ---------------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--policies", type=int, default=2000, help="policies to generate (default 2000)")
    parser.add_argument("--households", type=int, default=100_000, help="roster households (default 100000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--tree", type=Path, help="reuse this generated tree (generated there first if absent)")
    parser.add_argument("--jobs", type=int, help="passed to build.py build --jobs (default: the builder's)")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each kind; the table shows the median")
    parser.add_argument("--skip-peers", action="store_true", help="no Pelican, no Hugo")
    parser.add_argument("--skip-serve", action="store_true", help="no timing of the preview")
    parser.add_argument("--profile", action="store_true", help="also cProfile one cold build")
    parser.add_argument("--today", type=date.fromisoformat, default=date(2026, 11, 29))
    parser.add_argument("--work", type=Path, help="scratch folder (default: a new one in /tmp)")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder")
    args = parser.parse_args(argv)
    if args.repeat < 1 or (args.jobs is not None and args.jobs < 1):
        parser.error("--repeat and --jobs must be positive")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(128 + signal.SIGTERM))  # clean up as on Ctrl-C
    work = args.work or Path(tempfile.mkdtemp(prefix="disclosure-bench-"))
    if args.work is not None and work.exists() and any(work.iterdir()):
        raise SystemExit(f"{work} is not empty: give an empty or new --work folder")
    bench = Bench(work.resolve(), args.today, args.jobs, args.repeat)
    bench.logs.mkdir(parents=True, exist_ok=True)
    before = machine_line()
    rows: list[Row] = []
    try:
        prepare_tree(bench, args)
        log(f"scratch folder {bench.work}; {before}")
        kinds = [bench_ours(bench), bench_policies_only(bench), bench_bare_loop(bench, 1), bench_bare_loop(bench, 2)]
        if not args.skip_serve:
            kinds.append(bench_serve(bench))
        if not args.skip_peers:
            kinds += bench_peers(bench)
        rows = run_rounds(kinds, bench.repeat)
        report(bench, rows, before, args)
        if args.profile:
            print("\n" + profile_build(bench))
    finally:
        if args.keep or args.work is not None:
            log(f"kept {bench.work}")
        else:
            shutil.rmtree(bench.work, ignore_errors=True)
    return 0 if rows and rows[0].ok else 1


def report(bench: Bench, rows: list[Row], before: str, args: argparse.Namespace) -> None:
    policies = len(policy_files(bench.content))
    households = count_households(bench.content)
    jobs = f"--jobs {bench.jobs}" if bench.jobs else "the builder's default --jobs"
    print(
        f"\n{policies} generated policies, {households} roster households; "
        f"ours with {jobs}; median of {bench.repeat} run(s)"
    )
    print(f"{builder_line()}\nbefore: {before}\nafter:  {machine_line()}\n")
    print(table(rows) + "\n")
    print(ratios(rows))
    lines = search_lines([row for row in rows if row.key in OURS])
    if lines:
        print("\nsearch indexing, from our build log:")
        print("\n".join(f"  {line}" for line in lines))
    if bench.cache.exists():
        size = sum(p.stat().st_size for p in bench.cache.rglob("*") if p.is_file()) / 1e6
        print(f"\nour cache after the runs: {bench.cache} ({size:.1f} MB)")


if __name__ == "__main__":
    sys.exit(main())
