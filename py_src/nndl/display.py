r"""Rich output for lessons: pictures from arrays and line plots, shown by whatever runs the code.

- :func:`image`: an array of pixels → an :class:`Image` that shows as a PNG; with a title or a
  legend, as a drawing that shows them above and below the picture.
- :func:`images`: several pictures side by side, each with its label (panels to compare).
- :func:`line_plot`: one or several series (cost per iteration, …) → a :class:`LinePlot` that
  shows as an SVG drawing, with axes, ticks, labels, a legend and a title.
- :func:`display`: show objects now, in the middle of a cell, rather than only as its last value.

Both kinds of object follow IPython's display protocol (``_repr_png_``, ``_repr_svg_``), so
Jupyter shows them without help; the course's web pages show them through :func:`mime_bundle`,
the same "which representations does this object have" logic, and :func:`set_publisher`, which
the page's Python runtime calls once to receive what :func:`display` shows. With no publisher and
no IPython (a plain ``python`` prompt), :func:`display` prints a short text description instead.

The line plots live in :mod:`nndl.plots`, the drawing kit they share with the explorables in
``nndl._svg``; this module offers them under its own name. Pure Python and NumPy: the PNG encoder
is ``zlib`` + ``struct``, the SVG is written by hand.
"""

import base64
import importlib
import inspect
import math
import os
import struct
import sys
import zlib

import numpy as np

from ._svg import CHAR, COLORS, escape, svg_open
from .plots import LinePlot, line_plot

#: The plots' colours, in the order of the series (the dashboard's chart draws its runs in them).
PALETTE = COLORS

__all__ = [
    "Image",
    "Images",
    "LinePlot",
    "image",
    "images",
    "line_plot",
    "display",
    "set_publisher",
    "mime_bundle",
    "PALETTE",
]

# ==================================================================================================
# Images
# ==================================================================================================

_MODES = {1: "grey", 2: "grey + alpha", 3: "RGB", 4: "RGBA"}
_PNG_COLOR_TYPE = {1: 0, 2: 4, 3: 2, 4: 6}
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_AUTO_SIZE = 192  # with scale=None, small images are enlarged to about this many pixels across


class Image:
    """A picture made from an array of pixels; shows as a PNG in Jupyter and in the course's pages.

    pixels: ``(H, W, C)`` uint8 with C = 1 (grey), 3 (RGB) or 4 (RGBA); scale: each pixel becomes
    a ``scale × scale`` block (nearest neighbour, so the pixels of a 64×64 picture stay sharp).
    """

    def __init__(self, pixels, scale=1, title=None, legend=None):
        self.pixels = pixels
        self.scale = scale
        self.title = title
        self.legend = legend or []  # [(label, "#rrggbb")]

    @property
    def height(self):
        return self.pixels.shape[0]

    @property
    def width(self):
        return self.pixels.shape[1]

    @property
    def mode(self):
        return _MODES[self.pixels.shape[2]]

    def describe(self):
        """A sentence for screen readers and text-only front-ends."""
        what = f"{self.width}×{self.height} pixels, {self.mode}"
        text = f"{self.title} ({what})" if self.title else f"Image, {what}"
        return text + _legend_text(self.legend)

    def __repr__(self):
        return f"<{self.describe()}>"

    def _repr_png_(self):
        return _encode_png(_scaled(self.pixels, self.scale))

    def _repr_svg_(self):
        """The picture with its title above and its legend below; None when it has neither (the
        PNG alone then shows it)."""
        if not self.title and not self.legend:
            return None
        return _render_pictures([(self, None)], self.title, self.legend, self.describe())


class Images:
    """Pictures side by side, each with a label under it, a title above them and an optional
    legend; shows as SVG (with a PNG of the pictures alone for front-ends without SVG)."""

    def __init__(self, panels, title=None, legend=None):
        self.panels = panels  # [(Image, label)]
        self.title = title
        self.legend = legend or []

    def describe(self):
        labels = "; ".join(label for _, label in self.panels if label)
        text = f"{self.title or 'Pictures'}: {len(self.panels)} panels"
        return text + (f" ({labels})" if labels else "") + _legend_text(self.legend)

    def __repr__(self):
        return f"<{self.describe()}>"

    def _repr_svg_(self):
        return _render_pictures(self.panels, self.title, self.legend, self.describe())

    def _repr_png_(self):
        height = max(picture.height * picture.scale for picture, _ in self.panels)
        strips, gap = [], None
        for picture, _ in self.panels:
            pixels = _scaled(_as_rgba(picture.pixels), picture.scale)
            pad = height - pixels.shape[0]
            pixels = np.pad(pixels, ((0, pad), (0, 0), (0, 0)))
            gap = np.zeros((height, 8, 4), dtype=np.uint8)
            strips += [pixels, gap]
        return _encode_png(np.concatenate(strips[:-1], axis=1))


def image(array, scale=None, title=None, legend=None):
    """Turn an array of pixels into an :class:`Image`, shown as a PNG.

    array: ``(H, W)`` grey, ``(H, W, 3)`` RGB or ``(H, W, 4)`` RGBA; uint8 (0…255) or floats in
           0…1 (as after dividing by 255). A flattened picture, one column ``(12288, 1)`` or a
           vector ``(12288,)`` as the course feeds to its models, is folded back into 64×64×3
           (any length 3·s² becomes s×s×3).
    scale: how many screen pixels per picture pixel (a whole number ≥ 1); by default small
           pictures are enlarged to about 192 pixels across.
    title: what the picture shows, in words: shown above the picture, and read by screen readers.
    legend: what the colours mean, ``{label: colour}``, shown under the picture as a swatch of
           each colour with its label; a colour is ``(r, g, b)`` in 0…1 or ``"#rrggbb"``.
    """
    pixels = _as_pixels(array)
    height, width = pixels.shape[:2]
    if scale is None:
        scale = max(1, _AUTO_SIZE // max(height, width))
    if isinstance(scale, bool) or not isinstance(scale, (int, np.integer)) or scale < 1:
        raise ValueError(f"image: scale must be a whole number of 1 or more, got {scale!r}")
    if height * width * int(scale) ** 2 > 16_000_000:
        raise ValueError(
            f"image: a {width}×{height} picture at scale {scale} would be "
            f"{width * scale}×{height * scale} pixels; choose a smaller scale"
        )
    return Image(pixels, int(scale), title, _as_legend(legend, "image"))


def images(pictures, labels=None, *, title=None, legend=None, scale=None):
    """Several pictures side by side, each with its label under it: panels to compare.

    pictures: a list of arrays, each as :func:`image` takes them; labels: one text per picture
    (say what differs: "3 hidden units, 92.5 %"); title, legend: as in :func:`image`, for all the
    panels; scale: as in :func:`image`, the same for every panel.

    >>> images([a, b], ["before", "after"], title="Training")               # doctest: +SKIP
    """
    pictures = list(pictures)
    if not pictures:
        raise ValueError("images: give at least one picture")
    if labels is None:
        labels = [None] * len(pictures)
    labels = list(labels)
    if len(labels) != len(pictures):
        raise ValueError(f"images: {len(pictures)} pictures but {len(labels)} labels")
    panels = [(image(p, scale=scale), None if label is None else str(label))
              for p, label in zip(pictures, labels)]
    return Images(panels, title, _as_legend(legend, "images"))


def _as_legend(legend, where):
    if legend is None:
        return []
    if not isinstance(legend, dict):
        raise TypeError(f"{where}: legend must be a dictionary {{label: colour}}, "
                        f"got {type(legend).__name__}")
    return [(str(label), _hex_colour(colour, where)) for label, colour in legend.items()]


def _hex_colour(colour, where):
    if isinstance(colour, str):
        if len(colour) == 7 and colour.startswith("#") and all(
            c in "0123456789abcdefABCDEF" for c in colour[1:]
        ):
            return colour.lower()
    else:
        values = np.asarray(colour, dtype=np.float64).ravel()
        if values.size == 3 and np.all((values >= 0) & (values <= 1)):
            return "#" + "".join(f"{int(round(v * 255)):02x}" for v in values)
    raise ValueError(f"{where}: a legend colour is (r, g, b) in 0…1 or '#rrggbb', got {colour!r}")


def _legend_text(legend):
    return "; legend: " + ", ".join(label for label, _ in legend) if legend else ""


def _scaled(pixels, scale):
    if scale > 1:
        pixels = np.repeat(np.repeat(pixels, scale, axis=0), scale, axis=1)
    return pixels


def _as_rgba(pixels):
    """(H, W, C) uint8 → (H, W, 4), so that pictures of different modes can sit side by side."""
    channels = pixels.shape[2]
    if channels == 4:
        return pixels
    rgb = np.repeat(pixels, 3, axis=2) if channels == 1 else pixels
    alpha = np.full(pixels.shape[:2] + (1,), 255, dtype=np.uint8)
    return np.concatenate([rgb, alpha], axis=2)


def _render_pictures(panels, title, legend, desc):
    """SVG: the title, the pictures in a row with their labels, the legend under them."""
    uid = "nndl-pictures-" + os.urandom(5).hex()
    gap, label_height = 16, 20
    sizes = [(p.width * p.scale, p.height * p.scale) for p, _ in panels]
    widths = [max(w, len(label or "") * CHAR + 8) for (w, _), (_, label) in zip(sizes, panels)]
    row_width = sum(widths) + gap * (len(panels) - 1)
    legend_width = sum(30 + len(label) * CHAR + 16 for label, _ in legend)
    width = max(row_width, legend_width, len(title or "") * 8.0 + 8, 40)
    top = 28 if title else 4
    labelled = any(label for _, label in panels)
    tallest = max(h for _, h in sizes)
    height = top + tallest + (label_height + 4 if labelled else 0) + (28 if legend else 4)
    out = [svg_open(uid, "nndl-pictures", width, height, title or "Pictures", desc)]
    if title:
        out.append(f'<text x="{width / 2:.1f}" y="18" text-anchor="middle" font-size="14" '
                   f'font-weight="600">{escape(title)}</text>')
    x = (width - row_width) / 2
    for (picture, label), (w, h), slot in zip(panels, sizes, widths):
        left = x + (slot - w) / 2
        data = base64.b64encode(picture._repr_png_()).decode("ascii")
        out.append(f'<image x="{left:.1f}" y="{top}" width="{w}" height="{h}" '
                   f'href="data:image/png;base64,{data}"/>')
        if label:
            out.append(f'<text x="{x + slot / 2:.1f}" y="{top + tallest + 16}" '
                       f'text-anchor="middle">{escape(label)}</text>')
        x += slot + gap
    if legend:
        y = height - 12
        x = (width - legend_width) / 2
        for label, colour in legend:
            out.append(f'<rect x="{x:.1f}" y="{y - 11}" width="14" height="14" fill="{colour}" '
                       f'stroke="currentColor" stroke-opacity="0.5"/>'
                       f'<text x="{x + 20:.1f}" y="{y}">{escape(label)}</text>')
            x += 30 + len(label) * CHAR + 16
    out.append("</svg>")
    return "\n".join(out)


def _as_pixels(array):
    """Validate ``array`` and return it as ``(H, W, C)`` uint8, with C in 1, 3, 4."""
    a = np.asarray(array)
    if a.dtype == object or not (
        np.issubdtype(a.dtype, np.number) or np.issubdtype(a.dtype, np.bool_)
    ):
        raise TypeError(f"image: expected an array of numbers, got dtype {a.dtype}")
    if np.issubdtype(a.dtype, np.complexfloating):
        raise TypeError("image: pixel values cannot be complex numbers")
    a = _unflatten(a)
    if a.ndim == 2:
        a = a[:, :, np.newaxis]
    if a.ndim != 3 or a.shape[2] not in (1, 3, 4):
        hint = ""
        if a.ndim == 4:
            hint = f"; that looks like {a.shape[0]} pictures: show one, e.g. array[0]"
        elif a.ndim == 3 and a.shape[0] in (3, 4):
            hint = "; channels come last here: try np.moveaxis(array, 0, -1)"
        raise ValueError(
            f"image: expected (H, W), (H, W, 3) or (H, W, 4) pixels, got shape {a.shape}{hint}"
        )
    if a.shape[0] == 0 or a.shape[1] == 0:
        raise ValueError(f"image: the picture is empty (shape {a.shape})")
    if a.shape[2] == 1:
        a = a[:, :, :1]
    return _to_uint8(a)


def _unflatten(a):
    """A flattened picture (a column (n, 1) or a vector (n,), n = 3·s²) → (s, s, 3)."""
    if a.ndim == 1 or (a.ndim == 2 and a.shape[1] == 1 and a.shape[0] > 4):
        n = a.shape[0]
        side = math.isqrt(n // 3)
        if n == 3 * side * side and side > 0:
            return a.reshape(side, side, 3)
        raise ValueError(
            f"image: a flattened picture must have 3·s·s values (12288 = 3·64·64 for the course's "
            f"images), got {n}; pass (H, W, 3) pixels instead"
        )
    return a


def _to_uint8(a):
    if a.dtype == np.uint8:
        return np.ascontiguousarray(a)
    if a.dtype == np.bool_:
        return a.astype(np.uint8) * 255
    if np.issubdtype(a.dtype, np.integer):
        lo, hi = int(a.min()), int(a.max())
        if lo < 0 or hi > 255:
            raise ValueError(f"image: integer pixels must be in 0…255, got values from {lo} to {hi}")
        return a.astype(np.uint8)
    if not np.all(np.isfinite(a)):
        raise ValueError("image: the pixels contain NaN or infinite values")
    lo, hi = float(a.min()), float(a.max())
    if lo < 0.0 or hi > 1.0:
        hint = "; divide by 255 first" if hi <= 255.0 and lo >= 0.0 else ""
        raise ValueError(
            f"image: float pixels must be in 0…1, got values from {lo:g} to {hi:g}{hint}"
        )
    return np.round(a * 255.0).astype(np.uint8)


def _encode_png(pixels):
    """(H, W, C) uint8 → the bytes of a PNG file (8 bits per channel, no interlacing)."""
    height, width, channels = pixels.shape
    rows = np.zeros((height, 1 + width * channels), dtype=np.uint8)  # filter byte 0 on each row
    rows[:, 1:] = pixels.reshape(height, width * channels)
    header = struct.pack(">IIBBBBB", width, height, 8, _PNG_COLOR_TYPE[channels], 0, 0, 0)
    return b"".join(
        [
            _PNG_SIGNATURE,
            _png_chunk(b"IHDR", header),
            _png_chunk(b"IDAT", zlib.compress(rows.tobytes(), 6)),
            _png_chunk(b"IEND", b""),
        ]
    )


def _png_chunk(tag, data):
    return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))


# ==================================================================================================
# Showing things: display(), the publisher hook and MIME bundles
# ==================================================================================================

_publisher = None

# (method, MIME type) in the order a front-end usually prefers them.
_REPRS = (
    ("_repr_svg_", "image/svg+xml"),
    ("_repr_png_", "image/png"),
    ("_repr_jpeg_", "image/jpeg"),
    ("_repr_html_", "text/html"),
    ("_repr_markdown_", "text/markdown"),
    ("_repr_latex_", "text/latex"),
)
_BINARY = {"image/png", "image/jpeg"}
_MAX_TEXT = 100_000


def set_publisher(publisher):
    """Make ``publisher(obj)`` receive everything :func:`display` shows; ``None`` removes it.

    The course's page runtime installs one that sends ``mime_bundle(obj)`` to the page. Returns
    the publisher that was installed before, so a caller can put it back.
    """
    global _publisher
    if publisher is not None and not callable(publisher):
        raise TypeError(f"set_publisher: expected a function or None, got {type(publisher).__name__}")
    previous, _publisher = _publisher, publisher
    return previous


def display(*objs):
    """Show each object now: in the course's pages and in Jupyter as a picture, a plot, … ;
    at a plain Python prompt as a short text description."""
    for obj in objs:
        if _publisher is not None:
            _publisher(obj)
            continue
        ipython_display = _ipython_display()
        if ipython_display is not None:
            ipython_display(obj)
        else:
            print(mime_bundle(obj, text_only=True)["text/plain"])


def _ipython_display():
    """IPython's display function when running under an IPython kernel, else None."""
    ipython = sys.modules.get("IPython")
    if ipython is None or getattr(ipython, "get_ipython", lambda: None)() is None:
        return None
    return importlib.import_module("IPython.display").display


class _EveryType:
    """``include`` as the course's pages ask: every MIME type, also those an object gives only
    when asked for by name (an exercise's verdict, an explorable's data), which a notebook does
    not ask for."""

    def __contains__(self, mime):
        return True

    def __iter__(self):
        return iter(())


_EVERY_TYPE = _EveryType()


def mime_bundle(obj, text_only=False):
    """The representations of ``obj`` as ``{MIME type: str}``, ready to send as JSON.

    Follows IPython's display protocol: ``_repr_mimebundle_`` if the object has it, then each
    ``_repr_*_`` method it has (SVG, PNG, JPEG, HTML, Markdown, LaTeX); images are base64-encoded.
    ``text/plain`` (the ``repr``) is always there, cut to 100 000 characters.
    """
    bundle = {}
    if not text_only and _has_rich_reprs(obj):
        method = _real_method(obj, "_repr_mimebundle_")
        if method is not None:
            data = method(include=_EVERY_TYPE, exclude=None)
            if isinstance(data, tuple):
                data = data[0]
            for mime, value in (data or {}).items():
                _put(bundle, mime, value)
        for name, mime in _REPRS:
            if mime in bundle:
                continue
            method = _real_method(obj, name)
            if method is not None:
                value = method()
                if isinstance(value, tuple):
                    value = value[0]
                _put(bundle, mime, value)
    if not isinstance(bundle.get("text/plain"), str):
        text = repr(obj)
        if len(text) > _MAX_TEXT:
            text = text[:_MAX_TEXT] + f"… ({len(text) - _MAX_TEXT} more characters)"
        bundle["text/plain"] = text
    return bundle


def _has_rich_reprs(obj):
    # Classes have unbound _repr_*_ functions, and objects whose __getattr__ answers every name
    # would claim every representation; IPython skips both, and so do we.
    if inspect.isclass(obj):
        return False
    try:
        return not hasattr(obj, "_ipython_canary_method_should_not_exist_")
    except Exception:
        return False


def _real_method(obj, name):
    try:
        method = getattr(obj, name, None)
    except Exception:
        return None
    return method if callable(method) else None


def _put(bundle, mime, value):
    if value is None:
        return
    if isinstance(value, (bytes, bytearray)):
        if mime in _BINARY:
            bundle[mime] = base64.b64encode(bytes(value)).decode("ascii")
        else:
            bundle[mime] = bytes(value).decode("utf-8", errors="replace")
    elif isinstance(value, str):
        bundle[mime] = value
