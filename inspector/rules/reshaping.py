"""Layers that change a tensor's shape without weights: flatten, reshape, crop, pad, upsample."""

from __future__ import annotations

from math import prod

from ..errors import ConfigError
from ..shapes import fmt_dims, fmt_product
from .base import Derivation, channel_axis, get_choice, get_int, get_ints, layer_rule, one_input

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


def _spatial_first(config: dict, rank: int) -> int:
    data_format = get_choice(config, "data_format", DATA_FORMATS, "channels_last")
    return 1 if channel_axis(data_format, rank + 2) == rank + 1 else 2


def _zero_padding(rank: int):
    def rule(config: dict, input_shapes: list) -> Derivation:
        """Output: each spatial axis grows by its padding before and after.
        Params: none.
        """
        shape = one_input(input_shapes, rank + 2, f"ZeroPadding{rank}D")
        pairs = _pairs(config.get("padding", 1), rank)
        first = _spatial_first(config, rank)
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


def _cropping(rank: int):
    def rule(config: dict, input_shapes: list) -> Derivation:
        """Output: each spatial axis shrinks by its cropping before and after.
        Params: none.
        """
        shape = one_input(input_shapes, rank + 2, f"Cropping{rank}D")
        pairs = _pairs(config.get("cropping", 1), rank)
        first = 1 if rank == 1 else _spatial_first(config, rank)
        out = list(shape)
        steps = []
        for i, (before, after) in enumerate(pairs):
            n = shape[first + i]
            if n is not None:
                out[first + i] = n - before - after
                if out[first + i] <= 0:
                    raise ConfigError(f"cropping {before} + {after} leaves nothing of length {n}")
            step = f"{n} − {before} − {after} = {out[first + i]}"
            if step not in steps:
                steps.append(step)
        out = tuple(out)
        text = f"cuts off the edges: {', '.join(steps)}; {fmt_dims(shape)} → {fmt_dims(out)}"
        return Derivation((out,), (), text)

    return rule


def _upsampling(rank: int):
    def rule(config: dict, input_shapes: list) -> Derivation:
        """Output: each spatial axis multiplied by its size.
        Params: none.
        """
        shape = one_input(input_shapes, rank + 2, f"UpSampling{rank}D")
        size = get_ints(config, "size", rank, default=2)
        first = 1 if rank == 1 else _spatial_first(config, rank)
        out = list(shape)
        for i, factor in enumerate(size):
            n = shape[first + i]
            out[first + i] = None if n is None else n * factor
        out = tuple(out)
        text = f"repeats each value {fmt_product(size)} times: {fmt_dims(shape)} → {fmt_dims(out)}"
        return Derivation((out,), (), text)

    return rule


for _rank in (1, 2, 3):
    layer_rule(f"ZeroPadding{_rank}D")(_zero_padding(_rank))
    layer_rule(f"Cropping{_rank}D")(_cropping(_rank))
    layer_rule(f"UpSampling{_rank}D")(_upsampling(_rank))


@layer_rule("Flatten")
def flatten(config: dict, input_shapes: list) -> Derivation:
    """Output: (batch, product of the other axes).
    Params: none.
    """
    shape = one_input(input_shapes, what="Flatten")
    dims = shape[1:]
    size = None if any(d is None for d in dims) else prod(dims)
    out = (shape[0], size)
    if len(dims) > 1:
        product = " × ".join(str(d) for d in dims)
        total = "?" if size is None else f"{size:,}"
        text = f"lays the {fmt_dims(shape)} values out in a row: {product} = {total} features"
    else:
        text = "already flat; shape unchanged"
    return Derivation((out,), (), text)


@layer_rule("Reshape")
def reshape(config: dict, input_shapes: list) -> Derivation:
    """Output: (batch, *target_shape), −1 filled in from the total.
    Params: none.
    """
    shape = one_input(input_shapes, what="Reshape")
    target = config.get("target_shape")
    if not isinstance(target, (list, tuple)) or not all(
        isinstance(d, int) and not isinstance(d, bool) and (d > 0 or d == -1) for d in target
    ):
        raise ConfigError(f"target_shape must be a list of sizes (one may be -1), got {target!r}")
    if list(target).count(-1) > 1:
        raise ConfigError(f"target_shape may hold -1 only once, got {target!r}")
    dims = shape[1:]
    total = None if any(d is None for d in dims) else prod(dims)
    known_part = prod(d for d in target if d != -1)
    out = list(target)
    text = f"rearranges the {fmt_product(dims)} values as {fmt_dims((None, *target))}"
    if -1 in out:
        missing = None if total is None else total // known_part
        if total is not None and total % known_part:
            raise ConfigError(f"cannot reshape {total} values into {tuple(target)}")
        out[out.index(-1)] = missing
        text += f"; −1 becomes {total} / {known_part} = {missing}"
    elif total is not None and total != known_part:
        raise ConfigError(f"cannot reshape {total} values into {tuple(target)} ({known_part})")
    return Derivation(((shape[0], *out),), (), text)


@layer_rule("Permute")
def permute(config: dict, input_shapes: list) -> Derivation:
    """Output: the axes reordered by dims (1-based).
    Params: none.
    """
    shape = one_input(input_shapes, what="Permute")
    dims = config.get("dims")
    if not isinstance(dims, (list, tuple)) or sorted(dims) != list(range(1, len(shape))):
        raise ConfigError(f"dims must order the axes 1 to {len(shape) - 1}, got {dims!r}")
    out = (shape[0], *(shape[d] for d in dims))
    return Derivation(
        (out,), (), f"reorders the axes as {tuple(dims)}: {fmt_dims(shape)} → {fmt_dims(out)}"
    )


@layer_rule("RepeatVector")
def repeat_vector(config: dict, input_shapes: list) -> Derivation:
    """Output: (batch, n, features).
    Params: none.
    """
    shape = one_input(input_shapes, 2, "RepeatVector")
    n = get_int(config, "n", minimum=1)
    out = (shape[0], n, shape[1])
    return Derivation((out,), (), f"repeats the {shape[1]} features {n} times: → {fmt_dims(out)}")
