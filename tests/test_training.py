"""Tests for nndl.training: the gradient-descent loop, its callback, early stop and divergence."""

import math

import numpy as np
import pytest
from nndl import deep, logistic, shallow
from nndl.training import (
    STOP,
    History,
    TrainingDivergedWarning,
    gradient_descent,
    print_progress,
)
from toy_data import xor_data


def counting_step(costs=None):
    """A step that records its calls and returns cost 1/(i + 1), or the given costs in order."""
    calls = []

    def step(i):
        calls.append(i)
        return costs[i] if costs is not None else 1 / (i + 1)

    return step, calls


# ---- The loop and the cost history ----


def test_runs_every_iteration_and_records_every_cost():
    step, calls = counting_step()
    history = gradient_descent(step, 7, 0.1)
    assert calls == list(range(7))
    assert history.costs == [1 / (i + 1) for i in range(7)]
    assert history.iterations == 7
    assert not history.stopped_early and not history.diverged and history.message == ""


def test_costs_are_python_floats():
    history = gradient_descent(lambda i: np.float64(0.5), 2, 0.1)
    assert all(type(J) is float for J in history.costs)


def test_zero_iterations():
    step, calls = counting_step()
    assert gradient_descent(step, 0, 0.1).costs == [] and calls == []


@pytest.mark.parametrize("num_iterations, callback_every", [(-1, 10), (5, 0)])
def test_invalid_arguments(num_iterations, callback_every):
    with pytest.raises(ValueError, match="must be"):
        gradient_descent(lambda i: 0.0, num_iterations, 0.1, callback_every=callback_every)


# ---- The progress callback ----


@pytest.mark.parametrize(
    "num_iterations, every, expected",
    [
        (10, 3, [0, 3, 6, 9]),
        (11, 3, [0, 3, 6, 9, 10]),
        (5, 100, [0, 4]),
        (1, 100, [0]),
        (4, 1, [0, 1, 2, 3]),
    ],
)
def test_callback_cadence(num_iterations, every, expected):
    """Every ``callback_every`` iterations, starting at 0, and after the last one."""
    step, _ = counting_step()
    seen = []
    gradient_descent(
        step, num_iterations, 0.1, callback=lambda i, J: seen.append((i, J)), callback_every=every
    )
    assert seen == [(i, 1 / (i + 1)) for i in expected]


def test_returning_stop_ends_training_early():
    step, calls = counting_step()
    history = gradient_descent(
        step, 100, 0.1, callback=lambda i, J: STOP if i >= 20 else None, callback_every=10
    )
    assert calls == list(range(21))
    assert history.stopped_early and history.iterations == 21


def test_stop_at_the_last_iteration_is_not_early():
    step, calls = counting_step()
    history = gradient_descent(step, 5, 0.1, callback=lambda i, J: STOP, callback_every=10)
    assert calls == [0]  # the first callback already stops
    assert history.stopped_early
    history = gradient_descent(step, 1, 0.1, callback=lambda i, J: STOP)
    assert not history.stopped_early and history.iterations == 1


def test_print_progress(capsys):
    gradient_descent(
        lambda i: 0.5 / (i + 1), 250, 0.1, callback=print_progress(100), callback_every=50
    )
    assert capsys.readouterr().out == (
        "Cost after iteration 0: 0.500000\n"
        "Cost after iteration 100: 0.004950\n"
        "Cost after iteration 200: 0.002488\n"
    )


# ---- Divergence ----


@pytest.mark.parametrize("bad", [math.inf, math.nan, -math.inf])
def test_divergence_stops_and_explains(bad):
    step, calls = counting_step([1.0, 0.5, 2.0, bad, 1.0, 1.0])
    seen = []
    with pytest.warns(TrainingDivergedWarning) as warned:
        history = gradient_descent(
            step, 6, 0.5, callback=lambda i, J: seen.append(i), callback_every=100
        )
    assert calls == [0, 1, 2, 3]
    assert history.diverged and not history.stopped_early
    assert history.costs[:3] == [1.0, 0.5, 2.0] and not math.isfinite(history.costs[3])
    assert seen == [0, 3]  # the callback hears about the divergence even off its cadence
    assert "Training diverged at iteration 3: the cost became" in history.message
    assert "smaller learning rate, for example α = 0.05" in history.message
    assert str(warned[0].message) == history.message


@pytest.mark.parametrize(
    "costs, diverges_at",
    [
        ([0.7, 0.6, 6.9, 1.5, 0.4], None),  # a bump, but below 10 × 0.7
        ([0.7, 0.6, 7.5, 0.5, 0.4], 2),  # above 10 × 0.7: the steps overshoot
        ([0.01, 0.5, 1.0, 1.02, 0.0], 3),  # near 0 at first: must also exceed it by more than 1
        ([0.0, 0.9, 1.5], 2),
    ],
)
def test_a_cost_that_grows_far_above_its_start_is_divergence(costs, diverges_at):
    """Cross-entropy costs stay finite even when training blows up, so growth must be caught."""
    step, calls = counting_step(costs)
    if diverges_at is None:
        history = gradient_descent(step, len(costs), 0.1)
        assert not history.diverged and history.iterations == len(costs)
        return
    with pytest.warns(TrainingDivergedWarning):
        history = gradient_descent(step, len(costs), 10.0)
    assert history.diverged and calls == list(range(diverges_at + 1))
    assert history.message.startswith(
        f"Training diverged at iteration {diverges_at}: the cost grew from {costs[0]:.4g} to "
        f"{costs[diverges_at]:.4g}, more than 10 times where it started"
    )
    assert "smaller learning rate, for example α = 1" in history.message


def test_overflow_inside_a_step_is_divergence_not_a_numpy_warning():
    """The step's overflow happens under np.errstate: only TrainingDivergedWarning is raised
    (the suite turns any other warning into an error)."""
    w = np.array([1.0])

    def step(i):
        w[:] = w * 1e200  # 1e200, then 1e400: overflow to inf at iteration 1
        return float(np.sum(w))

    with pytest.warns(TrainingDivergedWarning):
        history = gradient_descent(step, 10, 3.0)
    assert history.diverged and history.iterations == 2
    assert history.costs[-1] == math.inf


def test_history_defaults():
    history = History()
    assert (history.costs, history.iterations, history.stopped_early, history.diverged) == (
        [],
        0,
        False,
        False,
    )


# ---- Carrying on: one run in several calls ----


def test_a_history_passed_back_carries_on_where_it_stopped():
    costs = [1 / (i + 1) for i in range(10)]
    whole = gradient_descent(counting_step(costs)[0], 10, 0.1)
    step, calls = counting_step(costs)
    seen = []
    history = gradient_descent(step, 4, 0.1, callback=lambda i, J: seen.append(i), callback_every=3)
    again = gradient_descent(step, 6, 0.1, callback=lambda i, J: seen.append(i), callback_every=3,
                             history=history)
    assert again is history and history.costs == whole.costs
    assert calls == list(range(10))  # the iterations are numbered on, not from 0 again
    assert seen == [0, 3, 6, 9]  # every third iteration of the run, and the last


def test_a_call_that_stops_early_can_be_carried_on():
    step, calls = counting_step()
    history = gradient_descent(step, 10, 0.1, callback=lambda i, J: STOP if i == 2 else None,
                               callback_every=1)
    assert history.stopped_early and history.iterations == 3
    gradient_descent(step, 7, 0.1, history=history)
    assert not history.stopped_early and history.iterations == 10 and calls == list(range(10))


def test_divergence_is_judged_against_the_first_cost_of_the_whole_run():
    """7.5 is not 10 times the second call's first cost (1.0), but it is 10 times the run's."""
    step, _ = counting_step([0.7, 1.0, 7.5, 0.5])
    history = gradient_descent(step, 1, 0.1)
    with pytest.warns(TrainingDivergedWarning):
        gradient_descent(step, 3, 0.1, history=history)
    assert history.diverged and history.costs == [0.7, 1.0, 7.5]
    assert history.message.startswith("Training diverged at iteration 2: the cost grew from 0.7")


def test_a_diverged_history_runs_no_more():
    step, calls = counting_step([1.0, math.nan, 1.0])
    with pytest.warns(TrainingDivergedWarning):
        history = gradient_descent(step, 3, 0.1)
    message = history.message
    assert gradient_descent(step, 3, 0.1, history=history) is history
    assert calls == [0, 1] and history.iterations == 2 and history.message == message


@pytest.mark.parametrize("model", ["logistic", "shallow", "deep"])
def test_every_model_carries_a_training_on_from_its_history(model):
    """Two calls, the second given the first's parameters and history, make one run: the same
    costs to the last bit as one call, numbered on."""
    X, Y = xor_data()

    def train(n, parameters=None, history=None):
        if model == "logistic":
            w, b = (np.zeros((2, 1)), 0.0) if parameters is None else parameters
            params, _, history = logistic.optimize(w, b, X, Y, n, 0.5, history=history)
            return (params["w"], params["b"]), history
        if model == "shallow":
            return shallow.train(X, Y, 3, 1.2, n, parameters=parameters, history=history)
        return deep.train(X, Y, [2, 4, 3, 1], 0.5, n, parameters=parameters, history=history)

    _, whole = train(30)
    parameters, history = train(12)
    _, carried = train(18, parameters, history)
    assert carried is history and history.costs == whole.costs and history.iterations == 30
    assert not history.diverged and not history.stopped_early
