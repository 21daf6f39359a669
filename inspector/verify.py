"""Check derived counts and shapes against an independent source.

For a `.keras` or legacy `.h5` file: the weight arrays the file really holds (their shapes, read
from HDF5 metadata, never their data), matched to layers the way Keras names them. For a live
model: Keras's own counts and output shapes. Nothing here changes a derivation; it only compares.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass
from math import prod

from .errors import ConfigError, InspectorError
from .report import LayerReport, Report
from .shapes import fmt_product, fmt_shape
from .sources.weights import LayerLocation

AGREE, DIFFER, NOT_DERIVED = "agree", "differ", "not derived"


@dataclass(frozen=True)
class LayerCheck:
    path: str
    class_name: str
    status: str  # AGREE, DIFFER or NOT_DERIVED
    message: str = ""


@dataclass(frozen=True)
class Verification:
    source: str
    against: str  # "the weights file" or "Keras"
    checks: tuple[LayerCheck, ...]
    unclaimed: tuple[str, ...] = ()  # arrays in the file that no layer of the config accounts for

    @property
    def disagreements(self) -> tuple[LayerCheck, ...]:
        return tuple(c for c in self.checks if c.status == DIFFER)

    @property
    def ok(self) -> bool:
        return not self.disagreements and not self.unclaimed


def verify(model) -> Verification:
    """Compare every derived layer with the weights a file holds, or with a live Keras model.

    >>> result = verify("model.keras")  # doctest: +SKIP
    >>> result.ok, [c.message for c in result.disagreements]  # doctest: +SKIP
    (True, [])
    """
    if isinstance(model, (str, os.PathLike)):
        return _verify_file(os.fspath(model))
    return _verify_live(model)


# ---- files


def _verify_file(path: str) -> Verification:
    from .analyze import analyze
    from .sources import load_source

    source = load_source(path)
    if source.format not in ("keras", "h5"):
        raise InspectorError(path, "holds no weights to verify against (architecture only)")
    index = source.weight_index()
    if index is None:
        raise InspectorError(path, "holds no weights file to verify against")
    try:
        report = analyze(source.config, source.path, source.format, weights=lambda: index)
    except ConfigError as exc:
        raise InspectorError(path, str(exc)) from None
    checks, claimed = [], set()
    listed = set(index.layer_names)
    for row in _first_calls(report):
        top = row.path.split("/")[0]
        if listed and top not in listed and row.params.terms:
            message = f"the weights file lists no layer {top!r} (its layer_names)"
            checks.append(LayerCheck(row.path, row.class_name, DIFFER, message))
            continue
        arrays = index.for_layer(LayerLocation(row.path, row.weights_group or ""))
        claimed.update(a.path for a in arrays)
        if not row.derived:
            checks.append(LayerCheck(row.path, row.class_name, NOT_DERIVED, row.explanation))
            continue
        checks.append(_compare_arrays(row, arrays))
    root = "layers/" if index.kind == "keras3" else "model_weights/"
    unclaimed = tuple(sorted(p for p in index.arrays if p.startswith(root) and p not in claimed))
    return Verification(path, "the weights file", tuple(checks), unclaimed)


def _first_calls(report: Report) -> list[LayerReport]:
    return [row for row in report.layers if not row.is_model and row.call == 0]


def _compare_arrays(row: LayerReport, arrays) -> LayerCheck:
    derived = Counter(t.shape for t in row.params.terms)
    found = Counter(a.shape for a in arrays)
    if derived == found:
        return LayerCheck(row.path, row.class_name, AGREE)
    missing = derived - found  # derived, but the file has no such array
    extra = found - derived  # in the file, but not derived
    ours = ", ".join(f"{t.name} {t.formula}" for t in row.params.terms) or "none"
    theirs = ", ".join(f"{_short(a.path)} {fmt_product(a.shape)}" for a in arrays) or "none"
    parts = [
        f"derived {row.params.total:,} params ({ours})",
        f"the file holds {sum(a.count for a in arrays):,} ({theirs})",
    ]
    for shape, times in missing.items():
        names = " / ".join(t.name for t in row.params.terms if t.shape == shape)
        again = f" (×{times})" if times > 1 else ""
        parts.append(f"{names} {fmt_product(shape)} is derived but not in the file{again}")
    for shape, times in extra.items():
        again = f" (×{times})" if times > 1 else ""
        parts.append(f"an array of {fmt_product(shape)} in the file is not derived{again}")
    return LayerCheck(row.path, row.class_name, DIFFER, "; ".join(parts))


def _short(path: str) -> str:
    """`vars/0` of `layers/dense/vars/0`; `kernel:0` of a legacy path."""
    parts = path.split("/")
    return "/".join(parts[-2:]) if len(parts) > 1 and parts[-2] == "vars" else parts[-1]


# ---- live models


def _verify_live(model) -> Verification:
    from . import inspect_model

    report = inspect_model(model)
    checks = []
    for row in _first_calls(report):
        layer = _find(model, row.path)
        if layer is None:
            checks.append(LayerCheck(row.path, row.class_name, DIFFER, "Keras has no such layer"))
            continue
        if not row.derived:
            checks.append(LayerCheck(row.path, row.class_name, NOT_DERIVED, row.explanation))
            continue
        problems = []
        keras_counts = (
            sum(prod(w.shape) for w in getattr(layer, "trainable_weights", ())),
            sum(prod(w.shape) for w in getattr(layer, "non_trainable_weights", ())),
        )
        ours = (row.params.trainable, row.params.non_trainable)
        if ours != keras_counts:
            problems.append(
                f"derived {ours[0]:,} trainable + {ours[1]:,} non-trainable params, "
                f"Keras {keras_counts[0]:,} + {keras_counts[1]:,}"
            )
        shapes = _keras_output_shapes(layer)
        if shapes is not None and shapes != [tuple(s) for s in row.output_shapes]:
            problems.append(
                f"derived output {', '.join(map(fmt_shape, row.output_shapes))}, "
                f"Keras {', '.join(map(fmt_shape, shapes))}"
            )
        status = DIFFER if problems else AGREE
        checks.append(LayerCheck(row.path, row.class_name, status, "; ".join(problems)))
    return Verification(report.model_name, "Keras", tuple(checks))


def _find(model, path: str):
    layer = model
    for name in path.split("/"):
        candidates = getattr(layer, "operations", None) or getattr(layer, "layers", [])
        layer = next((c for c in candidates if c.name == name), None)
        if layer is None:
            return None
    return layer


def _keras_output_shapes(layer):
    try:
        output = layer.output
    except (AttributeError, ValueError):  # shared, or never called symbolically
        return None
    outputs = output if isinstance(output, (list, tuple)) else [output]
    return [tuple(t.shape) for t in outputs]
