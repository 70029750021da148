r"""A neural network with one hidden layer (a "2-layer network"), written out formula by formula.

The input layer has n_x = n[0] units, the hidden layer n_h = n[1] units with activation g[1]
(tanh by default; ReLU, leaky ReLU or sigmoid also work), the output layer n_y = n[2] = 1 sigmoid
unit. Examples are columns: X is (n_x, m), Y is (1, m).

Forward propagation::

    Z1 = W1 X + b1        A1 = g[1](Z1)        (n_h, m)
    Z2 = W2 A1 + b2       A2 = σ(Z2)           (1, m)

Backward propagation (the cross-entropy cost, sigmoid output)::

    dZ2 = A2 − Y
    dW2 = (1/m) dZ2 A1ᵀ                db2 = (1/m) Σ_rows dZ2
    dZ1 = W2ᵀ dZ2 * g[1]'(Z1)          (* is element-wise)
    dW1 = (1/m) dZ1 Xᵀ                 db1 = (1/m) Σ_rows dZ1

This is the L = 2 case of :mod:`nndl.deep`, spelled out so that every line is one of the course's
equations; the tests check that both give the same numbers.
"""

import numpy as np

from . import deep
from .activations import derivative, get_activation, sigmoid
from .matmul import matmul  # matmul(A, B) is A @ B, by the fastest route at hand
from .shapes import check_shape
from .training import gradient_descent

__all__ = [
    "layer_sizes",
    "initialize_parameters",
    "forward_propagation",
    "compute_cost",
    "backward_propagation",
    "update_parameters",
    "predict",
    "train",
]


def layer_sizes(X, Y, n_h=4):
    """The sizes of the three layers: (n_x, n_h, n_y).

    X: (n_x, m) inputs; Y: (n_y, m) labels; n_h: hidden units -> (n_x, n_h, n_y).
    """
    check_shape("X", X, (None, None), ("n[0]", "m"), "a 2-layer network")
    check_shape("Y", Y, (None, X.shape[1]), ("n[2]", "m"), f"X of shape {X.shape}")
    _check_size("n_h", n_h)
    return X.shape[0], int(n_h), Y.shape[0]


def _check_size(name, n):
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(
            f"{name} = {n!r}, but {name} is a number of units: a positive whole number"
        )


def initialize_parameters(n_x, n_h, n_y, method="small", seed=2):
    r"""W1 (n_h, n_x) and W2 (n_y, n_h) drawn at random; b1 (n_h, 1) and b2 (n_y, 1) zero.

    method: ``"small"``: standard normal × 0.01. Small weights keep Z1 near 0, where tanh and
    sigmoid are steep, so learning starts fast (large weights would saturate them). ``"scaled"``:
    × 1/√n where n is the size of the layer before. ``"zeros"``: all weights 0, which never breaks
    symmetry: every hidden unit computes the same function and gets the same update, forever.

    seed: an int (the same seed gives the same weights) or a ``np.random.Generator``.
    """
    for name, n in (("n_x", n_x), ("n_h", n_h), ("n_y", n_y)):
        _check_size(name, n)
    scales = {"small": (0.01, 0.01), "scaled": (1 / np.sqrt(n_x), 1 / np.sqrt(n_h)), "zeros": None}
    if method not in scales:
        known = ", ".join(repr(k) for k in scales)
        raise ValueError(f"unknown initialization method {method!r}: choose one of {known}")
    if method == "zeros":
        W1 = np.zeros((n_h, n_x))
        W2 = np.zeros((n_y, n_h))
    else:
        rng = np.random.default_rng(seed)
        scale1, scale2 = scales[method]
        W1 = rng.standard_normal((n_h, n_x)) * scale1
        W2 = rng.standard_normal((n_y, n_h)) * scale2
    b1 = np.zeros((n_h, 1))
    b2 = np.zeros((n_y, 1))
    return {"W1": W1, "b1": b1, "W2": W2, "b2": b2}


def _check_parameters(parameters):
    """The 2-layer parameters W1, b1, W2, b2, checked against each other -> [n_x, n_h, n_y]."""
    dims = deep.check_parameters(parameters)
    if len(dims) != 3:
        raise ValueError(
            "a 2-layer network needs the parameters W1, b1, W2, b2; these have "
            f"L = {len(dims) - 1} layers (use nndl.deep for deeper networks)"
        )
    return dims


def forward_propagation(X, parameters, activation="tanh"):
    r"""Z1 = W1 X + b1, A1 = g[1](Z1), Z2 = W2 A1 + b2, A2 = σ(Z2).

    X: (n_x, m); parameters: {"W1": (n_h, n_x), "b1": (n_h, 1), "W2": (n_y, n_h), "b2": (n_y, 1)};
    activation: the hidden layer's g[1] -> A2: (n_y, m), cache {"Z1", "A1", "Z2", "A2"}.
    """
    n_x, _, _ = _check_parameters(parameters)
    check_shape("X", X, (n_x, None), ("n[0]", "m"), "layer 1")
    g, _ = get_activation(activation)
    W1, b1 = parameters["W1"], parameters["b1"]
    W2, b2 = parameters["W2"], parameters["b2"]

    Z1 = matmul(W1, X) + b1  # W1 @ X + b1: the one large product when X is a set of images
    A1 = g(Z1)
    Z2 = W2 @ A1 + b2
    A2 = sigmoid(Z2)

    cache = {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": A2}
    return A2, cache


def compute_cost(A2, Y):
    r"""Cross-entropy cost J = −(1/m) Σ ( Y log(A2) + (1 − Y) log(1 − A2) ), a Python float.

    A2: (1, m); Y: (1, m). The same formula as for any depth: see :func:`nndl.deep.compute_cost`
    (which also explains why A2 is clipped away from exactly 0 and 1).
    """
    return deep.compute_cost(A2, Y)


def backward_propagation(parameters, cache, X, Y, activation="tanh"):
    r"""Gradients of the cost with respect to W1, b1, W2, b2.

    parameters, X: as for :func:`forward_propagation`; cache: what it returned; Y: (n_y, m);
    activation: the hidden g[1] used forward -> grads {"dW1": (n_h, n_x), "db1": (n_h, 1),
    "dW2": (n_y, n_h), "db2": (n_y, 1)}.
    """
    n_x, n_h, n_y = _check_parameters(parameters)
    check_shape("X", X, (n_x, None), ("n[0]", "m"), "layer 1")
    m = X.shape[1]
    check_shape("Y", Y, (n_y, m), ("n[2]", "m"), f"X of shape {X.shape}")
    for name, rows, n in (("Z1", n_h, "n[1]"), ("A1", n_h, "n[1]"), ("A2", n_y, "n[2]")):
        check_shape(name, cache[name], (rows, m), (n, "m"), f"X of shape {X.shape}")
    W2 = parameters["W2"]
    Z1, A1, A2 = cache["Z1"], cache["A1"], cache["A2"]

    dZ2 = A2 - Y
    dW2 = (1 / m) * dZ2 @ A1.T
    db2 = (1 / m) * np.sum(dZ2, axis=1, keepdims=True)
    dZ1 = (W2.T @ dZ2) * derivative(activation, Z1)
    dW1 = matmul((1 / m) * dZ1, X.T)  # (1/m) dZ1 @ X.T
    db1 = (1 / m) * np.sum(dZ1, axis=1, keepdims=True)

    return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}


def update_parameters(parameters, grads, learning_rate=1.2):
    r"""One step of gradient descent: W1 := W1 − α dW1, b1 := b1 − α db1, and the same for W2, b2.

    Returns a new dict of new arrays; the ``parameters`` passed in are left unchanged.
    """
    _check_parameters(parameters)
    symbols = {
        "W1": ("n[1]", "n[0]"),
        "b1": ("n[1]", "1"),
        "W2": ("n[2]", "n[1]"),
        "b2": ("n[2]", "1"),
    }
    for name, shape_symbols in symbols.items():
        if f"d{name}" not in grads:
            raise ValueError(f"grads has no 'd{name}' to update {name} with")
        shape = parameters[name].shape
        check_shape(f"d{name}", grads[f"d{name}"], shape, shape_symbols, f"{name} of shape {shape}")
    W1 = parameters["W1"] - learning_rate * grads["dW1"]
    b1 = parameters["b1"] - learning_rate * grads["db1"]
    W2 = parameters["W2"] - learning_rate * grads["dW2"]
    b2 = parameters["b2"] - learning_rate * grads["db2"]
    return {"W1": W1, "b1": b1, "W2": W2, "b2": b2}


def predict(X, parameters, activation="tanh"):
    """Predicted labels: 1.0 where A2 > 0.5, else 0.0. X: (n_x, m) -> (1, m)."""
    A2, _ = forward_propagation(X, parameters, activation)
    return (A2 > 0.5).astype(float)


def train(X, Y, n_h=4, learning_rate=1.2, num_iterations=10000, activation="tanh", init="small",
          seed=2, callback=None, callback_every=100, parameters=None, history=None):
    r"""Train the 2-layer network by gradient descent (the course's ``nn_model``).

    X: (n_x, m); Y: (1, m) labels 0 / 1; n_h: hidden units; activation: the hidden g[1].
    Each iteration: forward propagation, cost, backward propagation, parameter update.

    init, seed: how to start (see :func:`initialize_parameters`); or pass ``parameters`` to continue
    training from them (their W1 then fixes n_h), and the ``history`` of that training to carry it
    on as one run (see :func:`nndl.training.gradient_descent`).
    callback: optional ``callback(iteration, cost)``, called every ``callback_every`` iterations;
    return ``training.STOP`` from it to stop early.

    Returns (parameters, history), history being a ``training.History``.
    """
    n_x, n_h, n_y = layer_sizes(X, Y, n_h)
    if n_y != 1:
        check_shape("Y", Y, (1, X.shape[1]), ("1", "m"), "binary classification")
    if parameters is None:
        parameters = initialize_parameters(n_x, n_h, n_y, init, seed)
    dims = _check_parameters(parameters)
    check_shape("X", X, (dims[0], None), ("n[0]", "m"), "layer 1")
    get_activation(activation)

    def step(i):
        nonlocal parameters
        A2, cache = forward_propagation(X, parameters, activation)
        cost = compute_cost(A2, Y)
        grads = backward_propagation(parameters, cache, X, Y, activation)
        parameters = update_parameters(parameters, grads, learning_rate)
        return cost

    history = gradient_descent(
        step, num_iterations, learning_rate, callback, callback_every, history
    )
    return parameters, history
