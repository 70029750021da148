r"""The deep L-layer network, built from forward and backward blocks.

The network has ``L`` layers of sizes ``layer_dims = [n[0], n[1], …, n[L]]`` (the input layer
``n[0] = n_x`` is not counted). Layers 1 … L−1 use the hidden activation (ReLU by default), layer L
a sigmoid, so that ``AL = Ŷ`` is the probability of the label 1.

Forward, for l = 1 … L (an explicit loop over layers: it cannot be vectorized away)::

    Z[l] = W[l] A[l-1] + b[l]          A[l] = g[l](Z[l])          A[0] = X

Backward, for l = L … 1, starting from the derivative of the cross-entropy cost::

    dA[L] = −(Y / AL − (1 − Y) / (1 − AL))
    dZ[l] = dA[l] * g[l]'(Z[l])
    dW[l] = (1/m) dZ[l] A[l-1]ᵀ        db[l] = (1/m) Σ_rows dZ[l]        dA[l-1] = W[l]ᵀ dZ[l]

Shapes: ``W[l]`` and ``dW[l]`` are ``(n[l], n[l-1])``; ``b[l]`` and ``db[l]`` are ``(n[l], 1)``;
``Z[l]``, ``A[l]``, ``dZ[l]``, ``dA[l]`` are ``(n[l], m)``. :func:`layer_shapes` lists them all.

Each forward block keeps a **cache** for its backward block, in the course's structure:
``cache = (linear_cache, Z)`` with ``linear_cache = (A_prev, W, b)``.

A remark on scale, as in the course: ``dA`` and ``dZ`` are per-example derivatives
(``dZ[L] = AL − Y`` is m times ∂J/∂Z[L]); the factor 1/m of the cost enters once, in ``dW`` and
``db``.
"""

import numpy as np

from .activations import get_activation
from .matmul import matmul  # matmul(A, B) is A @ B, by the fastest route at hand
from .shapes import check_shape
from .training import gradient_descent

__all__ = [
    "EPSILON",
    "INIT_METHODS",
    "initialize_parameters",
    "check_parameters",
    "layer_shapes",
    "linear_forward",
    "linear_activation_forward",
    "model_forward",
    "compute_cost",
    "cost_backward",
    "linear_backward",
    "linear_activation_backward",
    "model_backward",
    "update_parameters",
    "predict_proba",
    "predict",
    "train",
]

EPSILON = 1e-15
"""How far from 0 and 1 the cost clips AL before taking logarithms (see :func:`compute_cost`)."""

INIT_METHODS = ("small", "scaled", "he", "zeros")
"""Weight initializations understood by :func:`initialize_parameters`."""


# --- Layer sizes and parameters ---------------------------------------------------------------


def _check_layer_dims(layer_dims):
    """Return layer_dims as a list of ints, or raise ValueError saying what is wrong with it."""
    if isinstance(layer_dims, (str, bytes)) or not hasattr(layer_dims, "__len__"):
        raise ValueError(
            f"layer_dims should be a list of layer sizes [n[0], n[1], …, n[L]], got {layer_dims!r}"
        )
    if len(layer_dims) < 2:
        raise ValueError(
            f"layer_dims = {list(layer_dims)} needs at least 2 entries: the input size n[0] and "
            f"the output size n[L] (the input layer is not counted, so L = len(layer_dims) − 1 ≥ 1)"
        )
    dims = []
    for l, n in enumerate(layer_dims):
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
            raise ValueError(
                f"layer_dims[{l}] = {n!r}, but n[{l}] is a number of units: a positive whole number"
            )
        dims.append(int(n))
    return dims


def initialize_parameters(layer_dims, method="scaled", seed=1):
    r"""Weights W[l] drawn at random, biases b[l] at zero, for l = 1 … L.

    layer_dims: [n[0], n[1], …, n[L]] -> {"W1": (n[1], n[0]), "b1": (n[1], 1), …,
    "WL": (n[L], n[L-1]), "bL": (n[L], 1)}.

    method: how W[l] is drawn (a standard normal times a scale):

    - ``"scaled"``: × 1/√n[l-1], the course's choice for deep networks: it keeps Z[l] about the
      size of A[l-1] from layer to layer, so signals neither vanish nor explode;
    - ``"he"``: × √(2/n[l-1]), the variant tuned for ReLU (which zeroes half of its inputs);
    - ``"small"``: × 0.01, enough for a shallow network, too small for a deep one;
    - ``"zeros"``: all weights 0. Every unit of a layer then computes the same function and
      backpropagation keeps them identical: symmetry is never broken (kept for that lesson).

    seed: an int (the same seed gives the same weights) or a ``np.random.Generator`` to draw from.
    """
    dims = _check_layer_dims(layer_dims)
    if method not in INIT_METHODS:
        known = ", ".join(repr(k) for k in INIT_METHODS)
        raise ValueError(f"unknown initialization method {method!r}: choose one of {known}")
    rng = np.random.default_rng(seed)
    parameters = {}
    for l in range(1, len(dims)):
        n, n_prev = dims[l], dims[l - 1]
        if method == "zeros":
            W = np.zeros((n, n_prev))
        else:
            scale = {"small": 0.01, "scaled": 1 / np.sqrt(n_prev), "he": np.sqrt(2 / n_prev)}
            W = rng.standard_normal((n, n_prev)) * scale[method]
        parameters[f"W{l}"] = W
        parameters[f"b{l}"] = np.zeros((n, 1))
    return parameters


def check_parameters(parameters, layer_dims=None):
    """Check W1, b1, …, WL, bL against each other (and against ``layer_dims`` if given).

    Each W[l] must be (n[l], n[l-1]) where n[l-1] is the number of rows of W[l-1], so that an error
    names the layer, e.g. "W2 has shape (1, 5) but layer 2 needs (n[2], n[1]) = (1, 4)"; each b[l]
    must be (n[l], 1). Returns the layer sizes [n[0], n[1], …, n[L]] that the parameters describe.
    """
    if not isinstance(parameters, dict):
        raise ValueError(
            "parameters should be a dict with keys 'W1', 'b1', …, "
            f"got a {type(parameters).__name__}"
        )
    L = 0
    while f"W{L + 1}" in parameters:
        L += 1
    if L == 0:
        raise ValueError(
            "parameters has no 'W1': expected the keys 'W1', 'b1', …, 'WL', 'bL' "
            "(see initialize_parameters)"
        )
    if layer_dims is not None:
        layer_dims = _check_layer_dims(layer_dims)
        if len(layer_dims) != L + 1:
            raise ValueError(
                f"the parameters have W1 … W{L}, so L = {L}, but layer_dims = {layer_dims} "
                f"has L = {len(layer_dims) - 1}"
            )
    dims = [None] * (L + 1)
    for l in range(1, L + 1):
        W = parameters[f"W{l}"]
        if layer_dims is not None:
            expected = (layer_dims[l], layer_dims[l - 1])
        else:
            # n[l-1] comes from the layer before (W1 defines n[0]). n[l] is W[l]'s own number of
            # rows, unless W[l] does not fit: then the columns of W[l+1] say what n[l] should be,
            # so that a transposed W[l] is reported with the shape it should have.
            rows = np.shape(W)[0] if np.ndim(W) == 2 else None
            W_next = parameters.get(f"W{l + 1}")
            fits = np.ndim(W) == 2 and dims[l - 1] in (None, np.shape(W)[1])
            if not fits and np.ndim(W_next) == 2:
                rows = np.shape(W_next)[1]
            expected = (rows, dims[l - 1])
        check_shape(f"W{l}", W, expected, (f"n[{l}]", f"n[{l - 1}]"), f"layer {l}")
        dims[l - 1], dims[l] = W.shape[1], W.shape[0]
        if f"b{l}" not in parameters:
            raise ValueError(f"parameters has 'W{l}' but no 'b{l}': every layer needs both")
        check_shape(f"b{l}", parameters[f"b{l}"], (dims[l], 1), (f"n[{l}]", "1"), f"layer {l}")
    return dims


def layer_shapes(layer_dims, m):
    """The shape of every quantity of layer l, for l = 1 … L, with m examples.

    layer_dims: [n[0], …, n[L]]; m: number of examples -> {l: {"W", "b", "Z", "A", "dW", "db",
    "dZ", "dA"}}, e.g. ``layer_shapes([2, 3, 1], 10)[1]["W"] == (3, 2)``. (A[0] = X is (n[0], m).)
    """
    dims = _check_layer_dims(layer_dims)
    if isinstance(m, bool) or not isinstance(m, (int, np.integer)) or m < 1:
        raise ValueError(f"m = {m!r}, but m is a number of examples: a positive whole number")
    m = int(m)
    shapes = {}
    for l in range(1, len(dims)):
        n, n_prev = dims[l], dims[l - 1]
        W, b, Z = (n, n_prev), (n, 1), (n, m)
        shapes[l] = {"W": W, "b": b, "Z": Z, "A": Z, "dW": W, "db": b, "dZ": Z, "dA": Z}
    return shapes


# --- Forward propagation ----------------------------------------------------------------------


def _check_block(A_prev, W, b):
    """Shape checks of one layer's inputs: W defines n[l] and n[l-1]."""
    check_shape("W", W, (None, None), ("n[l]", "n[l-1]"), "a layer")
    where = f"W of shape {W.shape}"
    check_shape("A_prev", A_prev, (W.shape[1], None), ("n[l-1]", "m"), where)
    check_shape("b", b, (W.shape[0], 1), ("n[l]", "1"), where)


def linear_forward(A_prev, W, b):
    r"""Linear part of layer l: Z[l] = W[l] A[l-1] + b[l].

    A_prev: (n[l-1], m); W: (n[l], n[l-1]); b: (n[l], 1) -> Z: (n[l], m), cache (A_prev, W, b).
    b is broadcast along the m columns.
    """
    _check_block(A_prev, W, b)
    Z = matmul(W, A_prev) + b  # W @ A_prev + b
    cache = (A_prev, W, b)
    return Z, cache


def linear_activation_forward(A_prev, W, b, activation):
    r"""Layer l forward: Z[l] = W[l] A[l-1] + b[l], then A[l] = g[l](Z[l]).

    A_prev: (n[l-1], m); W: (n[l], n[l-1]); b: (n[l], 1); activation: "relu", "sigmoid", "tanh"
    or "leaky_relu" -> A: (n[l], m), cache ((A_prev, W, b), Z).
    """
    g, _ = get_activation(activation)
    Z, linear_cache = linear_forward(A_prev, W, b)
    A = g(Z)
    cache = (linear_cache, Z)
    return A, cache


def model_forward(X, parameters, hidden_activation="relu", output_activation="sigmoid"):
    r"""Forward propagation through all L layers: [LINEAR -> g] × (L−1) -> LINEAR -> SIGMOID.

    X: (n[0], m); parameters: {"W1", "b1", …, "WL", "bL"} -> AL: (n[L], m), caches: a list of
    L caches, ``caches[l-1]`` being layer l's ((A[l-1], W[l], b[l]), Z[l]).
    """
    dims = check_parameters(parameters)
    check_shape("X", X, (dims[0], None), ("n[0]", "m"), "layer 1")
    get_activation(hidden_activation)  # an unknown name fails here, before any work
    get_activation(output_activation)
    L = len(dims) - 1
    caches = []
    A = X
    for l in range(1, L + 1):
        activation = output_activation if l == L else hidden_activation
        A, cache = linear_activation_forward(
            A, parameters[f"W{l}"], parameters[f"b{l}"], activation
        )
        caches.append(cache)
    return A, caches


# --- Cost ---------------------------------------------------------------------------------------


def _check_AL_Y(AL, Y, where):
    check_shape("Y", Y, (1, None), ("1", "m"), where)
    check_shape("AL", AL, Y.shape, ("1", "m"), f"{where} (Y is {Y.shape})")


def compute_cost(AL, Y):
    r"""Cross-entropy cost J = −(1/m) Σ ( Y log(AL) + (1 − Y) log(1 − AL) ), a Python float.

    AL: (1, m) predicted probabilities; Y: (1, m) labels 0 or 1.

    AL is first clipped to [ε, 1 − ε] with ε = 1e-15 (:data:`EPSILON`). In floating point a
    sigmoid returns exactly 1.0 once z > 37 or so, and then log(1 − AL) = log(0) = −∞; even when the
    label is right (y = 1) the term (1 − y) log(1 − AL) becomes 0 · (−∞) = NaN. Clipping keeps J
    finite (each example's loss is at most −log ε ≈ 34.5) and changes it only for predictions
    within 1e-15 of 0 or 1.
    """
    _check_AL_Y(AL, Y, "the cost")
    m = Y.shape[1]
    AL = np.clip(AL, EPSILON, 1 - EPSILON)
    cost = -(1 / m) * np.sum(Y * np.log(AL) + (1 - Y) * np.log(1 - AL))
    return float(cost)


def cost_backward(AL, Y):
    r"""Where backpropagation starts: dA[L] = −( Y/AL − (1 − Y)/(1 − AL) ).

    AL, Y: (n[L], m) -> dAL: (n[L], m). AL is clipped to [ε, 1 − ε] as in :func:`compute_cost`, so
    that an output of exactly 0 or 1 does not divide by zero.
    """
    check_shape("Y", Y, (None, None), ("n[L]", "m"), "the cost's derivative")
    check_shape("AL", AL, Y.shape, ("n[L]", "m"), f"the cost's derivative (Y is {Y.shape})")
    AL = np.clip(AL, EPSILON, 1 - EPSILON)
    dAL = -(Y / AL - (1 - Y) / (1 - AL))
    return dAL


# --- Backward propagation ---------------------------------------------------------------------


def linear_backward(dZ, cache, need_dA_prev=True):
    r"""Linear part of layer l backward, from dZ[l] to the gradients of W[l], b[l] and A[l-1].

    dZ: (n[l], m); cache: (A_prev, W, b) from :func:`linear_forward` ->
    dA_prev: (n[l-1], m) = W[l]ᵀ dZ[l]; dW: (n[l], n[l-1]) = (1/m) dZ[l] A[l-1]ᵀ;
    db: (n[l], 1) = (1/m) Σ_rows dZ[l] (summed over the m examples, kept as a column).

    need_dA_prev: False skips dA_prev (returned as None). Layer 1 needs no dA[0] = W[1]ᵀ dZ[1]:
    A[0] = X is data, not a parameter.
    """
    A_prev, W, b = cache
    m = A_prev.shape[1]
    check_shape("dZ", dZ, (W.shape[0], m), ("n[l]", "m"), f"W of shape {W.shape} with m = {m}")
    dW = (1 / m) * matmul(dZ, A_prev.T)  # (1/m) dZ @ A_prev.T
    db = (1 / m) * np.sum(dZ, axis=1, keepdims=True)
    dA_prev = matmul(W.T, dZ) if need_dA_prev else None  # W.T @ dZ
    return dA_prev, dW, db


def linear_activation_backward(dA, cache, activation, need_dA_prev=True):
    r"""Layer l backward: dZ[l] = dA[l] * g[l]'(Z[l]), then :func:`linear_backward`.

    dA: (n[l], m); cache: ((A_prev, W, b), Z) from :func:`linear_activation_forward`;
    activation: the one used forward -> dA_prev: (n[l-1], m) (or None, see ``need_dA_prev``),
    dW: (n[l], n[l-1]), db: (n[l], 1).

    At the kink of ReLU and leaky ReLU (Z exactly 0) the slope on the left is used (see
    :mod:`nndl.activations`).
    """
    _, g_backward = get_activation(activation)
    linear_cache, Z = cache
    check_shape("dA", dA, Z.shape, ("n[l]", "m"), f"Z of shape {Z.shape}")
    dZ = g_backward(dA, Z)
    return linear_backward(dZ, linear_cache, need_dA_prev)


def model_backward(AL, Y, caches, hidden_activation="relu", output_activation="sigmoid"):
    r"""Backward propagation through all L layers, from the cost back to layer 1.

    AL: (n[L], m) from :func:`model_forward`; Y: (n[L], m) labels; caches: its list of caches ->
    grads: {"dW1", "db1", …, "dWL", "dbL"} (shaped like W[l], b[l]) and {"dA1", …, "dA(L-1)"}
    (shaped like A[l]).

    With a sigmoid output, dZ[L] = dA[L] * σ'(Z[L]) simplifies exactly:
    −( Y/AL − (1 − Y)/(1 − AL) ) · AL (1 − AL) = AL − Y, which is what is computed (it is exact and
    needs no division). Any other output activation goes the general way: dA[L] from
    :func:`cost_backward`, then :func:`linear_activation_backward`.
    """
    L = len(caches)
    if L == 0:
        raise ValueError("caches is empty: pass the list of caches that model_forward returned")
    check_shape("AL", AL, caches[-1][1].shape, (f"n[{L}]", "m"), f"Z[{L}] in the last cache")
    check_shape("Y", Y, AL.shape, (f"n[{L}]", "m"), f"AL of shape {AL.shape}")
    grads = {}
    # Layer 1 does not compute dA[0] = W[1]ᵀ dZ[1]: nothing uses it, and with n[0] = 12288 pixels
    # it is as large a product as dW[1] itself, about a third of the whole backward pass.
    if output_activation == "sigmoid":
        dZ = AL - Y
        dA_prev, dW, db = linear_backward(dZ, caches[L - 1][0], need_dA_prev=L > 1)
    else:
        dAL = cost_backward(AL, Y)
        dA_prev, dW, db = linear_activation_backward(
            dAL, caches[L - 1], output_activation, need_dA_prev=L > 1
        )
    grads[f"dW{L}"], grads[f"db{L}"] = dW, db
    for l in range(L - 1, 0, -1):
        grads[f"dA{l}"] = dA_prev
        dA_prev, dW, db = linear_activation_backward(
            dA_prev, caches[l - 1], hidden_activation, need_dA_prev=l > 1
        )
        grads[f"dW{l}"], grads[f"db{l}"] = dW, db
    return grads


# --- Update, prediction, training ---------------------------------------------------------------


def update_parameters(parameters, grads, learning_rate):
    r"""One step of gradient descent: W[l] := W[l] − α dW[l], b[l] := b[l] − α db[l], l = 1 … L.

    Returns a new dict of new arrays; the ``parameters`` passed in are left unchanged.
    """
    dims = check_parameters(parameters)
    new = {}
    for l in range(1, len(dims)):
        for p, symbols in (("W", (f"n[{l}]", f"n[{l - 1}]")), ("b", (f"n[{l}]", "1"))):
            value = parameters[f"{p}{l}"]
            if f"d{p}{l}" not in grads:
                raise ValueError(f"grads has no 'd{p}{l}' to update {p}{l} with")
            grad = grads[f"d{p}{l}"]
            check_shape(f"d{p}{l}", grad, value.shape, symbols, f"{p}{l} of shape {value.shape}")
            new[f"{p}{l}"] = value - learning_rate * grad
    return new


def predict_proba(X, parameters, hidden_activation="relu", output_activation="sigmoid"):
    """The network's output AL: the probability of the label 1 for each example.

    X: (n[0], m) -> AL: (n[L], m).
    """
    AL, _ = model_forward(X, parameters, hidden_activation, output_activation)
    return AL


def predict(X, parameters, hidden_activation="relu", output_activation="sigmoid"):
    """Predicted labels: 1.0 where AL > 0.5, else 0.0.

    X: (n[0], m) -> (n[L], m) array of 0.0 / 1.0 (so that ``np.mean(predict(X, p) == Y)`` is the
    accuracy).
    """
    AL = predict_proba(X, parameters, hidden_activation, output_activation)
    return (AL > 0.5).astype(float)


def train(
    X,
    Y,
    layer_dims,
    learning_rate=0.0075,
    num_iterations=2500,
    hidden_activation="relu",
    init="scaled",
    seed=1,
    callback=None,
    callback_every=100,
    parameters=None,
    history=None,
):
    r"""Train an L-layer network by gradient descent (the course's ``L_layer_model``).

    X: (n[0], m); Y: (1, m) labels 0 / 1; layer_dims: [n[0], …, n[L]] with n[L] = 1.
    Each iteration: forward propagation, cost, backward propagation, parameter update.

    init, seed: how to start (see :func:`initialize_parameters`); or pass ``parameters`` to continue
    training from them (``layer_dims`` may then be None), and the ``history`` of that training to
    carry it on as one run (see :func:`nndl.training.gradient_descent`).
    callback: optional ``callback(iteration, cost)``, called every ``callback_every`` iterations;
    return ``training.STOP`` from it to stop early.

    Returns (parameters, history): the trained parameters and a ``training.History`` (the cost of
    every iteration; ``history.diverged`` and ``history.message`` if the cost diverged, which
    means the learning rate is too large).
    """
    if parameters is None:
        parameters = initialize_parameters(layer_dims, init, seed)
    dims = check_parameters(parameters, layer_dims)
    if dims[-1] != 1:
        raise ValueError(
            f"n[L] = {dims[-1]}, but binary classification needs one output unit: n[L] = 1 "
            f"(Y is (1, m))"
        )
    check_shape("X", X, (dims[0], None), ("n[0]", "m"), "layer 1")
    check_shape("Y", Y, (1, X.shape[1]), ("1", "m"), f"X of shape {X.shape}")
    get_activation(hidden_activation)

    def step(i):
        nonlocal parameters
        AL, caches = model_forward(X, parameters, hidden_activation)
        cost = compute_cost(AL, Y)
        grads = model_backward(AL, Y, caches, hidden_activation)
        parameters = update_parameters(parameters, grads, learning_rate)
        return cost

    history = gradient_descent(
        step, num_iterations, learning_rate, callback, callback_every, history
    )
    return parameters, history
