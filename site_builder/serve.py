"""``build.py serve``: build, serve on 127.0.0.1, rebuild on change, reload the browser.

While the content is broken the last good site stays served; the problems are printed in the
terminal and shown over every page as an overlay until the next good build. A good build's
warnings (an error only under ``--strict``, as in CI) are printed too, and shown in a panel at the
bottom of every page that can be folded away.

Request paths are UTF-8 (the site has folders such as ``catalog/社会救助/``): the WSGI server hands
them over already percent-decoded, as a string of the raw bytes decoded as Latin-1 (PEP 3333),
which `request_path` turns back into the real path.

Rebuilds run on a thread of their own, so that pages are served while one runs. An update
publishes its pages before it rebuilds the search index (`pipeline.build`'s ``on_pages``): the
browser reloads then, and the index follows a few seconds later without another reload.

Changes are found by `Watcher`, which looks at the content and the templates five times a second;
livereload's own watcher looks every 0.8 s, and reloads the browsers as soon as it sees a change,
before the rebuild has put anything in place.
"""

from __future__ import annotations

import errno
import hashlib
import mimetypes
import os
import threading
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2

from .cache import Stores, is_scratch
from .options import Log, Options
from .parallel import WorkerDied
from .pipeline import build
from .problems import ContentError, UsageError
from .search import SearchIndexError

PREVIEW_DIR = "preview"
POLL_SECONDS = 0.2  # how often the content and templates are looked at (a stat of each file)
_BODY_START = b"<body>"
_BODY_END = b"</body>"
_PREVIEW_FILES = {  # the overlay's own files, served from the templates, never part of the site
    "/__preview__/overlay.css": ("overlay.css", "text/css; charset=utf-8"),
    "/__preview__/overlay.js": ("overlay.js", "text/javascript; charset=utf-8"),
}
PORT_SEARCH = 50  # how many ports after a busy one are tried for a free one to suggest


def request_path(environ: dict[str, Any]) -> str | None:
    """The path asked for, as text; None if it is not UTF-8.

    PATH_INFO is already percent-decoded by the server (``%E4%B8%AD`` → its three bytes), and
    is those bytes decoded as Latin-1 (PEP 3333): encode back, decode as UTF-8, and unquote no
    more (a second unquote would turn a literal ``%25`` in a file name into ``%``)."""
    raw = environ.get("PATH_INFO") or "/"
    try:
        return str(raw.encode("latin-1").decode("utf-8"))
    except UnicodeEncodeError:  # not a WSGI string (a caller that passes real text): it is the path
        return str(raw)
    except UnicodeDecodeError:
        return None


def _listen_test(host: str, port: int) -> None:
    """Bind (and release) ``host:port`` the way the server will (tornado's `bind_sockets`:
    every address ``host`` has, SO_REUSEADDR), so that a busy port is found before building."""
    from tornado.netutil import bind_sockets

    for sock in bind_sockets(port, host):
        sock.close()


def _free_port_after(host: str, port: int) -> int | None:
    for candidate in range(port + 1, min(port + PORT_SEARCH, 65535) + 1):
        try:
            _listen_test(host, candidate)
        except OSError:
            continue
        return candidate
    return None


def _busy(host: str, port: int) -> UsageError:
    free = _free_port_after(host, port)
    hint = f"，例如 --port {free}（目前空闲）" if free is not None else ""
    return UsageError(f"端口 {port} 已被占用（也许另一个预览已在运行）。请用 --port N 换一个端口{hint}")


def check_address(host: str, port: int) -> None:
    """Raise `UsageError` unless the preview can listen on ``host:port``."""
    if not 1 <= port <= 65535:
        raise UsageError(f"--port 应为 1 到 65535 之间的端口号：{port}")
    try:
        _listen_test(host, port)
    except OSError as exc:  # socket.gaierror (an unknown host) is one too
        if exc.errno == errno.EADDRINUSE:
            raise _busy(host, port) from None
        raise UsageError(f"无法在 {host}:{port} 上提供预览（{exc.strerror or exc}）：请检查 --host 和 --port") from None


class Preview:
    """The last build's outcome, shared between the rebuild callback and the request handler."""

    def __init__(self, options: Options, log: Log, reload: Callable[[], None] = lambda: None):
        self.options = options
        self.log = log
        self.reload = reload  # tells the browsers to reload; callable from any thread
        self.errors: list[str] = []  # the last build failed: why (the last good site is served)
        self.warnings: list[str] = []  # the last good build's warnings
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
        """One build; the browsers reload as soon as its pages are in place (or it failed).

        An update's pages are published before the build ends, and so before its warnings are
        known: the browsers reload showing the last build's warnings, and once more at the end
        if this build's are different."""
        shown: list[str] | None = None  # the warnings shown when the pages were published

        def pages_published() -> None:
            nonlocal shown
            with self.lock:
                self.errors = []
                shown = list(self.warnings)
            self.reload()

        try:
            report = build(self.options, self.log, on_pages=pages_published, stores=self.stores)
        except ContentError as exc:
            self.failed([str(p) for p in exc.problems], "内容有误：继续显示上一次成功生成的网站，问题已显示在浏览器中")
            return
        except SearchIndexError as exc:  # Pagefind missing or failing: say so, keep serving
            self.failed([f"搜索索引失败：{exc}"])
            return
        except WorkerDied as exc:  # a worker killed (out of memory?): the next save builds again
            self.failed([f"生成失败：{exc}；保存任一文件即重新生成"])
            return
        warnings = [str(p) for p in report.problems.warnings]
        for line in warnings:
            self.log(line)
        with self.lock:
            self.errors = []
            self.warnings = warnings
        counted = f"，{len(warnings)} 个警告（已显示在浏览器中；CI 的 --strict 会把它们当作错误）" if warnings else ""
        self.log(f"已重新生成（{report.seconds:.2f} 秒）{counted}")
        if shown != warnings:  # None: nothing was published before the end
            self.reload()

    def failed(self, problems: list[str], summary: str | None = None) -> None:
        """A build that failed: say why in the terminal and over every page."""
        for line in problems:
            self.log(line)
        if summary:
            self.log(summary)
        with self.lock:
            self.errors = problems
            self.warnings = []  # this build's are not known, and the errors matter more
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
                self.failed([f"重新生成失败：{exc}"])
            except BaseException:
                with self.lock:
                    self._worker = None
                raise

    def wsgi(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path = request_path(environ)
        if path in _PREVIEW_FILES:
            name, content_type = _PREVIEW_FILES[path]
            body = (self.options.template_dir / PREVIEW_DIR / name).read_bytes()
            start_response("200 OK", [("Content-Type", content_type), ("Cache-Control", "no-store")])
            return [body]
        if path is not None and not path.endswith("/") and self._is_folder(path):
            # as the web server does: a folder's address ends in "/", or its relative links break
            location = quote(path.encode("utf-8")) + "/"
            if environ.get("QUERY_STRING"):
                location += "?" + environ["QUERY_STRING"]
            start_response(
                "301 Moved Permanently",
                [
                    ("Location", location),
                    ("Content-Type", "text/plain; charset=utf-8"),
                    ("Cache-Control", "no-store"),
                ],
            )
            return [b""]
        status, target = self._resolve(path)
        body = target.read_bytes() if target is not None else b"Not Found"
        kind = mimetypes.guess_type(target.name)[0] if target is not None else "text/plain"
        kind = kind or "application/octet-stream"
        if kind == "text/html":
            body = self._with_overlay(body)
        charset = "; charset=utf-8" if kind.startswith("text/") or kind.endswith(("xml", "json", "javascript")) else ""
        start_response(status, [("Content-Type", kind + charset), ("Cache-Control", "no-store")])
        return [body]

    def _inside(self, path: str) -> Path | None:
        """Where ``path`` is in the output folder, or None if outside it (``..``) or not a name."""
        if "\x00" in path:
            return None
        root = self.options.out_dir.resolve()
        candidate = (root / path.lstrip("/")).resolve()
        return candidate if candidate.is_relative_to(root) else None

    def _is_folder(self, path: str) -> bool:
        candidate = self._inside(path)
        return candidate is not None and (candidate / "index.html").is_file()

    def _resolve(self, path: str | None) -> tuple[str, Path | None]:
        candidate = self._inside(path) if path is not None else None
        if candidate is not None:
            if candidate.is_dir():
                candidate = candidate / "index.html"
            if candidate.is_file():
                return "200 OK", candidate
        missing = self.options.out_dir.resolve() / "404.html"
        return "404 Not Found", missing if missing.is_file() else None

    def _with_overlay(self, body: bytes) -> bytes:
        """The errors at the top of the page (after ``<body>``), the warnings at its end (before
        ``</body>``: the skip link stays the first thing a keyboard reaches)."""
        with self.lock:
            errors, warnings = list(self.errors), list(self.warnings)
        if errors and _BODY_START in body:
            fragment = self.overlay.render(errors=errors, warnings=[], key="").encode("utf-8")
            body = body.replace(_BODY_START, _BODY_START + fragment, 1)
        elif warnings and _BODY_END in body:
            key = hashlib.sha256("\n".join(warnings).encode("utf-8")).hexdigest()[:16]
            fragment = self.overlay.render(errors=[], warnings=warnings, key=key).encode("utf-8")
            at = body.rindex(_BODY_END)
            body = body[:at] + fragment + body[at:]
        return body


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

    check_address(host, port)  # before building: a busy port is a usage error, said at once
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
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:  # taken by something else while the site was being built
            raise _busy(host, port) from None
        raise
    finally:
        preview.wait()  # a rebuild under way finishes (or puts the output back) before exit
