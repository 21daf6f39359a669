"""Reading files: .keras archives and architecture JSON, and the one-line errors for bad input."""

from __future__ import annotations

import json
import zipfile

import pytest
from configs import input_layer, sequential

from inspector.errors import InspectorError
from inspector.sources import load_source

MODEL = sequential(
    "s", [input_layer("x", 3), {"class_name": "Dense", "config": {"name": "d", "units": 2}}]
)


def write_zip(path, members: dict[str, bytes]):
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def test_reads_config_and_metadata_from_a_keras_archive(tmp_path):
    path = write_zip(
        tmp_path / "m.keras",
        {
            "metadata.json": b'{"keras_version": "3.15.1"}',
            "config.json": json.dumps(MODEL).encode(),
            "model.weights.h5": b"not read",
        },
    )
    source = load_source(path)
    assert (source.format, source.config["class_name"], source.metadata["keras_version"]) == (
        "keras",
        "Sequential",
        "3.15.1",
    )


def test_reads_architecture_json(tmp_path):
    path = tmp_path / "m.json"
    path.write_text(json.dumps(MODEL))
    assert load_source(path).format == "json"


def error_of(path) -> str:
    with pytest.raises(InspectorError) as info:
        load_source(path)
    message = str(info.value)
    assert "\n" not in message and message.startswith(str(path))
    return message


def test_missing_file(tmp_path):
    assert error_of(tmp_path / "nope.keras").endswith("no such file")


def test_directory_and_saved_model(tmp_path):
    assert "is a directory" in error_of(tmp_path)
    (tmp_path / "saved_model.pb").write_bytes(b"")
    assert "SavedModel" in error_of(tmp_path)


def test_empty_and_garbage_files(tmp_path):
    empty = tmp_path / "empty.keras"
    empty.write_bytes(b"")
    assert "is empty" in error_of(empty)
    junk = tmp_path / "junk.keras"
    junk.write_bytes(b"\x00\x01 not a model")
    assert "neither a zip archive nor JSON" in error_of(junk)


def test_zip_without_config(tmp_path):
    path = write_zip(tmp_path / "m.keras", {"model.weights.h5": b""})
    assert "without config.json" in error_of(path)


def test_config_that_is_not_json_or_not_utf8(tmp_path):
    assert "not valid JSON" in error_of(write_zip(tmp_path / "a.keras", {"config.json": b"{oops"}))
    assert "not UTF-8" in error_of(write_zip(tmp_path / "b.keras", {"config.json": b"\xff\xfe{}"}))


def test_nan_and_duplicate_keys_are_rejected(tmp_path):
    nan = tmp_path / "nan.json"
    nan.write_text('{"class_name": "Sequential", "config": {"x": NaN}}')
    assert "NaN" in error_of(nan)
    dup = tmp_path / "dup.json"
    dup.write_text('{"class_name": "A", "class_name": "B"}')
    assert "key 'class_name' twice" in error_of(dup)


def test_json_that_is_not_a_model(tmp_path):
    path = tmp_path / "list.json"
    path.write_text("[1, 2]")
    assert "not a Keras model config" in error_of(path)


def test_damaged_hdf5_and_hdf5_without_a_model(tmp_path):
    import h5py

    path = tmp_path / "m.h5"
    path.write_bytes(b"\x89HDF\r\n\x1a\n" + b"\x00" * 100)
    assert "damaged HDF5" in error_of(path)
    weights_only = tmp_path / "w.h5"
    with h5py.File(weights_only, "w") as handle:
        handle["dense/kernel"] = [[1.0]]
    assert "without a model config" in error_of(weights_only)


def test_oversized_config_is_refused_before_reading(tmp_path, monkeypatch):
    from inspector.sources import keras_zip

    monkeypatch.setattr(keras_zip, "MAX_CONFIG_BYTES", 1000)
    path = write_zip(
        tmp_path / "big.keras", {"config.json": b" " * 5000 + json.dumps(MODEL).encode()}
    )
    assert "over the 1,000-byte limit" in error_of(path)
