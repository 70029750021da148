"""What the training dashboard's page sends, checked and decoded before the engine sees it.

Hyperparameters and layer sizes are checked against the model and the data, and pictures and
files arrive as base64; every refusal is a :class:`DashboardError` whose message, for the reader,
says what was wrong and what would do. :mod:`nndl.dashboard` calls these.
"""

import base64
import binascii
import math

import numpy as np

__all__ = [
    "MAX_ITERATIONS",
    "MAX_WEIGHTS",
    "MAX_SENT_PIXELS",
    "DashboardError",
    "is_whole_number",
    "check_learning_rate",
    "check_iterations",
    "check_seed",
    "check_seconds",
    "check_layer_dims",
    "decode_base64",
    "decode_pixels",
]

MAX_ITERATIONS = 100_000
"""The most iterations one run may ask for."""

MAX_WEIGHTS = 2_000_000
"""The most weights a network may have: its parameters and gradients must fit in the browser's
memory (12288 inputs × 160 hidden units is about this size)."""

MAX_SENT_PIXELS = 1024 * 1024
"""The most pixels the page may send for one picture. (The page refuses pictures of more than
20 megapixels before decoding them, and scales the others down to at most 256 pixels a side.)"""

class DashboardError(ValueError):
    """Something the reader asked for that cannot be done; the message says why, for the page."""


def is_whole_number(value):
    return isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_))


def check_learning_rate(value):
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise DashboardError(f"The learning rate α must be a number, got {value!r}.")
    if value <= 0:
        raise DashboardError(f"The learning rate α must be more than 0, got {value:g}.")
    return float(value)


def check_iterations(value):
    if not is_whole_number(value) or not 1 <= value <= MAX_ITERATIONS:
        raise DashboardError(
            f"The number of iterations must be a whole number from 1 to {MAX_ITERATIONS:,}, "
            f"got {value!r}."
        )
    return int(value)


def check_layer_dims(model, layer_dims, n_x):
    """The layer sizes as a list of ints, checked against the model and the data."""
    if isinstance(layer_dims, (str, bytes)) or not hasattr(layer_dims, "__len__"):
        raise DashboardError(
            f"The layer sizes must be a list of numbers like [{n_x}, 20, 7, 5, 1], "
            f"got {layer_dims!r}."
        )
    dims = list(layer_dims)
    if not all(is_whole_number(n) and n >= 1 for n in dims):
        raise DashboardError(
            f"The layer sizes must be whole numbers of 1 or more, got {dims}."
        )
    dims = [int(n) for n in dims]
    example = f"[{n_x}, 7, 1]" if model.key == "two_layer" else f"[{n_x}, 20, 7, 5, 1]"
    if model.key == "two_layer" and len(dims) != 3:
        raise DashboardError(
            f"A 2-layer network has one hidden layer: three sizes [n[0], n[1], n[2]] such as "
            f"{example}, but {dims} has {len(dims)}. Choose the L-layer network for other depths."
        )
    if len(dims) < 2:
        raise DashboardError(
            f"The layer sizes need at least the input and the output layer, e.g. {example}."
        )
    if dims[0] != n_x:
        raise DashboardError(
            f"The first size is n[0], the number of inputs: each picture has {n_x} numbers, so "
            f"n[0] = {n_x}, not {dims[0]} (e.g. {example})."
        )
    if dims[-1] != 1:
        raise DashboardError(
            f"The last size is n[L], the output: one unit, the probability of \"cat\", so "
            f"n[L] = 1, not {dims[-1]} (e.g. {example})."
        )
    weights = sum(dims[l] * dims[l - 1] for l in range(1, len(dims)))
    if weights > MAX_WEIGHTS:
        raise DashboardError(
            f"The network {dims} has {weights:,} weights; the dashboard trains networks of up to "
            f"{MAX_WEIGHTS:,} (about {MAX_WEIGHTS // n_x} units in the first hidden layer) so "
            f"that they fit in the browser's memory."
        )
    return dims


def decode_pixels(pixels, width, height):
    """The page's base64 RGBA bytes -> an (height, width, 4) uint8 array, checked."""
    for name, value in (("width", width), ("height", height)):
        if not is_whole_number(value) or value < 1:
            raise DashboardError(f"The picture's {name} must be a whole number of pixels, got "
                                 f"{value!r}.")
    if width * height > MAX_SENT_PIXELS:
        raise DashboardError(
            f"The page sends pictures of at most {MAX_SENT_PIXELS:,} pixels, got "
            f"{width} × {height}."
        )
    raw = decode_base64(pixels, "The picture's pixels are not valid base64.")
    if len(raw) != width * height * 4:
        raise DashboardError(
            f"A {width} × {height} picture has {width * height * 4} bytes of RGBA pixels, got "
            f"{len(raw)}."
        )
    return np.frombuffer(raw, dtype=np.uint8).reshape(height, width, 4)




def decode_base64(text, message):
    """The bytes of base64 ``text``; :class:`DashboardError` with ``message`` if it is not
    base64."""
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, TypeError, ValueError):
        raise DashboardError(message) from None


def check_seed(value):
    """The seed of a run's random start: a whole number of 0 or more."""
    if not is_whole_number(value) or value < 0:
        raise DashboardError(f"The seed must be a whole number of 0 or more, got {value!r}.")
    return int(value)


def check_seconds(value):
    """The length of a time slice: a number of seconds above 0."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
        raise DashboardError(f"A time slice lasts more than 0 seconds, got {value!r}.")
    return float(value)
