"""Merge layers: elementwise combinations of several inputs."""

from __future__ import annotations

from ..errors import ConfigError
from ..shapes import broadcast, fmt_dims
from .base import Derivation, layer_rule


def _elementwise(verb: str):
    def rule(config: dict, input_shapes: list) -> Derivation:
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
