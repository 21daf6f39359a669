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
