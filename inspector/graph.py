"""Keras model configs -> a graph of layer calls, nested models included, in topological order.

Keras 3 writes a Functional model as `layers` (each with `inbound_nodes`: the arguments of each
call, where a tensor is `{"class_name": "__keras_tensor__", "config": {"keras_history":
[layer, node_index, tensor_index], "shape": ...}}`) plus `input_layers` and `output_layers`.
A Sequential model is a plain list of layers, each fed by the one before. This module turns
both into the same structure; it computes no shapes.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field, replace

from .errors import ConfigError

MAX_MODEL_NESTING = 64


@dataclass(frozen=True)
class TensorRef:
    """Output `tensor` of call `call` of layer `layer`; `recorded_shape` is what the file wrote."""

    layer: str
    call: int
    tensor: int
    recorded_shape: tuple | None = field(default=None, compare=False)
    argument: int | str = field(default=0, compare=False)  # the call argument it was passed in


@dataclass(frozen=True)
class Constant:
    """A constant operand of an op call, e.g. the 127.5 of `x / 127.5`."""

    value: object
    argument: int | str = 0


@dataclass
class LayerNode:
    name: str
    class_name: str
    module: str | None
    registered_name: str | None
    config: dict
    calls: list[tuple] = field(default_factory=list)  # per call: operands (TensorRef | Constant)
    submodel: ModelGraph | None = None
    options: list[dict] = field(default_factory=list)  # per call: keyword arguments not tensors
    hidden: bool = False  # a Sequential model's InputLayer: Keras does not list it as a layer
    index: int = 0  # position in the config, to keep the config's order where it is valid

    @property
    def trainable(self) -> bool:
        return self.config.get("trainable", True) is not False

    @property
    def is_input(self) -> bool:
        return self.class_name == "InputLayer"

    @property
    def is_op(self) -> bool:
        return self.module is not None and self.module.startswith("keras.src.ops")


@dataclass
class ModelGraph:
    name: str
    class_name: str
    module: str | None
    config: dict
    layers: dict[str, LayerNode]
    inputs: list[TensorRef]
    outputs: list[TensorRef]
    order: list[tuple[str, int]]  # (layer name, call index), producers before consumers

    @property
    def trainable(self) -> bool:
        return self.config.get("trainable", True) is not False


def is_model_config(entry: dict) -> bool:
    config = entry.get("config")
    return isinstance(config, dict) and isinstance(config.get("layers"), list)


def build_graph(entry: dict, _depth: int = 0) -> ModelGraph:
    """Build the graph of a serialized model: `{"class_name": ..., "config": {...}}`.

    >>> g = build_graph({"class_name": "Sequential", "config": {"name": "s", "layers": [
    ...     {"class_name": "InputLayer", "config": {"name": "x", "batch_shape": [None, 4]}},
    ...     {"class_name": "Dense", "config": {"name": "d", "units": 2}}]}})
    >>> g.order
    [('x', 0), ('d', 0)]
    """
    if _depth > MAX_MODEL_NESTING:
        raise ConfigError(f"models are nested more than {MAX_MODEL_NESTING} deep")
    if not isinstance(entry, dict):
        raise ConfigError(f"a model config must be an object, got {type(entry).__name__}")
    class_name = entry.get("class_name")
    config = entry.get("config")
    if not isinstance(class_name, str) or not isinstance(config, dict):
        raise ConfigError("the model config has no class_name and config")
    if not isinstance(config.get("layers"), list):
        raise ConfigError(f"model config of class {class_name} has no list of layers")
    name = config.get("name", class_name)
    if not isinstance(name, str):
        raise ConfigError(f"model name must be a string, got {name!r}")
    if "input_layers" in config or "output_layers" in config:
        layers, inputs, outputs = _functional(config, _depth)
    else:
        layers, inputs, outputs = _sequential(name, config, entry, _depth)
    order = _topological_order(name, layers)
    return ModelGraph(name, class_name, entry.get("module"), config, layers, inputs, outputs, order)


def layer_node(entry: dict, index: int, depth: int, name: str | None = None) -> LayerNode:
    if not isinstance(entry, dict):
        raise ConfigError(f"layer {index} is not an object")
    class_name = entry.get("class_name")
    config = entry.get("config")
    if not isinstance(class_name, str):
        raise ConfigError(f"layer {index} has no class_name")
    if not isinstance(config, dict):
        raise ConfigError(f"layer {index} ({class_name}) has no config object")
    name = name if name is not None else entry.get("name", config.get("name"))
    if not isinstance(name, str) or not name:
        raise ConfigError(f"layer {index} ({class_name}) has no name")
    module = entry.get("module")
    registered = entry.get("registered_name")
    node = LayerNode(
        name=name,
        class_name=class_name,
        module=module if isinstance(module, str) else None,
        registered_name=registered if isinstance(registered, str) else None,
        config=config,
        index=index,
    )
    if is_model_config(entry):
        node.submodel = build_graph(entry, depth + 1)
    return node


def _add(layers: dict, node: LayerNode, model: str) -> None:
    if node.name in layers:
        raise ConfigError(f"model {model!r} has two layers named {node.name!r}")
    layers[node.name] = node


# ---- Functional


def _functional(config: dict, depth: int):
    model = config.get("name")
    layers: dict[str, LayerNode] = {}
    for index, entry in enumerate(config["layers"]):
        node = layer_node(entry, index, depth)
        inbound = entry.get("inbound_nodes", [])
        if not isinstance(inbound, list):
            raise ConfigError(f"layer {node.name!r}: inbound_nodes must be a list")
        node.calls = [_operands(call, node) for call in inbound]
        node.options = [_options(call) for call in inbound]
        if node.is_input:
            node.calls = [()]  # an InputLayer's one node is the input itself
        _add(layers, node, model)
    # Keras 2 wrote list-style inbound nodes, and counted a nested model's construction node in
    # them too (tf_keras functional.py, _should_skip_first_node); Keras 3 only in outputs.
    legacy = any(
        isinstance(call, list) for e in config["layers"] for call in e.get("inbound_nodes") or []
    )
    if legacy:
        for node in layers.values():
            node.calls = [
                tuple(
                    replace(ref, call=max(ref.call - 1, 0))
                    if isinstance(ref, TensorRef) and _skips_first_node(layers.get(ref.layer), True)
                    else ref
                    for ref in operands
                )
                for operands in node.calls
            ]
    inputs = [_model_ref(ref, layers, legacy) for ref in _refs(config.get("input_layers", []))]
    outputs = [_model_ref(ref, layers, legacy) for ref in _refs(config.get("output_layers", []))]
    if not outputs:
        raise ConfigError(f"model {model!r} names no output layers")
    for ref in inputs + outputs:
        _check_ref(ref, layers, f"model {model!r}")
    for node in layers.values():
        for operands in node.calls:
            for ref in operands:
                if isinstance(ref, TensorRef):
                    _check_ref(ref, layers, f"layer {node.name!r}")
    return layers, inputs, outputs


def _refs(structure) -> list[list]:
    """The [layer, node, tensor] triples of input_layers or output_layers (triple, list, dict)."""
    found = []
    stack = [structure]
    while stack:
        item = stack.pop()
        if isinstance(item, (list, tuple)) and len(item) == 3 and isinstance(item[0], str):
            found.append(list(item))
        elif isinstance(item, dict):
            stack.extend(reversed(list(item.values())))
        elif isinstance(item, (list, tuple)):
            stack.extend(reversed(item))
        else:
            raise ConfigError(f"cannot read model inputs or outputs entry {item!r}")
    return found


def _skips_first_node(node: LayerNode | None, legacy: bool) -> bool:
    """Whether Keras counts a node made when this nested model was built (functional.py:
    "Functional models start with a pre-existing node"); Keras 2 also for a Sequential model
    that begins with an InputLayer."""
    if node is None or node.submodel is None:
        return False
    if "input_layers" in node.config:
        return True
    layers = node.config.get("layers") or [{}]
    return legacy and isinstance(layers[0], dict) and layers[0].get("class_name") == "InputLayer"


def _model_ref(triple: list, layers: dict, legacy: bool = False) -> TensorRef:
    name, node_index, tensor_index = triple
    if not (isinstance(node_index, int) and isinstance(tensor_index, int)):
        raise ConfigError(f"bad tensor reference {triple!r}")
    if _skips_first_node(layers.get(name), legacy):
        node_index = max(node_index - 1, 0)
    return TensorRef(name, node_index, tensor_index)


def _check_ref(ref: TensorRef, layers: dict, where: str) -> None:
    node = layers.get(ref.layer)
    if node is None:
        raise ConfigError(f"{where} takes input from layer {ref.layer!r}, which the model lacks")
    if not 0 <= ref.call < len(node.calls):
        raise ConfigError(
            f"{where} takes input from call {ref.call} of layer {ref.layer!r}, "
            f"which has {len(node.calls)} call(s)"
        )
    if ref.tensor < 0:
        raise ConfigError(f"{where} names tensor index {ref.tensor} of layer {ref.layer!r}")


def _operands(call, node: LayerNode) -> tuple:
    """The tensors (and, for op layers, the constants) one call was made with, in order."""
    if isinstance(call, list):  # Keras 2: [[layer, node, tensor, kwargs], ...]
        refs = []
        for item in call:
            if not (isinstance(item, list) and len(item) >= 3 and isinstance(item[0], str)):
                raise ConfigError(f"layer {node.name!r}: cannot read inbound node {item!r}")
            refs.append(TensorRef(item[0], _int(item[1], node), _int(item[2], node)))
            if len(item) > 3 and isinstance(item[3], dict):  # Keras 2 kwargs may hold tensors
                refs += _keras2_kwargs(item[3], node)
        return tuple(refs)
    if not isinstance(call, dict):
        raise ConfigError(f"layer {node.name!r}: cannot read inbound node {call!r}")
    args = call.get("args", [])
    kwargs = call.get("kwargs", {})
    operands: list = []
    top = list(args) if isinstance(args, list) else [args]
    if not isinstance(kwargs, dict):
        raise ConfigError(f"layer {node.name!r}: call kwargs must be an object")
    # (item, the argument it belongs to, is that argument itself); the stack pops from the end
    stack = [(value, key, True) for key, value in reversed(list(kwargs.items()))]
    stack += [(item, index, True) for index, item in reversed(list(enumerate(top)))]
    while stack:
        item, argument, whole = stack.pop()
        if isinstance(item, dict):
            if item.get("class_name") == "__keras_tensor__":
                operands.append(_tensor(item, node, argument))
            else:
                stack.extend((v, argument, False) for v in reversed(list(item.values())))
        elif isinstance(item, (list, tuple)):
            stack.extend((v, argument, False) for v in reversed(item))
        elif whole and node.is_op and isinstance(argument, int) and _is_number(item):
            operands.append(Constant(item, argument))
    return tuple(operands)


def _options(call) -> dict:
    """A call's plain arguments: keyword ones by name (`reverse=True`), and under "args" the
    positional ones with tensors as None (GetItem's slices, Where's constants)."""
    if isinstance(call, dict):
        kwargs = call.get("kwargs")
        args = call.get("args")
    elif isinstance(call, list) and call and isinstance(call[0], list) and len(call[0]) > 3:
        kwargs, args = call[0][3], None
    else:
        kwargs, args = None, None
    options = {}
    if isinstance(kwargs, dict):
        options = {k: v for k, v in kwargs.items() if isinstance(v, (bool, int, float, str))}
    if isinstance(args, list):
        options["args"] = [_plain(a) for a in args]
    return options


def _plain(value):
    """A call argument with its tensors replaced by None (they are operands, listed apart)."""
    if isinstance(value, dict):
        if value.get("class_name") == "__keras_tensor__":
            return None
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _keras2_kwargs(kwargs: dict, node: LayerNode) -> list:
    """Tensors Keras 2 passed by keyword (MultiHeadAttention's value): [layer, node, tensor]."""
    found = []
    for key, value in kwargs.items():
        if (
            isinstance(value, list)
            and len(value) == 3
            and isinstance(value[0], str)
            and all(isinstance(v, int) and not isinstance(v, bool) for v in value[1:])
        ):
            found.append(TensorRef(value[0], value[1], value[2], None, key))
    return found


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _int(value, node: LayerNode) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ConfigError(f"layer {node.name!r}: expected an index, got {value!r}")
    return value


def _tensor(item: dict, node: LayerNode, argument: int | str) -> TensorRef:
    config = item.get("config")
    history = config.get("keras_history") if isinstance(config, dict) else None
    if not (isinstance(history, list) and len(history) == 3 and isinstance(history[0], str)):
        raise ConfigError(f"layer {node.name!r}: a tensor argument has no keras_history")
    shape = config.get("shape")
    recorded = tuple(shape) if isinstance(shape, list) else None
    return TensorRef(history[0], _int(history[1], node), _int(history[2], node), recorded, argument)


# ---- Sequential


def _sequential(name: str, config: dict, entry: dict, depth: int):
    layers: dict[str, LayerNode] = {}
    previous: TensorRef | None = None
    inputs: list[TensorRef] = []
    for index, layer_entry in enumerate(config["layers"]):
        layer_config = layer_entry.get("config") if isinstance(layer_entry, dict) else None
        layer_name = layer_config.get("name") if isinstance(layer_config, dict) else None
        node = layer_node(layer_entry, index, depth, name=layer_name)
        if node.is_input:
            if previous is not None:
                raise ConfigError(f"Sequential model {name!r} has an InputLayer after layer 1")
            node.hidden = True
            node.calls = [()]
            inputs = [TensorRef(node.name, 0, 0)]
        else:
            if previous is None:
                input_node = _implicit_input(name, config, entry, node)
                _add(layers, input_node, name)
                previous = TensorRef(input_node.name, 0, 0)
                inputs = [previous]
            node.calls = [(previous,)]
        _add(layers, node, name)
        previous = TensorRef(node.name, 0, 0)
    if previous is None:
        raise ConfigError(f"Sequential model {name!r} has no layers")
    return layers, inputs, [previous]


def _implicit_input(name: str, config: dict, entry: dict, first: LayerNode) -> LayerNode:
    """The input of a Sequential model written without an InputLayer, from what it records."""
    build_config = entry.get("build_config")
    candidates = [
        config.get("build_input_shape"),
        build_config.get("input_shape") if isinstance(build_config, dict) else None,
        first.config.get("batch_shape"),
        first.config.get("batch_input_shape"),
    ]
    if first.submodel is not None and first.submodel.inputs:
        source = first.submodel.layers[first.submodel.inputs[0].layer]
        candidates.append(source.config.get("batch_shape", source.config.get("batch_input_shape")))
    shape = next((c for c in candidates if isinstance(c, list)), None)
    if shape is None:
        raise ConfigError(
            f"Sequential model {name!r} records no input shape (it was never built), "
            f"so no shape can be derived"
        )
    node = LayerNode(
        name=f"{name}_input",
        class_name="InputLayer",
        module="keras.layers",
        registered_name=None,
        config={"name": f"{name}_input", "batch_shape": shape},
        hidden=True,
        index=-1,
    )
    node.calls = [()]
    return node


# ---- order


def _topological_order(model: str, layers: dict[str, LayerNode]) -> list[tuple[str, int]]:
    """Calls ordered so that each comes after the calls producing its inputs; among calls that
    are ready, the config's order. A cycle is an error naming the layers on it."""
    waiting: dict[tuple[str, int], int] = {}
    consumers: dict[tuple[str, int], list[tuple[str, int]]] = {}
    for node in layers.values():
        for call_index, operands in enumerate(node.calls):
            unit = (node.name, call_index)
            producers = {(r.layer, r.call) for r in operands if isinstance(r, TensorRef)}
            waiting[unit] = len(producers)
            for producer in producers:
                consumers.setdefault(producer, []).append(unit)
    ready = [(layers[n].index, c, n) for (n, c), w in waiting.items() if w == 0]
    heapq.heapify(ready)
    order = []
    while ready:
        _, call_index, name = heapq.heappop(ready)
        unit = (name, call_index)
        order.append(unit)
        for consumer in consumers.get(unit, ()):
            waiting[consumer] -= 1
            if waiting[consumer] == 0:
                heapq.heappush(ready, (layers[consumer[0]].index, consumer[1], consumer[0]))
    if len(order) != len(waiting):
        stuck = sorted({n for (n, c), w in waiting.items() if w > 0})
        raise ConfigError(
            f"model {model!r} has a cycle: layers {', '.join(stuck[:8])} wait on each other"
        )
    return order
