from __future__ import annotations

import pytest

from inspector.errors import ConfigError
from inspector.shapes import broadcast, conv_length, fmt_dims, fmt_shape


@pytest.mark.parametrize(
    "length, kernel, stride, padding, dilation, expected",
    [
        (160, 3, 2, "same", 1, 80),  # ⌈160 / 2⌉
        (7, 3, 2, "same", 1, 4),  # ⌈7 / 2⌉
        (81, 3, 2, "valid", 1, 40),  # ⌊(81 − 3) / 2⌋ + 1
        (5, 1, 1, "valid", 1, 5),
        (9, 3, 1, "valid", 2, 5),  # window 5: 9 − 5 + 1
        (10, 3, 3, "causal", 1, 4),  # ⌈10 / 3⌉
        (None, 3, 2, "valid", 1, None),
    ],
)
def test_conv_length(length, kernel, stride, padding, dilation, expected):
    assert conv_length(length, kernel, stride, padding, dilation)[0] == expected


def test_conv_length_rejects_a_window_that_does_not_fit_and_unknown_padding():
    with pytest.raises(ConfigError):
        conv_length(2, 3, 1, "valid")
    with pytest.raises(ConfigError, match="padding 'full'"):
        conv_length(8, 3, 1, "full")


def test_broadcast_keeps_none_and_matches_keras_rules():
    assert broadcast((None, 1, 3), (4, 3)) == (None, 4, 3)
    assert broadcast((None, 3), (None, 3)) == (None, 3)
    assert broadcast((2, 3), ()) == (2, 3)


def test_shape_text():
    assert fmt_shape((None, 5, 5, 1280)) == "(None, 5, 5, 1280)"
    assert fmt_dims((None, 1280)) == "(1280)"
