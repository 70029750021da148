"""Shape checks that explain themselves in the course's notation.

A wrong shape is the most common bug in this course. Rather than let NumPy broadcast silently or
fail deep inside a matrix product, the engine checks its inputs and raises a :class:`ValueError`
that names the variable, the shape it has and the shape the course expects, for example::

    W2 has shape (1, 5) but layer 2 needs (n[2], n[1]) = (1, 4)

Rank-1 arrays of shape ``(n,)`` get their own explanation, because they look like vectors but are
neither rows nor columns.
"""

import numpy as np

__all__ = ["check_shape", "as_matrix"]


def _format_expected(expected, symbols):
    """'(n[2], n[1]) = (1, 4)', or with free sizes '(n[0], m) = (3, m)'."""
    concrete = tuple(sym if size is None else size for size, sym in zip(expected, symbols))
    symbolic = "(" + ", ".join(symbols) + ")"
    shown = "(" + ", ".join(str(c) for c in concrete) + ")"
    return symbolic if symbolic == shown else f"{symbolic} = {shown}"


def _fits(shape, expected):
    return all(e is None or e == s for e, s in zip(expected, shape))


def _rank_1_advice(name, n, expected):
    """Explain a rank-1 array where a column (n, 1) or a row (1, m) is meant, with a fix that fits."""
    advice = (
        f"{name} is a rank-1 array: shape ({n},) is neither a column nor a row, and NumPy "
        f"broadcasts it in surprising ways. Give it an explicit 2-D shape"
    )
    for target in ((n, 1), (1, n)):
        if _fits(target, expected):
            return f"{advice}, e.g. {name}.reshape{target}"
    return f"{advice}; its {n} entries do not fit either way, so check where it was computed"


def check_shape(name, array, expected, symbols, where):
    """Raise ``ValueError`` unless ``array.shape`` matches ``expected``.

    name:     the variable as the course writes it, e.g. "W2".
    array:    a NumPy array (anything without a ``shape`` is reported as such).
    expected: tuple of sizes; ``None`` accepts any size in that place (e.g. the number of examples m).
    symbols:  the same places in course notation, e.g. ("n[2]", "n[1]").
    where:    who needs the shape, e.g. "layer 2" or "logistic regression".
    """
    shape = getattr(array, "shape", None)
    if shape is None:
        raise ValueError(
            f"{name} should be a NumPy array of shape {_format_expected(expected, symbols)}, "
            f"but it is a {type(array).__name__}; build it with np.array(...)"
        )
    if len(shape) == len(expected) and _fits(shape, expected):
        return
    wanted = _format_expected(expected, symbols)
    message = f"{name} has shape {shape} but {where} needs {wanted}"
    if len(shape) == 1 and len(expected) == 2 and (1 in expected or None in expected):
        message += f". {_rank_1_advice(name, shape[0], expected)}"
    raise ValueError(message)


def as_matrix(name, array, where):
    """Return ``array`` as a float ndarray, refusing anything that is not 2-D (rank-1 explained)."""
    A = np.asarray(array, dtype=float)
    if A.ndim != 2:
        if A.ndim == 1:
            raise ValueError(
                f"{name} has shape {A.shape} but {where} needs a 2-D array. {name} is a rank-1 "
                f"array: shape ({A.shape[0]},) is neither a column nor a row. Reshape it explicitly, "
                f"e.g. {name}.reshape({A.shape[0]}, 1) for a column or {name}.reshape(1, {A.shape[0]}) "
                f"for a row"
            )
        raise ValueError(f"{name} has shape {A.shape} but {where} needs a 2-D array (rows, columns)")
    return A
