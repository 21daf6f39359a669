"""Pooling layers."""

from __future__ import annotations

from ..shapes import conv_length, fmt_dims, fmt_product
from .base import (
    Derivation,
    channel_axis,
    get_bool,
    get_choice,
    get_ints,
    layer_rule,
    one_input,
)

DATA_FORMATS = ("channels_last", "channels_first")


def _global(rank: int, reduce: str):
    def rule(config: dict, input_shapes: list) -> Derivation:
        """Output: (channels), or 1 for each spatial axis with keepdims.
        Params: none.
        """
        shape = one_input(input_shapes, rank + 2, f"Global{reduce.title()}Pooling{rank}D")
        data_format = get_choice(config, "data_format", DATA_FORMATS, "channels_last")
        keepdims = get_bool(config, "keepdims", False)
        axis = channel_axis(data_format, rank + 2)
        channels = shape[axis]
        grid = shape[1:-1] if axis == rank + 1 else shape[2:]
        if keepdims:
            ones = (1,) * rank
            out = (shape[0], *ones, channels) if axis != 1 else (shape[0], channels, *ones)
        else:
            out = (shape[0], channels)
        verb = "averages" if reduce == "average" else "takes the maximum of"
        where = f"its {fmt_product(grid)} grid" if rank > 1 else f"its {grid[0]} steps"
        explanation = (
            f"{verb} each of the {channels} channels over {where}: "
            f"{fmt_dims(shape)} → {fmt_dims(out)}; no weights"
        )
        return Derivation((out,), (), explanation)

    return rule


for _rank in (1, 2, 3):
    layer_rule(f"GlobalAveragePooling{_rank}D", f"GlobalAvgPool{_rank}D")(_global(_rank, "average"))
    layer_rule(f"GlobalMaxPooling{_rank}D", f"GlobalMaxPool{_rank}D")(_global(_rank, "max"))


def _window(rank: int, reduce: str):
    def rule(config: dict, input_shapes: list) -> Derivation:
        """Output: per spatial axis as a convolution with kernel pool_size and strides (default
            pool_size).
        Params: none.
        """
        shape = one_input(input_shapes, rank + 2, f"{reduce.title()}Pooling{rank}D")
        pool = get_ints(config, "pool_size", rank)
        strides = get_ints(config, "strides", rank) if config.get("strides") else pool
        padding = get_choice(config, "padding", ("valid", "same"), "valid")
        data_format = get_choice(config, "data_format", DATA_FORMATS, "channels_last")
        axis = channel_axis(data_format, rank + 2)
        first = 1 if axis == rank + 1 else 2
        out = list(shape)
        steps = []
        for i in range(rank):
            out[first + i], text = conv_length(shape[first + i], pool[i], strides[i], padding)
            if text not in steps:
                steps.append(text)
        out = tuple(out)
        verb = "averages" if reduce == "average" else "takes the maximum of"
        explanation = (
            f"{verb} each {fmt_product(pool)} window, stride {fmt_product(strides)}, "
            f"'{padding}' padding: {'; '.join(steps)}; {fmt_dims(shape)} → {fmt_dims(out)}"
        )
        return Derivation((out,), (), explanation)

    return rule


def _adaptive(rank: int, reduce: str):
    def rule(config: dict, input_shapes: list) -> Derivation:
        """Output: the spatial axes become output_size.
        Params: none.
        """
        shape = one_input(input_shapes, rank + 2, f"Adaptive{reduce.title()}Pooling{rank}D")
        size = get_ints(config, "output_size", rank)
        data_format = get_choice(config, "data_format", DATA_FORMATS, "channels_last")
        axis = channel_axis(data_format, rank + 2)
        out = (shape[0], *size, shape[-1]) if axis != 1 else (shape[0], shape[1], *size)
        verb = "averages" if reduce == "average" else "takes the maximum"
        explanation = (
            f"{verb} over windows sized to give a {fmt_product(size)} output whatever the "
            f"input size: {fmt_dims(shape)} → {fmt_dims(out)}"
        )
        return Derivation((out,), (), explanation)

    return rule


for _rank in (1, 2, 3):
    layer_rule(f"MaxPooling{_rank}D", f"MaxPool{_rank}D")(_window(_rank, "max"))
    layer_rule(f"AveragePooling{_rank}D", f"AvgPool{_rank}D")(_window(_rank, "average"))
    layer_rule(f"AdaptiveAveragePooling{_rank}D")(_adaptive(_rank, "average"))
    layer_rule(f"AdaptiveMaxPooling{_rank}D")(_adaptive(_rank, "max"))
