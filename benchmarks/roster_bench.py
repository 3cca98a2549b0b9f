#!/usr/bin/env python3
"""Benchmark (not a test): import a 100,000-household raw export and build a site with it.

    .venv/bin/python benchmarks/roster_bench.py [--households 100000] [--xlsx] [--keep]

Writes a GBK-encoded raw export (or .xlsx) of made-up households — with ID numbers, phones,
addresses and bank cards, as the assistance system exports them — to a temporary folder, runs
``build.py import-roster`` on it and then ``build.py build`` over the sample content (its own
rosters left out) plus the imported roster. Prints the wall time and peak memory of each step,
measured on the child process with ``os.wait4``, and ``resource.getrusage`` ru_maxrss of this
process and of all its children. Memory should not grow with the number of rows in the importer
(rows stream from the export to the roster CSV), and the build renders one page at a time.
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT))

from make_sample_rosters import DIALECT_A, Generator, row

TODAY = "2026-11-29"


def run(args: list[str], cwd: Path) -> tuple[float, float, float, int]:
    """(wall seconds, CPU seconds, peak RSS in MB, exit status) of one child process."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "build.py"), *args], cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    assert proc.stderr is not None
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - started
    if proc.returncode != 0:
        sys.stderr.write(err.decode("utf-8", errors="replace")[-3000:])
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, proc.returncode


def write_export(path: Path, households: int, xlsx: bool) -> None:
    generator = Generator(20261129)
    if xlsx:
        import openpyxl

        book = openpyxl.Workbook(write_only=True)
        sheet = book.create_sheet("花名册")
        sheet.append(list(DIALECT_A))
        for number in range(1, households + 1):
            sheet.append(row(generator.household("中心区", "城市低保"), number, DIALECT_A))
        book.save(path)
        return
    with path.open("w", encoding="gbk", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(DIALECT_A)
        for number in range(1, households + 1):  # streamed: one household at a time
            writer.writerow(row(generator.household("中心区", "城市低保"), number, DIALECT_A))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--households", type=int, default=100_000)
    parser.add_argument("--xlsx", action="store_true", help="an .xlsx export instead of a GBK .csv")
    parser.add_argument("--keep", action="store_true", help="keep the work folder and print where it is")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="roster-bench-"))
    try:
        content = work / "content"
        shutil.copytree(ROOT / "content", content, ignore=shutil.ignore_patterns("rosters"))
        raw = work / ("export.xlsx" if args.xlsx else "export.csv")
        started = time.perf_counter()
        write_export(raw, args.households, args.xlsx)
        print(
            f"raw export: {args.households:,} households, {raw.stat().st_size / 1e6:.1f} MB "
            f"({'xlsx' if args.xlsx else 'GBK csv'}), written in {time.perf_counter() - started:.1f} s"
        )

        wall, cpu, peak, code = run(
            [
                "import-roster",
                str(raw),
                "--program",
                "城市低保",
                "--district",
                "中心区",
                "--period",
                "2026-11",
                "--publish-from",
                "2026-11-10",
                "--content",
                str(content),
            ],
            work,
        )
        roster_csv = content / "rosters" / "2026-11-中心区-城市低保.csv"
        size = roster_csv.stat().st_size / 1e6 if roster_csv.exists() else 0.0
        print(
            f"import-roster: {wall:6.1f} s wall, {cpu:6.1f} s CPU, peak {peak:5.0f} MB  (exit {code}; roster CSV {size:.1f} MB)"
        )
        if code != 0:
            return code

        out = work / "output"
        wall, cpu, peak, code = run(["build", "--content", str(content), "--out", str(out), "--today", TODAY], work)
        files = [p for p in out.rglob("*") if p.is_file()] if out.exists() else []
        pages = sum(1 for p in files if p.parts[len(out.parts)] == "rosters")
        print(
            f"build:         {wall:6.1f} s wall, {cpu:6.1f} s CPU, peak {peak:5.0f} MB  (exit {code}; {len(files):,} files, "
            f"{pages:,} roster pages, {sum(p.stat().st_size for p in files) / 1e6:.0f} MB)"
        )

        own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"ru_maxrss: this process {own:.0f} MB, largest child {children:.0f} MB")
        return code
    finally:
        if args.keep:
            print(f"work folder kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
