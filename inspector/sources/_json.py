"""Strict JSON: no NaN or Infinity, no duplicate keys, bounded size and nesting."""

from __future__ import annotations

import json

from ..errors import ConfigError

MAX_JSON_BYTES = 256 * 1024 * 1024


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
    try:
        return json.loads(
            text, parse_constant=_reject_constant, object_pairs_hook=_no_duplicate_keys
        )
    except json.JSONDecodeError as exc:
        raise ConfigError(f"{what} is not valid JSON: {exc.msg} at line {exc.lineno}") from None
    except RecursionError:
        raise ConfigError(f"{what} is nested too deeply to read") from None
