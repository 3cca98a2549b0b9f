"""``build.py new policy``: a draft policy file with the next free 索引号 for its year.

Imported by the command line when its parser is made, for `PolicyHelp`: what reads content is
imported only when a policy is written or the help is shown.
"""

from __future__ import annotations

import argparse
import re
import unicodedata
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any, NoReturn

from . import urls
from .problems import ContentError, Problems, UsageError

DESCRIPTION = (
    "新建一个政策文件，自动分配发文日期那一年的下一个空闲索引号，写到 <内容目录>/policies/<年份>/<slug>.md。"
    "新文件是草稿（draft: true）：只有 build --drafts（或 serve --drafts）才生成它；"
    "补好文件编号、内容概述和正文后，删除 draft: true 这一行即可发布。"
)

# what a line may not break inside: a word, option or path (ASCII, with any Chinese between its
# ASCII parts: <年份>/<slug>.md), else a space or one Chinese character
_TOKEN = re.compile(r"[!-~]+(?:[^\s!-~]+[!-~]+)*|\s+|.")
_NO_LINE_START = frozenset("，。、；：？！）》」』”’")  # Chinese punctuation that ends a phrase


def _columns(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _wrap(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` terminal columns (a Chinese character takes two),
    breaking between Chinese characters or at spaces, never inside an ASCII word, and not before a
    closing punctuation mark."""
    lines: list[str] = []
    line = ""
    for token in _TOKEN.findall(" ".join(text.split())):
        if line and _columns(line + token) > width and not token.isspace() and token[0] not in _NO_LINE_START:
            lines.append(line.rstrip())
            line = ""
        if line or not token.isspace():
            line += token
    return [*lines, line.rstrip()] if line.strip() else lines


class HelpFormatter(argparse.HelpFormatter):
    """argparse's layout, with Chinese text wrapped by its width on the terminal, not its length."""

    def _split_lines(self, text: str, width: int) -> list[str]:
        return _wrap(text, width)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        return "\n".join(indent + line for line in _wrap(text, width - len(indent)))


class PolicyHelp(argparse.Action):
    """``new policy -h/--help``: the options, then the 组配分类 that ``--category`` accepts, read
    from the site.yaml of the content folder (``--content`` when it comes before ``--help``)."""

    def __init__(self, option_strings: Sequence[str], dest: str = argparse.SUPPRESS, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, **kwargs)

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: Any,
        option_string: str | None = None,
    ) -> NoReturn:
        parser.epilog = categories_help(getattr(namespace, "content", None) or Path("content"))
        parser.print_help()
        parser.exit()


def categories_help(content_dir: Path) -> str:
    """The closing paragraph of ``new policy --help``: the categories of ``content_dir``'s site.yaml
    if it can be read, else where they come from."""
    from .config import load_config

    site_yaml = content_dir / "site.yaml"
    where = f"内容目录 {content_dir} 的 site.yaml 中的 categories"
    if not site_yaml.is_file():
        return f"可选的组配分类：{where}（{site_yaml} 不存在；请用 --content 指出内容目录，写在 --help 之前）。"
    problems = Problems(display_root=content_dir.resolve().parent)
    config = load_config(content_dir, problems)
    if config is None or problems.errors or not config.categories:
        return f"可选的组配分类：{where}（{site_yaml} 有错误，暂时读不出；运行 check 查看）。"
    return f"可选的组配分类（{site_yaml} 的 categories）：{'、'.join(config.categories)}。"


def next_index_no(content_dir: Path, uscc: str, year: int, problems: Problems) -> str:
    """One more than the highest serial used in ``year`` by any policy file (drafts included)."""
    from .sources.document import discover, load_document
    from .sources.policies import INDEX_NO

    highest = 0
    for path in discover(content_dir / "policies", "**/*.md"):
        source = load_document(path, problems)
        if source is None:
            continue
        value = source.meta.data.get("index_no", source.meta.data.get("索引号"))
        match = INDEX_NO.match(str(value or ""))
        if match and int(match[2]) == year:
            highest = max(highest, int(match[3]))
    return f"{uscc}/{year}-{highest + 1:05d}"


def new_policy(content_dir: Path, title: str, category: str, when: date | None, slug: str | None) -> Path:
    """Write a draft policy (``draft: true``) and return its path; never overwrites a file."""
    from .config import load_config
    from .sources.document import SLUG

    problems = Problems(display_root=content_dir.resolve().parent)
    config = load_config(content_dir, problems)
    problems.raise_if_errors()
    assert config is not None
    if category not in config.categories:
        raise UsageError(f"组配分类 “{category}” 不在 site.yaml 中（可选：{'、'.join(config.categories)}）")
    when = when or date.today()
    index_no = next_index_no(content_dir, config.uscc, when.year, problems)
    if problems.errors:
        raise ContentError(problems.errors)
    serial = index_no.rsplit("-", 1)[1]
    slug = slug or f"policy-{when.year}-{serial}"
    if not SLUG.match(slug):
        raise UsageError(f"slug “{slug}” 无效：只能使用小写字母、数字和连字符")
    path = content_dir / "policies" / str(when.year) / f"{slug}.md"
    if path.exists():
        raise UsageError(f"{path} 已存在，不会覆盖")
    path.parent.mkdir(parents=True, exist_ok=True)
    quoted_title = title.replace("\\", "\\\\").replace('"', '\\"')
    path.write_text(
        "---\n"
        f'title: "{quoted_title}"\n'
        f"index_no: {index_no}\n"
        f"category: {category}\n"
        "doc_no:\n"
        f"date: {when.isoformat()}\n"
        "summary:\n"
        "keywords: []\n"
        "topics: []\n"
        "draft: true  # 草稿：只在 build --drafts 时生成；删除这一行即可发布\n"
        "---\n\n"
        "在此撰写正文。\n",
        encoding="utf-8",
    )
    return path


def new_annual_report(content_dir: Path, year: int, today: date) -> Path:
    """Write ``content/annual-reports/<year>.yaml``: a draft in the national format (国办公开办函
    〔2021〕30号) with every row, zeros in every table, the 行政规范性文件 figures the catalog gives
    and the year before's 结转下年度 as comments; never overwrites a file."""
    from .annual_reports import normative_counts
    from .options import Options
    from .pipeline import load_site
    from .sources.annual_reports import (
        APPLICANTS,
        DECISIONS,
        DOCUMENT_COLUMNS,
        REQUEST_ROWS,
        REVIEW_COLUMNS,
        REVIEW_ROWS,
    )

    if not 2000 <= year <= today.year:
        raise UsageError(f"--year {year} 无效：应为 2000 年到今年（{today.year}）之间的年份")
    path = content_dir / urls.ANNUAL_REPORTS / f"{year}.yaml"
    if path.exists():
        raise UsageError(f"{path} 已存在，不会覆盖")
    site, _ = load_site(Options(content_dir=content_dir, out_dir=content_dir.parent / "output", today=today), _quiet)
    config = site.config
    computed = normative_counts(site.policies, config.normative, year)
    previous = next((v.report for v in site.reports if v.year == year - 1), None)

    def numbers(count: int) -> str:
        return "[" + ", ".join(["0"] * count) + "]"

    lines = [
        f"# {config.publisher_name}{year}年政府信息公开工作年度报告（格式：国办公开办函〔2021〕30号）",
        "# 填好数字和文字后删去 草稿 一行即可发布；每次生成都会核对勾稽关系（见 README）。",
        f"标题: {config.publisher_name}{year}年政府信息公开工作年度报告",
        f"成文日期: {year + 1}-01-15",
        f"发布日期: {year + 1}-01-20",
        "内容概述:",
        "草稿: true",
        "总体情况: |",
        "  ### （一）主动公开",
        "",
        "  ### （二）依申请公开",
        "",
        "  ### （三）政府信息管理",
        "",
        "  ### （四）平台建设",
        "",
        "  ### （五）监督保障",
        "主动公开:",
        "  规章: {" + ", ".join(f"{c.alias}: 0" for c in DOCUMENT_COLUMNS) + "}",
        "  # 行政规范性文件的件数按政府信息公开目录自动计算，现为："
        + "、".join(f"{c.alias} {computed[c.key]}" for c in DOCUMENT_COLUMNS)
        + "；与实际不符时才填写，并说明理由：",
        "  # 行政规范性文件: {"
        + ", ".join(f"{c.alias}: {computed[c.key]}" for c in DOCUMENT_COLUMNS)
        + ", 理由: 说明与目录不同的原因}",
        *(f"  {row.alias}: 0" for row in DECISIONS),
        "  行政事业性收费: 0  # 万元",
        f"# 每行 {len(APPLICANTS)} 个数：" + "、".join(c.alias for c in APPLICANTS),
        "依申请公开:",
    ]
    if previous is not None:
        carried = ", ".join(str(n) for n in previous.requests["carried_forward"])
        lines.append(f"  # {year - 1} 年报告的“结转下年度”为 [{carried}]，应与本年“上年结转”一致")
    lines += [f"  {row.alias}: {numbers(len(APPLICANTS))}" for row in REQUEST_ROWS]
    lines += [f"# 每行 {len(REVIEW_COLUMNS)} 个数：" + "、".join(c.alias for c in REVIEW_COLUMNS), "复议诉讼:"]
    lines += [f"  {row.alias}: {numbers(len(REVIEW_COLUMNS))}" for row in REVIEW_ROWS]
    lines += [
        "存在的主要问题及改进情况: |",
        "  ### （一）上年度问题的改进情况",
        "",
        "  ### （二）本年度存在的主要问题",
        "",
        "  ### （三）改进措施",
        "其他需要报告的事项: |",
        "  1. **信息处理费收取情况：** 本年度未收取信息处理费。",
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _quiet(message: str) -> None:
    """The log of loading the site: not shown while a template is written."""
