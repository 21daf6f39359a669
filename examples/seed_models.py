"""The course's models, built with Keras: the source of the shipped example files.

Run `python examples/seed_models.py` (TensorFlow needed) to write again:
  examples/mobilenetv2_classifier.json  the seed classifier's architecture (model.to_json())
  examples/mobilenetv2_tutorial.json    the course tutorial's full model
and, with --keras DIR, the same models as Keras 3 .keras files (about 9.4 MB each).

The tests import the builders below, so the shipped files and the tests describe one model.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

HERE = Path(__file__).resolve().parent
IMAGE_SIZE = (160, 160)


def build_seed_classifier(keras=None, alpha: float = 1.0, units: int = 1, frozen: bool = True):
    """A frozen MobileNetV2 base (160×160×3, no top), GlobalAveragePooling2D, Dense(units)."""
    keras = keras or _keras()
    base = keras.applications.MobileNetV2(
        input_shape=IMAGE_SIZE + (3,), include_top=False, weights=None, alpha=alpha
    )
    base.trainable = not frozen
    model = keras.Sequential(
        [base, keras.layers.GlobalAveragePooling2D(), keras.layers.Dense(units)]
    )
    model.build((None,) + IMAGE_SIZE + (3,))
    return model


def build_tutorial_model(keras=None):
    """The tutorial's model: augmentation, preprocess_input, the frozen base, a pooled head."""
    keras = keras or _keras()
    augmentation = keras.Sequential(
        [keras.layers.RandomFlip("horizontal"), keras.layers.RandomRotation(0.2)]
    )
    base = keras.applications.MobileNetV2(
        input_shape=IMAGE_SIZE + (3,), include_top=False, weights=None
    )
    base.trainable = False
    inputs = keras.Input(shape=IMAGE_SIZE + (3,))
    x = augmentation(inputs)
    x = keras.applications.mobilenet_v2.preprocess_input(x)
    x = base(x, training=False)
    x = keras.layers.GlobalAveragePooling2D()(x)
    x = keras.layers.Dropout(0.2)(x)
    outputs = keras.layers.Dense(1)(x)
    return keras.Model(inputs, outputs)


def _keras():
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import keras

    return keras


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keras", metavar="DIR", help="also save .keras files into DIR")
    args = parser.parse_args()
    for name, build in (
        ("mobilenetv2_classifier", build_seed_classifier),
        ("mobilenetv2_tutorial", build_tutorial_model),
    ):
        model = build()
        (HERE / f"{name}.json").write_text(model.to_json(indent=1) + "\n")
        if args.keras:
            model.save(Path(args.keras) / f"{name}.keras")
        print(f"wrote {name}")


if __name__ == "__main__":
    main()
