"""The shapes of the weight arrays a file holds: HDF5 metadata only, never the data.

Used to count the params of layers no rule derives (marked as read, not derived) and by
`--verify` to check derived terms. h5py is imported only here, only when weights are asked for.
Links and external or virtual storage are refused: nothing outside the file is followed.
"""

from __future__ import annotations

import bisect
import re
import zipfile
from dataclasses import dataclass
from math import prod

from ..errors import ConfigError

MAX_DATASETS = 1_000_000


@dataclass(frozen=True)
class WeightArray:
    path: str  # inside the HDF5 file, e.g. "layers/dense/vars/0", or a live variable's path
    shape: tuple[int, ...]
    dtype: str
    trainable: bool | None = None  # known for a live model's variables only

    @property
    def count(self) -> int:
        return prod(self.shape)


class WeightIndex:
    """Every dataset of a weights file, by path, and where each layer's arrays live.

    `kind` is "keras3" (model.weights.h5 in a .keras zip: groups named after the classes,
    layers/<snake_case class>[_N]/vars/<i>) or "legacy" (a .h5 file from model.save("x.h5"):
    model_weights/<top-level layer name>/<layer name>/<weight>:0).
    """

    def __init__(self, arrays: list[WeightArray], kind: str, layer_names: tuple[str, ...] = ()):
        self.arrays = {a.path: a for a in arrays}
        self._paths = sorted(self.arrays)  # a group's arrays are one run: found by bisection
        self._order = {path: i for i, path in enumerate(self.arrays)}  # the file's own order
        self.kind = kind
        self.layer_names = layer_names  # legacy files: the top-level layers they hold weights for

    def under(self, group: str) -> list[WeightArray]:
        prefix = group.rstrip("/") + "/"
        found = []
        for path in self._paths[bisect.bisect_left(self._paths, prefix) :]:
            if not path.startswith(prefix):
                break
            found.append(self.arrays[path])
        return sorted(found, key=lambda a: self._order[a.path])

    def for_layer(self, location: LayerLocation) -> list[WeightArray]:
        if self.kind == "keras3":
            return self.under(location.keras3_group)
        # A top-level layer's arrays are all under model_weights/<its name>. Inside a nested
        # model they are scoped by variable paths that differ between versions ("Conv1/kernel:0"
        # in Keras 2, "functional/Conv1/kernel" in Keras 3): match the layer's own name as a
        # group on the way.
        names = location.path.split("/")
        arrays = self.under(f"model_weights/{names[0]}")
        if len(names) == 1:
            return arrays
        return [a for a in arrays if names[-1] in a.path.split("/")[2:-1]]


@dataclass(frozen=True)
class LayerLocation:
    """Where a layer's weights are: its path of names, and its Keras 3 weights-file group."""

    path: str
    keras3_group: str


def snake_case(name: str) -> str:
    """Keras's naming.to_snake_case, which names groups in a Keras 3 weights file.

    >>> snake_case("GlobalAveragePooling2D"), snake_case("ReLU"), snake_case("Conv2D")
    ('global_average_pooling2d', 're_lu', 'conv2d')
    """
    name = re.sub(r"\W+", "", name)
    name = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub("([a-z])([A-Z])", r"\1_\2", name).lower()


def read_index(path: str, source_format: str) -> WeightIndex | None:
    """The weight arrays of a `.keras` or legacy `.h5` file; None when it holds no weights."""
    import h5py

    if source_format == "keras":
        with zipfile.ZipFile(path) as archive:
            if "model.weights.h5" not in archive.namelist():
                return None
            with archive.open("model.weights.h5") as member, h5py.File(member, "r") as handle:
                return WeightIndex(_walk(handle), "keras3")
    if source_format == "h5":
        with h5py.File(path, "r") as handle:
            group = handle["model_weights"] if "model_weights" in handle else handle
            if "model_weights" not in handle and "layer_names" not in handle.attrs:
                return None
            names = tuple(chunked_attribute(group.attrs, "layer_names"))
            return WeightIndex(_walk(handle), "legacy", names)
    return None


def chunked_attribute(attrs, name: str) -> list[str]:
    """A list attribute Keras may have split into name0, name1, ... (HDF5 attributes are capped
    at 64 KiB; legacy_h5_format.save_attributes_to_hdf5_group), merged back in order."""
    if name in attrs:
        chunks = [attrs[name]]
    else:
        chunks, index = [], 0
        while f"{name}{index}" in attrs:
            chunks.append(attrs[f"{name}{index}"])
            index += 1
    values = []
    for chunk in chunks:
        for item in chunk:
            values.append(item.decode("utf-8") if isinstance(item, bytes) else str(item))
    return values


def _walk(handle) -> list[WeightArray]:
    """Every dataset's shape and dtype, walked without recursion; links refused."""
    import h5py

    found: list[WeightArray] = []
    stack = [("", handle)]
    while stack:
        prefix, group = stack.pop()
        for name in group:
            link = group.get(name, getlink=True)
            where = f"{prefix}{name}"
            if isinstance(link, (h5py.SoftLink, h5py.ExternalLink)):
                kind = "an external" if isinstance(link, h5py.ExternalLink) else "a soft"
                raise ConfigError(
                    f"the weights file has {kind} link at {where}; links are not followed"
                )
            item = group[name]
            if isinstance(item, h5py.Group):
                stack.append((where + "/", item))
            elif isinstance(item, h5py.Dataset):
                if item.is_virtual or item.external:
                    raise ConfigError(
                        f"the weights file stores {where} outside itself; it is not read"
                    )
                found.append(WeightArray(where, tuple(int(d) for d in item.shape), str(item.dtype)))
                if len(found) > MAX_DATASETS:
                    raise ConfigError(f"the weights file holds over {MAX_DATASETS:,} arrays")
    return found
