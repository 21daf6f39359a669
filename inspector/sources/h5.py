"""Legacy HDF5 model files (`model.save("x.h5")` in Keras 3 or tf.keras 2.x): the model config is
the JSON text in the root attribute `model_config`. Only attributes are read here."""

from __future__ import annotations

from ..errors import ConfigError
from ._json import loads_strict

MAX_CONFIG_BYTES = 64 * 1024 * 1024


def load(path: str):
    from . import ModelSource

    try:
        import h5py
    except ImportError:  # pragma: no cover - h5py is a dependency
        raise ConfigError("is an HDF5 file, and reading one needs h5py") from None
    try:
        with h5py.File(path, "r") as handle:
            raw = handle.attrs.get("model_config")
            version = handle.attrs.get("keras_version")
    except OSError as exc:
        raise ConfigError(f"is a damaged HDF5 file ({exc})") from None
    if raw is None:
        raise ConfigError("is an HDF5 file without a model config (a weights-only file?)")
    data = raw.encode("utf-8") if isinstance(raw, str) else bytes(raw)
    if len(data) > MAX_CONFIG_BYTES:
        raise ConfigError(f"its model config is over {MAX_CONFIG_BYTES:,} bytes")
    config = loads_strict(data, "the model_config attribute")
    if not isinstance(config, dict):
        raise ConfigError("its model_config attribute is not a JSON object")
    metadata = {"keras_version": version.decode() if isinstance(version, bytes) else str(version)}
    return ModelSource(path=path, format="h5", config=config, metadata=metadata)
