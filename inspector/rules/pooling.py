"""Pooling layers."""

from __future__ import annotations

from ..shapes import fmt_dims, fmt_product
from .base import Derivation, channel_axis, get_bool, get_choice, layer_rule, one_input

DATA_FORMATS = ("channels_last", "channels_first")


def _global(rank: int, reduce: str):
    def rule(config: dict, input_shapes: list) -> Derivation:
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
