"""Turn one plan entry into the bytes of one output file."""

from __future__ import annotations

import traceback
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

import jinja2

from ..cache import digest
from ..config import SiteConfig
from ..plan import Render
from ..problems import ContentError, Problem, Problems
from .env import make_environment
from .markdown import MarkdownRenderer


class Renderer:
    """Holds the Jinja environment and one Markdown instance; renders entries one at a time.

    ``markdown_cache`` maps a digest of (body, page path) to sanitised HTML from earlier builds;
    bodies rendered here that were not in it are returned by `new_markdown` for saving.
    ``compiled_templates`` is a folder for the compiled templates (`make_environment`).
    """

    def __init__(
        self,
        template_dir: Path,
        config: SiteConfig,
        today: date,
        extra: dict[str, Any] | None = None,
        markdown_cache: Mapping[str, str] | None = None,
        compiled_templates: Path | None = None,
    ):
        self.template_dir = template_dir
        self.content_root = config.content_dir.resolve().parent  # where problem paths start
        self.env: jinja2.Environment = make_environment(template_dir, compiled_templates)
        self.markdown = MarkdownRenderer()
        self.globals = {"site": config, "today": today} | (extra or {})
        self.markdown_cache: Mapping[str, str] = markdown_cache or {}
        self._new_markdown: dict[str, str] = {}

    def new_markdown(self) -> dict[str, str]:
        new, self._new_markdown = self._new_markdown, {}
        return new

    def render(self, entry: Render) -> bytes:
        context = dict(self.globals)
        context.update(entry.context)
        context["meta"] = entry.meta
        context["page_path"] = entry.path
        context["searchable"] = entry.searchable  # base.html marks <main> data-pagefind-body
        context["body_html"] = self._body(entry)
        try:
            html = self.env.get_template(entry.template).render(context)
        except jinja2.TemplateError as exc:
            raise ContentError([template_problem(exc, self.template_dir, entry.path)]) from exc
        except (ArithmeticError, LookupError, TypeError, ValueError, AttributeError) as exc:
            problem = template_problem(exc, self.template_dir, entry.path)
            if problem.path == self.template_dir.name:  # not raised by template code: a builder bug
                raise
            raise ContentError([problem]) from exc
        return html.encode("utf-8")

    def _body(self, entry: Render) -> str | tuple[str, ...]:
        if entry.markdown is None:
            return ""
        if isinstance(entry.markdown, tuple):
            return tuple(self._piece(entry, piece) for piece in entry.markdown)
        return self._piece(entry, entry.markdown)

    def _piece(self, entry: Render, markdown: str) -> str:
        key = digest(entry.path, markdown)
        cached = self.markdown_cache.get(key)
        if cached is not None:
            return cached
        try:
            html = self.markdown.render(markdown, entry.path)
            self._new_markdown[key] = html
            return html
        except RecursionError:  # Python-Markdown recurses once per level of nested lists or quotes
            problems = Problems(display_root=self.content_root)
            problems.error(
                entry.source or self.content_root, entry.body_line, "正文嵌套过深（列表或引用的层级太多），无法生成页面"
            )
            raise ContentError(problems.items) from None


def template_problem(exc: Exception, template_dir: Path, page: str = "") -> Problem:
    """``templates/x.html:line: message`` for a template error, like Jinja's own traceback line.

    The line comes from the error (syntax errors) or from the deepest traceback frame that Jinja
    maps back to a template file (undefined names, bad filters, errors inside macros).
    """
    root = template_dir.resolve()
    filename, line = "", 1
    if isinstance(exc, jinja2.TemplateSyntaxError):
        filename, line = exc.filename or exc.name or "", exc.lineno or 1
    else:
        for frame in reversed(traceback.extract_tb(exc.__traceback__)):
            if Path(frame.filename).resolve().is_relative_to(root):
                filename, line = frame.filename, frame.lineno or 1
                break
        if not filename and isinstance(exc, jinja2.TemplateNotFound) and exc.name:
            filename = str(root / exc.name)
    try:
        shown = Path(filename).resolve().relative_to(root.parent).as_posix() if filename else root.name
    except ValueError:
        shown = filename
    if isinstance(exc, jinja2.TemplateNotFound):
        what, detail = "模板不存在", str(exc.name)
    elif isinstance(exc, jinja2.TemplateError):
        what, detail = "模板错误", " ".join((exc.message or type(exc).__name__).split())
    else:
        what, detail = "模板错误", f"{type(exc).__name__}: {' '.join(str(exc).split())}"
    during = f"（生成 {page} 时）" if page else ""
    return Problem(shown, max(line, 1), f"{what}：{detail}{during}")
