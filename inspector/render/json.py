"""The JSON report: the stable machine interface (docs/json.md). Always fully expanded."""

from __future__ import annotations

import json

from ..report import LayerReport, Report

FORMAT_VERSION = 1


def _shape(shape) -> list:
    return list(shape)


def _layer(row: LayerReport) -> dict:
    params = row.params
    return {
        "path": row.path,
        "name": row.name,
        "class_name": row.class_name,
        "module": row.module,
        "depth": row.depth,
        "call": row.call,
        "is_model": row.is_model,
        "input_shapes": [_shape(s) for s in row.input_shapes],
        "output_shapes": [_shape(s) for s in row.output_shapes],
        "params": {
            "total": params.total,
            "trainable": params.trainable,
            "non_trainable": params.non_trainable,
            "terms": [
                {
                    "name": t.name,
                    "shape": list(t.shape),
                    "count": t.count,
                    "trainable": t.trainable,
                    "formula": t.formula,
                }
                # a nested model's terms are those of its layers, listed on their own rows
                for t in ([] if row.is_model else params.terms)
            ],
        },
        "trainable": row.trainable,
        "frozen_by": row.frozen_by,
        "macs": row.macs,
        "macs_formula": row.macs_formula,
        "memory": {
            "param_bytes": row.memory.param_bytes,
            "activation_bytes": row.memory.activation_bytes,
        },
        "derived": row.derived,
        "params_from": row.params_from,
        "explanation": row.explanation,
    }


def report_dict(report: Report) -> dict:
    return {
        "format_version": FORMAT_VERSION,
        "source": {"path": report.source, "format": report.source_format},
        "model": {
            "name": report.model_name,
            "class_name": report.class_name,
            "input_shapes": [_shape(s) for s in report.input_shapes],
            "output_shapes": [_shape(s) for s in report.output_shapes],
        },
        "totals": {
            "params": report.totals.params,
            "trainable": report.totals.trainable,
            "non_trainable": report.totals.non_trainable,
            "layers": report.totals.layers,
            "not_derived": report.totals.not_derived,
            "read": report.totals.read,
            "macs": report.totals.macs,
            "param_bytes": report.totals.param_bytes,
            "activation_bytes": report.totals.activation_bytes,
        },
        "layers": [_layer(row) for row in report.layers],
        "notes": list(report.notes),
    }


def render_json(report: Report, **_options) -> str:
    """One key per line, and one line per layer: readable, diffable, and written by the C
    encoder (json.dumps with indent= takes the pure-Python path, 5 times slower)."""
    data = report_dict(report)
    layers = data.pop("layers")
    lines = ["{"]
    for key, value in data.items():
        lines.append(f"  {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)},")
    lines.append('  "layers": [')
    rows = [f"    {json.dumps(layer, ensure_ascii=False)}" for layer in layers]
    lines.append(",\n".join(rows))
    lines.append("  ]")
    lines.append("}")
    return "\n".join(line for line in lines if line) + "\n"
