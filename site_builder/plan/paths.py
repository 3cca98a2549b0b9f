"""Every output path of the plan is safe and written by exactly one source.

The kinds of content each check their own names (slugs, ids, categories); this is the check over
all of them together, run on the finished plan before anything is written. It catches what no
single kind can see: a page slug equal to a path another kind makes, two attachments whose names
differ only in case (one file on Windows and macOS), a path that one entry writes as a file and
another needs as a folder, and any path that would leave the output folder or that no file
system can hold.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from ..problems import Problems

if TYPE_CHECKING:
    from . import Entry

MAX_SEGMENT_BYTES = 200  # file systems allow 255 bytes a name; keep room for temporary names
_BAD_CHARS = re.compile(r"[\x00-\x1f\x7f\\]")


def check_paths(entries: Iterable[Entry], content_dir: Path) -> None:
    """Raise ContentError naming both sources of every collision and the source of every bad path."""
    problems = Problems(display_root=content_dir.resolve().parent)
    site_yaml = content_dir / "site.yaml"
    exact: dict[str, Entry] = {}
    folded: dict[str, Entry] = {}
    folders: dict[str, Entry] = {}  # folded folder path → the first entry that needs it
    for entry in entries:
        bad = _bad_path(entry.path)
        if bad:
            where, line = _origin(entry, site_yaml)  # only for a bad path: it searches the context
            problems.error(where, line, f"输出路径 “{_shown(entry.path)}” {bad}（{_describe(entry, problems)}）")
            continue
        key = _fold(entry.path)
        first = exact.get(entry.path) or folded.get(key)
        if first is not None:
            same = (
                ""
                if first.path == entry.path
                else f"与 {first.path} 只有大小写或字形不同，在 Windows 和 macOS 上是同一个文件；"
            )
            problems.error(
                *_blame(first, entry, site_yaml),
                f"输出路径冲突：{_describe(first, problems)} 和 {_describe(entry, problems)} 都会写到 {entry.path}"
                f"（{same}请改用不同的 slug、文件名或名称）",
            )
            continue
        if key in folders:
            other = folders[key]
            problems.error(
                *_blame(other, entry, site_yaml),
                f"输出路径冲突：{_describe(entry, problems)} 写文件 {entry.path}，"
                f"而 {_describe(other, problems)} 要把它用作文件夹（{other.path}）",
            )
            continue
        parts = key.split("/")
        clash = next((p for p in ("/".join(parts[:i]) for i in range(1, len(parts))) if p in folded), None)
        if clash is not None:
            other = folded[clash]
            problems.error(
                *_blame(other, entry, site_yaml),
                f"输出路径冲突：{_describe(other, problems)} 写文件 {other.path}，"
                f"而 {_describe(entry, problems)} 要把它用作文件夹（{entry.path}）",
            )
            continue
        exact[entry.path] = entry
        folded[key] = entry
        for i in range(1, len(parts)):
            folders.setdefault("/".join(parts[:i]), entry)
    problems.raise_if_errors()


def _bad_path(path: str) -> str:
    if not path or path.startswith("/"):  # the only absolute POSIX paths (PurePosixPath.is_absolute)
        return "不是相对路径"
    segments = path.split("/")
    if any(s in ("", ".", "..") for s in segments):
        return "含有空的、“.” 或 “..” 路径段，会写到别处"
    if _BAD_CHARS.search(path):
        return "含有控制字符或反斜杠"
    if any(len(s.encode("utf-8")) > MAX_SEGMENT_BYTES for s in segments):
        return f"中有一段超过 {MAX_SEGMENT_BYTES} 字节，文件系统无法保存，请缩短 slug 或名称"
    return ""


def _fold(path: str) -> str:
    """The name a case-insensitive, normalising file system (NTFS, APFS, HFS+) sees."""
    return unicodedata.normalize("NFC", path).lower()


def _origin(entry: Entry, site_yaml: Path) -> tuple[Path, int]:
    """The content file an entry comes from: the copied file, the source a page shows, else site.yaml."""
    source = getattr(entry, "source", None)
    if isinstance(source, Path):
        return source, 1
    for value in (getattr(entry, "context", None) or {}).values():
        found = getattr(value, "source", None)
        if isinstance(found, Path):
            line = getattr(value, "line", None)
            return found, line("slug") if callable(line) and "slug" in getattr(value, "lines", {}) else 1
    return site_yaml, 1


def _has_origin(entry: Entry, site_yaml: Path) -> bool:
    return _origin(entry, site_yaml)[0] != site_yaml


def _blame(first: Entry, second: Entry, site_yaml: Path) -> tuple[Path, int]:
    """Report at the content file that can be renamed: the later entry's, else the earlier one's."""
    if _has_origin(second, site_yaml) or not _has_origin(first, site_yaml):
        return _origin(second, site_yaml)
    return _origin(first, site_yaml)


def _describe(entry: Entry, problems: Problems) -> str:
    source = getattr(entry, "source", None)
    if isinstance(source, Path):
        return f"文件 {problems.rel(source)}"
    for value in (getattr(entry, "context", None) or {}).values():
        found = getattr(value, "source", None)
        if isinstance(found, Path):
            return problems.rel(found)
    template = getattr(entry, "template", None)
    return f"网站自带的页面（模板 {template}）" if template else "网站自带的文件"


def _shown(path: str) -> str:
    text = path.encode("unicode_escape").decode("ascii") if _BAD_CHARS.search(path) else path
    return text if len(text) <= 80 else text[:77] + "…"


__all__ = ["MAX_SEGMENT_BYTES", "check_paths"]
