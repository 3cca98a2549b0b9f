"""Reading content files as text: UTF-8 (a BOM is accepted), any line ending."""

from __future__ import annotations

from pathlib import Path

from ..problems import Problems

MAX_FILE_BYTES = 50 * 1024 * 1024


def read_text(path: Path, problems: Problems) -> str | None:
    """Return the file's text with ``\\n`` line endings, or record why it cannot be read."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        problems.error(path, 1, f"无法读取文件：{exc.strerror or exc}")
        return None
    if len(raw) > MAX_FILE_BYTES:
        problems.error(path, 1, f"文件过大（{len(raw) // 1024 // 1024} MB），上限为 50 MB")
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        problems.error(
            path, line, f"不是有效的 UTF-8 文本（第 {exc.start} 字节）；请以 UTF-8 编码另存此文件"
        )
        return None
    if "\x00" in text:
        problems.error(path, text.count("\n", 0, text.index("\x00")) + 1, "文件含有空字符（NUL），不是文本文件")
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def split_front_matter(text: str) -> tuple[str, int, str, int] | None:
    """Split ``---``-delimited YAML front matter from the body.

    Returns (yaml_text, yaml_first_line, body, body_first_line), or None when the file does not
    start with a front-matter block. Lines are 1-based file lines.
    """
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        return None
    for i in range(1, len(lines)):
        if lines[i].rstrip() in ("---", "..."):
            yaml_text = "\n".join(lines[1:i])
            body = "\n".join(lines[i + 1 :])
            return yaml_text, 2, body, i + 2
    return None
