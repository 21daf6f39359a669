"""Core layers: InputLayer, Dense, and the layers that pass their input through unchanged."""

from __future__ import annotations

from ..errors import ConfigError
from ..shapes import fmt_dims, fmt_shape
from .base import (
    Derivation,
    get_bool,
    get_int,
    get_number,
    known,
    layer_rule,
    one_input,
    weight,
)


@layer_rule("InputLayer")
def input_layer(config: dict, input_shapes: list) -> Derivation:
    if input_shapes:  # a nested model's input, fed by the enclosing model
        shape = one_input(input_shapes, what="InputLayer")
        return Derivation((shape,), (), f"receives {fmt_shape(shape)} from the enclosing model")
    shape = config.get("batch_shape", config.get("batch_input_shape"))
    if shape is None and config.get("shape") is not None:
        shape = [None, *config["shape"]]
    if not isinstance(shape, (list, tuple)) or not all(
        d is None or (isinstance(d, int) and not isinstance(d, bool) and d >= 0) for d in shape
    ):
        raise ConfigError(f"InputLayer batch_shape must be a list of sizes, got {shape!r}")
    shape = tuple(shape)
    batch = "batch size left open (None)" if shape and shape[0] is None else "fixed batch size"
    return Derivation((shape,), (), f"model input: {fmt_dims(shape)} per example, {batch}")


@layer_rule("Dense")
def dense(config: dict, input_shapes: list) -> Derivation:
    shape = one_input(input_shapes, what="Dense")
    if len(shape) < 2:
        raise ConfigError(f"Dense needs an input of rank 2 or more, got {fmt_shape(shape)}")
    units = get_int(config, "units", minimum=1)
    features = known(shape[-1], "Dense's input feature count (last axis)")
    terms = [weight("kernel", (features, units))]
    if get_bool(config, "use_bias", True):
        terms.append(weight("bias", (units,)))
    plural = "unit" if units == 1 else "units"
    where = "" if len(shape) == 2 else f" at each of the {fmt_dims(shape[:-1])} positions"
    explanation = f"maps {features} features to {units} {plural}{where}"
    return Derivation((shape[:-1] + (units,),), tuple(terms), explanation)


def _unchanged(what: str):
    """A rule for a layer whose output has its input's shape and which holds no weights."""

    def rule(config: dict, input_shapes: list) -> Derivation:
        shape = one_input(input_shapes)
        return Derivation((shape,), (), f"{what(config)}; shape unchanged")

    return rule


def _dropout_text(config: dict) -> str:
    rate = get_number(config, "rate")
    return f"in training zeroes each value with probability {rate:g}; at inference passes through"


def _activation_text(config: dict) -> str:
    activation = config.get("activation", "linear")
    if isinstance(activation, dict):  # a serialized activation object
        activation = activation.get("class_name", "custom")
    return f"applies {activation} to each value"


def _relu_text(config: dict) -> str:
    max_value = config.get("max_value")
    slope = config.get("negative_slope", 0.0) or 0.0
    threshold = config.get("threshold", 0.0) or 0.0
    if max_value is not None and slope == 0 and threshold == 0:
        return f"ReLU{max_value:g}: min(max(x, 0), {max_value:g}) for each value"
    parts = ["ReLU: max(x, 0) for each value" if slope == 0 else f"leaky ReLU (slope {slope:g})"]
    if threshold:
        parts.append(f"threshold {threshold:g}")
    if max_value is not None:
        parts.append(f"capped at {max_value:g}")
    return ", ".join(parts)


layer_rule("Dropout")(_unchanged(_dropout_text))
layer_rule("Activation")(_unchanged(_activation_text))
layer_rule("ReLU")(_unchanged(_relu_text))
