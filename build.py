#!/usr/bin/env python3
"""Command-line entry point: ``python build.py build`` (see ``python build.py --help``)."""

import sys

if sys.version_info < (3, 11):  # noqa: UP036 - a readable message on an older Python, not a SyntaxError
    sys.exit("需要 Python 3.11 或更高版本")

from site_builder.cli import main

if __name__ == "__main__":
    sys.exit(main())
