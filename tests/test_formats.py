"""Every Keras file format, and layers without a rule (custom classes, Lambda)."""

from __future__ import annotations

import json
import sys

import pytest
from keras_facts import differences

import inspector
from inspector.verify import verify


@pytest.fixture(scope="module")
def tf_keras():
    import tf_keras

    return tf_keras


def keras2_model(k2):
    """A tf.keras 2.x model with a nested Functional, a nested Sequential, a shared layer."""
    inner_input = k2.Input((8,))
    normalized = k2.layers.BatchNormalization(name="bn")(inner_input)
    tower = k2.Model(inner_input, k2.layers.Dense(4, name="proj")(normalized), name="tower")
    tower.trainable = False
    head = k2.Sequential(
        [k2.layers.InputLayer((8,)), k2.layers.Dense(8, activation="relu")], name="head"
    )
    a, b = k2.Input((8,), name="a"), k2.Input((8,), name="b")
    shared = k2.layers.Dense(8, name="shared")
    x = k2.layers.Concatenate()([tower(shared(a)), tower(head(shared(b)))])
    return k2.Model([a, b], k2.layers.Dense(1, name="out")(x))


@pytest.mark.parametrize("suffix", [".h5", ".keras", ".json"])
def test_tf_keras_2_files_give_keras_totals(tf_keras, tmp_path, suffix):
    model = keras2_model(tf_keras)
    path = tmp_path / f"model{suffix}"
    if suffix == ".json":
        path.write_text(model.to_json())
    else:
        model.save(path)
    report = inspector.inspect_model(path)
    # 8·8 + 8 shared; tower: 4 × 8 BN (16 + 16 frozen) + 8·4 + 4 frozen; head 8·8 + 8; out 8 + 1
    assert (
        (report.totals.params, report.totals.trainable, report.totals.non_trainable)
        == (
            model.count_params(),
            sum(int(w.shape.num_elements()) for w in model.trainable_weights),
            sum(int(w.shape.num_elements()) for w in model.non_trainable_weights),
        )
        == (72 + 32 + 36 + 72 + 9, 72 + 72 + 9, 68)
    )
    assert report.totals.not_derived == 0
    assert report.layer("tower/proj").frozen_by == "tower"
    assert [row.call for row in report.layers if row.name == "tower"] == [0, 1]
    if suffix != ".json":
        result = verify(path)
        assert result.ok, [c.message for c in result.disagreements] + list(result.unclaimed)


def test_tf_keras_2_mobilenet_h5_layer_by_layer(tf_keras, tmp_path):
    base = tf_keras.applications.MobileNetV2(
        input_shape=(96, 96, 3), include_top=False, weights=None
    )
    base.trainable = False
    model = tf_keras.Sequential(
        [base, tf_keras.layers.GlobalAveragePooling2D(), tf_keras.layers.Dense(1)]
    )
    path = tmp_path / "seed_k2.h5"
    model.save(path)
    report = inspector.inspect_model(path)
    assert (report.totals.params, report.totals.trainable) == (2_259_265, 1_281)
    assert report.source_format == "h5"
    assert report.layer("mobilenetv2_1.00_96/block_1_pad").output_shape == (None, 49, 49, 96)
    assert verify(path).ok


def test_keras3_legacy_h5(keras, seed_model, tmp_path):
    path = tmp_path / "seed.h5"
    seed_model.save(path)
    report = inspector.inspect_model(path)
    assert (report.totals.params, report.totals.trainable) == (2_259_265, 1_281)
    assert differences(seed_model, report) == []


def custom_model(keras, tmp_path):
    marker = tmp_path / "lambda-ran"

    def side_effect(x):
        marker.write_text("the Lambda ran")  # would show if inspecting ever executed it
        return x * 2.0

    @keras.saving.register_keras_serializable(package="course")
    class Scale(keras.layers.Layer):
        def build(self, input_shape):
            self.factor = self.add_weight(shape=(input_shape[-1], 3), name="factor")

        def call(self, x):
            return x @ self.factor

    inputs = keras.Input((5,))
    x = keras.layers.Lambda(side_effect, output_shape=(5,), name="double")(inputs)
    x = Scale(name="scale")(x)
    model = keras.Model(inputs, keras.layers.Dense(2, name="out")(x))
    marker.unlink(missing_ok=True)
    return model, marker


def test_custom_and_lambda_layers_are_not_derived_and_nothing_runs(keras, tmp_path):
    model, marker = custom_model(keras, tmp_path)
    path = tmp_path / "custom.keras"
    model.save(path)
    modules_before = set(sys.modules)
    report = inspector.inspect_model(path)
    assert not marker.exists()
    assert set(sys.modules) - modules_before <= {"h5py"} | {
        m for m in sys.modules if m.startswith("h5py")
    }
    double, scale = report.layer("double"), report.layer("scale")
    assert not double.derived and "Lambda wraps Python code" in double.explanation
    assert double.output_shapes == ((None, 5),)  # as the file records it
    assert not scale.derived and "no rule for Scale" in scale.explanation
    assert scale.params_from == "weights" and scale.params.total == 15  # 5 × 3, read
    assert scale.output_shapes == ((None, 3),)
    assert report.layer("out").params.total == 8 and report.layer("out").derived
    assert report.totals.not_derived == 2 and report.totals.read == 15
    assert report.totals.params == model.count_params() == 23


def test_not_derived_layers_are_flagged_in_table_and_json(keras, tmp_path, capsys):
    from inspector.cli import main

    model, _ = custom_model(keras, tmp_path)
    path = tmp_path / "custom.keras"
    model.save(path)
    assert main([str(path)]) == 0
    out = capsys.readouterr().out
    assert "(Scale) not derived" in out and "15 (read)" in out
    assert "Not derived: 2 of 4 layers" in out and "15 of these params were read" in out
    assert main([str(path), "--format", "json"]) == 0
    scale = next(r for r in json.loads(capsys.readouterr().out)["layers"] if r["name"] == "scale")
    assert (scale["derived"], scale["params_from"], scale["module"]) == (
        False,
        "weights",
        scale["module"],
    )


def test_saved_model_directory_gets_a_clear_message(tmp_path):
    (tmp_path / "saved_model.pb").write_bytes(b"")
    with pytest.raises(inspector.InspectorError, match="SavedModel directory"):
        inspector.inspect_model(tmp_path)
