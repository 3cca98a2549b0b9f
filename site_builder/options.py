"""What a build is asked to do (`Options`) and what it reports (`Report`).

Kept apart from the pipeline, with nothing heavy imported, so that the command line can decide
that nothing needs doing (`last_build`) before Jinja, Markdown and the rest are even loaded.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .problems import Problems

Log = Callable[[str], None]
Progress = Callable[[str, int, int], None]  # (stage, done, total): for a live display on a terminal
TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "templates"


@dataclass(frozen=True, slots=True)
class Options:
    content_dir: Path
    out_dir: Path
    today: date
    drafts: bool = False
    strict: bool = False
    jobs: int = 1
    base_url: str | None = None
    template_dir: Path = TEMPLATE_DIR


@dataclass(frozen=True, slots=True)
class Report:
    files: int
    seconds: float
    problems: Problems


__all__ = ["TEMPLATE_DIR", "Log", "Options", "Progress", "Report"]
