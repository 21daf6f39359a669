"""Fuzzing: mutated configs and damaged archives end in a report or a clean error, never in
another exception. The number of examples is set here, not by the profile:
FUZZ_EXAMPLES=5000 python -m pytest tests/test_fuzz.py runs a longer campaign."""

from __future__ import annotations

import copy
import io
import json
import os
import zipfile

from configs import functional, input_layer, layer, tensor
from conftest import EXAMPLES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inspector import InspectorError, inspect_model
from inspector.analyze import analyze
from inspector.errors import ConfigError
from inspector.render import RENDERERS
from inspector.render.explain import render_explanation

EXAMPLES_RUN = int(os.environ.get("FUZZ_EXAMPLES", "300"))
FUZZ = settings(
    max_examples=EXAMPLES_RUN,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

SHARED = functional(
    "shared",
    [
        input_layer("a", 6),
        input_layer("b", 6),
        layer("Dense", "d", tensor("a"), units=3),
        layer("Concatenate", "cat", [tensor("d", 0), tensor("b")]),
        layer("TrueDivide", "div", tensor("cat"), 2.0, module="keras.src.ops.numpy"),
    ],
    [["a", 0, 0], ["b", 0, 0]],
    ["div", 0, 0],
)
SHARED["config"]["layers"][2]["inbound_nodes"].append({"args": [tensor("b")], "kwargs": {}})
BASES = [
    json.loads((EXAMPLES / "mobilenetv2_classifier.json").read_text()),
    json.loads((EXAMPLES / "mobilenetv2_tutorial.json").read_text()),
    SHARED,
]

JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**6), 10**6)
    | st.sampled_from([0, -1, 2**40, 10**30, 1.5, "", "same", "Dense", "keras.layers"])
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=6),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(
            st.sampled_from(
                [
                    "class_name",
                    "config",
                    "name",
                    "layers",
                    "units",
                    "inbound_nodes",
                    "args",
                    "keras_history",
                    "x",
                ]
            ),
            children,
            max_size=3,
        )
    ),
    max_leaves=8,
)


@st.composite
def mutated_configs(draw):
    config = copy.deepcopy(draw(st.sampled_from(BASES)))
    for _ in range(draw(st.integers(1, 4))):
        parent, key = None, None
        node = config
        for _ in range(draw(st.integers(1, 14))):  # walk down to a random place
            if isinstance(node, dict) and node:
                key = draw(st.sampled_from(sorted(node)))
            elif isinstance(node, list) and node:
                key = draw(st.integers(0, len(node) - 1))
            else:
                break
            parent, node = node, node[key]
        if parent is None:
            continue
        action = draw(st.sampled_from(["replace", "delete", "wrap", "duplicate"]))
        if action == "replace":
            parent[key] = draw(JSON_VALUES)
        elif action == "delete":
            del parent[key]
        elif action == "wrap":
            parent[key] = [parent[key]]
        elif isinstance(parent, list):
            parent.insert(key, copy.deepcopy(parent[key]))
    return config


def check_report(report) -> None:
    """Every renderer and --explain of every row works on whatever report came out."""
    for render in RENDERERS.values():
        render(report, depth=99)
    for row in report.layers[:5]:
        render_explanation(report, row.path)


@FUZZ
@given(config=mutated_configs())
def test_mutated_configs_end_in_a_report_or_a_clean_error(config):
    try:
        report = analyze(config, "fuzz.json", "json")
    except ConfigError:
        return
    check_report(report)


def small_archive() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("metadata.json", json.dumps({"keras_version": "3.15.1"}))
        archive.writestr("config.json", json.dumps(SHARED))
    return buffer.getvalue()


ARCHIVE = small_archive()


@FUZZ
@given(
    edits=st.lists(st.tuples(st.integers(0, len(ARCHIVE) - 1), st.integers(0, 255)), max_size=8),
    cut=st.one_of(st.none(), st.integers(0, len(ARCHIVE))),
    prefix=st.binary(max_size=16),
)
def test_damaged_archives_end_in_a_report_or_a_clean_error(tmp_path_factory, edits, cut, prefix):
    data = bytearray(ARCHIVE)
    for position, value in edits:
        data[position] = value
    if cut is not None:
        del data[cut:]
    path = tmp_path_factory.mktemp("fuzz") / "m.keras"
    path.write_bytes(prefix + bytes(data))
    try:
        report = inspect_model(path)
    except InspectorError as exc:
        assert "\n" not in str(exc) and str(exc).startswith(str(path))
        return
    check_report(report)
