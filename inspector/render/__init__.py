"""Renderers: Report -> str. They format; they never compute a count."""

from __future__ import annotations

from .json import render_json
from .table import render_table

RENDERERS = {"table": render_table, "json": render_json}

__all__ = ["RENDERERS", "render_json", "render_table"]
