r"""Checking the reader's exercises against the engine, with feedback in the course's notation.

A lesson's exercise cell holds a function for the reader to finish; a check cell then compares it
with the engine's own version and shows what is right or wrong::

    check_function("propagate", propagate_vectorized, nndl.logistic.propagate, w, b, X, Y,
                   returns=("grads", "cost"), shapes={"dw": ("n_x", "1")})

The result is a :class:`Feedback`. It never raises for a mistake of the reader (an exception,
``None``, a wrong type, a wrong shape, wrong values, missing dictionary keys are all *reported*),
so an unfinished exercise does not stop the page; its ``repr`` is the message, so a check cell's
last expression shows it. Examples of messages::

    Not yet: dw has shape (3,) but should be (n_x, 1) = (3, 1). dw is a rank-1 array: …
    Not yet: grads has no key 'db' (it has 'dw'). The engine's grads has exactly 'dw' and 'db'.
    Correct: dw, db and cost match the engine to 1e-7.

- :func:`check_function` calls the reader's function and a reference on the same inputs
  (copies of them, so neither can change the other's) and compares the results.
- :func:`check_value` compares a value the reader computed with the expected one.

Comparison: arrays must have the expected shape (a rank-1 ``(n,)`` array is never accepted for a
column ``(n, 1)`` or a row ``(1, m)``) and every entry must satisfy
``|yours − expected| ≤ atol + rtol·|expected|``; a number must be a number (not a ``(1, 1)``
array); a dictionary must have exactly the expected keys; a tuple the expected length.
Pure Python and NumPy: it runs on CPython and in the browser alike.
"""

import copy
import html
import json
import math
import os
import traceback
from collections.abc import Mapping
from numbers import Number

import numpy as np

__all__ = [
    "DEFAULT_RTOL",
    "DEFAULT_ATOL",
    "VERDICT_MIME",
    "Feedback",
    "check_function",
    "check_value",
]

DEFAULT_RTOL = 1e-7
"""Relative tolerance: how far, relative to the expected value, an entry may be off."""

DEFAULT_ATOL = 1e-12
"""Absolute tolerance, for entries expected to be 0 (where a relative tolerance means nothing)."""

_THIS_FILE = os.path.normcase(os.path.abspath(__file__))


class Feedback:
    """The outcome of a check: ``passed`` (also its truth value) and a ``message`` for the reader.

    Shown as its message, so a check cell ending with ``check_function(...)`` displays it; its
    display bundle also carries the verdict (``VERDICT_MIME``) that the course's pages draw as a
    pass or "not yet" box, and HTML for Jupyter.
    """

    __slots__ = ("passed", "message")

    def __init__(self, passed, message):
        self.passed = bool(passed)
        self.message = message

    def __bool__(self):
        return self.passed

    def __str__(self):
        return self.message

    def __repr__(self):
        return self.message

    @property
    def verdict(self):
        """``"pass"`` or ``"fail"``: what the course's pages show as the verdict's kind."""
        return "pass" if self.passed else "fail"

    def _repr_mimebundle_(self, include=None, exclude=None):
        """HTML and the plain message; and, only when asked for by name (as the course's pages
        ask: ``include`` holding ``VERDICT_MIME``), the verdict's kind and message, which the
        page shows as an element of class ``nndl-verdict`` with ``data-verdict`` pass or fail,
        inline code in backticks drawn as code. Jupyter, which asks for every type it can show,
        does not get it: JupyterLab would rank an unknown type above the HTML."""
        bundle = {"text/html": _verdict_html(self), "text/plain": self.message}
        if include is not None and VERDICT_MIME in include:
            bundle[VERDICT_MIME] = json.dumps({"verdict": self.verdict, "message": self.message})
        return bundle


VERDICT_MIME = "application/vnd.nndl.verdict+json"
"""The MIME type of a check's verdict in a display bundle: JSON ``{"verdict", "message"}``."""


def _verdict_html(feedback):
    """The message as HTML: the label before the first colon in bold, `code` as <code>."""
    parts = feedback.message.split("`")
    body = "".join(
        f"<code>{html.escape(part)}</code>" if i % 2 else html.escape(part)
        for i, part in enumerate(parts)
    )
    colour = "#2e7d32" if feedback.passed else "#c62828"
    return (
        f'<div class="nndl-verdict" data-verdict="{feedback.verdict}" '
        f'style="border-left: 4px solid {colour}; padding: 0.3em 0.8em">{body}</div>'
    )


class _Mismatch(Exception):
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


def _number_repr(x):
    """repr of a number without NumPy's type around it: 0.5, not np.float64(0.5)."""
    return repr(x.item() if isinstance(x, np.generic) else x)


def _short(x):
    return f"{x:.2g}"


def _tolerance_text(rtol):
    """1e-07 → '1e-7'; other tolerances as they are."""
    if rtol > 0:
        exponent = round(math.log10(rtol))
        if math.isclose(rtol, 10.0**exponent, rel_tol=1e-9):
            return f"1e{exponent}"
    return f"{rtol:g}"


def _kind(value):
    """A few words for the type of ``value``: 'a list', 'a NumPy array of shape (3,)', …"""
    if isinstance(value, bool) or isinstance(value, np.bool_):
        return f"the truth value {bool(value)}"
    if isinstance(value, np.ndarray):
        return f"a NumPy array of shape {value.shape}"
    if isinstance(value, (int, float, np.integer, np.floating)):
        return f"the number {_number_repr(value)}"
    if isinstance(value, Mapping):
        return "a dictionary"
    if isinstance(value, tuple):
        return f"a tuple of {len(value)} values"
    if isinstance(value, list):
        return f"a list of {len(value)} values"
    if callable(value):
        return "a function"
    return f"a {type(value).__name__}"


def _and_list(names):
    names = list(names)
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _keys_text(keys):
    return _and_list(repr(k) for k in keys)


def _child_name(parent, key):
    if isinstance(key, str) and key.isidentifier():
        return key
    return f"{parent}[{key!r}]"


# ---- Comparison ----


class _Settings:
    def __init__(self, rtol, atol, shapes, against):
        self.rtol = rtol
        self.atol = atol
        self.shapes = shapes or {}
        self.against = against


def _is_number(value):
    return isinstance(value, (Number, np.number)) and not isinstance(value, (bool, np.bool_))


def _leaf_names(name, expected, names=None):
    """The names the success message lists: dict keys and tuple entries, recursively."""
    if isinstance(expected, Mapping):
        return [n for key, v in expected.items() for n in _leaf_names(_child_name(name, key), v)]
    if isinstance(expected, tuple):
        names = names or [f"{name}[{i}]" for i in range(len(expected))]
        return [n for child, v in zip(names, expected) for n in _leaf_names(child, v)]
    return [name]


def _compare(name, got, expected, settings, names=None):
    """Raise :class:`_Mismatch` with an explanation if ``got`` differs from ``expected``."""
    if got is None and expected is not None:
        raise _Mismatch(
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
            raise _Mismatch(f"{name} is {_kind(got)} but should be {bool(expected)}.")
    elif _is_number(expected) or isinstance(expected, np.ndarray):
        _compare_number(name, got, expected, settings)
    elif expected is None:
        if got is not None:
            raise _Mismatch(f"{name} should be None, but it is {_kind(got)}.")
    elif got != expected:
        raise _Mismatch(f"{name} is {got!r} but should be {expected!r}.")


def _compare_dict(name, got, expected, settings):
    keys = list(expected)
    if not isinstance(got, Mapping):
        raise _Mismatch(
            f"{name} should be a dictionary with the keys {_keys_text(keys)}, "
            f"but it is {_kind(got)}."
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
        raise _Mismatch(
            "; ".join(problems) + f". The engine's {name} has exactly {_keys_text(keys)}."
        )
    for key in keys:
        _compare(_child_name(name, key), got[key], expected[key], settings)


def _compare_tuple(name, got, expected, settings, names):
    n = len(expected)
    names = list(names) if names else [f"{name}[{i}]" for i in range(n)]
    listing = "(" + ", ".join(names) + ")"
    if not isinstance(got, (tuple, list)):
        raise _Mismatch(f"{name} should be {n} values, {listing}, but it is {_kind(got)}.")
    if len(got) != n:
        raise _Mismatch(f"{name} should be {n} values, {listing}, but it has {len(got)}.")
    for child, g, e in zip(names, got, expected):
        _compare(child, g, e, settings)


def _as_numeric_array(name, got, expected_text):
    """``got`` as an ndarray of numbers, or a _Mismatch explaining why it is not one."""
    if isinstance(got, (list, tuple)):
        raise _Mismatch(
            f"{name} is {_kind(got)} but should be a NumPy array of shape {expected_text}; "
            f"np.array(...) turns a list into an array."
        )
    if _is_number(got):
        raise _Mismatch(
            f"{name} is a single number ({_number_repr(got)}) but should be a NumPy array of shape "
            f"{expected_text}."
        )
    if not isinstance(got, np.ndarray):
        raise _Mismatch(
            f"{name} should be a NumPy array of shape {expected_text}, but it is {_kind(got)}."
        )
    if got.dtype.kind not in "biuf":
        what = "complex numbers" if got.dtype.kind == "c" else f"values of type {got.dtype}"
        hint = " (a None inside?)" if got.dtype == object else ""
        raise _Mismatch(f"{name} holds {what}{hint}; it should hold real numbers.")
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
        message += f" Rows and columns are swapped: a transpose (.T) too many or too few?"
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
        raise _Mismatch(_shape_problem(name, got.shape, expected.shape, expected_text))
    _compare_entries(name, got.astype(float), expected.astype(float), settings)


def _compare_number(name, got, expected, settings):
    expected = float(np.asarray(expected))
    if isinstance(got, np.ndarray) and got.ndim > 0:
        if got.size == 1:
            raise _Mismatch(
                f"{name} should be a single number, but it is an array of shape {got.shape}. "
                f"np.sum(...) without axis= returns a number; float(x) turns a one-entry array "
                f"into one."
            )
        raise _Mismatch(
            f"{name} should be a single number, but it is an array of shape {got.shape}: "
            f"a sum (or a mean) over the examples missing?"
        )
    if isinstance(got, np.ndarray):  # 0-d
        got = got[()]
    if not _is_number(got):
        raise _Mismatch(f"{name} should be a number, but it is {_kind(got)}.")
    if isinstance(got, (complex, np.complexfloating)):
        raise _Mismatch(f"{name} is the complex number {got!r}; it should be a real number.")
    got = float(got)
    if math.isnan(got) or math.isinf(got):
        raise _Mismatch(
            f"{name} is {got} but should be {expected:.6g}: somewhere a log(0), a division by 0 "
            f"or an overflow happened."
        )
    if abs(got - expected) > settings.atol + settings.rtol * abs(expected):
        yours, theirs = _number_pair(got, expected)
        message = f"{name} is {yours} but should be {theirs} ({_offset_text(got, expected)})."
        hint = _ratio_hint(np.array([got]), np.array([expected]))
        raise _Mismatch(message + hint)


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
        raise _Mismatch(
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
    raise _Mismatch(message + _ratio_hint(got, expected))


# ---- Exceptions, in plain words ----


def _plain_words(exc):
    text = str(exc)
    if isinstance(exc, NameError):
        return (
            "Python does not know a name used in the code: a typo, or a cell above that has not "
            "been run yet?"
        )
    if isinstance(exc, AttributeError):
        return (
            "a value does not have the attribute or method used: for example None.shape, or .T "
            "on a list?"
        )
    if isinstance(exc, ValueError) and "broadcast" in text:
        return (
            "two arrays have shapes that cannot be combined entry by entry; print their .shape "
            "and compare."
        )
    if isinstance(exc, ValueError) and ("matmul" in text or "aligned" in text):
        return (
            "the sizes of a matrix product do not match: in A @ B (or np.dot(A, B)) the number "
            "of columns of A must equal the number of rows of B."
        )
    if isinstance(exc, TypeError) and "NoneType" in text:
        return "a None took part in a computation: a placeholder left, or a return missing?"
    if isinstance(exc, TypeError):
        return "an operation received a value of the wrong kind."
    if isinstance(exc, IndexError):
        return (
            "an index is outside the array: Python counts from 0, so the last of n entries is "
            "at n − 1."
        )
    if isinstance(exc, KeyError):
        return "a dictionary has no entry with that key."
    if isinstance(exc, ZeroDivisionError):
        return "a division by zero."
    if isinstance(exc, (FloatingPointError, RuntimeWarning, OverflowError)):
        return "a numerical problem: an overflow, a log of 0 or a 0/0."
    if isinstance(exc, RecursionError):
        return "a function calls itself without end."
    return ""


def _where(exc):
    """'line 4: return 1 / (1 + np.exp(-z))' for the reader's line where ``exc`` happened."""
    frames = [
        f
        for f in traceback.extract_tb(exc.__traceback__)
        if os.path.normcase(os.path.abspath(f.filename)) != _THIS_FILE
        and f"{os.sep}numpy{os.sep}" not in f.filename
    ]
    cells = [f for f in frames if f.filename.startswith("<")]
    frame = (cells or frames or [None])[-1]
    if frame is None:
        return ""
    line = (frame.line or "").strip()
    where = f"line {frame.lineno} of {frame.filename}" if not frame.filename.startswith("<cell") \
        else f"line {frame.lineno} of your cell"
    return f" It happened in {where}" + (f": {line}" if line else "") + "."


def _exception_message(call, exc):
    words = _plain_words(exc)
    message = f"{call} raised {type(exc).__name__}: {exc}"
    if words:
        message += f"\nIn plain words: {words}"
    return message + _where(exc)


# ---- Public API ----


def _copy(value):
    if isinstance(value, np.ndarray):
        return value.copy()
    return copy.deepcopy(value)


def _describe_call(name, inputs):
    parts = []
    for x in inputs:
        if isinstance(x, np.ndarray):
            parts.append(f"array of shape {x.shape}" if x.ndim else _number_repr(x[()]))
        elif _is_number(x) or isinstance(x, (bool, str)):
            parts.append(_number_repr(x))
        else:
            parts.append(type(x).__name__)
    return f"{name}({', '.join(parts)})"


def _check_settings(rtol, atol):
    if not (rtol >= 0 and atol >= 0):
        raise ValueError(f"rtol and atol must be 0 or more, got rtol={rtol!r}, atol={atol!r}")


def check_function(
    name,
    learner_fn,
    reference_fn,
    *inputs,
    cases=None,
    returns=None,
    shapes=None,
    rtol=DEFAULT_RTOL,
    atol=DEFAULT_ATOL,
    against="the engine",
):
    """Compare the reader's function with a reference on the same inputs: a :class:`Feedback`.

    name:         the function's name as the lesson calls it, e.g. "propagate".
    learner_fn:   the reader's function.
    reference_fn: the engine's function (or anything computing the right answer).
    inputs:       the arguments of one call; or ``cases``, a list of argument tuples (several
                  calls, all must agree). Each function gets its own deep copy of them.
    returns:      the name(s) of what the function returns, e.g. "X" or ("grads", "cost"), used
                  in the messages; by default "name(...)".
    shapes:       the course's symbols for array shapes, by name: ``{"dw": ("n_x", "1")}`` makes
                  messages say "(n_x, 1) = (3, 1)".
    rtol, atol:   an entry is right when ``|yours − expected| ≤ atol + rtol·|expected|``.
    against:      what the success and value messages call the reference.

    The reference is trusted: if it raises, the exception propagates (the lesson is wrong).
    """
    _check_settings(rtol, atol)
    if cases is None:
        cases = [inputs]
    elif inputs:
        raise TypeError("give the inputs of one call, or cases=[...], not both")
    cases = [tuple(case) for case in cases]
    if not cases:
        raise ValueError("check_function needs at least one case to call the functions with")
    if learner_fn is None:
        return Feedback(False, f"Not yet: {name} is None; define it with def {name}(...):")
    if not callable(learner_fn):
        return Feedback(
            False, f"Not yet: {name} should be a function, but it is {_kind(learner_fn)}."
        )
    settings = _Settings(rtol, atol, shapes, against)
    if isinstance(returns, str):
        returns = (returns,)
    names = None
    for number, case in enumerate(cases, start=1):
        expected = reference_fn(*[_copy(x) for x in case])
        call = _describe_call(name, case)
        which = f" (test input {number} of {len(cases)}: {call})" if len(cases) > 1 else ""
        try:
            got = learner_fn(*[_copy(x) for x in case])
        except Exception as exc:  # the reader's code: report, never raise
            return Feedback(False, f"Not yet: {_exception_message(call, exc)}")
        if got is None and expected is not None:
            return Feedback(
                False,
                f"Not yet: your function {name} returned None{which}. Did you forget `return`, "
                f"or is a None placeholder still there?",
            )
        if isinstance(expected, tuple):
            top, names = name + "(...)", returns
        else:
            top = returns[0] if returns else f"{name}(...)"
        try:
            _compare(top, got, expected, settings, names)
        except _Mismatch as mismatch:
            return Feedback(False, f"Not yet{which}: {mismatch}")
    leaves = _leaf_names(top, expected, names)
    verb = "matches" if len(leaves) == 1 else "match"
    on = f" on {len(cases)} test inputs" if len(cases) > 1 else ""
    return Feedback(
        True, f"Correct: {_and_list(leaves)} {verb} {against} to {_tolerance_text(rtol)}{on}."
    )


def check_value(
    name,
    learner_value,
    expected_value,
    *,
    shapes=None,
    rtol=DEFAULT_RTOL,
    atol=DEFAULT_ATOL,
    against="the expected value",
):
    """Compare a value the reader computed with the expected one; return a :class:`Feedback`.

    name:           what the lesson calls the value, e.g. "X" or "grads".
    learner_value:  the reader's value (an array, a number, a dict of them, a tuple).
    expected_value: the right value, of the same structure.
    shapes, rtol, atol, against: as in :func:`check_function`.
    """
    _check_settings(rtol, atol)
    settings = _Settings(rtol, atol, shapes, against)
    try:
        _compare(name, learner_value, expected_value, settings)
    except _Mismatch as mismatch:
        return Feedback(False, f"Not yet: {mismatch}")
    leaves = _leaf_names(name, expected_value)
    verb = "matches" if len(leaves) == 1 else "match"
    tolerance = _tolerance_text(rtol)
    return Feedback(True, f"Correct: {_and_list(leaves)} {verb} {against} to {tolerance}.")
