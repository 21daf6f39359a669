"""Integer shape arithmetic, None-preserving, and the text forms of shapes.

All functions are pure and work on Python ints; `None` (an unknown dimension, usually the batch)
stays `None` through every computation.
"""

from __future__ import annotations

from math import prod

from .errors import ConfigError

Shape = tuple  # tuple[int | None, ...]


class Scalar(tuple):
    """The shape () of a constant operand of an op layer, remembering its value for explanations.

    >>> s = Scalar(127.5); s == (), s.value
    (True, 127.5)
    """

    def __new__(cls, value):
        self = super().__new__(cls, ())
        self.value = value
        return self


def ceil_div(a: int, b: int) -> int:
    return -(-a // b)


def conv_length(
    length: int | None, kernel: int, stride: int, padding: str, dilation: int = 1
) -> tuple[int | None, str]:
    """Output length of a convolution or pooling window along one axis, with its arithmetic.

    >>> conv_length(160, 3, 2, "same")
    (80, '⌈160 / 2⌉ = 80')
    >>> conv_length(7, 3, 2, "valid")
    (3, '⌊(7 − 3) / 2⌋ + 1 = 3')
    >>> conv_length(None, 3, 1, "valid")
    (None, 'None stays None')
    """
    if length is None:
        return None, "None stays None"
    span = dilation * (kernel - 1) + 1  # how many input positions one window covers
    if padding in ("same", "causal"):
        out = ceil_div(length, stride)
        text = f"⌈{length} / {stride}⌉ = {out}" if stride != 1 else f"{length} (stride 1)"
    elif padding == "valid":
        out = (length - span) // stride + 1
        if stride == 1:
            text = f"{length} − {span} + 1 = {out}"
        else:
            text = f"⌊({length} − {span}) / {stride}⌋ + 1 = {out}"
        if out <= 0:
            raise ConfigError(
                f"a window of {span} (kernel {kernel}, dilation {dilation}) does not fit in "
                f"length {length} with 'valid' padding"
            )
    else:
        raise ConfigError(f"padding {padding!r} is not one of 'valid', 'same', 'causal'")
    return out, text


def broadcast(*shapes: Shape) -> Shape:
    """Numpy broadcasting of shapes, as Keras does it (None against n gives n).

    >>> broadcast((None, 160, 160, 3), ())
    (None, 160, 160, 3)
    >>> broadcast((None, 5, 1), (None, 1, 7))
    (None, 5, 7)
    """
    rank = max((len(s) for s in shapes), default=0)
    result: list[int | None] = [1] * rank
    for shape in shapes:
        padded = (1,) * (rank - len(shape)) + tuple(shape)
        for i, dim in enumerate(padded):
            have = result[i]
            if have == 1:
                result[i] = dim
            elif dim == 1:
                continue
            elif have is None:
                result[i] = dim
            elif dim is not None and dim != have:
                listed = " and ".join(fmt_shape(s) for s in shapes)
                raise ConfigError(f"shapes {listed} cannot be broadcast together")
    return tuple(result)


def fmt_shape(shape: Shape) -> str:
    """`(None, 5, 5, 1280)`; a shape of one dimension prints as `(1280)`, not `(1280,)`."""
    return "(" + ", ".join("None" if d is None else str(d) for d in shape) + ")"


def fmt_dims(shape: Shape) -> str:
    """The shape of one example (batch dropped): `(5, 5, 1280)`."""
    return fmt_shape(tuple(shape)[1:])


def fmt_product(dims) -> str:
    """`3×3×3×32`."""
    return "×".join(str(d) for d in dims) if dims else "1"


def count(dims) -> int:
    return prod(dims)


def known_product(dims) -> int | None:
    """The product of sizes, or None when one of them is unknown.

    >>> known_product((5, 5, 1280)), known_product((None, 3))
    (32000, None)
    """
    dims = tuple(dims)
    return None if None in dims else prod(dims)
