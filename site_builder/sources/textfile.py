"""Reading content files as text: UTF-8 (a BOM is accepted), any line ending.

Text that no editor shows and no page can carry is refused here, once for every kind of content:
NUL and other control characters (they break YAML, XML feeds and terminals), and lines so long
that they can only be pasted binary data (and would make the Markdown stage crawl).
"""

from __future__ import annotations

import re
from pathlib import Path

from ..problems import Problems

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_LINE_CHARS = 10_000
# What YAML calls non-printable: C0 controls except tab and newline, DEL, C1 controls except NEL,
# and the two non-characters U+FFFE and U+FFFF. (A BOM is stripped before this check.)
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f\x80-\x84\x86-\x9f\ufffe\uffff]")


def control_message(ch: str) -> str:
    """The message for a control character found in text."""
    return f"含有不可见的控制字符 U+{ord(ch):04X}，请删除（常见于从其他软件复制粘贴的文字）"


def read_text(path: Path, problems: Problems) -> str | None:
    """Return the file's text with ``\\n`` line endings, or record why it cannot be read."""
    try:
        raw = path.read_bytes()
    except IsADirectoryError:
        problems.error(path, 1, "这是一个文件夹，不是文件：请改名（不要以 .md、.yaml 或 .csv 结尾）")
        return None
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
            path, line, f"不是有效的 UTF-8 文本（第 {exc.start} 字节）{_guess_gbk(raw)}；请以 UTF-8 编码另存此文件"
        )
        return None
    if "\x00" in text:
        problems.error(path, text.count("\n", 0, text.index("\x00")) + 1, "文件含有空字符（NUL），不是文本文件")
        return None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    ok = True
    bad = CONTROL.search(text)
    if bad is not None:
        problems.error(path, text.count("\n", 0, bad.start()) + 1, control_message(bad.group()))
        ok = False
    for number, row in enumerate(text.split("\n") if len(text) > MAX_LINE_CHARS else (), 1):
        if len(row) > MAX_LINE_CHARS:
            problems.error(
                path,
                number,
                f"这一行过长：{len(row)} 个字符，一行最多 {MAX_LINE_CHARS} 个（是否粘贴了图片或其他二进制数据？请分段）",
            )
            ok = False
            break
    return text if ok else None


def _guess_gbk(raw: bytes) -> str:
    """Excel and older Windows tools save Chinese text as GBK: say so when that is what it is."""
    try:
        text = raw.decode("gb18030")
    except UnicodeDecodeError:
        return ""
    return "，看起来是 GBK 编码（Excel 等软件的默认）" if any("\u4e00" <= ch <= "\u9fff" for ch in text) else ""


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
