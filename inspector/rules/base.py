"""What a rule returns, the registries rules live in, and checked access to config values."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..errors import ConfigError
from ..report import Term
from ..shapes import Shape, count, fmt_product, known_product


@dataclass(frozen=True)
class Derivation:
    """A rule's answer for one call: output shapes, weight terms and a one-line explanation.

    A term's `trainable` says whether that kind of weight is ever trained (BatchNormalization's
    moving statistics never are); the analysis combines it with the layer's and its models'
    `trainable` flags.
    """

    output_shapes: tuple[Shape, ...]
    terms: tuple[Term, ...] = ()
    explanation: str = ""
    macs: int | None = 0  # multiply-accumulates of the main products, one example; None: unknown
    macs_formula: str = ""  # how `macs` was counted, e.g. "80×80 positions × 3×3×3×32 kernel"


Rule = Callable[[dict, list], Derivation]

# Keyed by the exact class_name Keras writes. Op layers (module keras.src.ops.*) have their own
# table: keras.layers.Subtract (a merge layer) and keras.src.ops.numpy.Subtract share a name.
LAYER_RULES: dict[str, Rule] = {}
OP_RULES: dict[str, Rule] = {}

# Keras classes that wrap code or files from elsewhere: never derived, never loaded (fvcore's
# "ignored on purpose" list). What each holds, for the explanation.
FOREIGN: dict[str, str] = {
    "Lambda": "Python code (a function or its bytecode)",
    "TFSMLayer": "a TensorFlow SavedModel on disk",
    "JaxLayer": "a JAX function",
    "FlaxLayer": "a Flax module",
    "TorchModuleWrapper": "a PyTorch module",
    "MaxNumBoundingBoxes": "bounding-box dictionaries, not tensors",
}


def layer_rule(*class_names: str):
    """Register a function as the rule for these exact layer class names."""

    def register(function: Rule) -> Rule:
        for name in class_names:
            if name in LAYER_RULES:
                raise RuntimeError(f"two rules for layer class {name}")
            LAYER_RULES[name] = function
        return function

    return register


def op_rule(*class_names: str):
    """Register a function as the rule for these exact op class names (keras.src.ops.*)."""

    def register(function: Rule) -> Rule:
        for name in class_names:
            if name in OP_RULES:
                raise RuntimeError(f"two rules for op class {name}")
            OP_RULES[name] = function
        return function

    return register


def weight(name: str, shape: tuple[int, ...]) -> Term:
    """A weight that trains unless its layer or a model around it is frozen."""
    return Term(name, tuple(shape), count(shape), True, fmt_product(shape))


def statistic(name: str, shape: tuple[int, ...]) -> Term:
    """A variable that is never trained by gradient descent (moving mean, moving variance)."""
    return Term(name, tuple(shape), count(shape), False, fmt_product(shape))


# ---- checked config access: a bad value is a ConfigError naming the key and what was found

MAX_SIZE = 2**40  # no real tensor axis, filter count or unit count comes near this


def get_int(
    config: dict, key: str, default=None, minimum: int | None = None, maximum: int = MAX_SIZE
) -> int:
    value = config.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ConfigError(f"{key} must be an integer, got {_short(value)}")
    if minimum is not None and value < minimum:
        raise ConfigError(f"{key} must be at least {minimum}, got {value}")
    if value > maximum:
        raise ConfigError(f"{key} is {value:,}, over the limit of {maximum:,}")
    return value


def _short(value) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def get_ints(config: dict, key: str, rank: int, default=None, minimum: int = 1) -> tuple[int, ...]:
    """An int or a list of `rank` ints (kernel_size, strides, dilation_rate)."""
    value = config.get(key, default)
    if isinstance(value, int) and not isinstance(value, bool):
        value = [value] * rank
    if not isinstance(value, (list, tuple)) or len(value) != rank:
        raise ConfigError(f"{key} must be an integer or a list of {rank}, got {value!r}")
    for item in value:
        if isinstance(item, bool) or not isinstance(item, int) or not minimum <= item <= MAX_SIZE:
            raise ConfigError(
                f"{key} must hold integers from {minimum} to {MAX_SIZE:,}, got {_short(value)}"
            )
    return tuple(value)


def get_bool(config: dict, key: str, default: bool) -> bool:
    value = config.get(key, default)
    if not isinstance(value, bool):
        raise ConfigError(f"{key} must be true or false, got {value!r}")
    return value


def get_choice(config: dict, key: str, choices: tuple[str, ...], default: str) -> str:
    value = config.get(key, default)
    if value is None:
        value = default
    if value not in choices:
        raise ConfigError(f"{key} must be one of {', '.join(choices)}; got {value!r}")
    return value


def get_number(config: dict, key: str, default=None) -> float:
    value = config.get(key, default)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ConfigError(f"{key} must be a number, got {value!r}")
    return value


def one_input(input_shapes: list, rank: int | None = None, what: str = "this layer") -> Shape:
    """The single input shape of a one-input layer, checked for rank (batch included)."""
    if len(input_shapes) != 1:
        raise ConfigError(f"{what} takes one input, got {len(input_shapes)}")
    shape = tuple(input_shapes[0])
    if rank is not None and len(shape) != rank:
        raise ConfigError(
            f"{what} expects inputs of rank {rank} (batch included), got shape {shape}"
        )
    return shape


def known(dim, what: str) -> int:
    """A dimension a parameter count depends on: it must be known."""
    if dim is None:
        raise ConfigError(f"{what} is unknown (None), so the weight shapes cannot be derived")
    return dim


def kernel_macs(kernels, dims, where: str = "positions") -> tuple[int | None, str]:
    """MACs of weight kernels each applied once at every position of `dims` (the product of
    dims; once when dims is empty), with the formula; None when a dim is unknown.

    >>> kernel_macs([weight("kernel", (3, 3, 3, 32))], (80, 80))
    (5529600, '80×80 positions × 3×3×3×32 kernel')
    """
    kernels = list(kernels)
    places = known_product(dims)
    if places is None:
        return None, f"an unknown number of {where} × " + " + ".join(k.formula for k in kernels)
    kernel_text = " + ".join(f"{k.formula} {k.name}" for k in kernels)
    if len(kernels) > 1:
        kernel_text = f"({kernel_text})"
    total = places * sum(k.count for k in kernels)
    return total, f"{fmt_product(dims)} {where} × {kernel_text}" if dims else kernel_text


def channel_axis(data_format: str, rank: int) -> int:
    return rank - 1 if data_format == "channels_last" else 1


def is_keras_module(module) -> bool:
    """Whether a config's `module` names Keras itself (Keras 2 configs name none).

    >>> is_keras_module("keras.layers"), is_keras_module(None), is_keras_module("os")
    (True, True, False)
    """
    return module is None or module == "keras" or str(module).startswith("keras.")


def nested_entry(config: dict, key: str) -> tuple[str, dict]:
    """The class name and config of a layer a wrapper holds (`layer`, `cell`, ...)."""
    entry = config.get(key)
    if not isinstance(entry, dict) or not isinstance(entry.get("config"), dict):
        raise ConfigError(f"{key} must be a serialized layer, got {entry!r}")
    class_name = entry.get("class_name")
    if not isinstance(class_name, str):
        raise ConfigError(f"{key} has no class_name")
    module = entry.get("module")
    if not is_keras_module(module):
        raise ConfigError(f"{key} is {class_name} from {module}, which is not a Keras class")
    return class_name, entry["config"]


def rename(terms, prefix: str) -> tuple:
    """Terms of a wrapped layer, named as the wrapper's weights (`forward_lstm/kernel`)."""
    from dataclasses import replace

    return tuple(replace(t, name=f"{prefix}/{t.name}") for t in terms)


def reject_quantized(config: dict) -> None:
    """Quantized layers (int8, int4, float8, GPTQ, AWQ) store other weights; no rule for them."""
    dtype = config.get("dtype")
    if isinstance(dtype, dict):
        name = str(dtype.get("class_name", "")) + str((dtype.get("config") or {}).get("name", ""))
        if "Quantiz" in name or name.startswith(("int8", "int4", "float8", "gptq", "awq")):
            raise ConfigError(f"quantized layers ({name}) are not derived by this version")
    if config.get("quantization_config"):
        raise ConfigError("quantized layers are not derived by this version")


def lora_terms(config: dict, kernel: Term, inputs: int, outputs: int) -> list[Term]:
    """A kernel with LoRA enabled: frozen, plus trainable A (inputs × r) and B (r × outputs)."""
    rank = config.get("lora_rank")
    if not rank:
        return [kernel]
    rank = get_int(config, "lora_rank", minimum=1)
    frozen = Term(kernel.name, kernel.shape, kernel.count, False, kernel.formula)
    return [
        frozen,
        weight(f"lora_{kernel.name}_a", (inputs, rank)),
        weight(f"lora_{kernel.name}_b", (rank, outputs)),
    ]


def axes_of(value, rank: int, key: str = "axis") -> tuple[int, ...]:
    """An axis or list of axes, made non-negative for a tensor of `rank` (batch included)."""
    items = value if isinstance(value, (list, tuple)) else [value]
    axes = []
    for item in items:
        if isinstance(item, bool) or not isinstance(item, int) or not -rank <= item < rank:
            raise ConfigError(f"{key} must name axes of a rank-{rank} input, got {value!r}")
        axes.append(item % rank)
    return tuple(axes)
