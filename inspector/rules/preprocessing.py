"""Preprocessing and augmentation layers that hold no weights."""

from __future__ import annotations

import math

from ..errors import ConfigError
from ..shapes import conv_length, fmt_dims, fmt_product
from .base import (
    Derivation,
    axes_of,
    get_int,
    get_number,
    known,
    layer_rule,
    one_input,
    statistic,
    weight,
)


def _number_or_list(value):
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(f"{v:g}" for v in value) + "]"
    return f"{value:g}"


@layer_rule("Rescaling")
def rescaling(config: dict, input_shapes: list) -> Derivation:
    """Output: unchanged.
    Params: none.
    """
    shape = one_input(input_shapes, what="Rescaling")
    scale = config.get("scale", 1.0)
    offset = config.get("offset", 0.0)
    text = (
        f"x · {_number_or_list(scale)} + {_number_or_list(offset)} for each value; shape unchanged"
    )
    return Derivation((shape,), (), text)


@layer_rule("RandomFlip")
def random_flip(config: dict, input_shapes: list) -> Derivation:
    """Output: unchanged.
    Params: none.
    """
    shape = one_input(input_shapes, what="RandomFlip")
    mode = config.get("mode", "horizontal_and_vertical")
    text = (
        f"in training flips each image at random ({mode}); at inference passes through; "
        f"shape unchanged"
    )
    return Derivation((shape,), (), text)


@layer_rule("RandomRotation")
def random_rotation(config: dict, input_shapes: list) -> Derivation:
    """Output: unchanged.
    Params: none.
    """
    shape = one_input(input_shapes, what="RandomRotation")
    factor = config.get("factor", 0.0)
    if isinstance(factor, (list, tuple)) and len(factor) == 2:
        low, high = (get_number({"f": f}, "f") for f in factor)
    else:
        high = get_number(config, "factor")
        low = -high
    text = (
        f"in training rotates each image by a random angle in [{low * 360:g}°, {high * 360:g}°] "
        f"(factor × 360°); at inference passes through; shape unchanged"
    )
    return Derivation((shape,), (), text)


def _augmentation(what: str):
    def rule(config: dict, input_shapes: list) -> Derivation:
        """Output: unchanged.
        Params: none.
        """
        shape = one_input(input_shapes)
        text = f"in training {what}; at inference passes through; shape unchanged"
        return Derivation((shape,), (), text)

    return rule


_AUGMENTATIONS = {
    "RandomBrightness": "shifts each image's brightness at random",
    "RandomColorDegeneration": "blends each image with its grayscale version at random",
    "RandomColorJitter": "jitters brightness, contrast, saturation and hue at random",
    "RandomContrast": "scales each image's contrast at random",
    "RandomElasticTransform": "warps each image elastically at random",
    "RandomErasing": "erases random rectangles",
    "RandomGaussianBlur": "blurs each image at random",
    "RandomGrayscale": "turns images grayscale at random (channels kept)",
    "RandomHue": "shifts each image's hue at random",
    "RandomInvert": "inverts images at random",
    "RandomPerspective": "applies a random perspective transform",
    "RandomPosterization": "reduces the bits per channel at random",
    "RandomSaturation": "scales each image's saturation at random",
    "RandomSharpness": "sharpens or blurs each image at random",
    "RandomShear": "shears each image at random",
    "RandomTranslation": "shifts each image at random",
    "RandomZoom": "zooms each image in or out at random",
    "AutoContrast": "stretches each image's values to the full range",
    "Equalization": "equalizes each image's histogram",
    "Solarization": "inverts values above a threshold",
    "AugMix": "mixes randomly augmented copies of each image",
    "CutMix": "pastes patches between images of the batch",
    "MixUp": "blends pairs of images of the batch",
    "RandAugment": "applies randomly chosen augmentations",
    "ContrastLimitedAdaptiveHistogramEqualization": "equalizes local histograms (CLAHE)",
}
for _name, _what in _AUGMENTATIONS.items():
    layer_rule(_name)(_augmentation(_what))


def _image_size(what: str, config: dict, shape: tuple) -> tuple:
    height = get_int(config, "height", minimum=1)
    width = get_int(config, "width", minimum=1)
    if len(shape) != 4:
        raise ConfigError(f"{what} expects images of rank 4 (batch included), got {shape}")
    data_format = config.get("data_format") or "channels_last"
    if data_format == "channels_first":
        return (shape[0], shape[1], height, width)
    return (shape[0], height, width, shape[3])


def _resizing_like(what: str, verb: str):
    def rule(config: dict, input_shapes: list) -> Derivation:
        """Output: height and width become the configured ones.
        Params: none.
        """
        shape = one_input(input_shapes, what=what)
        out = _image_size(what, config, shape)
        return Derivation((out,), (), f"{verb}: {fmt_dims(shape)} → {fmt_dims(out)}")

    return rule


layer_rule("Resizing")(_resizing_like("Resizing", "resizes each image"))
layer_rule("CenterCrop")(_resizing_like("CenterCrop", "crops the center of each image"))
layer_rule("RandomCrop")(_resizing_like("RandomCrop", "crops each image at a random place"))


@layer_rule("Normalization")
def normalization(config: dict, input_shapes: list) -> Derivation:
    """Output: unchanged.
    Params: mean and variance of the kept axes, and count (1), all never trainable; none when
        mean and variance are in the config.
    """
    shape = one_input(input_shapes, what="Normalization")
    axis = config.get("axis", -1)
    axes = () if axis is None else axes_of(axis, len(shape))
    kept = tuple(known(shape[a], f"axis {a}") for a in sorted(axes))
    verb = (
        "undoes a normalization"
        if config.get("invert")
        else "subtracts a mean and divides by a standard deviation"
    )
    if config.get("mean") is not None:
        return Derivation((shape,), (), f"{verb} given in its config; shape unchanged")
    terms = (statistic("mean", kept), statistic("variance", kept), statistic("count", ()))
    text = (
        f"{verb}, learned by adapt() per {fmt_product(kept) if kept else 'tensor'}; shape unchanged"
    )
    return Derivation((shape,), terms, text)


def _depth_shape(shape: tuple, depth: int, mode: str) -> tuple:
    """Keras's encoded shapes: one_hot adds an axis (or replaces a last axis of 1); the others
    make the last axis the encoding."""
    if mode == "one_hot":
        if len(shape) > 1 and shape[-1] == 1:
            return shape[:-1] + (depth,)
        return shape + (depth,)
    return shape[:-1] + (depth,)


@layer_rule("CategoryEncoding")
def category_encoding(config: dict, input_shapes: list) -> Derivation:
    """Output: one_hot adds an axis of num_tokens (replacing a last axis of 1); the other modes
        make the last axis num_tokens.
    Params: none.
    """
    shape = one_input(input_shapes, what="CategoryEncoding")
    tokens = get_int(config, "num_tokens", minimum=1)
    mode = config.get("output_mode", "multi_hot")
    if mode == "one_hot" and shape[-1] != 1 and len(shape) == 1:
        out = shape + (tokens,)
    else:
        out = _depth_shape(shape, tokens, mode)
    return Derivation(
        (out,), (), f"encodes ids below {tokens} as {mode} vectors: → {fmt_dims(out)}"
    )


@layer_rule("Hashing")
def hashing(config: dict, input_shapes: list) -> Derivation:
    """Output: unchanged for 'int'; otherwise the last axis becomes num_bins.
    Params: none.
    """
    shape = one_input(input_shapes, what="Hashing")
    bins = get_int(config, "num_bins", minimum=1)
    mode = config.get("output_mode", "int")
    out = shape if mode == "int" else shape[:-1] + (bins,)
    return Derivation(
        (out,), (), f"hashes each value into one of {bins} bins ({mode}): → {fmt_dims(out)}"
    )


def _hashed_crossing(config: dict, input_shapes: list) -> Derivation:
    """Output: the first input's shape for 'int'; otherwise the last axis becomes num_bins.
    Params: none.
    """
    if len(input_shapes) != 2:
        raise ConfigError(f"HashedCrossing takes 2 inputs, got {len(input_shapes)}")
    bins = get_int(config, "num_bins", minimum=1)
    mode = config.get("output_mode", "int")
    first = tuple(input_shapes[0])
    if mode == "int":
        out = first
    elif mode == "one_hot" and first[-1] != 1:
        out = first + (bins,)
    else:
        out = first[:-1] + (bins,)
    return Derivation(
        (out,), (), f"hashes each pair of values into one of {bins} bins: → {fmt_dims(out)}"
    )


layer_rule("HashedCrossing")(_hashed_crossing)


@layer_rule("Discretization")
def discretization(config: dict, input_shapes: list) -> Derivation:
    """Output: unchanged for 'int'; one_hot adds an axis of bins; other modes (batch, …, bins).
    Params: none.
    """
    shape = one_input(input_shapes, what="Discretization")
    boundaries = config.get("bin_boundaries")
    depth = (
        len(boundaries) + 1
        if isinstance(boundaries, list)
        else get_int(config, "num_bins", minimum=1)
    )
    mode = config.get("output_mode", "int")
    if mode == "int":
        out = shape
    elif mode == "one_hot":
        out = _depth_shape(shape, depth, mode)
    else:
        out = (shape[0], *shape[2:], depth) if len(shape) >= 2 else (depth,)
    return Derivation(
        (out,), (), f"sorts each value into one of {depth} bins ({mode}): → {fmt_dims(out)}"
    )


def _vocabulary_depth(config: dict) -> int:
    if config.get("pad_to_max_tokens") and config.get("max_tokens"):
        return get_int(config, "max_tokens", minimum=1)
    size = config.get("vocabulary_size")
    if size is None:
        raise ConfigError(
            "the vocabulary size is not in the config (the vocabulary lives in the file's "
            "assets, which are not read)"
        )
    return get_int(config, "vocabulary_size", minimum=1)


def _lookup(what: str):
    def rule(config: dict, input_shapes: list) -> Derivation:
        """Output: unchanged for 'int'; otherwise as CategoryEncoding with the vocabulary size from
            the config.
        Params: none.
        """
        shape = one_input(input_shapes, what=what)
        mode = config.get("output_mode", "int")
        if mode == "int":
            return Derivation(
                (shape,), (), "maps each token to its index in the vocabulary; shape unchanged"
            )
        depth = _vocabulary_depth(config)
        out = _depth_shape(shape, depth, mode)
        return Derivation(
            (out,), (), f"encodes tokens over a vocabulary of {depth} as {mode}: → {fmt_dims(out)}"
        )

    return rule


layer_rule("StringLookup")(_lookup("StringLookup"))
layer_rule("IntegerLookup")(_lookup("IntegerLookup"))


@layer_rule("TextVectorization")
def text_vectorization(config: dict, input_shapes: list) -> Derivation:
    """Output: (batch, output_sequence_length) for 'int'; otherwise (batch, vocabulary size).
    Params: none.
    """
    shape = one_input(input_shapes, what="TextVectorization")
    mode = config.get("output_mode", "int")
    if mode == "int":
        length = config.get("output_sequence_length")
        out = (shape[0], length)
        return Derivation(
            (out,), (), f"splits each text into tokens and maps them to ids, {length} per text"
        )
    depth = _vocabulary_depth(config)
    padded = shape + (1,) if config.get("split") is None and len(shape) <= 1 else shape
    if config.get("split") is not None:
        padded = shape + (None,)
    out = _depth_shape(tuple(padded), depth, mode)
    return Derivation(
        (out,), (), f"encodes each text over a vocabulary of {depth} as {mode}: → {fmt_dims(out)}"
    )


@layer_rule("MelSpectrogram")
def mel_spectrogram(config: dict, input_shapes: list) -> Derivation:
    """Output: (batch, num_mel_bins, ⌊(n + sequence_stride + 1) / sequence_stride⌋).
    Params: none.
    """
    shape = one_input(input_shapes, 2, "MelSpectrogram")
    bins = get_int(config, "num_mel_bins", 128, minimum=1)
    stride = get_int(config, "sequence_stride", 512, minimum=1)
    n = shape[1]
    frames = None if n is None else (n + stride + 1) // stride
    out = (shape[0], bins, frames)
    text = f"{bins} mel bins × ⌊({n} + {stride} + 1) / {stride}⌋ = {frames} frames of the signal"
    return Derivation((out,), (), text)


@layer_rule("STFTSpectrogram")
def stft_spectrogram(config: dict, input_shapes: list) -> Derivation:
    """Output: frames as a 1D convolution of frame_length and frame_step; fft_length // 2 + 1
        frequencies per channel (twice for 'stft').
    Params: real_kernel (unless mode 'imag') and imag_kernel (unless 'real'): frame_length × 1 ×
        (fft_length // 2 + 1).
    """
    shape = one_input(input_shapes, 3, "STFTSpectrogram")
    frame = get_int(config, "frame_length", minimum=1)
    step = config.get("frame_step") or frame // 2
    fft = config.get("fft_length") or 2 ** math.ceil(math.log2(frame))
    mode = config.get("mode", "log")
    padding = config.get("padding", "valid")
    channels_last = (config.get("data_format") or "channels_last") == "channels_last"
    channels = known(shape[2] if channels_last else shape[1], "the channel count")
    time = shape[1] if channels_last else shape[2]
    frequencies = fft // 2 + 1
    if mode == "stft":
        frequencies *= 2
    frames, steps = conv_length(time, frame, step, padding)
    if config.get("expand_dims"):
        out = (
            (shape[0], frames, frequencies, channels)
            if channels_last
            else (shape[0], channels, frames, frequencies)
        )
    else:
        size = frequencies * channels
        out = (shape[0], frames, size) if channels_last else (shape[0], size, frames)
    kernel = (frame, 1, fft // 2 + 1)
    terms = []
    if mode != "imag":
        terms.append(weight("real_kernel", kernel))
    if mode != "real":
        terms.append(weight("imag_kernel", kernel))
    text = (
        f"frames of {frame} every {step}: {steps}; {frequencies} frequencies ({mode}) per channel"
    )
    return Derivation((out,), tuple(terms), text)
