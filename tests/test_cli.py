"""The command line: output, exit codes, and that reading a file never imports Keras."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import EXAMPLES, ROOT

from inspector.cli import main

SEED = EXAMPLES / "mobilenetv2_classifier.json"


def run(*args):
    return subprocess.run(
        [sys.executable, "-m", "inspector", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )


def test_reading_a_file_imports_no_deep_learning_framework(seed_model, saved):
    # Keras is installed here (the test suite needs it), yet the CLI must not import it.
    script = (
        "import runpy, sys\n"
        f"sys.argv = ['inspector', {str(saved(seed_model, 'seed'))!r}]\n"
        "try:\n    runpy.run_module('inspector', run_name='__main__')\n"
        "except SystemExit as exit:\n    code = exit.code\n"
        "heavy = ('tensorflow', 'keras', 'jax', 'torch', 'h5py', 'hypothesis', 'pytest')\n"
        "heavy = sorted(m for m in heavy if m in sys.modules)\n"
        "print('RESULT', code, heavy, file=sys.stderr)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert "RESULT 0 []" in result.stderr, result.stderr
    assert "Total params: 2,259,265" in result.stdout


def test_table_shows_the_seed_rows_and_totals(capsys):
    assert main([str(SEED)]) == 0
    out = capsys.readouterr().out
    for text in (
        "mobilenetv2_1.00_160",
        "2,257,984",
        "global_average_pooling2d",
        "Total params: 2,259,265",
        "Trainable params: 1,281",
        "Non-trainable params: 2,257,984",
        "1280×1 kernel + 1 bias",
    ):
        assert text in out
    assert "Conv1" not in out  # nested model collapsed by default
    assert "--depth 1 expands them" in out


def test_depth_expands_nested_models(capsys):
    assert main([str(SEED), "--depth", "1"]) == 0
    out = capsys.readouterr().out
    assert "· Conv1" in out and "3×3×3×32 kernel = 864" in out


def test_json_matches_the_documented_schema(capsys):
    assert main([str(SEED), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["format_version"] == 1
    assert data["model"]["name"] == "sequential" and data["model"]["class_name"] == "Sequential"
    assert data["totals"] == {
        "params": 2259265,
        "trainable": 1281,
        "non_trainable": 2257984,
        "layers": 156,
        "not_derived": 0,
        "read": 0,
        # MACs: Conv1's 5,529,600 and the others, summed (see test_macs.py)
        "macs": 152_804_480,
        # 2,259,265 float32 params × 4 bytes
        "param_bytes": 9_037_060,
        "activation_bytes": 44_577_476,
    }
    conv1 = next(row for row in data["layers"] if row["path"] == "mobilenetv2_1.00_160/Conv1")
    assert conv1["name"] == "Conv1" and conv1["class_name"] == "Conv2D" and conv1["depth"] == 1
    assert conv1["input_shapes"] == [[None, 160, 160, 3]]
    assert conv1["output_shapes"] == [[None, 80, 80, 32]]
    assert conv1["params"] == {
        "total": 864,
        "trainable": 0,
        "non_trainable": 864,
        "terms": [
            {
                "name": "kernel",
                "shape": [3, 3, 3, 32],
                "count": 864,
                "trainable": False,
                "formula": "3×3×3×32",
            }
        ],
    }
    assert conv1["derived"] is True and conv1["explanation"]
    # 80 × 80 output positions × (3 × 3 × 3) kernel × 32 filters
    assert conv1["macs"] == 80 * 80 * 32 * (3 * 3 * 3) == 5_529_600
    assert conv1["memory"] == {"param_bytes": 864 * 4, "activation_bytes": 80 * 80 * 32 * 4}
    dense = next(row for row in data["layers"] if row["path"] == "dense")
    assert dense["macs"] == 1280 and dense["macs_formula"] == "1280×1 kernel"
    paths = [row["path"] for row in data["layers"]]
    assert paths[0] == "mobilenetv2_1.00_160" and paths[1] == "mobilenetv2_1.00_160/input_layer"
    assert paths[-2:] == ["global_average_pooling2d", "dense"]
    assert len(paths) == 157  # 154 inside the base, the base itself, pooling, dense


@pytest.mark.parametrize(
    "content, problem",
    [
        (b"", "is empty"),
        (b"PK\x03\x04 truncated", "damaged or truncated zip archive"),
        (b"{not json", "not valid JSON"),
    ],
)
def test_bad_input_is_one_line_exit_2_no_traceback(tmp_path, content, problem):
    path = tmp_path / "bad.keras"
    path.write_bytes(content)
    result = run(path)
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr
    assert lines[0].startswith(f"inspector: error: {path}: ") and problem in lines[0]


def test_invalid_graph_is_reported_with_the_file_name(tmp_path, capsys):
    path = tmp_path / "cycle.json"
    path.write_text(json.dumps({"class_name": "Sequential", "config": {"name": "s", "layers": []}}))
    assert main([str(path)]) == 2
    assert (
        capsys.readouterr().err == f"inspector: error: {path}: Sequential model 's' has no layers\n"
    )
