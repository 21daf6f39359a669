"""Recurrent layers and their cells, Bidirectional, TimeDistributed, ConvLSTM."""

from __future__ import annotations

from ..errors import ConfigError
from ..shapes import fmt_dims
from .base import (
    Derivation,
    get_bool,
    get_int,
    kernel_macs,
    known,
    layer_rule,
    nested_entry,
    one_input,
    rename,
    weight,
)
from .convolution import _place, _spatial

# Gates per cell kind: the kernel and recurrent kernel are `gates` blocks of `units` wide.
_GATES = {"SimpleRNN": 1, "LSTM": 4, "GRU": 3}
_STATES = {"SimpleRNN": 1, "LSTM": 2, "GRU": 1}


def _cell_terms(kind: str, config: dict, features: int) -> tuple[list, int, int]:
    """Weights of one cell on `features` inputs; returns (terms, output size, state count)."""
    units = get_int(config, "units", minimum=1)
    gates = _GATES[kind]
    terms = [
        weight("kernel", (features, gates * units)),
        weight("recurrent_kernel", (units, gates * units)),
    ]
    if get_bool(config, "use_bias", True):
        if kind == "GRU" and get_bool(config, "reset_after", True):
            terms.append(weight("bias", (2, gates * units)))  # input and recurrent biases
        else:
            terms.append(weight("bias", (gates * units,)))
    return terms, units, _STATES[kind]


def _cell(class_name: str, config: dict, features: int):
    """Terms, output size and state sizes of a serialized cell (stacked cells included)."""
    kind = class_name.removesuffix("Cell")
    if class_name == "StackedRNNCells":
        cells = config.get("cells")
        if not isinstance(cells, list) or not cells:
            raise ConfigError("StackedRNNCells needs a list of cells")
        terms, states = [], []
        for index, entry in enumerate(cells):
            name, cell_config = nested_entry({"cell": entry}, "cell")
            cell_terms, features, cell_states = _cell(name, cell_config, features)
            terms += rename(cell_terms, cell_config.get("name", f"cell_{index}"))
            states += cell_states
        return terms, features, states
    if kind not in _GATES or not class_name.endswith("Cell"):
        raise ConfigError(f"no rule for the RNN cell {class_name}")
    terms, units, count = _cell_terms(kind, config, features)
    return terms, units, [units] * count


def _sequence_outputs(config: dict, shape: tuple, step: tuple, states: list) -> tuple:
    """Output shapes of a recurrent layer: the sequence or last step, then the states."""
    output = (
        (shape[0], shape[1], *step)
        if get_bool(config, "return_sequences", False)
        else (
            shape[0],
            *step,
        )
    )
    outputs = [output]
    if get_bool(config, "return_state", False):
        outputs += [(shape[0], *state) for state in states]
    return tuple(outputs)


def _describe(config: dict, shape: tuple, size: int, what: str) -> str:
    steps = shape[1]
    returns = (
        "the output at every step"
        if get_bool(config, "return_sequences", False)
        else "the last step's output"
    )
    text = f"{what} runs over {steps} steps of {shape[2]} features, {size} units; returns {returns}"
    if get_bool(config, "return_state", False):
        text += " and its final states"
    return text


def _recurrent(kind: str):
    def rule(config: dict, input_shapes: list) -> Derivation:
        """Output: (batch, units), or (batch, steps, units) with return_sequences; plus the final
            states with return_state (LSTM: 2).
        Params: kernel features × g·units + recurrent_kernel units × g·units + bias g·units, g =
            1 (SimpleRNN), 4 (LSTM), 3 (GRU; bias 2 × 3·units with reset_after).
        """
        shape = one_input(input_shapes, 3, kind)
        features = known(shape[2], "the feature count (last axis)")
        terms, units, count = _cell_terms(kind, config, features)
        outputs = _sequence_outputs(config, shape, (units,), [(units,)] * count)
        text = _describe(config, shape, units, kind)
        gates = _GATES[kind]
        if gates > 1:
            width = f"{gates} × {units} = {gates * units}"
            text += f"; {gates} gates, so each weight matrix is {width} wide"
        macs = kernel_macs([t for t in terms if t.name != "bias"], shape[1:2], "steps")
        return Derivation(outputs, tuple(terms), text, *macs)

    return rule


for _kind in _GATES:
    layer_rule(_kind)(_recurrent(_kind))


@layer_rule("RNN")
def rnn(config: dict, input_shapes: list) -> Derivation:
    """Output: as for the cell's layer: output size of the (last) cell, states with return_state.
    Params: the cells' weights, each stacked cell fed by the one before.
    """
    shape = one_input(input_shapes, 3, "RNN")
    class_name, cell_config = nested_entry(config, "cell")
    features = known(shape[2], "the feature count (last axis)")
    terms, size, states = _cell(class_name, cell_config, features)
    outputs = _sequence_outputs(config, shape, (size,), [(s,) for s in states])
    prefix = cell_config.get("name", "cell") if class_name != "StackedRNNCells" else None
    named = rename(terms, prefix) if prefix else tuple(terms)
    text = _describe(config, shape, size, f"RNN of {class_name}")
    macs = kernel_macs([t for t in named if not t.name.endswith("bias")], shape[1:2], "steps")
    return Derivation(outputs, named, text, *macs)


def _conv_lstm(rank: int):
    def rule(config: dict, input_shapes: list) -> Derivation:
        """Output: per step as a convolution with filters; steps kept with return_sequences; states
            with return_state.
        Params: kernel k₁ × … × channels × 4·filters + recurrent_kernel k₁ × … × filters ×
            4·filters + bias 4·filters.
        """
        shape = one_input(input_shapes, rank + 3, f"ConvLSTM{rank}D")
        filters = get_int(config, "filters", minimum=1)
        step = (shape[0], *shape[2:])
        kernel, sizes, axis, details, steps = _spatial(config, step, rank)
        channels = known(step[axis], "the input channel count")
        terms = [
            weight("kernel", (*kernel, channels, 4 * filters)),
            weight("recurrent_kernel", (*kernel, filters, 4 * filters)),
        ]
        if get_bool(config, "use_bias", True):
            terms.append(weight("bias", (4 * filters,)))
        state = _place(step, sizes, filters, axis)[1:]
        outputs = _sequence_outputs(config, shape, state, [state, state])
        text = (
            f"LSTM whose gates are {filters}-filter convolutions ({details}: {steps}) over "
            f"{shape[1]} steps; 4 gates, so kernels are 4 × {filters} = {4 * filters} wide; "
            f"each step {fmt_dims(step)} → {fmt_dims((None, *state))}"
        )
        # both kernels are applied at every output position of every step
        macs = kernel_macs(terms[:2], (shape[1], *sizes), "steps×positions")
        return Derivation(outputs, tuple(terms), text, *macs)

    return rule


for _rank in (1, 2, 3):
    layer_rule(f"ConvLSTM{_rank}D")(_conv_lstm(_rank))


def _inner(config: dict, key: str, input_shapes: list) -> tuple[str, dict, Derivation]:
    from . import find_rule

    class_name, inner_config = nested_entry(config, key)
    rule = find_rule(class_name, "keras.layers")
    if rule is None:
        raise ConfigError(f"no rule for the wrapped {class_name}")
    return class_name, inner_config, rule(inner_config, input_shapes)


@layer_rule("Bidirectional")
def bidirectional(config: dict, input_shapes: list) -> Derivation:
    """Output: the wrapped layer's, last axis doubled for 'concat'; two outputs for merge_mode
        None; both directions' states after.
    Params: the forward and backward layers' weights.
    """
    shape = one_input(input_shapes, what="Bidirectional")
    class_name, forward_config, forward = _inner(config, "layer", [shape])
    if config.get("backward_layer"):
        _, backward_config, backward = _inner(config, "backward_layer", [shape])
    else:
        backward_config, backward = forward_config, forward
    # Keras 3 names the copies forward_<name> and backward_<name> and writes both configs;
    # Keras 2 wrote the wrapped layer's own config, and a backward one only when given
    forward_name = str(forward_config.get("name", class_name)).removeprefix("forward_")
    backward_name = "backward_" + forward_name
    if config.get("backward_layer"):
        backward_name = str(backward_config.get("name", backward_name))
    forward_name = "forward_" + forward_name
    mode = config.get("merge_mode", "concat")
    first, second = forward.output_shapes[0], backward.output_shapes[0]
    if mode == "concat":
        last = None if None in (first[-1], second[-1]) else first[-1] + second[-1]
        merged = (first[:-1] + (last,),)
        how = f"concatenates both directions: {first[-1]} + {second[-1]} = {last} features"
    elif mode in ("sum", "mul", "ave"):
        merged = (first,)
        how = {"sum": "adds", "mul": "multiplies", "ave": "averages"}[mode] + " both directions"
    elif mode is None:
        merged = (first, second)
        how = "returns both directions separately"
    else:
        raise ConfigError(f"merge_mode must be concat, sum, mul, ave or null, got {mode!r}")
    outputs = merged + forward.output_shapes[1:] + backward.output_shapes[1:]
    terms = rename(forward.terms, forward_name) + rename(backward.terms, backward_name)
    text = f"runs {class_name} forwards and backwards over the sequence and {how}"
    macs = None if None in (forward.macs, backward.macs) else forward.macs + backward.macs
    formula = f"forward {forward.macs_formula} + backward {backward.macs_formula}"
    return Derivation(outputs, terms, text, macs, formula)


@layer_rule("TimeDistributed")
def time_distributed(config: dict, input_shapes: list) -> Derivation:
    """Output: (batch, steps) + the wrapped layer's output on one step.
    Params: the wrapped layer's.
    """
    shape = one_input(input_shapes, what="TimeDistributed")
    if len(shape) < 3:
        raise ConfigError(f"TimeDistributed needs inputs of rank 3 or more, got {shape}")
    step = (shape[0], *shape[2:])
    class_name, inner_config, inner = _inner(config, "layer", [step])
    outputs = tuple((shape[0], shape[1], *out[1:]) for out in inner.output_shapes)
    text = (
        f"applies {class_name} to each of the {shape[1]} steps with the same weights: "
        f"{inner.explanation}"
    )
    steps = shape[1]
    macs = None if inner.macs is None or steps is None else steps * inner.macs
    formula = f"{steps} steps × ({inner.macs_formula})"
    named = rename(inner.terms, inner_config.get("name", class_name))
    return Derivation(outputs, named, text, macs, formula)
