"""The gradient-descent loop shared by every model of the course.

Each model supplies ``step(i) -> cost``: one iteration of forward propagation, cost, backward
propagation and parameter update. :func:`gradient_descent` repeats it and takes care of what every
model needs around it:

- a **progress callback** ``callback(iteration, cost)`` that the caller decides how to show (print
  it, plot it, stream it to a web page); returning :data:`STOP` from it ends training early;
- the **cost history**, one cost per iteration;
- **divergence**: when the cost stops being a finite number, training stops with a message that
  suggests a smaller learning rate, and whatever was learned so far is returned.
"""

import math
import warnings
from dataclasses import dataclass, field

import numpy as np

__all__ = ["STOP", "History", "TrainingDivergedWarning", "gradient_descent", "print_progress"]

STOP = "stop"
"""Return this from a progress callback to end training after the current iteration."""


class TrainingDivergedWarning(RuntimeWarning):
    """Training stopped because the cost became NaN or infinite."""


@dataclass
class History:
    """What happened during training.

    costs:         the cost J after each iteration, in order (``costs[i]`` belongs to iteration i).
    stopped_early: True if the progress callback returned :data:`STOP`.
    diverged:      True if the cost became NaN or infinite; ``message`` then says what to do.
    """

    costs: list = field(default_factory=list)
    stopped_early: bool = False
    diverged: bool = False
    message: str = ""

    @property
    def iterations(self):
        """How many iterations ran."""
        return len(self.costs)


def divergence_message(iteration, cost, learning_rate):
    return (
        f"Training diverged at iteration {iteration}: the cost became {cost}, which is not a finite "
        f"number. The learning rate α = {learning_rate:g} is probably too large: each step "
        f"overshoots the minimum and the parameters grow until the numbers overflow. Try a smaller "
        f"learning rate, for example α = {learning_rate / 10:g}. The parameters returned are the "
        f"last ones computed and are not useful for prediction."
    )


def gradient_descent(step, num_iterations, learning_rate, callback=None, callback_every=100):
    """Run ``step(i)`` for i = 0 … num_iterations − 1 and return the :class:`History`.

    step:           ``step(i) -> cost``; performs one iteration (including the parameter update).
    learning_rate:  only used to word the divergence message.
    callback:       optional ``callback(iteration, cost)``, called every ``callback_every``
                    iterations and after the last one; return :data:`STOP` to end training.
    """
    if num_iterations < 0:
        raise ValueError(f"num_iterations must be 0 or more, got {num_iterations}")
    if callback_every < 1:
        raise ValueError(f"callback_every must be 1 or more, got {callback_every}")
    history = History()
    for i in range(num_iterations):
        # Overflow and 0·inf are how divergence shows up; they are detected below, not warned about.
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            cost = float(step(i))
        history.costs.append(cost)
        if not math.isfinite(cost):
            history.diverged = True
            history.message = divergence_message(i, cost, learning_rate)
            warnings.warn(history.message, TrainingDivergedWarning, stacklevel=2)
            if callback is not None:
                callback(i, cost)
            break
        last = i == num_iterations - 1
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
