"""The course's tests for the transfer-learning exercise.

Run them on a student's module with `STUDENT=student_flatten pytest examples/course` (the module
is imported from this folder; `student` by default). The `inspect_model` fixture and the
`points` marker come from inspector's pytest plugin, enabled by installing inspector.
"""

import importlib
import os

import keras
import pytest

from inspector.testing import assert_layer, assert_totals

student = importlib.import_module(os.environ.get("STUDENT", "student"))


@pytest.fixture(scope="module")
def model():
    keras.utils.clear_session()
    return student.build_model()


def reference_model():
    base = keras.applications.MobileNetV2(
        input_shape=(160, 160, 3), include_top=False, weights=None
    )
    base.trainable = False
    reference = keras.Sequential(
        [base, keras.layers.GlobalAveragePooling2D(), keras.layers.Dense(1)]
    )
    reference.build((None, 160, 160, 3))
    return reference


@pytest.mark.points(1)
def test_one_output_per_image(inspect_model, model):
    assert_layer(inspect_model(model), "dense", class_name="Dense", output_shape=(None, 1))


@pytest.mark.points(2)
def test_head_has_1281_params(inspect_model, model):
    assert_layer(inspect_model(model), "dense", params=1281, trainable=1281)


@pytest.mark.points(2)
def test_only_the_head_trains(inspect_model, model):
    assert_totals(inspect_model(model), total=2_259_265, trainable=1_281, non_trainable=2_257_984)


@pytest.mark.points(1)
def test_same_architecture_as_the_reference(inspect_model, model):
    assert inspect_model(model) == inspect_model(reference_model())
