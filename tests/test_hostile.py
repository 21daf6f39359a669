"""Hostile and broken files: each gets a report that flags the bad part, or one line naming the
file and the problem with exit code 2, in bounded time and memory. Nothing in a file is ever
imported, executed, extracted or followed outside the file."""

from __future__ import annotations

import json
import os
import struct
import subprocess
import sys
import time
import zipfile

import pytest
from configs import functional, input_layer, layer, sequential, tensor
from conftest import EXAMPLES, ROOT

from inspector.cli import main

SEED = json.loads((EXAMPLES / "mobilenetv2_classifier.json").read_text())
SMALL = sequential("s", [input_layer("x", 4), layer("Dense", "d", units=2)])


def keras_file(path, members: dict, **zip_options):
    with zipfile.ZipFile(path, "w", **zip_options) as archive:
        for name, data in members.items():
            archive.writestr(name, data if isinstance(data, bytes) else json.dumps(data))
    return path


def bad(path, capsys, *args) -> str:
    """Run the CLI on a file that must be refused: exit 2, one line naming it, no traceback."""
    start = time.perf_counter()
    assert main([str(path), *args]) == 2
    assert time.perf_counter() - start < 10
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert captured.out == "" and len(lines) == 1, captured.err
    assert lines[0].startswith(f"inspector: error: {path}: ")
    return lines[0]


def good(path, capsys, *args) -> str:
    assert main([str(path), *args]) == 0
    return capsys.readouterr().out


# ---- archive and format


def test_not_a_zip_empty_and_unknown_extension(tmp_path, capsys):
    (tmp_path / "a.keras").write_bytes(os.urandom(256).replace(b"P", b"Q").replace(b"{", b"("))
    assert "neither a zip archive nor JSON" in bad(tmp_path / "a.keras", capsys)
    (tmp_path / "b.keras").write_bytes(b"")
    assert "is empty" in bad(tmp_path / "b.keras", capsys)
    (tmp_path / "model.pt").write_bytes(b"\x80\x02torch pickle")
    assert "supported: a .keras file" in bad(tmp_path / "model.pt", capsys)


def test_truncated_zip(tmp_path, capsys):
    whole = keras_file(tmp_path / "whole.keras", {"config.json": SMALL}).read_bytes()
    (tmp_path / "cut.keras").write_bytes(whole[: len(whole) // 2])
    assert "damaged or truncated zip" in bad(tmp_path / "cut.keras", capsys)


def test_junk_before_the_archive_is_read_like_zip_tools_do(tmp_path, capsys):
    archive = keras_file(tmp_path / "m.keras", {"config.json": SMALL}).read_bytes()
    (tmp_path / "junk.keras").write_bytes(b"#!/bin/sh\necho self-extracting\n" * 10 + archive)
    assert "Total params: 10" in good(tmp_path / "junk.keras", capsys)


def test_directory_missing_path_and_saved_model(tmp_path, capsys):
    assert "is a directory" in bad(tmp_path, capsys)
    assert "no such file" in bad(tmp_path / "missing.keras", capsys)
    (tmp_path / "saved_model.pb").write_bytes(b"\x08\x01")
    assert "SavedModel directory" in bad(tmp_path, capsys)


def test_zip_without_config_and_duplicate_members(tmp_path, capsys):
    path = keras_file(tmp_path / "none.keras", {"model.weights.h5": b""})
    assert "without config.json" in bad(path, capsys)
    dup = tmp_path / "dup.keras"
    with pytest.warns(UserWarning, match="Duplicate name"):
        keras_file(dup, {})
        with zipfile.ZipFile(dup, "a") as archive:
            archive.writestr("config.json", json.dumps(SMALL))
            archive.writestr("config.json", json.dumps(SMALL))
    assert "holds config.json 2 times" in bad(dup, capsys)


def test_traversal_and_absolute_member_names_are_never_extracted(tmp_path, capsys):
    work = tmp_path / "work"
    work.mkdir()
    path = keras_file(
        tmp_path / "evil.keras",
        {"config.json": SMALL, "../escaped.txt": b"x", "/tmp/absolute-escape.txt": b"x"},
    )
    before = set(os.listdir(tmp_path)) | set(os.listdir("/tmp"))
    os.chdir(work)
    try:
        assert "Total params: 10" in good(path, capsys)
    finally:
        os.chdir(ROOT)
    assert set(os.listdir(tmp_path)) | set(os.listdir("/tmp")) <= before | {"work"}
    assert os.listdir(work) == []


def test_encrypted_member(tmp_path, capsys):
    path = keras_file(tmp_path / "enc.keras", {"config.json": SMALL})
    data = bytearray(path.read_bytes())
    # set the "encrypted" flag (bit 0) in the local and central headers of config.json
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = data.index(signature)
        flags = struct.unpack_from("<H", data, at + offset)[0]
        struct.pack_into("<H", data, at + offset, flags | 1)
    path.write_bytes(bytes(data))
    assert "is encrypted" in bad(path, capsys)


def test_deflate_bomb_declared_size_is_refused_before_reading(tmp_path, capsys):
    # 300 MB of spaces deflate to about 300 KB; the declared size is over the 64 MiB limit
    bomb = tmp_path / "bomb.keras"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("config.json", "w", force_zip64=True) as member:
            chunk = b" " * (1 << 20)
            for _ in range(300):
                member.write(chunk)
    assert bomb.stat().st_size < 2_000_000
    assert "over the 67,108,864-byte limit" in bad(bomb, capsys)


def test_deflate_bomb_that_lies_about_its_size_is_read_with_a_bound(tmp_path, capsys):
    bomb = tmp_path / "liar.keras"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("config.json", b" " * (80 << 20))
    data = bytearray(bomb.read_bytes())
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):  # uncompressed size
        struct.pack_into("<I", data, data.index(signature) + offset, 1000)
    bomb.write_bytes(bytes(data))
    message = bad(bomb, capsys)
    assert "expands past the 67,108,864-byte limit" in message or "damaged zip" in message


# ---- JSON


@pytest.mark.parametrize(
    "content, problem",
    [
        (b"\xff\xfe{\x00}\x00", "not UTF-8"),
        (b'{"class_name": "Sequential", "config": ', "not valid JSON"),
        (b"[" * 100_000 + b"]" * 100_000, "over the limit of 512"),
        (b'{"class_name": "Sequential", "config": {"layers": [], "x": Infinity}}', "Infinity"),
        (b'{"class_name": "Sequential", "config": {"layers": [], "x": NaN}}', "NaN"),
        (b'{"class_name": "Sequential", "class_name": "Functional"}', "twice"),
    ],
)
def test_bad_json(tmp_path, capsys, content, problem):
    path = keras_file(tmp_path / "m.keras", {"config.json": content})
    assert problem in bad(path, capsys)


@pytest.mark.parametrize(
    "edit, problem",
    [
        (lambda c: c["config"].update(layers="all of them"), "has no list of layers"),
        (lambda c: c["config"]["layers"].__setitem__(1, ["Dense"]), "layer 1 is not an object"),
        (lambda c: c.update(config=[1, 2]), "no class_name and config"),
        (lambda c: c["config"]["layers"][0]["config"].update(batch_shape=[None, -3]), None),
        (lambda c: c["config"]["layers"][0]["config"].update(batch_shape=[None, 10**15]), None),
    ],
)
def test_wrong_types_and_sizes(tmp_path, capsys, edit, problem):
    config = json.loads(json.dumps(SMALL))
    edit(config)
    path = keras_file(tmp_path / "m.keras", {"config.json": config})
    if problem:
        assert problem in bad(path, capsys)
    else:  # a bad input shape: a report whose layers say they are not derived
        out = good(path, capsys, "--format", "json")
        assert "not derived" in out and "batch_shape must be a list of sizes" in out


def test_a_string_where_a_number_belongs_is_flagged_in_the_report(tmp_path, capsys):
    config = json.loads(json.dumps(SMALL))
    config["config"]["layers"][1]["config"]["units"] = "many"
    out = good(keras_file(tmp_path / "m.keras", {"config.json": config}), capsys)
    assert "units must be an integer, got 'many'" in out and "Not derived: 1 of 1" in out


def test_absurd_and_zero_sizes(tmp_path, capsys):
    config = json.loads(json.dumps(SMALL))
    config["config"]["layers"][1]["config"]["units"] = 10**30
    out = good(
        keras_file(tmp_path / "a.keras", {"config.json": config}), capsys, "--format", "json"
    )
    assert "over the limit of 1,099,511,627,776" in out
    config["config"]["layers"][1]["config"]["units"] = 0
    out = good(
        keras_file(tmp_path / "b.keras", {"config.json": config}), capsys, "--format", "json"
    )
    assert "units must be at least 1, got 0" in out


# ---- graph


def test_graph_cycles_missing_layers_and_bad_indices(tmp_path, capsys):
    cases = {
        "cycle": functional(
            "m",
            [
                input_layer("x", 2),
                layer("Dense", "a", tensor("b"), units=2),
                layer("Dense", "b", tensor("a"), units=2),
            ],
            ["x", 0, 0],
            ["b", 0, 0],
        ),
        "missing": functional(
            "m",
            [input_layer("x", 2), layer("Dense", "d", tensor("ghost"), units=1)],
            ["x", 0, 0],
            ["d", 0, 0],
        ),
        "node": functional(
            "m",
            [input_layer("x", 2), layer("Dense", "d", tensor("x", 7), units=1)],
            ["x", 0, 0],
            ["d", 0, 0],
        ),
        "duplicate": functional(
            "m", [input_layer("x", 2), input_layer("x", 2)], ["x", 0, 0], ["x", 0, 0]
        ),
        "no_layers": {"class_name": "Functional", "config": {"name": "m"}},
    }
    problems = {
        "cycle": "has a cycle: layers a, b",
        "missing": "layer 'ghost', which the model lacks",
        "node": "call 7 of layer 'x', which has 1 call(s)",
        "duplicate": "two layers named 'x'",
        "no_layers": "has no list of layers",
    }
    for name, config in cases.items():
        path = keras_file(tmp_path / f"{name}.keras", {"config.json": config})
        assert problems[name] in bad(path, capsys)


def test_tensor_index_out_of_range_gives_a_flagged_report(tmp_path, capsys):
    config = functional(
        "m",
        [input_layer("x", 2), layer("Dense", "d", tensor("x", 0, 5), units=1)],
        ["x", 0, 0],
        ["d", 0, 0],
    )
    out = good(keras_file(tmp_path / "m.keras", {"config.json": config}), capsys)
    assert "not derived: an input's shape is unknown" in out


# ---- foreign code


def audit(model_path, extra_args=()) -> dict:
    """Run the CLI in a fresh interpreter under an audit hook: what it opened and imported."""
    script = f"""
import json, sys
opened, imported = [], []
def hook(event, args):
    if event == "open" and isinstance(args[0], str):
        opened.append(args[0])
    elif event == "import":
        imported.append(args[0])
sys.addaudithook(hook)
sys.argv = ["inspector", {str(model_path)!r}, *{list(extra_args)!r}]
from inspector.cli import main
code = main()
print("AUDIT" + json.dumps({{"code": code, "opened": opened, "imported": imported,
                            "modules": sorted(sys.modules)}}))
"""
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    line = next(line for line in result.stdout.splitlines() if line.startswith("AUDIT"))
    return json.loads(line[5:])


def test_module_and_class_names_outside_keras_are_never_imported(tmp_path):
    config = functional(
        "m",
        [
            input_layer("x", 4),
            layer("system", "run", tensor("x"), module="os"),
            layer("eval", "ev", tensor("run", shape=[None, 4]), module="builtins"),
            layer("Evil", "evil", tensor("ev", shape=[None, 4]), module="inspector_evil_module"),
        ],
        ["x", 0, 0],
        ["evil", 0, 0],
    )
    path = keras_file(tmp_path / "evil.keras", {"config.json": config})
    seen = audit(path)
    assert seen["code"] == 0
    assert "inspector_evil_module" not in seen["imported"] + seen["modules"]
    assert {p for p in seen["opened"] if "evil" in p} == {str(path)}


def test_lambda_and_vocabulary_paths_are_never_opened(tmp_path):
    secret = tmp_path / "vocabulary.txt"
    secret.write_text("never read\n")
    config = functional(
        "m",
        [
            input_layer("x", 4),
            layer(
                "StringLookup",
                "lookup",
                tensor("x"),
                vocabulary=str(secret),
                output_mode="multi_hot",
            ),
            layer(
                "TFSMLayer",
                "saved",
                tensor("lookup", shape=[None, 9]),
                filepath=str(tmp_path / "saved_model"),
            ),
            layer(
                "Lambda",
                "fn",
                tensor("saved", shape=[None, 9]),
                function={"class_name": "__lambda__", "config": {"code": "4wEAAAAA"}},
            ),
        ],
        ["x", 0, 0],
        ["fn", 0, 0],
    )
    path = keras_file(tmp_path / "m.keras", {"config.json": config})
    seen = audit(path, ["--format", "json"])
    assert seen["code"] == 0
    assert str(secret) not in seen["opened"]
    assert not any("saved_model" in p for p in seen["opened"])


# ---- the weights file, for --verify


def weights_file(path, build):
    import h5py

    config = sequential("s", [input_layer("x", 4), layer("Dense", "dense", units=2)])
    with h5py.File(tmp := path.with_suffix(".h5"), "w") as handle:
        handle["layers/dense/vars/0"] = [[0.0] * 2] * 4
        handle["layers/dense/vars/1"] = [0.0] * 2
        build(handle, path.parent)
    archive = keras_file(path, {"config.json": config, "model.weights.h5": tmp.read_bytes()})
    tmp.unlink()
    return archive


def test_verify_refuses_links_and_outside_storage(tmp_path, capsys):
    import h5py
    import numpy as np

    def soft(handle, _):
        handle["layers/dense/vars/2"] = h5py.SoftLink("/layers/dense/vars/0")

    def external_link(handle, folder):
        handle["layers/dense/vars/2"] = h5py.ExternalLink(str(folder / "other.h5"), "/data")

    def external_storage(handle, folder):
        (folder / "raw.bin").write_bytes(b"\x00" * 64)
        handle.create_dataset(
            "layers/dense/vars/2",
            shape=(16,),
            dtype="f4",
            external=[(str(folder / "raw.bin"), 0, 64)],
        )

    def virtual(handle, _):
        layout = h5py.VirtualLayout(shape=(2,), dtype="f4")
        layout[:] = h5py.VirtualSource(".", "layers/dense/vars/1", shape=(2,))
        handle.create_virtual_dataset("layers/dense/vars/2", layout, fillvalue=np.float32(0))

    expected = {
        soft: "a soft link at layers/dense/vars/2",
        external_link: "an external link at layers/dense/vars/2",
        external_storage: "stores layers/dense/vars/2 outside itself",
        virtual: "stores layers/dense/vars/2 outside itself",
    }
    for build, problem in expected.items():
        path = weights_file(tmp_path / f"{build.__name__}.keras", build)
        assert problem in bad(path, capsys, "--verify")


def test_verify_reads_a_huge_declared_shape_as_metadata_only(tmp_path, capsys):
    def huge(handle, _):
        del handle["layers/dense/vars/0"]
        # 10^12 × 10^6 float32s declared; nothing is written, and nothing is read
        handle.create_dataset(
            "layers/dense/vars/0", shape=(10**12, 10**6), dtype="f4", chunks=(1, 1024)
        )

    path = weights_file(tmp_path / "huge.keras", huge)
    start = time.perf_counter()
    assert main([str(path), "--verify"]) == 1
    assert time.perf_counter() - start < 10
    out = capsys.readouterr().out
    assert "DIFFERS  dense (Dense): derived 10 params" in out
    assert "the file holds 1,000,000,000,000,000,002" in out


def test_legacy_h5_chunked_layer_names_are_merged(tmp_path, keras, capsys):
    import h5py

    keras.utils.clear_session()
    model = keras.Sequential(
        [keras.Input((3,)), keras.layers.Dense(2, name="a"), keras.layers.Dense(1, name="b")]
    )
    path = tmp_path / "m.h5"
    model.save(path)
    with h5py.File(path, "a") as handle:
        attrs = handle["model_weights"].attrs
        names = list(attrs["layer_names"])
        del attrs["layer_names"]
        attrs["layer_names0"], attrs["layer_names1"] = names[:1], names[1:]
    assert main([str(path), "--verify"]) == 0
    capsys.readouterr()
    with h5py.File(path, "a") as handle:
        handle["model_weights"].attrs["layer_names1"] = [
            n for n in names[1:] if n not in ("b", b"b")
        ]
    assert main([str(path), "--verify"]) == 1
    assert "the weights file lists no layer 'b'" in capsys.readouterr().out
