"""Each rule against numbers worked out by hand (the arithmetic is in the comments)."""

from __future__ import annotations

import pytest

from inspector.errors import ConfigError
from inspector.rules import LAYER_RULES, OP_RULES, find_rule
from inspector.shapes import Scalar


def derive(class_name, config, *input_shapes):
    return LAYER_RULES[class_name](config, list(input_shapes))


def counts(result):
    return [(t.name, t.shape, t.count, t.trainable) for t in result.terms]


# ---- InputLayer


def test_input_layer_keras3_batch_shape():
    result = derive("InputLayer", {"batch_shape": [None, 160, 160, 3]})
    assert result.output_shapes == ((None, 160, 160, 3),)
    assert result.terms == ()
    assert "(160, 160, 3) per example" in result.explanation


def test_input_layer_keras2_batch_input_shape():
    assert derive("InputLayer", {"batch_input_shape": [8, 10]}).output_shapes == ((8, 10),)


def test_input_layer_without_a_shape_is_a_config_error():
    with pytest.raises(ConfigError, match="batch_shape"):
        derive("InputLayer", {"batch_shape": "big"})


# ---- Dense


def test_dense_1280_to_1_is_1281():
    result = derive("Dense", {"units": 1}, (None, 1280))
    assert result.output_shapes == ((None, 1),)
    assert counts(result) == [("kernel", (1280, 1), 1280, True), ("bias", (1,), 1, True)]


def test_dense_without_bias_on_a_sequence_applies_to_the_last_axis():
    # (None, 10, 32) -> (None, 10, 4): kernel 32×4 = 128, no bias
    result = derive("Dense", {"units": 4, "use_bias": False}, (None, 10, 32))
    assert result.output_shapes == ((None, 10, 4),)
    assert sum(t.count for t in result.terms) == 128
    assert "at each of the (10) positions" in result.explanation


def test_dense_needs_a_known_feature_count():
    with pytest.raises(ConfigError, match="unknown"):
        derive("Dense", {"units": 3}, (None, None))


def test_dense_rejects_a_string_for_units():
    with pytest.raises(ConfigError, match="units must be an integer, got '8'"):
        derive("Dense", {"units": "8"}, (None, 4))


# ---- Conv2D


def test_conv2d_seed_conv1_same_padding_stride_2():
    # ⌈160 / 2⌉ = 80; kernel 3×3×3×32 = 864, no bias
    config = {
        "filters": 32,
        "kernel_size": [3, 3],
        "strides": [2, 2],
        "padding": "same",
        "use_bias": False,
    }
    result = derive("Conv2D", config, (None, 160, 160, 3))
    assert result.output_shapes == ((None, 80, 80, 32),)
    assert counts(result) == [("kernel", (3, 3, 3, 32), 864, True)]
    assert "⌈160 / 2⌉ = 80" in result.explanation


def test_conv2d_valid_padding_stride_2_with_bias():
    # ⌊(7 − 3) / 2⌋ + 1 = 3; 3×3×3×8 + 8 = 224
    config = {"filters": 8, "kernel_size": 3, "strides": 2, "padding": "valid"}
    result = derive("Conv2D", config, (None, 7, 7, 3))
    assert result.output_shapes == ((None, 3, 3, 8),)
    assert sum(t.count for t in result.terms) == 224


def test_conv2d_same_padding_odd_size_rounds_up():
    # ⌈7 / 2⌉ = 4
    config = {"filters": 1, "kernel_size": 3, "strides": 2, "padding": "same"}
    assert derive("Conv2D", config, (None, 7, 7, 1)).output_shapes == ((None, 4, 4, 1),)


def test_conv2d_dilation_widens_the_window():
    # dilation 2, kernel 3: window 2·(3 − 1) + 1 = 5; 9 − 5 + 1 = 5
    config = {"filters": 2, "kernel_size": 3, "dilation_rate": 2, "padding": "valid"}
    assert derive("Conv2D", config, (None, 9, 9, 1)).output_shapes == ((None, 5, 5, 2),)


def test_conv2d_groups_divide_the_input_channels():
    # 4 channels in 2 groups: kernel 3×3×(4/2)×6 = 108, bias 6 → 114
    config = {"filters": 6, "kernel_size": 3, "groups": 2, "padding": "same"}
    result = derive("Conv2D", config, (None, 5, 5, 4))
    assert counts(result)[0] == ("kernel", (3, 3, 2, 6), 108, True)
    assert sum(t.count for t in result.terms) == 114


def test_conv2d_groups_must_divide_channels():
    with pytest.raises(ConfigError, match="groups=3"):
        derive("Conv2D", {"filters": 6, "kernel_size": 1, "groups": 3}, (None, 5, 5, 4))


def test_conv2d_channels_first():
    config = {"filters": 8, "kernel_size": 1, "data_format": "channels_first"}
    assert derive("Conv2D", config, (None, 3, 10, 12)).output_shapes == ((None, 8, 10, 12),)


def test_conv2d_keeps_unknown_spatial_sizes_unknown():
    config = {"filters": 4, "kernel_size": 3, "padding": "valid"}
    assert derive("Conv2D", config, (None, None, None, 3)).output_shapes == ((None, None, None, 4),)


def test_conv2d_kernel_larger_than_input_is_a_config_error():
    with pytest.raises(ConfigError, match="does not fit"):
        derive("Conv2D", {"filters": 1, "kernel_size": 5, "padding": "valid"}, (None, 3, 3, 1))


def test_conv1d_causal_keeps_the_length():
    config = {"filters": 4, "kernel_size": 3, "padding": "causal"}
    result = derive("Conv1D", config, (None, 10, 2))
    assert result.output_shapes == ((None, 10, 4),)
    assert sum(t.count for t in result.terms) == 3 * 2 * 4 + 4


def test_convolution2d_alias_uses_the_same_rule():
    assert LAYER_RULES["Convolution2D"] is LAYER_RULES["Conv2D"]


# ---- DepthwiseConv2D


def test_depthwise_conv2d_block_1_valid_stride_2():
    # MobileNetV2 block_1_depthwise: ⌊(81 − 3) / 2⌋ + 1 = 40; kernel 3×3×96×1 = 864
    config = {
        "kernel_size": [3, 3],
        "strides": [2, 2],
        "padding": "valid",
        "use_bias": False,
        "depth_multiplier": 1,
    }
    result = derive("DepthwiseConv2D", config, (None, 81, 81, 96))
    assert result.output_shapes == ((None, 40, 40, 96),)
    assert counts(result) == [("kernel", (3, 3, 96, 1), 864, True)]


def test_depthwise_conv2d_depth_multiplier_multiplies_channels():
    # 3 channels × 2 = 6; kernel 3×3×3×2 = 54, bias 6 → 60
    config = {"kernel_size": 3, "depth_multiplier": 2, "padding": "same"}
    result = derive("DepthwiseConv2D", config, (None, 8, 8, 3))
    assert result.output_shapes == ((None, 8, 8, 6),)
    assert sum(t.count for t in result.terms) == 60


# ---- BatchNormalization


def test_batch_normalization_moving_statistics_never_train():
    result = derive("BatchNormalization", {"axis": -1}, (None, 80, 80, 32))
    assert result.output_shapes == ((None, 80, 80, 32),)
    assert counts(result) == [
        ("gamma", (32,), 32, True),
        ("beta", (32,), 32, True),
        ("moving_mean", (32,), 32, False),
        ("moving_variance", (32,), 32, False),
    ]


def test_batch_normalization_without_center_has_no_beta():
    result = derive("BatchNormalization", {"center": False}, (None, 16))
    assert [t.name for t in result.terms] == ["gamma", "moving_mean", "moving_variance"]


def test_batch_normalization_axis_1_and_keras2_list_axis():
    assert (
        sum(t.count for t in derive("BatchNormalization", {"axis": 1}, (None, 3, 8, 8)).terms) == 12
    )
    assert (
        sum(t.count for t in derive("BatchNormalization", {"axis": [3]}, (None, 8, 8, 5)).terms)
        == 20
    )


def test_batch_normalization_renorm_adds_three_statistics():
    result = derive("BatchNormalization", {"renorm": True}, (None, 4))
    assert [t.count for t in result.terms if not t.trainable] == [4, 4, 4, 4, 4]


# ---- pooling, padding, merging, pass-through layers


def test_global_average_pooling_2d():
    result = derive("GlobalAveragePooling2D", {}, (None, 5, 5, 1280))
    assert result.output_shapes == ((None, 1280),)
    assert result.explanation.startswith("averages each of the 1280 channels over its 5×5 grid")


def test_global_average_pooling_2d_keepdims_and_channels_first():
    keep = derive("GlobalAveragePooling2D", {"keepdims": True}, (None, 5, 5, 8))
    assert keep.output_shapes == ((None, 1, 1, 8),)
    first = derive("GlobalAveragePooling2D", {"data_format": "channels_first"}, (None, 8, 5, 5))
    assert first.output_shapes == ((None, 8),)


def test_zero_padding_2d_pairs_and_int():
    # MobileNetV2 block_1_pad: ((0, 1), (0, 1)) makes 80 into 81
    pad = derive("ZeroPadding2D", {"padding": [[0, 1], [0, 1]]}, (None, 80, 80, 96))
    assert pad.output_shapes == ((None, 81, 81, 96),)
    assert derive("ZeroPadding2D", {"padding": 2}, (None, 4, 6, 1)).output_shapes == (
        (None, 8, 10, 1),
    )


def test_add_broadcasts_its_inputs():
    assert derive("Add", {}, (None, 5, 5, 8), (None, 5, 5, 8)).output_shapes == ((None, 5, 5, 8),)
    assert derive("Add", {}, (None, 5, 1), (None, 1, 7)).output_shapes == ((None, 5, 7),)
    with pytest.raises(ConfigError, match="cannot be broadcast"):
        derive("Add", {}, (None, 5, 8), (None, 5, 7))


@pytest.mark.parametrize(
    "class_name, config",
    [
        ("ReLU", {"max_value": 6.0}),
        ("Activation", {"activation": "relu"}),
        ("Dropout", {"rate": 0.2}),
        ("Rescaling", {"scale": 0.00392, "offset": 0.0}),
        ("RandomFlip", {"mode": "horizontal"}),
        ("RandomRotation", {"factor": [-0.2, 0.2]}),
    ],
)
def test_pass_through_layers_keep_the_shape_and_hold_no_weights(class_name, config):
    result = derive(class_name, config, (None, 160, 160, 3))
    assert result.output_shapes == ((None, 160, 160, 3),)
    assert result.terms == ()
    assert result.explanation.endswith("shape unchanged")


def test_relu6_and_rotation_explanations_carry_the_numbers():
    assert "ReLU6" in derive("ReLU", {"max_value": 6.0}, (None, 2)).explanation
    # factor 0.2 of a full turn is 72°
    assert "[-72°, 72°]" in derive("RandomRotation", {"factor": 0.2}, (None, 4, 4, 3)).explanation


# ---- op layers


def test_true_divide_by_a_constant_keeps_the_shape():
    result = OP_RULES["TrueDivide"]({}, [(None, 160, 160, 3), Scalar(127.5)])
    assert result.output_shapes == ((None, 160, 160, 3),)
    assert "(160, 160, 3) / 127.5" in result.explanation


def test_op_subtract_and_layer_subtract_are_different_rules():
    assert find_rule("Subtract", "keras.src.ops.numpy") is OP_RULES["Subtract"]
    assert find_rule("Subtract", "keras.layers") is LAYER_RULES["Subtract"]


def test_a_class_outside_keras_never_gets_a_keras_rule():
    assert find_rule("Dense", "my_course.layers") is None
    assert find_rule("Dense", "keras.layers", registered_name="Custom>Dense") is None
    assert find_rule("Dense", None) is LAYER_RULES["Dense"]  # Keras 2 configs have no module


def test_einsum_dense_left_ellipsis_keeps_the_elided_axes_in_order():
    # A real forward pass of "...b,bc->...c" on (2, 3, 5, 12) gives (2, 3, 5, 6); Keras 3.15's
    # compute_output_shape says (2, 5, 3, 6), reversing the elided axes. We give the real one.
    config = {"equation": "...b,bc->...c", "output_shape": 6, "bias_axes": "c"}
    result = derive("EinsumDense", config, (None, 3, 5, 12))
    assert result.output_shapes == ((None, 3, 5, 6),)
    assert counts(result) == [("kernel", (12, 6), 72, True), ("bias", (6,), 6, True)]
