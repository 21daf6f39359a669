"""The README's first command on a fresh machine: install without extras, no TensorFlow,
and the shipped example still works. Builds a real virtual environment (about 20 s)."""

from __future__ import annotations

import shutil
import subprocess
import venv

from conftest import ROOT


def test_fresh_venv_without_extras_runs_the_example_without_tensorflow(tmp_path):
    project = tmp_path / "project"
    shutil.copytree(
        ROOT,
        project,
        ignore=shutil.ignore_patterns(".git", "tests", "*.egg-info", "build", "__pycache__", ".*"),
    )
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    install = subprocess.run(
        [python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", str(project)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert install.returncode == 0, install.stderr[-3000:]
    probe = subprocess.run(
        [
            python,
            "-c",
            "import importlib.util as u; "
            "print([m for m in ('tensorflow', 'keras') if u.find_spec(m)])",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert probe.stdout.strip() == "[]", "TensorFlow or Keras got installed without the extra"
    run = subprocess.run(
        [python, "-m", "inspector", "examples/mobilenetv2_classifier.json"],
        capture_output=True,
        text=True,
        cwd=project,
        timeout=60,
    )
    assert run.returncode == 0, run.stderr
    assert "Total params: 2,259,265" in run.stdout
