"""Layers that keras.applications models define for themselves (module keras.src.applications.*)."""

from __future__ import annotations

from ..errors import ConfigError
from ..shapes import broadcast, fmt_dims
from .base import Derivation, get_int, get_number, layer_rule, one_input, weight


@layer_rule("LayerScale")
def layer_scale(config: dict, input_shapes: list) -> Derivation:
    """Output: unchanged.
    Params: gamma: projection_dim.
    """
    shape = one_input(input_shapes, what="LayerScale")
    size = get_int(config, "projection_dim", minimum=1)
    text = f"multiplies each of the {size} channels by a learned scale (ConvNeXt); shape unchanged"
    return Derivation((shape,), (weight("gamma", (size,)),), text)


@layer_rule("StochasticDepth")
def stochastic_depth(config: dict, input_shapes: list) -> Derivation:
    """Output: unchanged.
    Params: none.
    """
    shape = one_input(input_shapes, what="StochasticDepth")
    rate = get_number(config, "drop_path_rate", 0.0)
    text = f"in training drops the whole residual branch with probability {rate:g}; shape unchanged"
    return Derivation((shape,), (), text)


@layer_rule("CustomScaleLayer")
def custom_scale_layer(config: dict, input_shapes: list) -> Derivation:
    """Output: the broadcast of its two inputs (x + scale × branch).
    Params: none.
    """
    if len(input_shapes) != 2:
        raise ConfigError(f"CustomScaleLayer takes 2 inputs, got {len(input_shapes)}")
    scale = get_number(config, "scale")
    out = broadcast(*input_shapes)
    text = f"residual x + {scale:g} × branch (Inception-ResNet): → {fmt_dims(out)}"
    return Derivation((out,), (), text)
