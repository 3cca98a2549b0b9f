"""The only stage that touches the output folder: write everything to a temporary folder
beside it, let the caller check it, then swap it in. A failed or interrupted build leaves the
previous output exactly as it was, and no temporary folder behind."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path, PurePosixPath
from typing import Callable, Iterable

from .plan import Copy, Entry, Render, Text


class UnsafeOutputPath(Exception):
    pass


def safe_target(root: Path, rel: str) -> Path:
    """``root/rel``, refusing anything that would land outside ``root``."""
    pure = PurePosixPath(rel)
    if pure.is_absolute() or ".." in pure.parts or not pure.parts or "\\" in rel:
        raise UnsafeOutputPath(rel)
    return root.joinpath(*pure.parts)


def write_entries(
    entries: Iterable[Entry], root: Path, render: Callable[[Render], bytes], progress: Callable[[int], None] | None = None
) -> list[str]:
    """Write every entry under ``root``; return the written paths in plan order."""
    written: list[str] = []
    for count, entry in enumerate(entries, 1):
        target = safe_target(root, entry.path)
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(entry, Copy):
            shutil.copyfile(entry.source, target)
        elif isinstance(entry, Text):
            target.write_bytes(entry.text.encode("utf-8"))
        else:
            target.write_bytes(render(entry))
        written.append(entry.path)
        if progress is not None:
            progress(count)
    return written


class StagingDir:
    """A temporary folder next to ``out``; `commit` swaps it in, leaving the context removes it."""

    def __init__(self, out: Path):
        self.out = out.resolve()
        self.out.parent.mkdir(parents=True, exist_ok=True)
        self.path = Path(tempfile.mkdtemp(prefix=f".build-{self.out.name}-", dir=self.out.parent))
        self.committed = False

    def __enter__(self) -> "StagingDir":
        return self

    def __exit__(self, *exc: object) -> None:
        if not self.committed:
            shutil.rmtree(self.path, ignore_errors=True)

    def commit(self) -> None:
        """Replace ``out`` with the staged folder: two renames on the same file system."""
        os.chmod(self.path, 0o755)
        old = None
        if self.out.exists():
            old = Path(tempfile.mkdtemp(prefix=f".old-{self.out.name}-", dir=self.out.parent))
            old.rmdir()
            os.rename(self.out, old)
        try:
            os.rename(self.path, self.out)
        except BaseException:
            if old is not None:
                os.rename(old, self.out)
            raise
        self.committed = True
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
