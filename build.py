#!/usr/bin/env python3
"""Command-line entry point: ``.venv/bin/python build.py build`` (see ``build.py --help``)."""

import sys

if sys.version_info < (3, 11):  # noqa: UP036 - a readable message on an older Python, not a SyntaxError
    sys.exit("需要 Python 3.11 或更高版本")

# The pinned packages of requirements.lock, by the name they are imported as.
PACKAGES = {"jinja2", "markupsafe", "markdown", "yaml", "livereload", "tornado", "nh3", "openpyxl", "pagefind"}


def _run() -> int:
    try:
        from site_builder.cli import main

        return main()
    except ModuleNotFoundError as exc:  # a Python without the builder's packages (not the .venv)
        if (exc.name or "").split(".")[0] not in PACKAGES:
            raise
        print(
            f"缺少依赖包 {exc.name}：请先在项目目录运行 bash scripts/setup.sh（建立 .venv 并安装固定版本的依赖），"
            f"然后用 .venv/bin/python build.py {' '.join(sys.argv[1:]) or '…'} 运行。",
            file=sys.stderr,
        )
        return 2


if __name__ == "__main__":
    sys.exit(_run())
