"""The course's models, built by Keras, saved as .keras, inspected from the file, and compared
layer by layer with what Keras reports (issue 2's must-show)."""

from __future__ import annotations

import pytest
from keras_facts import differences

import inspector
from inspector.render.table import terms_text


@pytest.fixture(scope="module")
def seed_report(seed_model, saved):
    return inspector.inspect_model(saved(seed_model, "seed"))


@pytest.fixture(scope="module")
def tutorial_report(tutorial_model, saved):
    return inspector.inspect_model(saved(tutorial_model, "tutorial"))


def test_seed_totals_from_the_saved_file(seed_report):
    totals = seed_report.totals
    assert (totals.params, totals.trainable, totals.non_trainable) == (2_259_265, 1_281, 2_257_984)
    assert totals.not_derived == 0


def test_seed_pooling_averages_1280_channels_over_the_5x5_grid(seed_report):
    row = seed_report.layer("global_average_pooling2d")
    assert row.input_shapes == ((None, 5, 5, 1280),)
    assert row.output_shape == (None, 1280)
    assert row.params.total == 0
    assert "averages each of the 1280 channels over its 5×5 grid" in row.explanation


def test_seed_dense_is_1280_weights_plus_1_bias(seed_report):
    row = seed_report.layer("dense")
    assert row.input_shapes == ((None, 1280),)
    assert row.output_shape == (None, 1)
    assert [(t.name, t.shape, t.count, t.formula) for t in row.params.terms] == [
        ("kernel", (1280, 1), 1280, "1280×1"),
        ("bias", (1,), 1, "1"),
    ]
    assert (row.params.total, row.params.trainable) == (1281, 1281)
    assert terms_text(row.params) == "1280×1 kernel + 1 bias = 1,281"
    assert row.explanation == "maps 1280 features to 1 unit"


def test_seed_frozen_base_is_one_row_of_non_trainable_params(seed_report):
    base = seed_report.layer("mobilenetv2_1.00_160")
    assert base.is_model and base.depth == 0
    assert (base.params.total, base.params.trainable, base.params.non_trainable) == (
        2_257_984,
        0,
        2_257_984,
    )
    assert base.output_shape == (None, 5, 5, 1280)
    assert base.frozen_by == "mobilenetv2_1.00_160"
    conv1 = seed_report.layer("mobilenetv2_1.00_160/Conv1")
    assert conv1.depth == 1
    assert conv1.output_shape == (None, 80, 80, 32)
    assert [(t.shape, t.count, t.trainable) for t in conv1.params.terms] == [
        ((3, 3, 3, 32), 864, False)
    ]


def test_seed_every_layer_matches_keras(seed_model, seed_report):
    assert differences(seed_model, seed_report) == []


def test_tutorial_every_layer_matches_keras(tutorial_model, tutorial_report):
    assert differences(tutorial_model, tutorial_report) == []


def test_tutorial_preprocessing_ops_and_augmentation(tutorial_report):
    divide = tutorial_report.layer("true_divide")
    subtract = tutorial_report.layer("subtract")
    assert divide.class_name == "TrueDivide" and subtract.class_name == "Subtract"
    assert divide.output_shape == subtract.output_shape == (None, 160, 160, 3)
    assert "/ 127.5" in divide.explanation and "− 1" in subtract.explanation
    flip = tutorial_report.layer("sequential/random_flip")
    assert flip.depth == 1 and flip.params.total == 0
    totals = tutorial_report.totals
    assert (totals.params, totals.trainable, totals.non_trainable) == (2_259_265, 1_281, 2_257_984)


def test_unfrozen_base_splits_batch_norm_into_trainable_and_moving_statistics(keras, saved):
    import seed_models

    model = seed_models.build_seed_classifier(keras, frozen=False)
    report = inspector.inspect_model(saved(model, "unfrozen"))
    bn = report.layer("mobilenetv2_1.00_160/bn_Conv1")
    assert (bn.params.total, bn.params.trainable, bn.params.non_trainable) == (128, 64, 64)
    assert [t.name for t in bn.params.terms if not t.trainable] == [
        "moving_mean",
        "moving_variance",
    ]
    assert differences(model, report) == []
    # 2,257,984 base params = 2,223,872 trainable + 34,112 moving statistics; plus the head's 1,281
    assert (report.totals.trainable, report.totals.non_trainable) == (2_225_153, 34_112)


def test_shipped_example_matches_the_model_its_script_builds(seed_model):
    from conftest import EXAMPLES

    report = inspector.inspect_model(EXAMPLES / "mobilenetv2_classifier.json")
    assert differences(seed_model, report) == []
    tutorial = inspector.inspect_model(EXAMPLES / "mobilenetv2_tutorial.json")
    assert tutorial.totals.params == 2_259_265
