"""Preprocessing and augmentation layers that hold no weights."""

from __future__ import annotations

from .base import Derivation, get_number, layer_rule, one_input


def _number_or_list(value):
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(f"{v:g}" for v in value) + "]"
    return f"{value:g}"


@layer_rule("Rescaling")
def rescaling(config: dict, input_shapes: list) -> Derivation:
    shape = one_input(input_shapes, what="Rescaling")
    scale = config.get("scale", 1.0)
    offset = config.get("offset", 0.0)
    text = (
        f"x · {_number_or_list(scale)} + {_number_or_list(offset)} for each value; shape unchanged"
    )
    return Derivation((shape,), (), text)


@layer_rule("RandomFlip")
def random_flip(config: dict, input_shapes: list) -> Derivation:
    shape = one_input(input_shapes, what="RandomFlip")
    mode = config.get("mode", "horizontal_and_vertical")
    text = (
        f"in training flips each image at random ({mode}); at inference passes through; "
        f"shape unchanged"
    )
    return Derivation((shape,), (), text)


@layer_rule("RandomRotation")
def random_rotation(config: dict, input_shapes: list) -> Derivation:
    shape = one_input(input_shapes, what="RandomRotation")
    factor = config.get("factor", 0.0)
    if isinstance(factor, (list, tuple)) and len(factor) == 2:
        low, high = (get_number({"f": f}, "f") for f in factor)
    else:
        high = get_number(config, "factor")
        low = -high
    text = (
        f"in training rotates each image by a random angle in [{low * 360:g}°, {high * 360:g}°] "
        f"(factor × 360°); at inference passes through; shape unchanged"
    )
    return Derivation((shape,), (), text)
