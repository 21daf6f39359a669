"""inspector: explains Keras model architectures, deriving every shape and parameter count.

Importing this package imports neither Keras, TensorFlow, pytest nor hypothesis.
"""

from __future__ import annotations

import os

from .errors import InspectorError
from .report import LayerReport, Params, Report, Term, Totals

__version__ = "0.1.0"


def inspect_model(model) -> Report:
    """Derive the report of a model: a file path (`.keras`, legacy `.h5`, or architecture JSON
    from `to_json()`), or a live `keras.Model` (Keras is then already imported by the caller).

    >>> report = inspect_model("examples/mobilenetv2_classifier.json")  # doctest: +SKIP
    >>> report.totals.params, report.layer("dense").params.total  # doctest: +SKIP
    (2259265, 1281)
    """
    from .analyze import analyze
    from .errors import ConfigError

    if isinstance(model, Report):
        return model
    if not isinstance(model, (str, os.PathLike)):
        return _inspect_live(model)
    from .sources import load_source

    source = load_source(model)
    try:
        weights = source.weight_index if source.format in ("keras", "h5") else None
        return analyze(source.config, source.path, source.format, weights=weights)
    except ConfigError as exc:
        raise InspectorError(source.path, str(exc)) from None


def _inspect_live(model) -> Report:
    from .analyze import analyze, analyze_layers
    from .errors import ConfigError
    from .sources.live import LiveWeights, is_keras_model, model_config, sublayer_entries

    if not is_keras_model(model):
        raise TypeError(
            f"inspect_model takes a model file path or a keras.Model, got {type(model).__name__}"
        )
    name = getattr(model, "name", type(model).__name__)
    try:
        config = model_config(model)
        if config is not None:
            return analyze(config, name, "live", weights=lambda: LiveWeights(model))
        return analyze_layers(
            name,
            type(model).__name__,
            sublayer_entries(model),
            trainable=bool(getattr(model, "trainable", True)),
            source=name,
            weights=lambda: LiveWeights(model),
        )
    except ConfigError as exc:
        raise InspectorError(name, str(exc)) from None


__all__ = [
    "InspectorError",
    "LayerReport",
    "Params",
    "Report",
    "Term",
    "Totals",
    "inspect_model",
]
