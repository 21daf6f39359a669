"""Attention layers."""

from __future__ import annotations

from ..errors import ConfigError
from ..shapes import fmt_dims, known_product
from .base import Derivation, get_bool, get_choice, get_int, known, layer_rule, weight


def _query_value_key(input_shapes: list, what: str):
    if len(input_shapes) not in (2, 3):
        raise ConfigError(f"{what} takes query, value and optionally key; got {len(input_shapes)}")
    query, value = input_shapes[0], input_shapes[1]
    key = input_shapes[2] if len(input_shapes) == 3 else value
    if tuple(value[1:-1]) != tuple(key[1:-1]):
        raise ConfigError(f"value {value} and key {key} differ in their middle axes")
    return tuple(query), tuple(value), tuple(key)


def _attention_macs(parts: list[tuple[str, list]]) -> tuple[int | None, str]:
    """Sum of products, each a named list of factors: projections, QKᵀ and AV."""
    total, texts = 0, []
    for name, factors in parts:
        texts.append(f"{name} {'×'.join('?' if f is None else str(f) for f in factors)}")
        if total is not None and None not in factors:
            product = 1
            for f in factors:
                product *= f
            total += product
        else:
            total = None
    return total, " + ".join(texts)


def _projection_terms(projections, bias: bool) -> list:
    """The query, key, value (and gate) projections: kernels features × heads × size, biases
    heads × size."""
    terms = []
    for name, features, heads, size in projections:
        terms.append(weight(f"{name}/kernel", (features, heads, size)))
        if bias:
            terms.append(weight(f"{name}/bias", (heads, size)))
    return terms


def _projection_macs(projections, lengths: dict) -> list:
    return [
        (f"{name} projection", [lengths[name], features, heads, size])
        for name, features, heads, size in projections
    ]


def _length(shape: tuple) -> int | None:
    """Positions along the attended axes: everything between the batch and the features."""
    return known_product(shape[1:-1])


def _scores(call: dict, query: tuple, key: tuple, heads: int | None = None) -> tuple:
    if not call.get("return_attention_scores"):
        return ()
    if heads is None:
        return ((*query[:-1], key[-2]),)
    return ((query[0], heads, *query[1:-1], *key[1:-1]),)


def _multi_head_attention(config: dict, input_shapes: list, call: dict) -> Derivation:
    """Output: query[:-1] + output_shape (default: the query's last axis); with
        return_attention_scores also (batch, heads, Tq, Tk).
    Params: query, key, value (and gate): kernel features × heads × key_dim (value_dim for value
        and gate) + bias heads × key_dim; output: kernel heads × value_dim × output + bias
        output; biases only with use_bias.
    """
    query, value, key = _query_value_key(input_shapes, "MultiHeadAttention")
    heads = get_int(config, "num_heads", minimum=1)
    key_dim = get_int(config, "key_dim", minimum=1)
    value_dim = config.get("value_dim") or key_dim
    bias = get_bool(config, "use_bias", True)
    q, k, v = (
        known(s[-1], f"{n} features") for s, n in ((query, "query"), (key, "key"), (value, "value"))
    )
    out = config.get("output_shape") or [q]
    out = [out] if isinstance(out, int) else list(out)
    projections = [("query", q, heads, key_dim), ("key", k, heads, key_dim)]
    if get_bool(config, "use_gate", False):
        projections.append(("gate", q, heads, value_dim))
    projections.append(("value", v, heads, value_dim))
    terms = _projection_terms(projections, bias)
    terms.append(weight("attention_output/kernel", (heads, value_dim, *out)))
    if bias:
        terms.append(weight("attention_output/bias", tuple(out)))
    output = query[:-1] + tuple(out)
    tq, tk = _length(query), _length(key)
    lengths = {"query": tq, "gate": tq, "key": tk, "value": _length(value)}
    macs = _attention_macs(
        _projection_macs(projections, lengths)
        + [("QKᵀ", [heads, tq, tk, key_dim]), ("AV", [heads, tq, tk, value_dim])]
        + [("output projection", [tq, heads, value_dim, *out])]
    )
    text = (
        f"{heads} heads: projects query ({q}), key ({k}) and value ({v}) features to "
        f"{heads} × {key_dim} (values {heads} × {value_dim}), attends, and projects "
        f"{heads} × {value_dim} back to {fmt_dims((None, *out))}; → {fmt_dims(output)}"
    )
    outputs = (output,) + _scores(call, query, key, heads)
    return Derivation(outputs, tuple(terms), text, *macs)


_multi_head_attention.arguments = ("query", "value", "key")
_multi_head_attention.uses_call = True
layer_rule("MultiHeadAttention")(_multi_head_attention)


def _grouped_query_attention(config: dict, input_shapes: list, call: dict) -> Derivation:
    """Output: the query's shape.
    Params: query and gate: kernel features × query_heads × head_dim; key and value: kernel
        features × key_value_heads × head_dim; output kernel query_heads × head_dim × query
        features; biases of the kernels' last two axes (output: features) with use_bias.
    """
    query, value, key = _query_value_key(input_shapes, "GroupedQueryAttention")
    heads = get_int(config, "num_query_heads", minimum=1)
    groups = get_int(config, "num_key_value_heads", minimum=1)
    if heads % groups:
        raise ConfigError(
            f"num_query_heads {heads} must be a multiple of num_key_value_heads {groups}"
        )
    size = get_int(config, "head_dim", minimum=1)
    bias = get_bool(config, "use_bias", True)
    q, k, v = (known(s[-1], "features") for s in (query, key, value))
    projections = [("query", q, heads, size), ("key", k, groups, size)]
    if get_bool(config, "use_gate", False):
        projections.append(("gate", q, heads, size))
    projections.append(("value", v, groups, size))
    terms = _projection_terms(projections, bias)
    terms.append(weight("attention_output/kernel", (heads, size, q)))
    if bias:
        terms.append(weight("attention_output/bias", (q,)))
    text = f"{heads} query heads share {groups} key/value heads of {size}; → {fmt_dims(query)}"
    tq, tk = _length(query), _length(key)
    lengths = {"query": tq, "gate": tq, "key": tk, "value": _length(value)}
    macs = _attention_macs(
        _projection_macs(projections, lengths)
        + [("QKᵀ", [heads, tq, tk, size]), ("AV", [heads, tq, tk, size])]
        + [("output projection", [tq, heads, size, q])]
    )
    outputs = (query,) + _scores(call, query, key, heads)
    return Derivation(outputs, tuple(terms), text, *macs)


_grouped_query_attention.arguments = ("query", "value", "key")
_grouped_query_attention.uses_call = True
layer_rule("GroupedQueryAttention", "GroupQueryAttention")(_grouped_query_attention)


def _attention(config: dict, input_shapes: list, call: dict) -> Derivation:
    """Output: query[:-1] + value[-1]; with return_attention_scores also (batch, Tq, Tv).
    Params: scale: 1 with use_scale; concat_score_weight: 1 with score_mode='concat'.
    """
    query, value, key = _query_value_key(input_shapes, "Attention")
    terms = []
    if get_bool(config, "use_scale", False):
        terms.append(weight("scale", ()))
    if get_choice(config, "score_mode", ("dot", "concat"), "dot") == "concat":
        terms.append(weight("concat_score_weight", ()))
    output = query[:-1] + value[-1:]
    text = f"dot-product attention of {query[-2]} queries over {key[-2]} keys; → {fmt_dims(output)}"
    tq, tk = _length(query), _length(key)
    macs = _attention_macs([("QKᵀ", [tq, tk, query[-1]]), ("AV", [tq, tk, value[-1]])])
    return Derivation((output,) + _scores(call, query, key), tuple(terms), text, *macs)


def _additive_attention(config: dict, input_shapes: list, call: dict) -> Derivation:
    """Output: query[:-1] + value[-1].
    Params: scale: query features, with use_scale.
    """
    query, value, key = _query_value_key(input_shapes, "AdditiveAttention")
    terms = []
    if get_bool(config, "use_scale", True):
        terms.append(weight("scale", (known(query[-1], "query features"),)))
    output = query[:-1] + value[-1:]
    text = (
        f"additive (Bahdanau) attention of {query[-2]} queries over {key[-2]} keys; "
        f"→ {fmt_dims(output)}"
    )
    tq, tk = _length(query), _length(key)
    macs = _attention_macs([("scores", [tq, tk, query[-1]]), ("AV", [tq, tk, value[-1]])])
    return Derivation((output,) + _scores(call, query, key), tuple(terms), text, *macs)


for _name, _rule in (("Attention", _attention), ("AdditiveAttention", _additive_attention)):
    _rule.uses_call = True
    layer_rule(_name)(_rule)
