"""Policies (政策文件): ``content/policies/**/*.md`` → `Policy`, with every rule of SPEC 3.2
that a single file can be checked against. Rules across files live in ``site_builder.site``."""

from __future__ import annotations

import datetime
import mimetypes
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import partial
from pathlib import Path

from .. import urls
from ..cache import SourceCache, cached_each, digest
from ..config import SiteConfig
from ..identifiers import uscc_is_valid
from ..problems import Problems
from .document import check_slug, discover, load_document
from .fields import Field, read_fields
from .yamldoc import YamlDoc

DISCLOSURES = ("主动公开", "依申请公开", "不予公开")
STATUSES = ("有效", "失效", "废止")
INDEX_NO = re.compile(r"^([0-9A-Z]{18})/(\d{4})-(\d{5})$")

FIELDS = (
    Field("title", "标题", "str", required=True, max_len=200),
    Field("index_no", "索引号", "str"),
    Field("disclosure", "公开方式", "str", choices=DISCLOSURES),
    Field("publisher", "发布机构", "str"),
    Field("category", "组配分类", "str", required=True),
    Field("doc_no", "文件编号", "str", max_len=60),
    Field("date", "发文日期", "date", required=True),
    Field("written", "成文日期", "date"),
    Field("published", "发布日期", "date"),
    Field("summary", "内容概述", "str", max_len=300),
    Field("keywords", "关键词", "strlist"),
    Field("topics", "主题分类", "strlist"),
    Field("status", "有效性", "str", choices=STATUSES),
    Field("repealed", "废止日期", "date", more_aliases=("失效日期",)),  # counted as 本年废止 in the annual report
    Field("superseded_by", "替代文件", "str"),
    Field("attachments", "附件", "list"),
    Field("slug", None, "str"),
    Field("draft", "草稿", "bool"),
)
ATTACHMENT = (
    Field("file", "文件", "str", required=True),
    Field("title", "标题", "str", required=True),
)

_TYPE_NAMES = {
    ".pdf": "PDF",
    ".doc": "Word",
    ".docx": "Word",
    ".xls": "Excel",
    ".xlsx": "Excel",
    ".wps": "WPS",
    ".et": "WPS 表格",
    ".ofd": "OFD",
    ".zip": "ZIP 压缩包",
    ".csv": "CSV",
    ".txt": "文本",
    ".jpg": "JPEG 图片",
    ".jpeg": "JPEG 图片",
    ".png": "PNG 图片",
}


@dataclass(frozen=True, slots=True)
class Attachment:
    file: str  # path relative to content/files/, posix
    title: str
    size: int
    type_name: str
    media_type: str


@dataclass(frozen=True, slots=True)
class Policy:
    source: Path
    slug: str
    title: str
    index_no: str
    disclosure: str
    publisher: str
    category: str
    doc_no: str
    date: datetime.date  # (the field shadows the type in the annotations after it)
    written: datetime.date | None
    published: datetime.date
    summary: str
    keywords: tuple[str, ...]
    topics: tuple[str, ...]
    status: str
    repealed: datetime.date | None
    superseded_by: str
    attachments: tuple[Attachment, ...]
    draft: bool
    body: str
    body_line: int
    lines: Mapping[str, int]
    digest: str = ""  # of everything the policy was made from: its file and its attachments' sizes

    @property
    def fingerprint_id(self) -> tuple[str, str]:
        """Stands for the whole policy when a page's inputs are fingerprinted (see write.py)."""
        return ("policy", self.digest)

    @property
    def url(self) -> str:
        return urls.policy(self.slug)

    @property
    def year(self) -> int:
        return self.date.year

    def line(self, key: str) -> int:
        return self.lines.get(key, 1)


def load_policies(
    config: SiteConfig, problems: Problems, cache: SourceCache | None = None, processes: int = 1
) -> list[Policy]:
    """Every policy file under ``content/policies/``, checked one by one on ``processes``
    processes (or taken from the cache when neither the file nor what it is checked against has
    changed)."""
    root = config.content_dir / "policies"
    loads = [([path], partial(load_policy, path, config)) for path in discover(root, "**/*.md", problems)]
    return [p for p in cached_each(cache, "policy", loads, problems, processes) if p is not None]


def load_policy(path: Path, config: SiteConfig, problems: Problems) -> Policy | None:
    source = load_document(path, problems)
    if source is None:
        return None
    before = len(problems.errors)
    f = read_fields(source.meta, (), FIELDS, path, problems, what="政策文件")

    slug = f["slug"] or path.stem
    check_slug(slug, path, f.line("slug") if f["slug"] else 1, problems)

    category = f["category"]
    if category and category not in config.categories:
        problems.error(
            path,
            f.line("category"),
            f"组配分类 “{category}” 不在 site.yaml 的 categories 中（可选：{'、'.join(config.categories)}）",
        )
    for topic in f["topics"] or ():
        if topic not in config.topics:
            problems.error(
                path,
                f.line("topics"),
                f"主题分类 “{topic}” 不在 site.yaml 的 topics 中（可选：{'、'.join(config.topics)}）",
            )

    issued: date | None = f["date"]
    written: date | None = f["written"]
    published: date | None = f["published"]
    if issued and written and written > issued:
        problems.error(path, f.line("written"), f"成文日期 {written} 不能晚于发文日期 {issued}")
    if published and written and published < written:
        problems.error(path, f.line("published"), f"发布日期 {published} 不能早于成文日期 {written}")
    repealed: date | None = f["repealed"]
    if repealed and issued and repealed < issued:
        problems.error(path, f.line("repealed"), f"废止日期 {repealed} 不能早于发文日期 {issued}")
    if repealed and (f["status"] or "有效") == "有效":
        problems.error(
            path, f.line("repealed"), f"有废止日期 {repealed} 的文件，有效性 status 应为“废止”或“失效”，不能是“有效”"
        )

    disclosure = f["disclosure"] or "主动公开"
    index_no = f["index_no"] or ""
    if index_no:
        _check_index_no(index_no, issued, path, f.line("index_no"), problems)
    elif disclosure == "主动公开" and not f["draft"]:
        problems.error(
            path,
            f.lines.get("index_no", 1),
            "缺少索引号 index_no（索引号）：主动公开的文件必须有索引号，"
            f"格式为 {config.uscc or '<统一社会信用代码>'}/<年份>-<5 位序号>",
        )

    superseded_by = f["superseded_by"] or ""
    if superseded_by:
        check_slug(superseded_by, path, f.line("superseded_by"), problems)

    attachments = _attachments(source.meta, f["attachments"] or [], config, path, problems)

    if len(problems.errors) > before or issued is None:
        return None
    return Policy(
        source=path,
        slug=slug,
        title=f["title"],
        index_no=index_no,
        disclosure=disclosure,
        publisher=f["publisher"] or config.publisher_name,
        category=category,
        doc_no=f["doc_no"] or "",
        date=issued,
        written=written,
        published=published or issued,
        summary=f["summary"] or "",
        keywords=f["keywords"] or (),
        topics=f["topics"] or (),
        status=f["status"] or "有效",
        repealed=repealed,
        superseded_by=superseded_by,
        attachments=attachments,
        draft=bool(f["draft"]),
        body=source.body,
        body_line=source.body_line,
        lines=dict(f.lines),
        digest=digest(path.as_posix(), source.body, repr(source.meta.data), repr(attachments)),
    )


def _check_index_no(index_no: str, issued: date | None, path: Path, line: int, problems: Problems) -> None:
    match = INDEX_NO.match(index_no)
    if not match:
        problems.error(
            path,
            line,
            f"索引号 “{index_no}” 格式不对：应为 <18 位统一社会信用代码>/<年份>-<5 位序号>，"
            "如 11379900005183427E/2024-00012",
        )
        return
    uscc, year, _ = match.groups()
    if not uscc_is_valid(uscc):
        problems.error(path, line, f"索引号中的统一社会信用代码 “{uscc}” 校验码错误（GB 32100）")
    if issued and int(year) != issued.year:
        problems.error(path, line, f"索引号的年份 {year} 与发文日期 {issued} 的年份 {issued.year} 不一致")


def _attachments(
    meta: YamlDoc, items: list[object], config: SiteConfig, path: Path, problems: Problems
) -> tuple[Attachment, ...]:
    if not items:  # most policies: no need to resolve the files folder (a few system calls each)
        return ()
    files_root = (config.content_dir / "files").resolve()
    result = []
    for index, _ in enumerate(items):
        a = read_fields(meta, ("attachments", index), ATTACHMENT, path, problems, what="附件")
        name = a["file"]
        if not name:
            continue
        line = a.line("file")
        rel = Path(name)
        if rel.is_absolute() or ".." in rel.parts or "\\" in name:
            problems.error(path, line, f"附件路径 “{name}” 必须是 content/files/ 之内的相对路径")
            continue
        target = (files_root / rel).resolve()
        if not target.is_relative_to(files_root):
            problems.error(path, line, f"附件 “{name}” 指向 content/files/ 之外（符号链接？）")
            continue
        if not target.is_file():
            problems.error(path, line, f"附件 “{name}” 不存在：应放在 content/files/{name}")
            continue
        suffix = rel.suffix.lower()
        result.append(
            Attachment(
                file=rel.as_posix(),
                title=a["title"] or rel.name,
                size=target.stat().st_size,
                type_name=_TYPE_NAMES.get(suffix, suffix.lstrip(".").upper() or "文件"),
                media_type=mimetypes.guess_type(rel.name)[0] or "application/octet-stream",
            )
        )
    return tuple(result)
