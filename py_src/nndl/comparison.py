r"""Comparing a reader's value with the expected one, explained in the course's notation.

:func:`compare` walks both values together (dictionaries, tuples, arrays, numbers) and raises
:class:`Mismatch` with a sentence for the reader at the first difference: a wrong type, a wrong
shape (a rank-1 ``(n,)`` array is never accepted for a column ``(n, 1)`` or a row ``(1, m)``),
missing keys, or entries off by more than ``atol + rtol·|expected|``. :mod:`nndl.exercises`
builds its checks on it.
"""

import math
from collections.abc import Mapping
from numbers import Number

import numpy as np

__all__ = [
    "Mismatch",
    "Settings",
    "compare",
    "leaf_names",
    "and_list",
    "tolerance_text",
    "kind",
    "number_repr",
    "is_number",
]


class Mismatch(Exception):
    """Raised inside the comparison with the reader-facing explanation of the first problem."""


# ---- Formatting, in the course's notation ----


def _shape_text(shape, symbols=None):
    """'(3, 1)', or with symbols '(n_x, 1) = (3, 1)'."""
    shown = str(tuple(shape))
    if symbols is None or len(symbols) != len(shape):
        return shown
    symbolic = "(" + ", ".join(str(s) for s in symbols) + ")"
    return shown if symbolic == shown else f"{symbolic} = {shown}"


def _index_text(name, index):
    return f"{name}[{', '.join(str(i) for i in index)}]"


def _number_pair(a, b):
    """Format two different floats with just enough digits for them to look different."""
    for digits in (4, 6, 8, 10, 12, 17):
        sa, sb = f"{a:.{digits}g}", f"{b:.{digits}g}"
        if sa != sb:
            return sa, sb
    return repr(a), repr(b)


def number_repr(x):
    """repr of a number without NumPy's type around it: 0.5, not np.float64(0.5)."""
    return repr(x.item() if isinstance(x, np.generic) else x)


def _short(x):
    return f"{x:.2g}"


def tolerance_text(rtol):
    """1e-07 → '1e-7'; other tolerances as they are."""
    if rtol > 0:
        exponent = round(math.log10(rtol))
        if math.isclose(rtol, 10.0**exponent, rel_tol=1e-9):
            return f"1e{exponent}"
    return f"{rtol:g}"


def kind(value):
    """A few words for the type of ``value``: 'a list', 'a NumPy array of shape (3,)', …"""
    if isinstance(value, bool) or isinstance(value, np.bool_):
        return f"the truth value {bool(value)}"
    if isinstance(value, np.ndarray):
        return f"a NumPy array of shape {value.shape}"
    if isinstance(value, (int, float, np.integer, np.floating)):
        return f"the number {number_repr(value)}"
    if isinstance(value, Mapping):
        return "a dictionary"
    if isinstance(value, tuple):
        return f"a tuple of {len(value)} values"
    if isinstance(value, list):
        return f"a list of {len(value)} values"
    if callable(value):
        return "a function"
    return f"a {type(value).__name__}"


def and_list(names):
    names = list(names)
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _keys_text(keys):
    return and_list(repr(k) for k in keys)


def _child_name(parent, key):
    if isinstance(key, str) and key.isidentifier():
        return key
    return f"{parent}[{key!r}]"


# ---- Comparison ----


class Settings:
    """How to compare: tolerances, the course's symbols for shapes (by name), and what the
    messages call the expected value."""

    def __init__(self, rtol, atol, shapes, against):
        self.rtol = rtol
        self.atol = atol
        self.shapes = shapes or {}
        self.against = against


def is_number(value):
    return isinstance(value, (Number, np.number)) and not isinstance(value, (bool, np.bool_))


def leaf_names(name, expected, names=None):
    """The names the success message lists: dict keys and tuple entries, recursively."""
    if isinstance(expected, Mapping):
        return [n for key, v in expected.items() for n in leaf_names(_child_name(name, key), v)]
    if isinstance(expected, tuple):
        names = names or [f"{name}[{i}]" for i in range(len(expected))]
        return [n for child, v in zip(names, expected) for n in leaf_names(child, v)]
    return [name]


def compare(name, got, expected, settings, names=None):
    """Raise :class:`Mismatch` with an explanation if ``got`` differs from ``expected``."""
    if got is None and expected is not None:
        raise Mismatch(
            f"{name} is None. Replace the placeholder None with your computation (and check that "
            f"every function involved ends with a return)."
        )
    if isinstance(expected, Mapping):
        _compare_dict(name, got, expected, settings)
    elif isinstance(expected, tuple):
        _compare_tuple(name, got, expected, settings, names)
    elif isinstance(expected, np.ndarray) and expected.ndim > 0:
        _compare_array(name, got, expected, settings)
    elif isinstance(expected, (bool, np.bool_)):
        if not isinstance(got, (bool, np.bool_)) or bool(got) != bool(expected):
            raise Mismatch(f"{name} is {kind(got)} but should be {bool(expected)}.")
    elif is_number(expected) or isinstance(expected, np.ndarray):
        _compare_number(name, got, expected, settings)
    elif expected is None:
        if got is not None:
            raise Mismatch(f"{name} should be None, but it is {kind(got)}.")
    elif got != expected:
        raise Mismatch(f"{name} is {got!r} but should be {expected!r}.")


def _compare_dict(name, got, expected, settings):
    keys = list(expected)
    if not isinstance(got, Mapping):
        raise Mismatch(
            f"{name} should be a dictionary with the keys {_keys_text(keys)}, "
            f"but it is {kind(got)}."
        )
    missing = [k for k in keys if k not in got]
    extra = [k for k in got if k not in expected]
    if missing or extra:
        problems = []
        for key in missing:
            twin = next((e for e in extra if str(e).lower() == str(key).lower()), None)
            if twin is not None:
                problems.append(
                    f"{name} has the key {twin!r} where {key!r} is expected "
                    f"(keys are case-sensitive)"
                )
                extra.remove(twin)
            else:
                have = f" (it has {_keys_text(got)})" if got else " (it is empty)"
                problems.append(f"{name} has no key {key!r}{have}")
        if extra:
            word = "key" if len(extra) == 1 else "keys"
            problems.append(f"{name} has the extra {word} {_keys_text(extra)}")
        raise Mismatch(
            "; ".join(problems) + f". The engine's {name} has exactly {_keys_text(keys)}."
        )
    for key in keys:
        compare(_child_name(name, key), got[key], expected[key], settings)


def _compare_tuple(name, got, expected, settings, names):
    n = len(expected)
    names = list(names) if names else [f"{name}[{i}]" for i in range(n)]
    listing = "(" + ", ".join(names) + ")"
    if not isinstance(got, (tuple, list)):
        raise Mismatch(f"{name} should be {n} values, {listing}, but it is {kind(got)}.")
    if len(got) != n:
        raise Mismatch(f"{name} should be {n} values, {listing}, but it has {len(got)}.")
    for child, g, e in zip(names, got, expected):
        compare(child, g, e, settings)


def _as_numeric_array(name, got, expected_text):
    """``got`` as an ndarray of numbers, or a Mismatch explaining why it is not one."""
    if isinstance(got, (list, tuple)):
        raise Mismatch(
            f"{name} is {kind(got)} but should be a NumPy array of shape {expected_text}; "
            f"np.array(...) turns a list into an array."
        )
    if is_number(got):
        raise Mismatch(
            f"{name} is a single number ({number_repr(got)}) but should be a NumPy array of shape "
            f"{expected_text}."
        )
    if not isinstance(got, np.ndarray):
        raise Mismatch(
            f"{name} should be a NumPy array of shape {expected_text}, but it is {kind(got)}."
        )
    if got.dtype.kind not in "biuf":
        what = "complex numbers" if got.dtype.kind == "c" else f"values of type {got.dtype}"
        hint = " (a None inside?)" if got.dtype == object else ""
        raise Mismatch(f"{name} holds {what}{hint}; it should hold real numbers.")
    return got


def _shape_problem(name, got_shape, expected_shape, expected_text):
    message = f"{name} has shape {got_shape} but should be {expected_text}."
    size = math.prod(expected_shape)
    rank_1 = len(got_shape) == 1 and got_shape[0] == size
    if rank_1 and len(expected_shape) == 2 and 1 in expected_shape:
        fix = f"{name}.reshape{tuple(expected_shape)}"
        message += (
            f" {name} is a rank-1 array: shape {got_shape} is neither a column nor a row, and "
            f"NumPy broadcasts it in surprising ways. Give it the 2-D shape, e.g. {fix}, or keep "
            f"2-D shapes all the way (np.sum(..., axis=1, keepdims=True), X @ dZ.T, …)."
        )
    elif tuple(got_shape) == tuple(expected_shape)[::-1]:
        message += " Rows and columns are swapped: a transpose (.T) too many or too few?"
    elif (
        len(got_shape) == 2
        and len(expected_shape) == 2
        and got_shape[0] == got_shape[1]
        and 1 in expected_shape
        and got_shape[0] == size
    ):
        message += (
            f" A ({size}, {size}) matrix where a row or a column is expected is what broadcasting "
            f"makes of a rank-1 ({size},) array combined with a ({size}, 1) column or a "
            f"(1, {size}) row: look for an array of shape ({size},) in your computation."
        )
    elif math.prod(got_shape) == size:
        message += f" It has the right number of entries, {size}, in the wrong arrangement."
    return message


def _compare_array(name, got, expected, settings):
    symbols = settings.shapes.get(name)
    expected_text = _shape_text(expected.shape, symbols)
    got = _as_numeric_array(name, got, expected_text)
    if got.shape != expected.shape:
        raise Mismatch(_shape_problem(name, got.shape, expected.shape, expected_text))
    _compare_entries(name, got.astype(float), expected.astype(float), settings)


def _compare_number(name, got, expected, settings):
    expected = float(np.asarray(expected))
    if isinstance(got, np.ndarray) and got.ndim > 0:
        if got.size == 1:
            raise Mismatch(
                f"{name} should be a single number, but it is an array of shape {got.shape}. "
                f"np.sum(...) without axis= returns a number; float(x) turns a one-entry array "
                f"into one."
            )
        raise Mismatch(
            f"{name} should be a single number, but it is an array of shape {got.shape}: "
            f"a sum (or a mean) over the examples missing?"
        )
    if isinstance(got, np.ndarray):  # 0-d
        got = got[()]
    if not is_number(got):
        raise Mismatch(f"{name} should be a number, but it is {kind(got)}.")
    if isinstance(got, (complex, np.complexfloating)):
        raise Mismatch(f"{name} is the complex number {got!r}; it should be a real number.")
    got = float(got)
    if math.isnan(got) or math.isinf(got):
        raise Mismatch(
            f"{name} is {got} but should be {expected:.6g}: somewhere a log(0), a division by 0 "
            f"or an overflow happened."
        )
    if abs(got - expected) > settings.atol + settings.rtol * abs(expected):
        yours, theirs = _number_pair(got, expected)
        message = f"{name} is {yours} but should be {theirs} ({_offset_text(got, expected)})."
        hint = _ratio_hint(np.array([got]), np.array([expected]))
        raise Mismatch(message + hint)


def _offset_text(got, expected):
    text = f"off by {_short(abs(got - expected))}"
    if expected != 0:
        text += f", relative error {_short(abs(got - expected) / abs(expected))}"
    return text


def _ratio_hint(got, expected):
    """A hint when every entry is off in the same simple way: all zeros, a sign, a factor."""
    if not np.any(got):
        if got.size == 1:
            return " Is a placeholder 0 still there?"
        return " Yours is all zeros: is a placeholder still there?"
    nonzero = expected != 0
    if not np.all(nonzero == (got != 0)) or not np.any(nonzero):
        return ""
    ratio = got[nonzero] / expected[nonzero]
    r = float(ratio[0])
    if not np.allclose(ratio, r, rtol=1e-9, atol=0):
        return ""
    if math.isclose(r, -1.0, rel_tol=1e-9):
        return " It has the opposite sign: check the minus signs."
    if got.size == 1:
        return ""
    return f" Every entry is {r:.6g} times the expected one: a factor missing or extra (1/m?)."


def _compare_entries(name, got, expected, settings):
    bad_number = ~np.isfinite(got) & np.isfinite(expected)
    if np.any(bad_number):
        index = tuple(int(i) for i in np.argwhere(bad_number)[0])
        value = got[index]
        what = "NaN (not a number)" if np.isnan(value) else str(value)
        raise Mismatch(
            f"{_index_text(name, index)} is {what} but should be {expected[index]:.6g} "
            f"({int(bad_number.sum())} entries are not finite numbers): somewhere a log(0), "
            f"a division by 0 or an overflow happened."
        )
    allowed = settings.atol + settings.rtol * np.abs(expected)
    off = np.abs(got - expected)
    wrong = off > allowed
    if not np.any(wrong):
        return
    worst = np.unravel_index(int(np.argmax(np.where(wrong, off - allowed, -np.inf))), got.shape)
    worst = tuple(int(i) for i in worst)
    yours, theirs = _number_pair(float(got[worst]), float(expected[worst]))
    count = int(wrong.sum())
    verb = "differs" if count == 1 else "differ"
    offset = _offset_text(float(got[worst]), float(expected[worst]))
    message = (
        f"{name} has the right shape {got.shape}, but {count} of its {got.size} entries {verb} "
        f"from {settings.against}. The largest difference is at {_index_text(name, worst)}: "
        f"yours is {yours}, it should be {theirs} ({offset})."
    )
    raise Mismatch(message + _ratio_hint(got, expected))
