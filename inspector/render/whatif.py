"""--what-if: the layers that change and the totals, before and after."""

from __future__ import annotations

import textwrap

from tabulate import tabulate

from ..report import LayerReport, Report
from ..whatif import RowChange, notes_for
from .table import count_text, shapes_text, terms_sentence, wrap


def _side(row: LayerReport | None) -> str:
    if row is None:
        return "(absent)"
    params = f"{row.params.total:,} params"
    if row.params.terms and not row.is_model:
        params += f" = {terms_sentence(row.params)}"
    return wrap(
        f"{row.class_name} → {shapes_text(row.output_shapes)}\n{params}\n{row.explanation}", 48
    )


def _ratio(change: RowChange) -> str:
    a, b = change.before, change.after
    if a is None or b is None or not a.params.total or a.params.total == b.params.total:
        return ""
    ratio = b.params.total / a.params.total
    return f"{ratio:,.1f} × " + ("more" if ratio > 1 else "as many")


def render_whatif(before: Report, after: Report, changes: list[RowChange], described: str) -> str:
    rows = [[c.path, _side(c.before), _side(c.after), _ratio(c)] for c in changes]
    lines = [f"What if {described}?", ""]
    if rows:
        lines.append(
            tabulate(
                rows,
                headers=("Layer", "Before", "After", "Params"),
                tablefmt="simple_grid",
                disable_numparse=True,
            )
        )
    else:
        lines.append("No layer changes.")
    a, b = before.totals, after.totals
    lines += [
        "",
        f"Total params:     {a.params:,} → {b.params:,} ({b.params - a.params:+,})",
        f"Trainable params: {a.trainable:,} → {b.trainable:,} ({b.trainable - a.trainable:+,})",
        f"MACs:             {count_text(a.macs)} → {count_text(b.macs)}",
    ]
    if b.not_derived:
        lines.append(f"Not derived after the change: {b.not_derived} layers.")
    notes = notes_for(changes)
    if notes:
        lines.append("")
        lines += [textwrap.fill(note, 100) for note in notes]
    return "\n".join(lines) + "\n"
