"""Turn one plan entry into the bytes of one output file."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import jinja2

from ..config import SiteConfig
from ..plan import Render
from .env import make_environment
from .markdown import MarkdownRenderer


class Renderer:
    """Holds the Jinja environment and one Markdown instance; renders entries one at a time."""

    def __init__(self, template_dir: Path, config: SiteConfig, today: date, extra: dict[str, Any] | None = None):
        self.env: jinja2.Environment = make_environment(template_dir)
        self.markdown = MarkdownRenderer()
        self.globals = {"site": config, "today": today} | (extra or {})

    def render(self, entry: Render) -> bytes:
        context = dict(self.globals)
        context.update(entry.context)
        context["meta"] = entry.meta
        context["page_path"] = entry.path
        context["body_html"] = self.markdown.render(entry.markdown, entry.path) if entry.markdown is not None else ""
        html = self.env.get_template(entry.template).render(context)
        return html.encode("utf-8")
