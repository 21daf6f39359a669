"""Normalization layers."""

from __future__ import annotations

from ..errors import ConfigError
from ..shapes import fmt_product
from .base import (
    Derivation,
    axes_of,
    get_bool,
    get_int,
    known,
    layer_rule,
    nested_entry,
    one_input,
    rename,
    statistic,
    weight,
)


@layer_rule("BatchNormalization")
def batch_normalization(config: dict, input_shapes: list) -> Derivation:
    """Output: unchanged.
    Params: gamma (scale) and beta (center) of the axis size, trainable; moving_mean and
        moving_variance, never trainable; renorm adds moving_stddev, renorm_mean and
        renorm_stddev, never trainable.
    """
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


def _axis_sizes(config: dict, shape: tuple) -> tuple[tuple[int, ...], tuple[int, ...]]:
    axes = tuple(sorted(axes_of(config.get("axis", -1), len(shape))))
    return axes, tuple(known(shape[a], f"axis {a}") for a in axes)


@layer_rule("LayerNormalization")
def layer_normalization(config: dict, input_shapes: list) -> Derivation:
    """Output: unchanged.
    Params: gamma (scale or rms_scaling) and beta (center, not with rms_scaling), each the sizes
        of the normalized axes.
    """
    shape = one_input(input_shapes, what="LayerNormalization")
    axes, size = _axis_sizes(config, shape)
    rms = get_bool(config, "rms_scaling", False)
    terms = []
    if get_bool(config, "scale", True) or rms:
        terms.append(weight("gamma", size))
    if get_bool(config, "center", True) and not rms:
        terms.append(weight("beta", size))
    over = f"its {fmt_product(size)} values" if len(size) > 1 else f"its {size[0]} features"
    how = "root mean square" if rms else "mean and variance"
    learned = ", ".join(t.name for t in terms) or "nothing"
    text = f"normalizes each example over {over} by their {how}; learns {learned}; shape unchanged"
    return Derivation((shape,), tuple(terms), text)


@layer_rule("RMSNormalization")
def rms_normalization(config: dict, input_shapes: list) -> Derivation:
    """Output: unchanged.
    Params: scale: the sizes of the normalized axes.
    """
    shape = one_input(input_shapes, what="RMSNormalization")
    _, size = _axis_sizes(config, shape)
    text = (
        f"divides each example by the root mean square of its {fmt_product(size)} values, "
        f"times a learned scale; shape unchanged"
    )
    return Derivation((shape,), (weight("scale", size),), text)


@layer_rule("GroupNormalization")
def group_normalization(config: dict, input_shapes: list) -> Derivation:
    """Output: unchanged.
    Params: gamma (scale) and beta (center): channels each.
    """
    shape = one_input(input_shapes, what="GroupNormalization")
    (axis,) = axes_of(config.get("axis", -1), len(shape))
    channels = known(shape[axis], "the channel axis")
    groups = get_int(config, "groups", 32, minimum=-1)
    if groups == -1:
        groups = channels
    if groups < 1 or channels % groups:
        raise ConfigError(f"groups={groups} must divide the {channels} channels")
    terms = []
    if get_bool(config, "scale", True):
        terms.append(weight("gamma", (channels,)))
    if get_bool(config, "center", True):
        terms.append(weight("beta", (channels,)))
    text = (
        f"splits the {channels} channels into {groups} groups of {channels // groups} and "
        f"normalizes each group; shape unchanged"
    )
    return Derivation((shape,), tuple(terms), text)


@layer_rule("UnitNormalization")
def unit_normalization(config: dict, input_shapes: list) -> Derivation:
    """Output: unchanged.
    Params: none.
    """
    shape = one_input(input_shapes, what="UnitNormalization")
    axes_of(config.get("axis", -1), len(shape))
    return Derivation((shape,), (), "scales each example to unit L2 norm; shape unchanged")


@layer_rule("SpectralNormalization")
def spectral_normalization(config: dict, input_shapes: list) -> Derivation:
    """Output: the wrapped layer's.
    Params: the wrapped layer's + vector_u 1 × kernel[-1], never trainable.
    """
    from . import find_rule

    class_name, inner_config = nested_entry(config, "layer")
    rule = find_rule(class_name, "keras.layers")
    if rule is None:
        raise ConfigError(f"no rule for the wrapped {class_name}")
    inner = rule(inner_config, input_shapes)
    kernel = next((t for t in inner.terms if t.name in ("kernel", "embeddings")), None)
    if kernel is None:
        raise ConfigError(f"the wrapped {class_name} has no kernel to normalize")
    name = inner_config.get("name", class_name)
    terms = rename(inner.terms, name) + (statistic("vector_u", (1, kernel.shape[-1])),)
    text = (
        f"{class_name} whose kernel is divided by its largest singular value: {inner.explanation}"
    )
    return Derivation(inner.output_shapes, terms, text, inner.macs, inner.macs_formula)
