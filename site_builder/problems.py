"""Problems found in content: collected over a whole run, printed together, one exit.

Every message names the file and line it is about, as ``path:line: message``, with the
path relative to the content folder's parent (so ``content/policies/a.md:3: …``).
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True, order=True)
class Problem:
    path: str
    line: int
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        prefix = "" if self.severity == "error" else "警告："
        return f"{self.path}:{self.line}: {prefix}{self.message}"


@functools.lru_cache(maxsize=1 << 14)  # the model names thousands of files from a few folders
def _shown(path: str, root: Path) -> str:
    file = Path(path)
    try:  # the link itself, not its target: a symlink is shown where it is
        return (_resolved(file.parent) / file.name).relative_to(_resolved(root)).as_posix()
    except ValueError:
        return file.as_posix()


@functools.lru_cache(maxsize=1 << 10)
def _resolved(folder: Path) -> Path:
    return folder.resolve()  # a system call per part of the path: once per folder, not per file


class UsageError(Exception):
    """A bad argument, or a file or port the command cannot use: the command line prints it as
    ``用法错误：…`` and exits 2. Problems in the content are a `ContentError` (exit 1)."""


class ContentError(Exception):
    """Raised to stop a run once problems have been collected; carries all of them."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass
class Problems:
    """A collector that every stage appends to; `raise_if_errors` ends the run once."""

    display_root: Path
    items: list[Problem] = field(default_factory=list)

    def rel(self, path: Path | str) -> str:
        return _shown(os.fspath(path), self.display_root)

    def error(self, path: Path | str, line: int, message: str) -> None:
        self.items.append(Problem(self.rel(path), max(line, 1), message))

    def warning(self, path: Path | str, line: int, message: str) -> None:
        self.items.append(Problem(self.rel(path), max(line, 1), message, "warning"))

    def extend(self, other: Iterable[Problem]) -> None:
        self.items.extend(other)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "warning"]

    def __iter__(self) -> Iterator[Problem]:
        return iter(sorted(self.items))

    def raise_if_errors(self, strict: bool = False) -> None:
        """Stop the run when there is an error (or, under --strict, a warning)."""
        failing = self.items if strict else self.errors
        if failing:
            raise ContentError(p if p.severity == "error" else Problem(p.path, p.line, p.message) for p in failing)
