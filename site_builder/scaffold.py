"""``build.py new policy``: a valid policy file with the next free 索引号 for its year."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from .config import load_config
from .problems import ContentError, Problems
from .sources.document import SLUG, discover, load_document
from .sources.policies import INDEX_NO


class ScaffoldError(Exception):
    pass


def next_index_no(content_dir: Path, uscc: str, year: int, problems: Problems) -> str:
    """One more than the highest serial used in ``year`` by any policy file (drafts included)."""
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
    from .cli import UsageError  # the CLI owns exit codes

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
        "---\n\n"
        "在此撰写正文。\n",
        encoding="utf-8",
    )
    return path
