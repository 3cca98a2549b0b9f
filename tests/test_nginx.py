"""The nginx configuration of docs/deploy.md, run in a real nginx against a build of the sample site.

The blocks are taken from the document itself (the ```nginx fence after each
``<!-- nginx-test: NAME -->`` mark), so the test fails when the documented text does. Only what a
test on 127.0.0.1 cannot have is substituted (a substitution that matches nothing fails the test):

- the one ``listen 443 ssl …;`` line becomes a plain ``listen 127.0.0.1:PORT;`` and the
  ``ssl_*`` lines go (the test speaks plain HTTP); ``test_documented_tls_server_loads`` keeps
  them, only the port and the certificate's paths changed, and has nginx check the result;
- the one ``listen 80;`` becomes another free port on 127.0.0.1;
- ``/srv/mzj/current`` (in ``root`` and ``alias``) becomes the folder of the build.

The server block and the sub-path locations are wrapped in the least nginx needs (``events``,
``http`` with Debian's ``mime.types``; the sub-path block in a bare host ``server``). The
headers snippet is written where the blocks include it from (``snippets/mzj-headers.conf``,
relative to the configuration's folder, as in /etc/nginx).

nginx missing: a skip on a developer's machine, a failure under CI (``CI=true``), where
``scripts/setup.sh --test`` installs it.
"""

from __future__ import annotations

import contextlib
import gzip
import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import ROOT, SAMPLE_CONTENT, run_cli

DEPLOY_MD = ROOT / "docs" / "deploy.md"
MIME_TYPES = Path("/etc/nginx/mime.types")
TODAY = "2026-12-03"
DOC_ROOT = "/srv/mzj/current"
START_TIMEOUT = 60.0  # seconds for nginx to accept connections (a busy, shared machine)


def _nginx_binary() -> str:
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if found and MIME_TYPES.exists():
        return found
    reason = "nginx is not installed (scripts/setup.sh --test installs it)"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(reason + ": under CI this test must run", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def nginx() -> str:
    return _nginx_binary()


def doc_blocks() -> dict[str, str]:
    """Every ```nginx block of docs/deploy.md that follows a ``<!-- nginx-test: NAME -->`` mark."""
    text = DEPLOY_MD.read_text(encoding="utf-8")
    blocks = dict(re.findall(r"<!-- nginx-test: ([\w-]+) -->\n```nginx\n(.*?)\n```", text, flags=re.DOTALL))
    assert set(blocks) == {"headers", "site", "subpath"}, f"marked nginx blocks in {DEPLOY_MD}: {sorted(blocks)}"
    return blocks


def swap(text: str, old: str, new: str) -> str:
    """``old`` → ``new``, where ``old`` must occur exactly once: a substitution that matches
    nothing would leave the documented line in place and test something else."""
    assert text.count(old) == 1, f"expected {old!r} exactly once in the documented block"
    return text.replace(old, new)


def swap_pattern(text: str, pattern: str, new: str) -> str:
    """``swap`` for the one line that matches ``pattern`` (a regular expression, multiline)."""
    found = re.findall(pattern, text, flags=re.MULTILINE)
    assert len(found) == 1, f"expected one line like {pattern!r} in the documented block, found {found}"
    return re.sub(pattern, new, text, flags=re.MULTILINE)


def at(block: str, out: Path) -> str:
    """The documented site folder (in every ``root`` and ``alias``) replaced by the build."""
    assert DOC_ROOT in block, f"the documented block does not serve {DOC_ROOT}"
    return block.replace(DOC_ROOT, str(out))


def without_tls(block: str, port: int) -> str:
    """The documented HTTPS listener as plain HTTP on 127.0.0.1:``port``, certificate lines dropped."""
    block = swap_pattern(block, r"^[ \t]*listen 443 ssl\b[^;]*;", f"    listen 127.0.0.1:{port};")
    return re.sub(r"^[ \t]*ssl_\w+[ \t][^\n]*\n", "", block, flags=re.MULTILINE)


def free_ports(count: int) -> list[int]:
    """``count`` different ports free on 127.0.0.1 (all held open while choosing, so no two agree)."""
    with contextlib.ExitStack() as stack:
        socks = [stack.enter_context(socket.socket()) for _ in range(count)]
        for sock in socks:
            sock.bind(("127.0.0.1", 0))
        return [int(sock.getsockname()[1]) for sock in socks]


def build(out: Path, *extra: str) -> Path:
    result = run_cli("build", "--content", str(SAMPLE_CONTENT), "--out", str(out), "--today", TODAY, *extra)
    assert result.code == 0, result.err
    return out


def write_conf(work: Path, headers: str, http_body: str) -> Path:
    """``conf/nginx.conf`` (the documented blocks in a minimal ``http``) and the headers snippet."""
    conf_dir = work / "conf"
    (conf_dir / "snippets").mkdir(parents=True)
    (conf_dir / "snippets" / "mzj-headers.conf").write_text(headers + "\n", encoding="utf-8")
    temp = work / "temp"
    temp.mkdir()
    # As root, nginx's workers would run as "nobody", who may not read pytest's private folders.
    user = "user root root;\n" if os.geteuid() == 0 else ""
    conf = conf_dir / "nginx.conf"
    conf.write_text(
        f"{user}worker_processes 1;\n"
        "events { worker_connections 64; }\n"
        "http {\n"
        f"    include {MIME_TYPES};\n"
        "    default_type application/octet-stream;\n"  # as Debian's nginx.conf
        f"    access_log {work}/access.log;\n"
        + "".join(
            f"    {kind}_temp_path {temp}/{kind};\n" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        + http_body
        + "\n}\n",
        encoding="utf-8",
    )
    return conf


def nginx_args(nginx: str, work: Path, conf: Path) -> list[str]:
    return [
        nginx,
        "-p",
        f"{work}/",
        "-c",
        str(conf),
        "-g",
        f"daemon off; pid {work}/nginx.pid; error_log {work}/error.log;",
    ]


def check_conf(nginx: str, work: Path, conf: Path) -> None:
    """``nginx -t``: a configuration that does not load fails here, with nginx's own message."""
    test = subprocess.run(
        [*nginx_args(nginx, work, conf), "-t"], capture_output=True, text=True, timeout=60, check=False
    )
    assert test.returncode == 0, f"nginx -t refuses the documented configuration:\n{test.stderr}"


@dataclass(frozen=True)
class Server:
    port: int
    work: Path

    def get(self, path: str, headers: dict[str, str] | None = None) -> tuple[int, http.client.HTTPMessage, bytes]:
        """GET ``path`` (already percent-encoded); status, headers, body as sent (not decompressed)."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request("GET", path, headers=headers or {})
            response = connection.getresponse()
            return response.status, response.headers, response.read()
        finally:
            connection.close()


@contextlib.contextmanager
def running(nginx: str, work: Path, conf: Path, port: int) -> Iterator[Server]:
    """nginx in the foreground as this test's child, until it accepts connections on ``port``;
    stopped (and its workers with it) when the test is done."""
    check_conf(nginx, work, conf)
    with open(work / "stderr.log", "wb") as stderr:
        proc = subprocess.Popen(
            nginx_args(nginx, work, conf), stdout=subprocess.DEVNULL, stderr=stderr, start_new_session=True
        )
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if proc.poll() is not None:
                pytest.fail(f"nginx exited with {proc.returncode}:\n{logs(work)}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(f"nginx did not accept connections within {START_TIMEOUT:.0f} s:\n{logs(work)}")
                time.sleep(0.05)
        yield Server(port, work)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=15)


def logs(work: Path) -> str:
    return "\n".join(
        p.read_text(encoding="utf-8", errors="replace") for p in (work / "stderr.log", work / "error.log") if p.exists()
    )


@pytest.fixture(scope="module")
def site(nginx: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, Server, Path]]:
    """The documented server blocks serving the sample site at the root: (HTTPS block over plain
    HTTP, the port-80 redirect block, the build)."""
    work = tmp_path_factory.mktemp("nginx-site")
    out = build(work / "output")
    blocks = doc_blocks()
    port, redirect_port = free_ports(2)
    server = without_tls(blocks["site"], port)
    server = swap(server, "listen 80;", f"listen 127.0.0.1:{redirect_port};")
    server = at(server, out)
    conf = write_conf(work, blocks["headers"], server)
    with running(nginx, work, conf, port) as main:
        yield main, Server(redirect_port, work), out


@pytest.fixture(scope="module")
def subpath_site(nginx: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, str, Path]]:
    """The documented sub-path block in a bare host server: (server, prefix, the build for it)."""
    blocks = doc_blocks()
    prefix = re.search(r"^location (?:\^~ )?(/[^/\s]+/) \{$", blocks["subpath"], flags=re.MULTILINE)
    assert prefix, "the sub-path block has no top-level `location /PREFIX/ {`"
    work = tmp_path_factory.mktemp("nginx-subpath")
    out = build(work / "output", "--base-url", f"https://example.gov.cn{prefix.group(1)}")
    host_root = work / "host"
    host_root.mkdir()
    (host_root / "index.html").write_text("the host's own site\n", encoding="utf-8")
    [port] = free_ports(1)
    locations = at(blocks["subpath"], out)
    server = (
        f"server {{\n    listen 127.0.0.1:{port};\n    root {host_root};\n"
        f'    add_header X-Host-Header "host" always;\n{locations}\n}}'
    )
    conf = write_conf(work, blocks["headers"], server)
    with running(nginx, work, conf, port) as main:
        yield main, prefix.group(1), out


def page_csp(out: Path) -> str:
    meta = BeautifulSoup((out / "index.html").read_text(encoding="utf-8"), "html.parser").find(
        "meta", attrs={"http-equiv": "Content-Security-Policy"}
    )
    assert meta is not None
    return str(meta["content"])


def assert_security_headers(headers: http.client.HTTPMessage, out: Path) -> None:
    assert headers.get_all("Content-Security-Policy") == [page_csp(out) + "; frame-ancestors 'none'"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert headers["Permissions-Policy"].startswith("camera=()")
    assert headers["X-Frame-Options"] == "DENY"


def a_roster_page(out: Path) -> str:
    """The path of a roster notice whose folder name is Chinese, percent-encoded as a browser sends it."""
    folders = sorted(p for p in (out / "rosters").iterdir() if (p / "index.html").exists() and not p.name.isascii())
    assert folders, "the sample build has no roster notice with a Chinese folder name"
    return "/rosters/" + urllib.parse.quote(folders[0].name) + "/"


def assert_site_404(status: int, headers: http.client.HTTPMessage, body: bytes, out: Path) -> None:
    assert status == 404
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert body == (out / "404.html").read_bytes()
    title = BeautifulSoup(body.decode("utf-8"), "html.parser").title
    assert title is not None and "页面未找到" in title.get_text()
    assert_security_headers(headers, out)


# --- the site at the root of its host ---------------------------------------------------------


def test_pages_carry_the_security_headers(site: tuple[Server, Server, Path]) -> None:
    server, _, out = site
    status, headers, body = server.get("/")
    assert status == 200 and body == (out / "index.html").read_bytes()
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert_security_headers(headers, out)
    assert headers.get_all("Cache-Control") == ["no-cache"]
    assert "Server" not in headers or headers["Server"] == "nginx"  # server_tokens off: no version


def test_roster_pages_are_noindex_and_no_store(site: tuple[Server, Server, Path]) -> None:
    server, _, out = site
    path = a_roster_page(out)
    status, headers, body = server.get(path)
    assert status == 200
    assert body == (out / urllib.parse.unquote(path).strip("/") / "index.html").read_bytes()
    assert headers["X-Robots-Tag"].startswith("noindex")
    assert headers.get_all("Cache-Control") == ["no-store"]
    assert_security_headers(headers, out)


def test_missing_paths_get_the_sites_404_page(site: tuple[Server, Server, Path]) -> None:
    server, _, out = site
    for path in ("/no-such-page/", "/catalog/" + urllib.parse.quote("不存在") + "/", "/rosters/2000-01-gone/"):
        assert_site_404(*server.get(path), out)


def test_feed_is_atom_in_utf8_and_gzipped_when_asked(site: tuple[Server, Server, Path]) -> None:
    server, _, out = site
    feed = (out / "feed.xml").read_bytes()
    assert b'xmlns="http://www.w3.org/2005/Atom"' in feed  # what the site makes
    status, headers, body = server.get("/feed.xml")
    assert status == 200 and body == feed
    assert headers["Content-Type"] == "application/atom+xml; charset=utf-8"
    assert headers.get_all("Cache-Control") == ["no-cache"]
    assert_security_headers(headers, out)
    status, headers, body = server.get("/feed.xml", {"Accept-Encoding": "gzip"})
    assert status == 200
    assert headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in headers["Vary"]
    assert gzip.decompress(body) == feed


def test_open_data_types_say_utf8(site: tuple[Server, Server, Path]) -> None:
    server, _, out = site
    for path, content_type in (
        ("/data/standards.csv", "text/csv; charset=utf-8"),
        ("/data/standards.json", "application/json; charset=utf-8"),
        ("/data/rosters-summary.json", "application/json; charset=utf-8"),
        ("/sitemap.xml", "text/xml; charset=utf-8"),
        ("/static/site.css", "text/css; charset=utf-8"),
    ):
        status, headers, body = server.get(path)
        assert (status, headers["Content-Type"]) == (200, content_type), path
        assert body == (out / path.lstrip("/")).read_bytes(), path
        assert_security_headers(headers, out)


def test_plain_http_is_redirected_to_https(site: tuple[Server, Server, Path]) -> None:
    _, redirect, _ = site
    path = "/rosters/?a=1"
    status, headers, _ = redirect.get(path)
    assert status == 301
    assert headers["Location"] == "https://127.0.0.1" + path


def test_documented_tls_server_loads(nginx: str, tmp_path: Path) -> None:
    """The HTTPS server block as written (``listen 443 ssl http2``, certificate lines) loads in this
    nginx: only the port and the certificate's paths change."""
    openssl = shutil.which("openssl")
    if openssl is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("openssl is not installed: under CI this test must run", pytrace=False)
        pytest.skip("openssl is not installed (it makes the test certificate)")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            openssl,
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=localhost",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        capture_output=True,
        timeout=120,
        check=True,
    )
    blocks = doc_blocks()
    port, redirect_port = free_ports(2)
    server = swap_pattern(blocks["site"], r"^([ \t]*listen) 443 (ssl\b[^;]*;)", rf"\1 127.0.0.1:{port} \2")
    server = swap(server, "listen 80;", f"listen 127.0.0.1:{redirect_port};")
    server = re.sub(r"^([ \t]*ssl_certificate)[ \t]+\S+;", rf"\1 {cert};", server, flags=re.MULTILINE)
    server = re.sub(r"^([ \t]*ssl_certificate_key)[ \t]+\S+;", rf"\1 {key};", server, flags=re.MULTILINE)
    assert str(cert) in server and str(key) in server, "the documented HTTPS server names no certificate"
    check_conf(nginx, tmp_path, write_conf(tmp_path, blocks["headers"], server))


# --- the site under a sub-path of another host ------------------------------------------------


def test_subpath_pages_headers_and_rosters(subpath_site: tuple[Server, str, Path]) -> None:
    server, prefix, out = subpath_site
    status, headers, body = server.get(prefix)
    assert status == 200 and body == (out / "index.html").read_bytes()
    assert_security_headers(headers, out)
    assert "X-Host-Header" not in headers  # the host's own headers do not reach the site's pages
    status, headers, _ = server.get(prefix.rstrip("/"))
    assert (status, headers["Location"].endswith(prefix)) == (301, True)
    path = prefix.rstrip("/") + a_roster_page(out)
    status, headers, body = server.get(path)
    assert status == 200
    assert headers["X-Robots-Tag"].startswith("noindex")
    assert headers.get_all("Cache-Control") == ["no-store"]
    assert_security_headers(headers, out)
    status, headers, _ = server.get(prefix + "pagefind/pagefind-entry.json")
    assert (status, headers["Content-Type"]) == (200, "application/json; charset=utf-8")
    assert headers["Cache-Control"] == "public, max-age=3600, must-revalidate"


def test_subpath_missing_paths_get_the_sites_404_page(subpath_site: tuple[Server, str, Path]) -> None:
    server, prefix, out = subpath_site
    for path in (prefix + "no-such-page/", prefix + "rosters/2000-01-gone/"):
        status, headers, body = server.get(path)
        assert_site_404(status, headers, body, out)
        # the 404 page links by absolute path from the prefix: its stylesheet is there
        css = BeautifulSoup(body.decode("utf-8"), "html.parser").find("link", rel="stylesheet")
        assert css is not None and str(css["href"]).startswith(prefix)
        assert server.get(str(css["href"]))[0] == 200


def test_subpath_feed_and_data(subpath_site: tuple[Server, str, Path]) -> None:
    server, prefix, out = subpath_site
    status, headers, body = server.get(prefix + "feed.xml", {"Accept-Encoding": "gzip"})
    assert (status, headers["Content-Type"], headers["Content-Encoding"]) == (
        200,
        "application/atom+xml; charset=utf-8",
        "gzip",
    )
    assert gzip.decompress(body) == (out / "feed.xml").read_bytes()
    for name, content_type in (
        ("standards.csv", "text/csv; charset=utf-8"),
        ("standards.json", "application/json; charset=utf-8"),
    ):
        status, headers, body = server.get(prefix + "data/" + name)
        assert (status, headers["Content-Type"]) == (200, content_type)
        assert body == (out / "data" / name).read_bytes()
