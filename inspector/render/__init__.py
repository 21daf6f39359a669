"""Renderers: Report -> str. They format; they never compute a count."""

from __future__ import annotations

from .html import render_html
from .json import render_json
from .markdown import render_markdown
from .table import render_table

RENDERERS = {
    "table": render_table,
    "json": render_json,
    "markdown": render_markdown,
    "html": render_html,
}

__all__ = ["RENDERERS", "render_html", "render_json", "render_markdown", "render_table"]
