"""Property-based tests: configurations drawn by inspector.strategies, built by Keras, and every
derivation compared with what Keras built (differential testing; Keras is the judge)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from keras_facts import differences

import inspector
from inspector import strategies
from inspector.render.table import render_table


@pytest.fixture(scope="module")
def keras_module(keras):
    return keras


def build_and_compare(keras, spec):
    keras.utils.clear_session()
    model = spec.build(keras)
    report = inspector.inspect_model(model)
    assert differences(model, report) == []
    return model, report


@pytest.mark.parametrize("family", sorted(strategies.FAMILIES))
def test_layer_family_matches_keras(keras_module, family):
    @given(spec=strategies.layers(family))
    def check(spec):
        build_and_compare(keras_module, spec)

    check()


@given(spec=strategies.models())
def test_models_match_keras(keras, spec):
    build_and_compare(keras, spec)


@given(spec=strategies.mobilenet_v2_classifiers())
def test_mobilenet_v2_classifier_matches_keras(keras, spec):
    model, report = build_and_compare(keras, spec)
    dense = [row for row in report.layers if row.class_name == "Dense" and row.depth == 0][-1]
    # the head decomposition: channels × units weights + units biases (1280 × 1 + 1 in the seed)
    assert dense.params.total == spec.channels * spec.units + spec.units
    assert [t.shape for t in dense.params.terms] == [(spec.channels, spec.units), (spec.units,)]
    base = report.layers[0]
    assert base.is_model and (base.params.trainable == 0) == spec.frozen


# ---- invariants on any report


@given(spec=strategies.models())
def test_trainable_plus_non_trainable_is_total_and_rows_add_up(keras, spec):
    keras.utils.clear_session()
    report = inspector.inspect_model(spec.build(keras))
    for row in report.layers:
        assert row.params.trainable + row.params.non_trainable == row.params.total
        assert sum(t.count for t in row.params.terms) == row.params.total
    totals = report.totals
    assert totals.trainable + totals.non_trainable == totals.params
    # read back from the rendered table: the top-level rows add up to the printed total
    text = render_table(report)
    cells = [line.split("│") for line in text.splitlines() if line.startswith("│ ")][1:]
    printed = [int(c[3].strip().replace(",", "")) for c in cells if c[3].strip()]
    total = int(re.search(r"Total params: ([\d,]+)", text).group(1).replace(",", ""))
    assert sum(printed) == total == totals.params


@given(spec=strategies.layers(), batch=st.integers(1, 5))
def test_shapes_do_not_depend_on_the_batch_size(keras, spec, batch):
    keras.utils.clear_session()
    unbatched = inspector.inspect_model(spec.build(keras))
    inputs = [keras.Input(batch_shape=(batch, *shape)) for shape in spec.input_shapes]
    layer = spec.layer(keras)
    if spec.class_name in ("MultiHeadAttention", "GroupQueryAttention"):
        outputs = layer(*inputs)
    else:
        outputs = layer(inputs if len(inputs) > 1 else inputs[0])
    batched = inspector.inspect_model(keras.Model(inputs, outputs))
    for a, b in zip(unbatched.layers, batched.layers, strict=True):
        assert [s[1:] for s in a.output_shapes] == [s[1:] for s in b.output_shapes]
        assert all(s[0] == batch for s in b.output_shapes)
        assert [(t.shape, t.trainable) for t in a.params.terms] == [
            (t.shape, t.trainable) for t in b.params.terms
        ]


@given(
    features=st.integers(1, 64),
    units=st.integers(1, 64),
    step=st.integers(1, 16),
    kernel=st.integers(1, 5),
    channels=st.integers(1, 8),
)
def test_params_grow_linearly_in_units_and_filters(features, units, step, kernel, channels):
    from inspector.rules import LAYER_RULES

    def dense(n):
        return sum(t.count for t in LAYER_RULES["Dense"]({"units": n}, [(None, features)]).terms)

    def conv(n):
        config = {"filters": n, "kernel_size": kernel, "padding": "same"}
        return sum(t.count for t in LAYER_RULES["Conv2D"](config, [(None, 9, 9, channels)]).terms)

    for params, per_unit in ((dense, features + 1), (conv, kernel * kernel * channels + 1)):
        assert params(units + step) - params(units) == step * per_unit
        assert params(units + 2 * step) - 2 * params(units + step) + params(units) == 0
