"""Hypothesis strategies for Keras layers and models: valid configurations drawn with their
dependent parameters consistent (a kernel no larger than its input under 'valid' padding,
channels divisible by groups, heads × key_dim, ...).

For course authors and for our own tests: draw a spec, build it with Keras, and compare what
`inspector` derives with what Keras builds. Importing this module imports hypothesis; importing
`inspector` does not. Keras is imported by `spec.build(keras)` only, by the caller.

    from hypothesis import given
    from inspector import strategies

    @given(strategies.layers("convolution"))
    def test_conv(spec):
        model = spec.build(keras)
        ...

Each spec is a frozen dataclass whose repr shows exactly what was drawn.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from hypothesis import strategies as st

Shape = tuple  # without the batch axis


@dataclass(frozen=True)
class LayerSpec:
    """One Keras layer class with its keyword arguments, applied to inputs of these shapes."""

    class_name: str
    kwargs: dict
    input_shapes: tuple[Shape, ...]
    call_kwargs: dict = field(default_factory=dict)
    wrapper: tuple | None = None  # ("Bidirectional", {...}) around the layer

    def layer(self, keras):
        layer = getattr(keras.layers, self.class_name)(**self.kwargs)
        if self.wrapper:
            name, kwargs = self.wrapper
            layer = getattr(keras.layers, name)(layer, **kwargs)
        return layer

    def build(self, keras):
        """A Functional model: Inputs of `input_shapes`, then this layer."""
        inputs = [keras.Input(shape) for shape in self.input_shapes]
        layer = self.layer(keras)
        if self.class_name in ("MultiHeadAttention", "GroupQueryAttention"):
            outputs = layer(*inputs, **self.call_kwargs)
        elif len(inputs) > 1:
            outputs = layer(inputs, **self.call_kwargs)
        else:
            outputs = layer(inputs[0], **self.call_kwargs)
        return keras.Model(inputs, outputs)


@dataclass(frozen=True)
class ModelSpec:
    """A small model: `kind` is "sequential", "functional" (branches and a merge) or "nested"
    (a base model, possibly frozen, inside a Sequential with a head)."""

    kind: str
    input_shape: Shape
    layers: tuple[LayerSpec, ...] = ()
    branches: tuple[tuple[LayerSpec, ...], ...] = ()
    merge: str = "Add"
    head: tuple[LayerSpec, ...] = ()
    frozen: bool = False

    def build(self, keras):
        if self.kind == "sequential":
            return keras.Sequential(
                [keras.Input(self.input_shape), *(s.layer(keras) for s in self.layers)]
            )
        if self.kind == "functional":
            inputs = keras.Input(self.input_shape)
            x = inputs
            for spec in self.layers:
                x = spec.layer(keras)(x)
            outputs = []
            for branch in self.branches:
                y = x
                for spec in branch:
                    y = spec.layer(keras)(y)
                outputs.append(y)
            merged = getattr(keras.layers, self.merge)()(outputs)
            for spec in self.head:
                merged = spec.layer(keras)(merged)
            return keras.Model(inputs, merged)
        base = keras.Sequential(
            [keras.Input(self.input_shape), *(s.layer(keras) for s in self.layers)], name="base"
        )
        base.trainable = not self.frozen
        return keras.Sequential(
            [keras.Input(self.input_shape), base, *(s.layer(keras) for s in self.head)]
        )


SIZES = st.integers(1, 12)
SMALL = st.integers(1, 6)
UNITS = st.integers(1, 32)
BOOLS = st.booleans()
PADDINGS = st.sampled_from(["valid", "same"])


# ---- per family


@st.composite
def dense_layers(draw) -> LayerSpec:
    rank = draw(st.integers(1, 3))
    shape = tuple(draw(st.lists(SIZES, min_size=rank, max_size=rank)))
    kwargs = {"units": draw(UNITS), "use_bias": draw(BOOLS)}
    return LayerSpec("Dense", kwargs, (shape,))


@st.composite
def embedding_layers(draw) -> LayerSpec:
    kwargs = {"input_dim": draw(st.integers(2, 500)), "output_dim": draw(UNITS)}
    return LayerSpec("Embedding", kwargs, ((draw(SIZES),),))


@st.composite
def _window(draw, rank: int, allow_causal: bool = False, allow_dilation: bool = True):
    """kernel, strides, dilation, padding and a spatial input the window fits in."""
    kernel = tuple(draw(st.lists(st.integers(1, 4), min_size=rank, max_size=rank)))
    strides = tuple(draw(st.lists(st.integers(1, 3), min_size=rank, max_size=rank)))
    dilated = allow_dilation and all(s == 1 for s in strides) and draw(BOOLS)
    dilation = (2,) * rank if dilated else (1,) * rank
    paddings = ["valid", "same"] + (["causal"] if allow_causal else [])
    padding = draw(st.sampled_from(paddings))
    spans = [d * (k - 1) + 1 for k, d in zip(kernel, dilation, strict=True)]
    spatial = tuple(draw(st.integers(span, span + 9)) for span in spans)
    return kernel, strides, dilation, padding, spatial


@st.composite
def convolution_layers(draw) -> LayerSpec:
    kind = draw(st.sampled_from(["Conv", "ConvTranspose", "DepthwiseConv", "SeparableConv"]))
    rank = draw(st.integers(1, 3 if kind in ("Conv", "ConvTranspose") else 2))
    causal = kind == "Conv" and rank == 1
    kernel, strides, dilation, padding, spatial = draw(
        _window(rank, allow_causal=causal, allow_dilation=kind != "ConvTranspose")
    )
    channels = draw(st.integers(1, 6))
    kwargs = {
        "kernel_size": kernel,
        "strides": strides,
        "padding": padding,
        "use_bias": draw(BOOLS),
    }
    if kind != "ConvTranspose":
        kwargs["dilation_rate"] = dilation
    if kind in ("Conv", "ConvTranspose", "SeparableConv"):
        kwargs["filters"] = draw(st.integers(1, 8))
    if kind == "Conv":
        groups = draw(st.sampled_from([g for g in range(1, channels + 1) if channels % g == 0]))
        kwargs["filters"] = groups * draw(st.integers(1, 3))
        kwargs["groups"] = groups
    if kind in ("DepthwiseConv", "SeparableConv"):
        kwargs["depth_multiplier"] = draw(st.integers(1, 3))
    name = f"Conv{rank}DTranspose" if kind == "ConvTranspose" else f"{kind}{rank}D"
    return LayerSpec(name, kwargs, (spatial + (channels,),))


@st.composite
def pooling_layers(draw) -> LayerSpec:
    rank = draw(st.integers(1, 3))
    kind = draw(
        st.sampled_from(
            ["MaxPooling", "AveragePooling", "GlobalAveragePooling", "GlobalMaxPooling"]
        )
    )
    channels = draw(st.integers(1, 4))
    if kind.startswith("Global"):
        spatial = tuple(draw(st.lists(SIZES, min_size=rank, max_size=rank)))
        return LayerSpec(f"{kind}{rank}D", {"keepdims": draw(BOOLS)}, (spatial + (channels,),))
    kernel, strides, _, padding, spatial = draw(_window(rank, allow_dilation=False))
    kwargs = {"pool_size": kernel, "strides": strides, "padding": padding}
    return LayerSpec(f"{kind}{rank}D", kwargs, (spatial + (channels,),))


@st.composite
def normalization_layers(draw) -> LayerSpec:
    kind = draw(
        st.sampled_from(
            [
                "BatchNormalization",
                "LayerNormalization",
                "GroupNormalization",
                "RMSNormalization",
                "UnitNormalization",
            ]
        )
    )
    shape = tuple(draw(st.lists(st.integers(1, 8), min_size=1, max_size=3)))
    kwargs: dict = {}
    if kind == "BatchNormalization":
        kwargs = {"center": draw(BOOLS), "scale": draw(BOOLS)}
    elif kind == "LayerNormalization":
        axes = draw(
            st.lists(st.integers(1, len(shape)), min_size=1, max_size=len(shape), unique=True)
        )
        kwargs = {"axis": sorted(axes), "center": draw(BOOLS), "scale": draw(BOOLS)}
    elif kind == "GroupNormalization":
        channels = shape[-1]
        kwargs = {
            "groups": draw(
                st.sampled_from([g for g in range(1, channels + 1) if channels % g == 0])
            )
        }
    return LayerSpec(kind, kwargs, (shape,))


@st.composite
def recurrent_layers(draw) -> LayerSpec:
    kind = draw(st.sampled_from(["SimpleRNN", "LSTM", "GRU", "Bidirectional", "ConvLSTM1D"]))
    steps, features = draw(SIZES), draw(SIZES)
    kwargs = {"return_sequences": draw(BOOLS), "return_state": draw(BOOLS)}
    if kind == "ConvLSTM1D":
        kernel, strides, _, padding, spatial = draw(_window(1, allow_dilation=False))
        kwargs.update(filters=draw(SMALL), kernel_size=kernel, strides=strides, padding=padding)
        return LayerSpec(kind, kwargs, ((steps, *spatial, features),))
    kwargs["units"] = draw(st.integers(1, 16))
    if kind == "Bidirectional":
        inner = draw(st.sampled_from(["SimpleRNN", "LSTM", "GRU"]))
        mode = draw(st.sampled_from(["concat", "sum", "mul", "ave", None]))
        return LayerSpec(inner, kwargs, ((steps, features),), wrapper=(kind, {"merge_mode": mode}))
    if kind == "GRU":
        kwargs["reset_after"] = draw(BOOLS)
    return LayerSpec(kind, kwargs, ((steps, features),))


@st.composite
def attention_layers(draw) -> LayerSpec:
    kind = draw(
        st.sampled_from(
            ["MultiHeadAttention", "GroupQueryAttention", "Attention", "AdditiveAttention"]
        )
    )
    tq, tv, features = draw(SIZES), draw(SIZES), draw(st.integers(1, 16))
    if kind == "MultiHeadAttention":
        kwargs = {
            "num_heads": draw(SMALL),
            "key_dim": draw(SMALL),
            "value_dim": draw(st.one_of(st.none(), SMALL)),
            "use_bias": draw(BOOLS),
            "output_shape": draw(st.one_of(st.none(), SMALL)),
        }
        return LayerSpec(kind, kwargs, ((tq, features), (tv, draw(st.integers(1, 16)))))
    if kind == "GroupQueryAttention":
        groups = draw(st.integers(1, 4))
        kwargs = {
            "head_dim": draw(SMALL),
            "num_query_heads": groups * draw(st.integers(1, 3)),
            "num_key_value_heads": groups,
            "use_bias": draw(BOOLS),
        }
        return LayerSpec(kind, kwargs, ((tq, features), (tv, features)))
    kwargs = {"use_scale": draw(BOOLS)}
    return LayerSpec(kind, kwargs, ((tq, features), (tv, features)))


@st.composite
def reshaping_layers(draw) -> LayerSpec:
    kind = draw(
        st.sampled_from(
            [
                "Flatten",
                "Reshape",
                "Permute",
                "RepeatVector",
                "Cropping2D",
                "UpSampling2D",
                "ZeroPadding2D",
            ]
        )
    )
    if kind == "RepeatVector":
        return LayerSpec(kind, {"n": draw(SMALL)}, ((draw(SIZES),),))
    shape = (draw(st.integers(3, 10)), draw(st.integers(3, 10)), draw(SMALL))
    if kind == "Flatten":
        return LayerSpec(kind, {}, (shape,))
    if kind == "Reshape":
        total = shape[0] * shape[1] * shape[2]
        last = draw(st.sampled_from([d for d in range(1, total + 1) if total % d == 0]))
        return LayerSpec(kind, {"target_shape": (-1, last)}, (shape,))
    if kind == "Permute":
        return LayerSpec(kind, {"dims": tuple(draw(st.permutations([1, 2, 3])))}, (shape,))
    if kind == "Cropping2D":
        crop = (
            (draw(st.integers(0, 1)), draw(st.integers(0, 1))),
            (draw(st.integers(0, 1)), draw(st.integers(0, 1))),
        )
        return LayerSpec(kind, {"cropping": crop}, (shape,))
    if kind == "UpSampling2D":
        return LayerSpec(kind, {"size": (draw(SMALL), draw(SMALL))}, (shape,))
    pad = ((draw(SMALL), draw(SMALL)), (draw(SMALL), draw(SMALL)))
    return LayerSpec(kind, {"padding": pad}, (shape,))


@st.composite
def merging_layers(draw) -> LayerSpec:
    kind = draw(
        st.sampled_from(
            ["Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum", "Concatenate", "Dot"]
        )
    )
    shape = tuple(draw(st.lists(SIZES, min_size=1, max_size=3)))
    count = 2 if kind in ("Subtract", "Dot") else draw(st.integers(2, 3))
    if kind == "Concatenate":
        axis = draw(st.integers(1, len(shape)))
        shapes = tuple(
            tuple(draw(SIZES) if i == axis - 1 else d for i, d in enumerate(shape))
            for _ in range(count)
        )
        return LayerSpec(kind, {"axis": axis}, shapes)
    if kind == "Dot":
        return LayerSpec(kind, {"axes": len(shape)}, (shape, shape))
    return LayerSpec(kind, {}, (shape,) * count)


@st.composite
def activation_layers(draw) -> LayerSpec:
    kind = draw(
        st.sampled_from(
            [
                "ReLU",
                "LeakyReLU",
                "ELU",
                "Softmax",
                "PReLU",
                "Dropout",
                "Activation",
                "GaussianNoise",
            ]
        )
    )
    shape = tuple(draw(st.lists(SIZES, min_size=1, max_size=3)))
    kwargs = {
        "ReLU": {"max_value": draw(st.one_of(st.none(), st.floats(1, 10)))},
        "Dropout": {"rate": 0.5},
        "Activation": {"activation": draw(st.sampled_from(["relu", "tanh", "sigmoid"]))},
        "GaussianNoise": {"stddev": 0.1},
        "PReLU": {"shared_axes": sorted(draw(st.sets(st.integers(1, len(shape)))))},
    }.get(kind, {})
    return LayerSpec(kind, kwargs, (shape,))


FAMILIES = {
    "core": dense_layers(),
    "embedding": embedding_layers(),
    "convolution": convolution_layers(),
    "pooling": pooling_layers(),
    "normalization": normalization_layers(),
    "recurrent": recurrent_layers(),
    "attention": attention_layers(),
    "reshaping": reshaping_layers(),
    "merging": merging_layers(),
    "activation": activation_layers(),
}


def layers(family: str | None = None) -> st.SearchStrategy[LayerSpec]:
    """Specs of one layer family (a key of FAMILIES), or of any family."""
    if family is None:
        return st.one_of(*FAMILIES.values())
    return FAMILIES[family]


# ---- whole models


@st.composite
def image_stacks(draw, size: int, max_layers: int = 5) -> tuple[tuple[LayerSpec, ...], int]:
    """Conv/BN/ReLU/pooling layers on size×size images; returns them and the size after."""
    specs = []
    for _ in range(draw(st.integers(1, max_layers))):
        kind = draw(
            st.sampled_from(
                ["Conv2D", "BatchNormalization", "ReLU", "MaxPooling2D", "DepthwiseConv2D"]
            )
        )
        if kind == "MaxPooling2D" and size < 2:
            continue
        if kind == "Conv2D":
            stride = draw(st.integers(1, 2))
            kwargs = {
                "filters": draw(st.integers(1, 8)),
                "kernel_size": draw(st.integers(1, 3)),
                "strides": stride,
                "padding": "same",
            }
            size = -(-size // stride)
        elif kind == "DepthwiseConv2D":
            kwargs = {"kernel_size": 3, "padding": "same"}
        elif kind == "MaxPooling2D":
            kwargs = {"pool_size": 2}
            size //= 2
        else:
            kwargs = {}
        specs.append(LayerSpec(kind, kwargs, ()))
    return tuple(specs), size


HEADS = st.sampled_from(["GlobalAveragePooling2D", "GlobalMaxPooling2D", "Flatten"])


@st.composite
def sequential_models(draw) -> ModelSpec:
    size = draw(st.integers(4, 24))
    stack, _ = draw(image_stacks(size))
    head = (LayerSpec(draw(HEADS), {}, ()), LayerSpec("Dense", {"units": draw(UNITS)}, ()))
    return ModelSpec("sequential", (size, size, draw(SMALL)), stack + head)


@st.composite
def functional_models(draw) -> ModelSpec:
    """A stem, 2 or 3 branches of 'same' convolutions merged by Add or Concatenate, a head."""
    size = draw(st.integers(4, 16))
    merge = draw(st.sampled_from(["Add", "Concatenate", "Maximum"]))
    width = draw(st.integers(1, 8))
    branches = []
    for _ in range(draw(st.integers(2, 3))):
        filters = width if merge != "Concatenate" else draw(st.integers(1, 8))
        conv = LayerSpec(
            "Conv2D",
            {"filters": filters, "kernel_size": draw(st.integers(1, 3)), "padding": "same"},
            (),
        )
        extra = draw(st.sampled_from([(), (LayerSpec("BatchNormalization", {}, ()),)]))
        branches.append((conv, *extra))
    stem = (LayerSpec("Conv2D", {"filters": width, "kernel_size": 3, "padding": "same"}, ()),)
    head = (
        LayerSpec("GlobalAveragePooling2D", {}, ()),
        LayerSpec("Dense", {"units": draw(UNITS)}, ()),
    )
    return ModelSpec("functional", (size, size, draw(SMALL)), stem, tuple(branches), merge, head)


@st.composite
def nested_models(draw) -> ModelSpec:
    """A base Sequential, frozen or not, inside a Sequential with a pooled Dense head."""
    size = draw(st.integers(4, 24))
    stack, _ = draw(image_stacks(size))
    head = (LayerSpec(draw(HEADS), {}, ()), LayerSpec("Dense", {"units": draw(UNITS)}, ()))
    return ModelSpec("nested", (size, size, draw(SMALL)), stack, head=head, frozen=draw(BOOLS))


def models() -> st.SearchStrategy[ModelSpec]:
    return st.one_of(sequential_models(), functional_models(), nested_models())


# ---- the course's MobileNetV2 classifier


@dataclass(frozen=True)
class MobileNetV2Spec:
    """keras.applications.MobileNetV2(weights=None) with a pooled Dense head, as in the course."""

    alpha: float
    input_shape: Shape
    include_top: bool
    pooling: str | None
    units: int
    frozen: bool

    def build(self, keras):
        base = keras.applications.MobileNetV2(
            input_shape=self.input_shape,
            alpha=self.alpha,
            include_top=self.include_top,
            weights=None,
            pooling=self.pooling,
        )
        base.trainable = not self.frozen
        layers = [base]
        if not self.include_top and self.pooling is None:
            layers.append(keras.layers.GlobalAveragePooling2D())
        layers.append(keras.layers.Dense(self.units))
        model = keras.Sequential(layers)
        model.build((None, *self.input_shape))
        return model

    @property
    def channels(self) -> int:
        """The features reaching the head: 1280, or 1280·alpha rounded to 8 above alpha 1;
        the 1000 classes with include_top."""
        if self.include_top:
            return 1000
        return 1280 if self.alpha <= 1.0 else _make_divisible(1280 * self.alpha, 8)


def _make_divisible(value: float, divisor: int) -> int:
    new = max(divisor, int(value + divisor / 2) // divisor * divisor)
    return new + divisor if new < 0.9 * value else new


@st.composite
def mobilenet_v2_classifiers(draw) -> MobileNetV2Spec:
    alpha = draw(st.sampled_from([0.35, 0.5, 0.75, 1.0, 1.3, 1.4]))
    height = draw(st.integers(32, 224))
    width = height if draw(BOOLS) else draw(st.integers(32, 224))
    include_top = draw(BOOLS)
    pooling = None if include_top else draw(st.sampled_from([None, "avg", "max"]))
    return MobileNetV2Spec(
        alpha, (height, width, 3), include_top, pooling, draw(st.integers(1, 10)), draw(BOOLS)
    )
