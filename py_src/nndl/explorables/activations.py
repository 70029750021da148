r"""The four activations g(z) and their slopes g'(z), with one point z marked on both curves.

Everything is computed by :mod:`nndl.activations`: ``g(z)`` by the forward functions and
``g'(z)`` by :func:`nndl.activations.derivative`, which calls the backward functions, so the
picture shows exactly what backpropagation multiplies by. At the kink z = 0 of ReLU and leaky
ReLU, where there is no derivative, the drawing shows the engine's choice (the slope on the left,
0 and 0.01) as a filled dot at the end of the left-hand piece.
"""

import math
import uuid

import numpy as np

from .. import activations
from .._svg import COLORS, escape, format_tick, grid_and_ticks, nice_ticks, svg_open
from ._base import Choice, Slider, View, explorable

__all__ = ["activation_explorer"]

# name: (as the course writes it, g(z), g'(z), colour)
_SHOWN = {
    "sigmoid": ("sigmoid", "g(z) = 1/(1 + e^(−z))", "g'(z) = g(z)(1 − g(z))", COLORS[0]),
    "tanh": ("tanh", "g(z) = tanh(z)", "g'(z) = 1 − g(z)²", COLORS[1]),
    "relu": ("ReLU", "g(z) = max(0, z)", "g'(z) = 0 if z < 0, 1 if z > 0", COLORS[2]),
    "leaky_relu": (
        "leaky ReLU", "g(z) = max(0.01z, z)", "g'(z) = 0.01 if z < 0, 1 if z > 0", COLORS[3]
    ),
}
_KINKED = ("relu", "leaky_relu")  # no derivative at z = 0
Z_MIN, Z_MAX = -6.0, 6.0
_Z = np.arange(-120, 121) / 20  # −6 … 6 in steps of 0.05, with z = 0 exactly

_WIDTH = 480
_LEFT, _RIGHT = 56, 18
_CHAR = 7.0  # approximate width of one character at 13 px


def _fmt(x):
    """A number as the readout shows it: up to 4 significant digits, a real minus sign."""
    x = float(x)
    text = "0" if x == 0 else f"{x:.4g}"
    return text.replace("-", "−")


@explorable(
    "activation-explorer",
    "Activation functions g(z) and their slopes g'(z)",
    controls=[
        Choice(
            "activation",
            "activation g",
            "sigmoid",
            (
                ("sigmoid", "sigmoid"),
                ("tanh", "tanh"),
                ("relu", "ReLU"),
                ("leaky_relu", "leaky ReLU"),
                ("all", "all four"),
            ),
        ),
        Slider("z", "z", 1, Z_MIN, Z_MAX, 0.1),
    ],
)
def activation_explorer(activation="sigmoid", z=1.0):
    """g(z) above and g'(z) below for z in [−6, 6], with the point z marked and its values.

    activation: "sigmoid", "tanh", "relu", "leaky_relu" or "all" (the four on the same axes).
    """
    names = list(_SHOWN) if activation == "all" else [activation]
    for name in names:
        activations.get_activation(name)  # an unknown name: ValueError listing the known ones
    z = float(z)
    if not math.isfinite(z):
        raise ValueError(f"z must be a finite number, not {z!r}.")

    curves, values = {}, {}
    for name in names:
        g, _ = activations.get_activation(name)
        curves[name] = (g(_Z), activations.derivative(name, _Z))
        values[name] = (float(g(np.float64(z))), float(activations.derivative(name, z)))

    summary = _describe(names, z, values)
    title = (
        "The four activations and their slopes" if len(names) > 1
        else f"{_SHOWN[names[0]][0]}: g(z) and g'(z)"
    )
    html = _render(names, z, curves, values, title, summary)
    data = {
        "activation": activation,
        "z": z,
        "g": {name: g for name, (g, _) in values.items()},
        "dg": {name: dg for name, (_, dg) in values.items()},
    }
    return View(html, summary, data)


def _describe(names, z, values):
    parts = [
        f"{_SHOWN[n][0]}: g(z) = {_fmt(g)}, g'(z) = {_fmt(dg)}" for n, (g, dg) in values.items()
    ]
    text = f"At z = {_fmt(z)}, " + "; ".join(parts) + "."
    text += " The curves show g(z) above and g'(z) below, for z from −6 to 6."
    kinked = [n for n in names if n in _KINKED]
    if kinked and z == 0:
        choices = " and ".join(
            f"{_fmt(values[n][1])} for {_SHOWN[n][0]}" for n in kinked
        )
        text += (
            f" At exactly z = 0 {' and '.join(_SHOWN[n][0] for n in kinked)} "
            f"{'has' if len(kinked) == 1 else 'have'} no derivative: the engine uses the slope on "
            f"the left, {choices}."
        )
    return text


def _render(names, z, curves, values, title, summary):
    uid = "nndl-act-" + uuid.uuid4().hex[:10]
    single = len(names) == 1
    kinked = [n for n in names if n in _KINKED]
    pw = _WIDTH - _LEFT - _RIGHT

    # The readout: the formulas and the values at z (one line per activation for "all four").
    readout = []
    if single:
        label, g_text, dg_text, color = _SHOWN[names[0]]
        g, dg = values[names[0]]
        readout.append((label, color, "700"))
        readout.append((f"{g_text},  {dg_text}", color, "600"))
        readout.append((f"at z = {_fmt(z)}:  g(z) = {_fmt(g)},  g'(z) = {_fmt(dg)}", None, "400"))
    else:
        readout.append((f"at z = {_fmt(z)}:", None, "400"))
        for name in names:
            g, dg = values[name]
            text = f"{_SHOWN[name][0]}:  g(z) = {_fmt(g)},  g'(z) = {_fmt(dg)}"
            readout.append((text, _SHOWN[name][3], "600"))
    top = 14 + 19 * len(readout)
    g_height, dg_height = 150, 110
    g_top = top + 8
    dg_top = g_top + g_height + 34
    note = []
    if kinked:
        which = " and ".join(_SHOWN[n][0] for n in kinked)
        slopes = " and ".join(_fmt(activations.derivative(n, 0.0)) for n in kinked)
        s = "s" if len(kinked) > 1 else ""
        note = [
            f"At z = 0 {which} {'have' if s else 'has'} no derivative: the engine uses",
            f"{slopes}, the slope{s} on the left (filled dot{s}).",
        ]
    height = dg_top + dg_height + 44 + 18 * len(note) + (8 if note else 0)

    parts = [svg_open(uid, "nndl-activations", _WIDTH, height, title, summary, 13)]
    for i, (text, color, weight) in enumerate(readout):
        fill = f' fill="{color}"' if color else ""
        x = _LEFT - 40 if single or i == 0 else _LEFT - 16
        parts.append(
            f'<text x="{x}" y="{16 + 19 * i}"{fill} font-weight="{weight}">{escape(text)}</text>'
        )
        if not single and i > 0:
            y = 16 + 19 * i - 4
            parts.append(
                f'<line x1="{_LEFT - 38}" y1="{y}" x2="{_LEFT - 22}" y2="{y}" stroke="{color}" '
                'stroke-width="3"/>'
            )

    g_curves = {name: g for name, (g, _) in curves.items()}
    dg_curves = {name: dg for name, (_, dg) in curves.items()}
    parts += _panel(uid + "-g", g_top, g_height, "g(z)", names, g_curves, z,
                    {n: v[0] for n, v in values.items()}, kinks=False, single=single)
    parts += _panel(uid + "-dg", dg_top, dg_height, "g'(z)", names, dg_curves, z,
                    {n: v[1] for n, v in values.items()}, kinks=True, single=single)
    parts.append(
        f'<text x="{_LEFT + pw / 2:.1f}" y="{dg_top + dg_height + 36}" '
        'text-anchor="middle">z</text>'
    )
    for i, line in enumerate(note):
        y = dg_top + dg_height + 58 + 18 * i
        parts.append(f'<text x="{_LEFT - 40}" y="{y}" font-size="12">{escape(line)}</text>')
    parts.append("</svg>")
    return "\n".join(parts)


def _panel(uid, top, height, ylabel, names, curves, z, at_z, kinks, single):
    """One plot: axes, grid, the curves, a dashed line at z and a dot on each curve there."""
    pw = _WIDTH - _LEFT - _RIGHT
    lo = min(float(c.min()) for c in curves.values())
    hi = max(float(c.max()) for c in curves.values())
    y0, y1, yticks, ystep = nice_ticks(lo, hi, 5)
    xticks = range(-6, 7, 2)

    def sx(v):
        return _LEFT + (v - Z_MIN) / (Z_MAX - Z_MIN) * pw

    def sy(v):
        return top + height - (v - y0) / (y1 - y0) * height

    out = []
    grid, labels = grid_and_ticks(
        [(t, str(t).replace("-", "−")) for t in xticks],
        [(t, format_tick(t, ystep)) for t in yticks],
        sx, sy, (_LEFT, top, pw, height), gaps=(16, 7),
    )
    out.append(
        '<g stroke="currentColor" stroke-opacity="0.13" stroke-width="1">' + "".join(grid) + "</g>"
    )
    if y0 < 0 < y1:  # the line g = 0
        out.append(
            f'<line x1="{_LEFT}" y1="{sy(0):.1f}" x2="{_LEFT + pw}" y2="{sy(0):.1f}" '
            'stroke="currentColor" stroke-opacity="0.4" stroke-width="1"/>'
        )
    out.append(
        f'<path d="M{_LEFT},{top}V{top + height}H{_LEFT + pw}" fill="none" stroke="currentColor" '
        'stroke-opacity="0.6" stroke-width="1"/>'
    )
    out.append('<g fill-opacity="0.8" font-size="12">' + "".join(labels) + "</g>")
    cy = top + height / 2
    out.append(
        f'<text x="14" y="{cy:.1f}" text-anchor="middle" transform="rotate(-90 14 {cy:.1f})">'
        f"{escape(ylabel)}</text>"
    )

    # The curves. A slope with a jump at z = 0 is drawn as two pieces, each ending in a hollow
    # circle at the kink, and the engine's value at z = 0 as a filled dot.
    for name in names:
        color = _SHOWN[name][3]
        y = curves[name]
        wide = not single and name == "relu"  # under leaky ReLU, which covers it for z > 0
        stroke = f'stroke="{color}" stroke-width="{4.5 if wide else 2.2}"'
        if wide:
            stroke += ' stroke-opacity="0.55"'
        if kinks and name in _KINKED:
            left, right = _Z < 0, _Z > 0
            d = _path(_Z[left], y[left], sx, sy) + _path(_Z[right], y[right], sx, sy)
            out.append(f'<path d="{d}" fill="none" {stroke} stroke-linejoin="round"/>')
            y_left, y_right = float(y[left][-1]), float(y[right][0])
            for value in (y_left, y_right):
                out.append(
                    f'<circle cx="{sx(0):.1f}" cy="{sy(value):.1f}" r="3.5" fill="none" '
                    f'stroke="{color}" stroke-width="1.5"/>'
                )
            at_zero = float(activations.derivative(name, 0.0))
            out.append(f'<circle cx="{sx(0):.1f}" cy="{sy(at_zero):.1f}" r="3.5" fill="{color}"/>')
        else:
            d = _path(_Z, y, sx, sy)
            out.append(f'<path d="{d}" fill="none" {stroke} stroke-linejoin="round"/>')

    # The point z: a dashed vertical line, a dot on each curve, and (one curve) its value.
    x = sx(z)
    out.append(
        f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{top + height}" stroke="currentColor" '
        'stroke-opacity="0.6" stroke-dasharray="4 3" stroke-width="1.2"/>'
    )
    for name in names:
        color = _SHOWN[name][3]
        y = sy(at_z[name])
        out.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5" fill="{color}" stroke="currentColor" '
            'stroke-width="1.5"/>'
        )
    if single:
        value = at_z[names[0]]
        text = f"{ylabel.replace('z', _fmt(z))} = {_fmt(value)}"
        right = x + 10 + len(text) * _CHAR < _LEFT + pw
        tx = x + 10 if right else x - 10
        ty = sy(value) - 8 if sy(value) - 8 > top + 12 else sy(value) + 20
        out.append(
            f'<text x="{tx:.1f}" y="{ty:.1f}" text-anchor="{"start" if right else "end"}" '
            f'font-weight="600">{escape(text)}</text>'
        )
    return out


def _path(x, y, sx, sy):
    points = [f"{sx(a):.1f},{sy(b):.1f}" for a, b in zip(x.tolist(), y.tolist())]
    return "M" + "L".join(points)
