"""Tests of the "planar-boundary" explorable: logistic regression against a 2-layer network."""

import json

import pytest

from nndl import explorables, logistic, shallow
from nndl.explorables import planar

from .svg_rules import SVG, check_svgs


@pytest.fixture
def quick(monkeypatch):
    """Fewer iterations, for the tests that only count how often the models train."""
    monkeypatch.setattr(planar, "ITERATIONS", 50)
    planar.train_logistic.cache_clear()
    planar.train_network.cache_clear()
    yield
    planar.train_logistic.cache_clear()  # no 50-iteration model may outlive the test
    planar.train_network.cache_clear()


def test_on_the_flower_the_network_beats_logistic_regression():
    view = explorables.render("planar-boundary")  # the defaults: the build's first view
    assert view.data["dataset"] == "flower" and view.data["n_h"] == 4
    lr, nn = view.data["logistic"]["accuracy"], view.data["network"]["accuracy"]
    assert lr < 0.6 and nn > 0.85
    assert view.data["network"]["cost"] < view.data["logistic"]["cost"]
    assert f"classifies {round(100 * lr)} % of the 400 points" in view.summary
    assert f"curved boundary and gets {round(100 * nn)} %" in view.summary
    json.loads(view.json())


def test_the_drawing_is_two_small_accessible_panels():
    view = explorables.render("planar-boundary")
    svgs = check_svgs(view.html)
    assert len(svgs) == 2
    assert len(view.html.encode()) < 150_000
    # Runs of equal cells are merged: far fewer rectangles than the GRID × GRID cells.
    rects = sum(len(svg.findall(f".//{SVG}rect")) for svg in svgs)
    assert rects < planar.GRID**2 / 4
    circles = svgs[0].findall(f".//{SVG}circle")
    assert len(circles) >= 400  # every point is drawn


def test_it_is_registered_with_a_train_button():
    ex = explorables.get("planar-boundary")
    assert ex.action == "Train"
    assert [c["name"] for c in ex.spec()["controls"]] == ["dataset", "n_h"]
    assert explorables.render("planar-boundary", initial=True).summary.startswith("On the flower")


def test_one_hidden_unit_is_still_a_straight_line(quick):
    view = explorables.render("planar-boundary", {"n_h": "1"})
    assert "still a straight line" in view.summary


def test_each_model_trains_once_per_setting(quick, monkeypatch):
    calls = []
    train, optimize = shallow.train, logistic.optimize
    monkeypatch.setattr(shallow, "train", lambda *a, **k: calls.append("nn") or train(*a, **k))
    monkeypatch.setattr(
        logistic, "optimize", lambda *a, **k: calls.append("lr") or optimize(*a, **k)
    )
    explorables.render("planar-boundary", {"dataset": "xor", "n_h": "3"})
    explorables.render("planar-boundary", {"dataset": "xor", "n_h": "3"})
    assert sorted(calls) == ["lr", "nn"]
    explorables.render("planar-boundary", {"dataset": "xor", "n_h": "2"})
    assert sorted(calls) == ["lr", "nn", "nn"]  # logistic regression is reused


@pytest.mark.parametrize(
    "params, message",
    [
        ({"dataset": "moons"}, "Data must be one of 'flower', 'xor', not 'moons'"),
        ({"n_h": "7"}, "Hidden units n_h must be one of '1', '2', '3', '4', '5', '20', '50'"),
        ({"colour": "red"}, "planar-boundary has no input named 'colour'"),
    ],
)
def test_bad_inputs_are_explained(params, message):
    with pytest.raises(ValueError, match=message):
        explorables.render("planar-boundary", params)


def test_direct_calls_check_their_arguments():
    with pytest.raises(ValueError, match="must be one of 'flower', 'xor'"):
        planar.planar(dataset="moons")
    with pytest.raises(ValueError, match="n_h must be one of 1, 2, 3, 4, 5, 20, 50, not 7"):
        planar.planar(n_h=7)
    for bad in ("four", 2.5, None):
        with pytest.raises(ValueError, match="whole number of hidden units"):
            planar.planar(n_h=bad)
