"""Browser-test fixtures: a built site served over HTTP, and headless Chromium driven by Playwright.

Reusable by every browser test in this folder:

- ``served_site(folder, prefix="/")`` serves any folder on 127.0.0.1 (a free port), optionally
  under a sub-path such as ``"/sub/"``, and returns a `ServedSite` (``.root``, ``.url`` such as
  ``http://127.0.0.1:PORT/sub/``, ``.url_for(path)``). Missing files get the folder's
  ``404.html`` with status 404, as the nginx setup in docs/deploy.md does. Servers stop after
  the test.
- ``sample_site``: the sample site (tests/conftest.py ``sample_output``) served at ``/xxgk/``, its base path.
- ``browser``: one headless Debian Chromium (``/usr/bin/chromium``) for the session; tests skip
  with the reason when it or Playwright is missing. Never ``playwright install``.
- ``resolve(site, path)``: the site path of a page type, a ``"*"`` matching one path segment of
  the built output (the first match, sorted), e.g. ``"rosters/*/"``; skips when it is not built.
- ``open_page(site=None, width=1280, height=800, javascript=True, contrast=None,
  forced_colors=None)``: a fresh page in its own context (zh-CN) as a `WatchedPage`: ``.page``,
  ``.site``, ``.goto(site_path)``, and what went wrong while it was open: ``.console_errors``
  (console errors, uncaught exceptions; a CSP violation shows up here) and
  ``.foreign_requests`` (anything requested from another host).

This folder is a package (``__init__.py``) so that this conftest.py does not shadow
tests/conftest.py for ``from conftest import …``.
"""

from __future__ import annotations

import fnmatch
import functools
import http.server
import os
import posixpath
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import quote, unquote, urlsplit

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@dataclass(frozen=True)
class ServedSite:
    root: Path  # the folder served
    url: str  # base URL, ends with "/"

    def url_for(self, path: str) -> str:
        """The URL of site path ``path`` ("" for home, "catalog/", "feed.xml", "search/?q=…")."""
        return self.url + quote(path.lstrip("/"), safe="/#?=&%-._~")


@dataclass
class WatchedPage:
    page: Any  # playwright.sync_api.Page
    site: ServedSite
    console_errors: list[str] = field(default_factory=list)
    foreign_requests: list[str] = field(default_factory=list)

    def goto(self, path: str, wait_until: str = "load") -> Any:
        """Open site path ``path``; returns Playwright's response (``wait_until="networkidle"``: wait for late requests)."""
        return self.page.goto(self.site.url_for(path), wait_until=wait_until)


class _SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Serves ``directory`` under ``prefix``; anything else, or missing, is the site's 404 page."""

    extensions_map: ClassVar[dict[str, str]] = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".js": "text/javascript",
        ".mjs": "text/javascript",
        ".xml": "application/xml",
        ".json": "application/json",
        ".wasm": "application/wasm",
    }

    def __init__(self, *args: Any, directory: str, prefix: str, **kwargs: Any):
        self.prefix = prefix
        super().__init__(*args, directory=directory, **kwargs)

    def translate_path(self, path: str) -> str:
        clean = unquote(urlsplit(path).path)
        if not clean.startswith(self.prefix):
            return os.path.join(str(self.directory), "__outside-prefix__", "missing")
        rest = posixpath.normpath("/" + clean[len(self.prefix) :])
        if clean.endswith("/") and not rest.endswith("/"):
            rest += "/"
        return super().translate_path(rest)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(str(self.directory)) / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
        pass


def output_file(path: str) -> str:
    return path + "index.html" if path == "" or path.endswith("/") else path


def resolve(site: ServedSite, path: str) -> str:
    """The concrete site path for ``path`` (patterns resolved), or skip if it is not built."""
    wanted = output_file(path)
    if "*" in wanted:
        files = sorted(p.relative_to(site.root).as_posix() for p in site.root.rglob("*.html"))
        matches = [f for f in files if fnmatch.fnmatchcase(f, wanted) and f.count("/") == wanted.count("/")]
        if not matches:
            pytest.skip(f"no page matching {wanted} in the built sample site yet (that page type is not built yet)")
        found = matches[0]
        return found.removesuffix("index.html")
    if not (site.root / wanted).is_file():
        pytest.skip(f"{wanted} is not in the built sample site yet (that page type is not built yet)")
    return path


@pytest.fixture
def served_site() -> Iterator[Callable[..., ServedSite]]:
    """``served_site(folder, prefix="/")`` → `ServedSite` of ``folder`` served over HTTP."""
    servers: list[http.server.ThreadingHTTPServer] = []

    def serve(folder: Path, prefix: str = "/") -> ServedSite:
        if not prefix.startswith("/") or not prefix.endswith("/"):
            raise ValueError(f"prefix must start and end with '/': {prefix!r}")
        handler = functools.partial(_SiteHandler, directory=str(folder), prefix=prefix)
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return ServedSite(Path(folder), f"http://127.0.0.1:{server.server_address[1]}{prefix}")

    yield serve
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture
def sample_site(served_site: Callable[..., ServedSite], sample_output: Path) -> ServedSite:
    return served_site(sample_output, "/xxgk/")  # the sample is the portal's /xxgk/ column


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not os.access(CHROMIUM, os.X_OK):
        pytest.skip(f"{CHROMIUM} not found: install Debian's chromium (bash scripts/setup.sh --test)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("Playwright is not installed (see requirements.lock)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def open_page(browser: Any, request: pytest.FixtureRequest) -> Iterator[Callable[..., WatchedPage]]:
    contexts: list[Any] = []

    def open_(
        site: ServedSite | None = None,
        *,
        width: int = 1280,
        height: int = 800,
        javascript: bool = True,
        contrast: str | None = None,
        forced_colors: str | None = None,
    ) -> WatchedPage:
        if site is None:
            site = request.getfixturevalue("sample_site")
        options: dict[str, Any] = {
            "locale": "zh-CN",
            "viewport": {"width": width, "height": height},
            "java_script_enabled": javascript,
        }
        if contrast is not None:
            options["contrast"] = contrast
        if forced_colors is not None:
            options["forced_colors"] = forced_colors
        context = browser.new_context(**options)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        watched = WatchedPage(page, site)
        origin = "{0.scheme}://{0.netloc}/".format(urlsplit(site.url))

        def on_request(req: Any) -> None:
            if not req.url.startswith((origin, "data:", "blob:", "about:")):
                watched.foreign_requests.append(req.url)

        def only_local(route: Any) -> None:  # recorded above; never let it leave the machine
            if route.request.url.startswith((origin, "data:", "blob:", "about:")):
                route.continue_()
            else:
                route.abort()

        page.on("console", lambda m: watched.console_errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda error: watched.console_errors.append(str(error)))
        page.on("request", on_request)
        context.route("**/*", only_local)
        return watched

    yield open_
    for context in contexts:
        context.close()
