"""Tests of the "vectorization-race" explorable: a Python loop against np.dot, timed."""


import numpy as np
import pytest

from nndl import explorables
from nndl.explorables import vectorization

from .svg_rules import SVG, check_drawing


@pytest.fixture(autouse=True)
def quick_timing(monkeypatch):
    """Time short runs only, so that the tests stay fast (in Pyodide too)."""
    monkeypatch.setattr(vectorization, "MIN_SECONDS", 0.002)


def words(root):
    return " ".join(el.text for el in root.iter(f"{SVG}text") if el.text)


def test_the_loop_computes_the_dot_product():
    assert vectorization.dot_loop([1.0, 2.0, 3.0], [4.0, 5.0, 6.0]) == 32.0
    rng = np.random.default_rng(0)
    a, b = rng.random(500), rng.random(500)
    assert vectorization.dot_loop(a, b) == pytest.approx(np.dot(a, b), rel=1e-12)


def test_a_race_times_both_and_the_results_agree():
    view = vectorization.vectorization_race(n=2000)
    data = view.data
    assert data["raced"] and data["n"] == 2000
    assert data["agree"] and data["c_loop"] == pytest.approx(data["c_dot"], rel=1e-9)
    assert data["c_dot"] > 0  # random numbers in [0, 1): about n / 4
    assert data["loop_s"] > 0 and data["dot_s"] > 0
    assert data["ratio"] == pytest.approx(data["loop_s"] / data["dot_s"]) and data["ratio"] > 0
    text = words(check_drawing(view.html))
    assert "np.dot" in text and "Python loop" in text and "✓ both give c" in text
    assert "×" in text and "×" in view.summary and "n = 2 000" in view.summary


def test_the_bars_share_one_scale():
    root = check_drawing(vectorization.vectorization_race(n=1000).html)
    data_bars = [r for r in root.iter(f"{SVG}rect") if r.get("fill") not in (None, "none")]
    loop_bar, dot_bar = (float(r.get("width")) for r in data_bars)
    assert loop_bar > dot_bar > 0


def test_the_page_races_with_the_smallest_option():
    view = explorables.render("vectorization-race", {"n": "10000"})
    assert view.data["n"] == 10000 and view.data["agree"]
    assert explorables.get("vectorization-race").action == "Race"


def test_before_the_race_no_numbers_are_made_up():
    view = explorables.render("vectorization-race", initial=True)
    assert view.data == {"raced": False, "n": 1_000_000}
    assert "Press Race" in view.summary
    text = words(check_drawing(view.html))
    assert "Press Race" in text and "?" in text
    assert " ms" not in text and "×" not in text and "µs" not in text


def test_seconds_per_call_repeats_until_the_clock_can_measure(monkeypatch):
    clock = [0.0]
    monkeypatch.setattr(vectorization.time, "perf_counter", lambda: clock[0])

    def one_millisecond():
        clock[0] += 0.001
        return "done"

    monkeypatch.setattr(vectorization, "MIN_SECONDS", 0.05)
    seconds, result, repeats = vectorization.seconds_per_call(one_millisecond)
    assert result == "done" and repeats == 64  # 1, 4, 16 calls are too short; 64 ms is enough
    assert seconds == pytest.approx(0.001)


def test_bad_lengths_are_explained():
    with pytest.raises(ValueError, match="between 1 and"):
        vectorization.vectorization_race(n=0)
    with pytest.raises(ValueError, match="whole number"):
        vectorization.vectorization_race(n="many")
    with pytest.raises(ValueError, match="must be one of"):
        explorables.render("vectorization-race", {"n": "5"})
