"""Tests of nndl.shallow: the network with one hidden layer, and its agreement with nndl.deep."""

import re

import numpy as np
import pytest

from nndl import activations, deep, shallow, training
from nndl.gradcheck import numerical_gradient, relative_error
from toy_data import xor_data

ACTIVATIONS = ["tanh", "relu", "leaky_relu", "sigmoid"]
EPS = 1e-6  # finite-difference step
TOL = 1e-7  # relative error allowed between backpropagation and finite differences


def raises_message(message, prefix=False):
    """pytest.raises(ValueError) whose message is exactly `message` (or starts with it)."""
    return pytest.raises(ValueError, match="^" + re.escape(message) + ("" if prefix else "$"))


def random_problem(rng, n_x, n_h, m):
    """A random point (X, Y, parameters), its pre-activations Z1 away from ReLU's kink at 0."""
    for _ in range(100):
        X = rng.standard_normal((n_x, m))
        parameters = shallow.initialize_parameters(n_x, n_h, 1, "scaled", seed=rng)
        parameters["b1"] = 0.1 * rng.standard_normal((n_h, 1))
        parameters["b2"] = 0.1 * rng.standard_normal((1, 1))
        Z1 = parameters["W1"] @ X + parameters["b1"]
        if np.min(np.abs(Z1)) > 1e-2:
            break
    else:  # pragma: no cover
        raise AssertionError("could not draw a point away from the kink")
    Y = (rng.random((1, m)) > 0.5).astype(float)
    Y[0, :2] = [0.0, 1.0][:m]  # both classes present when m ≥ 2
    return X, Y, parameters


# --- sizes and initialization -----------------------------------------------------------------


def test_layer_sizes():
    X, Y = np.zeros((5, 3)), np.zeros((1, 3))
    assert shallow.layer_sizes(X, Y) == (5, 4, 1)
    assert shallow.layer_sizes(X, Y, n_h=7) == (5, 7, 1)
    with raises_message("Y has shape (1, 2) but X of shape (5, 3) needs (n[2], m) = (n[2], 3)"):
        shallow.layer_sizes(X, np.zeros((1, 2)))
    with raises_message("n_h = 0, but n_h is a number of units", prefix=True):
        shallow.layer_sizes(X, Y, n_h=0)


def test_initialize_parameters_shapes_and_scale():
    parameters = shallow.initialize_parameters(3, 4, 1)
    assert {k: v.shape for k, v in parameters.items()} == {
        "W1": (4, 3),
        "b1": (4, 1),
        "W2": (1, 4),
        "b2": (1, 1),
    }
    rng = np.random.default_rng(2)  # the default seed
    np.testing.assert_allclose(parameters["W1"], 0.01 * rng.standard_normal((4, 3)), rtol=1e-15)
    np.testing.assert_allclose(parameters["W2"], 0.01 * rng.standard_normal((1, 4)), rtol=1e-15)
    assert not np.any(parameters["b1"]) and not np.any(parameters["b2"])
    zeros = shallow.initialize_parameters(3, 4, 1, "zeros")
    assert all(not np.any(value) for value in zeros.values())


@pytest.mark.parametrize("method", ["small", "scaled", "zeros"])
def test_initialization_agrees_with_the_deep_network(method):
    ours = shallow.initialize_parameters(3, 5, 1, method, seed=9)
    theirs = deep.initialize_parameters([3, 5, 1], method, seed=9)
    for key in ("W1", "b1", "W2", "b2"):
        np.testing.assert_array_equal(ours[key], theirs[key])


def test_seeds_are_reproducible_and_generators_accepted(monkeypatch):
    def forbidden(*args, **kwargs):
        raise AssertionError("the engine must not use np.random's hidden global state")

    for name in ("seed", "randn", "rand", "random", "standard_normal", "normal", "uniform"):
        monkeypatch.setattr(np.random, name, forbidden)
    a = shallow.initialize_parameters(2, 3, 1, seed=5)
    b = shallow.initialize_parameters(2, 3, 1, seed=5)
    c = shallow.initialize_parameters(2, 3, 1, seed=6)
    d = shallow.initialize_parameters(2, 3, 1, seed=np.random.default_rng(5))
    np.testing.assert_array_equal(a["W1"], b["W1"])
    np.testing.assert_array_equal(a["W1"], d["W1"])
    assert not np.allclose(a["W1"], c["W1"])
    X, Y = xor_data(10)
    trained, _ = shallow.train(X, Y, 3, 1.2, 3, seed=5)
    np.testing.assert_array_equal(trained["W1"], shallow.train(X, Y, 3, 1.2, 3, seed=5)[0]["W1"])


def test_initialize_parameters_validates():
    with raises_message("unknown initialization method 'he'", prefix=True):
        shallow.initialize_parameters(2, 3, 1, "he")
    with raises_message("n_x = 2.0, but n_x is a number of units", prefix=True):
        shallow.initialize_parameters(2.0, 3, 1)


# --- forward, cost, backward ------------------------------------------------------------------


@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_forward_propagation_follows_the_formulas(activation):
    rng = np.random.default_rng(1)
    X, _, parameters = random_problem(rng, 3, 4, 5)
    A2, cache = shallow.forward_propagation(X, parameters, activation)
    g, _ = activations.get_activation(activation)
    Z1 = parameters["W1"] @ X + parameters["b1"]
    A1 = g(Z1)
    Z2 = parameters["W2"] @ A1 + parameters["b2"]
    np.testing.assert_allclose(cache["Z1"], Z1, rtol=1e-15)
    np.testing.assert_allclose(cache["A1"], A1, rtol=1e-15)
    np.testing.assert_allclose(cache["Z2"], Z2, rtol=1e-15)
    np.testing.assert_allclose(A2, 1 / (1 + np.exp(-Z2)), rtol=1e-14)
    assert cache["A2"] is A2 and A2.shape == (1, 5)


def test_compute_cost_is_the_cross_entropy():
    A2, Y = np.array([[0.8, 0.9, 0.4]]), np.array([[1.0, 1.0, 0.0]])
    assert shallow.compute_cost(A2, Y) == pytest.approx(
        -(np.log(0.8) + np.log(0.9) + np.log(0.6)) / 3, rel=1e-14
    )
    assert np.isfinite(shallow.compute_cost(np.array([[0.0, 1.0]]), np.array([[1.0, 0.0]])))


@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("n_x, n_h, m", [(2, 4, 5), (3, 1, 3), (1, 3, 2)])
def test_backward_propagation_matches_finite_differences(activation, n_x, n_h, m):
    rng = np.random.default_rng(10 * n_x + n_h)
    X, Y, parameters = random_problem(rng, n_x, n_h, m)

    def J(_):
        return shallow.compute_cost(shallow.forward_propagation(X, parameters, activation)[0], Y)

    A2, cache = shallow.forward_propagation(X, parameters, activation)
    grads = shallow.backward_propagation(parameters, cache, X, Y, activation)
    assert sorted(grads) == ["dW1", "dW2", "db1", "db2"]
    for key, theta in parameters.items():
        assert grads["d" + key].shape == theta.shape
        assert relative_error(grads["d" + key], numerical_gradient(J, theta, EPS)) < TOL, key


@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("n_x, n_h, m", [(2, 4, 6), (5, 3, 1)])
def test_shallow_network_is_the_deep_network_with_L_2(activation, n_x, n_h, m):
    rng = np.random.default_rng(n_x + n_h + m)
    X, Y, parameters = random_problem(rng, n_x, n_h, m)
    A2, cache = shallow.forward_propagation(X, parameters, activation)
    AL, caches = deep.model_forward(X, parameters, activation)
    np.testing.assert_allclose(A2, AL, rtol=1e-12, atol=1e-12)
    assert shallow.compute_cost(A2, Y) == pytest.approx(deep.compute_cost(AL, Y), rel=1e-12)
    ours = shallow.backward_propagation(parameters, cache, X, Y, activation)
    theirs = deep.model_backward(AL, Y, caches, activation)
    for key in ("dW1", "db1", "dW2", "db2"):
        np.testing.assert_allclose(ours[key], theirs[key], rtol=1e-12, atol=1e-12)


# --- update and predict -----------------------------------------------------------------------


def test_update_parameters_steps_against_the_gradient_without_mutating():
    rng = np.random.default_rng(3)
    parameters = shallow.initialize_parameters(3, 2, 1, seed=rng)
    grads = {"d" + k: rng.standard_normal(v.shape) for k, v in parameters.items()}
    before = {k: v.copy() for k, v in parameters.items()}
    new = shallow.update_parameters(parameters, grads, 0.5)
    for key in before:
        np.testing.assert_array_equal(parameters[key], before[key])
        np.testing.assert_allclose(new[key], before[key] - 0.5 * grads["d" + key], rtol=1e-15)
    default = shallow.update_parameters(parameters, grads)  # the course's α = 1.2
    np.testing.assert_allclose(default["W1"], before["W1"] - 1.2 * grads["dW1"], rtol=1e-15)


def test_update_parameters_checks_the_gradients():
    parameters = shallow.initialize_parameters(3, 2, 1)
    grads = {
        "dW1": np.zeros((2, 3)),
        "db1": np.zeros(2),
        "dW2": np.zeros((1, 2)),
        "db2": np.zeros((1, 1)),
    }
    with raises_message(
        "db1 has shape (2,) but b1 of shape (2, 1) needs (n[1], 1) = (2, 1). db1 is a rank-1",
        prefix=True,
    ):
        shallow.update_parameters(parameters, grads)
    del grads["db1"]
    with raises_message("grads has no 'db1'", prefix=True):
        shallow.update_parameters(parameters, grads)


def test_predict():
    rng = np.random.default_rng(4)
    X, _, parameters = random_problem(rng, 2, 3, 40)
    parameters["W2"] = np.array([[5.0, -5.0, 5.0]])
    A2, _ = shallow.forward_propagation(X, parameters, "relu")
    predictions = shallow.predict(X, parameters, "relu")
    np.testing.assert_array_equal(predictions, (A2 > 0.5).astype(float))
    assert set(np.unique(predictions)) == {0.0, 1.0}
    assert not np.array_equal(predictions, shallow.predict(X, parameters))  # the activation matters
    undecided = shallow.initialize_parameters(2, 3, 1, "zeros")  # A2 = σ(0) = 0.5 exactly
    np.testing.assert_array_equal(shallow.predict(X, undecided), 0.0)  # not above 0.5: label 0


# --- training ---------------------------------------------------------------------------------


def test_train_callback_stop_and_history():
    X, Y = xor_data(20)
    calls = []
    _, history = shallow.train(
        X, Y, 3, 1.2, 15, callback=lambda i, cost: calls.append((i, cost)), callback_every=5
    )
    assert [i for i, _ in calls] == [0, 5, 10, 14]
    assert [cost for _, cost in calls] == [history.costs[i] for i in (0, 5, 10, 14)]
    assert history.iterations == 15 and not history.stopped_early
    _, history = shallow.train(
        X, Y, 3, 1.2, 100, callback=lambda i, c: training.STOP if i == 4 else None, callback_every=1
    )
    assert history.iterations == 5 and history.stopped_early


def test_train_is_reproducible_and_continues_from_given_parameters():
    X, Y = xor_data(30)
    p1, h1 = shallow.train(X, Y, 4, 1.2, 20, seed=1)
    p2, h2 = shallow.train(X, Y, 4, 1.2, 20, seed=1)
    assert h1.costs == h2.costs and h1.costs[-1] < h1.costs[0]
    p10, _ = shallow.train(X, Y, 4, 1.2, 10, seed=1)
    p10_10, h10 = shallow.train(X, Y, learning_rate=1.2, num_iterations=10, parameters=p10)
    for key in p1:
        np.testing.assert_array_equal(p1[key], p2[key])
        np.testing.assert_allclose(p10_10[key], p1[key], rtol=1e-13)
    assert h10.costs == pytest.approx(h1.costs[10:], rel=1e-13)


def test_train_detects_divergence():
    X, Y = xor_data(20)
    with pytest.warns(training.TrainingDivergedWarning, match="smaller learning rate"):
        _, history = shallow.train(X, Y, 4, 1e8, 100, activation="relu")
    assert history.diverged and history.iterations < 100
    assert not np.isfinite(history.costs[-1]) or history.costs[-1] > 10 * history.costs[0]
    assert "smaller learning rate" in history.message


def test_one_hidden_layer_learns_xor_which_logistic_regression_cannot():
    X, Y = xor_data(80)
    p_logistic, _ = deep.train(X, Y, [2, 1], 0.5, 300)  # no hidden layer: logistic regression
    parameters, _ = shallow.train(X, Y, n_h=4, num_iterations=300)
    assert np.mean(deep.predict(X, p_logistic) == Y) <= 0.75
    assert np.mean(shallow.predict(X, parameters) == Y) >= 0.95


@pytest.mark.parametrize("activation", ["sigmoid", "tanh"])
def test_zero_initialization_never_breaks_symmetry(activation):
    X, Y = xor_data(40)
    p_zeros, _ = shallow.train(X, Y, 4, 1.2, 100, activation=activation, init="zeros")
    W1 = p_zeros["W1"]
    np.testing.assert_allclose(W1, np.broadcast_to(W1[0], W1.shape), rtol=1e-10, atol=1e-15)
    np.testing.assert_allclose(p_zeros["W2"], p_zeros["W2"][0, 0], rtol=1e-10, atol=1e-15)
    if activation == "sigmoid":
        assert np.any(W1 != 0)  # the units moved, all in the same way (tanh(0) = 0 keeps them at 0)
    p_random, _ = shallow.train(X, Y, 4, 1.2, 100, activation=activation)
    assert np.min(np.ptp(p_random["W1"], axis=0)) > 1e-3


def test_train_validates_its_inputs():
    X, Y = xor_data(10)
    with raises_message("Y has shape (2, 10) but binary classification needs (1, m) = (1, 10)"):
        shallow.train(X, np.vstack([Y, Y]))
    with raises_message("X has shape (2, 10) but layer 1 needs (n[0], m) = (3, m)"):
        shallow.train(X, Y, parameters=shallow.initialize_parameters(3, 4, 1))
    with raises_message("unknown activation 'softsign'", prefix=True):
        shallow.train(X, Y, activation="softsign")


# --- error messages in the course's notation -------------------------------------------------


def test_wrong_W2_names_the_layer():
    parameters = shallow.initialize_parameters(3, 4, 1)
    parameters["W2"] = np.zeros((1, 5))
    with pytest.raises(ValueError) as error:
        shallow.forward_propagation(np.zeros((3, 10)), parameters)
    assert str(error.value) == "W2 has shape (1, 5) but layer 2 needs (n[2], n[1]) = (1, 4)"


def test_rank_1_bias_is_explained():
    parameters = shallow.initialize_parameters(3, 4, 1)
    parameters["b1"] = np.zeros(4)
    with pytest.raises(ValueError) as error:
        shallow.forward_propagation(np.zeros((3, 2)), parameters)
    assert str(error.value).startswith(
        "b1 has shape (4,) but layer 1 needs (n[1], 1) = (4, 1). b1 is a rank-1 array"
    )
    assert "b1.reshape(4, 1)" in str(error.value)


ONE = np.ones((1, 1))


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda p, c: shallow.forward_propagation(np.zeros((2, 6)), p),
         "X has shape (2, 6) but layer 1 needs (n[0], m) = (3, m)"),
        (lambda p, c: shallow.forward_propagation(np.zeros((3, 6)), {**p, "W3": ONE, "b3": ONE}),
         "a 2-layer network needs the parameters W1, b1, W2, b2; these have L = 3 layers"),
        (lambda p, c: shallow.backward_propagation(p, c, np.zeros((3, 6)), np.zeros((1, 5))),
         "Y has shape (1, 5) but X of shape (3, 6) needs (n[2], m) = (1, 6)"),
        (lambda p, c: shallow.backward_propagation(p, c, np.zeros((3, 5)), np.zeros((1, 5))),
         "Z1 has shape (4, 6) but X of shape (3, 5) needs (n[1], m) = (4, 5)"),
        (lambda p, c: shallow.backward_propagation(
            p, {**c, "A2": c["A2"][:, :5]}, np.zeros((3, 6)), np.zeros((1, 6))),
         "A2 has shape (1, 5) but X of shape (3, 6) needs (n[2], m) = (1, 6)"),
        (lambda p, c: shallow.compute_cost(c["A2"], np.zeros((1, 5))),
         "AL has shape (1, 6) but the cost (Y is (1, 5)) needs (1, m) = (1, 5)"),
    ],
)  # fmt: skip
def test_shape_errors_speak_the_course_notation(call, message):
    parameters = shallow.initialize_parameters(3, 4, 1)
    _, cache = shallow.forward_propagation(np.zeros((3, 6)), parameters)
    with pytest.raises(ValueError) as error:
        call(parameters, cache)
    assert str(error.value).startswith(message)
