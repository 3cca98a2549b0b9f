"""site_builder.parallel: results in task order, every result heard once, exceptions reach the
caller, and no worker outlives its pool."""

from __future__ import annotations

import multiprocessing
import os

import pytest

from site_builder.parallel import forked, threaded


def _square_with_pid(n: int) -> tuple[int, int]:
    return n * n, os.getpid()


@pytest.mark.parametrize("run", [forked, threaded], ids=["forked", "threaded"])
def test_results_come_in_task_order_and_each_is_heard_once(run: object) -> None:
    heard: list[int] = []
    results = run(_square_with_pid, list(range(50)), 2, lambda i, result: heard.append(i))  # type: ignore[operator]
    assert [square for square, _ in results] == [n * n for n in range(50)]
    assert sorted(heard) == list(range(50))
    pids = {pid for _, pid in results}
    assert (os.getpid() not in pids) if run is forked else (pids == {os.getpid()})


def _fails_on_seven(n: int) -> int:
    if n == 7:
        raise ValueError("seven")
    return n


@pytest.mark.parametrize("run", [forked, threaded], ids=["forked", "threaded"])
def test_an_exception_in_a_task_reaches_the_caller_and_no_worker_is_left(run: object) -> None:
    with pytest.raises(ValueError, match="seven"):
        run(_fails_on_seven, list(range(20)), 2)  # type: ignore[operator]
    assert multiprocessing.active_children() == []


def test_the_forked_workers_inherit_what_the_parent_had() -> None:
    table = {n: f"第{n}条" for n in range(30)}  # a closure over it is never pickled
    assert forked(lambda n: table[n], list(range(30)), 2) == [table[n] for n in range(30)]


def test_forked_does_not_nest() -> None:
    with pytest.raises(RuntimeError):
        forked(lambda n: forked(lambda m: m, [1, 2], 2), [1, 2], 1)
    assert multiprocessing.active_children() == []
