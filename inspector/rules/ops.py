"""Op layers: what Keras writes when a function of keras.ops is applied to a symbolic tensor.

`x / 127.5 - 1` becomes a TrueDivide layer and a Subtract layer (module keras.src.ops.numpy),
whose constant operands arrive here as shapes.Scalar, the shape () with its value.
"""

from __future__ import annotations

from ..shapes import Scalar, broadcast, fmt_dims
from .base import Derivation, op_rule


def _operand(shape) -> str:
    if isinstance(shape, Scalar):
        return f"{shape.value:g}"
    return fmt_dims(shape)


def _binary(symbol: str):
    def rule(config: dict, input_shapes: list) -> Derivation:
        out = broadcast(*input_shapes)
        expression = f" {symbol} ".join(_operand(s) for s in input_shapes)
        return Derivation((out,), (), f"elementwise {expression} → {fmt_dims(out)}; no weights")

    return rule


for _names, _symbol in (
    (("Add",), "+"),
    (("Subtract",), "−"),
    (("Multiply",), "×"),
    (("TrueDivide", "Divide"), "/"),
    (("FloorDivide",), "//"),
    (("Power",), "**"),
    (("Maximum",), "max"),
    (("Minimum",), "min"),
):
    op_rule(*_names)(_binary(_symbol))
