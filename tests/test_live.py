"""inspect_model on models in memory: Sequential, Functional, nested, subclassed."""

from __future__ import annotations

from math import prod

import pytest
from keras_facts import differences

import inspector


def test_live_seed_classifier_equals_the_saved_file(seed_model, saved):
    live = inspector.inspect_model(seed_model)
    from_file = inspector.inspect_model(saved(seed_model, "seed"))
    assert live.source_format == "live"
    assert [(r.path, r.output_shapes, r.params) for r in live.layers] == [
        (r.path, r.output_shapes, r.params) for r in from_file.layers
    ]
    assert differences(seed_model, live) == []


def test_live_sequential_and_functional(keras):
    sequential = keras.Sequential(
        [keras.Input((10,)), keras.layers.Dense(4), keras.layers.Dense(2)]
    )
    assert inspector.inspect_model(sequential).totals.params == 44 + 10
    inputs = keras.Input((10,))
    functional = keras.Model(inputs, sequential(inputs))
    report = inspector.inspect_model(functional)
    assert report.layer(sequential.name).is_model
    assert differences(functional, report) == []


def test_live_custom_layer_reads_params_from_the_model(keras):
    class Gate(keras.layers.Layer):  # not registered, not serializable: Keras cannot save it
        def build(self, input_shape):
            self.w = self.add_weight(shape=(input_shape[-1],), name="w")
            self.b = self.add_weight(shape=(), name="b", trainable=False)

        def call(self, x):
            return x * self.w + self.b

    inputs = keras.Input((6,))
    model = keras.Model(inputs, keras.layers.Dense(1)(Gate(name="gate")(inputs)))
    report = inspector.inspect_model(model)
    gate = report.layer("gate")
    assert (gate.derived, gate.params_from) == (False, "weights")
    assert (gate.params.total, gate.params.trainable, gate.params.non_trainable) == (7, 6, 1)
    assert report.totals.params == model.count_params() == 14


def test_subclassed_model_reports_its_sublayers(keras):
    class TwoTower(keras.Model):
        def __init__(self):
            super().__init__(name="two_tower")
            self.embed = keras.layers.Embedding(500, 16, name="embed")
            self.encoder = keras.layers.LSTM(8, name="encoder")
            self.norm = keras.layers.BatchNormalization(name="norm")
            self.head = keras.layers.Dense(3, name="head")

        def call(self, tokens):
            return self.head(self.norm(self.encoder(self.embed(tokens))))

    model = TwoTower()
    model(keras.ops.zeros((2, 12), dtype="int32"))
    report = inspector.inspect_model(model)
    assert "subclassed model" in report.notes[0]
    for layer in model.layers:
        row = report.layer(layer.name)
        assert row.derived, row.explanation
        assert (row.params.total, row.params.trainable, row.params.non_trainable) == (
            layer.count_params(),
            sum(prod(w.shape) for w in layer.trainable_weights),
            sum(prod(w.shape) for w in layer.non_trainable_weights),
        )
    assert report.layer("encoder").input_shapes == ((2, 12, 16),)
    assert report.totals.params == model.count_params() == 8000 + 800 + 32 + 27


def test_objects_that_are_not_models_are_refused():
    with pytest.raises(TypeError, match="a model file path or a keras.Model"):
        inspector.inspect_model(42)
