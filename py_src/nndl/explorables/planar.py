r"""A straight boundary against a curved one: logistic regression and a 2-layer network.

Both models learn the same points of the plane (the flower of
:func:`nndl.data.load_planar_dataset`, or the XOR set of :func:`nndl.data.load_xor_dataset`) by
gradient descent, 1000 iterations with α = 1.2. Each panel paints the plane with the class its
model predicts there, and draws the points on top in their true colours: where the shading
changes colour is the **decision boundary**.

Logistic regression predicts 1 where wᵀx + b > 0: its boundary is always a straight line. The
network with n_h tanh hidden units combines n_h soft steps, one along each unit's own line
W1[j] x + b1[j] = 0, so from two or three units on its boundary can bend.

Training takes a moment, so it runs when the reader presses "Train"; each model is cached per
setting (logistic regression once per dataset, the network once per dataset and n_h).
"""

import functools
import uuid

import numpy as np

from .. import data, logistic, shallow
from .._svg import COLORS, escape, svg_open
from ._base import Choice, View, explorable

__all__ = ["DATASETS", "HIDDEN_UNITS", "ITERATIONS", "train_logistic", "train_network", "planar"]

DATASETS = {"flower": "the flower", "xor": "the XOR set"}
HIDDEN_UNITS = (1, 2, 3, 4, 5, 20, 50)
"""The sizes of the hidden layer that lesson 6 compares."""

ITERATIONS = 1000
LEARNING_RATE = 1.2
GRID = 60
"""The plane is painted as GRID × GRID cells, one prediction each."""


@functools.lru_cache(maxsize=2)
def load(dataset):
    """X (2, m) and Y (1, m) of ``dataset``: "flower" or "xor"."""
    if dataset == "flower":
        return data.load_planar_dataset()
    return data.load_xor_dataset()


@functools.lru_cache(maxsize=2)
def train_logistic(dataset):
    """Logistic regression on ``dataset`` (cached) -> a function from X (2, m) to labels (1, m),
    and the final cost."""
    X, Y = load(dataset)
    params, _, history = logistic.optimize(
        np.zeros((2, 1)), 0.0, X, Y, num_iterations=ITERATIONS, learning_rate=LEARNING_RATE
    )
    w, b = params["w"], params["b"]
    return (lambda grid: logistic.predict(w, b, grid)), history.costs[-1]


@functools.lru_cache(maxsize=16)
def train_network(dataset, n_h):
    """The 2-layer network with n_h tanh hidden units on ``dataset`` (cached) -> a function from
    X (2, m) to labels (1, m), and the final cost."""
    X, Y = load(dataset)
    parameters, history = shallow.train(
        X, Y, n_h=n_h, learning_rate=LEARNING_RATE, num_iterations=ITERATIONS
    )
    return (lambda grid: shallow.predict(grid, parameters)), history.costs[-1]


@explorable(
    "planar-boundary",
    "A straight boundary or a curved one?",
    controls=[
        Choice("dataset", "Data", "flower", (("flower", "the flower"), ("xor", "XOR"))),
        Choice(
            "n_h",
            "Hidden units n_h",
            "4",
            tuple((str(n), str(n)) for n in HIDDEN_UNITS),
        ),
    ],
    action="Train",
)
def planar(dataset="flower", n_h=4):
    """Train both models on ``dataset`` and draw their decision regions over the points."""
    if dataset not in DATASETS:
        known = ", ".join(repr(k) for k in DATASETS)
        raise ValueError(f"The data must be one of {known}, not {dataset!r}.")
    try:
        whole = int(n_h) == float(n_h) and not isinstance(n_h, bool)
    except (TypeError, ValueError):
        whole = False
    if not whole:
        raise ValueError(f"n_h must be a whole number of hidden units, not {n_h!r}.")
    n_h = int(n_h)
    if n_h not in HIDDEN_UNITS:
        sizes = ", ".join(map(str, HIDDEN_UNITS))
        raise ValueError(f"n_h must be one of {sizes}, not {n_h}.")

    X, Y = load(dataset)
    models = {
        "logistic": train_logistic(dataset),
        "network": train_network(dataset, n_h),
    }
    facts = {}
    for name, (predict, cost) in models.items():
        facts[name] = {"accuracy": float(np.mean(predict(X) == Y)), "cost": float(cost)}

    m = X.shape[1]
    units = f"{n_h} hidden tanh unit{'s' if n_h > 1 else ''}"
    shape = "a boundary that is still a straight line" if n_h == 1 else "a curved boundary"
    summary = (
        f"On {DATASETS[dataset]}, logistic regression's straight boundary classifies "
        f"{_percent(facts['logistic']['accuracy'])} of the {m} points correctly; the network with "
        f"{units} draws {shape} and gets {_percent(facts['network']['accuracy'])}."
    )
    titles = {
        "logistic": "Logistic regression",
        "network": f"2-layer network, n_h = {n_h}",
    }
    panels = [
        _panel(titles[name], X, Y, models[name][0], facts[name]["accuracy"]) for name in models
    ]
    html = '<div class="nndl-panels">' + "".join(panels) + "</div>"
    return View(
        html,
        summary,
        {"dataset": dataset, "n_h": n_h, "m": m, "iterations": ITERATIONS, **facts},
    )


def _percent(share):
    return f"{100 * share:.0f} %"


# ---- Drawing ----

SIZE = 300  # the square of the plane, in pixels; GRID cells of SIZE / GRID = 5 pixels
TOP = 46
PANEL_WIDTH = SIZE + 20
PANEL_HEIGHT = TOP + SIZE + 30
CLASS_COLORS = (COLORS[1], COLORS[0])  # class 0 orange, class 1 blue, as in the lessons


def _frame(X):
    """The square of the plane shown: centre and half side, a little wider than the points."""
    lo, hi = X.min(axis=1), X.max(axis=1)
    centre = (lo + hi) / 2
    half = 0.55 * float(np.max(hi - lo))
    return centre, half


def _panel(title, X, Y, predict, accuracy):
    uid = "nndl-planar-" + uuid.uuid4().hex[:10]
    centre, half = _frame(X)
    cell = 2 * half / GRID
    # Cell centres, row by row from the top (largest x2) down: every cell is one example.
    x1 = centre[0] - half + (np.arange(GRID) + 0.5) * cell
    x2 = centre[1] + half - (np.arange(GRID) + 0.5) * cell
    grid = np.vstack([np.tile(x1, GRID), np.repeat(x2, GRID)])  # (2, GRID²)
    region = predict(grid).reshape(GRID, GRID).astype(int)

    def px(v, axis):
        if axis == 0:
            return 10 + (v - centre[0] + half) / (2 * half) * SIZE
        return TOP + (centre[1] + half - v) / (2 * half) * SIZE

    desc = (
        f"{title}: the plane shaded by the predicted class (orange 0, blue 1), with the "
        f"{X.shape[1]} points on top in their true colours; {_percent(accuracy)} of them lie on "
        f"their own colour."
    )
    out = [
        svg_open(uid, "nndl-planar", PANEL_WIDTH, PANEL_HEIGHT, title, desc),
        f'<text x="{PANEL_WIDTH / 2}" y="18" text-anchor="middle" font-size="14" '
        f'font-weight="600" fill="currentColor">{escape(title)}</text>',
        f'<text x="{PANEL_WIDTH / 2}" y="36" text-anchor="middle" fill="currentColor">'
        f"{_percent(accuracy)} of the points correct</text>",
    ]
    # The regions: each row's runs of equal cells become one rectangle.
    side = SIZE / GRID
    for label in (0, 1):
        rects = []
        for r in range(GRID):
            row = region[r]
            c = 0
            while c < GRID:
                if row[c] != label:
                    c += 1
                    continue
                start = c
                while c < GRID and row[c] == label:
                    c += 1
                rects.append(
                    f'<rect x="{10 + start * side:g}" y="{TOP + r * side:g}" '
                    f'width="{(c - start) * side:g}" height="{side:g}"/>'
                )
        out.append(
            f'<g fill="{CLASS_COLORS[label]}" fill-opacity="0.25" shape-rendering="crispEdges">'
            + "".join(rects) + "</g>"
        )
    out.append(
        f'<rect x="10" y="{TOP}" width="{SIZE}" height="{SIZE}" fill="none" '
        f'stroke="currentColor" stroke-opacity="0.4"/>'
    )
    # The points, in their true colours.
    for label in (0, 1):
        points = X[:, Y[0] == label]
        dots = "".join(
            f'<circle cx="{px(a, 0):.1f}" cy="{px(b, 1):.1f}" r="2.3"/>' for a, b in points.T
        )
        out.append(
            f'<g fill="{CLASS_COLORS[label]}" stroke="currentColor" stroke-opacity="0.45" '
            f'stroke-width="0.5">{dots}</g>'
        )
    # A key under the square.
    y = TOP + SIZE + 20
    out.append(
        f'<circle cx="20" cy="{y - 4}" r="4" fill="{CLASS_COLORS[0]}"/>'
        f'<text x="28" y="{y}" fill="currentColor">class 0</text>'
        f'<circle cx="90" cy="{y - 4}" r="4" fill="{CLASS_COLORS[1]}"/>'
        f'<text x="98" y="{y}" fill="currentColor">class 1</text>'
        f'<text x="{PANEL_WIDTH - 10}" y="{y}" text-anchor="end" fill="currentColor" '
        f'fill-opacity="0.8">shading: predicted class</text>'
    )
    out.append("</svg>")
    return "".join(out)
