"""YAML with a line number for every key and item, so that every problem can name its line.

PyYAML's C loader composes the node tree; we build plain Python data from it ourselves so that
duplicate keys are caught and each value's line is kept. Dates stay strings (YAML 1.1 would turn
``2023-02-30`` into a crash): the field readers validate them. A key typed with a Chinese
input method's full-width colon (``category：政策文件``) is named at its own line, with the fix.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

try:  # the C loader is several times faster; fall back only where libyaml is missing
    _BaseLoader: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    _BaseLoader = yaml.SafeLoader

from ..problems import Problems
from .textfile import read_text

Key = tuple[str | int, ...]
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_CORE = "tag:yaml.org,2002:"
# Plain data only: any other tag (``!!python/object``, ``!!set``, ``!custom``) is refused, never built.
_COLLECTION_TAGS = frozenset({_CORE + "map", _CORE + "seq"})
_SCALAR_TAGS = frozenset(_CORE + name for name in ("str", "int", "float", "bool", "null", "timestamp", "binary"))
MAX_NODES = 1_000_000
MAX_DEPTH = 100  # real front matter nests three or four levels; Python's own stack is the limit

# "key：value" typed with a Chinese input method: a key (no spaces, no half-width colon) and a
# full-width colon. YAML reads the whole line as text, so the mapping breaks somewhere else.
_FULL_WIDTH_KEY = re.compile(r"^(?P<indent> *)(?P<key>[^\s:：#\-?\[\]{},&*!|>'\"%@`][^\s:：]*) *：")
# A continuation line of a multi-line plain value that starts like an English key: ``  doc_no：…``
_FULL_WIDTH_ASCII_KEY = re.compile(r"^ *(?P<key>[a-z][a-z0-9_]*) *：")
# "key: value", "- key: value", "key:" (a list or mapping follows); the column of the key counts
_HALF_WIDTH_KEY = re.compile(r"^(?P<lead> *(?:- +)*)[^\s#][^:]*?:(?: +(?P<value>.*))?$")
_BLOCK_SCALAR = re.compile(r"^[|>][-+0-9]*\s*(?:#.*)?$")
_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")  # what YAML's marks count as a new line


class _Loader(_BaseLoader):  # type: ignore[misc]
    pass


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != _TIMESTAMP]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}


@dataclass(frozen=True, slots=True)
class YamlDoc:
    """Parsed YAML data plus the 1-based file line of every mapping key and list item."""

    data: Any
    lines: Mapping[Key, int]
    first_line: int

    def line(self, *key: str | int) -> int:
        """The line of the deepest known part of ``key``, else the document's first line."""
        path: Key = tuple(key)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.first_line


class _Builder:
    def __init__(self, loader: Any, offset: int, path: Path, problems: Problems, text: str):
        self.loader = loader
        self.rows = _rows(text)
        self.offset = offset
        self.path = path
        self.problems = problems
        self.lines: dict[Key, int] = {}
        self.count = 0
        self.ok = True

    def line_of(self, node: yaml.Node) -> int:
        return int(node.start_mark.line) + 1 + self.offset

    def build(self, node: yaml.Node, key: Key) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            if self.ok:
                self.problems.error(self.path, self.line_of(node), "YAML 过于庞大或含有过多别名引用")
            self.ok = False
            return None
        if len(key) > MAX_DEPTH:
            if self.ok:
                self.problems.error(self.path, self.line_of(node), f"YAML 嵌套过深（超过 {MAX_DEPTH} 层）")
            self.ok = False
            return None
        if not isinstance(node, yaml.ScalarNode) and node.tag not in _COLLECTION_TAGS:
            return self.fail(node, f"不支持的 YAML 标签 “{_tag(node.tag)}”")  # !!python/object, !!set …
        if isinstance(node, yaml.MappingNode):
            result: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    self.problems.error(self.path, self.line_of(key_node), "键必须是简单文字")
                    self.ok = False
                    continue
                if key_node.tag == "tag:yaml.org,2002:merge":
                    self.problems.error(self.path, self.line_of(key_node), "不支持 YAML 合并键 <<")
                    self.ok = False
                    continue
                name = self.scalar(key_node)
                name = name if isinstance(name, str) else str(name)
                if name in result:
                    self.problems.error(
                        self.path,
                        self.line_of(key_node),
                        f"键 “{name}” 重复（第 {self.lines[key + (name,)]} 行已出现）",
                    )
                    self.ok = False
                    continue
                self.lines[key + (name,)] = self.line_of(key_node)
                result[name] = self.build(value_node, key + (name,))
            return result
        if isinstance(node, yaml.SequenceNode):
            items = []
            for index, item in enumerate(node.value):
                self.lines[key + (index,)] = self.line_of(item)
                items.append(self.build(item, key + (index,)))
            return items
        return self.scalar(node)

    def scalar(self, node: yaml.Node) -> Any:
        if node.tag not in _SCALAR_TAGS:
            return self.fail(node, f"不支持的 YAML 标签 “{_tag(node.tag)}”")
        if not node.style and node.end_mark.line > node.start_mark.line:  # a plain value over lines
            for index in range(node.start_mark.line + 1, min(node.end_mark.line + 1, len(self.rows))):
                match = _FULL_WIDTH_ASCII_KEY.match(self.rows[index])
                if match:
                    self.problems.error(self.path, index + 1 + self.offset, _full_width_colon_message(match["key"]))
                    self.ok = False
        try:
            value = self.loader.construct_object(node)
        except yaml.MarkedYAMLError as exc:
            return self.fail(node, f"无法解析的值：{_describe(exc)}")
        except (yaml.YAMLError, ValueError, TypeError, OverflowError) as exc:
            return self.fail(node, f"无法解析的值：{_one_line(str(exc))}")
        if isinstance(value, (bytes, bytearray)):
            return self.fail(node, "不支持二进制值（!!binary），请写成文字")
        return value

    def fail(self, node: yaml.Node, message: str) -> None:
        self.problems.error(self.path, self.line_of(node), message)
        self.ok = False


def load_yaml_file(path: Path, problems: Problems) -> YamlDoc | None:
    """Read and parse a YAML file (site.yaml, a standard, a roster); None with problems recorded."""
    text = read_text(path, problems)
    if text is None:
        return None
    return load_yaml(text, path, problems)


def load_yaml(text: str, path: Path, problems: Problems, first_line: int = 1) -> YamlDoc | None:
    """Parse one YAML document; record every problem with its file line and return None on any."""
    offset = first_line - 1
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if _report_full_width_keys(text, mark.line if mark is not None else len(text), path, problems, offset):
            return None
        if exc.context_mark is not None and "quoted scalar" in (exc.context or ""):
            mark = exc.context_mark  # where the unclosed quote opens, not the end of the file
        line = (mark.line + 1 + offset) if mark is not None else first_line
        problems.error(path, line, f"YAML 格式错误：{_describe(exc, text)}")
        return None
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow
        line = text.count("\n", 0, max(exc.position, 0)) + first_line
        problems.error(
            path,
            line,
            f"YAML 格式错误：不允许的字符 U+{exc.character:04X}"
            if isinstance(exc.character, int)
            else f"YAML 格式错误：{_one_line(exc.reason)}",
        )
        return None
    except yaml.YAMLError as exc:
        problems.error(path, first_line, f"YAML 格式错误：{_one_line(str(exc))}")
        return None
    except RecursionError:
        problems.error(path, first_line, f"YAML 嵌套过深（超过 {MAX_DEPTH} 层）")
        return None
    finally:
        loader.dispose()
    if node is None:
        return YamlDoc({}, {}, first_line)
    if isinstance(node, yaml.ScalarNode) and _report_full_width_keys(text, node.end_mark.line, path, problems, offset):
        return None  # ``title：…`` alone: one line of text instead of a mapping
    builder = _Builder(loader, offset, path, problems, text)
    try:
        data = builder.build(node, ())
    except RecursionError:  # pragma: no cover - MAX_DEPTH stops well before Python's own limit
        problems.error(path, first_line, f"YAML 嵌套过深（超过 {MAX_DEPTH} 层）")
        return None
    if not builder.ok:
        return None
    return YamlDoc(data, builder.lines, first_line)


def _full_width_colon_message(key: str) -> str:
    return f"键名 “{key}” 后面用了全角冒号“：”，请改为半角冒号“:”（冒号后再加一个空格，如 “{key}: …”）"


def _full_width_key_lines(text: str) -> list[tuple[int, str]]:
    """(0-based line, key) of every line that is ``key：value`` where a key belongs.

    A key belongs where a line is indented no deeper than the key before it (or no key came
    before): deeper lines may be the continuation of a value, or the lines of a ``|`` block, where
    ``甲：乙`` is just text. A list item (``- 城乡：标准``) is text too.
    """
    found: list[tuple[int, str]] = []
    key_column: int | None = None  # of the most recent key
    block_column: int | None = None  # inside a | or > block whose key is at this column
    for index, row in enumerate(_rows(text)):
        stripped = row.lstrip(" ")
        if not stripped or stripped.startswith("#"):
            continue
        indent = len(row) - len(stripped)
        if block_column is not None and indent > block_column:
            continue
        block_column = None
        full_width = _FULL_WIDTH_KEY.match(row)
        if full_width and (key_column is None or indent <= key_column):
            found.append((index, full_width["key"]))
            key_column = indent
            continue
        half_width = _HALF_WIDTH_KEY.match(row)
        if half_width:
            key_column = len(half_width["lead"])
            if _BLOCK_SCALAR.match(half_width["value"] or ""):
                block_column = key_column
    return found


def _rows(text: str) -> list[str]:
    return _LINE_BREAK.split(text)


def _report_full_width_keys(text: str, failed_at: int, path: Path, problems: Problems, offset: int) -> bool:
    """Report the ``key：value`` lines of a document YAML could not read as a mapping (the error YAML
    gives is at a later line and says nothing of the colon), if one of them comes no later than
    where YAML gave up (``failed_at``, 0-based); True if any was reported."""
    found = _full_width_key_lines(text)
    if not any(index <= failed_at for index, _ in found):
        return False
    for index, key in found:
        problems.error(path, index + 1 + offset, _full_width_colon_message(key))
    return True


def _describe(exc: yaml.MarkedYAMLError, text: str = "") -> str:
    problem = exc.problem or ""
    mark = exc.problem_mark
    lines = text.split("\n")
    at_tab = mark is not None and mark.line < len(lines) and "\t" in lines[mark.line][: mark.column + 1]
    if "found character '\\t'" in problem or "\\t" in problem or at_tab:
        return "不能用制表符（Tab）缩进，请改用空格"
    for context_part, problem_part, friendly in _FRIENDLY:
        if context_part in (exc.context or "") and problem_part in problem:
            return friendly
    context = f"{exc.context}，" if exc.context else ""
    return _one_line(f"{context}{problem}".strip("，") or str(exc).split("\n")[0])


def _tag(tag: str) -> str:
    return "!!" + tag[len(_CORE) :] if tag.startswith(_CORE) else tag


_FRIENDLY = (  # (context, problem) fragments of PyYAML's messages → what to tell staff
    ("quoted scalar", "end of stream", "引号没有闭合"),
    ("flow sequence", "", "方括号 [ 没有闭合，或列表项之间缺少逗号"),
    ("flow mapping", "", "花括号 { 没有闭合，或项之间缺少逗号"),
    ("", "undefined alias", "引用了未定义的锚点（*名称）"),
    ("an alias", "", "以 * 开头的值在 YAML 中是锚点引用：如是文字，请给整个值加引号"),
    ("an anchor", "", "以 & 开头的值在 YAML 中是锚点：如是文字，请给整个值加引号"),
    ("", "mapping values are not allowed", "此处不能写“键: 值”（缩进不对，或值中含有“: ”而没有加引号）"),
    ("simple key", "could not find expected ':'", "缺少冒号“:”，或上一行的引号没有闭合"),
)


def _one_line(text: str) -> str:
    """PyYAML messages carry a second line (``in "<unicode string>", line 3``); a problem has one."""
    return " ".join(text.split("\n")[0].split()) or "无法解析"
