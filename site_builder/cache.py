"""The build cache (``.cache/`` beside the content folder): safe to delete, never required.

Three things are remembered between builds, each keyed by a digest of everything it depends on:
- sources: what loading and checking each content file produced (the object and its problems),
  keyed by the file's bytes and the configuration it was checked against;
- markdown: sanitised HTML of each body, keyed by its text and the page it appears on;
- outputs: for each output path, the fingerprint of what it was made from, so an unchanged file
  is taken over from the previous output instead of being rendered and written again;
- compiled templates (`compiled_templates`), each checked against its template's text by Jinja.
Every key also includes the builder's own code and the templates that pages are rendered with
(`render.env.template_digest`: not the stylesheets and scripts in ``static/``, which are copied),
so a change to either invalidates everything that depends on it.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import shutil
import tempfile
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import jinja2

from . import __version__
from .parallel import forked
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


def is_scratch(name: str) -> bool:
    """Whether a file or folder name is hidden (``.x``: an editor's swap file, ``.git``) or a
    backup (``x~``): what editors and tools leave beside the files they work on."""
    return name.startswith(".") or name.endswith("~")


def tree_digest(root: Path, pattern: str = "**/*") -> str:
    """Digest of every file's relative path and bytes under ``root``, but scratch ones
    (`is_scratch`): saving a template in an editor that keeps such files beside it must not
    make every page look changed, only the saved template."""
    parts: list[bytes | str] = []
    for path in sorted(root.glob(pattern)):
        rel = path.relative_to(root)
        if any(is_scratch(part) or part == "__pycache__" for part in rel.parts):
            continue
        if path.is_file():
            parts += [rel.as_posix(), path.read_bytes()]
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
                except Exception:  # noqa: BLE001 - a damaged cache is a cold cache, never a failed build
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


class Stores:
    """Opens the stores of cache folders. One kept by a process that builds again and again (the
    preview) hands out the same `Store` each time: what it holds stays in memory between builds
    instead of being read back from disk at each (the parsed sources of a city: about 0.2 s).
    Everything in a store is keyed by what it was made from, so a copy in memory is never wrong,
    even when another build has written the folder since; at worst it misses what that build did."""

    def __init__(self, keep: bool = False):
        self.keep = keep
        self._open: dict[Path, Store] = {}

    def __call__(self, folder: Path | None, name: str) -> Store:
        store = Store(folder, name)
        if not self.keep or store.path is None:
            return store
        return self._open.setdefault(store.path, store)


class SourceCache:
    """Memoises per-file loading and checking by the bytes of the files involved."""

    def __init__(self, store: Store, context: str):
        self.store = store
        self.context = context  # digest of whatever else the checks read (site.yaml, files/)

    def lookup(
        self, kind: str, files: Sequence[Path]
    ) -> tuple[Any, str, tuple[Any, tuple[Problem, ...]] | None] | None:
        """(key, fingerprint, what was remembered for them or None) — or None when a file cannot
        be read (its loader reports that, and nothing is remembered)."""
        parts: list[bytes | str] = [kind, self.context]
        for path in files:
            try:
                parts += [path.as_posix(), path.read_bytes()]
            except OSError:
                return None
        key = (kind, tuple(p.as_posix() for p in files))
        fingerprint = digest(*parts)
        hit = self.store.get(key)
        if hit is not None and hit[0] == fingerprint:
            return key, fingerprint, (hit[1], hit[2])
        return key, fingerprint, None

    def remember(self, key: Any, fingerprint: str, outcome: tuple[Any, tuple[Problem, ...]]) -> None:
        try:
            pickle.dumps(outcome[0])
        except (pickle.PicklingError, TypeError, AttributeError, RecursionError):
            return  # not picklable: loaded again next time
        self.store.put(key, (fingerprint, outcome[0], outcome[1]))


def cached(
    cache: SourceCache | None, kind: str, files: Iterable[Path], problems: Problems, loader: Callable[[Problems], T]
) -> T:
    """``loader(problems)``, or what it returned last time for the same bytes of ``files``."""
    return cached_each(cache, kind, [(list(files), loader)], problems)[0]


PARALLEL_LOADS = 16  # fewer files than this load faster in one process than in forked ones


def cached_each(
    cache: SourceCache | None,
    kind: str,
    loads: Sequence[tuple[Sequence[Path], Callable[[Problems], T]]],
    problems: Problems,
    processes: int = 1,
) -> list[T]:
    """`cached` for each (files, loader) of ``loads``, in order. What the cache does not hold is
    loaded by ``processes`` processes (`parallel.forked`) when there is enough of it (a first
    build's thousands of policies). Problems are reported in the order of ``loads``, as one by one."""
    outcomes: list[tuple[T, tuple[Problem, ...]] | None] = [None] * len(loads)
    remembered: dict[int, tuple[Any, str]] = {}
    missing: list[int] = []
    for i, (files, _) in enumerate(loads):
        found = cache.lookup(kind, files) if cache is not None else None
        if found is not None and found[2] is not None:
            outcomes[i] = found[2]
            continue
        if found is not None:
            remembered[i] = found[:2]
        missing.append(i)
    loaders = [loads[i][1] for i in missing]
    for i, outcome in zip(missing, _load_each(loaders, problems.display_root, processes), strict=True):
        outcomes[i] = outcome
        if cache is not None and i in remembered:
            cache.remember(*remembered[i], outcome)
    results: list[T] = []
    for done in outcomes:
        assert done is not None
        problems.extend(done[1])
        results.append(done[0])
    return results


def _load_each(
    loaders: Sequence[Callable[[Problems], T]], root: Path, processes: int
) -> list[tuple[T, tuple[Problem, ...]]]:
    if processes <= 1 or len(loaders) < PARALLEL_LOADS:
        return [_load_one(loader, root) for loader in loaders]
    size = max(1, min(64, len(loaders) // (processes * 4)))
    chunks = [range(start, min(start + size, len(loaders))) for start in range(0, len(loaders), size)]

    def load_chunk(indexes: range) -> list[tuple[T, tuple[Problem, ...]]]:  # the workers inherit ``loaders``
        return [_load_one(loaders[i], root) for i in indexes]

    return [outcome for part in forked(load_chunk, chunks, processes) for outcome in part]


def _load_one(loader: Callable[[Problems], T], root: Path) -> tuple[T, tuple[Problem, ...]]:
    local = Problems(root)
    result = loader(local)
    return result, tuple(local.items)


def cache_folder(content_dir: Path, enabled: bool = True) -> Path | None:
    return (content_dir.resolve().parent / CACHE_DIR) if enabled else None


def compiled_templates(folder: Path | None) -> Path | None:
    """The folder in ``folder`` for templates compiled by this builder (its Jinja environment
    and the Jinja version are part of the name), made if need be; those of other builders are
    removed. Compiling the templates costs each process about a tenth of a second."""
    if folder is None:
        return None
    name = f"templates-{digest(builder_digest(), jinja2.__version__)[:16]}"
    if folder.is_dir():
        for old in folder.glob("templates-*"):
            if old.name != name:
                shutil.rmtree(old, ignore_errors=True)
    (folder / name).mkdir(parents=True, exist_ok=True)
    return folder / name


__all__ = [
    "Problem",
    "SourceCache",
    "Store",
    "Stores",
    "builder_digest",
    "cache_folder",
    "cached",
    "cached_each",
    "compiled_templates",
    "digest",
    "is_scratch",
    "stat_digest",
    "tree_digest",
]
