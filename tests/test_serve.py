"""``build.py serve`` on a free port: edits show up, broken content keeps the last good site."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Callable

from conftest import ROOT, policy_md


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.read().decode("utf-8")


def wait_for(condition: Callable[[], bool], seconds: float = 30.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if condition():
                return True
        except (urllib.error.URLError, ConnectionError, OSError):
            pass
        time.sleep(0.2)
    return False


def test_serve_rebuilds_keeps_last_good_site_and_reports_errors(content: Callable[..., Path], tmp_path: Path) -> None:
    root = content({"policies/a.md": policy_md(body="第一版正文。\n")})
    port = free_port()
    log = (tmp_path / "serve.log").open("w+", encoding="utf-8")
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "build.py"), "serve", "--content", str(root), "--out", str(tmp_path / "out"),
         "--port", str(port), "--today", "2026-11-29"],
        cwd=tmp_path, stdout=log, stderr=subprocess.STDOUT,
    )
    page = f"http://127.0.0.1:{port}/policies/a/"
    try:
        assert wait_for(lambda: "第一版正文" in fetch(page)), "the first build was never served"
        assert '<script src="/livereload.js' in fetch(page)

        policy = root / "policies" / "a.md"
        time.sleep(1.1)  # coarse mtime resolution on some file systems
        policy.write_text(policy_md(body="第二版正文。\n"), encoding="utf-8")
        assert wait_for(lambda: "第二版正文" in fetch(page)), "the edit never appeared"

        time.sleep(1.1)
        policy.write_text(policy_md(body="第三版正文。\n", date="2024-02-30"), encoding="utf-8")
        assert wait_for(lambda: "preview-overlay" in fetch(page)), "no error overlay"
        html = fetch(page)
        assert "第二版正文" in html  # the last good page is still served
        assert "content/policies/a.md:6:" in html
        log.flush()
        assert "content/policies/a.md:6:" in (tmp_path / "serve.log").read_text(encoding="utf-8")

        time.sleep(1.1)
        policy.write_text(policy_md(body="第四版正文。\n"), encoding="utf-8")
        assert wait_for(lambda: "第四版正文" in fetch(page) and "preview-overlay" not in fetch(page))
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
