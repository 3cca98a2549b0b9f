"""The last good build into an output folder: what it was made from, and what it left there.

A rebuild whose inputs have the same stamp as the last good build (the builder's code, the
listings of the content and template folders with every file's size, inode and times, and the
options), into an output folder nobody has touched since, would write the same bytes again. It
ends at once, before any source is read: a no-change rebuild of a city-scale site then costs
the interpreter's start and a few thousand ``stat`` calls.

``--strict`` never takes this shortcut: it promises a full check of everything.
"""

from __future__ import annotations

import time

from .cache import Store, builder_digest, cache_folder, digest, stat_digest
from .options import Log, Options, Report
from .problems import Problem, Problems


class LastBuild:
    def __init__(self, options: Options):
        self.options = options
        self.out = options.out_dir.resolve()
        self.store = Store(cache_folder(options.content_dir), "last-" + digest(self.out.as_posix())[:16])
        self.stamp = (
            None
            if options.strict
            else digest(
                builder_digest(),
                stat_digest(options.template_dir),
                stat_digest(options.content_dir),
                options.today.isoformat(),
                str(options.drafts),
                options.base_url or "",
                self.out.as_posix(),
            )
        )

    def unchanged(self, log: Log, started: float) -> Report | None:
        """The last build's report when nothing has changed since it (saying so in the log)."""
        if self.stamp is None or self.store.get("stamp") != self.stamp:
            return None
        if self.store.get("output") != stat_digest(self.out):
            return None
        files: int = self.store.get("files")
        log(f"没有变化：内容、模板和设置都与上次生成时相同，输出目录也未被改动，沿用全部 {files} 个文件")
        problems = Problems(display_root=self.options.content_dir.resolve().parent)
        problems.extend(self.store.get("warnings") or ())
        return Report(files, time.perf_counter() - started, problems)

    def remember(self, files: int, warnings: list[Problem]) -> None:
        """After a good build (its output in place): what it was made from and what it wrote."""
        self.store.replace({"stamp": self.stamp, "output": stat_digest(self.out), "files": files, "warnings": warnings})
        self.store.save()


__all__ = ["LastBuild"]
