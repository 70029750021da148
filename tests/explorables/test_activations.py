"""Tests of the "activation-explorer" explorable: g(z) and g'(z) of the four activations."""

import math

import numpy as np
import pytest

from nndl import activations, explorables
from nndl.explorables.activations import activation_explorer

from .svg_rules import SVG, check_drawing


def words(root):
    return " ".join(el.text for el in root.iter(f"{SVG}text") if el.text)


def test_the_default_view_is_the_sigmoid_at_z_1():
    view = explorables.render("activation-explorer")
    s = 1 / (1 + math.exp(-1))
    assert view.data["activation"] == "sigmoid" and view.data["z"] == 1
    assert view.data["g"]["sigmoid"] == pytest.approx(s, rel=1e-12)
    assert view.data["dg"]["sigmoid"] == pytest.approx(s * (1 - s), rel=1e-12)
    text = words(check_drawing(view.html))
    assert "g(z) = 0.7311" in text and "g'(z) = 0.1966" in text
    assert "g(z) = 0.7311" in view.summary


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu", "leaky_relu"])
@pytest.mark.parametrize("z", [-4.2, -0.5, 0.3, 2.0, 6.0])
def test_values_are_the_engines(name, z):
    view = activation_explorer(name, z)
    g, _ = activations.get_activation(name)
    assert view.data["g"][name] == pytest.approx(float(g(z)), abs=1e-15)
    assert view.data["dg"][name] == pytest.approx(float(activations.derivative(name, z)), abs=1e-15)


def test_known_values():
    assert activation_explorer("tanh", -2.0).data["dg"]["tanh"] == pytest.approx(1 - np.tanh(2.0) ** 2)
    relu = activation_explorer("relu", 2.5).data
    assert (relu["g"]["relu"], relu["dg"]["relu"]) == (2.5, 1.0)
    leaky = activation_explorer("leaky_relu", -3.0).data
    assert leaky["g"]["leaky_relu"] == pytest.approx(-0.03) and leaky["dg"]["leaky_relu"] == 0.01


def test_at_the_kink_the_engines_choice_is_shown_and_explained():
    relu = explorables.render("activation-explorer", {"activation": "relu", "z": "0"})
    assert relu.data["dg"]["relu"] == 0.0
    assert "no derivative" in relu.summary and "slope on the left" in relu.summary
    leaky = explorables.render("activation-explorer", {"activation": "leaky_relu", "z": 0})
    assert leaky.data["dg"]["leaky_relu"] == 0.01
    text = words(check_drawing(leaky.html))
    assert "no derivative" in text and "0.01" in text
    # the slope is drawn as two pieces, not as a line through the jump
    paths = [p.get("d") for p in check_drawing(leaky.html).iter(f"{SVG}path") if p.get("stroke") == "#d04a5c"]
    assert any(d.count("M") == 2 for d in paths)
    # the sigmoid has no kink and no such note
    assert "no derivative" not in explorables.render("activation-explorer", {"z": 0}).summary


def dashed_line_x(root):
    lines = [el for el in root.iter(f"{SVG}line") if el.get("stroke-dasharray") == "4 3"]
    assert len(lines) == 2  # one per panel: g(z) and g'(z)
    return float(lines[0].get("x1"))


def test_the_marked_point_moves_with_z():
    left = check_drawing(explorables.render("activation-explorer", {"z": -3}).html)
    right = check_drawing(explorables.render("activation-explorer", {"z": 3}).html)
    assert dashed_line_x(left) < dashed_line_x(right)
    assert "g(z) = 0.04743" in words(left) and "g(z) = 0.9526" in words(right)


def test_all_four_on_the_same_axes():
    view = explorables.render("activation-explorer", {"activation": "all", "z": -1})
    assert set(view.data["g"]) == set(view.data["dg"]) == {"sigmoid", "tanh", "relu", "leaky_relu"}
    assert view.data["g"]["leaky_relu"] == pytest.approx(-0.01)
    root = check_drawing(view.html)
    dots = [c for c in root.iter(f"{SVG}circle") if c.get("r") == "5"]
    assert len(dots) == 8  # each activation marked on both panels
    text = words(root)
    for label in ("sigmoid:", "tanh:", "ReLU:", "leaky ReLU:"):
        assert label in text


def test_bad_inputs_are_explained():
    with pytest.raises(ValueError, match="must be one of"):
        explorables.render("activation-explorer", {"activation": "elu"})
    with pytest.raises(ValueError, match="between -6 and 6"):
        explorables.render("activation-explorer", {"z": 7})
    with pytest.raises(ValueError, match="unknown activation"):
        activation_explorer("softmax", 1.0)
