"""The graph walk: references, order, nesting, trainability, and layers without a rule."""

from __future__ import annotations

import pytest
from configs import functional, input_layer, layer, sequential, tensor

from inspector.analyze import analyze
from inspector.errors import ConfigError


def small_functional(**dense_config):
    return functional(
        "m",
        [
            input_layer("x", 4),
            layer("Dense", "d", tensor("x"), units=3, **dense_config),
        ],
        ["x", 0, 0],
        ["d", 0, 0],
    )


def test_dense_on_4_features_has_15_params():
    report = analyze(small_functional())
    assert report.totals.params == 4 * 3 + 3
    assert [row.path for row in report.layers] == ["x", "d"]
    assert report.output_shapes == ((None, 3),)


def test_layers_listed_out_of_order_are_walked_producers_first():
    config = functional(
        "m",
        [
            layer("Dense", "second", tensor("first"), units=2),
            layer("Dense", "first", tensor("x"), units=5),
            input_layer("x", 3),
        ],
        ["x", 0, 0],
        ["second", 0, 0],
    )
    report = analyze(config)
    assert [row.name for row in report.layers] == ["x", "first", "second"]
    assert report.layer("second").params.total == 5 * 2 + 2


def test_a_shared_layer_counts_once_and_shows_at_each_call():
    dense = layer("Dense", "shared", tensor("a"), units=2)
    dense["inbound_nodes"].append({"args": [tensor("b")], "kwargs": {}})
    config = functional(
        "m",
        [
            input_layer("a", 4),
            input_layer("b", 4),
            dense,
            layer("Add", "add", [tensor("shared", 0), tensor("shared", 1)]),
        ],
        [["a", 0, 0], ["b", 0, 0]],
        ["add", 0, 0],
    )
    report = analyze(config)
    assert [row.name for row in report.layers].count("shared") == 2
    assert report.totals.params == 4 * 2 + 2


def test_cycle_is_an_error_naming_the_layers():
    config = functional(
        "m",
        [
            input_layer("x", 2),
            layer("Dense", "a", tensor("b"), units=2),
            layer("Dense", "b", tensor("a"), units=2),
        ],
        ["x", 0, 0],
        ["b", 0, 0],
    )
    with pytest.raises(ConfigError, match="cycle: layers a, b"):
        analyze(config)


def test_reference_to_a_missing_layer_or_call():
    missing = functional(
        "m",
        [input_layer("x", 2), layer("Dense", "d", tensor("ghost"), units=1)],
        ["x", 0, 0],
        ["d", 0, 0],
    )
    with pytest.raises(ConfigError, match="layer 'ghost', which the model lacks"):
        analyze(missing)
    bad_call = functional(
        "m",
        [input_layer("x", 2), layer("Dense", "d", tensor("x", 3), units=1)],
        ["x", 0, 0],
        ["d", 0, 0],
    )
    with pytest.raises(ConfigError, match="call 3 of layer 'x', which has 1 call"):
        analyze(bad_call)


def test_duplicate_layer_names_are_an_error():
    config = functional("m", [input_layer("x", 2), input_layer("x", 2)], ["x", 0, 0], ["x", 0, 0])
    with pytest.raises(ConfigError, match="two layers named 'x'"):
        analyze(config)


def test_nested_functional_output_reference_skips_its_construction_node():
    inner = functional(
        "inner",
        [input_layer("i", 6), layer("Dense", "d", tensor("i"), units=2)],
        ["i", 0, 0],
        ["d", 0, 0],
    )
    inner.update(name="inner", inbound_nodes=[{"args": [tensor("x")], "kwargs": {}}])
    # Keras writes output_layers [["inner", 1, 0]]: node 0 is the one made when inner was built
    outer = functional("outer", [input_layer("x", 6), inner], ["x", 0, 0], [["inner", 1, 0]])
    report = analyze(outer)
    assert report.output_shapes == ((None, 2),)
    assert report.layer("inner/d").params.total == 14
    assert report.layer("inner").params.total == 14


def test_frozen_nested_model_freezes_every_layer_inside_but_not_its_siblings():
    inner = sequential(
        "base",
        [input_layer("i", 8), layer("BatchNormalization", "bn"), layer("Dense", "d", units=2)],
        trainable=False,
    )
    outer = sequential("outer", [inner, layer("Dense", "head", units=1)])
    report = analyze(outer)
    bn, head = report.layer("base/bn"), report.layer("head")
    assert (bn.params.trainable, bn.params.non_trainable, bn.frozen_by) == (0, 32, "base")
    assert (head.params.trainable, head.frozen_by) == (3, None)
    assert (report.totals.trainable, report.totals.non_trainable) == (3, 32 + 18)


def test_sequential_without_an_input_layer_uses_its_build_input_shape():
    config = sequential("s", [layer("Dense", "d", units=2)], build_input_shape=[None, 5])
    report = analyze(config)
    assert report.layer("d").input_shapes == ((None, 5),)
    assert [row.name for row in report.layers] == ["d"]  # the implicit input is not a row


def test_unbuilt_sequential_is_an_error():
    with pytest.raises(ConfigError, match="never built"):
        analyze(sequential("s", [layer("Dense", "d", units=2)]))


def test_unknown_layer_is_not_derived_and_shows_the_recorded_shape():
    config = functional(
        "m",
        [
            input_layer("x", 4),
            layer("Wobble", "w", tensor("x"), module="my_course.layers"),
            layer("Dense", "d", tensor("w", shape=[None, 9]), units=1),
        ],
        ["x", 0, 0],
        ["d", 0, 0],
    )
    report = analyze(config)
    wobble = report.layer("w")
    assert not wobble.derived
    assert wobble.output_shapes == ((None, 9),)
    assert "no rule for Wobble from my_course.layers" in wobble.explanation
    assert report.layer("d").params.total == 10  # derived from the recorded 9 features
    assert report.totals.not_derived == 1


def test_a_rule_that_rejects_its_config_leaves_the_layer_not_derived():
    report = analyze(small_functional(use_bias="yes"))
    row = report.layer("d")
    assert not row.derived and "use_bias must be true or false" in row.explanation
    assert report.totals.not_derived == 1


def test_keras2_inbound_nodes_are_read():
    config = functional(
        "m",
        [
            {
                "class_name": "InputLayer",
                "name": "x",
                "config": {"name": "x", "batch_input_shape": [None, 3]},
                "inbound_nodes": [],
            },
            {
                "class_name": "Dense",
                "name": "d",
                "config": {"name": "d", "units": 2},
                "inbound_nodes": [[["x", 0, 0, {}]]],
            },
        ],
        [["x", 0, 0]],
        [["d", 0, 0]],
    )
    assert analyze(config).totals.params == 8


def test_layers_after_an_underivable_layer_with_no_recorded_shape_are_not_derived():
    config = functional(
        "m",
        [
            input_layer("x", 4),
            layer("Wobble", "w", tensor("x"), module="my_course.layers"),
            layer("Dense", "d", tensor("w"), units=1),
        ],
        ["x", 0, 0],
        ["d", 0, 0],
    )
    report = analyze(config)
    dense = report.layer("d")
    assert not dense.derived and "a layer before it was not derived" in dense.explanation
    assert dense.output_shapes == () and report.output_shapes == ()
    assert report.totals.not_derived == 2
