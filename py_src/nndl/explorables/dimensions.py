r"""The shapes of W[l], b[l], Z[l], A[l], dW[l], db[l] for any layer sizes, checked on real arrays.

The table comes from the course's rules, as :func:`nndl.deep.layer_shapes` applies them::

    W[l], dW[l]: (n[l], n[l-1])      b[l], db[l]: (n[l], 1)      Z[l], A[l]: (n[l], m)

and each row is then checked against the arrays the engine actually makes: the parameters of
:func:`nndl.deep.initialize_parameters`, and a forward and a backward pass on a random X of shape
(n[0], m). A ✓ means that every array of that layer has the shape the table says.
"""

import math
import re
from html import escape

import numpy as np

from .. import deep
from ._base import Number, Text, View, explorable

__all__ = ["parse_layer_sizes", "dimension_calculator", "MAX_LAYERS", "MAX_ARRAY", "MAX_PRODUCTS"]

MAX_LAYERS = 20
"""The most layers L the calculator shows."""
MAX_ARRAY = 1_000_000
"""The most numbers in any one array (8 MB): larger ones are slow to make and check in a browser."""
MAX_PRODUCTS = 10_000_000
"""The most multiplications in the matrix products W[l] A[l-1] of one forward pass; the check
runs a forward and a backward pass (about three times as many) at every change of the form."""

_QUANTITIES = ("W", "b", "Z", "A", "dW", "db")
_EXAMPLE = "2, 3, 5, 4, 2, 1"


def _count(n):
    return f"{n:,}".replace(",", " ")


def parse_layer_sizes(text):
    """Layer sizes [n[0], …, n[L]] from text such as "2, 3, 5, 4, 2, 1", "[2, 3, 1]" or "2 3 1".

    Raises ValueError with a message for the reader when the text is not such a list, when a size
    is not a positive whole number, when n[L] is not 1 (the course's networks are binary
    classifiers: Y is (1, m)) or when there are more than :data:`MAX_LAYERS` layers.
    """
    body = re.sub(r"^\s*(n|layer_dims)\s*=\s*", "", str(text)).strip()
    body = body.strip("[]() ")
    if not body:
        raise ValueError(f"Enter the layer sizes n[0], n[1], …, n[L], for example {_EXAMPLE}.")
    tokens = [t for t in re.split(r"[\s,;]+", body) if t]
    dims = []
    for l, token in enumerate(tokens):
        try:
            value = float(token.replace("−", "-"))
        except ValueError:
            raise ValueError(
                f"{token!r} is not a number. Write the sizes as whole numbers separated by "
                f"commas, for example {_EXAMPLE}."
            ) from None
        if not math.isfinite(value) or not value.is_integer():
            raise ValueError(
                f"n[{l}] = {token} is not a whole number: a layer has a whole number of units."
            )
        if value < 1:
            raise ValueError(
                f"n[{l}] = {int(value)}, but every layer needs at least one unit: n[{l}] ≥ 1."
            )
        dims.append(int(value))
    if len(dims) < 2:
        raise ValueError(
            f"Only one size, n[0] = {dims[0]}: give at least two, the number of inputs n[0] and "
            f"the output layer's n[L], for example 2, 1 (logistic regression) or {_EXAMPLE}."
        )
    L = len(dims) - 1
    if L > MAX_LAYERS:
        raise ValueError(
            f"That is L = {L} layers; this calculator shows at most {MAX_LAYERS}."
        )
    if dims[-1] != 1:
        raise ValueError(
            f"n[L] = n[{L}] = {dims[-1]}, but n[L] must be 1 for binary classification: one "
            f"output unit, so that A[L] = Ŷ has the shape (1, m) of Y."
        )
    return dims


def _check_size(dims, m):
    """Refuse sizes whose arrays, or whose products, are too large for a browser tab."""
    arrays = [("X = A[0]", dims[0], m)]
    for l in range(1, len(dims)):
        arrays += [(f"W[{l}]", dims[l], dims[l - 1]), (f"Z[{l}]", dims[l], m)]
    name, rows, cols = max(arrays, key=lambda a: a[1] * a[2])
    if rows * cols > MAX_ARRAY:
        raise ValueError(
            f"{name} would be ({rows}, {cols}): {_count(rows * cols)} numbers, too many for a "
            f"browser (at most {_count(MAX_ARRAY)} in one array here). Choose smaller layers"
            + ("." if name.startswith("W") else " or a smaller m.")
        )
    products = sum(dims[l] * dims[l - 1] * m for l in range(1, len(dims)))
    if products > MAX_PRODUCTS:
        raise ValueError(
            f"A forward pass would need {_count(products)} multiplications, too many to check "
            f"at every change in a browser (at most {_count(MAX_PRODUCTS)} here). Choose a "
            f"smaller m or smaller layers."
        )


def _engine_shapes(dims, m, seed=0):
    """The shapes of the arrays the engine makes: parameters, then forward and backward on a
    random X of shape (n[0], m). Returns ({l: {quantity: shape}}, shape of X)."""
    rng = np.random.default_rng(seed)
    parameters = deep.initialize_parameters(dims, seed=rng)
    X = rng.standard_normal((dims[0], m))
    Y = (rng.random((1, m)) > 0.5).astype(float)
    AL, caches = deep.model_forward(X, parameters)
    grads = deep.model_backward(AL, Y, caches)
    L = len(dims) - 1
    shapes = {}
    for l in range(1, L + 1):
        (_, W, b), Z = caches[l - 1]
        A = caches[l][0][0] if l < L else AL  # A[l] is what layer l + 1 received
        shapes[l] = {
            "W": W.shape,
            "b": b.shape,
            "Z": Z.shape,
            "A": A.shape,
            "dW": grads[f"dW{l}"].shape,
            "db": grads[f"db{l}"].shape,
        }
    return shapes, caches[0][0][0].shape


@explorable(
    "dimension-calculator",
    "The shapes of every array, layer by layer",
    controls=[
        Text(
            "layer_sizes",
            "layer sizes n[0], …, n[L]",
            _EXAMPLE,
            hint="whole numbers separated by commas; n[L] = 1",
            max_length=200,
        ),
        Number("m", "examples m", 10, 1, 10000),
    ],
)
def dimension_calculator(layer_sizes=_EXAMPLE, m=10):
    """The course's shapes for every layer, each row checked against the engine's arrays."""
    dims = parse_layer_sizes(layer_sizes)
    if isinstance(m, bool) or not isinstance(m, (int, float, np.number)) or not (
        float(m).is_integer() and 1 <= m <= 10000
    ):
        raise ValueError(f"m is a number of examples: a whole number from 1 to 10000, not {m!r}.")
    m = int(m)
    _check_size(dims, m)
    L = len(dims) - 1

    table = deep.layer_shapes(dims, m)
    actual, x_shape = _engine_shapes(dims, m)
    rows = []
    for l in range(1, L + 1):
        wrong = [q for q in _QUANTITIES if tuple(actual[l][q]) != tuple(table[l][q])]
        rows.append(
            {"l": l, "n": dims[l], **{q: table[l][q] for q in _QUANTITIES},
             "agrees": not wrong, "wrong": {q: actual[l][q] for q in wrong}}
        )
    x_agrees = tuple(x_shape) == (dims[0], m)
    x_wrong = {} if x_agrees else {"X": x_shape}
    all_agree = x_agrees and all(row["agrees"] for row in rows)

    weights = ", ".join(f"W[{row['l']}] {row['W']}" for row in rows)
    checked = 1 + len(_QUANTITIES) * L
    summary = (
        f"n = {dims}: L = {L} layers, m = {m} examples. {weights}; each b[l] is (n[l], 1), each "
        f"Z[l] and A[l] is (n[l], {m}). "
        + (
            f"All {checked} shapes match the arrays the engine made (✓)."
            if all_agree
            else "Some arrays the engine made do not have the shape of the table (✗)."
        )
    )
    html = _render(dims, m, rows, x_wrong)
    data = {
        "layer_dims": dims,
        "m": m,
        "L": L,
        "X": (dims[0], m),
        "rows": rows,
        "all_agree": all_agree,
    }
    return View(html, summary, data)


def _shape(shape):
    """(3, 2), with a no-break space so that a narrow column does not split it."""
    return "<code>(" + ",\u00a0".join(str(s) for s in shape) + ")</code>"


def _mark(agrees, wrong=None):
    if agrees:
        return '<td title="the engine\'s arrays have these shapes">✓</td>'
    details = ", ".join(f"{q} {tuple(s)}" for q, s in (wrong or {}).items())
    return f"<td>✗ the engine made {escape(details)}</td>"


def _render(dims, m, rows, x_wrong):
    """An HTML table: one row per layer, with the shapes and the check of the engine's arrays."""
    head = "".join(
        f'<th scope="col">{escape(h)}</th>'
        for h in ("l", "n[l]", "W[l]", "b[l]", "Z[l]", "A[l]", "dW[l]", "db[l]", "arrays")
    )
    body = [
        f'<tr><th scope="row">0</th><td>{dims[0]}</td>'
        + "<td>—</td>" * 3
        + f"<td>{_shape((dims[0], m))}\u00a0=\u00a0X</td>"
        + "<td>—</td>" * 2
        + _mark(not x_wrong, x_wrong)
        + "</tr>"
    ]
    for row in rows:
        cells = "".join(f"<td>{_shape(row[q])}</td>" for q in _QUANTITIES)
        body.append(
            f'<tr><th scope="row">{row["l"]}</th><td>{row["n"]}</td>{cells}'
            f'{_mark(row["agrees"], row["wrong"])}</tr>'
        )
    caption = (
        f"n = {dims}, L = {len(dims) - 1}, m = {m}. W[l] and dW[l] are (n[l], n[l−1]); b[l] and "
        f"db[l] are (n[l], 1); Z[l] and A[l] are (n[l], m). ✓: the arrays the engine made "
        f"(parameters, a forward and a backward pass on a random X) have exactly these shapes."
    )
    return (
        '<div class="nndl-dimensions"><table>'
        f"<caption>{escape(caption)}</caption>"
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>"
    )
