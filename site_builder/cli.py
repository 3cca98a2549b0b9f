"""The command line: ``python build.py build|check|serve|new|import-roster``.

Exit status: 0 success · 1 content is invalid (every problem listed as path:line: message) ·
2 usage error. No traceback reaches the user for bad content.
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Sequence

from .pipeline import Options, build, check
from .problems import ContentError

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse exits 2 too; keep one message style
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
            return datetime.fromtimestamp(int(epoch), tz=timezone.utc).date()
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

    p = sub.add_parser("serve", help="生成、预览，并在修改后自动重新生成")
    content_options(p)
    p.add_argument("--out", type=Path, default=Path("output"))
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)

    p = sub.add_parser("new", help="新建内容")
    new_sub = p.add_subparsers(dest="kind", required=True, parser_class=_Parser)
    np = new_sub.add_parser("policy", help="新建政策文件，自动分配下一个索引号")
    np.add_argument("--title", required=True)
    np.add_argument("--category", required=True)
    np.add_argument("--date", type=_date)
    np.add_argument("--slug")
    np.add_argument("--content", type=Path, default=Path("content"))
    return parser


def options_from(args: argparse.Namespace) -> Options:
    jobs = getattr(args, "jobs", 0) or (os.cpu_count() or 1)
    if jobs < 1:
        raise UsageError("--jobs 必须是正整数")
    content = args.content
    if not content.is_dir():
        raise UsageError(f"内容目录不存在：{content}")
    return Options(
        content_dir=content,
        out_dir=getattr(args, "out", Path("output")),
        today=resolve_today(args.today),
        drafts=args.drafts,
        strict=args.strict,
        jobs=jobs,
        base_url=args.base_url,
    )


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    try:
        if args.command == "build":
            report = build(options_from(args), log)
            for warning in report.problems.warnings:
                log(str(warning))
            log(f"完成：{report.files} 个文件写入 {args.out}（{report.seconds:.2f} 秒）")
        elif args.command == "check":
            problems = check(options_from(args), log)
            for warning in problems.warnings:
                log(str(warning))
            log("检查通过：内容有效，可以发布")
        elif args.command == "serve":
            from .serve import serve

            serve(options_from(args), args.host, args.port, log)
        elif args.command == "new":
            from .scaffold import new_policy

            path = new_policy(args.content, args.title, args.category, args.date, args.slug)
            log(f"已创建 {path}")
    except ContentError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        errors = sum(p.severity == "error" for p in exc.problems)
        print(f"失败：发现 {errors} 个问题，未写入任何文件。", file=sys.stderr)
        return EXIT_CONTENT
    except UsageError as exc:
        print(f"用法错误：{exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("已中断：输出目录保持原样，临时文件已清除。", file=sys.stderr)
        return 130
    return EXIT_OK
