"""The personal-data gate (SPEC 4): nothing that identifies a person is published.

It runs twice. `check_sources` reads every source that would be published (policies, front
matter and body, and their attachments; pages; standards; every roster YAML and CSV) right after
the model is built, so ``build`` and ``check`` both stop on it. `check_output` reads every file
written to the staging folder (HTML, XML, JSON, CSV, text, the gzip-compressed search index, the
XML inside copied .xlsx/.docx attachments) just before the new site is swapped in, so a number
that reached a page through a template or ``site.yaml`` is caught as well.

What it finds: resident ID numbers with a valid GB 11643 check digit, mainland mobile numbers
not in ``pii.allow``, 16–19 digit numbers that pass the Luhn check (bank cards), and roster names
that are not masked. Each finding is an error ``path:line: …`` that shows only a masked form.
"""

from __future__ import annotations

import gzip
import html
import io
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from ..cache import SourceCache, cached
from ..plan import Copy, Entry, Render, Text
from ..problems import ContentError, Problem, Problems
from ..sources.document import discover
from .detect import MOBILE, Finding, normalize, scan_text
from .mask import is_masked, mask_name

if TYPE_CHECKING:
    from ..config import SiteConfig
    from ..site import Site

__all__ = [
    "allow_list",
    "check_output",
    "check_sources",
    "gate_entries",
    "gate_output",
    "scan_bytes",
    "scan_file",
]

CHUNK_LINES = 2000  # scan large files a slice of lines at a time; no number spans a line break
MAX_MEMBER_BYTES = 64 * 1024 * 1024  # a larger member of an attachment is reported, not inflated
PAGEFIND_HEADER = b"pagefind_dcd"
OOXML = frozenset({".xlsx", ".xlsm", ".docx", ".pptx"})
# Binary formats that cannot carry readable text (or that the gate cannot read; see README).
SKIP = frozenset(
    {
        ".png",
        ".jpg",
        ".jpeg",
        ".gif",
        ".webp",
        ".avif",
        ".ico",
        ".bmp",
        ".woff",
        ".woff2",
        ".ttf",
        ".otf",
        ".eot",
        ".wasm",
        ".pdf",
        ".ofd",
        ".doc",
        ".xls",
        ".ppt",
        ".wps",
        ".et",
        ".zip",
        ".rar",
        ".7z",
        ".mp3",
        ".mp4",
    }
)
MARKUP = frozenset({".md", ".markdown", ".html", ".htm", ".xml", ".svg"})  # where character references work
_ROSTER_NAME = re.compile(r'<t[hd]\b[^>]*\bclass="[^"]*\broster-name\b[^"]*"[^>]*>([^<]*)<')


def allow_list(config: SiteConfig) -> frozenset[str]:
    """``pii.allow`` plus the publisher's own USCC (an all-digit one may look like an ID)."""
    return config.pii_allow | {config.uscc}


def message(finding: Finding, where: str = "") -> str:
    hint = "；如是公开的办公号码，可列入 site.yaml 的 pii.allow" if finding.kind == MOBILE else ""
    return f"个人信息：{finding.message}{where}，不能发布（第 {finding.column} 列）{hint}"


def _class_of(targets: str) -> str:
    """A regex character class of every BMP character that `normalize` maps into ``targets``."""
    chars = "".join(chr(code) for code in range(0x10000) if not 0xD800 <= code <= 0xDFFF)
    mapped = normalize(chars)
    return "".join(re.escape(ch) for ch, to in zip(chars, mapped) if to in targets and ch != "\n")


# Where a number could be: 11 or more digits (the shortest finding is a mobile), with nothing
# between them but spaces, hyphens and invisible characters, in any of the forms `normalize`
# accepts (full-width digits, ideographic spaces, dashes). A superset of what `scan_text` looks
# at, and no finding spans a line break, so only the lines this matches need the full scan.
_DIGIT = _class_of("0123456789")
_SEPARATOR = _class_of(" -") + "\t\r\f\v\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff"
_CANDIDATE = re.compile(f"[{_DIGIT}](?:[{_SEPARATOR}]*[{_DIGIT}]){{10,}}")


def scan_large_text(text: str, allow: frozenset[str]) -> Iterator[Finding]:
    """`scan_text` over the lines of ``text`` that may hold a number, with file line numbers.

    Most lines of a page hold no run of 11 digits; scanning only the others (many lines to a
    call) keeps the gate fast over large outputs without changing what it finds.
    """
    starts: list[int] = []  # 0-based line numbers of candidate lines, ascending
    line, position = 0, 0
    for match in _CANDIDATE.finditer(text):
        line += text.count("\n", position, match.start())
        position = match.start()
        if not starts or starts[-1] != line:
            starts.append(line)
    if not starts:
        return
    lines = text.split("\n")
    for first in range(0, len(starts), CHUNK_LINES):
        numbers = starts[first : first + CHUNK_LINES]
        for f in scan_text("\n".join(lines[n] for n in numbers), allow):
            yield Finding(numbers[f.line - 1] + 1, f.column, f.kind, f.masked)


def _decode(data: bytes) -> str:
    return data.decode("utf-8-sig", errors="replace")


def scan_bytes(data: bytes, name: str, allow: frozenset[str]) -> Iterator[tuple[int, str]]:
    """(line, message) for every finding in a file called ``name`` with content ``data``."""
    suffix = Path(name).suffix.lower()
    if data[:2] == b"\x1f\x8b":  # the search index: gzip, then a pagefind_dcd header
        try:
            data = _inflate(data)
        except (OSError, EOFError, ValueError) as exc:
            yield 1, f"个人信息检查无法解压此文件：{exc}"
            return
        data = data.removeprefix(PAGEFIND_HEADER)
        if data[:4] == b"\x00asm":  # the search engine itself, no content
            return
    elif data.startswith(PAGEFIND_HEADER):
        data = data[len(PAGEFIND_HEADER) :]
    elif suffix in OOXML:
        yield from _scan_ooxml(data, allow)
        return
    elif suffix in SKIP or data[:4] == b"\x00asm":
        return
    text = _decode(data)
    if suffix in MARKUP and "&" in text:  # 1&#51;8… shows as a number on the page: read it as shown
        text = "\n".join(html.unescape(line).replace("\n", " ").replace("\r", " ") for line in text.split("\n"))
    for f in scan_large_text(text, allow):
        yield f.line, message(f)


def _inflate(data: bytes) -> bytes:
    """The decompressed bytes (the search engine's own wasm: b"" — it holds no content)."""
    parts: list[bytes] = []
    size = 0
    with gzip.GzipFile(fileobj=io.BytesIO(data)) as stream:
        head = stream.read(len(PAGEFIND_HEADER) + 4)
        if head.removeprefix(PAGEFIND_HEADER)[:4] == b"\x00asm":
            return b""
        parts.append(head)
        while chunk := stream.read(1 << 20):
            size += len(chunk)
            if size > MAX_MEMBER_BYTES:
                raise ValueError("解压后超过 64 MB")
            parts.append(chunk)
    return b"".join(parts)


def _scan_ooxml(data: bytes, allow: frozenset[str]) -> Iterator[tuple[int, str]]:
    """Office files are zips of XML: scan the text of every XML part (cells, paragraphs)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        yield 1, "个人信息检查无法打开此 Office 文件（文件已损坏？）"
        return
    with archive:
        for info in archive.infolist():
            if not info.filename.endswith((".xml", ".rels")):
                continue
            if info.file_size > MAX_MEMBER_BYTES:
                yield 1, f"个人信息检查无法读取 {info.filename}：解压后超过 64 MB"
                continue
            text = _decode(archive.read(info))
            for f in scan_large_text(text, allow):
                yield f.line, message(f, f"（{info.filename}）")


def scan_file(path: Path, allow: frozenset[str], name: str | None = None) -> Iterator[tuple[int, str]]:
    yield from scan_bytes(path.read_bytes(), name or path.name, allow)


def check_sources(site: Site, problems: Problems, cache: SourceCache | None = None) -> None:
    """Record a problem for every personal number in a source that would be published.

    Rosters are checked whole, published today or not: SPEC 4 keeps personal data out of
    ``content/`` altogether, and an expired list is still in the repository.
    """
    allow = allow_list(site.config)
    content = site.config.content_dir
    paths: list[Path] = []
    for policy in site.policies:
        paths.append(policy.source)
        paths += [content / "files" / a.file for a in policy.attachments]
    paths += [page.source for page in site.pages]
    paths += discover(content / "standards", "**/*.yaml") + discover(content / "standards", "**/*.yml")
    for pattern in ("**/*.yaml", "**/*.yml", "**/*.csv"):
        paths += discover(content / "rosters", pattern)
    for path in dict.fromkeys(paths):  # an attachment shared by two policies is read once
        # a file read by an earlier build with the same pii.allow gives the same findings
        cached(cache, "gate", [path], problems, partial(_scan_source, path, allow))
    for roster in site.rosters:
        for record in roster.records:
            if not is_masked(record.name):
                problems.error(roster.records_source, record.line, _name_message(record.name))


def _scan_source(path: Path, allow: frozenset[str], problems: Problems) -> None:
    try:
        findings = list(scan_file(path, allow))
    except OSError as exc:
        problems.error(path, 1, f"个人信息检查无法读取此文件：{exc.strerror or exc}")
        return
    for line, text in findings:
        problems.error(path, line, text)


def _name_message(name: str) -> str:
    return f"个人信息：户主姓名未遮蔽，应写作 “{mask_name(name)}”"


def check_output(
    root: Path, label: str, allow: frozenset[str], only: Iterable[str] | None = None
) -> list[Problem]:
    """Every finding in the files under ``root`` (or just the relative paths ``only``: what this
    build wrote, when the rest was checked by the build that wrote it), as ``<label>/<path>:line``."""
    problems: list[Problem] = []
    files = sorted(p for p in root.rglob("*") if p.is_file()) if only is None else [root / p for p in sorted(only)]
    for path in files:
        rel = path.relative_to(root).as_posix()
        shown = f"{label}/{rel}"
        data = path.read_bytes()
        for line, text in scan_bytes(data, path.name, allow):
            problems.append(Problem(shown, line, text))
        if rel.startswith("rosters/") and path.suffix == ".html":
            problems += _unmasked_names(_decode(data), shown)
    return problems


def _unmasked_names(text: str, shown: str) -> Iterable[Problem]:
    """Roster pages mark each name cell with class ``roster-name``; every one must be masked."""
    for match in _ROSTER_NAME.finditer(text):
        name = html.unescape(match.group(1)).strip()
        if not is_masked(name):
            line = text.count("\n", 0, match.start()) + 1
            yield Problem(shown, line, _name_message(name))


def gate_entries(entries: Iterable[Entry], render: Callable[[Render], bytes], label: str, config: SiteConfig) -> None:
    """``check``: the output gate over every planned file, rendered in memory one at a time and
    never written (the search index, which only ``build`` makes, is not covered)."""
    allow = allow_list(config)
    found: list[Problem] = []
    for entry in entries:
        if isinstance(entry, Copy):
            data = entry.source.read_bytes()
        elif isinstance(entry, Text):
            data = entry.text.encode("utf-8")
        else:
            data = render(entry)
        shown = f"{label}/{entry.path}"
        found += (Problem(shown, line, text) for line, text in scan_bytes(data, entry.path, allow))
        if entry.path.startswith("rosters/") and entry.path.endswith(".html"):
            found += _unmasked_names(_decode(data), shown)
    if found:
        raise ContentError(found)


def gate_output(root: Path, label: str, config: SiteConfig, only: Iterable[str] | None = None) -> None:
    """Stop the build (ContentError) if any written file holds personal data."""
    found = check_output(root, label, allow_list(config), only)
    if found:
        raise ContentError(found)
