r"""A race: the dot product of two vectors with a Python ``for`` loop, then with ``np.dot``.

Both are timed with :func:`time.perf_counter` where the code runs: in a lesson, in the reader's
own browser. The ratio depends on the machine, the browser and what else is running, so the
explorable never quotes one: it measures. ``np.dot`` is so fast that one call can be shorter
than the clock's resolution, so both computations are timed the same way by
:func:`seconds_per_call`: repeated until the repetitions last long enough, and the time of one
call is their average.
"""

import math
import time
import uuid

import numpy as np

from .._svg import COLORS, escape, format_tick, nice_ticks, svg_open
from ._base import Choice, View, explorable

__all__ = ["dot_loop", "vectorization_race", "race_invitation"]

LOOP_COLOR, DOT_COLOR = COLORS[1], COLORS[0]
_SIZES = (
    ("10000", "10⁴ = 10 000"),
    ("100000", "10⁵ = 100 000"),
    ("1000000", "10⁶ = 1 000 000"),
)
_MAX_N = 10_000_000
MIN_SECONDS = 0.05  # a computation is repeated until its repetitions last this long
BEST_OF = 3  # and, if that is quick, timed this many times, keeping the fastest

_WIDTH, _HEIGHT = 480, 250
_LEFT, _RIGHT = 16, 16
_CHAR = 7.0


def dot_loop(a, b):
    """The dot product Σ a[i]·b[i], one element at a time, as a Python ``for`` loop."""
    c = 0.0
    for i in range(len(a)):
        c += a[i] * b[i]
    return c


def seconds_per_call(f):
    """How long one call ``f()`` takes, in seconds, and its result: ``(seconds, result, repeats)``.

    A single call may be shorter than the clock can measure, so ``f`` is called ``repeats``
    times in a row, with ``repeats`` = 1, 4, 16, … until the whole lasts at least
    :data:`MIN_SECONDS`. If that was quick (under half a second), it is measured
    :data:`BEST_OF` times and the fastest kept: the others were slowed down by something else the
    computer was doing (the usual practice of :mod:`timeit`).
    """
    repeats = 1
    while True:
        start = time.perf_counter()
        for _ in range(repeats):
            result = f()
        elapsed = time.perf_counter() - start
        if elapsed >= MIN_SECONDS:
            break
        repeats *= 4
    best = elapsed
    for _ in range(BEST_OF - 1 if elapsed < 0.5 else 0):
        start = time.perf_counter()
        for _ in range(repeats):
            f()
        best = min(best, time.perf_counter() - start)
    return best / repeats, result, repeats


def _size(n):
    """n as a whole number, with a message for the reader when it is not a usable length."""
    try:
        value = int(str(n).replace(" ", "").replace("_", ""))
    except ValueError:
        raise ValueError(f"n must be a whole number of elements, not {n!r}.") from None
    if not 1 <= value <= _MAX_N:
        raise ValueError(f"n must be between 1 and {_MAX_N:,}; {value:,} is outside.")
    return value


def _spaced(n):
    """1 000 000: thousands separated by thin spaces, as the lesson writes them."""
    return f"{n:,}".replace(",", " ")


def _duration(seconds):
    """A time in the unit that suits it: 1.23 s, 45.6 ms or 789 µs."""
    if seconds >= 1:
        return f"{seconds:.2f} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.3g} ms"
    return f"{seconds * 1e6:.3g} µs"


def _ratio(ratio):
    return f"{ratio:,.0f}" if ratio >= 10 else f"{ratio:.1f}"


def race_invitation(n="1000000"):
    """The view before the race: what will be timed, and no numbers yet."""
    n = _size(n)
    wait = " The loop takes a few seconds in a browser." if n >= 1_000_000 else ""
    summary = (
        f"Press Race to time a Python loop and np.dot on two vectors of n = {_spaced(n)} numbers, "
        f"here, in your browser.{wait}"
    )
    return View(_render(n, summary), summary, {"raced": False, "n": n})


@explorable(
    "vectorization-race",
    "A Python loop against np.dot",
    controls=[Choice("n", "vector length n", "1000000", _SIZES)],
    action="Race",
    initial=race_invitation,
)
def vectorization_race(n="1000000"):
    """Time c = Σ a[i]·b[i] by a Python loop and by c = np.dot(a, b), for random vectors a, b."""
    n = _size(n)
    rng = np.random.default_rng()
    a = rng.random(n)
    b = rng.random(n)

    loop_s, c_loop, loop_repeats = seconds_per_call(lambda: dot_loop(a, b))
    dot_s, c_dot, dot_repeats = seconds_per_call(lambda: np.dot(a, b))
    c_loop, c_dot = float(c_loop), float(c_dot)
    # The loop adds in another order than np.dot, so the last digits may differ.
    agree = math.isclose(c_loop, c_dot, rel_tol=1e-9, abs_tol=1e-12)
    ratio = loop_s / dot_s if dot_s > 0 else math.inf
    faster = (
        f"np.dot was {_ratio(ratio)}× faster" if ratio >= 1
        else f"the loop was faster this time ({_ratio(1 / ratio)}×)"
    )
    summary = (
        f"For vectors of n = {_spaced(n)} numbers, the Python loop took {_duration(loop_s)} and "
        f"np.dot took {_duration(dot_s)}: here, {faster}. "
        + (
            f"Both give c = {c_dot:.6g}."
            if agree
            else f"The results differ: {c_loop!r} against {c_dot!r}."
        )
    )
    data = {
        "raced": True,
        "n": n,
        "loop_s": loop_s,
        "dot_s": dot_s,
        "loop_repeats": loop_repeats,
        "dot_repeats": dot_repeats,
        "ratio": ratio,
        "c_loop": c_loop,
        "c_dot": c_dot,
        "agree": agree,
    }
    html = _render(n, summary, loop_s, dot_s, faster, agree, c_loop, c_dot)
    return View(html, summary, data)


def _render(n, summary, loop_s=None, dot_s=None, faster="", agree=None, c_loop=None, c_dot=None):
    """Two bars on one time axis (the same scale for both), or two empty bars before the race."""
    uid = "nndl-race-" + uuid.uuid4().hex[:10]
    raced = loop_s is not None
    title = f"A Python loop against np.dot, n = {_spaced(n)}"
    pw = _WIDTH - _LEFT - _RIGHT
    out = [svg_open(uid, "nndl-race", _WIDTH, _HEIGHT, title, summary, 13)]
    out.append(f'<text x="{_LEFT}" y="18" font-weight="600">{escape(title)}</text>')

    if raced:
        t1 = nice_ticks(0.0, loop_s, 5)[1]
        scale = pw / t1
        bars = [
            ("Python loop: c += a[i] * b[i]", loop_s, LOOP_COLOR),
            ("c = np.dot(a, b)", dot_s, DOT_COLOR),
        ]
    else:
        bars = [
            ("Python loop: c += a[i] * b[i]", None, LOOP_COLOR),
            ("c = np.dot(a, b)", None, DOT_COLOR),
        ]
    for i, (label, seconds, color) in enumerate(bars):
        y = 44 + 54 * i
        out.append(
            f'<text x="{_LEFT}" y="{y}" fill="{color}" font-weight="600">{escape(label)}</text>'
        )
        out.append(
            f'<text x="{_LEFT + pw}" y="{y}" text-anchor="end" font-weight="600">'
            f'{escape(_duration(seconds) if raced else "?")}</text>'
        )
        if raced:
            w = max(seconds * scale, 1.5)  # at least visible; its true length may be < 1 pixel
            out.append(
                f'<rect x="{_LEFT}" y="{y + 7}" width="{w:.2f}" height="22" fill="{color}"/>'
            )
            if i == 1 and seconds < loop_s:  # how the short bar compares with the long one
                out.append(
                    f'<text x="{_LEFT + w + 8:.1f}" y="{y + 23}" font-size="12">'
                    f"{escape(f'1/{_ratio(loop_s / seconds)} of the loop’s time')}</text>"
                )
        else:
            out.append(
                f'<rect x="{_LEFT}" y="{y + 7}" width="{pw}" height="22" fill="none" '
                f'stroke="{color}" stroke-dasharray="5 4" stroke-width="1.5"/>'
            )

    axis_y = 44 + 54 + 36
    if raced:
        t0, t1, ticks, step = nice_ticks(0.0, loop_s, 5)
        unit, factor = ("s", 1) if t1 >= 1 else ("ms", 1e3)
        marks = [f'<path d="M{_LEFT},{axis_y}H{_LEFT + pw}" fill="none" stroke="currentColor" '
                 'stroke-opacity="0.6"/>']
        for t in ticks:
            x = _LEFT + t * scale
            marks.append(
                f'<line x1="{x:.1f}" y1="{axis_y}" x2="{x:.1f}" y2="{axis_y + 5}" '
                'stroke="currentColor" stroke-opacity="0.6"/>'
                f'<text x="{x:.1f}" y="{axis_y + 19}" text-anchor="middle" font-size="12" '
                f'fill-opacity="0.8">{format_tick(t * factor, step * factor)}</text>'
            )
        marks.append(
            f'<text x="{_LEFT + pw}" y="{axis_y + 34}" text-anchor="end" font-size="12" '
            f'fill-opacity="0.8">time ({unit}), the same scale for both bars</text>'
        )
        out += marks
        out.append(
            f'<text x="{_LEFT}" y="{axis_y + 66}" font-size="19" font-weight="700">'
            f"{escape(faster)}</text>"
        )
        check = (
            f"✓ both give c = {c_dot:.10g}" if agree
            else f"✗ the results differ: {c_loop:.10g} and {c_dot:.10g}"
        )
        out.append(f'<text x="{_LEFT}" y="{axis_y + 90}">{escape(check)}</text>')
    else:
        lines = [
            "Press Race: your browser computes the same dot product",
            "both ways, times each, and draws the two times here.",
        ]
        for i, line in enumerate(lines):
            out.append(f'<text x="{_LEFT}" y="{axis_y + 24 + 20 * i}">{escape(line)}</text>')
    out.append("</svg>")
    return "\n".join(out)
