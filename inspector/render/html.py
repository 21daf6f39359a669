"""The report as one self-contained HTML page: the table and an inline SVG drawing of the shape
flow, each layer a box sized by its tensor. Nested models fold (<details>). No scripts, fonts or
anything else is fetched: the page makes no external requests."""

from __future__ import annotations

import math
from html import escape

from ..report import LayerReport, Report
from ..shapes import known_product
from .table import bytes_text, count_text, shapes_text, terms_sentence

BOX_HEIGHT = 46
GAP = 22
MIN_WIDTH, MAX_WIDTH = 170.0, 560.0
LEFT = 40

STYLE = """
body { font-family: system-ui, sans-serif; margin: 2rem; color: #1d2433; }
h1 { font-size: 1.4rem; } h2 { font-size: 1.1rem; margin-top: 2rem; }
table { border-collapse: collapse; font-size: 0.85rem; }
th, td { border: 1px solid #d5dae3; padding: 0.3rem 0.5rem; vertical-align: top; text-align: left; }
th { background: #eef1f6; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.model td { background: #f6f8fb; font-weight: 600; } tr.not-derived td { color: #a33; }
.totals { margin: 1rem 0; } .totals dt { float: left; width: 14rem; }
.totals dd { margin: 0 0 0.2rem 14rem; }
details { margin: 0.5rem 0 0.5rem 1rem; } summary { cursor: pointer; font-weight: 600; }
svg text { font-family: system-ui, sans-serif; }
"""


def _elements(row: LayerReport) -> int | None:
    sizes = [known_product(shape[1:]) for shape in row.output_shapes]
    return None if not sizes or None in sizes else sum(sizes)


def _width(row: LayerReport) -> float:
    """Box width grows with the log of the output's size: 1 value narrow, 1M values wide."""
    elements = _elements(row)
    label = 7.2 * len(f"{row.name} ({row.class_name})") + 16  # room for the bold label
    if elements is None:
        return max(MIN_WIDTH, label)
    scale = min(math.log10(max(elements, 1)) / 7.0, 1.0)
    return max(MIN_WIDTH + (MAX_WIDTH - MIN_WIDTH) * scale, label)


def _svg(rows: list[LayerReport], title: str) -> str:
    """A vertical flow of boxes, one per row, with an arrow from each producer."""
    index = {row.path: i for i, row in enumerate(rows)}
    height = len(rows) * (BOX_HEIGHT + GAP) + GAP
    width = LEFT + max([MAX_WIDTH, *(_width(r) for r in rows)]) + 140
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{escape(title)}" '
        f'width="{width:.0f}" height="{height}" viewBox="0 0 {width:.0f} {height}">',
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" '
        'fill="#7a8599"/></marker></defs>',
    ]
    for i, row in enumerate(rows):
        y = GAP + i * (BOX_HEIGHT + GAP)
        w = _width(row)
        fill = (
            "#fbe3e3"
            if not row.derived and not row.is_model
            else ("#e8f0fe" if row.params.trainable else "#eef1f6")
        )
        dash = ' stroke-dasharray="5 3"' if row.is_model else ""
        params = f"{row.params.total:,} params" if row.params.total else "no params"
        parts.append(
            f'<g class="layer" data-path="{escape(row.path)}">'
            f'<rect x="{LEFT}" y="{y}" width="{w:.0f}" height="{BOX_HEIGHT}" rx="6" '
            f'fill="{fill}" stroke="#5b6b8c"{dash}/>'
            f'<text x="{LEFT + 8}" y="{y + 18}" font-size="12" font-weight="600">'
            f"{escape(row.name)} ({escape(row.class_name)})</text>"
            f'<text x="{LEFT + 8}" y="{y + 36}" font-size="11" fill="#3c4a66">'
            f"{escape(shapes_text(row.output_shapes))} · {params}</text></g>"
        )
        for source in row.inputs_from:
            j = index.get(source)
            if j is None:
                continue
            y0 = GAP + j * (BOX_HEIGHT + GAP) + BOX_HEIGHT
            if j == i - 1:
                parts.append(
                    f'<line x1="{LEFT + 24}" y1="{y0}" x2="{LEFT + 24}" y2="{y}" '
                    f'stroke="#7a8599" marker-end="url(#arrow)"/>'
                )
            else:  # a skip connection: around the right of the boxes
                x = LEFT + MAX_WIDTH + 20 + 10 * ((i + j) % 8)
                parts.append(
                    f'<path d="M {LEFT + _width(rows[j]):.0f} {y0 - BOX_HEIGHT / 2} '
                    f"C {x} {y0 - BOX_HEIGHT / 2}, {x} {y + BOX_HEIGHT / 2}, "
                    f'{LEFT + w:.0f} {y + BOX_HEIGHT / 2}" fill="none" stroke="#9aa5b8" '
                    f'marker-end="url(#arrow)"/>'
                )
    parts.append("</svg>")
    return "".join(parts)


def _flow(report: Report, prefix: str, depth: int) -> str:
    """The drawing of one model level, and a folding section for each nested model."""
    rows = [r for r in report.layers if r.depth == depth and r.path.startswith(prefix)]
    html = [_svg(rows, f"shape flow of {prefix.rstrip('/') or report.model_name}")]
    for row in rows:
        if row.is_model and row.call == 0:
            html.append(
                f"<details><summary>{escape(row.name)} ({escape(row.class_name)}, "
                f"{row.layer_count} layers, {row.params.total:,} params)</summary>"
                f"{_flow(report, row.path + '/', depth + 1)}</details>"
            )
    return "".join(html)


def _table(report: Report) -> str:
    head = ("Layer", "Class", "Input → output", "Params", "Trainable", "MACs", "Why")
    lines = ["<table><thead><tr>", *(f"<th>{h}</th>" for h in head), "</tr></thead><tbody>"]
    for row in report.layers:
        css = "model" if row.is_model else ("not-derived" if not row.derived else "")
        params = f"{row.params.total:,}"
        if row.params.terms and not row.is_model:
            params += f" = {terms_sentence(row.params)}"
        shapes = f"{shapes_text(row.input_shapes) if row.input_shapes else ''} → " + shapes_text(
            row.output_shapes
        )
        cells = [
            "&nbsp;&nbsp;" * row.depth + escape(row.name),
            escape(row.class_name),
            escape(shapes),
            escape(params),
            f"{row.params.trainable:,}",
            count_text(row.macs),
            escape(row.explanation),
        ]
        lines.append(f'<tr class="{css}">')
        lines += [
            f'<td class="num">{c}</td>' if i in (4, 5) else f"<td>{c}</td>"
            for i, c in enumerate(cells)
        ]
        lines.append("</tr>")
    lines.append("</tbody></table>")
    return "".join(lines)


def render_html(report: Report, **_options) -> str:
    totals = report.totals
    facts = [
        ("Total params", f"{totals.params:,}"),
        ("Trainable params", f"{totals.trainable:,}"),
        ("Non-trainable params", f"{totals.non_trainable:,}"),
        ("MACs for one example", count_text(totals.macs)),
        ("Parameter memory", bytes_text(totals.param_bytes)),
        ("Layers not derived", f"{totals.not_derived} of {totals.layers}"),
    ]
    title = f"{report.model_name} ({report.class_name})"
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en"><head><meta charset="utf-8">',
            f"<title>{escape(title)} — inspector</title>",
            f"<style>{STYLE}</style></head><body>",
            f"<h1>{escape(title)}</h1>",
            f"<p>From <code>{escape(report.source)}</code>. Boxes are sized by the layer's output "
            f"(log scale); blue boxes hold trainable params; dashed boxes are nested models, "
            f"unfolded below them.</p>",
            '<dl class="totals">',
            *(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in facts),
            "</dl>",
            *(f"<p>Note: {escape(note)}</p>" for note in report.notes),
            "<h2>Shape flow</h2>",
            _flow(report, "", 0),
            "<h2>Layers</h2>",
            _table(report),
            "</body></html>",
            "",
        ]
    )
