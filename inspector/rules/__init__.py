"""Layer rules: one small pure function per layer class, found by the exact class name.

A rule takes the layer's config dict and its input shapes (batch included, None for unknown)
and returns a Derivation. Adding a layer is adding one function and one test.

Two opt-ins, as function attributes: `arguments = ("query", "value", "key")` names the call
arguments whose tensors the rule takes, in that order (by default: the first argument's);
`uses_call = True` passes the call's plain keyword arguments (`reverse=True`) as a third argument.
"""

from __future__ import annotations

from . import (  # noqa: F401  (importing a module registers its rules)
    applications,
    attention,
    convolution,
    core,
    einsum,
    merging,
    normalization,
    ops,
    pooling,
    preprocessing,
    recurrent,
    reshaping,
)
from .base import FOREIGN, LAYER_RULES, OP_RULES, Derivation, Rule, is_keras_module


def find_rule(
    class_name: str, module: str | None, registered_name: str | None = None
) -> Rule | None:
    """The rule for a layer as its config names it, or None when no rule applies.

    Only Keras's own classes have rules: a class from another module that happens to be called
    `Dense` is someone's custom layer, and is reported as not derived.

    >>> find_rule("Dense", "keras.layers").__name__
    'dense'
    >>> find_rule("Dense", "my_project.layers") is None
    True
    """
    if module is not None and module.startswith("keras.src.ops"):
        return OP_RULES.get(class_name)
    if not is_keras_module(module):
        return None
    if registered_name not in (None, class_name):
        return None
    return LAYER_RULES.get(class_name)


__all__ = [
    "Derivation",
    "FOREIGN",
    "LAYER_RULES",
    "OP_RULES",
    "Rule",
    "find_rule",
    "is_keras_module",
]
