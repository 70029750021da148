r"""Activation functions g(z) and their backward passes.

Each activation comes as a pair, as in the course's building blocks:

- ``g(Z) -> A``, applied element-wise;
- ``g_backward(dA, Z) -> dZ``, the chain rule through the activation: ``dZ = dA * g'(Z)``.

========== ============================== ==========================================
name       g(z)                           g'(z)
========== ============================== ==========================================
sigmoid    1 / (1 + e^(-z))               g(z) (1 - g(z))
tanh       (e^z - e^(-z)) / (e^z + e^(-z)) 1 - g(z)^2
relu       max(0, z)                      0 for z < 0, 1 for z > 0
leaky_relu max(0.01 z, z)                 0.01 for z < 0, 1 for z > 0
========== ============================== ==========================================

At exactly z = 0, ReLU and leaky ReLU have no derivative (the slope jumps). This engine uses the
left-hand slope there: ``relu'(0) = 0`` and ``leaky_relu'(0) = 0.01``. Any value in between would
do for gradient descent, since Z is almost never exactly 0; gradient checks avoid the kink.
"""

import numpy as np

__all__ = [
    "sigmoid",
    "sigmoid_backward",
    "tanh",
    "tanh_backward",
    "relu",
    "relu_backward",
    "leaky_relu",
    "leaky_relu_backward",
    "derivative",
    "ACTIVATIONS",
    "get_activation",
]

LEAKY_SLOPE = 0.01


def sigmoid(Z):
    r"""Sigmoid :math:`\sigma(z) = 1 / (1 + e^{-z})`, element-wise.

    Numerically stable: computed from :math:`e^{-|z|}`, which never overflows, so that
    ``sigmoid(-1e4)`` is 0.0 and ``sigmoid(1e4)`` is 1.0 without a warning.

    Z: any shape (or a Python number) -> A: same shape.
    """
    Z = np.asarray(Z, dtype=float)
    e = np.exp(-np.abs(Z))  # in (0, 1]: no overflow for any z
    A = np.where(Z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
    return A[()]  # a 0-d result comes back as a NumPy scalar


def sigmoid_backward(dA, Z):
    r"""dZ = dA * σ'(Z), with σ'(z) = σ(z)(1 − σ(z)).

    dA, Z: same shape -> dZ: that shape.
    """
    s = sigmoid(Z)
    return dA * s * (1 - s)


def tanh(Z):
    r"""Hyperbolic tangent :math:`(e^z - e^{-z}) / (e^z + e^{-z})`, element-wise (zero-centred)."""
    return np.tanh(Z)


def tanh_backward(dA, Z):
    r"""dZ = dA * (1 − tanh(Z)²)."""
    t = np.tanh(Z)
    return dA * (1 - t**2)


def relu(Z):
    r"""Rectified linear unit :math:`\max(0, z)`, element-wise."""
    return np.maximum(0, Z)


def relu_backward(dA, Z):
    r"""dZ = dA * relu'(Z): 1 where z > 0, 0 where z ≤ 0 (the value 0 is used at the kink z = 0)."""
    return dA * (np.asarray(Z) > 0)


def leaky_relu(Z, slope=LEAKY_SLOPE):
    r"""Leaky ReLU :math:`\max(0.01 z, z)`: like ReLU but with a small slope for z < 0."""
    Z = np.asarray(Z, dtype=float)
    return np.where(Z > 0, Z, slope * Z)[()]


def leaky_relu_backward(dA, Z, slope=LEAKY_SLOPE):
    r"""dZ = dA * leaky_relu'(Z): 1 where z > 0, ``slope`` (0.01) where z ≤ 0 (kink included)."""
    return dA * np.where(np.asarray(Z) > 0, 1.0, slope)


ACTIVATIONS = {
    "sigmoid": (sigmoid, sigmoid_backward),
    "tanh": (tanh, tanh_backward),
    "relu": (relu, relu_backward),
    "leaky_relu": (leaky_relu, leaky_relu_backward),
}


def get_activation(name):
    """The pair ``(g, g_backward)`` for an activation name: "sigmoid", "tanh", "relu" or "leaky_relu"."""
    try:
        return ACTIVATIONS[name]
    except (KeyError, TypeError):
        known = ", ".join(repr(k) for k in ACTIVATIONS)
        raise ValueError(f"unknown activation {name!r}: choose one of {known}") from None


def derivative(name, Z):
    """g'(Z) for the named activation, element-wise (what the backward pass multiplies dA by)."""
    _, g_backward = get_activation(name)
    Z = np.asarray(Z, dtype=float)
    return g_backward(np.ones_like(Z), Z)
