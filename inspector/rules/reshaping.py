"""Layers that change a tensor's shape without weights: padding."""

from __future__ import annotations

from ..errors import ConfigError
from ..shapes import fmt_dims
from .base import Derivation, channel_axis, get_choice, layer_rule, one_input

DATA_FORMATS = ("channels_last", "channels_first")


def _pairs(value, rank: int) -> tuple[tuple[int, int], ...]:
    """ZeroPadding's padding: n, (a, b) per axis, or ((a, b), (c, d)) per axis."""
    if isinstance(value, int) and not isinstance(value, bool):
        return ((value, value),) * rank
    if isinstance(value, (list, tuple)) and len(value) == 2 and rank == 1:
        value = [value]
    if isinstance(value, (list, tuple)) and len(value) == rank:
        pairs = []
        for item in value:
            if isinstance(item, int) and not isinstance(item, bool):
                item = (item, item)
            if (
                not isinstance(item, (list, tuple))
                or len(item) != 2
                or not all(isinstance(p, int) and not isinstance(p, bool) and p >= 0 for p in item)
            ):
                raise ConfigError(f"padding must hold pairs of sizes, got {value!r}")
            pairs.append(tuple(item))
        return tuple(pairs)
    raise ConfigError(f"padding must give {rank} pairs of sizes, got {value!r}")


def _zero_padding(rank: int):
    def rule(config: dict, input_shapes: list) -> Derivation:
        shape = one_input(input_shapes, rank + 2, f"ZeroPadding{rank}D")
        pairs = _pairs(config.get("padding", 1), rank)
        data_format = get_choice(config, "data_format", DATA_FORMATS, "channels_last")
        first = 1 if channel_axis(data_format, rank + 2) == rank + 1 else 2
        out = list(shape)
        steps = []
        for i, (before, after) in enumerate(pairs):
            n = shape[first + i]
            out[first + i] = None if n is None else n + before + after
            step = f"{n} + {before} + {after} = {out[first + i]}"
            if step not in steps:
                steps.append(step)
        out = tuple(out)
        explanation = (
            f"adds zeros around the edges: {', '.join(steps)}; {fmt_dims(shape)} → {fmt_dims(out)}"
        )
        return Derivation((out,), (), explanation)

    return rule


for _rank in (1, 2, 3):
    layer_rule(f"ZeroPadding{_rank}D")(_zero_padding(_rank))
