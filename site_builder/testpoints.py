"""Named points in a build where a test can stop it, so that interrupting a build "while it
writes pages" or "while it commits" is something a test does at a known point, never a race
against a sleep.

Inert unless the environment variable ``SITE_BUILDER_PAUSE`` names the point (e.g.
``SITE_BUILDER_PAUSE=render``). A process that reaches that point writes one line to standard
error, ``testpoint <name> pid <pid>``, and waits there (at most `WAIT_SECONDS`, then goes on) for
the test to send it a signal. The points, in the order a build reaches them:

- ``load``: before any source is read; ``gate``: the personal-data gate over the sources;
- ``render``: the staging folder exists and pages are about to be written;
- ``worker``: a forked worker starts a task (to kill one from outside);
- ``publish``: an update has put its new pages in place, the old search index still serves;
- ``index``: the search index is about to be built;
- ``commit``: the first file of the new site has been moved into place, the rest not yet.
"""

from __future__ import annotations

import os
import sys
import time

VARIABLE = "SITE_BUILDER_PAUSE"
WAIT_SECONDS = 60.0


def reached(name: str) -> None:
    """Pause here if the test asked for it (see the module's docstring); otherwise nothing."""
    if os.environ.get(VARIABLE) != name:
        return
    print(f"testpoint {name} pid {os.getpid()}", file=sys.stderr, flush=True)
    deadline = time.monotonic() + WAIT_SECONDS
    while (left := deadline - time.monotonic()) > 0:
        time.sleep(min(left, 0.5))  # a signal's handler runs here (Ctrl-C raises KeyboardInterrupt)


__all__ = ["VARIABLE", "reached"]
