"""The README's commands run as written on a fresh machine, and a builder started without its
packages says what to do instead of showing a traceback."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys

import pytest
from conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _fenced_blocks() -> list[str]:
    return re.findall(r"```sh\n(.*?)```", README, flags=re.DOTALL)


def test_the_readme_starts_with_the_setup_and_serve_command_and_the_test_command_ci_runs() -> None:
    first, second = (block.strip() for block in _fenced_blocks()[:2])
    assert first == "bash scripts/setup.sh && .venv/bin/python build.py serve"
    assert second.startswith("bash scripts/setup.sh --test && .venv/bin/python -m pytest")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert second in ci.splitlines()


def _table_commands() -> list[str]:
    section = README[README.index("## Commands") :]
    section = section[: section.index("\n## ", 1)]
    return re.findall(r"^\| `([^`]*build\.py[^`]*)` \|", section, flags=re.MULTILINE)


@pytest.mark.slow
def test_every_command_in_the_table_names_the_venv_python_and_its_help_runs() -> None:
    commands = _table_commands()
    assert len(commands) >= 5
    for command in commands:
        words = shlex.split(command.replace("\\|", "|"))
        assert words[:2] == [".venv/bin/python", "build.py"], command
        sub = [w for w in words[2:4] if not w.startswith(("-", "[", "SRC"))]
        proc = subprocess.run(
            [sys.executable, str(ROOT / "build.py"), *sub, "--help"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert proc.returncode == 0, (command, proc.stderr)
        for option in re.findall(r"--[a-z][a-z-]+", command):  # every option the table names exists
            assert option in proc.stdout, (command, option)


def test_a_python_without_the_packages_is_told_to_run_setup() -> None:
    # -S: no site-packages, as with a system Python on a fresh machine
    proc = subprocess.run(
        [sys.executable, "-S", str(ROOT / "build.py"), "build"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert "bash scripts/setup.sh" in proc.stderr and ".venv/bin/python build.py build" in proc.stderr
