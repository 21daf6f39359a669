"""The layer reference is generated from the registry and kept in step with it."""

from __future__ import annotations

from conftest import ROOT

from inspector.docs import layer_reference
from inspector.rules import LAYER_RULES, OP_RULES


def test_layer_reference_is_up_to_date():
    text = (ROOT / "docs" / "layers.md").read_text(encoding="utf-8")
    assert text == layer_reference(), "run: python -m inspector.docs > docs/layers.md"


def test_every_registered_class_is_in_the_layer_reference():
    text = layer_reference()
    missing = [n for n in sorted(LAYER_RULES) + sorted(OP_RULES) if f"`{n}`" not in text]
    assert missing == []


def test_readme_shows_the_real_output(capsys, monkeypatch):
    from inspector.cli import main

    monkeypatch.chdir(ROOT)
    assert main(["examples/mobilenetv2_classifier.json"]) == 0
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shown = readme.split("## What you see\n\n```\n", 1)[1].split("```", 1)[0]
    assert shown == capsys.readouterr().out
