"""Core layers: InputLayer, Dense, and the layers that pass their input through unchanged."""

from __future__ import annotations

from ..errors import ConfigError
from ..shapes import fmt_dims, fmt_shape
from .base import (
    MAX_SIZE,
    Derivation,
    get_bool,
    get_int,
    get_number,
    kernel_macs,
    known,
    layer_rule,
    lora_terms,
    one_input,
    reject_quantized,
    weight,
)


@layer_rule("InputLayer")
def input_layer(config: dict, input_shapes: list) -> Derivation:
    """Output: its batch_shape (batch_input_shape in Keras 2).
    Params: none.
    """
    if input_shapes:  # a nested model's input, fed by the enclosing model
        shape = one_input(input_shapes, what="InputLayer")
        return Derivation((shape,), (), f"receives {fmt_shape(shape)} from the enclosing model")
    shape = config.get("batch_shape", config.get("batch_input_shape"))
    if shape is None and config.get("shape") is not None:
        shape = [None, *config["shape"]]
    if (
        not isinstance(shape, (list, tuple))
        or len(shape) > 64
        or not all(
            d is None or (isinstance(d, int) and not isinstance(d, bool) and 0 <= d <= MAX_SIZE)
            for d in shape
        )
    ):
        raise ConfigError(
            f"InputLayer batch_shape must be a list of sizes from 0 to {MAX_SIZE:,}, "
            f"got {str(shape)[:60]}"
        )
    shape = tuple(shape)
    batch = "batch size left open (None)" if shape and shape[0] is None else "fixed batch size"
    return Derivation((shape,), (), f"model input: {fmt_dims(shape)} per example, {batch}")


@layer_rule("Dense")
def dense(config: dict, input_shapes: list) -> Derivation:
    """Output: the last axis becomes units.
    Params: kernel features × units + bias units; with lora_rank the kernel is frozen and
        lora_kernel_a features × r, lora_kernel_b r × units train.
    """
    shape = one_input(input_shapes, what="Dense")
    if len(shape) < 2:
        raise ConfigError(f"Dense needs an input of rank 2 or more, got {fmt_shape(shape)}")
    units = get_int(config, "units", minimum=1)
    reject_quantized(config)
    features = known(shape[-1], "Dense's input feature count (last axis)")
    terms = lora_terms(config, weight("kernel", (features, units)), features, units)
    if get_bool(config, "use_bias", True):
        terms.append(weight("bias", (units,)))
    plural = "unit" if units == 1 else "units"
    where = "" if len(shape) == 2 else f" at each of the {fmt_dims(shape[:-1])} positions"
    explanation = f"maps {features} features to {units} {plural}{where}"
    if len(terms) > 2 or (len(terms) == 2 and not terms[0].trainable):
        explanation += "; LoRA: the kernel is frozen and two low-rank factors train instead"
    macs, formula = kernel_macs([t for t in terms if t.name != "bias"], shape[1:-1], "positions")
    return Derivation((shape[:-1] + (units,),), tuple(terms), explanation, macs, formula)


def _unchanged(what: str):
    """A rule for a layer whose output has its input's shape and which holds no weights."""

    def rule(config: dict, input_shapes: list) -> Derivation:
        """Output: unchanged.
        Params: none.
        """
        shape = one_input(input_shapes)
        return Derivation((shape,), (), f"{what(config)}; shape unchanged")

    return rule


def _dropout_text(config: dict) -> str:
    rate = get_number(config, "rate")
    return f"in training zeroes each value with probability {rate:g}; at inference passes through"


def _activation_text(config: dict) -> str:
    activation = config.get("activation", "linear")
    if isinstance(activation, dict):  # a serialized activation object
        activation = activation.get("class_name", "custom")
    return f"applies {activation} to each value"


def _relu_text(config: dict) -> str:
    max_value = config.get("max_value")
    slope = config.get("negative_slope", 0.0) or 0.0
    threshold = config.get("threshold", 0.0) or 0.0
    if max_value is not None and slope == 0 and threshold == 0:
        return f"ReLU{max_value:g}: min(max(x, 0), {max_value:g}) for each value"
    parts = ["ReLU: max(x, 0) for each value" if slope == 0 else f"leaky ReLU (slope {slope:g})"]
    if threshold:
        parts.append(f"threshold {threshold:g}")
    if max_value is not None:
        parts.append(f"capped at {max_value:g}")
    return ", ".join(parts)


layer_rule("Dropout")(_unchanged(_dropout_text))
layer_rule("Activation")(_unchanged(_activation_text))
layer_rule("ReLU")(_unchanged(_relu_text))


@layer_rule("Embedding")
def embedding(config: dict, input_shapes: list) -> Derivation:
    """Output: input shape + (output_dim).
    Params: embeddings input_dim × output_dim (LoRA as for Dense).
    """
    shape = one_input(input_shapes, what="Embedding")
    reject_quantized(config)
    vocabulary = get_int(config, "input_dim", minimum=1)
    size = get_int(config, "output_dim", minimum=1)
    terms = lora_terms(config, weight("embeddings", (vocabulary, size)), vocabulary, size)
    out = shape + (size,)
    explanation = (
        f"looks up each of the {fmt_dims(shape)} token ids in a table of {vocabulary} vectors "
        f"of {size}: {fmt_dims(shape)} → {fmt_dims(out)}"
    )
    return Derivation((out,), tuple(terms), explanation)


def _reversible_embedding(config: dict, input_shapes: list, call: dict) -> Derivation:
    """Output: input shape + (output_dim); called with reverse=True, the last axis becomes
        input_dim.
    Params: embeddings input_dim × output_dim, + reverse_embeddings output_dim × input_dim
        unless tie_weights.
    """
    shape = one_input(input_shapes, what="ReversibleEmbedding")
    reject_quantized(config)
    vocabulary = get_int(config, "input_dim", minimum=1)
    size = get_int(config, "output_dim", minimum=1)
    terms = lora_terms(config, weight("embeddings", (vocabulary, size)), vocabulary, size)
    tied = get_bool(config, "tie_weights", True)
    if not tied:
        terms.append(weight("reverse_embeddings", (size, vocabulary)))
    if call.get("reverse"):
        out = shape[:-1] + (vocabulary,)
        text = f"projects {size} features back onto the {vocabulary}-token vocabulary"
    else:
        out = shape + (size,)
        text = f"looks up token ids in a table of {vocabulary} vectors of {size}"
    text += "; the reverse projection " + ("reuses the table" if tied else "has its own matrix")
    return Derivation((out,), tuple(terms), text)


_reversible_embedding.uses_call = True
layer_rule("ReversibleEmbedding")(_reversible_embedding)


@layer_rule("PReLU")
def prelu(config: dict, input_shapes: list) -> Derivation:
    """Output: unchanged.
    Params: alpha: the input shape without the batch, 1 along shared_axes.
    """
    shape = one_input(input_shapes, what="PReLU")
    alpha = list(shape[1:])
    shared = config.get("shared_axes") or []
    if isinstance(shared, int):
        shared = [shared]
    for axis in shared:
        if isinstance(axis, bool) or not isinstance(axis, int) or not 1 <= axis < len(shape):
            raise ConfigError(f"shared_axes must hold axes 1 to {len(shape) - 1}, got {shared!r}")
        alpha[axis - 1] = 1
    for i, dim in enumerate(alpha):
        known(dim, f"input axis {i + 1}")
    text = "leaky ReLU whose negative slope is learned, one per value"
    if shared:
        text += f" (shared along axes {', '.join(map(str, shared))})"
    return Derivation((shape,), (weight("alpha", tuple(alpha)),), text + "; shape unchanged")


def _elu_text(config: dict) -> str:
    return f"ELU: x if x > 0, else {config.get('alpha', 1.0):g}·(eˣ − 1)"


def _leaky_text(config: dict) -> str:
    slope = config.get("negative_slope", config.get("alpha", 0.3))
    return f"leaky ReLU: x if x > 0, else {slope:g}·x"


def _softmax_text(config: dict) -> str:
    return f"softmax along axis {config.get('axis', -1)}: values there become probabilities"


def _noise_text(kind: str):
    def text(config: dict) -> str:
        if kind == "noise":
            return f"in training adds Gaussian noise (stddev {config.get('stddev', 0):g})"
        if kind == "spatial":
            return (
                f"in training drops whole feature maps with probability {config.get('rate', 0):g}"
            )
        return f"in training applies {kind} with rate {config.get('rate', 0):g}"

    return text


layer_rule("ELU")(_unchanged(_elu_text))
layer_rule("LeakyReLU")(_unchanged(_leaky_text))
layer_rule("Softmax")(_unchanged(_softmax_text))
layer_rule("Identity")(_unchanged(lambda config: "returns its input"))
layer_rule("Masking")(
    _unchanged(
        lambda config: f"marks time steps equal to {config.get('mask_value', 0):g} as masked"
    )
)
layer_rule("ActivityRegularization")(
    _unchanged(lambda config: "adds an L1/L2 penalty on its input to the loss")
)
layer_rule("GaussianNoise")(_unchanged(_noise_text("noise")))
layer_rule("GaussianDropout")(_unchanged(_noise_text("multiplicative Gaussian noise")))
layer_rule("AlphaDropout")(_unchanged(_noise_text("alpha dropout")))
for _rank in (1, 2, 3):
    layer_rule(f"SpatialDropout{_rank}D")(_unchanged(_noise_text("spatial")))
