"""--explain LAYER: the whole derivation of one layer, step by step."""

from __future__ import annotations

import json

from ..report import LayerReport, Report
from .table import bytes_text, count_text, shapes_text, terms_sentence


def _value(value) -> str:
    if isinstance(value, dict) and "config" in value:  # a serialized object: its name is enough
        return str((value.get("config") or {}).get("name", value.get("class_name")))
    return json.dumps(value)


def _why_trainable(row: LayerReport, term) -> str:
    if row.frozen_by:
        who = "its own" if row.frozen_by == row.path else f"{row.frozen_by}'s"
        return f"non-trainable: {who} trainable=False freezes it"
    if not term.trainable:
        if term.name.startswith("moving_") or term.name.startswith("renorm_"):
            return "non-trainable: a moving statistic, updated by averaging, never by gradients"
        return "non-trainable"
    return "trainable"


def render_explanation(report: Report, name: str) -> str:
    """The derivation of the layer called `name` (or with that path)."""
    row = report.layer(name)
    lines = [f"{row.path} ({row.class_name}) in {report.class_name} model {report.model_name!r}"]
    if row.module:
        lines[0] += f", class from {row.module}"
    sources = f" from {', '.join(row.inputs_from)}" if row.inputs_from else ""
    lines.append(
        f"Input:   {shapes_text(row.input_shapes) if row.input_shapes else 'none'}{sources}"
    )
    lines.append(f"Output:  {shapes_text(row.output_shapes)}")
    shown = [
        (key, value)
        for key, value in row.config_used
        if value is not None
        and not (key == "dtype" and _value(value) == '"float32"')
        and not (key == "dtype" and _value(value) == "float32")
    ]
    if shown:
        used = ", ".join(f"{key}={_value(value)}" for key, value in shown)
        lines.append(f"Config used: {used}")
    lines.append("")
    lines.append("How:")
    for step in row.explanation.split("; "):
        lines.append(f"  {step}")
    lines.append("")
    if row.is_model:
        lines.append(
            f"Params: {row.params.total:,} over its {row.layer_count} layers "
            f"({row.params.trainable:,} trainable, {row.params.non_trainable:,} non-trainable); "
            f"--depth 1 lists them"
        )
    elif row.params.terms:
        source = "derived from the config" if row.derived else "read from the weights file"
        lines.append(f"Params ({source}):")
        width = max(len(t.name) for t in row.params.terms)
        for term in row.params.terms:
            lines.append(
                f"  {term.name:<{width}}  {term.formula:>14} = {term.count:>12,}   "
                f"{_why_trainable(row, term)}"
            )
        lines.append(
            f"  total: {terms_sentence(row.params)} = {row.params.total:,} "
            f"({row.params.trainable:,} trainable, {row.params.non_trainable:,} non-trainable)"
        )
    else:
        lines.append("Params: none")
    if row.call > 0:
        lines.append(f"  (call {row.call + 1} of a shared layer: its weights are counted once)")
    macs = count_text(row.macs)
    formula = f" = {row.macs_formula}" if row.macs_formula else ""
    lines.append(f"MACs:    {macs}{formula} (one example; bias adds and activations not counted)")
    lines.append(
        f"Memory:  parameters {bytes_text(row.memory.param_bytes)}; output "
        f"{bytes_text(row.memory.activation_bytes)} per example"
    )
    return "\n".join(lines) + "\n"
