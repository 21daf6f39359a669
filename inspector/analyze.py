"""Walk a model graph, apply each layer's rule, propagate trainability, and sum the totals."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from .errors import ConfigError
from .graph import Constant, ModelGraph, TensorRef, build_graph, layer_node
from .report import LayerReport, Memory, Params, Report, Term, Totals
from .rules import FOREIGN, find_rule, is_keras_module
from .shapes import Scalar, fmt_product, known_product
from .sources.weights import LayerLocation, WeightIndex, snake_case


def analyze(
    model_config: dict,
    source: str = "<config>",
    source_format: str = "config",
    weights: Callable[[], WeightIndex | None] | None = None,
) -> Report:
    """Derive a Report from a serialized model (`{"class_name": ..., "config": {...}}`).

    >>> cfg = {"class_name": "Sequential", "config": {"name": "s", "layers": [
    ...     {"class_name": "InputLayer", "config": {"name": "x", "batch_shape": [None, 4]}},
    ...     {"class_name": "Dense", "config": {"name": "d", "units": 2}}]}}
    >>> analyze(cfg).totals.params
    10

    `weights`, when given, is called (once, and only if some layer is not derived) for the
    shapes of the weight arrays the file holds; a layer no rule derives then shows the params
    read from them, marked as read.
    """
    graph = build_graph(model_config)
    walker = _Walker(weights)
    outputs = walker.model(graph, "", "", depth=0, input_shapes=None, frozen_by=None)
    rows = tuple(walker.rows)
    totals = _totals(rows)
    fed = [walker.tensors["", r.layer, r.call] for r in graph.inputs]
    input_shapes = tuple(
        t[r.tensor] for t, r in zip(fed, graph.inputs, strict=True) if r.tensor < len(t)
    )
    return Report(
        model_name=graph.name,
        class_name=graph.class_name,
        source=source,
        source_format=source_format,
        layers=rows,
        totals=totals,
        input_shapes=input_shapes,
        output_shapes=tuple(outputs),
    )


def _totals(rows) -> Totals:
    """Each layer's weights once (shared layers), every call's MACs and outputs."""
    leaves = _unique_leaves(rows)
    calls = [row for row in rows if not row.is_model]
    params = Params(tuple(t for row in leaves for t in row.params.terms))
    return Totals(
        params=params.total,
        trainable=params.trainable,
        non_trainable=params.non_trainable,
        layers=len(leaves),
        not_derived=sum(1 for row in leaves if not row.derived),
        read=sum(row.params.total for row in leaves if row.params_from == "weights"),
        macs=_sum(row.macs for row in calls if row.derived),
        param_bytes=_sum(row.memory.param_bytes for row in leaves),
        activation_bytes=_sum(row.memory.activation_bytes for row in calls),
    )


def _unique_leaves(rows) -> list[LayerReport]:
    """Each layer once (a shared layer's weights count once), nested model rows left out."""
    seen: dict[str, LayerReport] = {}
    for row in rows:
        if not row.is_model and row.path not in seen:
            seen[row.path] = row
    return list(seen.values())


class _Walker:
    def __init__(self, weights=None):
        self._load_weights = weights
        self._weights = None
        self.rows: list[LayerReport] = []
        # (model path, layer name, call index) -> output shapes of that call
        self.tensors: dict[tuple[str, str, int], tuple] = {}

    def weights(self):
        if self._load_weights is not None:
            self._weights, self._load_weights = self._load_weights(), None
        return self._weights

    def model(
        self, graph: ModelGraph, prefix: str, group: str, depth: int, input_shapes, frozen_by
    ):
        """Walk one (possibly nested) model; returns the shapes of its outputs.

        `prefix` is the model's path ("" or "base/"); `group` its group in a Keras 3 weights file.
        """
        key = prefix  # the model's own path: tensors of nested models never collide
        groups = _weight_groups(graph, group)
        fed = {}
        if input_shapes is not None:
            if len(input_shapes) != len(graph.inputs):
                raise ConfigError(
                    f"model {graph.name!r} takes {len(graph.inputs)} input(s) "
                    f"but is called with {len(input_shapes)}"
                )
            fed = dict(zip((r.layer for r in graph.inputs), input_shapes, strict=True))
        recorded = _recorded_shapes(graph)
        for name, call in graph.order:
            node = graph.layers[name]
            path = prefix + name
            layer_frozen_by = frozen_by or (None if node.trainable else path)
            rule = (
                None
                if node.submodel
                else find_rule(node.class_name, node.module, node.registered_name)
            )
            producers: tuple[str, ...] = ()
            if node.is_input:
                shapes = [fed[name]] if name in fed else []
            else:
                operands = _inputs(node, rule, node.calls[call])
                shapes = [self._operand_shape(key, ref, recorded) for ref in operands]
                producers = tuple(
                    prefix + ref.layer
                    for ref in operands
                    if isinstance(ref, TensorRef) and not graph.layers[ref.layer].hidden
                )
            location = LayerLocation(path, groups.get(name, ""))
            if node.submodel is not None:
                outputs = self._nested(
                    node, location, depth, shapes, layer_frozen_by, call, producers
                )
            else:
                outputs = self._layer(
                    node, rule, location, depth, shapes, layer_frozen_by, recorded, call, producers
                )
            self.tensors[key, name, call] = outputs
        outputs = [self._operand_shape(key, ref, recorded) for ref in graph.outputs]
        return [shape for shape in outputs if shape is not None]

    def _operand_shape(self, key: str, operand, recorded):
        """The operand's shape; None when nothing upstream could derive or record it."""
        if isinstance(operand, Constant):
            return Scalar(operand.value)
        outputs = self.tensors[key, operand.layer, operand.call]
        if operand.tensor < len(outputs) and outputs[operand.tensor] is not None:
            return outputs[operand.tensor]
        return operand.recorded_shape

    def _nested(self, node, location, depth: int, shapes, frozen_by, call: int, producers=()):
        path = location.path
        start = len(self.rows)
        outputs = self.model(
            node.submodel, path + "/", location.keras3_group, depth + 1, shapes, frozen_by
        )
        inner = self.rows[start:]
        leaves = _unique_leaves(inner)
        params = Params(tuple(t for row in leaves for t in row.params.terms))
        not_derived = sum(1 for row in leaves if not row.derived)
        leaf_calls = [row for row in inner if not row.is_model]
        explanation = _model_explanation(node.submodel, len(leaves), params, frozen_by, not_derived)
        row = LayerReport(
            path=path,
            name=node.name,
            class_name=node.class_name,
            module=node.module,
            depth=depth,
            input_shapes=tuple(s for s in shapes if s is not None),
            output_shapes=tuple(outputs),
            params=params,
            derived=not_derived == 0,
            explanation=explanation,
            trainable=frozen_by is None,
            frozen_by=frozen_by,
            is_model=True,
            layer_count=len(leaves),
            call=call,
            inputs_from=producers,
            macs=_sum(row.macs for row in leaf_calls if row.derived),
            macs_formula="the sum of its layers' MACs",
            memory=Memory(
                _sum(row.memory.param_bytes for row in leaves),
                _sum(row.memory.activation_bytes for row in leaf_calls),
            ),
        )
        self.rows.insert(start, row)
        return tuple(outputs)

    def _layer(self, node, rule, location, depth, shapes, frozen_by, recorded, call, producers=()):
        path = location.path
        derived = rule is not None
        macs, macs_formula, used = None, "", ()
        if rule is None:
            where = f" from {node.module}" if node.module else ""
            outputs = recorded.get((node.name, call), ())
            if node.class_name in FOREIGN and is_keras_module(node.module):
                why = f"{node.class_name} wraps {FOREIGN[node.class_name]}, which is never loaded"
            else:
                why = f"no rule for {node.class_name}{where}"
            explanation = f"not derived: {why}; output shape as the file records it"
            terms = ()
        elif any(shape is None for shape in shapes):
            derived = False
            outputs = recorded.get((node.name, call), ())
            terms = ()
            explanation = (
                "not derived: an input's shape is unknown because a layer before it was not derived"
            )
        else:
            try:
                config = _Recording(node.config)
                if getattr(rule, "uses_call", False):
                    options = node.options[call] if call < len(node.options) else {}
                    result = rule(config, list(shapes), options)
                else:
                    result = rule(config, list(shapes))
                used = tuple((key, node.config.get(key)) for key in config.read if key != "name")
                outputs, terms, explanation = result.output_shapes, result.terms, result.explanation
                macs, macs_formula = result.macs, result.macs_formula
            except ConfigError as exc:
                derived = False
                outputs = recorded.get((node.name, call), ())
                terms = ()
                explanation = f"not derived: {exc}"
        params_from = "config" if derived else None
        if not derived and not node.hidden and call == 0:
            terms = self._read_terms(location)
            if terms is None:
                terms = ()
                explanation += "; params not counted (no weights file)"
            else:
                params_from = "weights"
                explanation += f"; params read from the weights file ({len(terms)} arrays)"
        if call > 0:
            explanation += f"; call {call + 1} of this shared layer: its weights count once"
        if frozen_by is not None:
            terms = tuple(replace(t, trainable=False) for t in terms)
        if node.hidden and derived:  # a Sequential model's input: a row only when it is broken
            return tuple(outputs)
        self.rows.append(
            LayerReport(
                path=path,
                name=node.name,
                class_name=node.class_name,
                module=node.module,
                depth=depth,
                input_shapes=tuple(
                    s for s in shapes if s is not None and not isinstance(s, Scalar)
                ),
                output_shapes=tuple(tuple(s) for s in outputs if s is not None),
                params=Params(tuple(terms)),
                derived=derived,
                explanation=explanation,
                trainable=frozen_by is None,
                frozen_by=frozen_by,
                call=call,
                inputs_from=producers,
                params_from=params_from,
                macs=macs,
                macs_formula=macs_formula,
                memory=_memory(node.config, terms, outputs),
                config_used=used,
                weights_group=location.keras3_group or None,
            )
        )
        return tuple(outputs)

    def _read_terms(self, location) -> tuple | None:
        """A not-derived layer's params as the weights file holds them, or None without one."""
        index = self.weights()
        if index is None:
            return None
        terms = []
        for array in index.for_layer(location):
            if index.kind == "keras3":
                name = array.path.removeprefix(location.keras3_group + "/")
            elif index.kind == "legacy":
                name = array.path.rsplit("/", 1)[-1]
            else:
                name = array.path
            trainable = True if array.trainable is None else array.trainable
            terms.append(Term(name, array.shape, array.count, trainable, fmt_product(array.shape)))
        return tuple(terms)


def analyze_layers(
    name: str,
    class_name: str,
    entries: list[tuple[dict, list]],
    trainable: bool = True,
    source: str = "<model>",
    weights=None,
) -> Report:
    """A report of layers whose connections are unknown (a subclassed model's sublayers): each
    is derived on the input shapes Keras built it with."""
    walker = _Walker(weights)
    frozen_by = None if trainable else name
    for index, (entry, shapes) in enumerate(entries):
        node = layer_node(entry, index, 1)
        node.calls, node.options = [()], [{}]
        location = LayerLocation(node.name, "")
        layer_frozen_by = frozen_by or (None if node.trainable else node.name)
        if node.submodel is not None:
            walker._nested(node, location, 0, None, layer_frozen_by, 0)
            continue
        rule = find_rule(node.class_name, node.module, node.registered_name)
        shapes = [tuple(s) for s in shapes if isinstance(s, (list, tuple))]
        if rule is not None and not shapes:
            rule = None
        walker._layer(node, rule, location, 0, shapes, layer_frozen_by, {}, 0)
    rows = tuple(walker.rows)
    totals = _totals(rows)
    note = (
        f"{class_name} is a subclassed model: how its call() connects the layers is Python "
        f"code, which is not run, so each layer is derived on the input shape Keras built it "
        f"with and the model's own input and output shapes are unknown"
    )
    return Report(name, class_name, source, "live", rows, totals, notes=(note,))


# Call keywords whose tensors are not the layer's inputs
_NOT_INPUTS = frozenset(
    {
        "mask",
        "initial_state",
        "training",
        "attention_mask",
        "constants",
        "query_mask",
        "value_mask",
        "key_mask",
        "use_causal_mask",
        "return_attention_scores",
    }
)


def _inputs(node, rule, operands) -> list:
    """The operands a rule takes as its inputs, in the order it takes them.

    An op takes all its operands. A rule with an `arguments` tuple (MultiHeadAttention's
    `("query", "value", "key")`) takes those arguments, by position or keyword. Any other layer
    takes the tensors of its first argument (a list for merge layers), or, when it was called
    by keyword only, the keyword tensors that are not masks or states.
    """
    if node.is_op:
        return list(operands)
    names = getattr(rule, "arguments", None)
    if names:
        return [
            op
            for index, name in enumerate(names)
            for op in operands
            if op.argument == index or op.argument == name
        ]
    first = [op for op in operands if op.argument == 0]
    if first:
        return first
    return [
        op for op in operands if isinstance(op.argument, str) and op.argument not in _NOT_INPUTS
    ]


class _Recording(dict):
    """A layer config that remembers which keys its rule read, for --explain."""

    def __init__(self, config: dict):
        super().__init__(config)
        self.read: list[str] = []

    def get(self, key, default=None):
        if key not in self.read:
            self.read.append(key)
        return super().get(key, default)

    def __getitem__(self, key):
        if key not in self.read:
            self.read.append(key)
        return super().__getitem__(key)


def _sum(values) -> int | None:
    """A total that is unknown as soon as one part is."""
    total = 0
    for value in values:
        if value is None:
            return None
        total += value
    return total


_BYTES = {
    "float16": 2,
    "bfloat16": 2,
    "float32": 4,
    "float64": 8,
    "int8": 1,
    "uint8": 1,
    "int16": 2,
    "int32": 4,
    "int64": 8,
    "bool": 1,
    "float8_e4m3fn": 1,
    "float8_e5m2": 1,
}


def _dtype_policy(config: dict) -> str:
    dtype = config.get("dtype", "float32")
    if isinstance(dtype, dict):
        dtype = (dtype.get("config") or {}).get("name", "float32")
    return dtype if isinstance(dtype, str) else "float32"


def _memory(config: dict, terms, outputs) -> Memory:
    """Parameter bytes by the variables' dtype; output bytes for one example by the compute
    dtype. A mixed_float16 policy keeps float32 variables and computes in float16."""
    policy = _dtype_policy(config)
    variable, compute = ("float32", policy[6:]) if policy.startswith("mixed_") else (policy,) * 2
    param_bytes = sum(t.count for t in terms) * _BYTES.get(variable, 4)
    elements = [known_product(shape[1:]) for shape in outputs if shape is not None]
    activation = None if None in elements else sum(elements) * _BYTES.get(compute, 4)
    return Memory(param_bytes, activation)


def _weight_groups(graph: ModelGraph, group: str) -> dict[str, str]:
    """Each layer's group in a Keras 3 weights file: the model's `layers` list (no op layers, no
    Sequential InputLayer) named by snake-cased class, `_1`, `_2`... on repeats (saving_lib)."""
    used: dict[str, int] = {}
    groups = {}
    for node in sorted(graph.layers.values(), key=lambda n: n.index):
        if node.hidden or node.is_op:
            continue
        name = snake_case(node.class_name)
        if name in used:
            used[name] += 1
            name = f"{name}_{used[name]}"
        else:
            used[name] = 0
        groups[node.name] = f"{group}/layers/{name}" if group else f"layers/{name}"
    return groups


def _recorded_shapes(graph: ModelGraph) -> dict[tuple[str, int], tuple]:
    """What the file records of each call's outputs: the shapes its consumers were given.

    Used only for layers that no rule derives, and marked so in the report."""
    found: dict[tuple[str, int], dict[int, tuple]] = {}
    for node in graph.layers.values():
        for operands in node.calls:
            for ref in operands:
                if isinstance(ref, TensorRef) and ref.recorded_shape is not None:
                    found.setdefault((ref.layer, ref.call), {})[ref.tensor] = ref.recorded_shape
    result = {}
    for key, by_index in found.items():
        count = max(by_index) + 1
        result[key] = tuple(by_index.get(i) for i in range(count))
    return result


def _model_explanation(graph: ModelGraph, layers: int, params: Params, frozen_by, not_derived):
    text = f"{graph.class_name} model of {layers} layers holding {params.total:,} params"
    if params.total and frozen_by is not None:
        text += f", all non-trainable because {frozen_by} has trainable=False"
    elif params.non_trainable:
        text += f" ({params.trainable:,} trainable, {params.non_trainable:,} non-trainable)"
    if not_derived:
        text += f"; {not_derived} of its layers not derived"
    return text
