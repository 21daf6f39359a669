"""Live Keras models, in memory. Keras is already imported by whoever built the model; this
module only asks the model for its config (`to_json()`) and, for layers no rule derives, the
shapes of their variables."""

from __future__ import annotations

import json

from .weights import WeightArray


def is_keras_model(obj) -> bool:
    module = type(obj).__module__ or ""
    return (
        (
            module.split(".")[0] in ("keras", "tf_keras")
            or any(c.__module__.split(".")[0] in ("keras", "tf_keras") for c in type(obj).__mro__)
        )
        and hasattr(obj, "layers")
        and hasattr(obj, "get_config")
    )


def model_config(model) -> dict | None:
    """The model as Keras serializes it, or None when Keras cannot (a subclassed model)."""
    try:
        config = json.loads(model.to_json())
    except (NotImplementedError, TypeError, ValueError):
        return None
    inner = config.get("config") if isinstance(config, dict) else None
    if not isinstance(inner, dict) or not isinstance(inner.get("layers"), list):
        return None
    return config


def sublayer_entries(model) -> list[tuple[dict, list]]:
    """A subclassed model's tracked sublayers, serialized, each with the input shapes Keras
    built it with (its build_config)."""
    import keras

    entries = []
    for layer in model.layers:
        entry = json.loads(json.dumps(keras.saving.serialize_keras_object(layer), default=_plain))
        entry.setdefault("name", layer.name)
        build = entry.get("build_config") or {}
        if "input_shape" in build:
            shapes = [build["input_shape"]]
        elif isinstance(build.get("shapes_dict"), dict):
            shapes = list(build["shapes_dict"].values())
        else:
            shapes = []
        entries.append((entry, [tuple(s) if isinstance(s, list) else s for s in shapes]))
    return entries


def _plain(value):
    if hasattr(value, "tolist"):
        return value.tolist()
    return str(value)


class LiveWeights:
    """The variables of a live model's layers, found by path, for layers no rule derives."""

    kind = "live"

    def __init__(self, model):
        self.model = model

    def for_layer(self, location) -> list[WeightArray]:
        layer = self.model
        for name in location.path.split("/"):
            try:
                layer = layer.get_layer(name)
            except (ValueError, AttributeError):
                return []
        return [
            WeightArray(
                getattr(w, "path", w.name),
                tuple(int(d) for d in w.shape),
                str(w.dtype),
                bool(w.trainable),
            )
            for w in layer.weights
        ]
