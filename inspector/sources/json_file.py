"""Architecture-only JSON, as written by `model.to_json()`."""

from __future__ import annotations

import os

from ..errors import ConfigError
from ._json import MAX_JSON_BYTES, loads_strict


def load(path: str):
    from . import ModelSource

    size = os.path.getsize(path)
    if size > MAX_JSON_BYTES:
        raise ConfigError(f"is {size:,} bytes, over the {MAX_JSON_BYTES:,}-byte limit for JSON")
    with open(path, "rb") as handle:
        data = handle.read(MAX_JSON_BYTES + 1)
    if not data.strip():
        raise ConfigError("is empty")
    config = loads_strict(data, "the file")
    if not isinstance(config, dict) or "class_name" not in config:
        raise ConfigError("is JSON but not a Keras model config (no top-level class_name)")
    return ModelSource(path=path, format="json", config=config)
