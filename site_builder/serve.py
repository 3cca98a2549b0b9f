"""``build.py serve``: build, serve on 127.0.0.1, rebuild on change, reload the browser.

While the content is broken the last good site stays served; the problems are printed in the
terminal and shown over every page as an overlay until the next good build.

Rebuilds run on a thread of their own, so that pages are served while one runs. An update
publishes its pages before it rebuilds the search index (`pipeline.build`'s ``on_pages``): the
browser reloads then, and the index follows a few seconds later without another reload.

Changes are found by `Watcher`, which looks at the content and the templates five times a second;
livereload's own watcher looks every 0.8 s, and reloads the browsers as soon as it sees a change,
before the rebuild has put anything in place.
"""

from __future__ import annotations

import mimetypes
import os
import threading
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import jinja2

from .cache import Stores, is_scratch
from .options import Log, Options
from .pipeline import build
from .problems import ContentError
from .search import SearchIndexError

PREVIEW_DIR = "preview"
POLL_SECONDS = 0.2  # how often the content and templates are looked at (a stat of each file)
_HEAD_END = b"</head>"
_BODY_START = b"<body>"


class Preview:
    """The last build's outcome, shared between the rebuild callback and the request handler."""

    def __init__(self, options: Options, log: Log, reload: Callable[[], None] = lambda: None):
        self.options = options
        self.log = log
        self.reload = reload  # tells the browsers to reload; callable from any thread
        self.problems: list[str] = []
        self.lock = threading.Lock()
        self._pending = False  # a change came in since the running rebuild started
        self._worker: threading.Thread | None = None
        self.stores = Stores(keep=True)  # the cache stays in memory from one rebuild to the next
        env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(options.template_dir / PREVIEW_DIR)),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
        )
        self.overlay = env.get_template("overlay.html")

    def rebuild(self) -> None:
        """One build; the browsers reload as soon as its pages are in place (or it failed)."""
        shown = False

        def pages_published() -> None:
            nonlocal shown
            shown = True
            with self.lock:
                self.problems = []
            self.reload()

        try:
            report = build(self.options, self.log, on_pages=pages_published, stores=self.stores)
        except ContentError as exc:
            problems = [str(p) for p in exc.problems]
            for line in problems:
                self.log(line)
            self.log("内容有误：继续显示上一次成功生成的网站，问题已显示在浏览器中")
            with self.lock:
                self.problems = problems
            self.reload()
            return
        except SearchIndexError as exc:  # Pagefind missing or failing: say so, keep serving
            self.log(f"搜索索引失败：{exc}")
            with self.lock:
                self.problems = [f"搜索索引失败：{exc}"]
            self.reload()
            return
        with self.lock:
            self.problems = []
        self.log(f"已重新生成（{report.seconds:.2f} 秒）")
        if not shown:
            self.reload()

    def request_rebuild(self) -> None:
        """On a change (called on the server's thread): rebuild in the background. Changes that
        come in during a rebuild are picked up by one more rebuild right after it."""
        with self.lock:
            self._pending = True
            if self._worker is not None:
                return
            self._worker = threading.Thread(target=self._rebuild_while_pending, name="rebuild")
            self._worker.start()

    def rebuilding(self) -> bool:
        """Whether a rebuild is running or about to."""
        with self.lock:
            return self._worker is not None

    def wait(self) -> None:
        """Until no rebuild is running or pending (for tests, and for a clean exit)."""
        while (worker := self._worker) is not None:
            worker.join()

    def _rebuild_while_pending(self) -> None:
        while True:
            with self.lock:
                if not self._pending:
                    self._worker = None
                    return
                self._pending = False
            try:
                self.rebuild()
            except (OSError, jinja2.TemplateError) as exc:  # a full disk, a broken template: keep serving
                self.log(f"重新生成失败：{exc}")
                with self.lock:
                    self.problems = [f"重新生成失败：{exc}"]
                self.reload()
            except BaseException:
                with self.lock:
                    self._worker = None
                raise

    def wsgi(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path = unquote(environ.get("PATH_INFO", "/"))
        if path == "/__preview__/overlay.css":
            body = (self.options.template_dir / PREVIEW_DIR / "overlay.css").read_bytes()
            start_response("200 OK", [("Content-Type", "text/css; charset=utf-8")])
            return [body]
        status, target = self._resolve(path)
        body = target.read_bytes() if target is not None else b"Not Found"
        kind = mimetypes.guess_type(target.name)[0] if target is not None else "text/plain"
        kind = kind or "application/octet-stream"
        if kind == "text/html":
            body = self._with_overlay(body)
        charset = "; charset=utf-8" if kind.startswith("text/") or kind.endswith(("xml", "json", "javascript")) else ""
        start_response(status, [("Content-Type", kind + charset), ("Cache-Control", "no-store")])
        return [body]

    def _resolve(self, path: str) -> tuple[str, Path | None]:
        root = self.options.out_dir.resolve()
        candidate = (root / path.lstrip("/")).resolve()
        if candidate.is_relative_to(root):
            if candidate.is_dir():
                candidate = candidate / "index.html"
            if candidate.is_file():
                return "200 OK", candidate
        missing = root / "404.html"
        return "404 Not Found", missing if missing.is_file() else None

    def _with_overlay(self, body: bytes) -> bytes:
        with self.lock:
            problems = list(self.problems)
        if not problems or _BODY_START not in body:
            return body
        fragment = self.overlay.render(problems=problems).encode("utf-8")
        return body.replace(_BODY_START, _BODY_START + fragment, 1)


Stamp = dict[str, tuple[int, int]]


def snapshot(roots: Sequence[Path]) -> Stamp:
    """(mtime_ns, size) of every file under ``roots``, by path, but scratch ones (`is_scratch`: an
    editor's swap file, ``.git``, a backup). Linked folders are followed, each once."""
    found: Stamp = {}
    seen: set[tuple[int, int]] = set()

    def walk(folder: str) -> None:
        try:
            st = os.stat(folder)
            if (st.st_dev, st.st_ino) in seen:
                return
            seen.add((st.st_dev, st.st_ino))
            entries = list(os.scandir(folder))
        except OSError:  # gone, or unreadable: the build reports what it cannot read
            return
        for entry in entries:
            if is_scratch(entry.name):
                continue
            try:
                if entry.is_dir():
                    walk(entry.path)
                else:
                    st = entry.stat()
                    found[entry.path] = (st.st_mtime_ns, st.st_size)
            except OSError:
                found[entry.path] = (-1, -1)  # a broken link is a change too
    for root in roots:
        walk(str(root))
    return found


class Watcher:
    """Calls ``on_change`` when a file under ``roots`` is added, removed or modified, looking
    every POLL_SECONDS, but not while ``busy()``: a change made during a rebuild is seen as soon
    as it ends (the files are compared with what they were before it started)."""

    def __init__(self, roots: Sequence[Path], on_change: Callable[[], None], busy: Callable[[], bool]):
        self.roots = list(roots)
        self.on_change = on_change
        self.busy = busy
        self.last = snapshot(self.roots)

    def poll(self) -> None:
        """Look once."""
        if self.busy():
            return
        now = snapshot(self.roots)
        if now != self.last:
            self.last = now
            self.on_change()


def serve(options: Options, host: str, port: int, log: Log) -> None:
    from livereload import Server

    class _Server(Server):  # type: ignore[misc]
        def get_web_handlers(self, script: bytes) -> list[Any]:
            # livereload injects an inline script, which the site's CSP forbids; load it from
            # the same origin instead (script-src 'self').
            tag = f'<script src="/livereload.js?port={port}"></script>'.encode()
            return super().get_web_handlers(tag)  # type: ignore[no-any-return]

    from livereload.handlers import LiveReloadHandler
    from livereload.watcher import Watcher as LivereloadWatcher
    from tornado.ioloop import IOLoop, PeriodicCallback

    class _Polling(LivereloadWatcher):  # type: ignore[misc]
        """Stands in for livereload's watcher: never reports a change to livereload (which would
        reload the browsers at once), and has `Watcher` poll on the server's loop instead."""

        def start(self, callback: Callable[[], None]) -> bool:
            PeriodicCallback(watcher.poll, POLL_SECONDS * 1000).start()
            return True  # livereload starts no polling of its own

    loop = IOLoop.current()  # the loop the server runs; rebuild threads hand it the reloads
    preview = Preview(options, log, reload=lambda: loop.add_callback(LiveReloadHandler.reload_waiters))
    # the files as they are before the first build: an edit made during it is seen after it
    watcher = Watcher([options.content_dir, options.template_dir], preview.request_rebuild, preview.rebuilding)
    preview.rebuild()
    polling = _Polling()
    polling.watch(str(options.content_dir))  # a task, so that livereload does not watch the working folder
    server = _Server(app=preview.wsgi, watcher=polling)
    log(f"预览地址：http://{host}:{port}/  （Ctrl-C 退出）")
    try:
        server.serve(host=host, port=port, debug=False, open_url_delay=None)
    finally:
        preview.wait()  # a rebuild under way finishes (or puts the output back) before exit
