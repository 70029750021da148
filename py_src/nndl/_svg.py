"""What every SVG drawing of the engine shares: the palette, the font, the opening tag, axes.

:mod:`nndl.display`'s line plots and the explorables' drawings use these, so that they look alike
on the page and a page may restyle them the same way.
"""

import math

__all__ = [
    "COLORS",
    "FONT",
    "CHAR",
    "escape",
    "svg_open",
    "nice_ticks",
    "format_tick",
    "log_ticks",
    "format_log_tick",
    "grid_and_ticks",
]

# Colours that read on a white page and on a dark one; a page may restyle them by class
# (.nndl-series-0, .nndl-series-1, …).
COLORS = ("#3b78c2", "#e07b28", "#3a9a5b", "#d04a5c", "#8a63c9", "#2a9d9d", "#b58a1b", "#7f7f7f")
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif"
CHAR = 6.8  # approximate width of one character of the 12 px font, for layout


def escape(text):
    """Text made safe inside an SVG or HTML element: &, < and > written as entities (what
    xml.sax.saxutils.escape does, without importing the 140 ms of modules behind it in Pyodide)."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def svg_open(uid, cls, width, height, title, desc, font_size=12):
    """The opening of an accessible SVG drawing, as :func:`nndl.display.line_plot` makes it: size
    and viewBox, ``role="img"`` labelled by its ``<title>`` and described by its ``<desc>`` (ids
    from ``uid``, which each drawing makes unique), text in the page's colour. Close it with
    ``</svg>``."""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="{cls}" width="{width:g}" '
        f'height="{height:g}" viewBox="0 0 {width:g} {height:g}" role="img" '
        f'aria-labelledby="{uid}-title {uid}-desc" font-family="{FONT}" '
        f'font-size="{font_size:g}" fill="currentColor">\n'
        f'<title id="{uid}-title">{escape(title)}</title>\n'
        f'<desc id="{uid}-desc">{escape(desc)}</desc>'
    )


# ---- Axes: nice ticks ----


def nice_ticks(lo, hi, target=5, integer=False):
    """Round bounds and evenly spaced ticks covering [lo, hi] (steps of 1, 2, 2.5 or 5 × 10^k):
    ``(start, stop, ticks, step)``."""
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


def format_tick(value, step):
    """A tick's label, with as many decimals as the step between ticks needs."""
    if abs(value) < step * 1e-6:
        return "0"
    if abs(value) >= 1e6 or step < 1e-4:
        return f"{value:.3g}"
    decimals = 0  # as many as the step needs: 0.25 → 2, 2.5 → 1, 500 → 0
    while decimals < 6 and abs(step * 10**decimals - round(step * 10**decimals)) > 1e-6:
        decimals += 1
    return f"{value:.{decimals}f}"


def log_ticks(lo, hi):
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


def format_log_tick(value):
    """A tick's label on a logarithmic axis: 0.01, 500, 2e-5, 1e6."""
    if 1e-3 <= value < 1e5:
        return f"{value:g}"
    exponent = round(math.log10(value))
    mantissa = value / 10.0**exponent
    return f"{mantissa:g}e{exponent}" if abs(mantissa - 1) > 1e-9 else f"1e{exponent}"


def grid_and_ticks(x_ticks, y_ticks, sx, sy, box, gaps=(18, 8)):
    """The grid lines and tick labels of a plot area ``box = (left, top, width, height)``.

    x_ticks, y_ticks: ``(value, label)`` pairs; sx, sy: value → pixel on each axis; gaps: how far
    below the area the x labels stand, and left of it the y labels. Returns ``(grid, labels)``,
    two lists of SVG elements for the caller to group and style.
    """
    left, top, width, height = box
    below, beside = gaps
    grid, labels = [], []
    for t, text in y_ticks:
        y = sy(t)
        grid.append(f'<line x1="{left:.1f}" y1="{y:.1f}" x2="{left + width:.1f}" y2="{y:.1f}"/>')
        labels.append(
            f'<text x="{left - beside:.1f}" y="{y + 4:.1f}" text-anchor="end">{escape(text)}</text>'
        )
    for t, text in x_ticks:
        x = sx(t)
        grid.append(f'<line x1="{x:.1f}" y1="{top:.1f}" x2="{x:.1f}" y2="{top + height:.1f}"/>')
        labels.append(
            f'<text x="{x:.1f}" y="{top + height + below:.1f}" text-anchor="middle">'
            f"{escape(text)}</text>"
        )
    return grid, labels
