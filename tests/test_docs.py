"""The docs name every rule the registry holds."""

from __future__ import annotations

from conftest import ROOT

from inspector.rules import LAYER_RULES, OP_RULES


def test_every_registered_class_is_in_the_layer_reference():
    text = (ROOT / "docs" / "layers.md").read_text(encoding="utf-8")
    missing = [name for name in sorted(LAYER_RULES) + sorted(OP_RULES) if name not in text]
    assert missing == []
