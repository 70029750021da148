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
array); a dictionary must have exactly the expected keys; a tuple the expected length (see
:mod:`nndl.comparison`, which explains the first difference). Pure Python and NumPy: it runs on
CPython and in the browser alike.
"""

import copy
import html
import json
import os
import traceback

import numpy as np

from .comparison import (
    Mismatch,
    Settings,
    and_list,
    compare,
    is_number,
    kind,
    leaf_names,
    number_repr,
    tolerance_text,
)

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
            parts.append(f"array of shape {x.shape}" if x.ndim else number_repr(x[()]))
        elif is_number(x) or isinstance(x, (bool, str)):
            parts.append(number_repr(x))
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
            False, f"Not yet: {name} should be a function, but it is {kind(learner_fn)}."
        )
    settings = Settings(rtol, atol, shapes, against)
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
            compare(top, got, expected, settings, names)
        except Mismatch as mismatch:
            return Feedback(False, f"Not yet{which}: {mismatch}")
    leaves = leaf_names(top, expected, names)
    verb = "matches" if len(leaves) == 1 else "match"
    on = f" on {len(cases)} test inputs" if len(cases) > 1 else ""
    return Feedback(
        True, f"Correct: {and_list(leaves)} {verb} {against} to {tolerance_text(rtol)}{on}."
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
    settings = Settings(rtol, atol, shapes, against)
    try:
        compare(name, learner_value, expected_value, settings)
    except Mismatch as mismatch:
        return Feedback(False, f"Not yet: {mismatch}")
    leaves = leaf_names(name, expected_value)
    verb = "matches" if len(leaves) == 1 else "match"
    tolerance = tolerance_text(rtol)
    return Feedback(True, f"Correct: {and_list(leaves)} {verb} {against} to {tolerance}.")
