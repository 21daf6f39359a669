"""What-if: change a layer's class or config, derive the model again, and compare.

    --what-if global_average_pooling2d=Flatten        replace a layer with another class
    --what-if dense:units=10,use_bias=false           change config values (JSON, else text)

The model config is copied and edited as data; the edited model is derived like any other.
"""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass

from .errors import ConfigError
from .report import LayerReport, Report

# Why one choice is made over another, for replacements people ask about.
NOTES = {
    frozenset({"GlobalAveragePooling2D", "Flatten"}): (
        "Why GlobalAveragePooling2D here: it averages away position, keeping one number per "
        "channel; it needs no parameters; it keeps the head small (the Dense layer sees the "
        "channels, not channels × height × width); and it works for any input size, where "
        "Flatten ties the head's weights to one spatial size."
    ),
    frozenset({"GlobalMaxPooling2D", "GlobalAveragePooling2D"}): (
        "Both pool each channel to one number with no parameters: the average keeps how much "
        "of a feature is present overall, the maximum only whether it is present somewhere."
    ),
}


@dataclass(frozen=True)
class Change:
    """One --what-if: a layer (name or path) and a new class, or config values to set."""

    layer: str
    class_name: str | None = None
    values: tuple[tuple[str, object], ...] = ()

    def __str__(self) -> str:
        if self.class_name:
            return f"{self.layer} → {self.class_name}"
        return f"{self.layer}: " + ", ".join(f"{k}={json.dumps(v)}" for k, v in self.values)


def parse_change(text: str) -> Change:
    """`layer=Class` or `layer:key=value[,key=value]`.

    >>> parse_change("global_average_pooling2d=Flatten")
    Change(layer='global_average_pooling2d', class_name='Flatten', values=())
    >>> parse_change("dense:units=10,use_bias=false").values
    (('units', 10), ('use_bias', False))
    """
    if ":" in text:
        layer, _, assignments = text.partition(":")
        values = []
        for item in assignments.split(","):
            key, sep, raw = item.partition("=")
            if not sep or not key.strip():
                raise ConfigError(f"what-if {text!r}: expected layer:key=value[,key=value]")
            try:
                value = json.loads(raw)
            except json.JSONDecodeError:
                value = raw
            values.append((key.strip(), value))
        return Change(layer.strip(), values=tuple(values))
    layer, sep, class_name = text.partition("=")
    if not sep or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", class_name.strip()):
        raise ConfigError(f"what-if {text!r}: expected layer=ClassName or layer:key=value")
    return Change(layer.strip(), class_name=class_name.strip())


def apply_changes(model_config: dict, changes: list[Change]) -> dict:
    """A copy of the model config with the changes made."""
    edited = copy.deepcopy(model_config)
    for change in changes:
        entry = _find(edited, change.layer)
        config = entry["config"]
        if change.class_name:
            kept = {k: config[k] for k in ("name", "trainable", "dtype") if k in config}
            inbound = entry.get("inbound_nodes")
            entry.clear()
            entry.update(module="keras.layers", class_name=change.class_name, config=kept)
            if inbound is not None:  # a Functional model's layer keeps its connections
                entry.update(name=kept.get("name"), inbound_nodes=inbound)
        else:
            config.update(dict(change.values))
    return edited


def _find(model_config: dict, wanted: str) -> dict:
    """The serialized layer named `wanted` (a name, or a path through nested models)."""
    names = wanted.split("/")
    config = model_config.get("config") or {}
    for depth, name in enumerate(names):
        matches = [
            e
            for e in config.get("layers") or []
            if isinstance(e, dict)
            and (e.get("name") or (e.get("config") or {}).get("name")) == name
        ]
        if not matches:
            break
        if depth == len(names) - 1:
            return matches[0]
        config = matches[0].get("config") or {}
    # a bare name anywhere inside nested models
    if len(names) == 1:
        stack = [model_config]
        while stack:
            current = stack.pop()
            for entry in (current.get("config") or {}).get("layers") or []:
                if not isinstance(entry, dict):
                    continue
                if (entry.get("name") or (entry.get("config") or {}).get("name")) == wanted:
                    return entry
                if isinstance((entry.get("config") or {}).get("layers"), list):
                    stack.append(entry)
    raise ConfigError(f"what-if: the model has no layer {wanted!r}")


# ---- comparing the reports


@dataclass(frozen=True)
class RowChange:
    path: str
    before: LayerReport | None
    after: LayerReport | None


def compare(before: Report, after: Report) -> list[RowChange]:
    """The rows whose class, shapes or params differ, matched by path."""
    old = {(r.path, r.call): r for r in before.layers}
    new = {(r.path, r.call): r for r in after.layers}
    changes = []
    for key in list(old) + [k for k in new if k not in old]:
        a, b = old.get(key), new.get(key)
        if a is None or b is None or _differs(a, b):
            changes.append(RowChange(key[0], a, b))
    return changes


def _differs(a: LayerReport, b: LayerReport) -> bool:
    return (a.class_name, a.output_shapes, a.input_shapes, a.params.total, a.params.trainable) != (
        b.class_name,
        b.output_shapes,
        b.input_shapes,
        b.params.total,
        b.params.trainable,
    )


def notes_for(changes: list[RowChange]) -> list[str]:
    """The known reasons behind the class replacements among the changes."""
    notes = []
    for change in changes:
        if change.before and change.after:
            note = NOTES.get(frozenset({change.before.class_name, change.after.class_name}))
            if note and note not in notes:
                notes.append(note)
    return notes
