"""One loader for "a text file with YAML front matter", used by every Markdown content kind."""

from __future__ import annotations

import fnmatch
import os
import re
from dataclasses import dataclass
from pathlib import Path

from ..cache import is_scratch
from ..problems import Problems
from .textfile import read_text, split_front_matter
from .yamldoc import YamlDoc, load_yaml

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True, slots=True)
class SourceDoc:
    path: Path
    meta: YamlDoc
    body: str
    body_line: int


def discover(root: Path, pattern: str, problems: Problems | None = None) -> list[Path]:
    """Files under ``root`` matching ``pattern`` (``*.md`` or ``**/*.md``), sorted, skipping hidden
    (``.x``, ``_x``) and backup (``x~``) files.

    A source must never silently disappear nor come from outside the content folder (the parent of
    ``root``), so these are errors: a symbolic link (to a file or a folder) that points outside it
    or nowhere, a folder named like a source file (``a.md/``), and anything that is not a regular
    file. Links that stay inside the content folder are followed. Problems go to ``problems``; when
    none is given they are raised at once as a ContentError.
    """
    local = problems if problems is not None else Problems(display_root=root.resolve().parent.parent)
    recursive = pattern.startswith("**/")
    name_pattern = pattern.rsplit("/", 1)[-1]
    content = root.resolve().parent
    found: list[Path] = []

    def refuse(path: Path, message: str) -> None:
        local.error(path, 1, message)

    def inside(path: Path) -> bool:
        return path.resolve().is_relative_to(content)

    def walk(folder: Path, seen: frozenset[Path]) -> None:
        try:
            names = sorted(entry.name for entry in os.scandir(folder))
        except OSError as exc:
            refuse(folder, f"无法读取文件夹：{exc.strerror or exc}")
            return
        for name in names:
            if is_scratch(name) or name.startswith("_"):  # "_x.md": set aside by hand
                continue
            path = folder / name
            matches = fnmatch.fnmatchcase(name, name_pattern)
            if path.is_symlink() and (matches or recursive):
                if not path.exists():
                    refuse(path, "符号链接指向不存在的文件或文件夹")
                    continue
                if not inside(path):
                    refuse(path, "符号链接指向内容目录之外，不会读取：请把文件本身放进内容目录")
                    continue
            if path.is_dir():
                if matches:
                    refuse(path, f"这是一个文件夹，却以 {name_pattern.lstrip('*')} 结尾：请改名")
                elif recursive and path.resolve() not in seen:
                    walk(path, seen | {path.resolve()})
            elif matches:
                if path.is_file():
                    found.append(path)
                else:
                    refuse(path, "不是普通文件（设备、管道或套接字），不会读取")

    if root.is_symlink() and root.exists() and not inside(root):
        refuse(root, "符号链接指向内容目录之外，不会读取：请把文件本身放进内容目录")
    elif root.is_dir():
        walk(root, frozenset({root.resolve()}))
    if problems is None:
        local.raise_if_errors()
    return sorted(found)


def load_document(path: Path, problems: Problems) -> SourceDoc | None:
    """Read ``path`` and parse its front matter; None (problems recorded) when unusable."""
    text = read_text(path, problems)
    if text is None:
        return None
    if not text.strip():
        problems.error(path, 1, "文件为空：应以 --- 开头的 YAML 前置元数据开始")
        return None
    parts = split_front_matter(text)
    if parts is None:
        problems.error(path, 1, "缺少 YAML 前置元数据：文件应以单独一行 --- 开始，并以另一行 --- 结束")
        return None
    yaml_text, yaml_line, body, body_line = parts
    meta = load_yaml(yaml_text, path, problems, first_line=yaml_line)
    if meta is None:
        return None
    if not isinstance(meta.data, dict):
        problems.error(path, yaml_line, "前置元数据必须是“键: 值”形式的映射")
        return None
    return SourceDoc(path, meta, body, body_line)


MAX_SLUG = 100  # characters; a URL segment longer than this helps no one, and file names end at 255 bytes


def check_slug(slug: str, path: Path, line: int, problems: Problems) -> bool:
    if len(slug) > MAX_SLUG:
        problems.error(path, line, f"slug 过长：{len(slug)} 个字符，最多 {MAX_SLUG} 个")
        return False
    if SLUG.match(slug):
        return True
    problems.error(
        path,
        line,
        f"slug “{slug}” 无效：只能使用小写字母、数字和连字符（a-z、0-9、-），如 dibao-banfa",
    )
    return False
