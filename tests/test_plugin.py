"""The pytest plugin, tested with pytester: fixture, options, assertion diff, points, xdist, and
the course's example tests on three students' models."""

from __future__ import annotations

import shutil

import pytest
from conftest import EXAMPLES

pytest_plugins = ["pytester"]

SMALL = """
from inspector.analyze import analyze

def model(units, pooling="GlobalAveragePooling2D"):
    return {"class_name": "Sequential", "config": {"name": "m", "layers": [
        {"class_name": "InputLayer", "config": {"name": "x", "batch_shape": [None, 5, 5, 8]}},
        {"class_name": pooling, "config": {"name": "pool"}},
        {"class_name": "Dense", "config": {"name": "dense", "units": units}}]}}
"""


def test_plugin_is_registered_by_its_entry_point(pytester):
    result = pytester.runpytest("--help")
    result.stdout.fnmatch_lines(["*--inspector-report*"])
    result = pytester.runpytest("--markers")
    result.stdout.fnmatch_lines(["*@pytest.mark.points(n)*"])


def test_report_equality_shows_an_architecture_diff(pytester):
    pytester.makepyfile(
        SMALL
        + """
def test_same():
    assert analyze(model(1)) == analyze(model(1))

def test_flatten_instead_of_pooling():
    assert analyze(model(1, "Flatten")) == analyze(model(1))
"""
    )
    result = pytester.runpytest()
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(
        [
            "*architectures of 'm' and 'm' differ:*",
            "*- expected: pool (GlobalAveragePooling2D) → (None, 8), 0 params*",
            "*- expected: dense (Dense) → (None, 1), 9 params*",
            "*+ actual:   pool (Flatten) → (None, 200), 0 params*",
            "*+ actual:   dense (Dense) → (None, 1), 201 params*",
        ]
    )


def test_fixture_caches_reports_and_option_prints_them_on_failure(pytester):
    shutil.copy(EXAMPLES / "mobilenetv2_classifier.json", pytester.path / "seed.json")
    pytester.makepyfile(
        """
def test_cached(inspect_model):
    assert inspect_model("seed.json") is inspect_model("seed.json")

def test_fails(inspect_model):
    assert inspect_model("seed.json").totals.params == 1
"""
    )
    result = pytester.runpytest("--inspector-report")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*inspector report: sequential*", "*Total params: 2,259,265*"])
    quiet = pytester.runpytest()
    assert "inspector report" not in quiet.stdout.str()


def test_points_are_added_up(pytester):
    pytester.makepyfile(
        """
import pytest

@pytest.mark.points(3)
def test_earned():
    pass

@pytest.mark.points(2)
def test_lost():
    assert False

def test_unmarked():
    pass
"""
    )
    result = pytester.runpytest()
    result.stdout.fnmatch_lines(["*inspector points*", "*points: 3 / 5*"])


def test_loading_the_plugin_imports_no_framework(pytester):
    pytester.makepyfile(
        """
import sys

def test_nothing_heavy_loaded():
    heavy = [m for m in ("keras", "tensorflow", "h5py", "hypothesis") if m in sys.modules]
    assert heavy == []
"""
    )
    # a fresh interpreter, so that this suite's own imports do not count
    result = pytester.runpytest_subprocess("-p", "no:hypothesispytest", "-p", "no:randomly")
    result.assert_outcomes(passed=1)


@pytest.fixture
def course(pytester, monkeypatch):
    for path in (EXAMPLES / "course").glob("*.py"):
        shutil.copy(path, pytester.path / path.name)
    monkeypatch.setenv("TF_CPP_MIN_LOG_LEVEL", "3")

    def run(student, *args):
        monkeypatch.setenv("STUDENT", student)
        return pytester.runpytest_subprocess("-p", "no:cacheprovider", *args, timeout=600)

    return run


def test_course_tests_pass_for_the_seed_solution(course):
    result = course("student")
    result.assert_outcomes(passed=4)
    result.stdout.fnmatch_lines(["*points: 6 / 6*"])


def test_course_tests_explain_flatten(course):
    result = course("student_flatten")
    result.assert_outcomes(passed=1, failed=3)
    result.stdout.fnmatch_lines(
        [
            "*dense has 32,001 params = 32,000 × 1 weights + 1 bias;"
            " expected 1,281 = 1,280 × 1 + 1. Its input has 32,000 features because"
            " flatten turned (5, 5, 1280) into"
            " 5 × 5 × 1280 = 32,000; GlobalAveragePooling2D would give 1,280*",
            "*+ actual:   flatten (Flatten) → (None, 32000), 0 params*",
        ]
    )


def test_course_tests_explain_a_trainable_base(course):
    result = course("student_unfrozen")
    result.assert_outcomes(passed=2, failed=2)
    result.stdout.fnmatch_lines(
        [
            "*The model has 2,225,153 trainable and 34,112 non-trainable params; expected 1,281"
            " trainable, 2,257,984 non-trainable. mobilenetv2_1.00_160 (Functional model) has"
            " trainable=True, so its 2,223,872 params train*",
        ]
    )


def test_course_tests_pass_under_xdist(course):
    result = course("student", "-n", "2")
    result.assert_outcomes(passed=4)
    result.stdout.fnmatch_lines(["*points: 6 / 6*"])
