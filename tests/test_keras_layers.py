"""Every layer family, built by Keras in small models, derived from the config Keras writes and
compared with Keras layer by layer: output shapes, params, trainable and non-trainable."""

from __future__ import annotations

import pytest
from keras_facts import differences, functional_model, live_report

L = "layers"

# (id, input shapes without the batch, build(keras, *inputs) -> outputs)
CASES = [
    # core
    ("dense_3d", [(10, 32)], lambda k, x: k.layers.Dense(4, use_bias=False)(x)),
    ("dense_lora", [(16,)], lambda k, x: k.layers.Dense(8, lora_rank=2)(x)),
    (
        "einsum_dense",
        [(7, 32)],
        lambda k, x: k.layers.EinsumDense("abc,cd->abd", output_shape=(None, 64), bias_axes="d")(x),
    ),
    (
        "einsum_dense_heads",
        [(7, 32)],
        lambda k, x: k.layers.EinsumDense(
            "abc,cde->abde", output_shape=(None, 4, 8), bias_axes="de"
        )(x),
    ),
    # one elided axis: with two, Keras's symbolic shape reverses them (see test_rules)
    (
        "einsum_dense_left_ellipsis",
        [(5, 12)],
        lambda k, x: k.layers.EinsumDense("...b,bc->...c", output_shape=6, bias_axes="c")(x),
    ),
    ("embedding", [(12,)], lambda k, x: k.layers.Embedding(1000, 16)(x)),
    ("embedding_lora", [(12,)], lambda k, x: k.layers.Embedding(100, 8, lora_rank=4)(x)),
    (
        "reversible_embedding",
        [(12,)],
        lambda k, x: k.layers.ReversibleEmbedding(50, 8, tie_weights=False)(x),
    ),
    ("identity_masking", [(5, 3)], lambda k, x: k.layers.Masking()(k.layers.Identity()(x))),
    # activations and regularization
    (
        "activations",
        [(6, 4)],
        lambda k, x: k.layers.Softmax()(k.layers.ELU()(k.layers.LeakyReLU()(x))),
    ),
    ("prelu_shared", [(8, 8, 3)], lambda k, x: k.layers.PReLU(shared_axes=[1, 2])(x)),
    ("prelu", [(5, 4)], lambda k, x: k.layers.PReLU()(x)),
    (
        "noise",
        [(6, 6, 2)],
        lambda k, x: k.layers.ActivityRegularization()(
            k.layers.AlphaDropout(0.1)(
                k.layers.GaussianDropout(0.1)(
                    k.layers.GaussianNoise(0.1)(k.layers.SpatialDropout2D(0.2)(x))
                )
            )
        ),
    ),
    ("spatial_dropout_1d_3d", [(6, 2)], lambda k, x: k.layers.SpatialDropout1D(0.1)(x)),
    # convolution
    (
        "conv1d_causal_dilated",
        [(20, 3)],
        lambda k, x: k.layers.Conv1D(8, 3, padding="causal", dilation_rate=2)(x),
    ),
    ("conv2d_groups", [(9, 9, 4)], lambda k, x: k.layers.Conv2D(6, 3, strides=2, groups=2)(x)),
    (
        "conv2d_channels_first",
        [(3, 11, 13)],
        lambda k, x: k.layers.Conv2D(5, (3, 5), data_format="channels_first")(x),
    ),
    (
        "conv3d",
        [(6, 7, 8, 2)],
        lambda k, x: k.layers.Conv3D(4, 3, strides=(1, 2, 2), padding="same")(x),
    ),
    ("conv1d_transpose", [(10, 3)], lambda k, x: k.layers.Conv1DTranspose(4, 3, strides=2)(x)),
    (
        "conv2d_transpose_same",
        [(5, 7, 3)],
        lambda k, x: k.layers.Conv2DTranspose(6, 3, strides=2, padding="same")(x),
    ),
    (
        "conv2d_transpose_output_padding",
        [(5, 5, 3)],
        lambda k, x: k.layers.Conv2DTranspose(2, 3, strides=2, output_padding=1)(x),
    ),
    ("conv3d_transpose", [(3, 4, 5, 2)], lambda k, x: k.layers.Conv3DTranspose(2, 2, strides=2)(x)),
    (
        "depthwise_conv1d",
        [(12, 4)],
        lambda k, x: k.layers.DepthwiseConv1D(3, depth_multiplier=2)(x),
    ),
    (
        "separable_conv1d",
        [(12, 4)],
        lambda k, x: k.layers.SeparableConv1D(8, 3, depth_multiplier=2)(x),
    ),
    (
        "separable_conv2d",
        [(9, 9, 3)],
        lambda k, x: k.layers.SeparableConv2D(5, 3, strides=2, padding="same")(x),
    ),
    # pooling
    ("max_pool2d", [(9, 9, 3)], lambda k, x: k.layers.MaxPooling2D(3, strides=2)(x)),
    ("avg_pool1d_same", [(9, 3)], lambda k, x: k.layers.AveragePooling1D(2, padding="same")(x)),
    (
        "pool3d",
        [(4, 6, 6, 2)],
        lambda k, x: k.layers.MaxPooling3D()(k.layers.AveragePooling3D(1)(x)),
    ),
    ("adaptive_pool", [(10, 12, 3)], lambda k, x: k.layers.AdaptiveAveragePooling2D((2, 3))(x)),
    ("adaptive_max_1d", [(10, 3)], lambda k, x: k.layers.AdaptiveMaxPooling1D(4)(x)),
    (
        "global_pool_keepdims",
        [(5, 5, 8)],
        lambda k, x: k.layers.GlobalMaxPooling2D(keepdims=True)(x),
    ),
    ("global_pool_1d_3d", [(7, 3)], lambda k, x: k.layers.GlobalAveragePooling1D()(x)),
    # normalization
    ("layer_norm", [(6, 8)], lambda k, x: k.layers.LayerNormalization()(x)),
    (
        "layer_norm_axes",
        [(4, 5, 6)],
        lambda k, x: k.layers.LayerNormalization(axis=[1, 3], center=False)(x),
    ),
    ("rms_norm", [(6, 8)], lambda k, x: k.layers.RMSNormalization()(x)),
    ("group_norm", [(4, 4, 12)], lambda k, x: k.layers.GroupNormalization(groups=3)(x)),
    ("unit_norm", [(6,)], lambda k, x: k.layers.UnitNormalization()(x)),
    (
        "spectral_norm",
        [(8, 8, 3)],
        lambda k, x: k.layers.SpectralNormalization(k.layers.Conv2D(4, 3))(x),
    ),
    ("batch_norm_no_scale", [(6,)], lambda k, x: k.layers.BatchNormalization(scale=False)(x)),
    # reshaping
    ("flatten", [(5, 5, 1280)], lambda k, x: k.layers.Flatten()(x)),
    ("reshape_minus_one", [(6, 4)], lambda k, x: k.layers.Reshape((-1, 2))(x)),
    ("permute", [(3, 4, 5)], lambda k, x: k.layers.Permute((3, 1, 2))(x)),
    ("repeat_vector", [(7,)], lambda k, x: k.layers.RepeatVector(3)(x)),
    ("cropping", [(10, 12, 3)], lambda k, x: k.layers.Cropping2D(((1, 2), (3, 0)))(x)),
    ("cropping_1d_3d", [(10, 3)], lambda k, x: k.layers.Cropping1D((2, 3))(x)),
    ("cropping3d", [(6, 6, 6, 1)], lambda k, x: k.layers.Cropping3D(1)(x)),
    ("upsampling", [(4, 5, 3)], lambda k, x: k.layers.UpSampling2D((2, 3))(x)),
    ("upsampling_1d", [(4, 3)], lambda k, x: k.layers.UpSampling1D(3)(x)),
    ("upsampling_3d", [(2, 3, 4, 1)], lambda k, x: k.layers.UpSampling3D(2)(x)),
    ("zero_padding_1d_3d", [(4, 3)], lambda k, x: k.layers.ZeroPadding1D((1, 2))(x)),
    ("zero_padding_3d", [(2, 3, 4, 1)], lambda k, x: k.layers.ZeroPadding3D(1)(x)),
    # merging
    ("concatenate", [(4, 3), (4, 5)], lambda k, a, b: k.layers.Concatenate()([a, b])),
    ("concatenate_axis1", [(4, 3), (2, 3)], lambda k, a, b: k.layers.Concatenate(axis=1)([a, b])),
    ("dot", [(8,), (8,)], lambda k, a, b: k.layers.Dot(axes=1)([a, b])),
    ("dot_3d", [(4, 6), (5, 6)], lambda k, a, b: k.layers.Dot(axes=(2, 2))([a, b])),
    (
        "merges",
        [(4,), (4,)],
        lambda k, a, b: k.layers.Average()(
            [
                k.layers.Maximum()([a, b]),
                k.layers.Minimum()([a, b]),
                k.layers.Multiply()([a, b]),
                k.layers.Subtract()([a, b]),
            ]
        ),
    ),
    # recurrent
    ("simple_rnn", [(7, 3)], lambda k, x: k.layers.SimpleRNN(5)(x)),
    (
        "lstm_sequences_states",
        [(7, 3)],
        lambda k, x: k.layers.LSTM(4, return_sequences=True, return_state=True)(x),
    ),
    ("gru_reset_after", [(7, 3)], lambda k, x: k.layers.GRU(6)(x)),
    (
        "gru_reset_before",
        [(7, 3)],
        lambda k, x: k.layers.GRU(6, reset_after=False, return_sequences=True)(x),
    ),
    ("rnn_cell", [(7, 3)], lambda k, x: k.layers.RNN(k.layers.LSTMCell(5), return_state=True)(x)),
    (
        "rnn_stacked_cells",
        [(7, 3)],
        lambda k, x: k.layers.RNN([k.layers.GRUCell(4), k.layers.SimpleRNNCell(2)])(x),
    ),
    (
        "bidirectional_concat",
        [(7, 3)],
        lambda k, x: k.layers.Bidirectional(k.layers.LSTM(4, return_sequences=True))(x),
    ),
    (
        "bidirectional_sum_states",
        [(7, 3)],
        lambda k, x: k.layers.Bidirectional(k.layers.GRU(4, return_state=True), merge_mode="sum")(
            x
        ),
    ),
    (
        "bidirectional_none",
        [(7, 3)],
        lambda k, x: k.layers.Bidirectional(k.layers.SimpleRNN(2), merge_mode=None)(x),
    ),
    (
        "time_distributed_dense",
        [(5, 8)],
        lambda k, x: k.layers.TimeDistributed(k.layers.Dense(3))(x),
    ),
    (
        "time_distributed_conv",
        [(4, 9, 9, 3)],
        lambda k, x: k.layers.TimeDistributed(k.layers.Conv2D(2, 3))(x),
    ),
    ("conv_lstm1d", [(5, 10, 3)], lambda k, x: k.layers.ConvLSTM1D(4, 3)(x)),
    (
        "conv_lstm2d",
        [(5, 8, 8, 2)],
        lambda k, x: k.layers.ConvLSTM2D(3, 3, padding="same", return_sequences=True)(x),
    ),
    (
        "conv_lstm3d_states",
        [(2, 5, 5, 5, 1)],
        lambda k, x: k.layers.ConvLSTM3D(2, 3, strides=2, return_state=True)(x),
    ),
    # attention
    ("multi_head_attention_self", [(6, 16)], lambda k, x: k.layers.MultiHeadAttention(4, 8)(x, x)),
    (
        "multi_head_attention_cross",
        [(6, 16), (9, 12)],
        lambda k, q, v: k.layers.MultiHeadAttention(2, 5, value_dim=3, output_shape=7)(q, v),
    ),
    (
        "multi_head_attention_keywords",
        [(6, 16), (9, 12), (9, 10)],
        lambda k, q, v, key: k.layers.MultiHeadAttention(2, 4, use_bias=False)(
            query=q, value=v, key=key
        ),
    ),
    (
        "multi_head_attention_scores",
        [(6, 16)],
        lambda k, x: k.layers.MultiHeadAttention(2, 4)(x, x, return_attention_scores=True),
    ),
    (
        "multi_head_attention_gate",
        [(6, 16)],
        lambda k, x: k.layers.MultiHeadAttention(2, 4, use_gate=True)(x, x),
    ),
    (
        "grouped_query_attention",
        [(6, 16), (8, 16)],
        lambda k, q, v: k.layers.GroupQueryAttention(8, 4, 2)(q, v),
    ),
    (
        "attention",
        [(6, 8), (9, 8)],
        lambda k, q, v: k.layers.Attention(use_scale=True, score_mode="concat")([q, v]),
    ),
    (
        "attention_scores",
        [(6, 8), (9, 8)],
        lambda k, q, v: k.layers.Attention()([q, v], return_attention_scores=True),
    ),
    (
        "additive_attention",
        [(6, 8), (9, 8)],
        lambda k, q, v: k.layers.AdditiveAttention()([q, v, v]),
    ),
    # preprocessing
    (
        "resizing_center_crop",
        [(32, 40, 3)],
        lambda k, x: k.layers.CenterCrop(10, 12)(k.layers.Resizing(20, 24)(x)),
    ),
    ("random_crop", [(32, 40, 3)], lambda k, x: k.layers.RandomCrop(16, 16)(x)),
    ("normalization_adapt", [(6,)], lambda k, x: k.layers.Normalization()(x)),
    ("normalization_axes", [(4, 5)], lambda k, x: k.layers.Normalization(axis=(1, 2))(x)),
    (
        "normalization_given",
        [(3,)],
        lambda k, x: k.layers.Normalization(mean=[1.0, 2.0, 3.0], variance=[1.0, 1.0, 1.0])(x),
    ),
    (
        "category_encoding",
        [(3,)],
        lambda k, x: k.layers.CategoryEncoding(10, output_mode="multi_hot")(x),
    ),
    (
        "category_encoding_one_hot",
        [(1,)],
        lambda k, x: k.layers.CategoryEncoding(10, output_mode="one_hot")(x),
    ),
    ("hashing", [(4,)], lambda k, x: k.layers.Hashing(16, output_mode="count")(x)),
    (
        "discretization",
        [(4,)],
        lambda k, x: k.layers.Discretization(bin_boundaries=[0.0, 1.0, 2.0], output_mode="one_hot")(
            x
        ),
    ),
    (
        "integer_lookup",
        [(5,)],
        lambda k, x: k.layers.IntegerLookup(vocabulary=[3, 7, 11], output_mode="multi_hot")(x),
    ),
    ("string_lookup_int", [(5,)], lambda k, x: k.layers.StringLookup(vocabulary=["a", "b"])(x)),
    (
        "mel_spectrogram",
        [(16000,)],
        lambda k, x: k.layers.MelSpectrogram(num_mel_bins=40, sequence_stride=160, fft_length=400)(
            x
        ),
    ),
    (
        "stft_spectrogram",
        [(1000, 2)],
        lambda k, x: k.layers.STFTSpectrogram(frame_length=64, frame_step=32, mode="log")(x),
    ),
    (
        "stft_spectrogram_expand",
        [(1000, 1)],
        lambda k, x: k.layers.STFTSpectrogram(
            frame_length=50, padding="same", mode="stft", expand_dims=True
        )(x),
    ),
    (
        "augmentations",
        [(24, 24, 3)],
        lambda k, x: k.layers.RandomZoom(0.1)(
            k.layers.RandomTranslation(0.1, 0.1)(
                k.layers.RandomContrast(0.2)(
                    k.layers.RandomBrightness(0.2)(k.layers.RandomGrayscale()(x))
                )
            )
        ),
    ),
    (
        "pipeline",
        [(24, 24, 3)],
        lambda k, x: k.layers.Pipeline([k.layers.RandomFlip(), k.layers.RandomRotation(0.1)])(x),
    ),
    # op layers
    (
        "ops_reductions",
        [(4, 6)],
        lambda k, x: [
            k.ops.mean(x, axis=1),
            k.ops.sum(x, axis=-1, keepdims=True),
            k.ops.max(x),
            k.ops.argmax(x, axis=-1),
        ],
    ),
    (
        "ops_shapes",
        [(4, 6)],
        lambda k, x: [
            k.ops.reshape(x, (-1, 24)),
            k.ops.transpose(x, (0, 2, 1)),
            k.ops.squeeze(k.ops.expand_dims(x, 1), 1),
            k.ops.concatenate([x, x], axis=1),
            k.ops.stack([x, x], axis=1),
        ],
    ),
    (
        "ops_matmul_einsum",
        [(4, 6), (6, 3)],
        lambda k, x, y: [k.ops.matmul(x, y), k.ops.einsum("bij,bjk->bik", x, y)],
    ),
    (
        "ops_elementwise",
        [(4, 6)],
        lambda k, x: [
            k.ops.cast(x, "int32"),
            k.ops.exp(x),
            k.activations.softmax(x),
            k.ops.relu(x),
            k.ops.clip(x, 0, 1),
            k.ops.where(x > 0, x, 0.0),
            k.ops.abs(x) * 2,
        ],
    ),
    ("ops_indexing", [(4, 6)], lambda k, x: [x[:, 1:3], x[:, 0], x[:, ::2, None]]),
    (
        "ops_tile_repeat_split",
        [(4, 6)],
        lambda k, x: [
            k.ops.tile(x, (1, 2, 1)),
            k.ops.repeat(x, 2, axis=1),
            *k.ops.split(x, 2, axis=-1),
        ],
    ),
]


@pytest.mark.parametrize("shapes, build", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_layer_matches_keras(keras, shapes, build):
    model = functional_model(keras, build, *shapes)
    assert differences(model, live_report(model)) == []


def test_shared_layer_counts_once_and_shows_each_call(keras):
    a, b = keras.Input((8,)), keras.Input((8,))
    shared = keras.layers.Dense(4, name="shared")
    merged = keras.layers.Concatenate()([shared(a), shared(b)])
    model = keras.Model([a, b], keras.layers.Dense(1, name="head")(merged))
    report = live_report(model)
    calls = [row for row in report.layers if row.name == "shared"]
    assert [(row.call, row.output_shape, row.params.total) for row in calls] == [
        (0, (None, 4), 36),
        (1, (None, 4), 36),
    ]
    assert "its weights count once" in calls[1].explanation
    assert report.totals.params == model.count_params() == 36 + 9
    assert differences(model, report) == []


def test_multi_input_multi_output_model(keras):
    image, meta = keras.Input((16, 16, 3), name="image"), keras.Input((5,), name="meta")
    x = keras.layers.GlobalAveragePooling2D()(keras.layers.Conv2D(8, 3)(image))
    x = keras.layers.Concatenate()([x, meta])
    outputs = [keras.layers.Dense(3, name="cls")(x), keras.layers.Dense(1, name="reg")(x)]
    model = keras.Model({"image": image, "meta": meta}, outputs)
    report = live_report(model)
    assert report.output_shapes == ((None, 3), (None, 1))
    assert report.input_shapes == ((None, 16, 16, 3), (None, 5))
    assert differences(model, report) == []


def test_nested_model_called_twice_counts_its_weights_once(keras):
    inner_input = keras.Input((6,))
    tower = keras.Model(inner_input, keras.layers.Dense(3)(inner_input), name="tower")
    a, b = keras.Input((6,)), keras.Input((6,))
    model = keras.Model([a, b], keras.layers.Subtract()([tower(a), tower(b)]))
    report = live_report(model)
    towers = [row for row in report.layers if row.path == "tower"]
    assert [row.call for row in towers] == [0, 1]
    assert report.totals.params == model.count_params() == 21


# Classes keras.layers exports that have no rule of their own, and why.
NOT_STANDALONE = {
    "Layer": "the base class: a subclass of it is a custom layer",
    "Wrapper": "an abstract base class",
    "InputSpec": "not a layer",
    "SimpleRNNCell": "a cell: derived inside the RNN that holds it",
    "LSTMCell": "a cell: derived inside the RNN that holds it",
    "GRUCell": "a cell: derived inside the RNN that holds it",
    "StackedRNNCells": "a cell: derived inside the RNN that holds it",
    "Pipeline": "walked as a nested model of its layers",
}


def test_every_exported_layer_class_has_a_rule_or_a_reason(keras):
    import inspect

    from inspector.rules import FOREIGN, LAYER_RULES

    exported = {
        cls.__name__
        for name in dir(keras.layers)
        if inspect.isclass(cls := getattr(keras.layers, name))
        and issubclass(cls, keras.layers.Layer)
    }
    without = sorted(exported - set(LAYER_RULES) - set(FOREIGN) - set(NOT_STANDALONE))
    assert without == []
