"""Teaching output on the seed: --explain, --what-if, MACs, Markdown and HTML."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from conftest import EXAMPLES

import inspector
from inspector.cli import main

SEED = str(EXAMPLES / "mobilenetv2_classifier.json")


def run(capsys, *args) -> str:
    assert main([SEED, *args]) == 0
    return capsys.readouterr().out


def test_explain_dense_shows_the_whole_derivation(capsys):
    out = run(capsys, "--explain", "dense")
    assert "Input:   (None, 1280) from global_average_pooling2d" in out
    assert "Config used: units=1, use_bias=true" in out
    assert "total: 1,280 × 1 weights + 1 bias = 1,281 (1,281 trainable, 0 non-trainable)" in out
    assert "MACs:    1,280 = 1280×1 kernel" in out


def test_explain_says_why_params_do_not_train(capsys):
    out = run(capsys, "--explain", "mobilenetv2_1.00_160/bn_Conv1")
    assert "mobilenetv2_1.00_160's trainable=False freezes it" in out


def test_explain_names_moving_statistics_in_a_trainable_base():
    from dataclasses import replace

    from inspector.render.explain import _why_trainable

    row = inspector.inspect_model(SEED).layer("mobilenetv2_1.00_160/bn_Conv1")
    unfrozen = replace(row, frozen_by=None)
    trains = {"gamma": True, "beta": True, "moving_mean": False, "moving_variance": False}
    reasons = {
        t.name: _why_trainable(unfrozen, replace(t, trainable=trains[t.name]))
        for t in row.params.terms
    }
    assert reasons["gamma"] == "trainable"
    assert "a moving statistic, updated by averaging, never by gradients" in reasons["moving_mean"]


def test_explain_convolution_arithmetic(capsys):
    out = run(capsys, "--explain", "mobilenetv2_1.00_160/Conv1")
    assert "⌈160 / 2⌉ = 80" in out
    assert "MACs:    5,529,600 = 80×80 positions × 3×3×3×32 kernel" in out


def test_explain_unknown_layer_lists_the_layers(capsys):
    assert main([SEED, "--explain", "nope"]) == 2
    err = capsys.readouterr().err
    assert "no layer named 'nope'" in err and "global_average_pooling2d" in err


def test_what_if_flatten_instead_of_pooling(capsys):
    out = run(capsys, "--what-if", "global_average_pooling2d=Flatten")
    assert "5 × 5 × 1280 = 32,000 features" in out
    assert "1,281 params = 1,280 × 1 weights + 1 bias" in out
    assert "32,001 params = 32,000 × 1 weights + 1 bias" in out
    assert "25.0 × more" in out  # 32,001 / 1,281
    assert "Total params:     2,259,265 → 2,289,985 (+30,720)" in out
    assert "it averages away position" in out and "works for any input size" in out


def test_what_if_config_change(capsys):
    out = run(capsys, "--what-if", "dense:units=10")
    assert "12,810 params = 1,280 × 10 weights + 10 bias" in out
    assert "Total params:     2,259,265 → 2,270,794 (+11,529)" in out


def test_what_if_bad_requests(capsys):
    assert main([SEED, "--what-if", "ghost=Flatten"]) == 2
    assert "no layer 'ghost'" in capsys.readouterr().err
    assert main([SEED, "--what-if", "dense"]) == 2
    assert "expected layer=ClassName" in capsys.readouterr().err


def test_every_row_has_an_explanation():
    for path in (SEED, str(EXAMPLES / "mobilenetv2_tutorial.json")):
        report = inspector.inspect_model(path)
        assert [r.path for r in report.layers if not r.explanation.strip()] == []


def test_markdown_table(capsys):
    out = run(capsys, "--format", "markdown")
    assert out.startswith("## sequential (Sequential)")
    assert "| `dense`" in out and "1,281 = 1,280 × 1 weights + 1 bias" in out
    assert "- Total params: **2,259,265**" in out


def test_html_is_self_contained(tmp_path, capsys):
    page = tmp_path / "seed.html"
    assert main([SEED, "--format", "html", "--output", str(page)]) == 0
    html = page.read_text(encoding="utf-8")
    assert html.count("<svg") == 2  # the model, and the nested base
    assert html.count('class="layer"') == 3 + 154
    assert "<details>" in html and "154 layers" in html
    for external in ("http://", "https://", "<script", "<link", "@import", "src="):
        assert external not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(CHROMIUM is None, reason="needs Debian's chromium (.ci/run installs it)")
def test_html_renders_in_headless_chromium(tmp_path):
    page = tmp_path / "seed.html"
    assert main([SEED, "--format", "html", "--output", str(page)]) == 0
    flags = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp_path / 'profile'}",
        "--window-size=1300,1100",
        "--enable-logging=stderr",
        "--v=0",
    ]
    dom = subprocess.run(
        [*flags, "--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=120
    )
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert dom.stdout.count("<svg") == 2 and dom.stdout.count('class="layer"') == 157
    assert "CONSOLE" not in dom.stderr  # no console errors from the page
    shot = tmp_path / "seed.png"
    result = subprocess.run(
        [*flags, f"--screenshot={shot}", page.as_uri()], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0 and shot.stat().st_size > 20_000
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = (int.from_bytes(shot.read_bytes()[i : i + 4], "big") for i in (16, 20))
    assert (width, height) == (1300, 1100)


def test_json_totals_include_macs_and_memory(capsys):
    data = json.loads(run(capsys, "--format", "json"))
    assert data["totals"]["macs"] == sum(r["macs"] for r in data["layers"] if not r["is_model"])
