r"""Learning rates: the cost J against the iterations for several values of α, on one plot.

The model is lesson 6's: a 2-layer network with n_h = 4 tanh hidden units, trained on the flower
of :func:`nndl.data.load_planar_dataset` from the same small random start for every α. Only α
changes, so the curves show what α alone does: too small, the cost crawls; well chosen, it falls
fast and steadily; too large, it jumps up or zigzags; much too large, it diverges, and training
stops with :mod:`nndl.training`'s explanation.

Each (α, iterations) run is cached, so changing one value of the list trains only that one.
"""

import functools
import math
import re
import warnings

import numpy as np

from .. import data, shallow
from ..display import line_plot
from ..training import TrainingDivergedWarning
from ._base import Slider, Text, View, explorable

__all__ = ["MAX_CURVES", "N_H", "parse_learning_rates", "run", "learning_rates"]

MAX_CURVES = 6
"""At most this many learning rates on one plot (more curves could not be told apart)."""

N_H = 4
"""Hidden units of the network, as in lesson 6."""

DEFAULT = "0.05, 0.5, 1.2, 10, 20"
EXAMPLE = "for example 0.05, 0.5, 1.2"


def parse_learning_rates(text):
    """The learning rates written in ``text``, sorted from small to large, duplicates dropped.

    Forgiving: numbers may be separated by commas, semicolons or spaces ("0.1,1, 3e-2"), and
    written with a "−" or an "α =". Raises ValueError, saying what is wrong, for anything that is
    not a positive number, and for more than :data:`MAX_CURVES` values.
    """
    text = text.replace("−", "-").replace("α", " ").replace("=", " ")
    words = [word for word in re.split(r"[,;\s]+", text) if word]
    if not words:
        raise ValueError(f"Enter at least one learning rate α, {EXAMPLE}.")
    rates = []
    for word in words:
        try:
            alpha = float(word)
        except ValueError:
            raise ValueError(
                f"{word!r} is not a number. Write the learning rates as numbers separated by "
                f"commas, {EXAMPLE}."
            ) from None
        if not math.isfinite(alpha):
            raise ValueError(
                f"{word!r} is not a finite number. Write the learning rates as numbers separated "
                f"by commas, {EXAMPLE}."
            )
        if alpha <= 0:
            raise ValueError(
                f"α = {alpha:g} is not a learning rate: α must be more than 0, since each step "
                f"goes α times the gradient downhill (α ≤ 0 would stand still or go uphill)."
            )
        if alpha not in rates:
            rates.append(alpha)
    if len(rates) > MAX_CURVES:
        raise ValueError(
            f"{len(rates)} learning rates is too many curves for one plot: give at most "
            f"{MAX_CURVES}."
        )
    return sorted(rates)


@functools.lru_cache(maxsize=1)
def _flower():
    return data.load_planar_dataset()


@functools.lru_cache(maxsize=32)
def run(learning_rate, iterations):
    """Train the network with α = ``learning_rate`` for ``iterations`` iterations (cached).

    Returns ``(history, accuracy)``: the :class:`nndl.training.History` (every cost; whether it
    diverged, and why) and the share of the points classified correctly, None if it diverged.
    """
    X, Y = _flower()
    with warnings.catch_warnings():
        # Divergence is expected here, and shown on the plot: no need for the warning too.
        warnings.simplefilter("ignore", TrainingDivergedWarning)
        parameters, history = shallow.train(
            X, Y, n_h=N_H, learning_rate=learning_rate, num_iterations=iterations
        )
    accuracy = None
    if not history.diverged:
        accuracy = float(np.mean(shallow.predict(X, parameters) == Y))
    return history, accuracy


@explorable(
    "learning-rates",
    "The cost for several learning rates",
    controls=[
        Text(
            "learning_rates",
            "Learning rates α",
            DEFAULT,
            hint=f"up to {MAX_CURVES} numbers, separated by commas",
        ),
        Slider("iterations", "Iterations", 400, 100, 1000, 100),
    ],
    action="Compare",
)
def learning_rates(learning_rates=DEFAULT, iterations=400):
    """Train once per α and draw every cost curve on one plot (logarithmic cost axis)."""
    if isinstance(iterations, bool) or int(iterations) != iterations or iterations < 1:
        raise ValueError(f"The number of iterations must be a positive whole number, not "
                         f"{iterations!r}.")
    iterations = int(iterations)
    rates = parse_learning_rates(learning_rates)
    runs = []
    for alpha in rates:
        history, accuracy = run(alpha, iterations)
        costs = np.array(history.costs)
        finite = costs[np.isfinite(costs)]
        runs.append(
            {
                "learning_rate": alpha,
                "costs": costs,
                "first_cost": float(costs[0]),
                "final_cost": float(costs[-1]),
                "max_cost": float(finite.max()),
                "increases": int(np.sum(np.diff(costs) > 0)),  # steps where J went up
                "iterations_run": history.iterations,
                "diverged": history.diverged,
                "accuracy": accuracy,
                "message": history.message,
            }
        )

    # Largest α first, so that the smaller ones' curves are drawn on top of its zigzags.
    curves = {_label(r): r["costs"] for r in reversed(runs)}
    plot = line_plot(
        curves,
        logy=True,
        title=f"Cost J for {len(runs)} learning rate{'s' if len(runs) > 1 else ''}",
        xlabel="iteration",
        ylabel="cost J (log scale)",
        width=480,
        height=320,
    )
    for r in runs:
        del r["costs"]  # the curves are in the drawing; the data keeps the key numbers
    return View(plot._repr_svg_(), _summary(runs, iterations), {"iterations": iterations,
                                                                 "runs": runs})


def _label(r):
    label = f"α = {r['learning_rate']:g}"
    return label + " (diverged)" if r["diverged"] else label


def _behaviour(r, best):
    """A few words on the shape of a curve that did not diverge, or "" if it simply fell.
    best: the lowest final cost of all the curves."""
    if r["max_cost"] > r["first_cost"] + 1e-9:
        return f"it jumped up to {r['max_cost']:.2f} first"
    if r["increases"] > 0.1 * r["iterations_run"]:
        return "zigzagging"
    progress = r["first_cost"] - r["final_cost"]
    if progress < 0.05 * r["first_cost"] or progress < 0.25 * (r["first_cost"] - best):
        return "slow: α too small"
    return ""


def _summary(runs, iterations):
    sentences = []
    fine = [r for r in runs if not r["diverged"]]
    if fine:
        parts = []
        best = min(r["final_cost"] for r in fine)
        for r in fine:
            words = _behaviour(r, best)
            parts.append(
                f"{r['final_cost']:.3f} for α = {r['learning_rate']:g}"
                + (f" ({words})" if words else "")
            )
        listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
        sentences.append(f"After {iterations} iterations the cost J is {listed}.")
    for r in runs:
        if r["diverged"]:
            alpha, cost = r["learning_rate"], r["final_cost"]
            grew = (
                f"the cost grew from {r['first_cost']:.3f} to {cost:.3g}"
                if math.isfinite(cost)
                else "the cost stopped being a number"
            )
            sentences.append(
                f"α = {alpha:g} diverged at iteration {r['iterations_run'] - 1}: {grew}, each "
                f"step overshooting the minimum; try a smaller learning rate, such as "
                f"α = {alpha / 10:g}."
            )
    return " ".join(sentences)
