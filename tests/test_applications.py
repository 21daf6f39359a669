"""Every keras.applications model (weights=None), derived layer by layer and compared with Keras.

All of them are checked as live models (inspect_model(model)). A representative
part is also saved as a real .keras file and inspected from the file; set INSPECTOR_FULL_ZOO=1
to save and inspect every one of them that way (about 3 GB written, several minutes):

    INSPECTOR_FULL_ZOO=1 python -m pytest tests/test_applications.py
"""

from __future__ import annotations

import os

import pytest
from keras_facts import differences

import inspector

MODELS = [
    "Xception", "VGG16", "VGG19", "ResNet50", "ResNet101", "ResNet152", "ResNet50V2",
    "ResNet101V2", "ResNet152V2", "InceptionV3", "InceptionResNetV2", "MobileNet", "MobileNetV2",
    "MobileNetV3Small", "MobileNetV3Large", "DenseNet121", "DenseNet169", "DenseNet201",
    "NASNetMobile", "NASNetLarge", "EfficientNetB0", "EfficientNetB1", "EfficientNetB2",
    "EfficientNetB3", "EfficientNetB4", "EfficientNetB5", "EfficientNetB6", "EfficientNetB7",
    "EfficientNetV2B0", "EfficientNetV2B1", "EfficientNetV2B2", "EfficientNetV2B3",
    "EfficientNetV2S", "EfficientNetV2M", "EfficientNetV2L", "ConvNeXtTiny", "ConvNeXtSmall",
    "ConvNeXtBase", "ConvNeXtLarge", "ConvNeXtXLarge",
]  # fmt: skip
# Saved to .keras and read back in every run: one of each family, all under 30 M params.
FROM_FILE = {
    "Xception", "ResNet50", "ResNet50V2", "InceptionV3", "MobileNet", "MobileNetV2",
    "MobileNetV3Small", "DenseNet121", "NASNetMobile", "EfficientNetB0", "EfficientNetV2B0",
    "ConvNeXtTiny",
}  # fmt: skip
FULL = os.environ.get("INSPECTOR_FULL_ZOO") == "1"


@pytest.mark.parametrize("name", MODELS)
def test_application_matches_keras(keras, name, tmp_path):
    keras.utils.clear_session()
    model = getattr(keras.applications, name)(weights=None)
    assert differences(model, inspector.inspect_model(model)) == []
    if FULL or name in FROM_FILE:
        path = tmp_path / f"{name}.keras"
        model.save(path)
        report = inspector.inspect_model(path)
        assert report.totals.not_derived == 0
        assert differences(model, report) == []
