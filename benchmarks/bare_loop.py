#!/usr/bin/env python3
"""The "bare loop": the least work our libraries need to turn policy Markdown into pages.

    .venv/bin/python benchmarks/bare_loop.py --out DIR [--jobs N] FILE...
    .venv/bin/python benchmarks/bare_loop.py --out DIR [--jobs N] --content DIR

For each file: read it, parse its front matter with PyYAML's C loader, convert the body with one
Python-Markdown instance (``tables``, ``sane_lists``) reset per document, render one Jinja2
template (title + body), write ``policies/<stem>/index.html``. No validation, no sanitising, no
catalog, no search: the floor that the builder's own time is compared with. With ``--jobs N``
the files are dealt to N processes, each with its own Markdown instance and template.
"""

from __future__ import annotations

import argparse
import multiprocessing
import sys
from pathlib import Path

import jinja2
import markdown
import yaml

# Generated policies, as gen_city.py writes them (the basis policies of the standards are not).
POLICY_GLOB = "policies/[0-9][0-9][0-9][0-9]/*.md"
TEMPLATE = """<!doctype html>
<html lang="zh-CN">
<head><meta charset="utf-8"><title>{{ title }}</title></head>
<body><main><h1>{{ title }}</h1>
{{ body | safe }}
</main></body>
</html>
"""


def split_front_matter(text: str) -> tuple[str, str]:
    """(front matter, body) of a file that starts with a ``---`` block."""
    if not text.startswith("---\n"):
        return "", text
    end = text.index("\n---\n", 3)
    return text[4:end], text[end + 5 :]


def render_files(paths: list[Path], out: Path) -> int:
    """Render every file of ``paths`` under ``out``; return how many were written."""
    md = markdown.Markdown(extensions=["tables", "sane_lists"], output_format="html")
    template = jinja2.Environment(autoescape=True).from_string(TEMPLATE)
    for path in paths:
        front, body = split_front_matter(path.read_text(encoding="utf-8"))
        meta = yaml.load(front, Loader=yaml.CSafeLoader) or {}
        md.reset()
        html = template.render(title=meta.get("title", path.stem), body=md.convert(body))
        target = out / "policies" / path.stem / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(html, encoding="utf-8")
    return len(paths)


def render_parallel(paths: list[Path], out: Path, jobs: int) -> int:
    """Deal ``paths`` round-robin to ``jobs`` processes (in this process when ``jobs`` is 1)."""
    if jobs <= 1:
        return render_files(paths, out)
    chunks = [(paths[i::jobs], out) for i in range(jobs)]
    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        return sum(pool.starmap(render_files, chunks))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--content", type=Path, help=f"render the {POLICY_GLOB} files of this content folder")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--jobs", type=int, default=1)
    args = parser.parse_args(argv)
    paths = list(args.files)
    if args.content is not None:
        paths += sorted(args.content.glob(POLICY_GLOB))
    if not paths:
        parser.error("no files: give FILE... or --content DIR")
    count = render_parallel(paths, args.out, max(1, args.jobs))
    print(f"bare loop: {count} pages, {args.jobs} process(es)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
