"""EinsumDense: weights and output shape read off its einsum equation."""

from __future__ import annotations

import re

from ..errors import ConfigError
from ..shapes import fmt_dims, fmt_product
from .base import (
    Derivation,
    get_int,
    known,
    layer_rule,
    one_input,
    reject_quantized,
    statistic,
    weight,
)

_FORMS = (
    (re.compile(r"^([a-zA-Z]+),([a-zA-Z]+)->([a-zA-Z]+)$"), None),
    (re.compile(r"^\.\.\.([a-zA-Z]+),([a-zA-Z]+)->\.\.\.([a-zA-Z]+)$"), "left"),
    (re.compile(r"^([a-zA-Z]{2,})\.\.\.,([a-zA-Z]+)->([a-zA-Z]+)\.\.\.$"), "right"),
)


def einsum_dense_shapes(equation: str, bias_axes, input_shape: tuple, partial_output):
    """Kernel shape, bias shape (or None) and output shape of an EinsumDense.

    The output shape is the batch followed by the configured `output_shape` (and the elided
    axes), as Keras builds it; each kernel axis takes its size from the output if its letter is
    there, else from the input.

    >>> einsum_dense_shapes("ab,bc->ac", "c", (None, 32), [64])
    ((32, 64), (64,), (None, 64))
    """
    found = [(p.match(equation.replace(" ", "")), side) for p, side in _FORMS]
    found = [(match, side) for match, side in found if match]
    if not found:
        raise ConfigError(
            f"equation {equation!r} is not of the form "
            f"ab,bc->ac, ...ab,bc->...ac or ab...,bc->ac..."
        )
    match, elided_side = found[0]
    in_spec, weight_spec, out_spec = match.groups()
    elided = len(input_shape) - len(in_spec)
    if elided < 0 or (elided and elided_side is None):
        raise ConfigError(f"equation {equation!r} does not fit an input of rank {len(input_shape)}")
    partial = [partial_output] if isinstance(partial_output, int) else list(partial_output or [])
    output = [input_shape[0], *partial]
    if elided_side == "left":
        output[1:1] = list(input_shape[1:elided])
        in_index = {c: i + elided for i, c in enumerate(in_spec)}
        out_index = {c: i + elided for i, c in enumerate(out_spec)}
    else:
        if elided_side == "right":
            output += list(input_shape[len(input_shape) - elided :])
        in_index = {c: i for i, c in enumerate(in_spec)}
        out_index = {c: i for i, c in enumerate(out_spec)}
    if max(out_index.values(), default=-1) >= len(output):
        raise ConfigError(f"output_shape {partial_output!r} is too short for {equation!r}")
    kernel = []
    for letter in weight_spec:
        if letter in out_index:
            kernel.append(output[out_index[letter]])
        elif letter in in_index:
            kernel.append(input_shape[in_index[letter]])
        else:
            raise ConfigError(
                f"kernel axis {letter!r} of {equation!r} is in neither input nor output"
            )
    kernel = tuple(known(d, f"kernel axis of {equation!r}") for d in kernel)
    bias = None
    if bias_axes:
        for letter in bias_axes:
            if letter not in out_spec:
                raise ConfigError(f"bias axis {letter!r} is not in the output spec {out_spec!r}")
        first = min(out_spec.find(letter) for letter in bias_axes)
        bias = [output[out_index[c]] if c in bias_axes else 1 for c in out_spec[first:]]
        if elided_side == "right":
            bias += [1] * elided
        bias = tuple(known(d, "bias axis") for d in bias)
    return kernel, bias, tuple(output)


@layer_rule("EinsumDense")
def einsum_dense(config: dict, input_shapes: list) -> Derivation:
    """Output: batch + output_shape (+ the elided axes).
    Params: kernel: each axis of the weight spec sized from the output, else the input; bias
        from the first bias axis to the end of the output spec, 1 where not a bias axis.
    """
    shape = one_input(input_shapes, what="EinsumDense")
    reject_quantized(config)
    equation = config.get("equation")
    if not isinstance(equation, str):
        raise ConfigError(f"equation must be a string, got {equation!r}")
    kernel, bias, out = einsum_dense_shapes(
        equation, config.get("bias_axes"), shape, config.get("output_shape")
    )
    terms = [weight("kernel", kernel)]
    if config.get("lora_rank"):
        # Keras's LoRA factors for an einsum kernel: kernel[:-1] × r and r × kernel[-1]
        rank = get_int(config, "lora_rank", minimum=1)
        terms = [
            statistic("kernel", kernel),  # frozen while LoRA trains
            weight("lora_kernel_a", kernel[:-1] + (rank,)),
            weight("lora_kernel_b", (rank, kernel[-1])),
        ]
    if bias is not None:
        terms.append(weight("bias", bias))
    text = f"einsum {equation}: {fmt_dims(shape)} → {fmt_dims(out)}"
    macs = _einsum_macs(equation, shape, kernel)
    return Derivation((out,), tuple(terms), text, *macs)


def _einsum_macs(equation: str, shape: tuple, kernel: tuple) -> tuple[int | None, str]:
    """One multiply-accumulate per combination of every letter's index (the batch excepted),
    times the elided axes: "abc,cd->abd" on (None, 7, 32) with a 32×64 kernel: 7×32×64."""
    left = equation.startswith("...")
    in_spec, weight_spec = equation.replace("...", "").split("->")[0].split(",")
    elided = len(shape) - len(in_spec)
    if left:
        sizes = dict(zip(in_spec, shape[elided:], strict=True))
        extra = list(shape[1:elided])
    else:
        sizes = dict(zip(in_spec, shape[: len(in_spec)], strict=True))
        extra = list(shape[len(in_spec) :])
        del sizes[in_spec[0]]  # the batch
    sizes.update(zip(weight_spec, kernel, strict=True))
    dims = [*extra, *sizes.values()]
    if any(d is None for d in dims):
        return None, f"{equation} with an unknown size"
    total = 1
    for d in dims:
        total *= d
    return total, f"{fmt_product(dims)} (every index of {equation}, the batch excepted)"
