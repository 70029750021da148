"""Tests for nndl.logistic: logistic regression, looped and vectorized (syllabus §2, §4, §5)."""

import math

import numpy as np
import pytest
from nndl.activations import sigmoid
from nndl.gradcheck import check_gradients
from nndl.logistic import (
    initialize_with_zeros,
    log_sigmoid,
    model,
    optimize,
    predict,
    propagate,
    propagate_loop,
)
from nndl.training import STOP, TrainingDivergedWarning

SHAPES = [(1, 1), (2, 3), (4, 10), (7, 5)]  # (n_x, m)
PROPAGATIONS = [propagate, propagate_loop]


def random_problem(rng, n_x, m):
    X = rng.standard_normal((n_x, m))
    Y = (rng.random((1, m)) < 0.5).astype(float)
    w = rng.standard_normal((n_x, 1))
    b = float(rng.standard_normal())
    return w, b, X, Y


def separable_data(rng, m):
    """Points in the plane labelled by the side of the line x1 − 2 x2 = 0, kept away from it."""
    X = rng.standard_normal((2, 3 * m))
    s = X[0] - 2 * X[1]
    keep = np.abs(s) > 0.5
    X, s = X[:, keep][:, :m], s[keep][:m]
    return X, (s > 0).astype(float).reshape(1, -1)


# ---- Initialization ----


@pytest.mark.parametrize("dim", [1, 2, 12288])
def test_initialize_with_zeros(dim):
    w, b = initialize_with_zeros(dim)
    assert w.shape == (dim, 1) and w.dtype == np.float64
    assert not np.any(w)
    assert b == 0.0 and isinstance(b, float)


def test_initialize_with_zeros_needs_a_feature():
    with pytest.raises(ValueError, match="n_x"):
        initialize_with_zeros(0)


# ---- Forward and backward propagation ----


@pytest.mark.parametrize("propagate_fn", PROPAGATIONS)
def test_propagate_at_zero_parameters(rng, propagate_fn):
    """w = 0, b = 0: every a = σ(0) = 1/2, so J = log 2, dZ = 1/2 − Y, dw = (1/m) X dZᵀ and
    db = mean(dZ)."""
    X = rng.standard_normal((3, 6))
    Y = np.array([[1.0, 0.0, 0.0, 1.0, 1.0, 1.0]])
    grads, cost = propagate_fn(np.zeros((3, 1)), 0.0, X, Y)
    assert cost == pytest.approx(math.log(2), rel=1e-14)
    dZ = 0.5 - Y
    np.testing.assert_allclose(grads["dw"], X @ dZ.T / 6, rtol=1e-13)
    assert grads["db"] == pytest.approx(np.mean(dZ), rel=1e-14)


@pytest.mark.parametrize("propagate_fn", PROPAGATIONS)
def test_propagate_on_one_example_by_hand(propagate_fn):
    """x = (ln 3), w = (1), b = 0: z = ln 3, a = 1/(1 + 1/3) = 3/4. With y = 0 the loss is
    −log(1 − 3/4) = log 4, dz = a − y = 3/4, dw = x·dz = (3/4) ln 3, db = dz = 3/4."""
    grads, cost = propagate_fn(np.array([[1.0]]), 0.0, np.array([[math.log(3)]]), np.array([[0.0]]))
    assert cost == pytest.approx(math.log(4), rel=1e-14)
    assert grads["dw"][0, 0] == pytest.approx(0.75 * math.log(3), rel=1e-14)
    assert grads["db"] == pytest.approx(0.75, rel=1e-14)


@pytest.mark.parametrize("n_x, m", SHAPES)
def test_looped_and_vectorized_propagation_agree(rng, n_x, m):
    w, b, X, Y = random_problem(rng, n_x, m)
    grads_loop, cost_loop = propagate_loop(w, b, X, Y)
    grads, cost = propagate(w, b, X, Y)
    assert cost == pytest.approx(cost_loop, rel=1e-12, abs=1e-12)
    np.testing.assert_allclose(grads["dw"], grads_loop["dw"], rtol=1e-12, atol=1e-12)
    assert grads["db"] == pytest.approx(grads_loop["db"], rel=1e-12, abs=1e-12)


@pytest.mark.parametrize("propagate_fn", PROPAGATIONS)
def test_propagate_returns_the_contracted_types(rng, propagate_fn):
    w, b, X, Y = random_problem(rng, 4, 10)
    grads, cost = propagate_fn(w, b, X, Y)
    assert set(grads) == {"dw", "db"}
    assert grads["dw"].shape == (4, 1)
    assert type(grads["db"]) is float and type(cost) is float


@pytest.mark.parametrize("n_x, m", SHAPES)
def test_propagate_against_finite_differences(rng, n_x, m):
    w, b, X, Y = random_problem(rng, n_x, m)
    grads, _ = propagate(w, b, X, Y)
    result = check_gradients(lambda p: propagate(p["w"], p["b"], X, Y)[1], {"w": w, "b": b}, grads)
    assert result.difference < 1e-7, str(result)


def test_propagate_does_not_modify_its_inputs(rng):
    w, b, X, Y = random_problem(rng, 3, 4)
    copies = w.copy(), X.copy(), Y.copy()
    propagate(w, b, X, Y)
    propagate_loop(w, b, X, Y)
    assert all(np.array_equal(a, c) for a, c in zip((w, X, Y), copies))


# ---- A finite cost when σ saturates to exactly 0 or 1 ----


@pytest.mark.parametrize("propagate_fn", PROPAGATIONS)
def test_cost_is_finite_when_A_is_exactly_0_and_1(propagate_fn):
    X = np.array([[50.0, -800.0]])  # with w = 1, b = 0: z = 50 and z = −800
    assert sigmoid(50.0) == 1.0 and sigmoid(-800.0) == 0.0  # A really is exactly 1 and 0

    # Wrong and confident: y = 0 at a = 1, y = 1 at a = 0. L = log(1 + e^z) for y = 0 and
    # log(1 + e^(−z)) for y = 1, i.e. 50 + log(1 + e^−50) and 800 + log(1 + e^−800).
    grads, cost = propagate_fn(np.array([[1.0]]), 0.0, X, np.array([[0.0, 1.0]]))
    assert cost == pytest.approx((50 + math.log1p(math.exp(-50)) + 800) / 2, rel=1e-14)
    # dZ = A − Y = (1, −1): dw = (1/2)(50·1 + (−800)(−1)) = 425, db = (1/2)(1 − 1) = 0
    assert grads["dw"][0, 0] == pytest.approx(425.0, rel=1e-14)
    assert grads["db"] == 0.0

    # Right and confident: the cost is tiny but still an honest, positive number.
    _, cost = propagate_fn(np.array([[1.0]]), 0.0, X, np.array([[1.0, 0.0]]))
    assert cost == pytest.approx(math.log1p(math.exp(-50)) / 2, rel=1e-12)


def test_log_sigmoid_matches_the_definition(rng):
    Z = rng.uniform(-30, 1, size=(3, 50))  # where np.log(σ(z)) itself is accurate
    np.testing.assert_allclose(log_sigmoid(Z), np.log(sigmoid(Z)), rtol=1e-13)
    Z = rng.uniform(-30, 30, size=(3, 50))  # σ(z) = e^z σ(−z), so log σ(z) − log σ(−z) = z
    np.testing.assert_allclose(log_sigmoid(Z) - log_sigmoid(-Z), Z, rtol=1e-13, atol=1e-13)


def test_log_sigmoid_far_out():
    # log σ(z) = −log(1 + e^(−z)): ≈ z far to the left, ≈ −e^(−z) far to the right
    np.testing.assert_allclose(
        log_sigmoid(np.array([-1e4, -800.0, 40.0, 1e4])),
        [-1e4, -800.0, -math.exp(-40), 0.0],
        rtol=1e-14,
    )
    assert np.ndim(log_sigmoid(0.0)) == 0 and log_sigmoid(0.0) == pytest.approx(
        -math.log(2), rel=1e-15
    )


# ---- Gradient descent ----


def test_one_step_of_gradient_descent(rng):
    w, b, X, Y = random_problem(rng, 3, 8)
    grads0, cost0 = propagate(w, b, X, Y)
    params, grads, history = optimize(w, b, X, Y, num_iterations=1, learning_rate=0.1)
    np.testing.assert_allclose(params["w"], w - 0.1 * grads0["dw"], rtol=1e-15)
    assert params["b"] == pytest.approx(b - 0.1 * grads0["db"], rel=1e-15)
    np.testing.assert_allclose(
        grads["dw"], grads0["dw"], rtol=1e-15
    )  # the gradients of the last step
    assert history.costs == [cost0]


def test_optimize_does_not_modify_w(rng):
    w, b, X, Y = random_problem(rng, 3, 8)
    w_before = w.copy()
    params, _, _ = optimize(w, b, X, Y, num_iterations=5, learning_rate=0.1)
    assert np.array_equal(w, w_before)
    assert not np.array_equal(params["w"], w)


def test_optimize_reports_progress_and_can_stop_early(rng):
    w, b, X, Y = random_problem(rng, 2, 5)
    seen = []
    _, _, history = optimize(
        w, b, X, Y, 120, 0.1, callback=lambda i, J: seen.append((i, J)), callback_every=50
    )
    assert [i for i, _ in seen] == [0, 50, 100, 119]
    assert [J for _, J in seen] == [history.costs[i] for i in (0, 50, 100, 119)]

    _, _, history = optimize(
        w, b, X, Y, 120, 0.1, callback=lambda i, J: STOP if i == 50 else None, callback_every=10
    )
    assert history.stopped_early and history.iterations == 51


def test_learning_on_separable_data(rng):
    X_train, Y_train = separable_data(rng, 40)
    X_test, Y_test = separable_data(rng, 20)
    d = model(X_train, Y_train, X_test, Y_test, num_iterations=1000, learning_rate=0.5)

    costs = np.array(d["history"].costs)
    assert costs[0] == pytest.approx(math.log(2), rel=1e-14)  # from w = 0, b = 0
    assert np.all(np.diff(costs) <= 1e-15)  # a small enough α: J goes down at every step
    assert costs[-1] < 0.1 * costs[0]
    assert d["train_accuracy"] == 100.0 and d["test_accuracy"] == 100.0
    w = d["w"].ravel()
    assert w @ [1, -2] / (np.linalg.norm(w) * math.sqrt(5)) > 0.95  # w points across the true line


def test_model_returns_the_courses_dictionary(rng):
    X_train, Y_train = separable_data(rng, 30)
    X_test, Y_test = separable_data(rng, 10)
    Y_train[0, :3] = 1 - Y_train[0, :3]  # three wrong labels: no line can fit all of them
    d = model(X_train, Y_train, X_test, Y_test, num_iterations=250, learning_rate=0.05)

    assert set(d) == {
        "costs",
        "Y_prediction_test",
        "Y_prediction_train",
        "w",
        "b",
        "learning_rate",
        "num_iterations",
        "train_accuracy",
        "test_accuracy",
        "history",
    }
    assert d["costs"] == [d["history"].costs[i] for i in (0, 100, 200)]  # every 100 iterations
    assert d["history"].iterations == 250
    assert (d["learning_rate"], d["num_iterations"]) == (0.05, 250)
    assert d["w"].shape == (2, 1) and isinstance(d["b"], float)
    np.testing.assert_array_equal(d["Y_prediction_train"], predict(d["w"], d["b"], X_train))
    np.testing.assert_array_equal(d["Y_prediction_test"], predict(d["w"], d["b"], X_test))
    assert d["train_accuracy"] == pytest.approx(100 * np.mean(d["Y_prediction_train"] == Y_train))
    assert d["test_accuracy"] == pytest.approx(100 * np.mean(d["Y_prediction_test"] == Y_test))
    assert d["train_accuracy"] < 100.0


def test_model_passes_the_callback_on(rng):
    X, Y = separable_data(rng, 10)
    seen = []
    model(
        X,
        Y,
        X,
        Y,
        num_iterations=30,
        learning_rate=0.1,
        callback=lambda i, J: seen.append(i),
        callback_every=10,
    )
    assert seen == [0, 10, 20, 29]


# ---- Too large a learning rate ----


def test_a_large_learning_rate_saturates_sigma_and_is_reported_as_divergence(rng):
    """With α = 1000 the weights jump so far that σ(z) rounds to exactly 0 or 1 for some
    examples: the course's formula, with log(0), is no longer a number. Our cost stays finite, and
    training stops because the cost grew far above where it started."""
    w, b, X, Y = random_problem(rng, 4, 30)
    with pytest.warns(TrainingDivergedWarning, match="smaller learning rate"):
        params, _, history = optimize(
            np.zeros((4, 1)), 0.0, X, Y, num_iterations=50, learning_rate=1000.0
        )
    A = sigmoid(params["w"].T @ X + params["b"])
    assert np.any((A == 0.0) | (A == 1.0))
    with np.errstate(divide="ignore", invalid="ignore"):
        naive = -np.mean(Y * np.log(A) + (1 - Y) * np.log(1 - A))
    assert not math.isfinite(naive)

    assert history.diverged and history.iterations < 50
    assert all(math.isfinite(J) for J in history.costs)
    assert history.costs[-1] > 10 * history.costs[0]
    assert "the cost grew from 0.6931" in history.message


def test_even_an_absurd_learning_rate_keeps_the_cost_a_number(rng):
    """|dw| ≤ max|x|, so w grows at most by α·max|x| per step; even with α = 1e308 the cost,
    computed from log σ(z), is a (huge) number, and training stops at the first jump."""
    w, b, X, Y = random_problem(rng, 4, 30)
    with pytest.warns(TrainingDivergedWarning, match="smaller learning rate"):
        params, _, history = optimize(
            np.zeros((4, 1)), 0.0, X, Y, num_iterations=100, learning_rate=1e308
        )
    assert history.diverged and history.iterations == 2
    assert all(math.isfinite(J) for J in history.costs)


# ---- Prediction ----


def test_predict_thresholds_at_one_half():
    X = np.array([[1.0, -2.0, 0.0, 3.0]])
    w = np.array([[1.0]])
    np.testing.assert_array_equal(
        predict(w, 0.0, X), [[1.0, 0.0, 0.0, 1.0]]
    )  # σ(0) = 0.5 is not > 0.5
    np.testing.assert_array_equal(predict(w, 1e-9, X), [[1.0, 0.0, 1.0, 1.0]])
    assert predict(w, 0.0, X).dtype == np.float64


@pytest.mark.parametrize("n_x, m", SHAPES)
def test_predict_shape(rng, n_x, m):
    w, b, X, _ = random_problem(rng, n_x, m)
    Y_prediction = predict(w, b, X)
    assert Y_prediction.shape == (1, m)
    np.testing.assert_array_equal(Y_prediction, (sigmoid(w.T @ X + b) > 0.5).astype(float))


# ---- Shape errors, in the course's notation ----

CALLS = {
    "propagate": lambda w, b, X, Y: propagate(w, b, X, Y),
    "propagate_loop": lambda w, b, X, Y: propagate_loop(w, b, X, Y),
    "optimize": lambda w, b, X, Y: optimize(w, b, X, Y, 1, 0.1),
}


@pytest.fixture(params=list(CALLS))
def call(request):
    return CALLS[request.param]


def good(rng):
    return np.zeros((3, 1)), 0.0, rng.standard_normal((3, 5)), np.ones((1, 5))


def test_rank_1_w(rng, call):
    w, b, X, Y = good(rng)
    with pytest.raises(ValueError) as error:
        call(w.ravel(), b, X, Y)
    message = str(error.value)
    assert message.startswith(
        "w has shape (3,) but X has n_x = 3 features, "
        "so logistic regression needs (n_x, 1) = (3, 1). "
    )
    assert "rank-1 array" in message and "w.reshape(3, 1)" in message


def test_w_of_the_wrong_size(rng, call):
    w, b, X, Y = good(rng)
    with pytest.raises(ValueError) as error:
        call(np.zeros((4, 1)), b, X, Y)
    assert (
        str(error.value) == "w has shape (4, 1) but X has n_x = 3 features, "
        "so logistic regression needs (n_x, 1) = (3, 1)"
    )


def test_rank_1_Y(rng, call):
    w, b, X, Y = good(rng)
    with pytest.raises(
        ValueError,
        match=r"Y has shape \(5,\) but X has m = 5 examples, so logistic regression needs "
        r"\(1, m\) = \(1, 5\)\. .*Y\.reshape\(1, 5\)",
    ):
        call(w, b, X, Y.ravel())


def test_Y_with_another_number_of_examples(rng, call):
    w, b, X, Y = good(rng)
    with pytest.raises(ValueError) as error:
        call(w, b, X, np.ones((1, 4)))
    assert (
        str(error.value) == "Y has shape (1, 4) but X has m = 5 examples, "
        "so logistic regression needs (1, m) = (1, 5)"
    )


def test_rank_1_X(rng, call):
    w, b, X, Y = good(rng)
    with pytest.raises(
        ValueError,
        match=r"X has shape \(3,\) but logistic regression needs a 2-D array\. X is a rank-1",
    ):
        call(w, b, X[:, 0], Y)


def test_b_must_be_a_number(rng, call):
    w, b, X, Y = good(rng)
    with pytest.raises(
        ValueError, match=r"b has shape \(1, 1\) but logistic regression has a single bias"
    ):
        call(w, np.zeros((1, 1)), X, Y)


def test_X_without_examples(rng, call):
    w, b, X, Y = good(rng)
    with pytest.raises(ValueError, match=r"no examples \(m = 0\)"):
        call(w, b, X[:, :0], Y[:, :0])


def test_Y_as_a_list(rng, call):
    w, b, X, Y = good(rng)
    with pytest.raises(
        ValueError,
        match=r"Y should be a NumPy array of shape \(1, m\) = \(1, 5\), but it is a list",
    ):
        call(w, b, X, [[1, 0, 1, 0, 1]])


def test_predict_checks_shapes(rng):
    w, b, X, _ = good(rng)
    with pytest.raises(ValueError, match=r"w has shape \(3,\) .* w\.reshape\(3, 1\)"):
        predict(w.ravel(), b, X)


def test_model_checks_the_test_set(rng):
    X, Y = rng.standard_normal((3, 5)), np.ones((1, 5))
    with pytest.raises(ValueError) as error:
        model(X, Y, rng.standard_normal((4, 2)), np.ones((1, 2)))
    assert str(error.value) == (
        "X_test has shape (4, 2) but X_train has n_x = 3 features, so the test set needs "
        "(n_x, m_test) = (3, m_test)"
    )
    with pytest.raises(ValueError) as error:
        model(X, Y, rng.standard_normal((3, 2)), np.ones((1, 3)))
    assert str(error.value) == (
        "Y_test has shape (1, 3) but X_test has m = 2 examples, "
        "so logistic regression needs (1, m) = (1, 2)"
    )
    with pytest.raises(ValueError, match=r"Y_train has shape \(5,\) but X_train has m = 5"):
        model(X, Y.ravel(), X, Y)
