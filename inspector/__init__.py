"""inspector: explains Keras model architectures, deriving every shape and parameter count.

Importing this package imports neither Keras, TensorFlow, pytest nor hypothesis.
"""

from __future__ import annotations

import os

from .errors import InspectorError
from .report import LayerReport, Params, Report, Term, Totals

__version__ = "0.1.0"


def inspect_model(model) -> Report:
    """Derive the report of a model file (`.keras`, or architecture JSON from `to_json()`).

    >>> report = inspect_model("examples/mobilenetv2_classifier.json")  # doctest: +SKIP
    >>> report.totals.params, report.layer("dense").params.total  # doctest: +SKIP
    (2259265, 1281)
    """
    from .analyze import analyze
    from .errors import ConfigError
    from .sources import load_source

    if not isinstance(model, (str, os.PathLike)):
        raise TypeError(f"inspect_model takes a path to a model file, got {type(model).__name__}")
    source = load_source(model)
    try:
        return analyze(source.config, source=source.path, source_format=source.format)
    except ConfigError as exc:
        raise InspectorError(source.path, str(exc)) from None


__all__ = [
    "InspectorError",
    "LayerReport",
    "Params",
    "Report",
    "Term",
    "Totals",
    "inspect_model",
]
