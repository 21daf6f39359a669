"""The layer reference (docs/layers.md), generated from the rule registry.

    python -m inspector.docs > docs/layers.md

Each rule's docstring says its output shape ("Output: ...") and parameters ("Params: ..."); this
module groups the class names that share a rule and writes one row per rule, so the reference
and the code cannot disagree (a test compares docs/layers.md with this output).
"""

from __future__ import annotations

import re

from .rules import FOREIGN, LAYER_RULES, OP_RULES

HEADER = """\
# Layers derived

Generated from the rules in `inspector/rules/` by `python -m inspector.docs`; do not edit.

Each rule is found by the exact `class_name` a config names. Only Keras's own classes get a rule:
a class from another module that shares a name is someone's custom layer, reported as not
derived. Shapes include the batch axis; `n` is an input length, `k` a kernel size, `s` a stride,
`d` a dilation rate.
"""


def _fields(rule) -> tuple[str, str]:
    text = " ".join((rule.__doc__ or "").split())
    match = re.match(r"Output: (.*?) Params: (.*)$", text)
    if not match:
        raise ValueError(f"rule {rule.__qualname__} has no 'Output: ... Params: ...' docstring")
    return match.group(1), match.group(2)


def _table(registry: dict) -> list[str]:
    groups: dict[tuple[str, str], list[str]] = {}
    rules = {}
    for name, rule in registry.items():
        key = (rule.__module__, rule.__qualname__)
        groups.setdefault(key, []).append(name)
        rules[key] = rule
    lines = ["| classes | output shape | parameters |", "|---|---|---|"]
    for key in sorted(groups, key=lambda k: (k[0], min(groups[k]))):
        output, params = _fields(rules[key])
        names = ", ".join(f"`{n}`" for n in sorted(groups[key]))
        lines.append(f"| {names} | {output} | {params} |")
    return lines


def layer_reference() -> str:
    lines = [HEADER, "## Layers", ""]
    lines += _table(LAYER_RULES)
    lines += [
        "",
        "## Op layers",
        "",
        "What Keras writes when a `keras.ops` function is applied to a symbolic tensor (module",
        "`keras.src.ops.*`), e.g. `x / 127.5 - 1` as `TrueDivide` and `Subtract`.",
        "None holds weights.",
        "",
    ]
    lines += _table(OP_RULES)
    lines += [
        "",
        "## Never derived",
        "",
        "These Keras classes wrap code or files from elsewhere. They are reported as not derived,",
        "with the output shapes the file records; what they name is never loaded or run.",
        "",
        "| class | wraps |",
        "|---|---|",
    ]
    lines += [f"| `{name}` | {what} |" for name, what in sorted(FOREIGN.items())]
    lines += [
        "",
        "## Nested models",
        "",
        "`Sequential` and `Functional` models (and `Pipeline`) inside a model: their outputs are",
        "their output layers', their params the sum of their layers'.",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    print(layer_reference(), end="")
