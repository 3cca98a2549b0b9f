"""``build.py serve``: build, serve on 127.0.0.1, rebuild on change, reload the browser.

While the content is broken the last good site stays served; the problems are printed in the
terminal and shown over every page as an overlay until the next good build.
"""

from __future__ import annotations

import mimetypes
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import jinja2

from .pipeline import Log, Options, build
from .problems import ContentError
from .search import SearchIndexError

PREVIEW_DIR = "preview"
_HEAD_END = b"</head>"
_BODY_START = b"<body>"


class Preview:
    """The last build's outcome, shared between the rebuild callback and the request handler."""

    def __init__(self, options: Options, log: Log):
        self.options = options
        self.log = log
        self.problems: list[str] = []
        self.lock = threading.Lock()
        env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(options.template_dir / PREVIEW_DIR)),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
        )
        self.overlay = env.get_template("overlay.html")

    def rebuild(self) -> None:
        try:
            report = build(self.options, self.log)
        except ContentError as exc:
            problems = [str(p) for p in exc.problems]
            for line in problems:
                self.log(line)
            self.log("内容有误：继续显示上一次成功生成的网站，问题已显示在浏览器中")
            with self.lock:
                self.problems = problems
            return
        except SearchIndexError as exc:  # Pagefind missing or failing: say so, keep serving
            self.log(f"搜索索引失败：{exc}")
            with self.lock:
                self.problems = [f"搜索索引失败：{exc}"]
            return
        with self.lock:
            self.problems = []
        self.log(f"已重新生成（{report.seconds:.2f} 秒）")

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


def serve(options: Options, host: str, port: int, log: Log) -> None:
    from livereload import Server

    class _Server(Server):  # type: ignore[misc]
        def get_web_handlers(self, script: bytes) -> list[Any]:
            # livereload injects an inline script, which the site's CSP forbids; load it from
            # the same origin instead (script-src 'self').
            tag = f'<script src="/livereload.js?port={port}"></script>'.encode()
            return super().get_web_handlers(tag)  # type: ignore[no-any-return]

    preview = Preview(options, log)
    preview.rebuild()
    server = _Server(app=preview.wsgi)
    server.watch(str(options.content_dir), preview.rebuild)
    server.watch(str(options.template_dir), preview.rebuild)
    log(f"预览地址：http://{host}:{port}/  （Ctrl-C 退出）")
    server.serve(host=host, port=port, debug=False, open_url_delay=None)
