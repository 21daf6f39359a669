"""The report: frozen records of what the analysis derived, one per layer call.

Nothing here computes shapes or formats text for a terminal; renderers read these records.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .shapes import Shape  # tuple[int | None, ...]; None is an unknown dimension (the batch)


@dataclass(frozen=True)
class Term:
    """One weight variable of a layer, e.g. Dense's kernel.

    >>> Term("kernel", (1280, 1), 1280, True, "1280×1").count
    1280
    """

    name: str
    shape: tuple[int, ...]
    count: int
    trainable: bool
    formula: str


@dataclass(frozen=True)
class Params:
    """A layer's parameters, term by term. Totals are sums of the terms, never stored apart."""

    terms: tuple[Term, ...] = ()

    @property
    def total(self) -> int:
        return sum(t.count for t in self.terms)

    @property
    def trainable(self) -> int:
        return sum(t.count for t in self.terms if t.trainable)

    @property
    def non_trainable(self) -> int:
        return self.total - self.trainable


@dataclass(frozen=True)
class Memory:
    """Bytes for one example: the layer's parameters, and its outputs (activations)."""

    param_bytes: int | None = 0
    activation_bytes: int | None = 0


@dataclass(frozen=True)
class LayerReport:
    """One row: one call of one layer (a nested model is a row too, followed by its layers).

    `derived` is False when no rule knows the layer: then `output_shapes` is what the file
    records (or empty) and `params` holds no terms.
    """

    path: str
    name: str
    class_name: str
    module: str | None
    depth: int
    input_shapes: tuple[Shape, ...]
    output_shapes: tuple[Shape, ...]
    params: Params
    derived: bool
    explanation: str
    trainable: bool
    frozen_by: str | None = None  # path of the model or layer whose trainable=False froze this one
    call: int = 0  # which call of a shared layer (its weights count once, at call 0)
    params_from: str | None = "config"  # "config" (derived), "weights" (read), None (unknown)
    weights_group: str | None = None  # its group in a Keras 3 weights file, layers/dense_1
    inputs_from: tuple[str, ...] = ()  # paths of the layers whose outputs this call takes
    macs: int | None = 0  # multiply-accumulates for one example (docs/macs.md); None: unknown
    macs_formula: str = ""
    memory: Memory = Memory()
    config_used: tuple[tuple[str, object], ...] = ()  # the config values its rule read
    is_model: bool = False
    layer_count: int = 0  # for a nested model: how many layers it holds, at any depth

    @property
    def output_shape(self) -> Shape:
        """The output shape of a layer with exactly one output."""
        if len(self.output_shapes) != 1:
            raise ValueError(
                f"layer {self.path!r} has {len(self.output_shapes)} outputs; use .output_shapes"
            )
        return self.output_shapes[0]


@dataclass(frozen=True)
class Totals:
    params: int
    trainable: int
    non_trainable: int
    layers: int  # layers that hold or could hold weights, nested models excluded
    not_derived: int
    read: int = 0  # params of not-derived layers, read from the weights file
    macs: int | None = 0  # every call's MACs, one example
    param_bytes: int | None = 0
    activation_bytes: int | None = 0  # all layers' outputs for one example, added up


@dataclass(frozen=True, eq=False)
class Report:
    """Everything derived about one model.

    Two reports are equal when their architectures are: the same layers in the same order, of
    the same classes, output shapes, params and trainable params. Names, sources and explanations
    do not count, so a student's model equals the reference however its layers are named.

    >>> report = inspect_model("examples/mobilenetv2_classifier.json")  # doctest: +SKIP
    >>> report.layer("dense").params.total  # doctest: +SKIP
    1281
    """

    model_name: str
    class_name: str
    source: str
    source_format: str
    layers: tuple[LayerReport, ...]
    totals: Totals
    input_shapes: tuple[Shape, ...] = ()
    output_shapes: tuple[Shape, ...] = ()
    notes: tuple[str, ...] = field(default=())

    def __eq__(self, other):
        if not isinstance(other, Report):
            return NotImplemented
        from .testing import architecture_diff

        return not architecture_diff(self, other)

    __hash__ = None  # equality is by architecture; reports are not dictionary keys

    def layer(self, name: str) -> LayerReport:
        """The row of the layer called `name` (or with that `path`), its first call if shared."""
        for row in self.layers:
            if row.path == name:
                return row
        for row in self.layers:
            if row.name == name:
                return row
        names = ", ".join(row.path for row in self.layers)
        raise KeyError(f"no layer named {name!r} in model {self.model_name!r}; layers: {names}")
