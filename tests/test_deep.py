"""Tests of nndl.deep: the L-layer network, block by block, then trained."""

import re

import numpy as np
import pytest

from nndl import activations, deep, training
from nndl.gradcheck import numerical_gradient, relative_error
from toy_data import xor_data

ACTIVATIONS = ["relu", "leaky_relu", "tanh", "sigmoid"]
EPS = 1e-6  # finite-difference step
TOL = 1e-7  # relative error allowed between backpropagation and finite differences


def raises_message(message, prefix=False):
    """pytest.raises(ValueError) whose message is exactly `message` (or starts with it)."""
    return pytest.raises(ValueError, match="^" + re.escape(message) + ("" if prefix else "$"))


# --- helpers ----------------------------------------------------------------------------------


def away_from_kink(rng, draw, Z_of, margin=1e-2, tries=100):
    """Draw until every pre-activation is at least `margin` from 0 (ReLU's kink)."""
    for _ in range(tries):
        values = draw(rng)
        if all(np.min(np.abs(Z)) > margin for Z in Z_of(values)):
            return values
    raise AssertionError("could not draw a point away from the kink")  # pragma: no cover


def labels(rng, m):
    Y = (rng.random((1, m)) > 0.5).astype(float)
    Y[0, 0], Y[0, 1] = 0.0, 1.0  # both classes present
    return Y


def random_network(rng, layer_dims, m):
    parameters = deep.initialize_parameters(layer_dims, "scaled", seed=rng)
    for l in range(1, len(layer_dims)):
        parameters[f"b{l}"] = 0.1 * rng.standard_normal((layer_dims[l], 1))
    X = rng.standard_normal((layer_dims[0], m))
    return X, parameters


def accuracy(Y_hat, Y):
    return float(np.mean(Y_hat == Y))


# --- initialization and dimensions ------------------------------------------------------------


def test_worked_example_dimensions():
    parameters = deep.initialize_parameters([2, 3, 5, 4, 2, 1])
    shapes = {key: value.shape for key, value in parameters.items()}
    assert shapes == {
        "W1": (3, 2), "b1": (3, 1),
        "W2": (5, 3), "b2": (5, 1),
        "W3": (4, 5), "b3": (4, 1),
        "W4": (2, 4), "b4": (2, 1),
        "W5": (1, 2), "b5": (1, 1),
    }  # fmt: skip
    assert all(not np.any(parameters[f"b{l}"]) for l in range(1, 6))


@pytest.mark.parametrize(
    "method, scale",
    [("small", lambda n_prev: 0.01), ("scaled", lambda n_prev: 1 / np.sqrt(n_prev)),
     ("he", lambda n_prev: np.sqrt(2 / n_prev))],
)  # fmt: skip
def test_initialization_scales(method, scale):
    layer_dims = [6, 4, 3, 1]
    parameters = deep.initialize_parameters(layer_dims, method, seed=7)
    rng = np.random.default_rng(7)
    for l in range(1, 4):
        n, n_prev = layer_dims[l], layer_dims[l - 1]
        expected = rng.standard_normal((n, n_prev)) * scale(n_prev)
        np.testing.assert_allclose(parameters[f"W{l}"], expected, rtol=1e-15)


def test_zeros_initialization():
    parameters = deep.initialize_parameters([3, 4, 1], "zeros")
    assert all(not np.any(value) for value in parameters.values())
    assert parameters["W1"].shape == (4, 3)


LEGACY_GLOBAL_RANDOM = [
    "seed",
    "set_state",
    "randn",
    "rand",
    "random",
    "random_sample",
    "standard_normal",
    "normal",
    "uniform",
]


def forbid_global_random_state(monkeypatch):
    def forbidden(*args, **kwargs):
        raise AssertionError("the engine must not use np.random's hidden global state")

    for name in LEGACY_GLOBAL_RANDOM:
        monkeypatch.setattr(np.random, name, forbidden)


def test_seeds_are_reproducible_and_use_no_global_state(monkeypatch):
    forbid_global_random_state(monkeypatch)
    for method in deep.INIT_METHODS:
        a = deep.initialize_parameters([5, 4, 1], method, seed=3)
        b = deep.initialize_parameters([5, 4, 1], method, seed=3)
        for key in a:
            np.testing.assert_array_equal(a[key], b[key])
    three = deep.initialize_parameters([5, 4, 1], seed=3)
    four = deep.initialize_parameters([5, 4, 1], seed=4)
    assert not np.allclose(three["W1"], four["W1"])
    X, Y = xor_data(10)
    trained, _ = deep.train(X, Y, [2, 3, 1], 0.1, 3, seed=3)  # training draws nothing else
    assert not np.allclose(trained["W1"], deep.train(X, Y, [2, 3, 1], 0.1, 3, seed=4)[0]["W1"])


def test_seed_may_be_a_generator():
    rng = np.random.default_rng(5)
    first = deep.initialize_parameters([3, 2, 1], seed=rng)
    second = deep.initialize_parameters([3, 2, 1], seed=rng)  # continues the same stream
    again = deep.initialize_parameters([3, 2, 1], seed=np.random.default_rng(5))
    np.testing.assert_array_equal(first["W1"], again["W1"])
    assert not np.allclose(first["W1"], second["W1"])


@pytest.mark.parametrize(
    "layer_dims, words",
    [
        ([3], "at least 2 entries"),
        ([], "at least 2 entries"),
        ([2, 0, 1], "layer_dims[1] = 0"),
        ([2, 2.5, 1], "layer_dims[1] = 2.5"),
        ([2, True, 1], "layer_dims[1] = True"),
        ("231", "list of layer sizes"),
        (5, "list of layer sizes"),
    ],
)
def test_layer_dims_are_validated(layer_dims, words):
    with pytest.raises(ValueError, match=re.escape(words)):
        deep.initialize_parameters(layer_dims)


def test_unknown_initialization_method():
    with raises_message("unknown initialization method 'xavier'", prefix=True):
        deep.initialize_parameters([2, 1], "xavier")


def test_layer_shapes_worked_example():
    shapes = deep.layer_shapes([2, 3, 5, 4, 2, 1], m=7)
    assert [shapes[l]["W"] for l in range(1, 6)] == [(3, 2), (5, 3), (4, 5), (2, 4), (1, 2)]
    assert shapes[3] == {
        "W": (4, 5), "b": (4, 1), "Z": (4, 7), "A": (4, 7),
        "dW": (4, 5), "db": (4, 1), "dZ": (4, 7), "dA": (4, 7),
    }  # fmt: skip
    assert sorted(shapes) == [1, 2, 3, 4, 5]


@pytest.mark.parametrize("layer_dims, m", [([2, 3, 5, 4, 2, 1], 7), ([4, 1], 3), ([3, 6, 1], 1)])
def test_layer_shapes_match_a_real_pass(layer_dims, m):
    rng = np.random.default_rng(0)
    X, parameters = random_network(rng, layer_dims, m)
    Y = (rng.random((1, m)) > 0.5).astype(float)
    AL, caches = deep.model_forward(X, parameters)
    grads = deep.model_backward(AL, Y, caches)
    L = len(layer_dims) - 1
    shapes = deep.layer_shapes(layer_dims, m)
    for l in range(1, L + 1):
        (A_prev, W, b), Z = caches[l - 1]
        A = caches[l][0][0] if l < L else AL
        dA = grads[f"dA{l}"] if l < L else deep.cost_backward(AL, Y)
        dZ = activations.relu_backward(dA, Z) if l < L else AL - Y
        real = {"W": parameters[f"W{l}"].shape, "b": parameters[f"b{l}"].shape, "Z": Z.shape,
                "A": A.shape, "dW": grads[f"dW{l}"].shape, "db": grads[f"db{l}"].shape,
                "dZ": dZ.shape, "dA": dA.shape}  # fmt: skip
        assert shapes[l] == real
        assert W is parameters[f"W{l}"] and b is parameters[f"b{l}"]


@pytest.mark.parametrize("m", [0, -3, 2.0, True, None])
def test_layer_shapes_needs_a_number_of_examples(m):
    with pytest.raises(ValueError, match="m is a number of examples"):
        deep.layer_shapes([2, 1], m)


# --- forward ----------------------------------------------------------------------------------


def test_linear_forward_is_W_A_prev_plus_b():
    rng = np.random.default_rng(1)
    A_prev, W, b = (
        rng.standard_normal((3, 4)),
        rng.standard_normal((2, 3)),
        rng.standard_normal((2, 1)),
    )
    Z, cache = deep.linear_forward(A_prev, W, b)
    expected = np.array(
        [
            [sum(W[i, k] * A_prev[k, j] for k in range(3)) + b[i, 0] for j in range(4)]
            for i in range(2)
        ]
    )
    np.testing.assert_allclose(Z, expected, rtol=1e-12)
    assert cache[0] is A_prev and cache[1] is W and cache[2] is b


@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_linear_activation_forward_applies_g_to_Z(activation):
    rng = np.random.default_rng(2)
    A_prev, W, b = (
        rng.standard_normal((3, 5)),
        rng.standard_normal((4, 3)),
        rng.standard_normal((4, 1)),
    )
    A, ((A_prev_c, W_c, b_c), Z) = deep.linear_activation_forward(A_prev, W, b, activation)
    g, _ = activations.get_activation(activation)
    np.testing.assert_allclose(Z, W @ A_prev + b, rtol=1e-12)
    np.testing.assert_allclose(A, g(Z), rtol=1e-15)
    assert A_prev_c is A_prev and W_c is W and b_c is b


@pytest.mark.parametrize("hidden_activation", ACTIVATIONS)
def test_model_forward_chains_the_layers(hidden_activation):
    rng = np.random.default_rng(3)
    X, parameters = random_network(rng, [4, 5, 3, 1], 6)
    AL, caches = deep.model_forward(X, parameters, hidden_activation)
    g, _ = activations.get_activation(hidden_activation)
    A1 = g(parameters["W1"] @ X + parameters["b1"])
    A2 = g(parameters["W2"] @ A1 + parameters["b2"])
    A3 = activations.sigmoid(parameters["W3"] @ A2 + parameters["b3"])
    np.testing.assert_allclose(AL, A3, rtol=1e-12)
    assert len(caches) == 3
    assert caches[0][0][0] is X
    np.testing.assert_allclose(caches[2][0][0], A2, rtol=1e-12)


# --- cost -------------------------------------------------------------------------------------


def test_compute_cost_known_value():
    cost = deep.compute_cost(np.array([[0.8, 0.9, 0.4]]), np.array([[1.0, 1.0, 0.0]]))
    assert type(cost) is float
    assert cost == pytest.approx(-(np.log(0.8) + np.log(0.9) + np.log(0.6)) / 3, rel=1e-14)
    assert cost == pytest.approx(0.2797765635793422, rel=1e-12)


def test_compute_cost_is_finite_when_AL_is_exactly_0_or_1():
    AL = np.array([[0.0, 1.0, 1.0, 0.0]])
    Y = np.array([[0.0, 1.0, 0.0, 1.0]])  # two right, two confidently wrong
    cost = deep.compute_cost(AL, Y)  # a log(0) warning would fail the test (filterwarnings=error)
    assert np.isfinite(cost)
    low, high = deep.EPSILON, 1 - deep.EPSILON  # where exact 0 and 1 are clipped to
    expected = -(np.log(1 - low) + np.log(high) + np.log(1 - high) + np.log(low)) / 4
    assert cost == pytest.approx(expected, rel=1e-12)
    assert deep.compute_cost(AL, AL) < 1e-14  # perfect predictions cost (almost) nothing
    assert np.all(np.isfinite(deep.cost_backward(AL, Y)))


def test_cost_backward_is_m_times_the_derivative_of_the_cost():
    rng = np.random.default_rng(4)
    AL = rng.uniform(0.05, 0.95, size=(1, 6))
    Y = labels(rng, 6)
    numerical = numerical_gradient(lambda A: deep.compute_cost(A, Y), AL, EPS)
    assert relative_error(deep.cost_backward(AL, Y), 6 * numerical) < TOL
    np.testing.assert_allclose(
        deep.cost_backward(AL, Y), -(Y / AL - (1 - Y) / (1 - AL)), rtol=1e-15
    )


# --- backward, against finite differences of compute_cost -----------------------------------


@pytest.mark.parametrize("n_prev, n, m", [(3, 1, 4), (4, 2, 1), (2, 3, 5)])
def test_linear_backward_matches_finite_differences(n_prev, n, m):
    # J = cost(σ(W A_prev + b)), whose dZ is AL − Y; dA_prev is per example: m ∂J/∂A_prev.
    rng = np.random.default_rng(n_prev * 10 + n)
    A_prev, W, b = (
        rng.standard_normal((n_prev, m)),
        rng.standard_normal((n, n_prev)),
        rng.standard_normal((n, 1)),
    )
    Y = (rng.random((n, m)) > 0.5).astype(float)

    def J(_):
        AL = activations.sigmoid(deep.linear_forward(A_prev, W, b)[0])
        return np.sum([deep.compute_cost(AL[i : i + 1], Y[i : i + 1]) for i in range(n)])

    Z, cache = deep.linear_forward(A_prev, W, b)
    dA_prev, dW, db = deep.linear_backward(activations.sigmoid(Z) - Y, cache)
    assert relative_error(dW, numerical_gradient(J, W, EPS)) < TOL
    assert relative_error(db, numerical_gradient(J, b, EPS)) < TOL
    assert relative_error(dA_prev, m * numerical_gradient(J, A_prev, EPS)) < TOL
    assert (dA_prev.shape, dW.shape, db.shape) == ((n_prev, m), (n, n_prev), (n, 1))


def test_linear_backward_can_skip_dA_prev():
    rng = np.random.default_rng(5)
    cache = (rng.standard_normal((3, 4)), rng.standard_normal((2, 3)), np.zeros((2, 1)))
    dZ = rng.standard_normal((2, 4))
    dA_prev, dW, db = deep.linear_backward(dZ, cache, need_dA_prev=False)
    full = deep.linear_backward(dZ, cache)
    assert dA_prev is None and full[0] is not None
    np.testing.assert_array_equal(dW, full[1])
    np.testing.assert_array_equal(db, full[2])


@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("n_prev, n, m", [(3, 4, 5), (2, 1, 3)])
def test_linear_activation_backward_matches_finite_differences(activation, n_prev, n, m):
    # The block feeds a fixed sigmoid read-out: J = cost(σ(v A + c)), so dA = vᵀ (AL − Y).
    rng = np.random.default_rng(ACTIVATIONS.index(activation) * 10 + n)

    def draw(rng):
        return (
            rng.standard_normal((n_prev, m)),
            rng.standard_normal((n, n_prev)),
            rng.standard_normal((n, 1)),
        )

    A_prev, W, b = away_from_kink(rng, draw, lambda p: [p[1] @ p[0] + p[2]])
    v, c = rng.standard_normal((1, n)), 0.1
    Y = labels(rng, m)

    def J(_):
        A = deep.linear_activation_forward(A_prev, W, b, activation)[0]
        return deep.compute_cost(activations.sigmoid(v @ A + c), Y)

    A, cache = deep.linear_activation_forward(A_prev, W, b, activation)
    dA = v.T @ (activations.sigmoid(v @ A + c) - Y)
    dA_prev, dW, db = deep.linear_activation_backward(dA, cache, activation)
    assert relative_error(dW, numerical_gradient(J, W, EPS)) < TOL
    assert relative_error(db, numerical_gradient(J, b, EPS)) < TOL
    assert relative_error(dA_prev, m * numerical_gradient(J, A_prev, EPS)) < TOL


def model_cost(X, Y, parameters, hidden_activation, output_activation="sigmoid"):
    AL, _ = deep.model_forward(X, parameters, hidden_activation, output_activation)
    return deep.compute_cost(AL, Y)


@pytest.mark.parametrize("hidden_activation", ACTIVATIONS)
@pytest.mark.parametrize("layer_dims, m", [([3, 4, 1], 5), ([4, 5, 3, 1], 3), ([2, 1], 4)])
def test_model_backward_matches_finite_differences(hidden_activation, layer_dims, m):
    rng = np.random.default_rng(len(layer_dims) * 7 + m)
    Y = labels(rng, m)

    def Zs(values):
        return [cache[1] for cache in deep.model_forward(*values, hidden_activation)[1]]

    X, parameters = away_from_kink(rng, lambda r: random_network(r, layer_dims, m), Zs)
    AL, caches = deep.model_forward(X, parameters, hidden_activation)
    grads = deep.model_backward(AL, Y, caches, hidden_activation)
    for key, theta in parameters.items():
        numerical = numerical_gradient(
            lambda _: model_cost(X, Y, parameters, hidden_activation), theta, EPS
        )
        assert relative_error(grads["d" + key], numerical) < TOL, key
    L = len(layer_dims) - 1
    assert sorted(k for k in grads if k.startswith("dA")) == [
        f"dA{l}" for l in range(1, L)
    ]  # no dA0


def test_model_backward_dA_is_m_times_the_derivative_of_the_cost():
    rng = np.random.default_rng(8)
    m = 4
    X, parameters = random_network(rng, [3, 4, 3, 1], m)
    Y = labels(rng, m)
    AL, caches = deep.model_forward(X, parameters, "tanh")
    grads = deep.model_backward(AL, Y, caches, "tanh")
    for l in (1, 2):
        A_l = caches[l][0][0].copy()  # A[l] is the input of layer l + 1

        def J(A, l=l):
            for k in range(l + 1, 4):
                activation = "sigmoid" if k == 3 else "tanh"
                A = deep.linear_activation_forward(
                    A, parameters[f"W{k}"], parameters[f"b{k}"], activation
                )[0]
            return deep.compute_cost(A, Y)

        assert relative_error(grads[f"dA{l}"], m * numerical_gradient(J, A_l, EPS)) < TOL


def test_model_backward_general_path_for_another_output_activation():
    # tanh output with Z[L] > 0 keeps AL in (0, 1), where the cross-entropy is defined.
    rng = np.random.default_rng(9)
    m = 5
    X, parameters = random_network(rng, [3, 4, 1], m)
    parameters["W2"] *= 0.3
    parameters["b2"] = np.array([[1.0]])
    Y = labels(rng, m)
    AL, caches = deep.model_forward(X, parameters, "tanh", "tanh")
    assert np.all((AL > 0) & (AL < 1))
    grads = deep.model_backward(AL, Y, caches, "tanh", "tanh")
    for key, theta in parameters.items():
        numerical = numerical_gradient(
            lambda _: model_cost(X, Y, parameters, "tanh", "tanh"), theta, EPS
        )
        assert relative_error(grads["d" + key], numerical) < TOL, key


def test_sigmoid_shortcut_equals_the_general_path():
    rng = np.random.default_rng(10)
    X, parameters = random_network(rng, [3, 4, 1], 6)
    Y = labels(rng, 6)
    AL, caches = deep.model_forward(X, parameters)
    grads = deep.model_backward(AL, Y, caches)
    dA1, dW2, db2 = deep.linear_activation_backward(deep.cost_backward(AL, Y), caches[1], "sigmoid")
    np.testing.assert_allclose(dW2, grads["dW2"], rtol=1e-12)
    np.testing.assert_allclose(db2, grads["db2"], rtol=1e-12)
    np.testing.assert_allclose(dA1, grads["dA1"], rtol=1e-12)


# --- update and predict -----------------------------------------------------------------------


def test_update_parameters_steps_against_the_gradient_without_mutating():
    rng = np.random.default_rng(11)
    parameters = deep.initialize_parameters([3, 2, 1], seed=rng)
    grads = {
        k.replace("W", "dW").replace("b", "db"): rng.standard_normal(v.shape)
        for k, v in parameters.items()
    }
    before = {k: v.copy() for k, v in parameters.items()}
    new = deep.update_parameters(parameters, grads, 0.1)
    for key in before:
        np.testing.assert_array_equal(parameters[key], before[key])
        np.testing.assert_allclose(new[key], before[key] - 0.1 * grads["d" + key], rtol=1e-15)
        assert new[key] is not parameters[key]
    assert new is not parameters


def test_update_parameters_checks_the_gradients():
    parameters = deep.initialize_parameters([3, 2, 1])
    grads = {
        "dW1": np.zeros((2, 3)),
        "db1": np.zeros((2, 1)),
        "dW2": np.zeros((2, 1)),
        "db2": np.zeros((1, 1)),
    }
    with raises_message("dW2 has shape (2, 1) but W2 of shape (1, 2) needs (n[2], n[1]) = (1, 2)"):
        deep.update_parameters(parameters, grads, 0.1)
    del grads["db2"]
    grads["dW2"] = np.zeros((1, 2))
    with raises_message("grads has no 'db2'", prefix=True):
        deep.update_parameters(parameters, grads, 0.1)


def test_predict_thresholds_the_probabilities_at_one_half():
    rng = np.random.default_rng(12)
    X, parameters = random_network(rng, [2, 3, 1], 50)
    parameters["W2"] = np.array([[4.0, -4.0, 4.0]])
    proba = deep.predict_proba(X, parameters)
    predictions = deep.predict(X, parameters)
    assert predictions.shape == (1, 50)
    np.testing.assert_array_equal(predictions, (proba > 0.5).astype(float))
    assert set(np.unique(predictions)) == {0.0, 1.0}
    np.testing.assert_array_equal(proba, deep.model_forward(X, parameters)[0])
    undecided = deep.initialize_parameters([2, 3, 1], "zeros")  # AL = σ(0) = 0.5 exactly
    np.testing.assert_array_equal(deep.predict_proba(X, undecided), 0.5)
    np.testing.assert_array_equal(deep.predict(X, undecided), 0.0)  # not above 0.5: label 0


# --- training ---------------------------------------------------------------------------------


def test_train_reports_progress_through_the_callback():
    X, Y = xor_data(20)
    calls = []
    _, history = deep.train(
        X,
        Y,
        [2, 3, 1],
        0.1,
        25,
        callback=lambda i, cost: calls.append((i, cost)),
        callback_every=10,
    )
    assert [i for i, _ in calls] == [0, 10, 20, 24]
    assert [cost for _, cost in calls] == [history.costs[i] for i in (0, 10, 20, 24)]
    assert history.iterations == 25 and not history.stopped_early and not history.diverged


def test_train_stops_when_the_callback_says_so():
    X, Y = xor_data(20)
    _, history = deep.train(
        X,
        Y,
        [2, 3, 1],
        0.1,
        100,
        callback=lambda i, c: training.STOP if i == 2 else None,
        callback_every=1,
    )
    assert history.iterations == 3 and history.stopped_early


def test_train_decreases_the_cost_and_is_reproducible():
    X, Y = xor_data(40)
    p1, h1 = deep.train(X, Y, [2, 4, 1], 0.5, 50, seed=3)
    p2, h2 = deep.train(X, Y, [2, 4, 1], 0.5, 50, seed=3)
    p3, _ = deep.train(X, Y, [2, 4, 1], 0.5, 50, seed=4)
    assert h1.costs == h2.costs and len(h1.costs) == 50
    assert h1.costs[-1] < h1.costs[0]
    np.testing.assert_array_equal(p1["W1"], p2["W1"])
    assert not np.allclose(p1["W1"], p3["W1"])


def test_train_continues_from_given_parameters():
    X, Y = xor_data(30)
    start = deep.initialize_parameters([2, 4, 1], seed=2)
    saved = {k: v.copy() for k, v in start.items()}
    p20, h20 = deep.train(X, Y, [2, 4, 1], 0.3, 20, parameters=start)
    p10, _ = deep.train(X, Y, [2, 4, 1], 0.3, 10, parameters=start)
    p10_10, h10 = deep.train(X, Y, None, 0.3, 10, parameters=p10)
    for key in start:
        np.testing.assert_allclose(p10_10[key], p20[key], rtol=1e-13)
        np.testing.assert_array_equal(start[key], saved[key])
    assert h10.costs == pytest.approx(h20.costs[10:], rel=1e-13)


def test_train_detects_divergence():
    X, Y = xor_data(20)
    with pytest.warns(training.TrainingDivergedWarning, match="smaller learning rate"):
        _, history = deep.train(X, Y, [2, 4, 3, 1], 1e4, 100, hidden_activation="leaky_relu")
    assert history.diverged
    assert "smaller learning rate" in history.message
    assert history.iterations < 100 and history.costs[-1] > 10 * history.costs[0]


def test_a_hidden_layer_learns_xor_which_logistic_regression_cannot():
    X, Y = xor_data(80)
    p_logistic, _ = deep.train(X, Y, [2, 1], 0.5, 300)  # L = 1: logistic regression
    p_deep, _ = deep.train(X, Y, [2, 4, 1], 0.5, 300)
    assert accuracy(deep.predict(X, p_logistic), Y) <= 0.75
    assert accuracy(deep.predict(X, p_deep), Y) >= 0.95


def test_zero_initialization_never_breaks_symmetry():
    X, Y = xor_data(40)
    p_zeros, _ = deep.train(X, Y, [2, 4, 3, 1], 0.5, 100, hidden_activation="sigmoid", init="zeros")
    p_random, _ = deep.train(X, Y, [2, 4, 3, 1], 0.5, 100, hidden_activation="sigmoid")
    for l in (1, 2):
        W = p_zeros[f"W{l}"]
        assert np.any(W != 0)  # the weights did move…
        np.testing.assert_allclose(
            W, np.broadcast_to(W[0], W.shape), rtol=1e-10, atol=1e-15
        )  # …all alike
    assert np.min(np.ptp(p_random["W1"], axis=0)) > 1e-3  # a random start gives different units


def test_train_validates_its_inputs():
    X, Y = xor_data(10)
    with raises_message("n[L] = 2, but binary classification needs one output unit", prefix=True):
        deep.train(X, Y, [2, 3, 2])
    with raises_message("Y has shape (1, 9) but X of shape (2, 10) needs (1, m) = (1, 10)"):
        deep.train(X, Y[:, :9], [2, 3, 1])
    with raises_message(
        "the parameters have W1 … W1, so L = 1, but layer_dims = [2, 3, 1] has L = 2"
    ):
        deep.train(X, Y, [2, 3, 1], parameters=deep.initialize_parameters([2, 1]))
    with raises_message("unknown activation 'softmax'", prefix=True):
        deep.train(X, Y, [2, 3, 1], hidden_activation="softmax")


# --- error messages in the course's notation -------------------------------------------------


def test_wrong_W_names_the_layer():
    parameters = deep.initialize_parameters([3, 4, 1])
    parameters["W2"] = np.zeros((1, 5))
    X = np.zeros((3, 10))
    message = "W2 has shape (1, 5) but layer 2 needs (n[2], n[1]) = (1, 4)"
    with pytest.raises(ValueError) as error:
        deep.model_forward(X, parameters)
    assert str(error.value) == message
    with pytest.raises(ValueError) as error:
        deep.update_parameters(parameters, {}, 0.1)
    assert str(error.value) == message


def test_rank_1_bias_is_explained():
    parameters = deep.initialize_parameters([3, 4, 1])
    parameters["b1"] = np.zeros(4)
    with pytest.raises(ValueError) as error:
        deep.model_forward(np.zeros((3, 2)), parameters)
    message = str(error.value)
    assert message.startswith("b1 has shape (4,) but layer 1 needs (n[1], 1) = (4, 1).")
    assert "rank-1 array" in message and "b1.reshape(4, 1)" in message


HALF = np.full((1, 4), 0.5)  # an AL with m = 4


@pytest.mark.parametrize(
    "call, message",
    [
        # p = initialize_parameters([3, 4, 1]): W1 (4, 3), b1 (4, 1), W2 (1, 4), b2 (1, 1)
        (lambda p: deep.model_forward(np.zeros((5, 10)), p),
         "X has shape (5, 10) but layer 1 needs (n[0], m) = (3, m)"),
        (lambda p: deep.model_forward(np.zeros(3), p),
         "X has shape (3,) but layer 1 needs (n[0], m) = (3, m)"),
        (lambda p: deep.check_parameters(p, [3, 5, 1]),
         "W1 has shape (4, 3) but layer 1 needs (n[1], n[0]) = (5, 3)"),
        (lambda p: deep.model_forward(np.zeros((3, 2)), {"W1": p["W1"]}),
         "parameters has 'W1' but no 'b1'"),
        (lambda p: deep.model_forward(np.zeros((3, 2)), {}), "parameters has no 'W1'"),
        (lambda p: deep.model_forward(np.zeros((3, 2)), [p]), "parameters should be a dict"),
        (lambda p: deep.model_forward(np.zeros((3, 2)), p, "relu", "softplus"),
         "unknown activation 'softplus'"),
        (lambda p: deep.linear_forward(np.zeros((2, 6)), p["W1"], p["b1"]),
         "A_prev has shape (2, 6) but W of shape (4, 3) needs (n[l-1], m) = (3, m)"),
        (lambda p: deep.linear_forward(np.zeros((3, 6)), p["W1"], np.zeros((3, 1))),
         "b has shape (3, 1) but W of shape (4, 3) needs (n[l], 1) = (4, 1)"),
        (lambda p: deep.linear_forward(np.zeros((3, 6)), np.zeros(3), p["b1"]),
         "W has shape (3,) but a layer needs"),
        (lambda p: deep.linear_backward(np.zeros((4, 5)), (np.zeros((3, 6)), p["W1"], p["b1"])),
         "dZ has shape (4, 5) but W of shape (4, 3) with m = 6 needs (n[l], m) = (4, 6)"),
        (lambda p: deep.linear_activation_backward(
            np.zeros((4, 5)), ((np.zeros((3, 6)), p["W1"], p["b1"]), np.zeros((4, 6))), "relu"),
         "dA has shape (4, 5) but Z of shape (4, 6) needs (n[l], m) = (4, 6)"),
        (lambda p: deep.compute_cost(HALF, np.ones((1, 5))),
         "AL has shape (1, 4) but the cost (Y is (1, 5)) needs (1, m) = (1, 5)"),
        (lambda p: deep.compute_cost(HALF, np.ones((2, 4))),
         "Y has shape (2, 4) but the cost needs (1, m)"),
        (lambda p: deep.compute_cost(HALF, np.ones(4)),
         "Y has shape (4,) but the cost needs (1, m). Y is a rank-1 array"),
        (lambda p: deep.cost_backward(HALF, [1, 0, 1, 0]), "Y should be a NumPy array"),
        (lambda p: deep.model_backward(HALF, np.ones((1, 4)), []), "caches is empty"),
    ],
)  # fmt: skip
def test_shape_errors_speak_the_course_notation(call, message):
    parameters = deep.initialize_parameters([3, 4, 1])
    with pytest.raises(ValueError) as error:
        call(parameters)
    assert str(error.value).startswith(message)


def test_model_backward_checks_AL_and_Y():
    rng = np.random.default_rng(13)
    X, parameters = random_network(rng, [3, 4, 1], 6)
    AL, caches = deep.model_forward(X, parameters)
    with raises_message("AL has shape (1, 5) but Z[2] in the last cache needs (n[2], m) = (1, 6)"):
        deep.model_backward(AL[:, :5], np.ones((1, 5)), caches)
    with raises_message(
        "Y has shape (6,) but AL of shape (1, 6) needs (n[2], m) = (1, 6). Y is a rank-1",
        prefix=True,
    ):
        deep.model_backward(AL, np.ones(6), caches)


@pytest.mark.parametrize(
    "layer_dims, expected", [([3, 4, 2, 1], [True, True, False]), ([3, 1], [False])]
)
def test_model_backward_does_not_compute_dA0(monkeypatch, layer_dims, expected):
    calls = []
    original = deep.linear_backward

    def spy(dZ, cache, need_dA_prev=True):
        calls.append(need_dA_prev)
        return original(dZ, cache, need_dA_prev)

    monkeypatch.setattr(deep, "linear_backward", spy)
    rng = np.random.default_rng(14)
    X, parameters = random_network(rng, layer_dims, 5)
    AL, caches = deep.model_forward(X, parameters)
    deep.model_backward(AL, labels(rng, 5), caches)
    assert calls == expected  # layers L, …, 1: layer 1 skips dA[0] = W[1]ᵀ dZ[1]


def test_a_transposed_middle_layer_is_blamed_with_the_shape_it_should_have():
    """Syllabus §11's network with W3 transposed: W3 is at fault (not W2 or W4), and the message
    gives the shape that fits between its neighbours, (n[3], n[2]) = (4, 5)."""
    parameters = deep.initialize_parameters([2, 3, 5, 4, 2, 1])
    parameters["W3"] = parameters["W3"].T
    with pytest.raises(ValueError) as error:
        deep.model_forward(np.zeros((2, 7)), parameters)
    assert str(error.value) == "W3 has shape (5, 4) but layer 3 needs (n[3], n[2]) = (4, 5)"
