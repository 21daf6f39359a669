"""The Keras 3 `.keras` format: a zip archive holding config.json, metadata.json and weights.

Members are read by name, with their declared sizes checked before reading and the read itself
bounded, so a deflate bomb costs nothing. Nothing is extracted to disk.
"""

from __future__ import annotations

import zipfile
import zlib

from ..errors import ConfigError
from ._json import loads_strict

MAX_CONFIG_BYTES = 64 * 1024 * 1024
MAX_METADATA_BYTES = 1024 * 1024


def is_zip(path: str) -> bool:
    return zipfile.is_zipfile(path)


def _read_member(archive: zipfile.ZipFile, name: str, limit: int) -> bytes:
    infos = [info for info in archive.infolist() if info.filename == name]
    if len(infos) > 1:
        raise ConfigError(f"the archive holds {name} {len(infos)} times")
    info = infos[0]
    if info.flag_bits & 0x1:
        raise ConfigError(f"{name} in the archive is encrypted")
    if info.file_size > limit:
        raise ConfigError(
            f"{name} declares {info.file_size:,} bytes, over the {limit:,}-byte limit"
        )
    with archive.open(info) as member:
        data = member.read(limit + 1)
    if len(data) > limit:
        raise ConfigError(f"{name} expands past the {limit:,}-byte limit")
    return data


def load(path: str):
    from . import ModelSource

    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if "config.json" not in names:
                raise ConfigError(
                    "is a zip archive without config.json, so not a Keras 3 .keras file"
                )
            config = loads_strict(
                _read_member(archive, "config.json", MAX_CONFIG_BYTES), "config.json"
            )
            metadata = {}
            if "metadata.json" in names:
                metadata = loads_strict(
                    _read_member(archive, "metadata.json", MAX_METADATA_BYTES), "metadata.json"
                )
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        EOFError,
        NotImplementedError,
        zlib.error,
        OverflowError,
        ValueError,
    ) as exc:
        raise ConfigError(f"is a damaged zip archive ({exc})") from None
    except RuntimeError as exc:  # zipfile raises it for encrypted members
        raise ConfigError(f"cannot be read as a zip archive ({exc})") from None
    if not isinstance(config, dict):
        raise ConfigError("config.json does not hold a JSON object")
    if not isinstance(metadata, dict):
        metadata = {}
    return ModelSource(path=path, format="keras", config=config, metadata=metadata)
