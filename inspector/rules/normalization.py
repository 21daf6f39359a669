"""Normalization layers."""

from __future__ import annotations

from ..errors import ConfigError
from .base import Derivation, get_bool, known, layer_rule, one_input, statistic, weight


@layer_rule("BatchNormalization")
def batch_normalization(config: dict, input_shapes: list) -> Derivation:
    shape = one_input(input_shapes, what="BatchNormalization")
    axis = config.get("axis", -1)
    if isinstance(axis, list) and len(axis) == 1:  # Keras 2 writes [3]
        axis = axis[0]
    if isinstance(axis, bool) or not isinstance(axis, int) or not -len(shape) <= axis < len(shape):
        raise ConfigError(f"axis must be an axis of the input {shape}, got {axis!r}")
    channels = known(shape[axis], "the normalized axis")
    size = (channels,)
    terms = []
    learned = []
    if get_bool(config, "scale", True):
        terms.append(weight("gamma", size))
        learned.append(f"{channels} scales γ")
    if get_bool(config, "center", True):
        terms.append(weight("beta", size))
        learned.append(f"{channels} offsets β")
    terms += [statistic("moving_mean", size), statistic("moving_variance", size)]
    if get_bool(config, "renorm", False):
        terms += [
            statistic("moving_stddev", size),
            statistic("renorm_mean", size),
            statistic("renorm_stddev", size),
        ]
    what = " and ".join(learned) if learned else "no learned scale or offset"
    explanation = (
        f"normalizes each of the {channels} channels: {what}, plus a moving mean and "
        f"variance per channel that are never trained; shape unchanged"
    )
    return Derivation((shape,), tuple(terms), explanation)
