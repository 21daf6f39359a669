"""A student's solution to the transfer-learning exercise: a frozen MobileNetV2 base, then
GlobalAveragePooling2D, then Dense(1)."""

import keras


def build_model():
    base_model = keras.applications.MobileNetV2(
        input_shape=(160, 160, 3), include_top=False, weights=None
    )
    base_model.trainable = False
    model = keras.Sequential(
        [base_model, keras.layers.GlobalAveragePooling2D(), keras.layers.Dense(1)]
    )
    model.build((None, 160, 160, 3))
    return model
