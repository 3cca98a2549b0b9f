"""The benchmark harness (benchmarks/run.py): how it orders the runs it compares."""

from __future__ import annotations

import sys

from conftest import ROOT

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
