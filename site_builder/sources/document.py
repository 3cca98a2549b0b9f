"""One loader for "a text file with YAML front matter", used by every Markdown content kind."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

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


def discover(root: Path, pattern: str) -> list[Path]:
    """Files under ``root`` matching ``pattern``, sorted, skipping hidden and backup files."""
    if not root.is_dir():
        return []
    found = []
    for path in root.glob(pattern):
        rel = path.relative_to(root).parts
        if any(part.startswith((".", "_")) for part in rel) or path.name.endswith("~"):
            continue
        if path.is_file():
            found.append(path)
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


def check_slug(slug: str, path: Path, line: int, problems: Problems) -> bool:
    if SLUG.match(slug):
        return True
    problems.error(
        path, line,
        f"slug “{slug}” 无效：只能使用小写字母、数字和连字符（a-z、0-9、-），如 dibao-banfa",
    )
    return False
