r"""Logistic regression: a neural network with no hidden layer and one sigmoid unit.

For one example :math:`x` (a column of :math:`n_x` features) the model predicts

.. math:: \hat y = a = \sigma(w^T x + b), \qquad w \in \mathbb{R}^{n_x \times 1},\ b \in \mathbb{R},

the loss is :math:`\mathcal{L}(a, y) = -\big(y \log a + (1 - y) \log(1 - a)\big)` and the cost is
the mean loss over the m training examples,
:math:`J(w, b) = \frac1m \sum_i \mathcal{L}(a^{(i)}, y^{(i)})`.

Shapes (examples are columns): ``X`` (n_x, m), ``Y`` (1, m), ``w`` (n_x, 1), ``b`` a number,
``Z`` and ``A`` (1, m), ``dw`` (n_x, 1), ``db`` a number.

The gradients are computed twice, as the course does: :func:`propagate_loop` with explicit loops
over examples and features, and :func:`propagate`, vectorized, with no loop over examples.
They agree to rounding error; the vectorized one is hundreds of times faster.
"""

import numpy as np

from .activations import sigmoid
from .matmul import matmul  # matmul(A, B) is A @ B, by the fastest route at hand
from .shapes import as_matrix, check_shape
from .training import gradient_descent

__all__ = [
    "initialize_with_zeros",
    "log_sigmoid",
    "propagate_loop",
    "propagate",
    "optimize",
    "predict",
    "model",
]

WHERE = "logistic regression"


# ---- Shape checks, in the course's notation ----


def _check_X(X, name="X"):
    """X as a float matrix of shape (n_x, m), m ≥ 1."""
    X = as_matrix(name, X, WHERE)
    if X.shape[1] == 0:
        raise ValueError(f"{name} has shape {X.shape}: it holds no examples (m = 0)")
    return X


def _check_w_b(w, b, n_x):
    where = f"X has n_x = {n_x} features, so {WHERE}"
    check_shape("w", w, (n_x, 1), ("n_x", "1"), where)
    if np.ndim(b) != 0:
        raise ValueError(
            f"b has shape {np.shape(b)} but {WHERE} has a single bias: b must be a number, "
            f"e.g. b = 0.0"
        )
    return np.asarray(w, dtype=float), float(b)


def _check_Y(Y, m, Y_name="Y", X_name="X"):
    check_shape(Y_name, Y, (1, m), ("1", "m"), f"{X_name} has m = {m} examples, so {WHERE}")
    return np.asarray(Y, dtype=float)


# ---- The model ----


def initialize_with_zeros(dim):
    """w = zeros of shape (dim, 1) and b = 0.0.

    Zeros are fine here: with a single unit there is no symmetry to break.
    """
    if dim < 1:
        raise ValueError(f"dim is the number of features n_x and must be 1 or more, got {dim}")
    w = np.zeros((dim, 1))
    b = 0.0
    return w, b


def log_sigmoid(Z):
    r"""log σ(Z), element-wise, without ever taking the log of 0.

    :math:`\log \sigma(z) = -\log(1 + e^{-z}) = \min(z, 0) - \log(1 + e^{-|z|})`.

    The cross-entropy needs log a and log(1 − a) with a = σ(z). Once |z| exceeds about 37, σ(z)
    rounds to exactly 1.0 (or, far below, 0.0) in float64, and log(1 − a) becomes log 0 = −∞:
    the cost turns infinite (then NaN) although the model is merely very confident. Working
    from z instead is exact and finite for every finite z, since 1 − σ(z) = σ(−z):

    - log a = log_sigmoid(z)
    - log(1 − a) = log_sigmoid(−z)

    This is preferred to clipping a into [ε, 1 − ε], which would change the cost's value.
    """
    Z = np.asarray(Z, dtype=float)
    return (np.minimum(Z, 0) - np.log1p(np.exp(-np.abs(Z))))[()]


def propagate_loop(w, b, X, Y):
    r"""Cost and gradients with explicit loops, exactly as first taught (slow; for comparison).

    For every example i, and every feature j:

    .. math::
        z^{(i)} = w^T x^{(i)} + b,\quad a^{(i)} = \sigma(z^{(i)}),\quad
        J \mathrel{+}= \mathcal{L}(a^{(i)}, y^{(i)}),\quad dz^{(i)} = a^{(i)} - y^{(i)},\quad
        dw_j \mathrel{+}= x_j^{(i)} dz^{(i)},\quad db \mathrel{+}= dz^{(i)}

    then J, dw and db are divided by m.

    w: (n_x, 1); b: number; X: (n_x, m); Y: (1, m).
    Returns ``(grads, cost)`` with ``grads = {"dw": (n_x, 1), "db": number}`` and the cost J.
    """
    X = _check_X(X)
    n_x, m = X.shape
    w, b = _check_w_b(w, b, n_x)
    Y = _check_Y(Y, m)

    J = 0.0
    dw = np.zeros((n_x, 1))
    db = 0.0
    for i in range(m):  # loop over the examples
        z = b
        for j in range(n_x):  # z = wᵀx⁽ⁱ⁾ + b, one feature at a time
            z += w[j, 0] * X[j, i]
        a = sigmoid(z)
        y = Y[0, i]
        # L(a, y) = −(y log a + (1 − y) log(1 − a)), with log a and log(1 − a) taken from z
        # (see log_sigmoid) so that a confident a of exactly 0.0 or 1.0 still gives a finite loss.
        J += -(y * log_sigmoid(z) + (1 - y) * log_sigmoid(-z))
        dz = a - y
        for j in range(n_x):  # loop over the features
            dw[j, 0] += X[j, i] * dz
        db += dz
    J /= m
    dw /= m
    db /= m

    grads = {"dw": dw, "db": float(db)}
    return grads, float(J)


def propagate(w, b, X, Y):
    r"""Forward and backward propagation, vectorized: no loop over the examples.

    .. math::
        Z = w^T X + b, \quad A = \sigma(Z), \quad
        J = -\frac1m \sum \big(Y \log A + (1 - Y) \log(1 - A)\big)

        dZ = A - Y, \quad dw = \frac1m X\, dZ^T, \quad db = \frac1m \sum dZ

    w: (n_x, 1); b: number; X: (n_x, m); Y: (1, m) of 0/1 labels.
    Returns ``(grads, cost)``: ``grads = {"dw": (n_x, 1), "db": number}``, cost a float.
    The cost stays finite when A reaches exactly 0 or 1 (see :func:`log_sigmoid`).
    """
    X = _check_X(X)
    n_x, m = X.shape
    w, b = _check_w_b(w, b, n_x)
    Y = _check_Y(Y, m)
    return _propagate(w, b, X, Y)


def _propagate(w, b, X, Y):
    """:func:`propagate` on inputs already checked."""
    m = X.shape[1]

    # Forward propagation
    Z = matmul(w.T, X) + b  # w.T @ X + b: (1, m); b is broadcast
    A = sigmoid(Z)
    # log A = log σ(Z) and log(1 − A) = log σ(−Z), computed from Z: finite even where A is
    # exactly 0 or 1 (see log_sigmoid).
    cost = -np.sum(Y * log_sigmoid(Z) + (1 - Y) * log_sigmoid(-Z)) / m

    # Backward propagation
    dZ = A - Y  # (1, m)
    dw = (1 / m) * matmul(X, dZ.T)  # (1/m) X @ dZ.T: (n_x, 1)
    db = (1 / m) * np.sum(dZ)

    grads = {"dw": dw, "db": float(db)}
    return grads, float(cost)


def optimize(w, b, X, Y, num_iterations, learning_rate, callback=None, callback_every=100,
             history=None):
    r"""Learn w and b by gradient descent: ``w := w − α dw``, ``b := b − α db``, repeated.

    w: (n_x, 1); b: number; X: (n_x, m); Y: (1, m); learning_rate: α.
    callback: optional ``callback(iteration, cost)`` every ``callback_every`` iterations (and
              after the last); return :data:`nndl.training.STOP` from it to stop early.
    history:  to carry on an earlier training, the history it returned (pass its w and b too);
              see :func:`nndl.training.gradient_descent`.

    Returns ``(params, grads, history)``: ``params = {"w": (n_x, 1), "b": number}`` after the
    last update, ``grads`` the last gradients ``{"dw", "db"}``, and the
    :class:`nndl.training.History` (``history.costs`` holds the cost of every iteration;
    ``history.diverged`` and ``history.message`` tell when α was too large).
    The arrays passed in are not modified.
    """
    X = _check_X(X)
    n_x, m = X.shape
    w, b = _check_w_b(w, b, n_x)
    Y = _check_Y(Y, m)

    params = {"w": w.copy(), "b": b}
    grads = {"dw": np.zeros_like(w), "db": 0.0}

    def step(i):
        g, cost = _propagate(params["w"], params["b"], X, Y)
        params["w"] = params["w"] - learning_rate * g["dw"]
        params["b"] = params["b"] - learning_rate * g["db"]
        grads.update(g)
        return cost

    history = gradient_descent(
        step, num_iterations, learning_rate, callback, callback_every, history
    )
    return params, grads, history


def predict(w, b, X):
    """Predicted labels: 1.0 where ŷ = σ(wᵀX + b) > 0.5, else 0.0.

    w: (n_x, 1); b: number; X: (n_x, m) -> Y_prediction: (1, m) of 0.0 / 1.0.
    """
    X = _check_X(X)
    w, b = _check_w_b(w, b, X.shape[0])
    A = sigmoid(w.T @ X + b)
    return (A > 0.5).astype(float)


def _accuracy(Y_prediction, Y):
    """Percentage of examples whose predicted label equals the true label."""
    return float(100 - np.mean(np.abs(Y_prediction - Y)) * 100)


def model(
    X_train,
    Y_train,
    X_test,
    Y_test,
    num_iterations=2000,
    learning_rate=0.005,
    callback=None,
    callback_every=100,
):
    """Logistic regression from start to finish: initialize with zeros, optimize, predict.

    X_train: (n_x, m_train); Y_train: (1, m_train); X_test: (n_x, m_test); Y_test: (1, m_test).
    callback, callback_every: as in :func:`optimize`.

    Returns the dict ``d`` of the course, plus the accuracies and the training history:

    - "costs": the cost every 100 iterations (0, 100, 200, …), for the usual plot;
    - "Y_prediction_test", "Y_prediction_train": (1, m_test), (1, m_train) of 0.0 / 1.0;
    - "w" (n_x, 1), "b": the learned parameters;
    - "learning_rate", "num_iterations": the hyperparameters used;
    - "train_accuracy", "test_accuracy": percentages of correct predictions (0 to 100);
    - "history": the :class:`nndl.training.History` (every cost; diverged / stopped early).
    """
    X_train = _check_X(X_train, "X_train")
    X_test = _check_X(X_test, "X_test")
    n_x, m_train = X_train.shape
    if X_test.shape[0] != n_x:
        check_shape(
            "X_test",
            X_test,
            (n_x, None),
            ("n_x", "m_test"),
            f"X_train has n_x = {n_x} features, so the test set",
        )
    Y_train = _check_Y(Y_train, m_train, "Y_train", "X_train")
    Y_test = _check_Y(Y_test, X_test.shape[1], "Y_test", "X_test")

    w, b = initialize_with_zeros(n_x)
    params, grads, history = optimize(
        w, b, X_train, Y_train, num_iterations, learning_rate, callback, callback_every
    )
    w, b = params["w"], params["b"]

    Y_prediction_train = predict(w, b, X_train)
    Y_prediction_test = predict(w, b, X_test)

    return {
        "costs": history.costs[::100],
        "Y_prediction_test": Y_prediction_test,
        "Y_prediction_train": Y_prediction_train,
        "w": w,
        "b": b,
        "learning_rate": learning_rate,
        "num_iterations": num_iterations,
        "train_accuracy": _accuracy(Y_prediction_train, Y_train),
        "test_accuracy": _accuracy(Y_prediction_test, Y_test),
        "history": history,
    }
