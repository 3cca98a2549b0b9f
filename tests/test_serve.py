"""``build.py serve`` on a free port: edits show up, broken content keeps the last good site."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest
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


@contextmanager
def serving(root: Path, tmp_path: Path) -> Iterator[int]:
    """``build.py serve`` of ``root`` on a free port (its output in ``tmp_path / "serve.log"``)."""
    port = free_port()
    log = (tmp_path / "serve.log").open("w+", encoding="utf-8")
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "build.py"), "serve", "--content", str(root), "--out", str(tmp_path / "out"),
         "--port", str(port), "--today", "2026-11-29"],
        cwd=tmp_path, stdout=log, stderr=subprocess.STDOUT,
    )
    try:
        yield port
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def test_serve_rebuilds_keeps_last_good_site_and_reports_errors(content: Callable[..., Path], tmp_path: Path) -> None:
    root = content({"policies/a.md": policy_md(body="第一版正文。\n")})
    with serving(root, tmp_path) as port:
        page = f"http://127.0.0.1:{port}/policies/a/"
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
        assert "content/policies/a.md:6:" in (tmp_path / "serve.log").read_text(encoding="utf-8")

        time.sleep(1.1)
        policy.write_text(policy_md(body="第四版正文。\n"), encoding="utf-8")
        assert wait_for(lambda: "第四版正文" in fetch(page) and "preview-overlay" not in fetch(page))


def test_an_edit_is_served_before_the_search_index_is_rebuilt(
    content: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The preview rebuilds on a thread of its own: the edited page is served, and the browsers
    told to reload, while the search index is still being built; the index follows."""
    from site_builder import pipeline
    from site_builder.options import Options
    from site_builder.search import read_index
    from site_builder.serve import Preview

    def indexed(site: Path, text: str) -> bool:
        return any(text in page.content.replace("\u200b", "") for page in read_index(site))  # words split by ZWSP

    root = content({"policies/a.md": policy_md(body="第一版正文。\n")})
    out = tmp_path / "out"
    served: list[str] = []

    def get(path: str) -> str:
        statuses: list[str] = []
        body = b"".join(preview.wsgi({"PATH_INFO": path}, lambda status, headers: statuses.append(status)))
        assert statuses == ["200 OK"]
        return body.decode("utf-8")

    log: list[str] = []
    preview = Preview(Options(content_dir=root, out_dir=out, today=date(2026, 11, 29)), log.append,
                      reload=lambda: served.append(get("/policies/a/")))
    preview.rebuild()
    assert len(served) == 1 and "第一版正文" in served[0]

    indexing, finish = threading.Event(), threading.Event()
    real_index = pipeline.index_site

    def slow_index(*args: object, **kwargs: object) -> object:
        indexing.set()
        assert finish.wait(60)
        return real_index(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "index_site", slow_index)
    (root / "policies" / "a.md").write_text(policy_md(body="第二版正文。\n"), encoding="utf-8")
    preview.request_rebuild()
    try:
        assert indexing.wait(60), "the search index was never rebuilt"
        assert len(served) == 2 and "第二版正文" in served[1], "browsers were not reloaded before the index"
        assert "第二版正文" in get("/policies/a/")
        assert indexed(out, "第一版正文") and not indexed(out, "第二版正文")  # the old index, still
    finally:
        finish.set()
        preview.wait()
    assert indexed(out, "第二版正文") and not indexed(out, "第一版正文")
    assert len(served) == 2  # no second reload for the index


def test_the_watcher_sees_each_kind_of_change_but_not_hidden_files_nor_during_a_rebuild(tmp_path: Path) -> None:
    from site_builder.serve import Watcher

    root = tmp_path / "content"
    (root / "policies").mkdir(parents=True)
    policy = root / "policies" / "a.md"
    policy.write_text("一", encoding="utf-8")
    changes: list[int] = []
    busy = [False]
    watcher = Watcher([root], lambda: changes.append(1), lambda: busy[0])

    def seen() -> int:
        before = len(changes)
        watcher.poll()
        return len(changes) - before

    assert seen() == 0
    policy.write_text("一二", encoding="utf-8")  # modified
    assert seen() == 1 and seen() == 0
    (root / "policies" / "b.md").write_text("x", encoding="utf-8")  # added
    assert seen() == 1
    (root / "policies" / "b.md").unlink()  # removed
    assert seen() == 1
    (root / "policies" / ".a.md.swp").write_text("x", encoding="utf-8")  # an editor's files
    (root / "policies" / "a.md~").write_text("x", encoding="utf-8")
    (root / ".git").mkdir()
    (root / ".git" / "index").write_text("x", encoding="utf-8")
    assert seen() == 0
    (root / "policies" / "loop").symlink_to(root)  # a linked folder that loops: looked at once
    assert seen() == 0
    busy[0] = True  # during a rebuild, nothing is looked at; the change is seen after it
    (root / "policies" / "c.md").write_text("x", encoding="utf-8")
    assert seen() == 0
    busy[0] = False
    assert seen() == 1


def test_the_browser_is_told_to_reload_once_when_the_edited_page_is_in_place(
    content: Callable[..., Path], tmp_path: Path
) -> None:
    """livereload's own watcher would tell the browsers to reload as soon as it saw the change,
    before the rebuild: they would show the old page, then reload again."""
    import json

    from tornado.ioloop import IOLoop
    from tornado.websocket import websocket_connect

    root = content({"policies/a.md": policy_md(body="第一版正文。\n")})
    shown: list[str] = []  # the page as a browser reloading at each message would get it
    connected = threading.Event()

    def browser(port: int, page: str) -> None:
        async def run() -> None:
            ws = await websocket_connect(f"ws://127.0.0.1:{port}/livereload")
            await ws.write_message(json.dumps({"command": "hello", "protocols": []}))
            await ws.write_message(json.dumps({"command": "info", "url": page, "plugins": {}}))
            connected.set()
            while (message := await ws.read_message()) is not None:
                if json.loads(message).get("command") == "reload":
                    shown.append(fetch(page))

        IOLoop().run_sync(run)

    with serving(root, tmp_path) as port:
        page = f"http://127.0.0.1:{port}/policies/a/"
        assert wait_for(lambda: "第一版正文" in fetch(page)), "the first build was never served"
        threading.Thread(target=browser, args=(port, page), daemon=True).start()
        assert connected.wait(10)
        time.sleep(3.5)  # livereload skips a reload within 3 s of the last one (the server's start)
        (root / "policies" / "a.md").write_text(policy_md(body="第二版正文。\n"), encoding="utf-8")
        assert wait_for(lambda: "第二版正文" in fetch(page)), "the edit never appeared"
        assert wait_for(lambda: (tmp_path / "serve.log").read_text(encoding="utf-8").count("已重新生成") == 2)
        time.sleep(1.0)  # any late message
        assert len(shown) == 1, f"{len(shown)} reloads"
        assert "第二版正文" in shown[0]
