"""Tests of the "learning-rates" explorable: cost curves for several α on one plot."""

import json

import pytest

from nndl import explorables, shallow
from nndl.explorables import learning_rates

from .svg_rules import check_drawing

FEW = 100  # iterations: enough to tell the learning rates apart, quick inside Pyodide too


@pytest.mark.parametrize(
    "text, rates",
    [
        ("0.1,1, 3e-2", [0.03, 0.1, 1.0]),
        ("α = 0.5; 2  2", [0.5, 2.0]),
        (" 1.2 ", [1.2]),
        ("10 .5 0.5", [0.5, 10.0]),
    ],
)
def test_learning_rates_are_read_forgivingly(text, rates):
    assert learning_rates.parse_learning_rates(text) == rates


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "Enter at least one learning rate"),
        (" , ", "Enter at least one learning rate"),
        ("0.1, fast", "'fast' is not a number"),
        ("0.1, 0", "α = 0 is not a learning rate: α must be more than 0"),
        ("−1", "α = -1 is not a learning rate"),
        ("nan", "'nan' is not a finite number"),
        ("1, 2, 3, 4, 5, 6, 7", "7 learning rates is too many curves for one plot: give at most 6"),
    ],
)
def test_bad_text_is_explained(text, message):
    with pytest.raises(ValueError, match=message):
        explorables.render("learning-rates", {"learning_rates": text, "iterations": FEW})


def test_a_good_rate_falls_a_tiny_one_crawls_and_a_huge_one_diverges():
    view = explorables.render("learning-rates", {"learning_rates": "20, 0.01, 1.2",
                                                 "iterations": FEW})
    runs = {r["learning_rate"]: r for r in view.data["runs"]}
    assert list(runs) == [0.01, 1.2, 20.0]  # sorted

    good = runs[1.2]
    assert not good["diverged"] and good["iterations_run"] == FEW
    assert good["final_cost"] < 0.6 * good["first_cost"]
    assert good["accuracy"] > 0.85

    tiny = runs[0.01]
    assert tiny["final_cost"] > 0.99 * tiny["first_cost"]
    assert "0.693 for α = 0.01 (slow: α too small)" in view.summary

    huge = runs[20.0]
    assert huge["diverged"] and huge["iterations_run"] < FEW and huge["accuracy"] is None
    assert huge["final_cost"] > 10 * huge["first_cost"]
    assert "Try a smaller learning rate, for example α = 2." in huge["message"]
    assert f"α = 20 diverged at iteration {huge['iterations_run'] - 1}" in view.summary
    assert "try a smaller learning rate, such as α = 2." in view.summary

    check_drawing(view.html)
    assert "α = 20 (diverged)" in view.html  # the plot's legend says it too
    assert view.html.count("nndl-series-") >= 2 * 3  # three curves, each in the legend too
    json.loads(view.json())


def test_rates_that_overshoot_are_described():
    view = explorables.render("learning-rates", {"learning_rates": "5, 10", "iterations": FEW})
    zigzag, jump = view.data["runs"]
    assert "for α = 5 (zigzagging)" in view.summary
    assert zigzag["increases"] > 0.1 * FEW and zigzag["max_cost"] == zigzag["first_cost"]
    assert "for α = 10 (it jumped up to" in view.summary
    assert jump["max_cost"] > 2 * jump["first_cost"] and not jump["diverged"]


def test_absurd_rates_diverge_without_crashing():
    view = explorables.render("learning-rates", {"learning_rates": "1e6, 1e300",
                                                 "iterations": FEW})
    assert all(r["diverged"] for r in view.data["runs"])
    assert view.summary.count("diverged at iteration") == 2
    check_drawing(view.html)


def test_each_rate_trains_once(monkeypatch):
    calls = []
    original = shallow.train

    def counting(*args, **kwargs):
        calls.append(kwargs["learning_rate"])
        return original(*args, **kwargs)

    monkeypatch.setattr(shallow, "train", counting)
    learning_rates.run.cache_clear()
    explorables.render("learning-rates", {"learning_rates": "1.2, 20", "iterations": FEW})
    explorables.render("learning-rates", {"learning_rates": "0.5, 1.2, 20", "iterations": FEW})
    assert calls == [1.2, 20.0, 0.5]


def test_it_is_registered_with_a_button_and_a_default_that_shows_every_case():
    ex = explorables.get("learning-rates")
    assert ex.action == "Compare"
    defaults = learning_rates.parse_learning_rates(ex.defaults()["learning_rates"])
    assert 3 <= len(defaults) <= learning_rates.MAX_CURVES
    view = explorables.render("learning-rates", {"iterations": FEW})
    for case in ("slow: α too small", "jumped up to", "diverged at iteration"):
        assert case in view.summary
    with pytest.raises(ValueError, match="Iterations must be between 100 and 1000"):
        explorables.render("learning-rates", {"iterations": 5000})
    with pytest.raises(ValueError, match="positive whole number"):
        learning_rates.learning_rates(iterations=0)
