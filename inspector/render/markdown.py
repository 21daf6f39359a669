"""The report as Markdown: a table that pastes into notes and READMEs."""

from __future__ import annotations

from tabulate import tabulate

from ..report import LayerReport, Report
from .table import bytes_text, count_text, shapes_text, terms_sentence


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", "<br>")


def _row(row: LayerReport) -> list[str]:
    name = "&nbsp;&nbsp;" * row.depth + f"`{row.name}`"
    if not row.derived and not row.is_model:
        name += " (not derived)"
    params = f"{row.params.total:,}"
    if row.params.terms and not row.is_model:
        params += f" = {terms_sentence(row.params)}"
    if row.call > 0:
        params = "(shared)"
    return [
        _cell(name),
        row.class_name,
        _cell(f"{shapes_text(row.input_shapes) if row.input_shapes else ''} → ")
        + _cell(shapes_text(row.output_shapes)),
        _cell(params),
        f"{row.params.trainable:,}",
        count_text(row.macs),
        _cell(row.explanation),
    ]


def render_markdown(report: Report, depth: int = 0, **_options) -> str:
    rows = [_row(row) for row in report.layers if row.depth <= depth]
    table = tabulate(
        rows,
        headers=("Layer", "Class", "Input → output", "Params", "Trainable", "MACs", "Why"),
        tablefmt="github",
        disable_numparse=True,
    )
    totals = report.totals
    lines = [
        f"## {report.model_name} ({report.class_name})",
        "",
        f"From `{report.source}`.",
        "",
        table,
        "",
        f"- Total params: **{totals.params:,}**",
        f"- Trainable params: {totals.trainable:,}",
        f"- Non-trainable params: {totals.non_trainable:,}",
        f"- MACs for one example: {count_text(totals.macs)}",
        f"- Parameter memory: {bytes_text(totals.param_bytes)}",
    ]
    if totals.not_derived:
        lines.append(f"- Not derived: {totals.not_derived} of {totals.layers} layers")
    lines += [f"- Note: {note}" for note in report.notes]
    return "\n".join(lines) + "\n"
