"""Convolutions: Conv1D/2D/3D and DepthwiseConv1D/2D."""

from __future__ import annotations

from ..errors import ConfigError
from ..shapes import conv_length, fmt_dims, fmt_product
from .base import (
    Derivation,
    channel_axis,
    get_bool,
    get_choice,
    get_int,
    get_ints,
    kernel_macs,
    known,
    layer_rule,
    one_input,
    reject_quantized,
    weight,
)

PADDINGS = ("valid", "same", "causal")
DATA_FORMATS = ("channels_last", "channels_first")


def _spatial(config: dict, shape: tuple, rank: int):
    """Output spatial sizes of a sliding window, and the arithmetic for each distinct axis."""
    kernel = get_ints(config, "kernel_size", rank)
    strides = get_ints(config, "strides", rank, default=1)
    dilation = get_ints(config, "dilation_rate", rank, default=1)
    padding = get_choice(config, "padding", PADDINGS, "valid")
    if padding == "causal" and rank != 1:
        raise ConfigError("causal padding is only for 1D convolutions")
    data_format = get_choice(config, "data_format", DATA_FORMATS, "channels_last")
    axis = channel_axis(data_format, rank + 2)
    spatial_in = shape[1:-1] if axis == rank + 1 else shape[2:]
    sizes, steps = [], []
    for n, k, s, d in zip(spatial_in, kernel, strides, dilation, strict=True):
        size, text = conv_length(n, k, s, padding, d)
        sizes.append(size)
        if text not in steps:
            steps.append(text)
    window = fmt_product(kernel)
    details = [f"{window} kernel"]
    if any(s != 1 for s in strides):
        details.append(f"stride {fmt_product(strides)}")
    if any(d != 1 for d in dilation):
        details.append(f"dilation {fmt_product(dilation)}")
    details.append(f"'{padding}' padding")
    return kernel, tuple(sizes), axis, ", ".join(details), "; ".join(steps)


def _place(shape: tuple, sizes: tuple, channels: int, axis: int) -> tuple:
    if axis == 1:
        return (shape[0], channels, *sizes)
    return (shape[0], *sizes, channels)


def _conv(rank: int):
    def rule(config: dict, input_shapes: list) -> Derivation:
        """Output: per spatial axis: 'same'/'causal' ⌈n / s⌉, 'valid' ⌊(n − d·(k − 1) − 1) / s⌋ +
            1; channels become filters.
        Params: kernel k₁ × … × (channels / groups) × filters + bias filters (with use_bias).
        """
        shape = one_input(input_shapes, rank + 2, f"Conv{rank}D")
        reject_quantized(config)
        filters = get_int(config, "filters", minimum=1)
        groups = get_int(config, "groups", 1, minimum=1)
        kernel, sizes, axis, details, steps = _spatial(config, shape, rank)
        channels = known(shape[axis], "the input channel count")
        if channels % groups or filters % groups:
            raise ConfigError(
                f"groups={groups} must divide both the input channels ({channels}) "
                f"and filters ({filters})"
            )
        terms = [weight("kernel", (*kernel, channels // groups, filters))]
        if get_bool(config, "use_bias", True):
            terms.append(weight("bias", (filters,)))
        out = _place(shape, sizes, filters, axis)
        grouped = f" in {groups} groups" if groups > 1 else ""
        explanation = (
            f"{filters} filters{grouped}, {details}: {steps}; {fmt_dims(shape)} → {fmt_dims(out)}"
        )
        return Derivation((out,), tuple(terms), explanation, *kernel_macs(terms[:1], sizes))

    return rule


def _depthwise(rank: int):
    def rule(config: dict, input_shapes: list) -> Derivation:
        """Output: as a convolution; channels become channels × depth_multiplier.
        Params: kernel k₁ × … × channels × depth_multiplier + bias channels × depth_multiplier.
        """
        shape = one_input(input_shapes, rank + 2, f"DepthwiseConv{rank}D")
        multiplier = get_int(config, "depth_multiplier", 1, minimum=1)
        kernel, sizes, axis, details, steps = _spatial(config, shape, rank)
        channels = known(shape[axis], "the input channel count")
        terms = [weight("kernel", (*kernel, channels, multiplier))]
        if get_bool(config, "use_bias", True):
            terms.append(weight("bias", (channels * multiplier,)))
        out = _place(shape, sizes, channels * multiplier, axis)
        per = "one filter" if multiplier == 1 else f"{multiplier} filters"
        explanation = (
            f"{per} per input channel ({channels}), {details}: {steps}; "
            f"{fmt_dims(shape)} → {fmt_dims(out)}"
        )
        return Derivation((out,), tuple(terms), explanation, *kernel_macs(terms[:1], sizes))

    return rule


def _separable(rank: int):
    def rule(config: dict, input_shapes: list) -> Derivation:
        """Output: as a convolution; channels become filters.
        Params: depthwise kernel k₁ × … × channels × depth_multiplier + pointwise kernel 1 × … ×
            (channels × depth_multiplier) × filters + bias filters.
        """
        shape = one_input(input_shapes, rank + 2, f"SeparableConv{rank}D")
        filters = get_int(config, "filters", minimum=1)
        multiplier = get_int(config, "depth_multiplier", 1, minimum=1)
        kernel, sizes, axis, details, steps = _spatial(config, shape, rank)
        channels = known(shape[axis], "the input channel count")
        terms = [
            weight("depthwise_kernel", (*kernel, channels, multiplier)),
            weight("pointwise_kernel", (*(1,) * rank, channels * multiplier, filters)),
        ]
        if get_bool(config, "use_bias", True):
            terms.append(weight("bias", (filters,)))
        out = _place(shape, sizes, filters, axis)
        explanation = (
            f"a {fmt_product(kernel)} filter per input channel ({channels}), then {filters} "
            f"1×1 filters across the {channels * multiplier} results; {details}: {steps}; "
            f"{fmt_dims(shape)} → {fmt_dims(out)}"
        )
        return Derivation((out,), tuple(terms), explanation, *kernel_macs(terms[:2], sizes))

    return rule


def transposed_length(n, kernel: int, stride: int, padding: str, output_padding, dilation: int):
    """Output length of a transposed convolution along one axis, with its arithmetic.

    >>> transposed_length(5, 3, 2, "same", None, 1)
    (10, '5 × 2 = 10')
    >>> transposed_length(5, 3, 2, "valid", None, 1)
    (11, '(5 − 1) × 2 + 3 = 11')
    """
    if n is None:
        return None, "None stays None"
    span = (kernel - 1) * dilation + 1
    if padding == "valid":
        extra = max(span, stride) - span if output_padding is None else output_padding
        out = (n - 1) * stride + span + extra
        text = f"({n} − 1) × {stride} + {span}" + (f" + {extra}" if extra else "") + f" = {out}"
    elif output_padding is None:
        out = n * stride
        text = f"{n} × {stride} = {out}"
    else:
        out = (n - 1) * stride + span % 2 + output_padding
        text = f"({n} − 1) × {stride} + {span % 2} + {output_padding} = {out}"
    return out, text


def _transpose(rank: int):
    def rule(config: dict, input_shapes: list) -> Derivation:
        """Output: per spatial axis: 'same' n × s, 'valid' (n − 1) × s + d·(k − 1) + 1 (+
            output_padding); channels become filters.
        Params: kernel k₁ × … × filters × channels + bias filters.
        """
        shape = one_input(input_shapes, rank + 2, f"Conv{rank}DTranspose")
        filters = get_int(config, "filters", minimum=1)
        kernel = get_ints(config, "kernel_size", rank)
        strides = get_ints(config, "strides", rank, default=1)
        dilation = get_ints(config, "dilation_rate", rank, default=1)
        padding = get_choice(config, "padding", ("valid", "same"), "valid")
        data_format = get_choice(config, "data_format", DATA_FORMATS, "channels_last")
        output_padding = config.get("output_padding")
        if output_padding is not None:
            output_padding = get_ints(config, "output_padding", rank, minimum=0)
        axis = channel_axis(data_format, rank + 2)
        spatial_in = shape[1:-1] if axis == rank + 1 else shape[2:]
        sizes, steps = [], []
        for i, n in enumerate(spatial_in):
            pad = None if output_padding is None else output_padding[i]
            size, text = transposed_length(n, kernel[i], strides[i], padding, pad, dilation[i])
            sizes.append(size)
            if text not in steps:
                steps.append(text)
        channels = known(shape[axis], "the input channel count")
        terms = [weight("kernel", (*kernel, filters, channels))]
        if get_bool(config, "use_bias", True):
            terms.append(weight("bias", (filters,)))
        out = _place(shape, tuple(sizes), filters, axis)
        explanation = (
            f"{filters} filters, {fmt_product(kernel)} kernel, stride {fmt_product(strides)}, "
            f"'{padding}' padding, upsampling: {'; '.join(steps)}; "
            f"{fmt_dims(shape)} → {fmt_dims(out)}"
        )
        spatial = shape[1:-1] if axis == rank + 1 else shape[2:]
        macs = kernel_macs(terms[:1], spatial, "input positions")
        return Derivation((out,), tuple(terms), explanation, *macs)

    return rule


for _rank in (1, 2, 3):
    layer_rule(f"Conv{_rank}D", f"Convolution{_rank}D")(_conv(_rank))
    layer_rule(f"Conv{_rank}DTranspose", f"Convolution{_rank}DTranspose")(_transpose(_rank))
for _rank in (1, 2):
    layer_rule(f"DepthwiseConv{_rank}D")(_depthwise(_rank))
    layer_rule(f"SeparableConv{_rank}D", f"SeparableConvolution{_rank}D")(_separable(_rank))
