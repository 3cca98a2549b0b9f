"""How long the preview takes to show an edit: from saving a policy to the browsers being told to
reload, with the edited page in place (issue 8: within 1 s of the save).

`measure` starts ``build.py serve`` on a free port, waits for its first build, connects to the
livereload socket the way livereload.js does (hello, then info), and edits one policy several
times. For each edit it takes the time from the write to the ``reload`` message, fetches the page
at that moment (what a reloading browser would get) and checks that the edit is in it; it then
waits for the rebuild to end (the search index too) before the next edit.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

REBUILT = "已重新生成"  # the preview's line at the end of each build
TIMEOUT = 120.0


@dataclass
class ServeRun:
    latencies: list[float] = field(default_factory=list)  # save → reload message, seconds
    shown: list[bool] = field(default_factory=list)  # the page fetched at the message had the edit
    rss_mb: float = 0.0  # peak resident memory of the serve process
    error: str = ""


class _Browser:
    """A livereload client on a thread of its own: the times of the reload messages it gets."""

    def __init__(self, port: int, page: str):
        self.reloads: list[float] = []
        self.connected = threading.Event()
        self._port, self._page = port, page
        threading.Thread(target=self._run, daemon=True).start()

    def _run(self) -> None:
        from tornado.ioloop import IOLoop
        from tornado.websocket import websocket_connect

        async def listen() -> None:
            ws = await websocket_connect(f"ws://127.0.0.1:{self._port}/livereload")
            await ws.write_message(json.dumps({"command": "hello", "protocols": []}))
            await ws.write_message(json.dumps({"command": "info", "url": self._page, "plugins": {}}))
            self.connected.set()
            while (message := await ws.read_message()) is not None:
                if isinstance(message, str) and json.loads(message).get("command") == "reload":
                    self.reloads.append(time.perf_counter())

        IOLoop().run_sync(listen)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return str(response.read().decode("utf-8"))
    except (urllib.error.URLError, OSError):
        return ""


def _wait(condition: Callable[[], bool], seconds: float = TIMEOUT, step: float = 0.002) -> bool:
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        if condition():
            return True
        time.sleep(step)
    return False


def _wait_more(count: Callable[[], int], than: int, step: float = 0.002) -> bool:
    """Until ``count()`` is more than ``than``; False after TIMEOUT."""
    return _wait(lambda: count() > than, step=step)


def measure(
    build_py: Path, content: Path, out: Path, today: date, policy: Path, url: str, sentences: list[str], log_file: Path
) -> ServeRun:
    """Serve ``content`` into ``out`` and time one edit of ``policy`` (published at ``url``, a
    path such as ``/policies/x/``) per sentence of ``sentences``, each appended to its text.
    The policy is put back as it was at the end."""
    run = ServeRun()
    port = _free_port()
    original = policy.read_bytes()
    with open(log_file, "w+b") as log:
        proc = subprocess.Popen(
            [
                sys.executable,
                str(build_py),
                "serve",
                "--content",
                str(content),
                "--out",
                str(out),
                "--port",
                str(port),
                "--today",
                today.isoformat(),
            ],
            cwd=content.parent,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

        def rebuilds() -> int:
            return log_file.read_text(encoding="utf-8", errors="replace").count(REBUILT)

        try:
            page = f"http://127.0.0.1:{port}{url}"
            if not _wait(lambda: "</html>" in _fetch(page), step=0.2):
                run.error = "the preview never served the page"
                return run
            browser = _Browser(port, page)
            if not browser.connected.wait(30):
                run.error = "could not connect to the livereload socket"
                return run
            for sentence in sentences:
                done, heard = rebuilds(), len(browser.reloads)
                saved = time.perf_counter()
                policy.write_bytes(original.rstrip(b"\n") + f"\n\n{sentence}\n".encode())
                if not _wait_more(lambda: len(browser.reloads), than=heard):
                    run.error = "no reload message"
                    return run
                run.latencies.append(browser.reloads[heard] - saved)
                run.shown.append(sentence in _fetch(page))
                if not _wait_more(rebuilds, than=done, step=0.05):  # the search index, before the next edit
                    run.error = "the rebuild never ended"
                    return run
        finally:
            policy.write_bytes(original)
            run.rss_mb = _stop(proc)
    return run


def _stop(proc: subprocess.Popen[bytes]) -> float:
    """Stop the preview (and its workers); the peak resident memory of its largest process, MB."""
    os.killpg(proc.pid, signal.SIGTERM)
    deadline = time.perf_counter() + 30
    while time.perf_counter() < deadline:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            proc.returncode = os.waitstatus_to_exitcode(status)  # reaped: Popen must not wait again
            return usage.ru_maxrss / 1024
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    return 0.0
