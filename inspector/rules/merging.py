"""Merge layers: elementwise combinations of several inputs."""

from __future__ import annotations

from ..errors import ConfigError
from ..shapes import broadcast, fmt_dims
from .base import Derivation, axes_of, layer_rule


def _elementwise(verb: str):
    def rule(config: dict, input_shapes: list) -> Derivation:
        """Output: the broadcast of the inputs.
        Params: none.
        """
        if len(input_shapes) < 2:
            raise ConfigError(f"a merge layer needs at least 2 inputs, got {len(input_shapes)}")
        out = broadcast(*input_shapes)
        listed = ", ".join(fmt_dims(s) for s in input_shapes)
        return Derivation(
            (out,),
            (),
            f"{verb} its {len(input_shapes)} inputs {listed} elementwise → {fmt_dims(out)}",
        )

    return rule


layer_rule("Add")(_elementwise("adds"))
layer_rule("Subtract")(_elementwise("subtracts"))
layer_rule("Multiply")(_elementwise("multiplies"))
layer_rule("Average")(_elementwise("averages"))
layer_rule("Maximum")(_elementwise("takes the maximum of"))
layer_rule("Minimum")(_elementwise("takes the minimum of"))


@layer_rule("Concatenate")
def concatenate(config: dict, input_shapes: list) -> Derivation:
    """Output: the inputs' shape with the sizes along axis added.
    Params: none.
    """
    if len(input_shapes) < 1:
        raise ConfigError("Concatenate needs inputs")
    rank = len(input_shapes[0])
    if any(len(s) != rank for s in input_shapes):
        raise ConfigError(f"Concatenate needs inputs of one rank, got {input_shapes}")
    (axis,) = axes_of(config.get("axis", -1), rank)
    out = list(input_shapes[0])
    for shape in input_shapes[1:]:
        for i, dim in enumerate(shape):
            if i == axis:
                continue
            if out[i] is None:
                out[i] = dim
            elif dim is not None and dim != out[i]:
                raise ConfigError(f"Concatenate inputs differ off axis {axis}: {input_shapes}")
    sizes = [s[axis] for s in input_shapes]
    out[axis] = None if None in sizes else sum(sizes)
    text = (
        f"joins {len(input_shapes)} inputs along axis {axis}: "
        f"{' + '.join(str(n) for n in sizes)} = {out[axis]}; → {fmt_dims(tuple(out))}"
    )
    return Derivation((tuple(out),), (), text)


@layer_rule("Dot")
def dot(config: dict, input_shapes: list) -> Derivation:
    """Output: first input without its axis + second without its axis and batch (at least (batch,
        1)).
    Params: none.
    """
    if len(input_shapes) != 2:
        raise ConfigError(f"Dot takes 2 inputs, got {len(input_shapes)}")
    first, second = (list(s) for s in input_shapes)
    axes = config.get("axes", -1)
    if isinstance(axes, int) and not isinstance(axes, bool):
        axes = [axes % len(first), axes % len(second)] if axes < 0 else [axes, axes]
    if not (isinstance(axes, (list, tuple)) and len(axes) == 2):
        raise ConfigError(f"axes must be an axis or a pair, got {axes!r}")
    a, b = axes_of(axes[0], len(first), "axes")[0], axes_of(axes[1], len(second), "axes")[0]
    if first[a] is not None and second[b] is not None and first[a] != second[b]:
        raise ConfigError(f"Dot axes {a} and {b} differ in size: {first[a]} and {second[b]}")
    first.pop(a)
    second.pop(b)
    second.pop(0)
    out = first + second
    if len(out) == 1:
        out.append(1)
    kind = "cosine similarities" if config.get("normalize") else "dot products"
    text = f"{kind} along axes {a} and {b}: → {fmt_dims(tuple(out))}"
    return Derivation((tuple(out),), (), text)
