"""--verify: derived terms against the weight arrays a file really holds, and against Keras."""

from __future__ import annotations

import json
import zipfile

import pytest

from inspector.cli import main
from inspector.verify import verify


@pytest.fixture(scope="module")
def small_file(keras, tmp_path_factory):
    keras.utils.clear_session()
    inputs = keras.Input((12, 12, 3))
    x = keras.layers.Conv2D(8, 3, use_bias=False, name="conv")(inputs)
    x = keras.layers.BatchNormalization(name="bn")(x)
    x = keras.layers.GlobalAveragePooling2D(name="pool")(x)
    model = keras.Model(inputs, keras.layers.Dense(4, name="head")(x))
    path = tmp_path_factory.mktemp("verify") / "small.keras"
    model.save(path)
    return path


def edited(path, tmp_path, edit):
    """A copy of a .keras file whose config.json went through edit(layers by name)."""
    out = tmp_path / "edited.keras"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "config.json":
                config = json.loads(data)
                edit({layer["name"]: layer["config"] for layer in config["config"]["layers"]})
                data = json.dumps(config).encode()
            target.writestr(info, data)
    return out


def test_saved_files_verify(small_file, seed_model, saved, capsys):
    assert main([str(small_file), "--verify"]) == 0
    assert "5 of 5 layers agree; 0 differ" in capsys.readouterr().out
    result = verify(saved(seed_model, "seed"))
    assert result.ok and len(result.checks) == 156


def test_dense_units_changed_fails_naming_the_layer(small_file, tmp_path, capsys):
    path = edited(small_file, tmp_path, lambda layers: layers["head"].update(units=5))
    assert main([str(path), "--verify"]) == 1
    out = capsys.readouterr().out
    line = next(line for line in out.splitlines() if line.startswith("DIFFERS"))
    assert line.startswith("DIFFERS  head (Dense): derived 45 params (kernel 8×5, bias 5)")
    assert "the file holds 36 (vars/0 8×4, vars/1 4)" in line
    assert "kernel 8×5 is derived but not in the file" in line
    assert "an array of 8×4 in the file is not derived" in line
    assert "Verification FAILED" in out


def test_batch_norm_center_off_fails(small_file, tmp_path, capsys):
    path = edited(small_file, tmp_path, lambda layers: layers["bn"].update(center=False))
    assert main([str(path), "--verify"]) == 1
    out = capsys.readouterr().out
    assert "DIFFERS  bn (BatchNormalization): derived 24 params" in out
    # gamma, moving mean and variance are 8 each; the file's fourth array of 8 (beta) is extra
    assert "an array of 8 in the file is not derived" in out


def test_conv_given_a_bias_fails(small_file, tmp_path, capsys):
    path = edited(small_file, tmp_path, lambda layers: layers["conv"].update(use_bias=True))
    assert main([str(path), "--verify", "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    conv = next(layer for layer in data["layers"] if layer["path"] == "conv")
    assert data["ok"] is False and conv["status"] == "differ"
    assert "bias 8 is derived but not in the file" in conv["message"]


def test_architecture_json_has_nothing_to_verify_against(capsys):
    assert main(["examples/mobilenetv2_classifier.json", "--verify"]) == 2
    assert "holds no weights to verify against" in capsys.readouterr().err


def test_legacy_h5_verifies(seed_model, tmp_path):
    path = tmp_path / "seed.h5"
    seed_model.save(path)
    result = verify(path)
    assert result.ok and result.against == "the weights file"


def test_live_model_verifies_against_keras(seed_model):
    result = verify(seed_model)
    assert result.ok and result.against == "Keras"
    assert len(result.checks) == 156
