r"""Line plots for the cells: one or several series (cost per iteration, …) drawn as SVG.

:func:`line_plot` checks the values and returns a :class:`LinePlot`, which shows as an SVG drawing
(IPython's ``_repr_svg_``) with axes, ticks, labels, a legend and a title. :mod:`nndl.display`
offers both under its own name, beside the pictures.
"""

import math
import os

import numpy as np

from ._svg import (
    CHAR, COLORS, FONT, escape, format_log_tick, format_tick, grid_and_ticks, log_ticks, nice_ticks,
)

__all__ = ["LinePlot", "line_plot"]

_MAX_MARKERS = 40  # series with at most this many points also get a dot on each point


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


# ---- Drawing ----


def _render_svg(plot):
    uid = "nndl-plot-" + os.urandom(5).hex()
    w, h = plot.width, plot.height
    xs_all = np.concatenate([x for x, _ in plot.series.values()])
    ys_all = np.concatenate([y[np.isfinite(y)] for _, y in plot.series.values()])
    integer_x = bool(np.all(xs_all == np.round(xs_all)))
    x0, x1, xticks, xstep = nice_ticks(float(xs_all.min()), float(xs_all.max()), 6, integer_x)
    if plot.logy:
        y0, y1, yticks = log_ticks(float(ys_all.min()), float(ys_all.max()))
        ylabels = [format_log_tick(t) for t in yticks]
        yvalue = math.log10
    else:
        y0, y1, yticks, ystep = nice_ticks(float(ys_all.min()), float(ys_all.max()), 5)
        ylabels = [format_tick(t, ystep) for t in yticks]
        yvalue = float

    # Layout, from the outside in: title, legend, plot area, tick labels, axis labels.
    left = 14 + max(len(s) for s in ylabels) * CHAR + (22 if plot.ylabel else 4)
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
        f"font-family=\"{FONT}\" font-size=\"12\">",
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
            color = COLORS[index % len(COLORS)]
            out.append(
                f'<g class="nndl-series-{index}"><line x1="{x:.1f}" y1="{y:.1f}" x2="{x + 18:.1f}" '
                f'y2="{y:.1f}" stroke="{color}" stroke-width="2.5"/><text x="{x + 24:.1f}" '
                f'y="{y + 4:.1f}" fill="currentColor">{escape(label)}</text></g>'
            )

    # Grid and ticks.
    grid, ticks = grid_and_ticks(
        [(t, format_tick(t, xstep)) for t in xticks], list(zip(yticks, ylabels)), sx, sy,
        (left, top, pw, ph),
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
        color = COLORS[index % len(COLORS)]
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


def _legend_layout(plot, left, width):
    """Rows of legend entries (x, series index, label) that fit the width, left to right."""
    rows, row, x = [], [], left
    for index, label in enumerate(plot.series):
        text = label if label is not None else "values"
        size = 24 + len(text) * CHAR + 18
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
