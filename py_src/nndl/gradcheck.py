r"""Gradient checking: compare backpropagation with finite differences.

Backpropagation is easy to get subtly wrong; the definition of the derivative is not. For one
parameter θ and a small ε, the **two-sided difference**

.. math:: \frac{\partial J}{\partial \theta} \approx
          \frac{J(\theta + \varepsilon) - J(\theta - \varepsilon)}{2\varepsilon}

has an error of order ε², so with ε = 1e-7 it agrees with a correct gradient to about 1e-9.
Comparing whole gradients, the course uses the **relative difference**

.. math:: \text{difference} = \frac{\lVert \text{grad} - \text{gradapprox} \rVert_2}
          {\lVert \text{grad} \rVert_2 + \lVert \text{gradapprox} \rVert_2}

which is tiny (below about 1e-7) when backpropagation is right and large when it is wrong.

Three levels of use:

- :func:`numerical_gradient` ``(f, x)``: the finite-difference gradient of ``f`` at one array ``x``.
- :func:`check_gradients` ``(f, params, grads)``: a model's cost against its gradient dictionary,
  e.g. ``{"W1": …, "b1": …}`` against ``{"dW1": …, "db1": …}`` (the course's gradient check).
- :func:`check_backward` ``(forward, backward, *inputs)``: one forward/backward pair, such as an
  activation and its backward, or a linear block.

The last two return a :class:`GradientCheck`. Everything is computed in float64, on copies: the
caller's arrays are never modified. Derivatives do not exist at a kink (ReLU at 0): check at
points away from it.
"""

from dataclasses import dataclass, field
from numbers import Real

import numpy as np

from .shapes import check_shape

__all__ = [
    "TOLERANCE",
    "GradientCheck",
    "numerical_gradient",
    "relative_error",
    "check_gradients",
    "check_backward",
]

TOLERANCE = 2e-7
"""A relative difference below this (the course's threshold) means the gradient is right."""


def _as_number(value, who):
    """The single number in ``value`` (a float, a 0-d array or a (1, 1) array) as a Python float."""
    value = np.asarray(value, dtype=float)
    if value.size != 1:
        raise ValueError(
            f"{who} must return a single number (a cost), but it returned shape {value.shape}"
        )
    return value.item()


def _is_numeric(x):
    """Numbers and numeric arrays are copied to float64; anything else (a name) is passed as is."""
    if isinstance(x, np.ndarray):
        return x.dtype.kind in "iuf"
    return isinstance(x, Real) and not isinstance(x, bool)


def numerical_gradient(f, x, eps=1e-7):
    r"""Finite-difference gradient of the number ``f(x)`` with respect to every entry of ``x``.

    For each entry, :math:`\frac{f(x + \varepsilon e_i) - f(x - \varepsilon e_i)}{2 \varepsilon}`.
    The entry is changed **in place** and restored exactly afterwards, so ``f`` may read ``x``
    through its argument or through a variable it shares with the caller (a parameter dict).

    f:   ``f(x) -> J``, a number (or an array holding one number).
    x:   float64 ndarray of any shape (0-d included), writable.
    eps: the step ε.
    Returns an array of the shape of ``x``: the approximation of dJ/dx.
    """
    if not isinstance(x, np.ndarray) or x.dtype != np.float64:
        raise TypeError(
            "numerical_gradient changes x in place, so x must be a float64 NumPy array, "
            f"not {getattr(x, 'dtype', type(x).__name__)}; "
            "convert it first: x = np.array(x, dtype=float)"
        )
    gradapprox = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        original = x[i]
        # θ + ε and θ − ε are rounded to floats; dividing by their actual distance instead of 2ε
        # keeps the estimate accurate for large θ too (around θ = 255, 2ε is off by up to 3e-7).
        theta_plus, theta_minus = original + eps, original - eps
        try:
            x[i] = theta_plus
            J_plus = _as_number(f(x), "f")
            x[i] = theta_minus
            J_minus = _as_number(f(x), "f")
        finally:
            x[i] = original
        gradapprox[i] = (J_plus - J_minus) / (theta_plus - theta_minus)
    return gradapprox


def relative_error(a, b):
    r"""Relative difference :math:`\lVert a - b \rVert_2 / (\lVert a \rVert_2 + \lVert b \rVert_2)`.

    a, b: arrays of the same shape (or numbers). 0.0 when both are zero; at most 1 otherwise.
    """
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    if a.shape != b.shape:
        raise ValueError(f"cannot compare gradients of shapes {a.shape} and {b.shape}")
    denominator = np.linalg.norm(a) + np.linalg.norm(b)
    if denominator == 0:
        return 0.0
    return float(np.linalg.norm(a - b) / denominator)


@dataclass(frozen=True, eq=False)
class GradientCheck:
    """The outcome of a gradient check.

    difference: relative difference over all the checked entries together (one long vector, as
                the course does by unrolling every parameter).
    per_key:    the same measure for each parameter (or input) alone, to find the wrong one. A
                gradient that is exactly 0 scores 1 there as soon as finite differences give
                any tiny non-zero noise; ``difference`` is not affected.
    numerical:  the finite-difference gradients (gradapprox), by parameter.
    analytic:   the gradients under test (grad), by parameter, as float64 copies.
    """

    difference: float
    per_key: dict = field(default_factory=dict)
    numerical: dict = field(default_factory=dict)
    analytic: dict = field(default_factory=dict)

    @property
    def passed(self):
        """True when ``difference`` is below :data:`TOLERANCE`."""
        return self.difference < TOLERANCE

    def __float__(self):
        return float(self.difference)

    def __str__(self):
        details = ", ".join(f"{key}: {value:.2e}" for key, value in self.per_key.items())
        if self.passed:
            return (
                f"Backpropagation agrees with finite differences: "
                f"difference = {self.difference:.2e} ({details})"
            )
        return (
            f"There is a mistake in backward propagation: difference = {self.difference:.2e} "
            f"(above {TOLERANCE:g}); by parameter: {details}"
        )


def _summarise(numerical, analytic):
    """One relative difference over all the gradients unrolled into one vector, and one per key."""
    keys = list(numerical)
    if not keys:
        raise ValueError("there is no gradient to check")
    per_key = {key: relative_error(analytic[key], numerical[key]) for key in keys}
    grad = np.concatenate([analytic[key].ravel() for key in keys])
    gradapprox = np.concatenate([numerical[key].ravel() for key in keys])
    difference = relative_error(grad, gradapprox)
    return GradientCheck(difference, per_key, numerical, analytic)


def _gradient_key(name, grads):
    """The course names the gradient of W1 "dW1"; a dict keyed like ``params`` is accepted too."""
    for key in ("d" + name, name):
        if key in grads:
            return key
    raise ValueError(
        f"grads has no 'd{name}': every parameter needs its gradient (got keys {sorted(grads)})"
    )


def check_gradients(f, params, grads, eps=1e-7):
    """Gradient check of a whole model: ``f(params)`` against the gradients ``grads``.

    f:      ``f(params) -> J``, the cost as a function of a parameter dict (it should run the
            forward propagation and the cost, nothing random).
    params: ``{"W1": W1, "b1": b1, …}`` (or ``{"w": w, "b": b}``); numbers are allowed.
    grads:  the gradients under test, ``{"dW1": dW1, "db1": db1, …}``, each of its parameter's
            shape (keys without the "d" are accepted too). Extra keys such as "dA1" are ignored.
    eps:    the finite-difference step ε.

    ``f`` is called with a private copy of ``params`` in which every value is a float64 array
    (a number becomes a 0-d array). Returns a :class:`GradientCheck`; ``result.difference`` is
    the course's ``difference``.

    Example (logistic regression)::

        grads, cost = propagate(w, b, X, Y)
        def cost(p):
            return propagate(p["w"], p["b"], X, Y)[1]

        result = check_gradients(cost, {"w": w, "b": b}, grads)
        result.passed   # True
    """
    point = {name: np.array(value, dtype=np.float64) for name, value in params.items()}
    numerical, analytic = {}, {}
    for name, theta in point.items():
        key = _gradient_key(name, grads)
        grad = np.array(grads[key], dtype=np.float64)
        symbols = tuple(str(size) for size in theta.shape)
        check_shape(key, grad, theta.shape, symbols, f"the gradient of {name}")
        analytic[name] = grad
        numerical[name] = numerical_gradient(lambda _: f(point), theta, eps)
    return _summarise(numerical, analytic)


def check_backward(forward, backward, *inputs, eps=1e-7, seed=0):
    r"""Gradient check of one forward/backward pair.

    forward:  ``forward(*inputs) -> out``, one array (or number).
    backward: ``backward(d_out, *inputs) -> d_inputs``: given dJ/dout, the gradient with respect
              to each input, in order: one array for one input, a tuple for several.
              Use ``None`` for an input that has no gradient; non-numeric inputs (an activation
              name, say) must get ``None``.
    inputs:   the point at which to check (arrays or numbers; copied, never modified).
    seed:     seed of the random upstream gradient ``d_out``.

    The check builds the scalar :math:`J = \sum \text{d\_out} \ast \text{forward}(\text{inputs})`
    with a random ``d_out``: its gradient with respect to each input is exactly what
    ``backward(d_out, *inputs)`` must return, and it can be approximated by finite differences.
    Returns a :class:`GradientCheck` whose keys are the inputs' positions 0, 1, …

    Examples::

        check_backward(relu, relu_backward, Z)  # with every entry of Z away from 0
        check_backward(lambda A_prev, W, b: linear_forward(A_prev, W, b)[0],
                       lambda dZ, A_prev, W, b: linear_backward(dZ, (A_prev, W, b)),
                       A_prev, W, b)
    """

    def copies():
        return [np.array(x, dtype=np.float64) if _is_numeric(x) else x for x in inputs]

    point = copies()
    out = forward(*point)
    if isinstance(out, tuple):
        raise TypeError(
            "forward must return one array; for a function returning (A, cache) pass "
            "lambda *inputs: f(*inputs)[0]"
        )
    d_out = np.random.default_rng(seed).standard_normal(np.shape(out))

    def J(_):
        return np.sum(d_out * forward(*point))

    d_inputs = backward(d_out, *copies())
    if not isinstance(d_inputs, tuple):
        d_inputs = (d_inputs,)
    if len(d_inputs) != len(inputs):
        raise ValueError(f"backward returned {len(d_inputs)} gradients for {len(inputs)} inputs")
    numerical, analytic = {}, {}
    for position, (x, d_x) in enumerate(zip(point, d_inputs)):
        if d_x is None:
            continue
        if not isinstance(x, np.ndarray):
            raise TypeError(
                f"input {position} is not a number or an array, so backward must return None for it"
            )
        d_x = np.array(d_x, dtype=np.float64)
        symbols = tuple(str(size) for size in x.shape)
        check_shape(f"the gradient of input {position}", d_x, x.shape, symbols, "that input")
        analytic[position] = d_x
        numerical[position] = numerical_gradient(J, x, eps)
    return _summarise(numerical, analytic)
