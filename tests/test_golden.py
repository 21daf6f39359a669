"""Whole outputs on the shipped examples, compared with files under tests/golden/.

After an intended change of output: `pytest tests/test_golden.py --update-golden`, then read the
diff of tests/golden/ before committing it.
"""

from __future__ import annotations

import json

import pytest
from conftest import ROOT

from inspector.cli import main


@pytest.mark.parametrize(
    "args, golden_name",
    [
        (["examples/mobilenetv2_classifier.json"], "mobilenetv2_classifier.txt"),
        (["examples/mobilenetv2_tutorial.json", "--depth", "1"], "mobilenetv2_tutorial.depth1.txt"),
        (
            ["examples/mobilenetv2_classifier.json", "--format", "json"],
            "mobilenetv2_classifier.json",
        ),
    ],
)
def test_output_matches_golden_file(args, golden_name, golden, capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    assert main(args) == 0
    golden(golden_name, capsys.readouterr().out)


def test_table_rows_add_up_to_the_printed_totals(capsys, monkeypatch):
    # Read back from the rendered table: the top-level rows' params sum to the printed total.
    monkeypatch.chdir(ROOT)
    main(["examples/mobilenetv2_tutorial.json"])
    out = capsys.readouterr().out
    rows = [
        line.split("│")
        for line in out.splitlines()
        if line.startswith("│ ") and "Layer" not in line
    ]
    params = [int(cells[3].strip().replace(",", "")) for cells in rows if cells[3].strip()]
    trainable = [int(cells[4].strip().replace(",", "")) for cells in rows if cells[4].strip()]
    total_line = next(line for line in out.splitlines() if line.startswith("Total params:"))
    assert sum(params) == int(total_line.split(":")[1].replace(",", "")) == 2_259_265
    assert sum(trainable) == 1_281


def test_json_totals_equal_the_sum_of_leaf_rows(capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    main(["examples/mobilenetv2_tutorial.json", "--format", "json"])
    data = json.loads(capsys.readouterr().out)
    leaves = [row for row in data["layers"] if not row["is_model"]]
    for key in ("total", "trainable", "non_trainable"):
        total_key = "params" if key == "total" else key
        assert sum(row["params"][key] for row in leaves) == data["totals"][total_key]
    for row in data["layers"]:
        assert row["params"]["trainable"] + row["params"]["non_trainable"] == row["params"]["total"]
        if not row["is_model"]:
            assert sum(t["count"] for t in row["params"]["terms"]) == row["params"]["total"]
