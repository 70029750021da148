"""The machinery every explorable shares: controls, the registry, render and View."""

import json

import numpy as np
import pytest

from nndl import explorables
from nndl.display import mime_bundle
from nndl.explorables import Choice, Number, Slider, Text, View
from nndl.explorables._base import Explorable


def test_numbers_parse_text_from_the_form_and_check_their_range():
    alpha = Number("alpha", "Learning rate α", 0.01, 0.0001, 10, 0.0001)
    assert alpha.parse("0.5") == 0.5 and alpha.parse(2) == 2.0
    assert alpha.parse(" 0.001 ") == 0.001
    assert Number("z", "z", 0.0, -6, 6, 0.1).parse("−2.5") == -2.5  # a typographic minus too
    with pytest.raises(ValueError, match=r"Learning rate α must be between 0.0001 and 10; 11 is outside"):
        alpha.parse("11")
    with pytest.raises(ValueError, match="must be a number, not 'abc'"):
        alpha.parse("abc")
    with pytest.raises(ValueError, match="is empty"):
        alpha.parse("  ")
    with pytest.raises(ValueError, match="finite"):
        alpha.parse("nan")
    with pytest.raises(ValueError, match="must be a number, not True"):
        alpha.parse(True)


def test_whole_number_controls_give_ints_and_refuse_fractions():
    m = Slider("m", "Examples m", 10, 1, 100)
    assert m.integer and m.parse("12") == 12 and isinstance(m.parse("12"), int)
    assert m.parse(12.0) == 12 and isinstance(m.parse(12.0), int)
    with pytest.raises(ValueError, match="Examples m must be a whole number, not 2.5"):
        m.parse("2.5")
    assert m.spec() == {"kind": "slider", "name": "m", "label": "Examples m", "default": 10,
                        "min": 1, "max": 100, "step": 1}
    assert not Slider("z", "z", 1.0, -6, 6, 0.1).integer


def test_choices_and_texts():
    g = Choice("g", "Activation", "relu", (("relu", "ReLU"), ("tanh", "tanh")))
    assert g.parse("tanh") == "tanh" and g.values == ["relu", "tanh"]
    with pytest.raises(ValueError, match="Activation must be one of 'relu', 'tanh', not 'sigmoid'"):
        g.parse("sigmoid")
    with pytest.raises(ValueError, match="default 'elu' is not an option"):
        Choice("g", "Activation", "elu", (("relu", "ReLU"),))
    sizes = Text("sizes", "Layer sizes", "2, 3, 1", max_length=10)
    assert sizes.parse("  4, 1 ") == "4, 1"
    with pytest.raises(ValueError, match="too long: at most 10"):
        sizes.parse("1, 2, 3, 4, 5")
    with pytest.raises(ValueError, match="must be text"):
        sizes.parse(3)
    assert sizes.spec()["maxLength"] == 10


def test_a_view_shows_as_its_drawing_and_carries_json_ready_data():
    view = View("<svg/>", "J = 33", {"J": np.float64(33.0), "grads": np.array([3, 6]), "bad": float("inf")})
    # In a cell and in Jupyter: the drawing and the summary only. JupyterLab ranks
    # application/json above text/html, so data in the bundle would be shown as a tree.
    assert mime_bundle(view) == {"text/html": "<svg/>", "text/plain": "J = 33"}
    assert repr(view) == "J = 33"
    # The data, for the course's pages (through the cell runner's "explorables.render").
    assert json.loads(view.json()) == {"J": 33.0, "grads": [3, 6], "bad": None}


@pytest.fixture
def registered():
    """A throwaway explorable, removed from the registry afterwards."""
    calls = []

    @explorables.explorable("test-sum", "Sum", [Slider("a", "a", 1, 0, 10), Number("b", "b", 2, 0, 10)],
                            action="Add", initial=lambda a, b: View("", "press Add"))
    def add(a, b):
        calls.append((a, b))
        return View(f"<p>{a + b}</p>", f"a + b = {a + b}", {"sum": a + b})

    yield calls
    del explorables.REGISTRY["test-sum"]


def test_render_fills_defaults_parses_values_and_knows_the_initial_view(registered):
    assert explorables.render("test-sum").data == {"sum": 3}
    assert explorables.render("test-sum", {"b": "5"}).summary == "a + b = 6"
    assert registered == [(1, 2), (1, 5)]
    assert explorables.render("test-sum", initial=True).summary == "press Add"
    assert explorables.get("test-sum")(a=4).data == {"sum": 6}
    assert explorables.get("test-sum").spec()["action"] == "Add"


def test_render_explains_unknown_names_inputs_and_bad_values(registered):
    with pytest.raises(ValueError, match="There is no explorable named 'test-summ'; there are .*test-sum"):
        explorables.render("test-summ")
    with pytest.raises(ValueError, match="test-sum has no input named 'c'; its inputs are a, b"):
        explorables.render("test-sum", {"c": 1})
    with pytest.raises(ValueError, match="a must be between 0 and 10; 11 is outside"):
        explorables.render("test-sum", {"a": 11})
    with pytest.raises(ValueError, match="must be a dict"):
        explorables.get("test-sum").parse([1, 2])


def test_names_are_unique_and_functions_must_return_views(registered):
    with pytest.raises(ValueError, match="two explorables are named 'test-sum'"):
        explorables.explorable("test-sum", "Again")(lambda: None)
    explorables.REGISTRY["test-broken"] = Explorable("test-broken", "Broken", lambda: "<p>", ())
    try:
        with pytest.raises(TypeError, match="returned str, not a View"):
            explorables.render("test-broken")
    finally:
        del explorables.REGISTRY["test-broken"]


def test_every_registered_explorable_renders_its_defaults_and_initial_view():
    for name, explorable in explorables.REGISTRY.items():
        for initial in (True, False) if not explorable.action else (True,):
            view = explorables.render(name, initial=initial)
            assert isinstance(view, View) and view.summary.strip(), name
            json.loads(view.json())
