"""All parallel work of a build goes through here: loading, the personal-data gate, rendering
(`forked`, processes) and the search index (`threaded`, threads that wait on Pagefind).

Processes are forked, so a task's work sees everything the parent had when the pool started
(the plan, the loaders, the Jinja environment's factory): nothing is pickled on the way in but
the tasks themselves (small: indexes, ranges), and only results on the way back.

Built on `concurrent.futures.ProcessPoolExecutor`, not `multiprocessing.Pool`: the latter's
``terminate()`` can wait for ever on a worker blocked on its queue's lock (python/cpython#78178;
a build hung about 1 run in 60), and a worker killed from outside (the kernel's OOM killer, a
``kill -9``) leaves ``Pool.map`` waiting for ever too. The executor notices a dead worker at once
(`WorkerDied`), and a pool that is done is shut down by joining its workers, never by killing
them mid-queue; only an interrupted pool's workers are killed, and every wait on them is bounded.
"""

from __future__ import annotations

import signal
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from . import testpoints

if TYPE_CHECKING:  # the executors are imported when there is parallel work: the command line starts faster
    from concurrent.futures import Future, ProcessPoolExecutor

T = TypeVar("T")
R = TypeVar("R")
JOIN_SECONDS = 10.0  # how long an interrupted pool's killed workers are waited for, each


class WorkerDied(Exception):
    """A worker process ended without finishing its task (killed, out of memory, crashed)."""


# The work of the running `forked` call: set before its workers are forked, so they inherit it.
_WORK: Callable[[Any], Any] | None = None


def forked(
    work: Callable[[T], R], tasks: Sequence[T], jobs: int, done: Callable[[int, R], None] | None = None
) -> list[R]:
    """``[work(task) for task in tasks]``, computed by ``jobs`` forked processes; ``done(i, result)``
    hears each result as it comes (in the parent, in the order they finish).

    An exception raised by ``work`` reaches the caller (after the pool is shut down), as does
    Ctrl-C or SIGTERM in the parent: the workers are then killed and reaped. Workers ignore
    Ctrl-C (the terminal sends it to the whole process group; the parent decides). A worker that
    dies raises `WorkerDied`. Nothing here waits without a bound on a worker that is stuck.
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    global _WORK
    if _WORK is not None:
        raise RuntimeError("parallel.forked does not nest")
    if not tasks:
        return []
    _WORK = work
    pool = ProcessPoolExecutor(
        max_workers=max(1, min(jobs, len(tasks))),
        mp_context=multiprocessing.get_context("fork"),
        initializer=_worker_started,
    )
    finished = False
    try:
        results = _gather({pool.submit(_run, task): i for i, task in enumerate(tasks)}, done)
        finished = True
    except BrokenProcessPool:
        raise WorkerDied("一个并行工作进程意外终止（可能是内存不足，或被强行结束）") from None
    finally:
        _WORK = None
        if finished:
            pool.shutdown(wait=True)  # every task is done: the workers are idle and exit when told
        else:
            _kill(pool)
    return results


def _worker_started() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # the pool itself stops workers with SIGTERM


def _run(task: Any) -> Any:
    assert _WORK is not None
    testpoints.reached("worker")
    return _WORK(task)


def _kill(pool: ProcessPoolExecutor) -> None:
    """Stop a pool whose work was cut short: cancel what has not started, kill every worker and
    reap it, each wait bounded.

    The pool's manager thread reaps workers too; it is waited for before the workers are joined,
    so that the join sees its exit status (two threads waiting on one child race: the loser is
    told "no such child" and would report the worker as still running)."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    manager = getattr(pool, "_executor_manager_thread", None)  # shutdown() forgets it
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        try:
            process.kill()
        except (OSError, ValueError):  # already gone, or already reaped
            pass
    if manager is not None:
        manager.join(JOIN_SECONDS)
    for process in processes:
        process.join(JOIN_SECONDS)


def threaded(
    work: Callable[[T], R], tasks: Sequence[T], jobs: int, done: Callable[[int, R], None] | None = None
) -> list[R]:
    """``[work(task) for task in tasks]`` on ``jobs`` threads, started in the order of ``tasks``:
    for work that waits on another program (Pagefind), which bounds its own time. ``done(i,
    result)`` hears each result as it comes. The first exception reaches the caller once the
    tasks already running have ended; an interrupt does not wait for them."""
    from concurrent.futures import ThreadPoolExecutor

    pool = ThreadPoolExecutor(max_workers=max(1, min(jobs, len(tasks))))
    finished = False
    try:
        results = _gather({pool.submit(work, task): i for i, task in enumerate(tasks)}, done, settle=True)
        finished = True
    finally:
        pool.shutdown(wait=finished, cancel_futures=True)
    return results


def _gather(
    futures: dict[Future[Any], int], done: Callable[[int, Any], None] | None, settle: bool = False
) -> list[Any]:
    """The results of ``futures`` (each with its task's index) in task order, ``done`` told of
    each as it comes. The first exception is raised; with ``settle``, once the tasks already
    running have ended (the others are cancelled)."""
    from concurrent.futures import FIRST_COMPLETED, wait

    results: list[Any] = [None] * len(futures)
    pending: set[Future[Any]] = set(futures)
    while pending:
        ready, pending = wait(pending, return_when=FIRST_COMPLETED)
        for future in sorted(ready, key=futures.__getitem__):
            if settle and future.exception() is not None:
                for other in pending:
                    other.cancel()
                wait(pending)
            i = futures[future]
            results[i] = future.result()
            if done is not None:
                done(i, results[i])
    return results


__all__ = ["WorkerDied", "forked", "threaded"]
