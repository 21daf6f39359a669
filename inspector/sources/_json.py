"""Strict JSON: no NaN or Infinity, no duplicate keys, bounded size and nesting."""

from __future__ import annotations

import json
import re

from ..errors import ConfigError

MAX_JSON_BYTES = 256 * 1024 * 1024
MAX_DEPTH = 512  # Keras configs nest a few levels per model; this leaves room for 64 models


def _reject_constant(name: str):
    raise ConfigError(f"JSON holds {name}, which is not valid JSON")


def _no_duplicate_keys(pairs):
    result = {}
    for key, value in pairs:
        if key in result:
            raise ConfigError(f"JSON object has the key {key!r} twice")
        result[key] = value
    return result


def loads_strict(data: bytes, what: str) -> object:
    """Parse `data` as UTF-8 JSON, raising ConfigError with `what` named on any problem.

    >>> loads_strict(b'{"a": [1, null]}', "config.json")
    {'a': [1, None]}
    """
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{what} is not UTF-8 text (byte {exc.start})") from None
    depth = _nesting(text)
    if depth > MAX_DEPTH:
        raise ConfigError(f"{what} is nested {depth} levels deep, over the limit of {MAX_DEPTH}")
    try:
        return json.loads(
            text, parse_constant=_reject_constant, object_pairs_hook=_no_duplicate_keys
        )
    except json.JSONDecodeError as exc:
        raise ConfigError(f"{what} is not valid JSON: {exc.msg} at line {exc.lineno}") from None
    except RecursionError:
        raise ConfigError(f"{what} is nested too deeply to read") from None


_BRACKETS = re.compile(r'[\[\]{}]|"(?:[^"\\]|\\.)*"')


def _nesting(text: str) -> int:
    """How deep brackets nest, strings skipped; counted without recursion, before parsing, so
    that a deeply nested file never reaches the recursive parser.

    >>> _nesting('{"a": [1, {"b": "]]]"}]}')
    3
    """
    depth = deepest = 0
    for match in _BRACKETS.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif token in "]}":
            depth -= 1
    return deepest
