"""Op layers: what Keras writes when a function of keras.ops is applied to a symbolic tensor.

`x / 127.5 - 1` becomes a TrueDivide layer and a Subtract layer (module keras.src.ops.numpy),
whose constant operands arrive here as shapes.Scalar, the shape () with its value. No op holds
weights.
"""

from __future__ import annotations

import re
from math import prod

from ..errors import ConfigError
from ..shapes import Scalar, broadcast, fmt_dims, known_product
from .base import Derivation, axes_of, get_int, op_rule


def _operand(shape) -> str:
    if isinstance(shape, Scalar):
        return f"{shape.value:g}" if isinstance(shape.value, (int, float)) else "a constant"
    return fmt_dims(shape)


def _tensor(input_shapes: list, what: str) -> tuple:
    tensors = [s for s in input_shapes if not isinstance(s, Scalar)]
    if len(tensors) != 1:
        raise ConfigError(f"{what} takes one tensor, got {len(tensors)}")
    return tuple(tensors[0])


# ---- elementwise


def _binary(symbol: str):
    def rule(config: dict, input_shapes: list) -> Derivation:
        """Output: the broadcast of the operands (a constant is shape ()).
        Params: none.
        """
        out = broadcast(*input_shapes)
        expression = f" {symbol} ".join(_operand(s) for s in input_shapes)
        return Derivation((out,), (), f"elementwise {expression} → {fmt_dims(out)}")

    return rule


for _names, _symbol in (
    (("Add",), "+"),
    (("Subtract",), "−"),
    (("Multiply",), "×"),
    (("TrueDivide", "Divide"), "/"),
    (("FloorDivide",), "//"),
    (("Mod",), "mod"),
    (("Power",), "**"),
    (("Maximum",), "max"),
    (("Minimum",), "min"),
    (("Equal",), "=="),
    (("NotEqual",), "!="),
    (("Greater",), ">"),
    (("GreaterEqual",), ">="),
    (("Less",), "<"),
    (("LessEqual",), "<="),
    (("LogicalAnd",), "and"),
    (("LogicalOr",), "or"),
    (("LogicalXor",), "xor"),
    (("Arctan2",), "atan2"),
    (("Where",), "?"),
):
    op_rule(*_names)(_binary(_symbol))


def _unary(config: dict, input_shapes: list) -> Derivation:
    """Output: unchanged.
    Params: none.
    """
    shape = _tensor(input_shapes, "this op")
    return Derivation((shape,), (), "elementwise; shape unchanged")


op_rule(
    "Abs",
    "Absolute",
    "Negative",
    "Exp",
    "Expm1",
    "Log",
    "Log1p",
    "Log2",
    "Log10",
    "Sqrt",
    "Square",
    "Reciprocal",
    "Sign",
    "Sin",
    "Cos",
    "Tan",
    "Arcsin",
    "Arccos",
    "Arctan",
    "Sinh",
    "Cosh",
    "Tanh",
    "Arcsinh",
    "Arccosh",
    "Arctanh",
    "Floor",
    "Ceil",
    "Round",
    "Trunc",
    "Erf",
    "Erfinv",
    "LogicalNot",
    "IsNan",
    "IsInf",
    "IsFinite",
    "Cast",
    "Clip",
    "NanToNum",
    "Copy",
    "Real",
    "Imag",
    "Conjugate",
    "Relu",
    "Relu6",
    "Sigmoid",
    "Softplus",
    "Softsign",
    "Silu",
    "Swish",
    "Gelu",
    "Elu",
    "Selu",
    "LeakyRelu",
    "HardSigmoid",
    "HardSilu",
    "HardSwish",
    "Mish",
    "Celu",
    "Glu",
    "HardTanh",
    "LogSigmoid",
    "SoftShrink",
    "HardShrink",
    "TanhShrink",
    "Sparsemax",
    "Softmax",
    "LogSoftmax",
    "StopGradient",
    "ZerosLike",
    "OnesLike",
    "Cumsum",
    "Cumprod",
    "Sort",
    "Argsort",
    "Flip",
    "Roll",
)(_unary)


# ---- reductions


def _reduction(config: dict, input_shapes: list) -> Derivation:
    """Output: the reduced axes dropped, or kept as 1 with keepdims; all axes when axis is None.
    Params: none.
    """
    shape = _tensor(input_shapes, "a reduction")
    axis = config.get("axis")
    keep = bool(config.get("keepdims", False))
    axes = tuple(range(len(shape))) if axis is None else axes_of(axis, len(shape))
    if keep:
        out = tuple(1 if i in axes else d for i, d in enumerate(shape))
    else:
        out = tuple(d for i, d in enumerate(shape) if i not in axes)
    where = "all axes" if axis is None else f"axis {axis}"
    return Derivation((out,), (), f"reduces over {where}: {fmt_dims(shape)} → {fmt_dims(out)}")


op_rule(
    "Mean",
    "Sum",
    "Max",
    "Min",
    "Prod",
    "Std",
    "Var",
    "Any",
    "All",
    "Argmax",
    "Argmin",
    "Amax",
    "Amin",
    "Logsumexp",
    "Median",
    "CountNonzero",
)(_reduction)


# ---- shape ops


@op_rule("Reshape")
def reshape(config: dict, input_shapes: list) -> Derivation:
    """Output: newshape, −1 filled in from the total.
    Params: none.
    """
    shape = _tensor(input_shapes, "Reshape")
    target = config.get("newshape")
    if not isinstance(target, (list, tuple)) or not all(
        isinstance(d, int) and not isinstance(d, bool) and d >= -1 for d in target
    ):
        raise ConfigError(f"newshape must be a list of sizes, got {target!r}")
    out = list(target)
    if -1 in out:
        known_dims = [d for d in shape if d is not None]
        total = prod(known_dims) if len(known_dims) == len(shape) else None
        rest = prod(d for d in out if d != -1)
        out[out.index(-1)] = None if total is None or rest == 0 else total // rest
    return Derivation((tuple(out),), (), f"reshapes {fmt_dims(shape)} to {tuple(out)}")


@op_rule("Transpose")
def transpose(config: dict, input_shapes: list) -> Derivation:
    """Output: the axes reordered (reversed when axes is None).
    Params: none.
    """
    shape = _tensor(input_shapes, "Transpose")
    axes = config.get("axes")
    order = tuple(reversed(range(len(shape)))) if axes is None else axes_of(axes, len(shape))
    if sorted(order) != list(range(len(shape))):
        raise ConfigError(f"axes must order all {len(shape)} axes, got {axes!r}")
    out = tuple(shape[i] for i in order)
    return Derivation((out,), (), f"reorders the axes as {order}: → {fmt_dims(out)}")


@op_rule("ExpandDims")
def expand_dims(config: dict, input_shapes: list) -> Derivation:
    """Output: an axis of 1 inserted.
    Params: none.
    """
    shape = _tensor(input_shapes, "ExpandDims")
    axis = config.get("axis")
    axes = axes_of(axis, len(shape) + len(axis if isinstance(axis, list) else [axis]))
    out = list(shape)
    for a in sorted(axes):
        out.insert(a, 1)
    return Derivation((tuple(out),), (), f"inserts an axis of size 1 at {axis}: → {fmt_dims(out)}")


@op_rule("Squeeze")
def squeeze(config: dict, input_shapes: list) -> Derivation:
    """Output: axes of 1 removed.
    Params: none.
    """
    shape = _tensor(input_shapes, "Squeeze")
    axis = config.get("axis")
    if axis is None:
        axes = tuple(i for i, d in enumerate(shape) if d == 1)
    else:
        axes = axes_of(axis, len(shape))
        for a in axes:
            if shape[a] not in (1, None):
                raise ConfigError(f"cannot squeeze axis {a} of size {shape[a]}")
    out = tuple(d for i, d in enumerate(shape) if i not in axes)
    return Derivation((out,), (), f"drops axes of size 1: → {fmt_dims(out)}")


@op_rule("Concatenate")
def concatenate(config: dict, input_shapes: list) -> Derivation:
    """Output: sizes along axis added.
    Params: none.
    """
    shapes = [tuple(s) for s in input_shapes]
    if not shapes or any(len(s) != len(shapes[0]) for s in shapes):
        raise ConfigError(f"concatenate needs tensors of one rank, got {shapes}")
    axis = config.get("axis", 0)
    (a,) = axes_of(0 if axis is None else axis, len(shapes[0]))
    out = list(shapes[0])
    sizes = [s[a] for s in shapes]
    out[a] = None if None in sizes else sum(sizes)
    return Derivation((tuple(out),), (), f"joins along axis {a}: → {fmt_dims(out)}")


@op_rule("Stack")
def stack(config: dict, input_shapes: list) -> Derivation:
    """Output: a new axis of the number of tensors.
    Params: none.
    """
    shapes = [tuple(s) for s in input_shapes]
    if not shapes:
        raise ConfigError("stack needs tensors")
    out = list(broadcast(*shapes)) if len({len(s) for s in shapes}) == 1 else list(shapes[0])
    (a,) = axes_of(config.get("axis", 0), len(out) + 1)
    out.insert(a, len(shapes))
    return Derivation((tuple(out),), (), f"stacks {len(shapes)} tensors on a new axis {a}")


@op_rule("Matmul")
def matmul(config: dict, input_shapes: list) -> Derivation:
    """Output: broadcast batch axes + (rows of the first, columns of the second).
    Params: none.
    """
    if len(input_shapes) != 2:
        raise ConfigError(f"matmul takes 2 tensors, got {len(input_shapes)}")
    a, b = (tuple(s) for s in input_shapes)
    if len(a) < 2 or len(b) < 2:
        raise ConfigError(f"matmul of vectors is not derived: {a} and {b}")
    if a[-1] is not None and b[-2] is not None and a[-1] != b[-2]:
        raise ConfigError(f"matmul inner sizes differ: {a[-1]} and {b[-2]}")
    out = broadcast(a[:-2], b[:-2]) + (a[-2], b[-1])
    text = f"matrix product {fmt_dims(a)} @ {fmt_dims(b)} → {fmt_dims(out)}"
    return Derivation((out,), (), text, *_product_macs([*out[1:], a[-1]]))


def _product_macs(dims) -> tuple[int | None, str]:
    """One multiply-accumulate per output element per summed index (one example)."""
    total = known_product(dims)
    return total, "an unknown size" if total is None else "×".join(str(d) for d in dims)


@op_rule("Einsum")
def einsum(config: dict, input_shapes: list) -> Derivation:
    """Output: the output letters' sizes.
    Params: none.
    """
    subscripts = str(config.get("subscripts", "")).replace(" ", "")
    match = re.fullmatch(r"([a-zA-Z,]+)->([a-zA-Z]*)", subscripts)
    specs = match.group(1).split(",") if match else []
    if not match or len(specs) != len(input_shapes):
        raise ConfigError(f"einsum {subscripts!r} is not derived (explicit output, no ellipsis)")
    sizes: dict[str, int | None] = {}
    for spec, shape in zip(specs, input_shapes, strict=True):
        if len(spec) != len(shape):
            raise ConfigError(f"einsum term {spec!r} does not fit shape {tuple(shape)}")
        for letter, dim in zip(spec, shape, strict=True):
            if sizes.get(letter) in (None, 1) and dim is not None:
                sizes[letter] = dim  # a known size beats 1 (broadcast) and None
            sizes.setdefault(letter, dim)
    out = tuple(sizes[letter] for letter in match.group(2))
    batch = specs[0][0] if input_shapes[0] and input_shapes[0][0] is None else None
    macs = _product_macs([size for letter, size in sizes.items() if letter != batch])
    return Derivation((out,), (), f"einsum {subscripts}: → {fmt_dims(out)}", *macs)


@op_rule("Tile")
def tile(config: dict, input_shapes: list) -> Derivation:
    """Output: each axis times its repeat.
    Params: none.
    """
    shape = _tensor(input_shapes, "Tile")
    repeats = config.get("repeats")
    repeats = [repeats] if isinstance(repeats, int) else list(repeats or [])
    rank = max(len(shape), len(repeats))
    padded = (1,) * (rank - len(shape)) + shape
    reps = [1] * (rank - len(repeats)) + repeats
    out = tuple(None if d is None else d * r for d, r in zip(padded, reps, strict=True))
    return Derivation((out,), (), f"tiles {reps} times: → {fmt_dims(out)}")


@op_rule("Repeat")
def repeat(config: dict, input_shapes: list) -> Derivation:
    """Output: axis times repeats (flattened when axis is None).
    Params: none.
    """
    shape = _tensor(input_shapes, "Repeat")
    repeats = get_int(config, "repeats", minimum=0)
    axis = config.get("axis")
    if axis is None:
        total = None if None in shape else prod(shape) * repeats
        out = (total,)
    else:
        (a,) = axes_of(axis, len(shape))
        out = tuple(
            None if d is None else d * repeats if i == a else d for i, d in enumerate(shape)
        )
    return Derivation((out,), (), f"repeats each element {repeats} times: → {fmt_dims(out)}")


@op_rule("Split")
def split(config: dict, input_shapes: list) -> Derivation:
    """Output: one output per section along axis.
    Params: none.
    """
    shape = _tensor(input_shapes, "Split")
    (a,) = axes_of(config.get("axis", 0), len(shape))
    sections = config.get("indices_or_sections")
    n = shape[a]
    if isinstance(sections, int) and not isinstance(sections, bool):
        if not 1 <= sections <= 65536:
            raise ConfigError(f"split into {sections} sections is not derived")
        if n is not None and n % sections:
            raise ConfigError(f"cannot split {n} into {sections} equal parts")
        sizes = [None if n is None else n // sections] * sections
    elif isinstance(sections, list):
        bounds = [0, *sections, n]
        sizes = [
            None if hi is None else hi - lo for lo, hi in zip(bounds, bounds[1:], strict=False)
        ]
    else:
        raise ConfigError(f"indices_or_sections must be a count or a list, got {sections!r}")
    outs = tuple(tuple(s if i == a else d for i, d in enumerate(shape)) for s in sizes)
    return Derivation(outs, (), f"splits axis {a} into {len(sizes)} parts")


def _get_item(config: dict, input_shapes: list, call: dict) -> Derivation:
    """Output: integers drop an axis, slices shorten it, None adds one.
    Params: none.
    """
    shape = _tensor(input_shapes, "GetItem")
    args = call.get("args") or []
    key = args[1] if len(args) > 1 else None
    items = key if isinstance(key, list) else [key]
    out, axis = [], 0
    if any(isinstance(i, dict) and i.get("class_name") == "__ellipsis__" for i in items):
        raise ConfigError("indexing with ... is not derived")
    for item in items:
        if item is None:
            out.append(1)
            continue
        if axis >= len(shape):
            raise ConfigError(f"index {key!r} has more axes than the shape {shape}")
        dim = shape[axis]
        if isinstance(item, int) and not isinstance(item, bool):
            axis += 1
        elif isinstance(item, dict) and item.get("class_name") == "__slice__":
            bounds = item.get("config") or {}
            out.append(
                _slice_length(dim, bounds.get("start"), bounds.get("stop"), bounds.get("step"))
            )
            axis += 1
        else:
            raise ConfigError(f"index {item!r} is not derived")
    out += list(shape[axis:])
    return Derivation((tuple(out),), (), f"indexes {fmt_dims(shape)}: → {fmt_dims(out)}")


def _slice_length(dim, start, stop, step):
    if dim is None:
        return None if (start, stop) != (None, None) or step not in (None, 1) else None
    return len(range(dim)[slice(start, stop, step)])


_get_item.uses_call = True
op_rule("GetItem")(_get_item)
