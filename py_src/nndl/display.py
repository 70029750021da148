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

Pure Python and NumPy: the PNG encoder is ``zlib`` + ``struct``, the SVG is written by hand.
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
    widths = [max(w, len(label or "") * _CHAR + 8) for (w, _), (_, label) in zip(sizes, panels)]
    row_width = sum(widths) + gap * (len(panels) - 1)
    legend_width = sum(30 + len(label) * _CHAR + 16 for label, _ in legend)
    width = max(row_width, legend_width, len(title or "") * 8.0 + 8, 40)
    top = 28 if title else 4
    labelled = any(label for _, label in panels)
    tallest = max(h for _, h in sizes)
    height = top + tallest + (label_height + 4 if labelled else 0) + (28 if legend else 4)
    out = [_svg_open(uid, "nndl-pictures", width, height, title or "Pictures", desc)]
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
            x += 30 + len(label) * _CHAR + 16
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
# Line plots
# ==================================================================================================

# Colours that read on a white page and on a dark one; a page may restyle them by class
# (.nndl-series-0, .nndl-series-1, …).
_COLORS = ("#3b78c2", "#e07b28", "#3a9a5b", "#d04a5c", "#8a63c9", "#2a9d9d", "#b58a1b", "#7f7f7f")
#: The plots' colours, in the order of the series (the dashboard's chart draws its runs in them).
PALETTE = _COLORS
_FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif"
_CHAR = 6.8  # approximate width of one character of the 12 px font, for layout
_MAX_MARKERS = 40  # series with at most this many points also get a dot on each point


def escape(text):
    """Text made safe inside an SVG or HTML element: &, < and > written as entities (what
    xml.sax.saxutils.escape does, without importing the 140 ms of modules behind it in Pyodide)."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class LinePlot:
    """One or several series drawn as lines against a shared x axis; shows as SVG.

    series: ``{label: (x, y)}`` of 1-D float arrays of equal length; the rest as in
    :func:`line_plot`.
    """

    def __init__(self, series, title=None, xlabel=None, ylabel=None, logy=False, legend=True,
                 width=560, height=320):
        self.series = series
        self.title = title
        self.xlabel = xlabel
        self.ylabel = ylabel
        self.logy = logy
        self.legend = legend
        self.width = width
        self.height = height

    def describe(self):
        """A sentence for screen readers and text-only front-ends."""
        parts = [self.title or "Line plot"]
        axes = []
        if self.xlabel:
            axes.append(f"x: {self.xlabel}")
        if self.ylabel:
            axes.append(f"y: {self.ylabel}{' (log scale)' if self.logy else ''}")
        if axes:
            parts.append(", ".join(axes))
        for label, (_, y) in self.series.items():
            finite = y[np.isfinite(y)]
            name = label if label is not None else "values"
            if finite.size:
                parts.append(
                    f"{name}: {y.size} points, from {_short(finite[0])} to {_short(finite[-1])}"
                )
            else:
                parts.append(f"{name}: {y.size} points, none finite")
        return "; ".join(parts)

    def __repr__(self):
        return f"<{self.describe()}>"

    def _repr_svg_(self):
        return _render_svg(self)


def line_plot(ys, x=None, *, title=None, xlabel=None, ylabel=None, logy=False, width=560,
              height=320):
    """Draw one or several series as lines, for example the cost after each iteration.

    ys:     the y values of one series (a list or 1-D array), or several as ``{label: values}``.
    x:      the shared x values (1-D, as long as each series); by default 0, 1, 2, ….
            With costs recorded every 100 iterations: ``x=range(0, num_iterations, 100)``.
    title, xlabel, ylabel: text around the plot; logy: logarithmic y axis (values must be > 0).
    NaN and infinite values (a diverging run) leave a gap in the line.

    >>> line_plot(costs, title="Cost", xlabel="iteration", ylabel="J")       # doctest: +SKIP
    >>> line_plot({"α = 0.01": c1, "α = 0.001": c2}, logy=True)              # doctest: +SKIP
    """
    if isinstance(ys, dict):
        if not ys:
            raise ValueError("line_plot: the dictionary of series is empty")
        named = {str(label): values for label, values in ys.items()}
        legend = True
    else:
        named = {None: ys}
        legend = False
    for name, value in (("width", width), ("height", height)):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 160:
            raise ValueError(f"line_plot: {name} must be a number of at least 160, got {value!r}")
    xs = None if x is None else _as_series(x, "x")
    series = {}
    for label, values in named.items():
        what = "the values" if label is None else f"series {label!r}"
        y = _as_series(values, what)
        if xs is None:
            sx = np.arange(y.size, dtype=np.float64)
        elif xs.size != y.size:
            raise ValueError(f"line_plot: {what} has {y.size} values but x has {xs.size}")
        else:
            sx = xs
        if not np.any(np.isfinite(y)):
            raise ValueError(f"line_plot: {what} has no finite value to draw")
        if logy and np.any(y[np.isfinite(y)] <= 0):
            raise ValueError(
                f"line_plot: logy=True needs values above 0, but {what} has "
                f"{_short(float(np.min(y[np.isfinite(y)])))}"
            )
        series[label] = (sx, y)
    if xs is not None and not np.all(np.isfinite(xs)):
        raise ValueError("line_plot: x contains NaN or infinite values")
    return LinePlot(series, title, xlabel, ylabel, bool(logy), legend, float(width), float(height))


def _as_series(values, what):
    try:
        a = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(f"line_plot: {what} must be numbers, got {type(values).__name__}") from None
    if a.ndim == 2 and 1 in a.shape:
        a = a.reshape(-1)  # a (1, n) row or an (n, 1) column of costs
    if a.ndim != 1:
        raise ValueError(f"line_plot: {what} must be one-dimensional, got shape {a.shape}")
    if a.size == 0:
        raise ValueError(f"line_plot: {what} is empty")
    return a


def _short(v):
    return f"{float(v):.4g}"


# ---- Axes: nice ticks ----


def _nice_ticks(lo, hi, target=5, integer=False):
    """Round bounds and evenly spaced ticks covering [lo, hi] (steps of 1, 2, 2.5 or 5 × 10^k)."""
    if hi <= lo:
        pad = abs(lo) * 0.1 if lo != 0 else 1.0
        lo, hi = lo - pad, hi + pad
    # The smallest step of 1, 2, 2.5 or 5 × 10^k giving at most 1.5 × target intervals (2.5 only
    # on axes that are not whole numbers, which never step by less than 1).
    magnitude = 10.0 ** math.floor(math.log10((hi - lo) / target))
    factors = (1, 2, 5) if integer else (1, 2, 2.5, 5)
    steps = [m * magnitude * scale for scale in (0.1, 1, 10, 100) for m in factors]
    step = next(s for s in steps if (hi - lo) / s <= 1.5 * target + 1e-9)
    if integer:
        step = max(step, 1.0)
    start = math.floor(lo / step + 1e-9) * step
    stop = math.ceil(hi / step - 1e-9) * step
    count = int(round((stop - start) / step))
    ticks = [start + i * step for i in range(count + 1)]
    return start, stop, ticks, step


def _format_tick(value, step):
    if abs(value) < step * 1e-6:
        return "0"
    if abs(value) >= 1e6 or step < 1e-4:
        return f"{value:.3g}"
    decimals = 0  # as many as the step needs: 0.25 → 2, 2.5 → 1, 500 → 0
    while decimals < 6 and abs(step * 10**decimals - round(step * 10**decimals)) > 1e-6:
        decimals += 1
    return f"{value:.{decimals}f}"


def _log_ticks(lo, hi):
    """Bounds (as log10) and ticks of a logarithmic axis covering [lo, hi], both > 0."""
    low, high = math.floor(math.log10(lo) + 1e-12), math.ceil(math.log10(hi) - 1e-12)
    if high == low:
        high += 1
    decades = high - low
    if decades > 2:
        every = math.ceil(decades / 6)
        ticks = [10.0**k for k in range(low, high + 1) if (k - low) % every == 0]
        return float(low), float(high), ticks
    # Few decades: ticks at 1, 2 and 5 × 10^k, and bounds at the ticks just outside the data.
    candidates = [m * 10.0**k for k in range(low - 1, high + 1) for m in (1, 2, 5)]
    below = [t for t in candidates if t <= lo * (1 + 1e-9)]
    above = [t for t in candidates if t >= hi * (1 - 1e-9)]
    first, last = below[-1], above[0]
    if first == last:  # a constant series: one tick either side of it
        first, last = below[-2], above[1]
    ticks = [t for t in candidates if first <= t <= last]
    return math.log10(first), math.log10(last), ticks


def _format_log_tick(value):
    if 1e-3 <= value < 1e5:
        return f"{value:g}"
    exponent = round(math.log10(value))
    mantissa = value / 10.0**exponent
    return f"{mantissa:g}e{exponent}" if abs(mantissa - 1) > 1e-9 else f"1e{exponent}"


# ---- Drawing ----


def _render_svg(plot):
    uid = "nndl-plot-" + os.urandom(5).hex()
    w, h = plot.width, plot.height
    xs_all = np.concatenate([x for x, _ in plot.series.values()])
    ys_all = np.concatenate([y[np.isfinite(y)] for _, y in plot.series.values()])
    integer_x = bool(np.all(xs_all == np.round(xs_all)))
    x0, x1, xticks, xstep = _nice_ticks(float(xs_all.min()), float(xs_all.max()), 6, integer_x)
    if plot.logy:
        y0, y1, yticks = _log_ticks(float(ys_all.min()), float(ys_all.max()))
        ylabels = [_format_log_tick(t) for t in yticks]
        yvalue = math.log10
    else:
        y0, y1, yticks, ystep = _nice_ticks(float(ys_all.min()), float(ys_all.max()), 5)
        ylabels = [_format_tick(t, ystep) for t in yticks]
        yvalue = float

    # Layout, from the outside in: title, legend, plot area, tick labels, axis labels.
    left = 14 + max(len(s) for s in ylabels) * _CHAR + (22 if plot.ylabel else 4)
    legend_rows = _legend_layout(plot, left, w) if plot.legend else []
    top = 12 + (26 if plot.title else 0) + 20 * len(legend_rows)
    right = 18
    bottom = 26 + (22 if plot.xlabel else 0)
    pw, ph = w - left - right, h - top - bottom
    if pw < 40 or ph < 40:
        raise ValueError("line_plot: the plot is too small for its labels; make it wider or taller")

    def sx(v):
        return left + (v - x0) / (x1 - x0) * pw

    def sy(v):
        return top + ph - (yvalue(v) - y0) / (y1 - y0) * ph

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="nndl-plot" width="{w:g}" height="{h:g}" '
        f'viewBox="0 0 {w:g} {h:g}" role="img" aria-labelledby="{uid}-title {uid}-desc" '
        f"font-family=\"{_FONT}\" font-size=\"12\">",
        f'<title id="{uid}-title">{escape(plot.title or "Line plot")}</title>',
        f'<desc id="{uid}-desc">{escape(plot.describe())}</desc>',
        f'<defs><clipPath id="{uid}-clip"><rect x="{left:.1f}" y="{top - 4:.1f}" '
        f'width="{pw:.1f}" height="{ph + 8:.1f}"/></clipPath></defs>',
    ]
    if plot.title:
        out.append(
            f'<text x="{w / 2:.1f}" y="24" text-anchor="middle" font-size="14" font-weight="600" '
            f'fill="currentColor">{escape(plot.title)}</text>'
        )
    for i, row in enumerate(legend_rows):
        y = 12 + (26 if plot.title else 0) + 20 * i + 8
        for x, index, label in row:
            color = _COLORS[index % len(_COLORS)]
            out.append(
                f'<g class="nndl-series-{index}"><line x1="{x:.1f}" y1="{y:.1f}" x2="{x + 18:.1f}" '
                f'y2="{y:.1f}" stroke="{color}" stroke-width="2.5"/><text x="{x + 24:.1f}" '
                f'y="{y + 4:.1f}" fill="currentColor">{escape(label)}</text></g>'
            )

    # Grid and ticks.
    grid, ticks = [], []
    for t, text in zip(yticks, ylabels):
        y = sy(t)
        grid.append(f'<line x1="{left:.1f}" y1="{y:.1f}" x2="{left + pw:.1f}" y2="{y:.1f}"/>')
        ticks.append(
            f'<text x="{left - 8:.1f}" y="{y + 4:.1f}" text-anchor="end">{escape(text)}</text>'
        )
    for t in xticks:
        x = sx(t)
        grid.append(f'<line x1="{x:.1f}" y1="{top:.1f}" x2="{x:.1f}" y2="{top + ph:.1f}"/>')
        ticks.append(
            f'<text x="{x:.1f}" y="{top + ph + 18:.1f}" text-anchor="middle">'
            f"{escape(_format_tick(t, xstep))}</text>"
        )
    out.append(
        '<g class="nndl-plot-grid" stroke="currentColor" stroke-opacity="0.13" stroke-width="1">'
        + "".join(grid) + "</g>"
    )
    out.append(
        f'<path class="nndl-plot-axes" d="M{left:.1f},{top:.1f}V{top + ph:.1f}H{left + pw:.1f}" '
        'fill="none" stroke="currentColor" stroke-opacity="0.6" stroke-width="1"/>'
    )
    out.append('<g class="nndl-plot-ticks" fill="currentColor" fill-opacity="0.8">'
               + "".join(ticks) + "</g>")
    if plot.xlabel:
        out.append(
            f'<text x="{left + pw / 2:.1f}" y="{h - 8:.1f}" text-anchor="middle" '
            f'fill="currentColor">{escape(plot.xlabel)}</text>'
        )
    if plot.ylabel:
        cy = top + ph / 2
        out.append(
            f'<text x="14" y="{cy:.1f}" text-anchor="middle" transform="rotate(-90 14 {cy:.1f})" '
            f'fill="currentColor">{escape(plot.ylabel)}</text>'
        )

    # The series, clipped to the plot area.
    out.append(f'<g clip-path="url(#{uid}-clip)" fill="none" stroke-width="2" '
               'stroke-linejoin="round" stroke-linecap="round">')
    for index, (label, (x, y)) in enumerate(plot.series.items()):
        color = _COLORS[index % len(_COLORS)]
        keep = _decimate(x, y, pw)
        px = [sx(v) for v in x[keep]]
        py = [sy(v) if math.isfinite(v) else None for v in y[keep]]
        out.append(f'<g class="nndl-series-{index}" stroke="{color}">')
        out.append(f'<path d="{_path(px, py)}"/>')
        if len(keep) <= _MAX_MARKERS:
            dots = "".join(
                f'<circle cx="{a:.1f}" cy="{b:.1f}" r="2.5"/>' for a, b in zip(px, py) if b is not None
            )
            out.append(f'<g fill="{color}" stroke="none">{dots}</g>')
        out.append("</g>")
    out.append("</g></svg>")
    return "\n".join(out)


def _svg_open(uid, cls, width, height, title, desc, font_size=12):
    """The opening of an accessible SVG drawing, as :func:`line_plot` makes it: size and viewBox,
    ``role="img"`` labelled by its ``<title>`` and described by its ``<desc>`` (ids from ``uid``,
    which each drawing makes unique), text in the page's colour. Close it with ``</svg>``."""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="{cls}" width="{width:g}" '
        f'height="{height:g}" viewBox="0 0 {width:g} {height:g}" role="img" '
        f'aria-labelledby="{uid}-title {uid}-desc" font-family="{_FONT}" '
        f'font-size="{font_size:g}" fill="currentColor">\n'
        f'<title id="{uid}-title">{escape(title)}</title>\n'
        f'<desc id="{uid}-desc">{escape(desc)}</desc>'
    )


def _legend_layout(plot, left, width):
    """Rows of legend entries (x, series index, label) that fit the width, left to right."""
    rows, row, x = [], [], left
    for index, label in enumerate(plot.series):
        text = label if label is not None else "values"
        size = 24 + len(text) * _CHAR + 18
        if row and x + size > width - 16:
            rows.append(row)
            row, x = [], left
        row.append((x, index, text))
        x += size
    rows.append(row)
    return rows


def _path(px, py):
    parts, pen_down = [], False
    for a, b in zip(px, py):
        if b is None:
            pen_down = False
            continue
        parts.append(f"{'L' if pen_down else 'M'}{a:.1f},{b:.1f}")
        pen_down = True
    return "".join(parts)


def _decimate(x, y, plot_width):
    """Indices worth drawing: all of them, or for long series the lowest and highest point (and
    any gap) of each pixel column, which draws the same picture with far fewer points."""
    n = x.size
    if n <= 4 * plot_width:
        return np.arange(n)
    span = float(x.max() - x.min()) or 1.0
    column = np.floor((x - x.min()) / span * plot_width).astype(np.int64)
    keep = {0, n - 1}
    finite = np.isfinite(y)
    order = np.argsort(column, kind="stable")
    bounds = np.flatnonzero(np.diff(column[order])) + 1
    for group in np.split(order, bounds):
        good = group[finite[group]]
        if good.size:
            keep.update((int(good[np.argmin(y[good])]), int(good[np.argmax(y[good])])))
        if good.size < group.size:
            keep.add(int(group[~finite[group]][0]))
    return np.array(sorted(keep))


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
