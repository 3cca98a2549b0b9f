"""YAML with a line number for every key and item, so that every problem can name its line.

PyYAML's C loader composes the node tree; we build plain Python data from it ourselves so that
duplicate keys are caught and each value's line is kept. Dates stay strings (YAML 1.1 would turn
``2023-02-30`` into a crash): the field readers validate them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

import yaml

try:  # the C loader is several times faster; fall back only where libyaml is missing
    _BaseLoader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    _BaseLoader = yaml.SafeLoader

from ..problems import Problems

Key = tuple[str | int, ...]
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
MAX_NODES = 1_000_000


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
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
    def __init__(self, loader: Any, offset: int, path: Path, problems: Problems):
        self.loader = loader
        self.offset = offset
        self.path = path
        self.problems = problems
        self.lines: dict[Key, int] = {}
        self.count = 0
        self.ok = True

    def line_of(self, node: yaml.Node) -> int:
        return node.start_mark.line + 1 + self.offset

    def build(self, node: yaml.Node, key: Key) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            if self.ok:
                self.problems.error(self.path, self.line_of(node), "YAML 过于庞大或含有过多别名引用")
            self.ok = False
            return None
        if isinstance(node, yaml.MappingNode):
            result: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    self.problems.error(self.path, self.line_of(key_node), "键必须是简单文字")
                    self.ok = False
                    continue
                name = self.loader.construct_object(key_node)
                if key_node.tag == "tag:yaml.org,2002:merge":
                    self.problems.error(self.path, self.line_of(key_node), "不支持 YAML 合并键 <<")
                    self.ok = False
                    continue
                name = name if isinstance(name, str) else str(name)
                if name in result:
                    self.problems.error(
                        self.path, self.line_of(key_node),
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
        try:
            return self.loader.construct_object(node)
        except (yaml.YAMLError, ValueError, TypeError) as exc:
            self.problems.error(self.path, self.line_of(node), f"无法解析的值：{exc}")
            self.ok = False
            return None


def load_yaml(
    text: str, path: Path, problems: Problems, first_line: int = 1
) -> YamlDoc | None:
    """Parse one YAML document; record every problem with its file line and return None on any."""
    offset = first_line - 1
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + 1 + offset) if mark is not None else first_line
        problems.error(path, line, f"YAML 格式错误：{_describe(exc)}")
        return None
    except yaml.YAMLError as exc:
        problems.error(path, first_line, f"YAML 格式错误：{exc}")
        return None
    finally:
        loader.dispose()
    if node is None:
        return YamlDoc({}, {}, first_line)
    builder = _Builder(loader, offset, path, problems)
    data = builder.build(node, ())
    if not builder.ok:
        return None
    return YamlDoc(data, builder.lines, first_line)


def _describe(exc: yaml.MarkedYAMLError) -> str:
    problem = exc.problem or ""
    if "found character '\\t'" in problem or "\\t" in problem:
        return "不能用制表符（Tab）缩进，请改用空格"
    context = f"{exc.context}，" if exc.context else ""
    return f"{context}{problem}".strip("，") or str(exc)
