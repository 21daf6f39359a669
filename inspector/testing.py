"""Assertion helpers for course tests and graders, usable with or without pytest.

Each raises AssertionError with a message that teaches: the expected and actual numbers with
their derivations, and the upstream layer that explains the difference.

    from inspector.testing import assert_layer, assert_totals

    assert_layer(model, "dense", params=1281, output_shape=(None, 1))
    assert_totals(model, total=2_259_265, trainable=1_281)

`model` may be a live keras.Model, a model file path, or a Report.
"""

from __future__ import annotations

import difflib
from math import prod

from .render.table import terms_sentence
from .report import LayerReport, Report
from .shapes import fmt_shape

__all__ = ["architecture_diff", "assert_layer", "assert_same_architecture", "assert_totals"]


def _report(model_or_report) -> Report:
    if isinstance(model_or_report, Report):
        return model_or_report
    from . import inspect_model

    return inspect_model(model_or_report)


def _n(value: int) -> str:
    return f"{value:,}"


# ---- derivations in words


def _expected_dense(row: LayerReport, expected: int) -> str:
    """How a Dense layer would reach `expected` params: `1,280 × 1 + 1`, and its input size."""
    if row.class_name != "Dense" or not row.output_shapes:
        return ""
    units = row.output_shapes[0][-1]
    bias = any(t.name == "bias" for t in row.params.terms)
    weights = expected - (units if bias else 0)
    if units and weights > 0 and weights % units == 0:
        features = weights // units
        return f" = {_n(features)} × {units}" + (f" + {units}" if bias else "")
    return ""


def _shape_changer(report: Report, row: LayerReport) -> LayerReport | None:
    """The nearest layer upstream of `row` that changed the shape its input arrives in."""
    by_path = {r.path: r for r in report.layers if r.call == 0}
    seen = set()
    current = row
    while current.inputs_from:
        producer = by_path.get(current.inputs_from[0])
        if producer is None or producer.path in seen:
            return None
        seen.add(producer.path)
        if not producer.input_shapes or producer.input_shapes[0] != producer.output_shapes[0]:
            return producer
        current = producer
    return None


def _upstream_story(report: Report, row: LayerReport) -> str:
    """Why the layer's input is as large as it is: which layer made it so."""
    producer = _shape_changer(report, row)
    if producer is None or not row.input_shapes:
        return ""
    features = row.input_shapes[0][-1]
    story = f" Its input has {_n(features)} features" if features is not None else ""
    if producer.class_name == "Flatten" and producer.input_shapes:
        dims = producer.input_shapes[0][1:]
        story += (
            f" because {producer.name} turned {fmt_shape(dims)} into "
            f"{' × '.join(str(d) for d in dims)} = {_n(prod(dims))}"
        )
        if len(dims) >= 2:
            story += (
                f"; GlobalAveragePooling{len(dims) - 1}D would give {_n(dims[-1])}, one average "
                f"per channel"
            )
        return story + "."
    if producer.input_shapes:
        before = fmt_shape(producer.input_shapes[0][1:])
        after = fmt_shape(producer.output_shapes[0][1:])
        story += (
            f", from {producer.name} ({producer.class_name}), which turned {before} into {after}"
        )
    return story + "."


# ---- helpers


def assert_layer(
    model_or_report,
    name: str,
    *,
    params: int | None = None,
    trainable: int | None = None,
    non_trainable: int | None = None,
    output_shape: tuple | None = None,
    class_name: str | None = None,
) -> LayerReport:
    """Check one layer; returns its LayerReport.

    >>> assert_layer("examples/mobilenetv2_classifier.json", "dense", params=1281)  # doctest: +SKIP
    """
    __tracebackhide__ = True  # pytest shows the caller's line, not this helper's
    report = _report(model_or_report)
    try:
        row = report.layer(name)
    except KeyError as exc:
        raise AssertionError(exc.args[0]) from None
    problems = []
    if class_name is not None and row.class_name != class_name:
        problems.append(f"{row.name} is a {row.class_name}; expected a {class_name}.")
    if output_shape is not None and tuple(row.output_shapes[:1]) != (tuple(output_shape),):
        actual = ", ".join(fmt_shape(s) for s in row.output_shapes) or "unknown"
        problems.append(
            f"{row.name} outputs {actual}; expected {fmt_shape(tuple(output_shape))}."
            + _upstream_story(report, row)
        )
    if params is not None and row.params.total != params:
        problems.append(
            f"{row.name} has {_n(row.params.total)} params = {terms_sentence(row.params)}; "
            f"expected {_n(params)}{_expected_dense(row, params)}." + _upstream_story(report, row)
        )
    params_wrong = params is not None and row.params.total != params
    for label, actual, expected in (
        ("trainable", row.params.trainable, trainable),
        ("non-trainable", row.params.non_trainable, non_trainable),
    ):
        # a layer whose params are all trainable, expected so: the params message says it all
        same_story = (
            params_wrong
            and expected == (params if label == "trainable" else 0)
            and (actual == (row.params.total if label == "trainable" else 0))
        )
        if expected is not None and actual != expected and not same_story:
            problems.append(
                f"{row.name} has {_n(actual)} {label} params; expected {_n(expected)}."
                + _trainability_story(report, [row])
            )
    if problems:
        raise AssertionError(" ".join(problems))
    return row


def _trainability_story(report: Report, rows) -> str:
    """Which layers' trainable flags explain the trainable and non-trainable counts."""
    lines = []
    for row in rows:
        if row.frozen_by:
            lines.append(
                f" {row.name}'s {_n(row.params.total)} params are non-trainable because "
                f"{row.frozen_by} has trainable=False."
            )
        elif row.params.trainable:
            what = "model" if row.is_model else "layer"
            lines.append(
                f" {row.name} ({row.class_name} {what}) has trainable=True, so its "
                f"{_n(row.params.trainable)} params train"
                + (f" (set trainable = False on {row.name} to freeze it)." if row.is_model else ".")
            )
        if row.params.non_trainable and not row.frozen_by:
            lines.append(
                f" {row.name} holds {_n(row.params.non_trainable)} params that never train "
                f"(BatchNormalization's moving means and variances)."
            )
    return "".join(lines)


def assert_totals(
    model_or_report,
    *,
    total: int | None = None,
    trainable: int | None = None,
    non_trainable: int | None = None,
) -> Report:
    """Check the model's total, trainable and non-trainable params; returns the Report."""
    __tracebackhide__ = True
    report = _report(model_or_report)
    totals = report.totals
    problems = []
    if total is not None and totals.params != total:
        top = [r for r in report.layers if r.depth == 0 and r.params.total and r.call == 0]
        parts = " + ".join(f"{r.name} {_n(r.params.total)}" for r in top)
        problems.append(
            f"The model has {_n(totals.params)} params ({parts}); expected {_n(total)}."
        )
    wrong_split = (trainable is not None and totals.trainable != trainable) or (
        non_trainable is not None and totals.non_trainable != non_trainable
    )
    if wrong_split:
        problems.append(
            f"The model has {_n(totals.trainable)} trainable and {_n(totals.non_trainable)} "
            f"non-trainable params; expected "
            + ", ".join(
                f"{_n(v)} {label}"
                for v, label in ((trainable, "trainable"), (non_trainable, "non-trainable"))
                if v is not None
            )
            + "."
        )
        top = [r for r in report.layers if r.depth == 0 and r.call == 0 and r.params.total]
        problems.append(_trainability_story(report, top).strip())
    if problems:
        raise AssertionError(" ".join(problems))
    return report


# ---- architecture comparison

MAX_DIFF_LINES = 40


def _signature(row: LayerReport) -> tuple:
    """What makes two layers the same architecture: names and trainability do not count."""
    return (row.depth, row.class_name, tuple(row.output_shapes), row.params.total)


def _describe(row: LayerReport) -> str:
    shapes = ", ".join(fmt_shape(s) for s in row.output_shapes) or "?"
    trainable = (
        ""
        if row.params.trainable == row.params.total
        else f", {_n(row.params.trainable)} trainable"
    )
    indent = "  " * row.depth
    params = f"{_n(row.params.total)} params{trainable}"
    return f"{indent}{row.name} ({row.class_name}) → {shapes}, {params}"


def architecture_diff(actual: Report, expected: Report) -> list[str]:
    """A layer-by-layer diff of two reports, names ignored: [] when the architectures match.

    Layers are aligned by class, output shape and params; then, among aligned layers, those
    whose trainable counts differ are listed, a nested model once for all its layers.
    """
    left = [_signature(r) for r in actual.layers]
    right = [_signature(r) for r in expected.layers]
    lines: list[str] = []
    frozen_differ: list[tuple[LayerReport, LayerReport]] = []
    matcher = difflib.SequenceMatcher(a=left, b=right, autojunk=False)
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        if op == "equal":
            pairs = zip(actual.layers[a0:a1], expected.layers[b0:b1], strict=True)
            frozen_differ += [(a, e) for a, e in pairs if a.params.trainable != e.params.trainable]
            continue
        lines += [f"- expected: {_describe(row)}" for row in expected.layers[b0:b1]]
        lines += [f"+ actual:   {_describe(row)}" for row in actual.layers[a0:a1]]
    reported: list[str] = []
    for a, e in frozen_differ:
        if any(a.path.startswith(p + "/") for p in reported):
            continue  # inside a nested model already reported
        reported.append(a.path)
        what = f" (all {a.layer_count} of its layers)" if a.is_model else ""
        lines.append(
            f"~ trainable: {a.name} ({a.class_name}){what} has {_n(a.params.trainable)} trainable "
            f"params; expected {_n(e.params.trainable)}"
            + (f" (frozen by {a.frozen_by})" if a.frozen_by else "")
        )
    if len(lines) > MAX_DIFF_LINES:
        lines = lines[:MAX_DIFF_LINES] + [f"... and {len(lines) - MAX_DIFF_LINES} more lines"]
    a, e = actual.totals, expected.totals
    if (a.params, a.trainable, a.non_trainable) != (e.params, e.trainable, e.non_trainable):
        lines.append(
            f"totals: expected {_n(e.params)} ({_n(e.trainable)} trainable), "
            f"actual {_n(a.params)} ({_n(a.trainable)} trainable)"
        )
    return lines


def assert_same_architecture(actual, expected) -> None:
    """Compare a model with a reference model, layer by layer (layer names are ignored)."""
    __tracebackhide__ = True
    lines = architecture_diff(_report(actual), _report(expected))
    if lines:
        raise AssertionError("the architectures differ:\n" + "\n".join(lines))
