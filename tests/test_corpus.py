"""The bad-input corpus: every folder under ``tests/corpus/`` is one broken (or odd) content tree
and the exact problems it must give.

A case folder holds ``content/`` (the test adds the standard test ``site.yaml`` when the case has
none, unless it says ``# site.yaml: absent``), sometimes an ``export.csv`` for ``import-roster``,
and ``expected.txt``::

    # one line saying what is wrong                 (required)
    # run: build --content {content} ...           (optional; default: build into {out}, today 2026-11-29)
    # exit: 1                                      (optional; default 1)
    # generate: huge-line                          (optional; a file too big to commit, made here)
    # site.yaml: absent                            (optional; do not add the standard site.yaml)
    content/policies/a.md:3: the exact message     (every path:line line of stderr, in order)

Each case checks the exit status, every ``path:line: message`` line exactly, that no traceback is
shown, and that a failing run changed nothing: ``output/`` (made beforehand by a previous build)
and the content folder are byte-identical afterwards, and no temporary folder is left behind.
Most cases run in-process (fast); the ones in `AS_PROCESS` run as a real ``python build.py``.
"""

from __future__ import annotations

import re
import shlex
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import SITE_YAML, Result, run_cli, run_process, tree_bytes

CORPUS = Path(__file__).resolve().parent / "corpus"
DEFAULT_RUN = "build --content {content} --out {out} --today 2026-11-29"
PROBLEM_LINE = re.compile(r"^[^\s:][^:]*:\d+: ")
AS_PROCESS = {
    "yaml-alias-bomb",
    "yaml-python-tag",
    "invalid-utf8-gbk-policy",
    "huge-line",
    "crlf-policy",
    "roster-csv-formula",
    "pii-id-in-body",
    "import-id-in-note",
}
MARKER = b"<!doctype html><title>previous build</title>\n"


@dataclass(frozen=True)
class Case:
    name: str
    about: str
    run: str
    exit: int
    generate: str
    site_yaml: bool
    expected: list[str]


def load_case(folder: Path) -> Case:
    headers: dict[str, str] = {}
    expected: list[str] = []
    about = ""
    for line in (folder / "expected.txt").read_text(encoding="utf-8").splitlines():
        if line.startswith("# "):
            key, sep, value = line[2:].partition(": ")
            if sep and key in ("run", "exit", "generate", "site.yaml"):
                headers[key] = value.strip()
            elif not about:
                about = line[2:].strip()
        elif line.strip():
            expected.append(line)
    return Case(
        name=folder.name,
        about=about,
        run=headers.get("run", DEFAULT_RUN),
        exit=int(headers.get("exit", "1")),
        generate=headers.get("generate", ""),
        site_yaml=headers.get("site.yaml") != "absent",
        expected=expected,
    )


CASES = [load_case(folder) for folder in sorted(CORPUS.iterdir()) if (folder / "expected.txt").is_file()]


def generate(kind: str, work: Path) -> None:
    """Inputs too large to keep in the repository."""
    if kind == "huge-line":
        # A policy whose body is one 20 MB line (a pasted image, say): refused with its line.
        path = work / "content" / "policies" / "a.md"
        text = path.read_text(encoding="utf-8")
        path.write_text(text + "数据" * (10 * 1024 * 1024 // 3) + "……\n", encoding="utf-8")
    else:  # pragma: no cover - a typo in expected.txt
        raise AssertionError(f"unknown generator {kind!r}")


def prepare(case: Case, tmp_path: Path) -> Path:
    work = tmp_path / "work"
    shutil.copytree(CORPUS / case.name, work, ignore=shutil.ignore_patterns("expected.txt"))
    (work / "content").mkdir(exist_ok=True)
    if case.site_yaml and not (work / "content" / "site.yaml").exists():
        (work / "content" / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
    if case.generate:
        generate(case.generate, work)
    # "the previous build": the output folder a failed run must leave exactly as it was
    (work / "output").mkdir()
    (work / "output" / "index.html").write_bytes(MARKER)
    return work


def run(case: Case, work: Path) -> Result:
    args = [a.format(content="content", out="output") for a in shlex.split(case.run)]
    if case.name in AS_PROCESS:
        return run_process(*args, cwd=work)
    return run_cli(*args, cwd=work)


def test_corpus_is_large_enough() -> None:
    assert len(CASES) >= 40
    assert all(c.about for c in CASES), [c.name for c in CASES if not c.about]
    assert {c.name for c in CASES} >= AS_PROCESS


@pytest.mark.parametrize(
    "case",
    [pytest.param(c, id=c.name, marks=[pytest.mark.slow] if c.name in AS_PROCESS else []) for c in CASES],
)  # the cases run as a real process are the slow ones
def test_case(case: Case, tmp_path: Path) -> None:
    work = prepare(case, tmp_path)
    before = tree_bytes(work)
    result = run(case, work)
    shown = [line for line in result.err.splitlines() if PROBLEM_LINE.match(line)]
    assert "Traceback" not in result.err, result.err
    assert (result.code, shown) == (case.exit, case.expected), f"{case.about}\n{result.err}"
    leftovers = [p.name for p in work.iterdir() if p.name.startswith((".build-", ".old-"))]
    assert leftovers == []
    if case.exit != 0:
        assert tree_bytes(work) == before, "a failed run changed files"
    elif case.run == DEFAULT_RUN:
        assert (work / "output" / "index.html").read_bytes() != MARKER, "the site was not rebuilt"
