r"""Symmetry: a 2-layer network trained from zeros and from small random weights, side by side.

Both networks have n_h = 4 hidden units and learn the flower of
:func:`nndl.data.load_planar_dataset` with α = 1.2. The view shows, at the iteration the reader
picks, one row per hidden unit j: its row of W1, its bias b1[j] and its outgoing weight W2[0, j]
(so W2 appears transposed, as a column). From zeros the four rows stay equal at every iteration:
the four units are copies of one.

Why the flower has 399 points here (199 of class 0, 200 of class 1) and not 400: from zeros,
a sigmoid hidden layer outputs A1 = σ(0) = 0.5 for every example, so the first gradient is
dW2 = (1/m) dZ2 A1ᵀ = 0.5 · mean(A2 − Y), with A2 = 0.5 everywhere. With exactly as many points
of each class that mean is 0: every gradient is 0 and, in exact arithmetic, nothing would move.
One point more in one class makes the first step small but real. With tanh, A1 = tanh(0) = 0 and
W2 = 0 make dW2 and dZ1 = W2ᵀ dZ2 * g'(Z1) exactly 0 whatever the data: only b2 ever moves.

Training runs once per (activation, start) and keeps the parameters of every iteration
(:func:`trajectory`, cached), so moving the slider only redraws.
"""

import functools
import uuid
from dataclasses import dataclass

import numpy as np

from .. import data, shallow
from .._svg import COLORS, escape, svg_open
from ._base import Choice, Slider, View, explorable

__all__ = ["MAX_ITERATIONS", "N_H", "LEARNING_RATE", "Snapshot", "trajectory", "symmetry"]

MAX_ITERATIONS = 500
"""The slider's range: iterations 0 … 500 of gradient descent."""

N_H = 4
"""Hidden units."""

LEARNING_RATE = 1.2
"""α, as in lesson 6."""

M = 399
"""Points of the flower: 199 of class 0 and 200 of class 1 (see the module's docstring)."""

SEED = 2
"""Seed of the small random start (the engine's default)."""

STARTS = {"zeros": "From zeros", "small": "From small random weights"}
"""The two initializations compared, in :func:`nndl.shallow.initialize_parameters`'s words."""


@dataclass(frozen=True)
class Snapshot:
    """The network after some iterations: its parameters, and the cost J and the accuracy
    (share of the points classified correctly) that these parameters give."""

    parameters: dict
    cost: float
    accuracy: float

    def units(self):
        """One row per hidden unit j: (W1[j, 0], W1[j, 1], b1[j], W2[0, j]) -> (n_h, 4)."""
        p = self.parameters
        return np.hstack([p["W1"], p["b1"], p["W2"].T])


@functools.lru_cache(maxsize=1)
def _flower():
    return data.load_planar_dataset(m=M)


@functools.lru_cache(maxsize=4)
def trajectory(activation, init):
    """Train the network from ``init`` ("zeros" or "small") with hidden activation g[1] and return
    the :class:`Snapshot` of every iteration 0 … MAX_ITERATIONS (snapshot i: after i updates).

    Cached: each (activation, init) trains once; the slider then only looks snapshots up.
    """
    X, Y = _flower()
    parameters = shallow.initialize_parameters(X.shape[0], N_H, 1, init, seed=SEED)
    snapshots = []
    for i in range(MAX_ITERATIONS + 1):
        A2, cache = shallow.forward_propagation(X, parameters, activation)
        cost = shallow.compute_cost(A2, Y)
        accuracy = float(np.mean((A2 > 0.5) == Y))
        snapshots.append(Snapshot(parameters, cost, accuracy))
        if i < MAX_ITERATIONS:
            grads = shallow.backward_propagation(parameters, cache, X, Y, activation)
            parameters = shallow.update_parameters(parameters, grads, LEARNING_RATE)
    return tuple(snapshots)


def units_equal(units):
    """True if every row of ``units`` equals the first one, up to rounding (1e-9 relative)."""
    return bool(np.ptp(units, axis=0).max() <= 1e-9 * (1.0 + np.abs(units).max()))


@explorable(
    "symmetry",
    "Zeros or random: do the hidden units stay copies of each other?",
    controls=[
        Choice(
            "activation",
            "Hidden activation g[1]",
            "sigmoid",
            (("sigmoid", "sigmoid"), ("tanh", "tanh")),
        ),
        Slider("iteration", "Iteration", MAX_ITERATIONS, 0, MAX_ITERATIONS, 10),
    ],
)
def symmetry(activation="sigmoid", iteration=MAX_ITERATIONS):
    """W1, b1 and W2 at ``iteration``, trained from zeros and from small random weights."""
    if activation not in ("sigmoid", "tanh"):
        raise ValueError(f"The hidden activation must be 'sigmoid' or 'tanh', not {activation!r}.")
    if isinstance(iteration, bool) or int(iteration) != iteration:
        raise ValueError(f"The iteration must be a whole number, not {iteration!r}.")
    iteration = int(iteration)
    if not 0 <= iteration <= MAX_ITERATIONS:
        raise ValueError(f"The iteration must be between 0 and {MAX_ITERATIONS}, not {iteration}.")

    runs = {init: trajectory(activation, init) for init in STARTS}
    shown = {init: runs[init][iteration] for init in STARTS}
    top = max(s.cost for run in runs.values() for s in run)  # shared cost scale of both panels

    facts = {}
    for init, snap in shown.items():
        units = snap.units()
        facts[init] = {
            "W1": snap.parameters["W1"].tolist(),  # lists: the cached arrays stay untouched
            "b1": snap.parameters["b1"].tolist(),
            "W2": snap.parameters["W2"].tolist(),
            "b2": float(snap.parameters["b2"][0, 0]),
            "cost": snap.cost,
            "accuracy": snap.accuracy,
            "units_equal": units_equal(units),
            "spread": float(np.ptp(units, axis=0).max()),
            "still_zero": [k for k, v in snap.parameters.items() if not np.any(v)],
        }

    summary = _summary(activation, iteration, facts)
    panels = [_panel(init, activation, iteration, runs[init], facts[init], top) for init in STARTS]
    html = '<div class="nndl-panels">' + "".join(panels) + "</div>"
    return View(html, summary, {"activation": activation, "iteration": iteration, **facts})


# ---- Words ----


def _percent(share):
    return f"{100 * share:.0f} %"


def _verdict(f):
    """What one start's facts ``f`` say about its hidden units, in a few words."""
    if not f["units_equal"]:
        return f"the {N_H} units differ, by up to {f['spread']:.2g}"
    if "W1" in f["still_zero"]:
        return f"W1 is still all zeros: the {N_H} units are the same unit"
    return f"all {N_H} units are equal: {N_H} copies of one unit"


def _summary(activation, iteration, facts):
    zeros, small = facts["zeros"], facts["small"]
    first = (
        f"Iteration {iteration}, {activation} hidden units. From zeros, {_verdict(zeros)}"
        f" (cost {zeros['cost']:.3f}, accuracy {_percent(zeros['accuracy'])}); from small random "
        f"weights, {_verdict(small)} (cost {small['cost']:.3f}, accuracy "
        f"{_percent(small['accuracy'])})."
    )
    if zeros["still_zero"] == ["W1", "b1", "W2"]:
        first += f" From zeros only b2 has moved: b2 = {zeros['b2']:.4f}."
    return first


# ---- Drawing ----

PANEL_WIDTH = 300
ROW_LABEL = 58  # width of the "unit j" column
CELL_W, CELL_H = 58, 24
COLUMNS = ("col 1", "col 2", "b1", "W2ᵀ")
TABLE_TOP = 68
PLOT_TOP = TABLE_TOP + N_H * CELL_H + 58
PLOT_H = 56
PANEL_HEIGHT = PLOT_TOP + PLOT_H + 36


def _number(v):
    """A table entry: 2 decimals, or 2 significant digits in e-notation when tiny."""
    if v == 0:
        return "0"
    text = f"{v:.2f}" if abs(v) >= 0.005 else f"{v:.1e}"
    return text.replace("-", "−")


def _panel(init, activation, iteration, run, facts, top):
    """One start's drawing: its table of units at ``iteration``, the verdict, and its cost curve
    (``top``: the highest cost of both runs, so that the two panels share one scale)."""
    uid = "nndl-sym-" + uuid.uuid4().hex[:10]
    title = f"{STARTS[init]}, {activation}"
    units = run[iteration].units()
    desc = (
        f"{STARTS[init]}, iteration {iteration}: {_verdict(facts)}. "
        + " ".join(
            f"Unit {j + 1}: W1 row ({_number(u[0])}, {_number(u[1])}), b1 {_number(u[2])}, "
            f"W2 {_number(u[3])}."
            for j, u in enumerate(units)
        )
        + f" Cost {facts['cost']:.3f}, accuracy {_percent(facts['accuracy'])}."
    )
    w, h = PANEL_WIDTH, PANEL_HEIGHT
    out = [
        svg_open(uid, "nndl-symmetry", w, h, title, desc),
        f'<text x="{w / 2}" y="18" text-anchor="middle" font-size="14" font-weight="600" '
        f'fill="currentColor">{escape(STARTS[init])}</text>',
    ]
    # Column headers: W1's two columns under one "W1" label, then b1 and W2ᵀ.
    x0 = ROW_LABEL
    out.append(
        f'<text x="{x0 + CELL_W:.0f}" y="{TABLE_TOP - 24}" text-anchor="middle" '
        f'font-weight="600" fill="currentColor">W1</text>'
    )
    for k, label in enumerate(COLUMNS):
        weight = ' font-weight="600"' if k >= 2 else ""
        out.append(
            f'<text x="{x0 + (k + 0.5) * CELL_W:.0f}" y="{TABLE_TOP - 7}" text-anchor="middle"'
            f'{weight} fill="currentColor">{escape(label)}</text>'
        )
    # One row per hidden unit; each column shaded by sign and size (blue +, orange −), scaled to
    # the largest entry of that column in this panel.
    scale = np.abs(units).max(axis=0)
    for j, row in enumerate(units):
        y = TABLE_TOP + j * CELL_H
        out.append(
            f'<text x="{ROW_LABEL - 8}" y="{y + 16}" text-anchor="end" fill="currentColor">'
            f"unit {j + 1}</text>"
        )
        for k, v in enumerate(row):
            x = x0 + k * CELL_W
            strength = abs(v) / scale[k] if scale[k] > 0 else 0.0
            color = COLORS[0] if v >= 0 else COLORS[1]
            out.append(
                f'<rect x="{x}" y="{y}" width="{CELL_W}" height="{CELL_H}" fill="{color}" '
                f'fill-opacity="{0.06 + 0.5 * strength:.2f}" stroke="currentColor" '
                f'stroke-opacity="0.25"/>'
                f'<text x="{x + CELL_W / 2:.0f}" y="{y + 16}" text-anchor="middle" '
                f'font-size="11" fill="currentColor">{_number(v)}</text>'
            )
    # The verdict: red when the units are copies of each other, green when they differ.
    y = TABLE_TOP + N_H * CELL_H
    equal = facts["units_equal"]
    mark = f"all {N_H} rows equal" if equal else f"the {N_H} rows differ"
    numbers = (
        f"b2 = {_number(facts['b2'])} · cost J = {facts['cost']:.3f} · "
        f"accuracy {_percent(facts['accuracy'])}"
    )
    out.append(
        f'<text x="{w / 2}" y="{y + 20}" text-anchor="middle" font-weight="600" '
        f'fill="{COLORS[3] if equal else COLORS[2]}">{mark}</text>'
        f'<text x="{w / 2}" y="{y + 38}" text-anchor="middle" font-size="11" '
        f'fill="currentColor">{escape(numbers)}</text>'
    )
    out.append(_cost_plot(run, iteration, top, COLORS[3] if init == "zeros" else COLORS[2]))
    out.append("</svg>")
    return "".join(out)


def _cost_plot(run, iteration, top, color):
    """A small plot of the cost J over all iterations, with a dot at the one shown."""
    left, width = 44, PANEL_WIDTH - 44 - 14
    n = len(run) - 1

    def sx(i):
        return left + i / n * width

    def sy(cost):
        return PLOT_TOP + PLOT_H - cost / top * PLOT_H

    points = "".join(
        f"{'M' if i == 0 else 'L'}{sx(i):.1f},{sy(run[i].cost):.1f}" for i in range(0, n + 1, 5)
    )
    here = run[iteration]
    bottom = PLOT_TOP + PLOT_H
    return (
        f'<path d="M{left},{PLOT_TOP}V{bottom}H{left + width}" fill="none" stroke="currentColor" '
        f'stroke-opacity="0.6"/>'
        f'<text x="{left - 6}" y="{PLOT_TOP + 4}" text-anchor="end" font-size="11" '
        f'fill="currentColor">{top:.2f}</text>'
        f'<text x="{left - 6}" y="{bottom + 4}" text-anchor="end" font-size="11" '
        f'fill="currentColor">0</text>'
        f'<text x="{left}" y="{bottom + 16}" text-anchor="middle" font-size="11" '
        f'fill="currentColor">0</text>'
        f'<text x="{left + width}" y="{bottom + 16}" text-anchor="middle" font-size="11" '
        f'fill="currentColor">{n}</text>'
        f'<text x="{left + width / 2}" y="{bottom + 16}" text-anchor="middle" font-size="11" '
        f'fill="currentColor">cost J per iteration</text>'
        f'<line x1="{sx(iteration):.1f}" y1="{PLOT_TOP}" x2="{sx(iteration):.1f}" y2="{bottom}" '
        f'stroke="currentColor" stroke-opacity="0.3" stroke-dasharray="3 3"/>'
        f'<path d="{points}" fill="none" stroke="{color}" stroke-width="2" '
        f'stroke-linejoin="round"/>'
        f'<circle cx="{sx(iteration):.1f}" cy="{sy(here.cost):.1f}" r="4" fill="{color}"/>'
    )
