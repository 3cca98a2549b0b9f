"""The build cache (``.cache/`` beside the content folder): safe to delete, never required.

Three things are remembered between builds, each keyed by a digest of everything it depends on:
- sources: what loading and checking each content file produced (the object and its problems),
  keyed by the file's bytes and the configuration it was checked against;
- markdown: sanitised HTML of each body, keyed by its text and the page it appears on;
- outputs: for each output path, the fingerprint of what it was made from, so an unchanged file
  is taken over from the previous output instead of being rendered and written again.
Every key also includes the builder's own code and the templates, so a change to either
invalidates everything that depends on it.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

from . import __version__
from .problems import Problem, Problems

T = TypeVar("T")
CACHE_DIR = ".cache"
_PACKAGE = Path(__file__).resolve().parent


def digest(*parts: bytes | str) -> str:
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


def tree_digest(root: Path, pattern: str = "**/*") -> str:
    """Digest of every file's relative path and bytes under ``root``."""
    parts: list[bytes | str] = []
    for path in sorted(root.glob(pattern)):
        if path.is_file() and "__pycache__" not in path.parts:
            parts += [path.relative_to(root).as_posix(), path.read_bytes()]
    return digest(*parts)


def stat_digest(root: Path) -> str:
    """Cheap digest of a folder's listing: every file's path, size, inode and times (the change
    time cannot be set back by hand, so any write or replacement shows). ``.cache`` is skipped.

    A folder reached through a symbolic link is not walked (it could loop), so a listing with
    one never equals another: whatever depends on it is always done again."""
    parts: list[str] = []
    for folder, dirs, files in os.walk(root):
        if any(os.path.islink(os.path.join(folder, d)) for d in dirs):
            parts.append(os.urandom(16).hex())
        dirs[:] = sorted(d for d in dirs if d != CACHE_DIR)
        rel = os.path.relpath(folder, root)
        for name in sorted(files):
            try:
                st = os.stat(os.path.join(folder, name))
            except OSError:  # a dangling link: the build reports it, every time
                parts.append(os.urandom(16).hex())
                continue
            parts.append(f"{rel}/{name}:{st.st_size}:{st.st_ino}:{st.st_mtime_ns}:{st.st_ctime_ns}")
    return digest(*parts)


_BUILDER: str | None = None


def builder_digest() -> str:
    """The builder's version and code: a new builder never trusts an old cache."""
    global _BUILDER
    if _BUILDER is None:
        _BUILDER = digest(__version__, tree_digest(_PACKAGE, "**/*.py"))
    return _BUILDER


class Store:
    """One pickled dictionary in the cache folder, loaded on first use, saved atomically."""

    def __init__(self, folder: Path | None, name: str):
        self.path = folder / f"{name}.pickle" if folder is not None else None
        self._data: dict[Any, Any] | None = None
        self.dirty = False

    @property
    def data(self) -> dict[Any, Any]:
        if self._data is None:
            self._data = {}
            if self.path is not None and self.path.is_file():
                try:
                    with self.path.open("rb") as f:
                        loaded = pickle.load(f)
                    if isinstance(loaded, dict) and loaded.get("__builder__") == builder_digest():
                        self._data = loaded
                except Exception:  # a damaged cache is a cold cache, never a failed build
                    self._data = {}
            self._data["__builder__"] = builder_digest()
        return self._data

    def get(self, key: Any) -> Any:
        return self.data.get(key)

    def put(self, key: Any, value: Any) -> None:
        self.data[key] = value
        self.dirty = True

    def replace(self, data: dict[Any, Any]) -> None:
        self._data = {"__builder__": builder_digest(), **data}
        self.dirty = True

    def save(self) -> None:
        if self.path is None or not self.dirty:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{self.path.name}-", dir=self.path.parent)
        try:
            with os.fdopen(fd, "wb") as f:
                pickle.dump(self.data, f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        self.dirty = False


class SourceCache:
    """Memoises per-file loading and checking by the bytes of the files involved."""

    def __init__(self, store: Store, context: str):
        self.store = store
        self.context = context  # digest of whatever else the checks read (site.yaml, files/)
        self.hits = 0
        self.misses = 0

    def load(
        self, kind: str, files: Iterable[Path], problems: Problems, loader: Callable[[Problems], T]
    ) -> T:
        """``loader(problems)``, or what it returned last time for the same bytes."""
        paths = list(files)
        parts: list[bytes | str] = [kind, self.context]
        for path in paths:
            try:
                parts += [path.as_posix(), path.read_bytes()]
            except OSError:
                return loader(problems)  # let the loader report it
        key = (kind, tuple(p.as_posix() for p in paths))
        fingerprint = digest(*parts)
        hit = self.store.get(key)
        if hit is not None and hit[0] == fingerprint:
            self.hits += 1
            problems.extend(hit[2])
            return hit[1]  # type: ignore[no-any-return]
        self.misses += 1
        local = Problems(problems.display_root)
        result = loader(local)
        problems.extend(local.items)
        try:
            pickle.dumps(result)
        except Exception:
            return result
        self.store.put(key, (fingerprint, result, tuple(local.items)))
        return result


def cached(
    cache: SourceCache | None, kind: str, files: Iterable[Path], problems: Problems, loader: Callable[[Problems], T]
) -> T:
    """``cache.load(…)`` when there is a cache, else just ``loader(problems)``."""
    if cache is None:
        return loader(problems)
    return cache.load(kind, files, problems, loader)


def cache_folder(content_dir: Path, enabled: bool = True) -> Path | None:
    return (content_dir.resolve().parent / CACHE_DIR) if enabled else None


__all__ = [
    "Problem", "SourceCache", "Store", "builder_digest", "cache_folder", "cached", "digest", "stat_digest",
    "tree_digest",
]
