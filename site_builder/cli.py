"""The command line: ``python build.py build|check|audit|serve|new|import-roster``.

Exit status: 0 success · 1 content is invalid (every problem listed as path:line: message) ·
2 usage error. No traceback reaches the user for bad content.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
import time
from collections.abc import Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import NoReturn, TextIO

from .last_build import LastBuild
from .options import TEMPLATE_DIR, Options
from .parallel import WorkerDied
from .problems import ContentError, UsageError
from .search import SearchIndexError

# The pipeline (Jinja, Markdown, the sanitizer, the detectors) is imported only when there is
# work to do: a rebuild with nothing changed ends before (site_builder.last_build).

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # argparse exits 2 too; keep one message style
        self.print_usage(sys.stderr)
        print(f"用法错误：{message}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期应为 YYYY-MM-DD：{text}") from None


def resolve_today(given: date | None) -> date:
    """--today, else SOURCE_DATE_EPOCH (reproducible builds), else the system date."""
    if given is not None:
        return given
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return datetime.fromtimestamp(int(epoch), tz=UTC).date()
        except (ValueError, OverflowError, OSError):
            raise UsageError(f"SOURCE_DATE_EPOCH 应为整数秒：{epoch}") from None
    return date.today()


def make_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="build.py", description="示范市民政局政府信息公开网站生成器")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    def content_options(p: argparse.ArgumentParser) -> None:
        p.add_argument("--content", type=Path, default=Path("content"), help="内容目录（默认 content）")
        p.add_argument("--today", type=_date, help="以此日期为“今天”（YYYY-MM-DD）")
        p.add_argument("--drafts", action="store_true", help="同时生成草稿")
        p.add_argument("--strict", action="store_true", help="警告也视为错误（用于 CI）")
        p.add_argument("--base-url", help="覆盖 site.yaml 的 base_url（如部署在子路径下）")

    p = sub.add_parser("build", help="完整生成网站")
    content_options(p)
    p.add_argument("--out", type=Path, default=Path("output"), help="输出目录（默认 output）")
    p.add_argument("--jobs", type=int, default=0, help="并行进程数（默认：全部核心）")

    p = sub.add_parser("check", help="只检查内容和个人信息，不写任何文件")
    content_options(p)

    p = sub.add_parser("audit", help="按政府网站检查指标检查内容和生成的网站（栏目更新、年报、页脚、链接…）")
    content_options(p)
    p.add_argument("--out", type=Path, default=Path("output"), help="已生成的网站目录（默认 output）")
    p.add_argument("--json", type=Path, metavar="FILE", help="同时把检查结果写成 JSON 文件")

    p = sub.add_parser("serve", help="生成、预览，并在修改后自动重新生成")
    content_options(p)
    p.add_argument("--out", type=Path, default=Path("output"))
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)

    p = sub.add_parser("new", help="新建内容")
    new_sub = p.add_subparsers(dest="kind", required=True, parser_class=_Parser)
    from .scaffold import DESCRIPTION, HelpFormatter, PolicyHelp

    np = new_sub.add_parser(
        "policy",
        help="新建政策文件（草稿），自动分配下一个索引号",
        description=DESCRIPTION,
        formatter_class=HelpFormatter,
        add_help=False,
    )
    np.add_argument("-h", "--help", action=PolicyHelp, help="显示此帮助（含可选的组配分类）并退出")
    np.add_argument("--title", required=True, metavar="TITLE", help="文件标题，如 “关于做好冬季救助工作的通知”")
    np.add_argument(
        "--category", required=True, metavar="CATEGORY", help="组配分类：site.yaml 的 categories 之一（见下）"
    )
    np.add_argument(
        "--date",
        type=_date,
        metavar="YYYY-MM-DD",
        help="发文日期（默认：今天）；决定索引号的年份和文件所在的 policies/<年份>/ 文件夹",
    )
    np.add_argument("--slug", help="文件名，也是网址的一部分：小写字母、数字和连字符（默认 policy-<年份>-<序号>）")
    np.add_argument("--content", type=Path, default=Path("content"), metavar="DIR", help="内容目录（默认 content）")

    ap = new_sub.add_parser(
        "annual-report",
        help="新建政府信息公开工作年度报告（草稿，国办公开办函〔2021〕30号格式，行政规范性文件件数按目录计算）",
    )
    ap.add_argument("--year", type=int, required=True, help="报告年度，如 2026")
    ap.add_argument("--content", type=Path, default=Path("content"), metavar="DIR", help="内容目录（默认 content）")
    ap.add_argument("--today", type=_date, help="以此日期为“今天”（YYYY-MM-DD）")

    p = sub.add_parser("import-roster", help="从救助系统导出文件（.csv/.xlsx）生成遮蔽后的公示名单")
    p.add_argument("src", type=Path, help="导出文件（.csv：UTF-8 或 GBK；.xlsx）")
    p.add_argument("--program", required=True, help="项目，如 城市低保、农村低保、特困供养、临时救助")
    p.add_argument("--district", required=True, help="区县（site.yaml 的 districts 之一）")
    p.add_argument("--period", required=True, help="期别 YYYY-MM")
    p.add_argument("--stage", default="长期公示", help="初审公示、终止公示 或 长期公示（默认）")
    p.add_argument("--publish-from", type=_date, help="公示开始日期（默认：今天）")
    p.add_argument(
        "--publish-until",
        type=_date,
        help="公示结束日期（初审公示、终止公示默认按 site.yaml roster.notice_days 计算：7 个自然日或工作日）",
    )
    p.add_argument("--title", help="标题（默认：区县+期别+项目+公示类型+名单）")
    p.add_argument("--slug", help="文件名（默认：期别-区县-项目，初审公示加 -初审，终止公示加 -终止）")
    p.add_argument("--content", type=Path, default=Path("content"), help="内容目录（读取 site.yaml；默认 content）")
    p.add_argument("--out", type=Path, help="写入的目录（默认：<内容目录>/rosters）")
    p.add_argument("--skip-bad", action="store_true", help="跳过有问题的行，导入其余的行")
    p.add_argument("--force", action="store_true", help="替换已有的同名名单")
    return parser


def import_roster_command(args: argparse.Namespace) -> None:
    """``build.py import-roster``: bad rows → ContentError (exit 1); bad arguments → UsageError (2)."""
    from .privacy.importer import import_roster

    result = import_roster(
        args.src,
        program=args.program,
        district=args.district,
        period=args.period,
        content_dir=args.content,
        out_dir=args.out,
        stage=args.stage,
        publish_from=args.publish_from or resolve_today(None),
        publish_until=args.publish_until,
        title=args.title,
        slug=args.slug,
        skip_bad=args.skip_bad,
        force=args.force,
    )
    for note in result.notes:
        log(note)
    log(
        f"已导入 {result.households} 户、{result.persons} 人 → {result.yaml_path}，{result.csv_path.name}"
        "（姓名已遮蔽，身份证号码、电话、住址等未导入）"
    )


def audit_command(args: argparse.Namespace) -> int:
    """``build.py audit``: the report on stdout; exit 1 on errors (on warnings too with --strict)."""
    from .audit import audit, write_json

    report = audit(options_from(args, out_is_input=True), log)
    for line in report.lines(args.strict):
        print(line)
    if args.json is not None:
        write_json(report, args.json)
    return EXIT_CONTENT if report.failed(args.strict) else EXIT_OK


def options_from(args: argparse.Namespace, out_is_input: bool = False) -> Options:
    jobs = getattr(args, "jobs", 0) or (os.cpu_count() or 1)
    if jobs < 1:
        raise UsageError("--jobs 必须是正整数")
    content = args.content
    if not content.is_dir():
        raise UsageError(f"内容目录不存在：{content}")
    if hasattr(args, "out") and not out_is_input:  # audit reads the output folder, never replaces it
        check_out_dir(args.out, content)
    return Options(
        content_dir=content,
        out_dir=getattr(args, "out", Path("output")),
        today=resolve_today(args.today),
        drafts=args.drafts,
        strict=args.strict,
        jobs=jobs,
        base_url=args.base_url,
    )


def check_out_dir(out: Path, content: Path) -> None:
    """Refuse an output folder whose swap would replace something that is not a built site.

    A build replaces the whole output folder, so ``--out .``, ``--out content`` or ``--out docs``
    (a folder of other files) would delete sources: that is a usage error, before anything runs.
    """
    target = out.resolve()
    if out.exists() and not out.is_dir():
        raise UsageError(f"输出位置 {out} 已存在，但不是文件夹")
    protected = {
        "内容目录": content.resolve(),
        "模板目录": TEMPLATE_DIR.resolve(),
        "生成器程序": Path(__file__).resolve().parent,
        "当前目录": Path.cwd().resolve(),
    }
    for what, path in protected.items():
        if path.is_relative_to(target):
            raise UsageError(f"输出目录 {out} 包含{what}：生成时整个输出目录会被替换，请换一个专用的目录（如 output）")
    if target.is_relative_to(protected["内容目录"]):
        raise UsageError(f"输出目录 {out} 不能放在内容目录 {content} 之内")
    if out.is_dir() and any(out.iterdir()) and not (out / "index.html").is_file():
        raise UsageError(
            f"输出目录 {out} 里已有其他文件，却不是生成的网站（没有 index.html）；"
            "生成时它会被整个替换，为免误删，请换一个空目录，或确认后手动清空它"
        )


def _template_error() -> type[Exception]:
    """jinja2.TemplateError, imported only when an exception is being matched against it."""
    import jinja2

    return jinja2.TemplateError


def _interrupt(signum: int, frame: object) -> None:
    """SIGTERM (a CI job cancelled, a container stopped) ends a build like Ctrl-C: cleanly."""
    raise KeyboardInterrupt


def log(message: str) -> None:
    _PROGRESS.clear()
    print(message, file=sys.stderr, flush=True)


class TerminalProgress:
    """The counts of a long stage (生成页面：1200/2865) on one line of a terminal, redrawn at most
    five times a second and cleared before the next log line. Silent unless ``stream`` is a
    terminal and the CI variable is unset: CI logs and redirected output get the stage lines only."""

    def __init__(self, stream: TextIO):
        self.stream = stream
        self.enabled = stream.isatty() and not os.environ.get("CI")
        self.drawn = 0.0
        self.shown = False

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if not self.enabled or (done < total and now - self.drawn < 0.2):
            return
        self.drawn = now
        self.stream.write(f"\r{stage}：{done}/{total}\x1b[K")
        self.stream.flush()
        self.shown = True

    def clear(self) -> None:
        if self.shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self.shown = False


_PROGRESS = TerminalProgress(sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    on_main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _interrupt) if on_main_thread else None
    try:
        return _run(args)
    finally:
        if on_main_thread:
            signal.signal(signal.SIGTERM, previous)


def _run(args: argparse.Namespace) -> int:
    try:
        if args.command == "build":
            options = options_from(args)
            last = LastBuild(options)
            report = last.unchanged(log, time.perf_counter())
            if report is None:
                from .pipeline import build

                try:
                    report = build(options, log, last=last, progress=_PROGRESS)
                finally:
                    _PROGRESS.clear()  # before the problems, if it failed
            for warning in report.problems.warnings:
                log(str(warning))
            log(f"完成：{report.files} 个文件写入 {args.out}（{report.seconds:.2f} 秒）")
        elif args.command == "check":
            from .pipeline import check

            problems = check(options_from(args), log)
            for warning in problems.warnings:
                log(str(warning))
            log("检查通过：内容有效，可以发布")
        elif args.command == "audit":
            return audit_command(args)
        elif args.command == "serve":
            from .serve import serve

            serve(options_from(args), args.host, args.port, log)  # a busy port: UsageError, before building
        elif args.command == "new" and args.kind == "annual-report":
            from .scaffold import new_annual_report

            if not args.content.is_dir():
                raise UsageError(f"内容目录不存在：{args.content}")
            path = new_annual_report(args.content, args.year, resolve_today(args.today))
            log(f"已创建 {path}：这是草稿（草稿: true）；填好各项数字和文字后删除这一行即可发布")
        elif args.command == "new":
            from .scaffold import new_policy

            path = new_policy(args.content, args.title, args.category, args.date, args.slug)
            log(
                f"已创建 {path}：这是草稿（draft: true），只有 build --drafts 才生成它；"
                "改好后删除 draft: true 这一行即可发布"
            )
        elif args.command == "import-roster":
            import_roster_command(args)
    except ContentError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        errors = sum(p.severity == "error" for p in exc.problems)
        print(f"失败：发现 {errors} 个问题，未写入任何文件。", file=sys.stderr)
        return EXIT_CONTENT
    except UsageError as exc:
        print(f"用法错误：{exc}", file=sys.stderr)
        return EXIT_USAGE
    except (SearchIndexError, WorkerDied) as exc:
        print(f"失败：{str(exc).rstrip('。')}。输出目录保持原样。", file=sys.stderr)
        return EXIT_CONTENT
    except _template_error() as exc:  # rendering outside the pipeline's own handler
        from .render.renderer import template_problem

        print(template_problem(exc, TEMPLATE_DIR), file=sys.stderr)
        print("失败：模板有误，未写入任何文件。", file=sys.stderr)
        return EXIT_CONTENT
    except OSError as exc:  # disk full, permission denied, a file vanished mid-build
        where = f"：{exc.filename}" if exc.filename else ""
        print(f"失败：无法读写文件{where}（{exc.strerror or exc}）。输出目录保持原样。", file=sys.stderr)
        return EXIT_CONTENT
    except KeyboardInterrupt:
        print("已中断：输出目录保持原样，临时文件已清除。", file=sys.stderr)
        return 130
    return EXIT_OK
