"""The only stage that touches the output folder.

Everything is written to a temporary folder beside the output, checked there by the caller,
then put in place: a failed or interrupted build leaves the previous output exactly as it was,
and no temporary folder behind. A file whose inputs have not changed since the last build is
taken over from the previous output; the rest is rendered, across several processes when there
is enough of it.

Two ways to put the new site in place (`StagingDir`):
- a whole site: the staged folder holds every file (unchanged ones hard-linked from the previous
  output) and replaces the output folder in two renames. For a first build, and for ``--strict``.
- an update: the staged folder holds only what changed. Committing moves each replaced or
  removed file of the output aside, then the new files in; any failure on the way moves
  everything back. An edit to one page then costs a few renames, not a link and a delete of
  every file of the site.
"""

from __future__ import annotations

import hashlib
import io
import os
import pickle
import shutil
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Protocol, Self

from . import testpoints
from .cache import digest
from .parallel import forked
from .plan import Copy, Entry, Render, Text
from .problems import ContentError, Problem

PARALLEL_MIN = 64  # fewer pages than this render faster in one process than a pool starts
Record = tuple[str, int, int, str]  # (fingerprint, size, mtime_ns, sha256) of one written output file
Check = Callable[[str, bytes], list[Problem]]  # the personal-data findings in an output file's bytes


class UnsafeOutputPath(Exception):
    pass


def safe_target(root: Path, rel: str) -> Path:
    """``root/rel``, refusing anything that would land outside ``root``."""
    pure = PurePosixPath(rel)
    if pure.is_absolute() or ".." in pure.parts or not pure.parts or "\\" in rel:
        raise UnsafeOutputPath(rel)
    return root.joinpath(*pure.parts)


def fingerprint(entry: Entry, inputs: str) -> str:
    """A digest of everything an output file is made from; ``inputs`` covers what every page
    shares (builder, templates, site.yaml, today)."""
    if isinstance(entry, Copy):  # ``inputs`` too: a new pii.allow must re-check every file
        st = entry.source.stat()
        return digest("copy", inputs, entry.path, entry.source.as_posix(), str(st.st_size), str(st.st_mtime_ns))
    if isinstance(entry, Text):
        return digest("text", inputs, entry.path, entry.text)
    buffer = io.BytesIO()
    pickler = _Fingerprinter(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.fast = True  # no memo: equal data pickles the same whether or not objects are shared
    context = entry.key if entry.key is not None else entry.context
    pickler.dump((entry.path, entry.template, entry.meta, context, entry.markdown, entry.searchable))
    return digest("render", inputs, buffer.getvalue())


class _Fingerprinter(pickle.Pickler):
    """Pickles a page's inputs for its fingerprint; a loaded policy or roster is represented by
    the digest of the files it was made from (``fingerprint_id``), not by its whole content."""

    def persistent_id(self, obj: object) -> object:
        if type(obj) not in _IDENTIFIED:
            return None
        ident = getattr(obj, "fingerprint_id", None)
        return ident if ident and ident[1] else None  # no digest (made by hand): pickle it whole


def _identified() -> frozenset[type]:
    from .sources.policies import Policy
    from .sources.rosters import Roster

    return frozenset({Policy, Roster})


_IDENTIFIED = _identified()


@dataclass
class WriteResult:
    records: dict[str, Record] = field(default_factory=dict)
    written: list[str] = field(default_factory=list)  # rendered or copied by this build
    reused: list[str] = field(default_factory=list)  # taken over from the previous output
    markdown: dict[str, str] = field(default_factory=dict)  # newly rendered bodies, for the cache
    findings: list[Problem] = field(default_factory=list)  # of ``check`` in what was written


class Renders(Protocol):
    """What rendering needs, made once per process (the Jinja environment, a Markdown instance):
    `render.renderer.Renderer` is one, without knowing of this stage."""

    def render(self, entry: Render) -> bytes: ...

    def new_markdown(self) -> dict[str, str]: ...


def write_site(
    entries: Sequence[Entry],
    staging: Path,
    previous: Path | None,
    memory: dict[str, Record],
    inputs: str,
    renders: Callable[[], Renders],
    jobs: int = 1,
    link: bool = True,
    check: Check | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> WriteResult:
    """Write every planned entry into ``staging``.

    ``memory`` holds the records of the previous build into ``previous``; an entry with the
    same fingerprint whose old file is untouched is not rendered again: with ``link`` it is
    hard-linked into ``staging`` (a whole site), without it is left where it is (an update).
    Each file written is passed to ``check`` with its bytes, by the process that made it (the
    personal-data gate then runs on every core, without reading the files back). ``progress``
    hears (pages rendered, pages to render) as rendering goes.
    """
    result = WriteResult()
    todo: list[tuple[Entry, str]] = []
    for entry in entries:
        fp = fingerprint(entry, inputs)
        old = memory.get(entry.path)
        if (
            previous is not None
            and old is not None
            and old[0] == fp
            and _take_over(previous, staging, entry.path, old, link)
        ):
            result.records[entry.path] = old
            result.reused.append(entry.path)
        else:
            todo.append((entry, fp))

    pages = [(e, fp) for e, fp in todo if isinstance(e, Render)]
    for entry, fp in todo:
        if not isinstance(entry, Render):
            result.records[entry.path] = _write_one(staging, entry, fp, None, check, result.findings)
            result.written.append(entry.path)
    tell = progress or (lambda done, total: None)
    if jobs > 1 and len(pages) >= PARALLEL_MIN:
        records, markdown, findings = _render_parallel(pages, staging, renders, jobs, check, tell)
    else:
        records, markdown, findings = _render_serial(pages, staging, renders(), check, tell)
    result.records.update(records)
    result.written += [e.path for e, _ in pages]
    result.markdown.update(markdown)
    result.findings += findings
    return result


def _take_over(previous: Path, staging: Path, rel: str, old: Record, link: bool) -> bool:
    source, target = safe_target(previous, rel), safe_target(staging, rel)
    try:
        st = source.stat()
        if (st.st_size, st.st_mtime_ns) != (old[1], old[2]):
            return False  # changed by hand since: render it again
        if not link:
            return True
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(source, target)
        except OSError:  # a file system without hard links
            shutil.copy2(source, target)
        return True
    except OSError:
        return False


def _write_one(
    staging: Path, entry: Entry, fp: str, renderer: Renders | None, check: Check | None, findings: list[Problem]
) -> Record:
    target = safe_target(staging, entry.path)
    target.parent.mkdir(parents=True, exist_ok=True)
    data = entry_bytes(entry, renderer.render if renderer is not None else None)
    target.write_bytes(data)
    if check is not None:
        findings += check(entry.path, data)
    st = target.stat()
    return fp, st.st_size, st.st_mtime_ns, hashlib.sha256(data).hexdigest()  # the manifest's hash


def entry_bytes(entry: Entry, render: Callable[[Render], bytes] | None) -> bytes:
    """What a planned file holds: a copy's bytes, a text's, or a page rendered by ``render``
    (which only a page needs)."""
    if isinstance(entry, Copy):
        return entry.source.read_bytes()
    if isinstance(entry, Text):
        return entry.text.encode("utf-8")
    assert render is not None
    return render(entry)


def _render_serial(
    pages: Sequence[tuple[Entry, str]],
    staging: Path,
    renderer: Renders,
    check: Check | None,
    progress: Callable[[int, int], None],
) -> tuple[dict[str, Record], dict[str, str], list[Problem]]:
    findings: list[Problem] = []
    records: dict[str, Record] = {}
    for done, (entry, fp) in enumerate(pages, 1):
        records[entry.path] = _write_one(staging, entry, fp, renderer, check, findings)
        progress(done, len(pages))
    return records, renderer.new_markdown(), findings


# Rendering in parallel (`parallel.forked`): the workers inherit the plan, and send back only small
# records (and newly rendered Markdown, for the cache). Each makes its `Renders` once.
_WORKER: Renders | None = None
_Done = tuple[dict[str, Record], dict[str, str], list[Problem] | None, list[Problem]]


def _render_parallel(
    pages: Sequence[tuple[Entry, str]],
    staging: Path,
    renders: Callable[[], Renders],
    jobs: int,
    check: Check | None,
    progress: Callable[[int, int], None],
) -> tuple[dict[str, Record], dict[str, str], list[Problem]]:
    size = max(8, min(64, len(pages) // (jobs * 8) or 1))
    chunks = [range(start, min(start + size, len(pages))) for start in range(0, len(pages), size)]

    def render_chunk(indexes: range) -> _Done:
        global _WORKER
        if _WORKER is None:
            _WORKER = renders()
        findings: list[Problem] = []
        try:
            records = {pages[i][0].path: _write_one(staging, *pages[i], _WORKER, check, findings) for i in indexes}
        except ContentError as exc:  # ContentError does not survive pickling; send its problems
            return {}, {}, list(exc.problems), []
        return records, _WORKER.new_markdown(), [], findings

    records: dict[str, Record] = {}
    markdown: dict[str, str] = {}
    findings: list[Problem] = []

    def rendered(number: int, done: _Done) -> None:
        records.update(done[0])
        markdown.update(done[1])
        findings.extend(done[3])
        progress(len(records), len(pages))

    outcomes = forked(render_chunk, chunks, jobs, rendered)
    failed = [problems for _, _, problems, _ in outcomes if problems]
    if failed:  # report what a serial build would: the first failing page in plan order
        raise ContentError(failed[0])
    return records, markdown, findings


def link_tree(source: Path, target: Path) -> None:
    """Hard-link (or copy) every file of ``source`` into ``target``: a folder taken over whole."""
    for path in sorted(source.rglob("*")):
        dest = target / path.relative_to(source)
        if path.is_dir():
            dest.mkdir(parents=True, exist_ok=True)
        elif path.is_file():
            dest.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(path, dest)
            except OSError:
                shutil.copy2(path, dest)


class StagingDir:
    """A temporary folder next to ``out`` that becomes the new site on `commit`; leaving the
    context without a commit puts the output back as it was, and removes the folder.

    ``update=False``: ``path`` receives the whole site, which replaces ``out`` on `commit`.
    ``update=True``: ``path`` receives only the files that changed. `publish` moves them into
    ``out`` early (the search index is then built from the published site); `commit` adds the
    rest. Either step can still be undone until `commit` returns.
    """

    def __init__(self, out: Path, update: bool = False):
        self.out = out.resolve()
        self.out.parent.mkdir(parents=True, exist_ok=True)
        self.root = Path(tempfile.mkdtemp(prefix=f".build-{self.out.name}-", dir=self.out.parent))
        self.path = self.root / "site"
        self.path.mkdir()
        self.update = update and self.out.is_dir()
        self._changes = _Changes(self.out, self.root / "old")
        self.published = False
        self.committed = False

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            if not self.committed:
                self._changes.undo()
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def publish(self, keep: set[str], later: Iterable[str] = (), then: Callable[[], None] | None = None) -> None:
        """For an update: make every staged file (but those under ``later``) part of the output,
        call ``then`` (the new pages are in place: the preview reloads the browsers), and remove
        each file of the output that is neither staged nor in ``keep``. That takes a walk of the
        whole output (a file added by hand goes too), so it comes after ``then``."""
        assert self.update
        later = list(later)
        os.chmod(self.path, 0o755)
        self._move_staged(skip=later)
        if then is not None:
            then()
        for rel in sorted(r for r in _files(self.out, skip=later) if r not in keep):
            self._changes.move(self.out / rel, self.root / "old" / rel, prune=True)
        self.published = True

    def _move_staged(self, skip: Iterable[str]) -> None:
        for rel in sorted(_files(self.path, skip=skip)):
            self._changes.move(self.path / rel, self.out / rel)

    def commit(self, keep: set[str], replace_dirs: Iterable[str] = ()) -> None:
        """Make the staged files the output. For an update, each folder of ``replace_dirs``
        (the search index, which is never patched file by file) is replaced whole."""
        os.chmod(self.path, 0o755)
        self._changes.testpoint = len(self._changes.done) + 1  # after the first rename of the commit
        if self.update:
            for rel in replace_dirs:
                if (self.out / rel).exists():
                    self._changes.move(self.out / rel, self.root / "old" / rel)
                if (self.path / rel).is_dir():
                    self._changes.move(self.path / rel, self.out / rel)
            if self.published:  # the rest of the output is already as it should be
                self._move_staged(skip=replace_dirs)
            else:
                self.publish(keep, replace_dirs)
        else:
            if self.out.exists():
                self._changes.move(self.out, self.root / "old")
            self._changes.move(self.path, self.out)
        self.committed = True


class _Changes:
    """Renames in and around the output folder, logged so that they can be undone in reverse
    order: a failure (or Ctrl-C) at any point leaves the output as it was."""

    def __init__(self, out: Path, backup: Path):
        self.out, self.backup = out, backup
        self.done: list[tuple[Path, Path]] = []  # (from, to), in order
        self.made: list[Path] = []  # folders created inside the output
        self.pruned: list[Path] = []  # folders removed from the output because they became empty
        self.testpoint = 0  # the count of renames after which `testpoints` "commit" is reached

    def move(self, source: Path, target: Path, prune: bool = False) -> None:
        if target.is_relative_to(self.out):
            if target.exists() or target.is_symlink():  # replaced: keep the old one aside
                self.move(target, self.backup / target.relative_to(self.out))
            for rel in reversed(target.relative_to(self.out).parents[:-1]):  # its folders, from the top
                folder = self.out / rel
                if not folder.is_dir():  # missing (and so are those below it), or a file: set that aside
                    if folder.is_symlink() or folder.exists():
                        self.move(folder, self.backup / rel)
                    break
        if not target.parent.exists():
            missing = [p for p in (target.parent, *target.parent.parents) if not p.exists()]
            target.parent.mkdir(parents=True)
            self.made += [p for p in reversed(missing) if p.is_relative_to(self.out)]
        os.rename(source, target)
        self.done.append((source, target))
        if len(self.done) == self.testpoint:
            testpoints.reached("commit")
        if prune:  # a page removed for good: its folder goes too, when nothing else is left in it
            folder = source.parent
            while folder != self.out and folder.is_relative_to(self.out):
                try:
                    folder.rmdir()
                except OSError:
                    break
                self.pruned.append(folder)
                folder = folder.parent

    def undo(self) -> None:
        for folder in reversed(self.pruned):
            folder.mkdir(exist_ok=True)
        made = set(self.made)
        for source, target in reversed(self.done):
            source.parent.mkdir(parents=True, exist_ok=True)
            if source in made and source.is_dir() and not source.is_symlink():
                source.rmdir()  # made for new files (moved back by now) where this file stood
            os.rename(target, source)
        for folder in reversed(self.made):
            try:
                folder.rmdir()
            except OSError:
                pass
        self.done, self.made, self.pruned = [], [], []


def _files(root: Path, skip: Iterable[str] = ()) -> list[str]:
    """Relative paths of every file under ``root``, except under the top folders in ``skip``."""
    found: list[str] = []
    skipped = set(skip)
    for folder, dirs, files in os.walk(root):
        rel = os.path.relpath(folder, root)
        prefix = "" if rel == "." else rel.replace(os.sep, "/") + "/"
        if not prefix:
            dirs[:] = [d for d in dirs if d not in skipped]
        found += [prefix + name for name in files]
    return found


__all__ = ["Renders", "StagingDir", "WriteResult", "fingerprint", "link_tree", "safe_target", "write_site"]
