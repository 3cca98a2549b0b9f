"""The personal-data gate (SPEC 4): nothing that identifies a person is published.

It runs twice. `check_sources` reads every source that would be published (policies, front
matter and body, and their attachments; pages; standards; annual reports; service guides; every roster YAML and
CSV) right after the model is built, so ``build`` and ``check`` both stop on it. `check_output` reads every file
written to the staging folder (HTML, XML, JSON, CSV, text, the gzip-compressed search index, the
XML inside copied .xlsx/.docx attachments) just before the new site is swapped in, so a number
that reached a page through a template or ``site.yaml`` is caught as well.

What it finds: resident ID numbers with a valid GB 11643 check digit, mainland mobile numbers
not in ``pii.allow``, 16–19 digit numbers that pass the Luhn check and look like a bank card,
roster names that are not masked, and (sources only) roster free text — 类别, 救助事由, 备注 —
that names sensitive personal information (`lexicon`). Each finding is an error ``path:line: …``
that shows only a masked form.
"""

from __future__ import annotations

import csv
import gzip
import html
import io
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from .. import urls
from ..cache import SourceCache, cached_each
from ..plan import Entry, Render
from ..problems import ContentError, Problem, Problems
from ..sources.document import discover
from ..sources.organization import FILE as ORGANIZATION_FILE
from ..sources.yamldoc import load_yaml_file
from ..write import entry_bytes
from .detect import MOBILE, Finding, normalized_to, scan_text
from .lexicon import FREE_TEXT_KEYS, Lexicon, lexicon
from .mask import is_masked, mask_name

if TYPE_CHECKING:
    from ..config import SiteConfig
    from ..site import Site
    from ..sources.rosters import Roster

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


def _class_of(chars: str) -> str:
    """The inside of a regex character class matching exactly ``chars``."""
    return "".join(re.escape(ch) for ch in chars)


# Where a number could be: 11 or more digits (the shortest finding is a mobile), with nothing
# between them but spaces, hyphens and invisible characters, in any of the forms `normalize`
# accepts (full-width digits, ideographic spaces, dashes). A superset of what `scan_text` looks
# at, and no finding spans a line break, so only the lines this matches need the full scan.
_DIGIT_CHARS = normalized_to("0123456789")
_SEPARATOR_CHARS = normalized_to(" -") + "".join(
    chr(code)
    for code in (
        0x09,
        0x0D,
        0x0C,
        0x0B,
        0x00AD,
        0x180E,
        *range(0x200B, 0x2010),
        *range(0x202A, 0x202F),
        *range(0x2060, 0x2065),
        0xFEFF,
    )
)
_DIGIT = _class_of(_DIGIT_CHARS)
_SEPARATOR = _class_of(_SEPARATOR_CHARS)
_CANDIDATE = re.compile(f"[{_DIGIT}](?:[{_SEPARATOR}]*[{_DIGIT}]){{10,}}")


def _number_bytes_table() -> bytes:
    """A `bytes.translate` table taking every byte of the UTF-8 form of a digit or separator to
    ``0`` and every other byte to itself (so ``0`` comes only from those)."""
    table = bytearray(range(256))
    for ch in _DIGIT_CHARS + _SEPARATOR_CHARS:
        for byte in ch.encode("utf-8"):
            table[byte] = ord("0")
    assert table[ord("\n")] == ord("\n")  # a line break stays one, so lines can be counted
    return bytes(table)


# `_CANDIDATE` visits every digit of a page, and a page is full of digits (dates, amounts, row
# numbers): it was the slowest step of the gate. Translated by this table, the UTF-8 bytes of
# any `_CANDIDATE` match become eleven or more ``0``s in a row (each character becomes one to
# three ``0``s), which a plain substring search finds at C speed; only the few lines holding such
# a run, and then holding a real match, go further. A harmless run of separators or full-width
# punctuation also makes ``0``s: such a line only costs the exact `_CANDIDATE` search.
_NUMBER_BYTES = _number_bytes_table()
_ELEVEN = b"0" * 11


def _candidate_lines(text: str) -> Iterator[tuple[int, str]]:
    """(0-based number, text) of every line of ``text`` that `_CANDIDATE` matches, in order."""
    encoded = text.encode("utf-8", "surrogatepass")
    image = encoded.translate(_NUMBER_BYTES)  # same length and the same line breaks as ``encoded``
    line, counted = 0, 0
    hit = image.find(_ELEVEN)
    while hit >= 0:
        start = image.rfind(b"\n", 0, hit) + 1
        end = image.find(b"\n", hit)
        end = len(image) if end < 0 else end
        line += image.count(b"\n", counted, start)
        counted = start
        candidate = encoded[start:end].decode("utf-8", "surrogatepass")
        if _CANDIDATE.search(candidate):
            yield line, candidate
        hit = image.find(_ELEVEN, end)


# How much of a line around a `_CANDIDATE` match `scan_text` needs to see to decide as it would
# over the whole line: a USCC token (18 characters, one more each side to see that it ends there,
# and the "/2024" of an index number after it) that reaches the match, or the "1." of a decimal
# before it, or the "X" of an ID after it. A token touching the match or the two characters before
# it starts at most 19 before and ends at most 18 after, so its neighbours and tail lie within
# 20 before and 23 after. A cut at the edge of a window only makes a token there look whole; such
# a token ends or starts too far from the match to change it. The card words that make any Luhn
# number a card (`detect.CARD_CONTEXT_CHARS`, 16 before it) lie within the window too. Some margin:
_WINDOW_BEFORE = 32
_WINDOW_AFTER = 32


def _candidate_windows(text: str) -> Iterator[tuple[int, int, str]]:
    """(0-based line, offset in the line, part) of every part of ``text`` that `scan_text` needs:
    each `_CANDIDATE` match with enough of its line around it, overlapping parts merged.

    Every chain `scan_text` finds a number in lies inside a `_CANDIDATE` match (both are digits
    with nothing but separators and invisible characters between them), so the rest of a line
    cannot change its findings. Search-index fragments hold a whole page on one line: scanning
    a few dozen characters around each number instead of the page is most of the gain.
    """
    for number, line in _candidate_lines(text):
        windows: list[list[int]] = []
        for match in _CANDIDATE.finditer(line):
            start, end = max(0, match.start() - _WINDOW_BEFORE), match.end() + _WINDOW_AFTER
            if windows and start <= windows[-1][1]:
                windows[-1][1] = end
            else:
                windows.append([start, end])
        for start, end in windows:
            yield number, start, line[start:end]


def scan_large_text(text: str, allow: frozenset[str]) -> Iterator[Finding]:
    """`scan_text` over the parts of ``text`` that may hold a number, with file lines and columns.

    Most lines of a page hold no run of 11 digits; scanning only the others (many lines to a
    call) keeps the gate fast over large outputs without changing what it finds.
    """
    windows = list(_candidate_windows(text))
    for first in range(0, len(windows), CHUNK_LINES):
        chunk = windows[first : first + CHUNK_LINES]
        # parts joined by line breaks: no number spans one, and a line break, like the end of a
        # string, is neither a digit, a letter, a separator nor a decimal point
        for f in scan_text("\n".join(part for _, _, part in chunk), allow):
            number, offset, _ = chunk[f.line - 1]
            yield Finding(number + 1, offset + f.column, f.kind, f.masked)


def _decode(data: bytes) -> str:
    return data.decode("utf-8-sig", errors="replace")


def scan_bytes(data: bytes, name: str, allow: frozenset[str]) -> Iterator[tuple[int, str]]:
    """(line, message) for every finding in a file called ``name`` with content ``data``."""
    yield from _scan_bytes(data, name, allow, [])


def _scan_bytes(data: bytes, name: str, allow: frozenset[str], decoded: list[str]) -> Iterator[tuple[int, str]]:
    """`scan_bytes`, appending to ``decoded`` the ``_decode(data)`` it made, if it made one: the
    roster-name check reads the same text, and a city's roster pages are the bulk of the output."""
    original = data
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
    if data is original:
        decoded.append(text)
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


def check_sources(site: Site, problems: Problems, cache: SourceCache | None = None, processes: int = 1) -> None:
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
    paths += discover(content / urls.ANNUAL_REPORTS, "*.yaml")  # drafts too: their text is in the repository
    paths += discover(content, ORGANIZATION_FILE)  # 机构信息
    paths += discover(content / urls.GUIDES, "*.yaml") + discover(content / urls.GUIDES, "*.yml")  # drafts too
    for pattern in ("**/*.yaml", "**/*.yml", "**/*.csv"):
        paths += discover(content / "rosters", pattern)
    # an attachment shared by two policies is read once; a file read by an earlier build with the
    # same pii.allow gives the same findings
    loads = [([path], partial(_scan_source, path, allow)) for path in dict.fromkeys(paths)]
    cached_each(cache, "gate", loads, problems, processes)
    # the same files (and site.yaml) give the same findings: checked once per content, a city's
    # rosters on every core
    words = lexicon_of(site.config)
    records = [
        (list(dict.fromkeys([r.source, r.records_source])), partial(_check_records, r, words)) for r in site.rosters
    ]
    cached_each(cache, "gate-records", records, problems, processes)


def lexicon_of(config: SiteConfig) -> Lexicon:
    """The lexicon of sensitive words with the site's ``pii.sensitive_terms`` and ``pii.allow_phrases``."""
    return lexicon(config.pii_sensitive_terms, config.pii_allow_phrases)


def _check_records(roster: Roster, words: Lexicon, problems: Problems) -> None:
    """Every name masked; no 类别, 救助事由 or 备注 that names sensitive personal information."""
    keys = [key for key in FREE_TEXT_KEYS if roster.records.has(key)]
    places: _Places | None = None
    for record in roster.records:
        if not is_masked(record.name):
            problems.error(roster.records_source, record.line, _name_message(record.name))
        for key in keys:
            value: str = getattr(record, key)
            verdict = words.check(key, value, roster.program) if value else None
            if verdict is None:
                continue
            places = places or _Places(roster)
            line, where = places.of(record.line, key)
            problems.error(roster.records_source, line, free_text_message(key, *verdict, where))


def free_text_message(key: str, what: str, hint: str, where: str) -> str:
    """``个人信息：备注含有健康状况（“尿**”），不能公布（第 7 列 备注）``."""
    return f"个人信息：{_HEADERS[key]}{what}，不能公布{where}{hint}"


_HEADERS = {"category": "类别", "reason": "救助事由", "note": "备注"}


class _Places:
    """Where a record's field is written: the CSV column, or the line of the YAML key. Read only
    when there is something to report, which a roster fit to publish never has."""

    def __init__(self, roster: Roster):
        from ..sources.rosters import COLUMN_BY_NAME

        self.columns: dict[str, int] = {}
        self.keys: dict[int, dict[str, int]] = {}  # line of a YAML record → key → line of the key
        source = roster.records_source
        if source.suffix.lower() == ".csv":
            text = source.read_text(encoding="utf-8-sig", errors="replace")
            header = next((row for row in csv.reader(io.StringIO(text)) if any(c.strip() for c in row)), [])
            for number, cell in enumerate(header, 1):
                column = COLUMN_BY_NAME.get(cell.strip())
                if column is not None:
                    self.columns.setdefault(column.key, number)
            return
        doc = load_yaml_file(source, Problems(source.parent))
        if doc is None or not isinstance(doc.data, dict):
            return
        name = next((k for k in ("records", "名单") if isinstance(doc.data.get(k), list)), None)
        if name is None:
            return
        for index, item in enumerate(doc.data[name]):
            if isinstance(item, dict):
                self.keys[doc.line(name, index)] = {
                    COLUMN_BY_NAME[str(raw)].key: doc.line(name, index, raw)
                    for raw in item
                    if str(raw) in COLUMN_BY_NAME
                }

    def of(self, line: int, key: str) -> tuple[int, str]:
        """(line, ``（第 7 列 备注）`` or ``（备注）``) of field ``key`` of the record at ``line``."""
        if key in self.columns:
            return line, f"（第 {self.columns[key]} 列 {_HEADERS[key]}）"
        return self.keys.get(line, {}).get(key, line), f"（{_HEADERS[key]}）"


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


def check_output(root: Path, label: str, allow: frozenset[str], only: Iterable[str] | None = None) -> list[Problem]:
    """Every finding in the files under ``root`` (or just the relative paths ``only``: what this
    build wrote, when the rest was checked by the build that wrote it), as ``<label>/<path>:line``."""
    problems: list[Problem] = []
    files = sorted(p for p in root.rglob("*") if p.is_file()) if only is None else [root / p for p in sorted(only)]
    for path in files:
        problems += scan_output(path.relative_to(root).as_posix(), path.read_bytes(), label, allow)
    return problems


def scan_output(rel: str, data: bytes, label: str, allow: frozenset[str]) -> list[Problem]:
    """The findings in one output file (``rel`` in the output folder ``label``), from its bytes:
    what `check_output` reads back from disk, and what a render worker checks as it writes."""
    shown = f"{label}/{rel}"
    decoded: list[str] = []
    found = [Problem(shown, line, text) for line, text in _scan_bytes(data, rel.rsplit("/", 1)[-1], allow, decoded)]
    if rel.startswith(urls.rosters()) and rel.endswith(".html"):
        found += _unmasked_names(decoded[0] if decoded else _decode(data), shown)
    return found


def _unmasked_names(text: str, shown: str) -> Iterable[Problem]:
    """Roster pages mark each name cell with class ``roster-name``; every one must be masked."""
    for match in _roster_names(text):
        name = html.unescape(match.group(1)).strip()
        if not is_masked(name):
            line = text.count("\n", 0, match.start()) + 1
            yield Problem(shown, line, _name_message(name))


def _roster_names(text: str) -> Iterator[re.Match[str]]:
    """``_ROSTER_NAME.finditer(text)``, without trying the pattern at every other cell's tag.

    A match at ``p`` has ``class="`` with no ``>`` between ``p`` and it, then no ``"`` up to its
    ``roster-name``; so that ``"`` is the last one before the ``roster-name`` (k), and ``p`` lies
    after the last ``>`` before ``class="``. Both "last before" positions only grow with k, so
    no match starts before the bound that the next ``roster-name`` gives, and searching from
    there finds what searching from the end of the previous match finds.
    """
    position = 0
    while (name_at := text.find("roster-name", position)) >= 0:
        start = position
        quote = text.rfind('"', position, name_at)
        if quote - 6 > position:  # room for class=" after position
            start = max(position, text.rfind(">", position, quote - 6) + 1)
        match = _ROSTER_NAME.search(text, start)
        if match is None:
            return
        yield match
        position = match.end()


def gate_entries(entries: Iterable[Entry], render: Callable[[Render], bytes], label: str, config: SiteConfig) -> None:
    """``check``: the output gate over every planned file, rendered in memory one at a time and
    never written (the search index, which only ``build`` makes, is not covered)."""
    allow = allow_list(config)
    found: list[Problem] = []
    for entry in entries:
        found += scan_output(entry.path, entry_bytes(entry, render), label, allow)
    if found:
        raise ContentError(found)


def gate_output(root: Path, label: str, config: SiteConfig, only: Iterable[str] | None = None) -> None:
    """Stop the build (ContentError) if any written file holds personal data."""
    found = check_output(root, label, allow_list(config), only)
    if found:
        raise ContentError(found)
