"""Shared fixtures: Keras-built models (imported lazily: only tests that need Keras pay for it)
and golden files, regenerated with `pytest --update-golden`."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
GOLDEN = Path(__file__).resolve().parent / "golden"

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
sys.path.insert(0, str(EXAMPLES))  # seed_models: the builders behind the shipped examples

# Property tests build real Keras models: no deadline, a bounded number of examples. "ci" is
# derandomized, so a CI run is reproducible; "dev" explores new examples on every run.
_common = dict(
    deadline=None,
    max_examples=20,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    print_blob=True,
)
settings.register_profile("ci", derandomize=True, **_common)
settings.register_profile("dev", **_common)
settings.register_profile("thorough", **{**_common, "max_examples": 300})
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))


def pytest_addoption(parser):
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="write the golden output files under tests/golden/ instead of comparing with them",
    )


@pytest.fixture
def golden(request):
    """Compare text with tests/golden/NAME, or write it there with --update-golden."""

    def check(name: str, text: str) -> None:
        path = GOLDEN / name
        if request.config.getoption("--update-golden"):
            path.write_text(text, encoding="utf-8")
            return
        assert path.exists(), f"no golden file {path}; run pytest --update-golden"
        expected = path.read_text(encoding="utf-8")
        assert text == expected, f"output differs from {path}; if intended, pytest --update-golden"

    return check


@pytest.fixture(scope="session")
def keras():
    import keras

    return keras


@pytest.fixture(scope="session")
def seed_model(keras):
    import seed_models

    keras.utils.clear_session()  # layer names as in a fresh session: "dense", not "dense_7"
    return seed_models.build_seed_classifier(keras)


@pytest.fixture(scope="session")
def tutorial_model(keras):
    import seed_models

    keras.utils.clear_session()
    return seed_models.build_tutorial_model(keras)


@pytest.fixture(scope="session")
def saved(tmp_path_factory):
    """Save a Keras model to a temporary .keras file; returns the path."""
    directory = tmp_path_factory.mktemp("saved")

    def save(model, name: str) -> Path:
        path = directory / f"{name}.keras"
        if not path.exists():
            model.save(path)
        return path

    return save
