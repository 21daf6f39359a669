"""The terminal table: a row per layer (nested models collapsed down to `depth`), totals below."""

from __future__ import annotations

import re
import textwrap

from tabulate import tabulate

from ..report import LayerReport, Params, Report
from ..shapes import fmt_shape

HEADERS = ("Layer (type)", "Input → output", "Params", "Trainable", "MACs", "Why")
EXPLANATION_WIDTH = 60


def count_text(value) -> str:
    return "?" if value is None else f"{value:,}"


def bytes_text(value) -> str:
    """`8.6 MiB (9,037,060 bytes)`."""
    if value is None:
        return "unknown"
    for unit, size in (("GiB", 2**30), ("MiB", 2**20), ("KiB", 2**10)):
        if value >= size:
            return f"{value / size:.1f} {unit} ({value:,} bytes)"
    return f"{value:,} bytes"


def shapes_text(shapes) -> str:
    if not shapes:
        return "?"
    return ", ".join(fmt_shape(s) for s in shapes)


def terms_text(params: Params) -> str:
    """`1280×1 kernel + 1 bias = 1,281`: the sum behind a layer's count."""
    if not params.terms:
        return ""
    parts = " + ".join(f"{t.formula} {t.name}" for t in params.terms)
    return f"{parts} = {params.total:,}"


def terms_sentence(params: Params) -> str:
    """`1,280 × 1 weights + 1 bias`: a layer's count in words."""
    parts = []
    for term in params.terms:
        if len(term.shape) > 1:
            formula = " × ".join(f"{d:,}" for d in term.shape)
        else:
            formula = f"{term.count:,}"
        parts.append(f"{formula} {_NOUNS.get(term.name, term.name)}")
    return " + ".join(parts) if parts else "no weights"


_NOUNS = {"kernel": "weights", "bias": "bias"}


def _why(row: LayerReport) -> str:
    text = row.explanation
    if not row.is_model and row.params.terms:
        text += f"\nParams: {terms_text(row.params)}"
        if row.params.non_trainable and row.params.trainable:
            text += f" ({row.params.non_trainable:,} non-trainable)"
    return text


_NBSP = "\u00a0"
_GROUPS = re.compile(r"⌈[^⌉]*⌉|⌊[^⌋]*⌋|\([^()]*\)| = [\d,]+|\d[\d,]*(?: × \d[\d,]*)+")


def wrap(text: str, width: int = EXPLANATION_WIDTH) -> str:
    """Wrap text without breaking inside a formula group: ⌈160 / 2⌉, (5, 5, 1280), `= 1,281`."""
    lines = []
    for paragraph in text.split("\n"):
        glued = _GROUPS.sub(lambda m: m.group(0).replace(" ", _NBSP), paragraph)
        lines += textwrap.wrap(glued, width, break_long_words=False, break_on_hyphens=False)
    return "\n".join(lines).replace(_NBSP, " ")


def _cells(row: LayerReport) -> list:
    name = "· " * row.depth + row.name  # tabulate strips leading spaces, so mark depth visibly
    kind = "· " * row.depth + f"({row.class_name})"
    if not row.derived and not row.is_model:
        kind += " not derived"
    read = " (read)" if row.params_from == "weights" else ""
    shapes = f"{shapes_text(row.input_shapes)}\n→ {shapes_text(row.output_shapes)}"
    if not row.input_shapes:
        shapes = f"→ {shapes_text(row.output_shapes)}"
    shared = row.call > 0 and row.params.total
    return [
        f"{name}\n{kind}",
        shapes,
        "(shared)" if shared else f"{row.params.total:,}{read}",
        "(shared)" if shared else f"{row.params.trainable:,}",
        count_text(row.macs),
        wrap(_why(row)),
    ]


def render_table(report: Report, depth: int = 0, **_options) -> str:
    """The report as a text table, nested models expanded down to `depth` (0: collapsed)."""
    shown = [row for row in report.layers if row.depth <= depth]
    body = tabulate(
        [_cells(row) for row in shown],
        headers=HEADERS,
        tablefmt="simple_grid",
        disable_numparse=True,
        colalign=("left", "left", "right", "right", "right", "left"),
    )
    totals = report.totals
    lines = [
        f'Model "{report.model_name}" ({report.class_name}) from {report.source}',
        "",
        body,
        "",
        f"Total params: {totals.params:,}",
        f"Trainable params: {totals.trainable:,}",
        f"Non-trainable params: {totals.non_trainable:,}",
        f"MACs for one example: {count_text(totals.macs)}",
        f"Memory: parameters {bytes_text(totals.param_bytes)}; outputs of all layers for one "
        f"example {bytes_text(totals.activation_bytes)}",
    ]
    if totals.not_derived:
        counted = (
            f"{totals.read:,} of these params were read from the weights file, not derived"
            if totals.read
            else "their params are not in these totals"
        )
        lines.append(
            f"Not derived: {totals.not_derived} of {totals.layers} layers (no rule or an unusable "
            f"config); {counted}."
        )
    else:
        lines.append(f"All {totals.layers} layers derived from their configuration.")
    lines += [f"Note: {note}" for note in report.notes]
    hidden = [row for row in report.layers if row.is_model and row.depth == depth]
    if hidden and any(r.depth > depth for r in report.layers):
        lines.append(f"Nested models shown as one row; --depth {depth + 1} expands them.")
    return "\n".join(lines) + "\n"
