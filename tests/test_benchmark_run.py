"""The benchmark harness (benchmarks/run.py): how it orders the runs it compares."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

from conftest import ROOT, SAMPLE_CONTENT

sys.path.insert(0, str(ROOT / "benchmarks"))
from run import Kind, Row, run_rounds


def test_kinds_run_round_by_round_and_a_failed_kind_stops() -> None:
    """Ours, the bare loop and the peers take turns, so that a machine whose speed drifts during
    the benchmark (this VM's does, by tens of percent within an hour) affects every ratio alike."""
    order: list[str] = []

    def kind(name: str, fails_in: int = 0) -> Kind:
        def run(n: int) -> bool:
            order.append(f"{name}{n}")
            return n != fails_in

        return Kind([Row(name, name)], run)

    rows = run_rounds([kind("ours"), kind("bare", fails_in=2), kind("pelican")], 3)
    assert order == ["ours1", "bare1", "pelican1", "ours2", "bare2", "pelican2", "ours3", "pelican3"]
    assert [row.key for row in rows] == ["ours", "bare", "pelican"]


def test_the_preview_timing_sees_each_edit_in_the_reloaded_page(tmp_path: Path) -> None:
    """benchmarks/serve_latency.py, on the sample site: one latency per edit, each page fetched at
    the reload message holds its edit, and the policy is put back afterwards."""
    from serve_latency import measure

    content = tmp_path / "site" / "content"
    shutil.copytree(SAMPLE_CONTENT, content)
    policy = min((content / "policies").rglob("*.md"))
    original = policy.read_bytes()
    slug = re.search(rb"^slug:\s*(\S+)", original, re.MULTILINE)
    url = f"/policies/{slug[1].decode() if slug else policy.stem}/"
    run = measure(
        ROOT / "build.py",
        content,
        tmp_path / "site" / "output",
        date(2026, 11, 29),
        policy,
        url,
        ["第一次修改。", "第二次修改。"],
        tmp_path / "serve.log",
    )
    assert run.error == ""
    assert len(run.latencies) == 2 and all(0 < seconds < 60 for seconds in run.latencies)
    assert run.shown == [True, True]
    assert run.rss_mb > 0
    assert policy.read_bytes() == original


def test_the_parallel_bound_times_our_build_without_search_or_saved_sources(tmp_path: Path) -> None:
    """benchmarks/parallel_bound.py on a small city: every run succeeds, our timed builds write
    the pages but neither a search index nor the cache of sources and Markdown (those run beside
    each other after the pages in a real build), and the bound is printed."""
    from gen_city import CityOptions, generate

    tree = tmp_path / "tree"
    tree.mkdir()
    generate(CityOptions(tree, seed=1, policies=40, households=200))
    work = tmp_path / "work"
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "parallel_bound.py"),
            "--tree",
            str(tree),
            "--repeat",
            "1",
            "--work",
            str(work),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert re.search(r"bound, perfectly spread: .* = \d+\.\d\d s, \d+\.\d\d × the 2-process loop", result.stdout)
    assert not (work / "content" / "rosters").exists()
    set_aside = work / "set-aside"
    outputs = sorted(p for p in set_aside.iterdir() if p.name.endswith("-output"))
    caches = sorted(p for p in set_aside.iterdir() if p.name.endswith("-.cache"))
    assert len(outputs) == 2 and len(caches) == 2  # ours on 1 and on 2 processes
    for output in outputs:
        assert len(list(output.glob("policies/*/index.html"))) >= 40
        assert not any(p.name.startswith("pagefind") for p in output.iterdir())
    for folder in caches:
        names = {p.name for p in folder.iterdir()}
        assert any(name.startswith("outputs-") for name in names)
        assert not names & {"sources.pickle", "markdown.pickle"}
