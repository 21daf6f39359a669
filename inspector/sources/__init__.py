"""Model sources: the only place that reads files. Each returns a ModelSource of plain dicts.

Nothing read here is imported or executed; TensorFlow and Keras are never imported.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from ..errors import ConfigError, InspectorError

SUPPORTED = (
    "a .keras file (Keras 3 or tf.keras 2.x), a legacy .h5 model file, or the architecture JSON "
    "written by model.to_json()"
)


@dataclass(frozen=True)
class ModelSource:
    """A model's configuration as plain data, with where it came from."""

    path: str
    format: str  # "keras" (a .keras zip), "h5" (legacy HDF5), "json" (architecture only)
    config: dict  # {"class_name": ..., "config": {...}, ...} as Keras serializes a model
    metadata: dict = field(default_factory=dict)

    def weight_index(self):
        """The shapes of the weight arrays the file holds (None for JSON or a file without)."""
        from .weights import read_index

        try:
            return read_index(self.path, self.format)
        except ConfigError as exc:
            raise InspectorError(self.path, str(exc)) from None
        except (OSError, KeyError, ValueError, RuntimeError) as exc:
            raise InspectorError(self.path, f"cannot read its weights ({exc})") from None


def load_source(path: str | os.PathLike) -> ModelSource:
    """Read a model file without importing Keras.

    >>> load_source("examples/mobilenetv2_classifier.json").config["class_name"]  # doctest: +SKIP
    'Sequential'
    """
    name = os.fspath(path)
    try:
        return _load(name)
    except ConfigError as exc:
        raise InspectorError(name, str(exc)) from None
    except OSError as exc:
        raise InspectorError(name, exc.strerror or str(exc)) from None


def _load(path: str) -> ModelSource:
    from . import h5, json_file, keras_zip

    if os.path.isdir(path):
        if os.path.exists(os.path.join(path, "saved_model.pb")):
            raise ConfigError(
                f"is a TensorFlow SavedModel directory, which holds no Keras config; "
                f"supported: {SUPPORTED}"
            )
        raise ConfigError(f"is a directory; supported: {SUPPORTED}")
    if not os.path.exists(path):
        raise ConfigError("no such file")
    with open(path, "rb") as handle:
        head = handle.read(8)
    if keras_zip.is_zip(path):
        return keras_zip.load(path)
    if head.startswith(b"PK"):
        raise ConfigError("is a damaged or truncated zip archive (no central directory)")
    if head.startswith(b"\x89HDF\r\n\x1a\n"):
        return h5.load(path)
    if head.lstrip()[:1] in (b"{",) or path.endswith(".json"):
        return json_file.load(path)
    if not head:
        raise ConfigError(f"is empty; supported: {SUPPORTED}")
    raise ConfigError(f"is neither a zip archive nor JSON; supported: {SUPPORTED}")
