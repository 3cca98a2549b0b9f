"""``build.py serve`` on a free port: edits show up, broken content keeps the last good site."""

from __future__ import annotations

import os
import signal
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
from urllib.parse import quote, urljoin, urlsplit, urlunsplit

import pytest
from bs4 import BeautifulSoup
from conftest import ROOT, copy_content, policy_md
from linkcheck import EXTERNAL_SCHEMES, LINK_ATTRIBUTES


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
        [
            sys.executable,
            str(ROOT / "build.py"),
            "serve",
            "--content",
            str(root),
            "--out",
            str(tmp_path / "out"),
            "--port",
            str(port),
            "--today",
            "2026-11-29",
        ],
        cwd=tmp_path,
        stdout=log,
        stderr=subprocess.STDOUT,
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
    preview = Preview(
        Options(content_dir=root, out_dir=out, today=date(2026, 11, 29)),
        log.append,
        reload=lambda: served.append(get("/policies/a/")),
    )
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


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None  # a redirect is an answer of its own, not the 200 of where it leads


_DIRECT = urllib.request.build_opener(_NoRedirect)


def get(url: str) -> tuple[int, str, bytes]:
    """Status, Content-Type and body of ``url``, redirects not followed."""
    try:
        with _DIRECT.open(url, timeout=10) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get("Content-Type", ""), exc.read()


def as_sent(url: str) -> str:
    """``url`` as a browser sends it: non-ASCII characters percent-encoded as UTF-8 (those
    already encoded left so), no fragment."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=quote(parts.path, safe="/%:@!$&'()*+,;="), fragment=""))


def test_every_internal_link_of_the_served_sample_site_answers_200(tmp_path: Path) -> None:
    """The preview serves the site's Chinese paths (catalog/社会救助/, rosters/2026-11-中心区-…/):
    the WSGI path is the request's bytes decoded as Latin-1, not the text (PEP 3333). A crawl from
    / follows every href and src of every page, on this host only."""
    root = copy_content(tmp_path / "content")
    with serving(root, tmp_path) as port:
        origin = f"http://127.0.0.1:{port}"
        assert wait_for(lambda: get(origin + "/")[0] == 200, 300), (tmp_path / "serve.log").read_text(encoding="utf-8")
        seen: dict[str, int] = {}
        pending = [origin + "/"]
        linked_from: dict[str, str] = {}
        while pending:
            url = pending.pop()
            if url in seen:
                continue
            status, kind, body = get(url)
            seen[url] = status
            if status != 200 or not kind.startswith("text/html"):
                continue
            doc = BeautifulSoup(body.decode("utf-8"), "html.parser")
            for tag, attribute in LINK_ATTRIBUTES:
                for element in doc.find_all(tag):
                    value = element.get(attribute)
                    if value is None or urlsplit(str(value)).scheme in EXTERNAL_SCHEMES:
                        continue  # external: not fetched
                    target = as_sent(urljoin(url, str(value)))
                    if urlsplit(target).netloc == f"127.0.0.1:{port}" and target not in seen:
                        linked_from.setdefault(target, url)
                        pending.append(target)
    failed = {url: f"{status} (linked from {linked_from.get(url)})" for url, status in seen.items() if status != 200}
    assert not failed, failed
    paths = [urlsplit(url).path for url in seen]
    assert len(paths) > 80, f"only {len(paths)} addresses crawled"
    assert quote("/catalog/社会救助/") in paths
    assert any(path.startswith(quote("/rosters/2026-11-中心区-")) for path in paths)


def test_the_preview_decodes_the_wsgi_path_and_sends_a_folder_without_its_slash_on(tmp_path: Path) -> None:
    from site_builder.options import Options
    from site_builder.serve import Preview

    out = tmp_path / "out"
    (out / "catalog" / "社会救助").mkdir(parents=True)
    (out / "catalog" / "社会救助" / "index.html").write_text("<body>社会救助</body>", encoding="utf-8")
    (out / "100%25.txt").write_text("literal", encoding="utf-8")  # a name with a % in it: not unquoted twice
    (out / "404.html").write_text("<body>找不到</body>", encoding="utf-8")
    preview = Preview(Options(content_dir=tmp_path / "content", out_dir=out, today=date(2026, 11, 29)), print)

    def request(path: str) -> tuple[str, dict[str, str], str]:
        answer: list[tuple[str, dict[str, str]]] = []
        wsgi_path = path.encode("utf-8").decode("latin-1")  # as the server hands it over (PEP 3333)
        body = b"".join(
            preview.wsgi(
                {"PATH_INFO": wsgi_path, "QUERY_STRING": ""},
                lambda status, headers: answer.append((status, dict(headers))),
            )
        )
        return answer[0][0], answer[0][1], body.decode("utf-8")

    assert request("/catalog/社会救助/")[::2] == ("200 OK", "<body>社会救助</body>")
    assert request("/100%25.txt")[::2] == ("200 OK", "literal")
    status, headers, _ = request("/catalog/社会救助")
    assert status == "301 Moved Permanently"
    assert headers["Location"] == quote("/catalog/社会救助/")
    assert request("/catalog/社会")[::2] == ("404 Not Found", "<body>找不到</body>")
    assert request("/../etc/passwd")[0] == "404 Not Found"
    not_utf8 = b"/catalog/\xe7\xa4".decode("latin-1")
    answer: list[str] = []
    b"".join(preview.wsgi({"PATH_INFO": not_utf8}, lambda status, headers: answer.append(status)))
    assert answer == ["404 Not Found"]


MISSPELT = policy_md(body="第一版正文。\n", doc_no=None, doc_n="测民发〔2024〕1号")


def test_the_preview_prints_warnings_and_shows_them_in_a_panel_that_folds(
    content: Callable[..., Path], tmp_path: Path
) -> None:
    """A misspelt key is only a warning (an error under --strict, as in CI): the page is built
    without it. The preview says so in the terminal, as ``build`` does, and at the bottom of every
    page, in a panel apart from the error overlay, which folds down to its title."""
    root = content({"policies/a.md": MISSPELT})
    warning = "content/policies/a.md:6: 警告：未知的键 “doc_n”"
    with serving(root, tmp_path) as port:
        page = f"http://127.0.0.1:{port}/policies/a/"
        assert wait_for(lambda: "preview-warnings" in fetch(page)), "no warnings panel"
        log = (tmp_path / "serve.log").read_text(encoding="utf-8")
        assert warning in log
        assert log.index(warning) < log.index("已重新生成")  # printed with the build, as `build` does
        assert "1 个警告" in log

        doc = BeautifulSoup(fetch(page), "html.parser")
        assert "第一版正文" in doc.get_text()  # the page itself, as built
        assert doc.find(class_="preview-overlay") is None and doc.select_one("[role=alert]") is None
        panel = doc.find("aside", class_="preview-warnings")
        assert panel is not None
        after = [tag.name for tag in panel.find_next_siblings()]
        assert after in ([], ["script"]), after  # at the end of <body>
        skip = doc.select_one("body a")
        assert skip is not None and skip.get("href") == "#main-content"  # the skip link stays first
        title = doc.find(id=str(panel["aria-labelledby"]))
        assert title is not None and title.name == "summary"
        details = title.parent
        assert details is not None and details.name == "details" and details.has_attr("open")  # open; folds
        assert "警告（CI 的 --strict 会把它们当作错误）" in title.get_text()
        assert warning in panel.get_text()
        for src in ("/__preview__/overlay.css", "/__preview__/overlay.js"):
            assert get(f"http://127.0.0.1:{port}{src}")[0] == 200

        time.sleep(1.1)  # coarse mtime resolution on some file systems
        (root / "policies" / "a.md").write_text(policy_md(body="第二版正文。\n"), encoding="utf-8")
        assert wait_for(lambda: "第二版正文" in fetch(page) and "preview-warnings" not in fetch(page))


def test_an_edit_that_adds_or_fixes_a_warning_reloads_the_browsers_with_the_new_warnings(
    content: Callable[..., Path], tmp_path: Path
) -> None:
    """An update publishes its pages before its warnings are known: the browsers reload at once,
    and once more when the build ends if its warnings differ from those shown."""
    from site_builder.options import Options
    from site_builder.serve import Preview

    root = content({"policies/a.md": policy_md(body="第一版正文。\n")})
    shown: list[str] = []
    log: list[str] = []

    def page() -> str:
        return b"".join(preview.wsgi({"PATH_INFO": "/policies/a/"}, lambda status, headers: None)).decode("utf-8")

    preview = Preview(
        Options(content_dir=root, out_dir=tmp_path / "out", today=date(2026, 11, 29)),
        log.append,
        reload=lambda: shown.append(page()),
    )
    preview.rebuild()
    assert len(shown) == 1 and "preview-warnings" not in shown[0]

    (root / "policies" / "a.md").write_text(MISSPELT.replace("第一版", "第二版"), encoding="utf-8")
    preview.rebuild()
    assert "第二版正文" in shown[-1] and "preview-warnings" in shown[-1] and "doc_n" in shown[-1]
    assert any("doc_n" in line for line in log)

    reloads = len(shown)
    (root / "policies" / "a.md").write_text(MISSPELT.replace("第一版", "第三版"), encoding="utf-8")
    preview.rebuild()
    assert len(shown) == reloads + 1, "the same warnings: one reload"
    assert "第三版正文" in shown[-1] and "preview-warnings" in shown[-1]

    (root / "policies" / "a.md").write_text(policy_md(body="第四版正文。\n"), encoding="utf-8")
    preview.rebuild()
    assert "第四版正文" in shown[-1] and "preview-warnings" not in shown[-1]


def test_serve_on_a_busy_port_says_so_before_building_and_exits_2(content: Callable[..., Path], tmp_path: Path) -> None:
    root = content({"policies/a.md": policy_md()})
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        proc = subprocess.run(
            [
                sys.executable,
                str(ROOT / "build.py"),
                "serve",
                "--content",
                str(root),
                "--out",
                str(tmp_path / "out"),
                "--port",
                str(port),
                "--today",
                "2026-11-29",
            ],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    assert proc.returncode == 2, proc.stderr
    assert f"端口 {port} 已被占用" in proc.stderr
    assert "--port " in proc.stderr  # the next free port, to use instead
    assert "Traceback" not in proc.stderr and "Address already in use" not in proc.stderr
    assert "预览地址" not in proc.stderr  # no address that does not work
    assert not (tmp_path / "out").exists()  # nothing built


def _children() -> list[int]:
    """The pids of this process's children, from /proc."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == os.getpid():
            found.append(int(stat.parent.name))
    return found


def test_a_worker_killed_during_a_preview_build_is_shown_and_the_preview_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The preview's builds fork workers too: one killed from outside (the OOM killer) fails that
    build with a message in the terminal and the overlay, and the preview keeps serving."""
    from site_builder.options import Options
    from site_builder.serve import Preview

    root = copy_content(tmp_path / "content")
    log: list[str] = []
    preview = Preview(Options(content_dir=root, out_dir=tmp_path / "out", today=date(2026, 11, 29), jobs=2), log.append)
    monkeypatch.setenv("SITE_BUILDER_PAUSE", "worker")  # the workers wait at their first task
    before = set(_children())
    build = threading.Thread(target=preview.rebuild)
    build.start()
    workers: list[int] = []
    for _ in range(600):  # up to 60 s for the pool to start (a bounded wait, not a timing assumption)
        workers = sorted(set(_children()) - before)
        if workers:
            break
        build.join(0.1)
    assert workers, "the build should have forked its workers"
    os.kill(workers[0], signal.SIGKILL)
    build.join(120)
    assert not build.is_alive()
    assert preview.errors and preview.errors[0].startswith("生成失败：一个并行工作进程意外终止")
    assert log[-1] == preview.errors[0]
