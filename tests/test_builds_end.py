"""Every build and check ends: many at once on a loaded machine, with a worker killed from outside,
and with SIGTERM or Ctrl-C at each stage (sent at a known point, `site_builder.testpoints`, never
after a sleep). A hang fails a test after a generous limit instead of holding up CI for ever."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from conftest import ROOT, TODAY, copy_content, tree_bytes

HANG_SECONDS = 300  # far beyond what any of these commands takes, even on a loaded 2-core machine
STRESS_RUNS = int(os.environ.get("STRESS_RUNS", "40"))
AT_ONCE = 4


def _command(*args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    """``build.py`` in a session of its own, so that a hung one can be killed with its workers."""
    return subprocess.Popen(
        [sys.executable, str(ROOT / "build.py"), *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        env={**os.environ, **(env or {})},
    )


def _finish(proc: subprocess.Popen[str]) -> tuple[int | None, str]:
    """(exit code, standard error), or (None, …) when it did not end within `HANG_SECONDS`."""
    try:
        _, err = proc.communicate(timeout=HANG_SECONDS)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        _, err = proc.communicate(timeout=60)
        return None, err
    return proc.returncode, err


@pytest.mark.slow
def test_many_checks_and_builds_at_once_all_end(tmp_path: Path) -> None:
    """`STRESS_RUNS` commands of the sample, `AT_ONCE` at a time (on 2 cores): cold builds and
    checks, so that every run loads, gates and renders in parallel processes."""

    def one(n: int) -> tuple[int, int | None, str]:
        folder = tmp_path / f"run-{n}"
        content_dir = copy_content(folder / "content")  # its own .cache/ beside it: a cold build
        if n % 2:
            args = ["build", "--content", str(content_dir), "--out", str(folder / "output"), "--today", TODAY]
        else:
            args = ["check", "--content", str(content_dir), "--today", TODAY]
        code, err = _finish(_command(*args))
        return n, code, err

    with ThreadPoolExecutor(max_workers=AT_ONCE) as pool:
        outcomes = list(pool.map(one, range(STRESS_RUNS)))
    hung = [n for n, code, _ in outcomes if code is None]
    failed = [(n, code, err[-500:]) for n, code, err in outcomes if code not in (0, None)]
    assert not hung, f"{len(hung)} of {STRESS_RUNS} commands did not end within {HANG_SECONDS} s: runs {hung}"
    assert not failed, failed


def _paused(args: list[str], point: str) -> tuple[subprocess.Popen[str], int, list[str]]:
    """Start ``build.py args`` with the test point ``point`` armed; return once it is there, with
    the pid that reached it and the lines written before."""
    proc = _command(*args, env={"SITE_BUILDER_PAUSE": point})
    assert proc.stderr is not None
    seen: list[str] = []
    for line in proc.stderr:
        seen.append(line)
        if line.startswith(f"testpoint {point} pid "):
            return proc, int(line.split()[-1]), seen
    proc.wait(timeout=60)
    raise AssertionError(f"the build ended without reaching {point}:\n{''.join(seen)}")


def _built_site(tmp_path: Path) -> tuple[Path, Path, dict[str, bytes]]:
    content_dir = copy_content(tmp_path / "content")
    out = tmp_path / "output"
    first = subprocess.run(
        [
            sys.executable,
            str(ROOT / "build.py"),
            "build",
            "--content",
            str(content_dir),
            "--out",
            str(out),
            "--today",
            TODAY,
        ],
        capture_output=True,
        text=True,
        timeout=HANG_SECONDS,
        check=False,
    )
    assert first.returncode == 0, first.stderr
    return content_dir, out, tree_bytes(out)


def _edit(content_dir: Path) -> None:
    """An edit that makes the next build an update: one policy retitled."""
    policy = next((content_dir / "policies").glob("2026/*.md"))
    text = policy.read_text(encoding="utf-8")
    policy.write_text(text.replace("title: ", "title: 改过的", 1), encoding="utf-8")


def test_a_worker_killed_mid_build_ends_the_build_with_a_message(tmp_path: Path) -> None:
    content_dir, out, before = _built_site(tmp_path)
    (content_dir.parent / ".cache").rename(tmp_path / "old-cache")  # cold: the pages are rendered in workers
    args = ["build", "--content", str(content_dir), "--out", str(out), "--today", TODAY, "--jobs", "2"]
    proc, pid, seen = _paused(args, "worker")
    assert pid != proc.pid
    os.kill(pid, signal.SIGKILL)
    code, err = _finish(proc)
    err = "".join(seen) + err
    assert code == 1, err
    assert "一个并行工作进程意外终止" in err and "输出目录保持原样" in err
    assert "Traceback" not in err
    assert tree_bytes(out) == before
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".build-")]


STAGES = ["load", "gate", "render", "publish", "index", "commit"]


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
@pytest.mark.parametrize("stage", STAGES)
def test_a_signal_at_each_stage_keeps_the_old_output(tmp_path: Path, stage: str, sig: int) -> None:
    """An update (one policy edited) stopped at ``stage``: the old output, byte for byte, no
    staging folder left, exit 130. ``publish`` and ``commit`` come after some of the new site
    is in place, so what was moved must be moved back."""
    content_dir, out, before = _built_site(tmp_path)
    _edit(content_dir)
    args = ["build", "--content", str(content_dir), "--out", str(out), "--today", TODAY]
    proc, pid, seen = _paused(args, stage)
    assert pid == proc.pid
    staging = [p.name for p in tmp_path.iterdir() if p.name.startswith(".build-")]
    proc.send_signal(sig)
    code, err = _finish(proc)
    err = "".join(seen) + err
    assert code == 130, err
    assert "已中断：输出目录保持原样，临时文件已清除。" in err
    assert "Traceback" not in err
    assert tree_bytes(out) == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name not in (".cache", "old-cache")) == ["content", "output"]
    if stage not in ("load", "gate"):
        assert staging, "the staging folder exists from the render stage on"


@pytest.mark.parametrize("stage", ["load", "gate"])
def test_a_signal_during_check_ends_it(tmp_path: Path, stage: str) -> None:
    content_dir = copy_content(tmp_path / "content")
    proc, _, seen = _paused(["check", "--content", str(content_dir), "--today", TODAY], stage)
    proc.send_signal(signal.SIGTERM)
    code, err = _finish(proc)
    assert code == 130, "".join(seen) + err
    assert "Traceback" not in err
