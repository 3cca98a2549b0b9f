"""Free pages (政府信息公开指南, 无障碍声明, 年报 …): ``content/pages/*.md`` → `Page`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import partial
from pathlib import Path

from .. import urls
from ..cache import SourceCache, cached
from ..config import SiteConfig
from ..problems import Problems
from .document import check_slug, discover, load_document
from .fields import Field, read_fields

FIELDS = (
    Field("title", "标题", "str", required=True, max_len=200),
    Field("slug", None, "str"),
    Field("summary", "内容概述", "str", max_len=300),
    Field("date", "日期", "date"),
    Field("report_year", "年报年度", "int"),
    Field("draft", "草稿", "bool"),
)


@dataclass(frozen=True, slots=True)
class Page:
    source: Path
    slug: str
    title: str
    summary: str
    date: date | None
    report_year: int | None
    draft: bool
    body: str
    body_line: int

    @property
    def url(self) -> str:
        return urls.page(self.slug)


def load_pages(config: SiteConfig, problems: Problems, cache: SourceCache | None = None) -> list[Page]:
    pages = []
    for path in discover(config.content_dir / "pages", "*.md", problems):
        page = cached(cache, "page", [path], problems, partial(load_page, path))
        if page is not None:
            pages.append(page)
    return pages


def load_page(path: Path, problems: Problems) -> Page | None:
    source = load_document(path, problems)
    if source is None:
        return None
    before = len(problems.errors)
    f = read_fields(source.meta, (), FIELDS, path, problems, what="页面")
    slug = f["slug"] or path.stem
    check_slug(slug, path, f.line("slug") if f["slug"] else 1, problems)
    if len(problems.errors) > before:
        return None
    return Page(
        source=path,
        slug=slug,
        title=f["title"],
        summary=f["summary"] or "",
        date=f["date"],
        report_year=f["report_year"],
        draft=bool(f["draft"]),
        body=source.body,
        body_line=source.body_line,
    )
