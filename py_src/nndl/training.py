"""The gradient-descent loop shared by every model of the course.

Each model supplies ``step(i) -> cost``: one iteration of forward propagation, cost, backward
propagation and parameter update. :func:`gradient_descent` repeats it and takes care of what every
model needs around it:

- a **progress callback** ``callback(iteration, cost)`` that the caller decides how to show (print
  it, plot it, stream it to a web page); returning :data:`STOP` from it ends training early;
- the **cost history**, one cost per iteration, in a :class:`History`; passing it back in carries
  on where the last call stopped (a training run in several slices, as the dashboard trains);
- **divergence** (:func:`has_diverged`): when the cost is NaN or infinite, or has grown to more
  than :data:`DIVERGENCE_GROWTH` times its first value, training stops with a message that
  suggests a smaller learning rate, and whatever was learned so far is returned.

Why growth counts as divergence: with a small enough learning rate each gradient-descent step
lowers the cost (or leaves it about where it was). A cost that climbs far above where it started
means the steps overshoot the minimum. The cross-entropy costs of this course are computed so
that they stay finite even then (a wrong, saturated prediction costs about 34.5, not infinity),
so waiting for NaN would wait forever.
"""
import math
import warnings
from dataclasses import dataclass, field

import numpy as np

__all__ = [
    "STOP",
    "DIVERGENCE_GROWTH",
    "History",
    "TrainingDivergedWarning",
    "gradient_descent",
    "has_diverged",
    "print_progress",
]

STOP = "stop"
"""Return this from a progress callback to end training after the current iteration."""

DIVERGENCE_GROWTH = 10.0
"""Training stops as diverged once the cost exceeds this many times its first value (and exceeds it
by more than 1, so that a cost starting near 0 may wobble)."""


class TrainingDivergedWarning(RuntimeWarning):
    """Training stopped because the cost diverged (see :func:`has_diverged`)."""


@dataclass
class History:
    """What happened during training.

    costs:         the cost J after each iteration, in order (``costs[i]`` belongs to iteration i).
    stopped_early: True if the progress callback returned :data:`STOP` (in the last call).
    diverged:      True if the cost diverged (see :func:`has_diverged`); ``message`` then says
                   what to do.
    """

    costs: list = field(default_factory=list)
    stopped_early: bool = False
    diverged: bool = False
    message: str = ""

    @property
    def iterations(self):
        """How many iterations ran."""
        return len(self.costs)


def has_diverged(cost, first_cost):
    """True if ``cost`` is NaN or infinite, or is more than :data:`DIVERGENCE_GROWTH` times the
    first cost and more than 1 above it."""
    if not math.isfinite(cost):
        return True
    return cost > DIVERGENCE_GROWTH * first_cost and cost > first_cost + 1.0


def divergence_message(iteration, cost, first_cost, learning_rate):
    """What :class:`History` and the warning say when the cost diverged at ``iteration``."""
    if math.isfinite(cost):
        what = (
            f"the cost grew from {first_cost:.4g} to {cost:.4g}, more than "
            f"{DIVERGENCE_GROWTH:g} times where it started"
        )
    else:
        what = f"the cost became {cost}, which is not a finite number"
    return (
        f"Training diverged at iteration {iteration}: {what}. The learning rate "
        f"α = {learning_rate:g} is probably too large: each step overshoots the minimum, so the "
        f"cost goes up instead of down. Try a smaller learning rate, for example "
        f"α = {learning_rate / 10:g}. The parameters returned are the last ones computed and are "
        f"not useful for prediction."
    )


def gradient_descent(step, num_iterations, learning_rate, callback=None, callback_every=100,
                     history=None):
    """Run ``step(i)`` for i = 0 … num_iterations − 1 and return the :class:`History`.

    step:           ``step(i) -> cost``; performs one iteration (including the parameter update).
    learning_rate:  only used to word the divergence message.
    callback:       optional ``callback(iteration, cost)``, called every ``callback_every``
                    iterations, after the last one and when the cost diverges; return
                    :data:`STOP` to end training.
    history:        the :class:`History` of an earlier call, to carry on from it: the
                    ``num_iterations`` more iterations are numbered on from
                    ``history.iterations``, their costs are added to it (and it is returned), and
                    divergence is judged against its first cost. Training in several calls thus
                    computes and judges exactly what one call would. A diverged history stays as
                    it is: nothing more runs.
    """
    if num_iterations < 0:
        raise ValueError(f"num_iterations must be 0 or more, got {num_iterations}")
    if callback_every < 1:
        raise ValueError(f"callback_every must be 1 or more, got {callback_every}")
    if history is None:
        history = History()
    elif history.diverged:
        return history
    history.stopped_early = False
    start = history.iterations
    end = start + num_iterations
    for i in range(start, end):
        # Overflow and 0·inf are how divergence shows up; they are detected below, not warned about.
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            cost = float(step(i))
        history.costs.append(cost)
        if has_diverged(cost, history.costs[0]):
            history.diverged = True
            history.message = divergence_message(i, cost, history.costs[0], learning_rate)
            warnings.warn(history.message, TrainingDivergedWarning, stacklevel=2)
            if callback is not None:
                callback(i, cost)
            break
        last = i == end - 1
        if callback is not None and (i % callback_every == 0 or last):
            if callback(i, cost) == STOP:
                history.stopped_early = not last
                break
    return history


def print_progress(every=100):
    """A ready-made callback that prints "Cost after iteration i: J" every ``every`` iterations."""

    def callback(iteration, cost):
        if iteration % every == 0:
            print(f"Cost after iteration {iteration}: {cost:.6f}")

    return callback
