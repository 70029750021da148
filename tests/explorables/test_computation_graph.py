"""Tests of the "computation-graph" explorable and of draw_graph (syllabus §3)."""


import pytest

from nndl import explorables
from nndl.explorables import computation_graph
from nndl.explorables.computation_graph import MAX_NODES, draw_graph
from nndl.graph import Value

from .svg_rules import SVG, check_drawing


def texts(root):
    return [el.text for el in root.iter(f"{SVG}text") if el.text]


def node_x(root, heading):
    """The x position of the node whose box has the first line ``heading``."""
    for group in root.iter(f"{SVG}g"):
        if group.get("class") == "nndl-graph-node" and group.find(f"{SVG}text").text == heading:
            return float(group.find(f"{SVG}rect").get("x"))
    raise AssertionError(f"no node {heading!r}")


def test_the_worked_example_forward_and_backward():
    view = explorables.render("computation-graph")
    assert view.data["values"] == {"a": 5, "b": 3, "c": 2, "u": 6, "v": 11, "J": 33}
    assert view.data["grads"] == {"J": 1, "v": 3, "u": 3, "a": 3, "b": 6, "c": 9}
    words = texts(check_drawing(view.html))
    for text in ("33", "11", "6", "dJ/dv = 3", "dJ/du = 3", "dJ/da = 3", "dJ/db = 6", "dJ/dc = 9"):
        assert text in words, text
    assert "dJ/db = 9" not in words and "dJ/dc = 6" not in words  # the circulating mistake
    assert "J = 3v = 33" in view.summary and "dJ/db = 3·c = 6" in view.summary
    assert "dJ/dc = 3·b = 9" in view.summary


def test_the_values_follow_the_sliders():
    view = explorables.render("computation-graph", {"a": "1", "b": 0.5, "c": -2})
    assert view.data["values"]["u"] == -1 and view.data["values"]["J"] == 3 * (1 + 0.5 * -2)
    assert view.data["grads"]["b"] == 3 * -2 and view.data["grads"]["c"] == 3 * 0.5
    words = texts(check_drawing(view.html))
    assert "dJ/db = −6" in words and "dJ/dc = 1.5" in words and "0" in words


def test_inputs_on_the_left_each_step_after_its_inputs_and_backward_arrows():
    root = check_drawing(explorables.render("computation-graph").html)
    xs = [node_x(root, h) for h in ("a", "u = b·c", "v = a + u", "J = 3·v")]
    assert xs == sorted(xs) and len(set(xs)) == 4
    assert node_x(root, "b") == node_x(root, "c") == xs[0]
    groups = {g.get("class"): g for g in root.iter(f"{SVG}g") if g.get("class")}
    # six edges: b→u, c→u, a→v, u→v, v→J and the constant 3→J; each drawn forward and backward
    assert len(groups["nndl-graph-forward"].findall(f"{SVG}path")) == 6
    assert len(groups["nndl-graph-backward"].findall(f"{SVG}path")) == 6


def test_sliders_are_registered_with_the_lesson_defaults():
    spec = explorables.get("computation-graph").spec()
    assert [(c["name"], c["default"], c["min"], c["max"], c["step"]) for c in spec["controls"]] == [
        ("a", 5, -10, 10, 0.5), ("b", 3, -10, 10, 0.5), ("c", 2, -10, 10, 0.5)
    ]
    with pytest.raises(ValueError, match="between -10 and 10"):
        explorables.render("computation-graph", {"a": 11})
    assert computation_graph.computation_graph(5, 3, 2).data["values"]["J"] == 33


def test_draw_graph_draws_a_readers_own_expression():
    p, q = Value(4.0, label="p"), Value(-2.0, label="q")
    K = p * q + p
    K.label = "K"
    K.backward()
    view = draw_graph(K)
    assert view.data["grads"] == {"p": -1, "q": 4, "K": 1}  # dK/dp = q + 1: p is used twice
    assert len(view.data["edges"]) == 4
    root = check_drawing(view.html)
    words = texts(root)
    assert "dK/dp = −1" in words and "dK/dq = 4" in words and "K = p·q + p" in words
    assert "dK/dp = −1" in view.summary


def test_formulas_are_written_with_the_brackets_they_need():
    x = Value(3.0, label="x")
    L = ((x - 1) ** 2).tanh() * 2
    L.label = "L"
    L.backward()
    words = texts(check_drawing(draw_graph(L).html))
    assert "(x − 1)²" in words and "tanh((x − 1)²)" in words


def test_before_backward_the_values_are_drawn_and_the_reader_is_told():
    x, w = Value(2.0, label="x"), Value(-1.5, label="w")
    y = w * x
    y.label = "y"
    view = draw_graph(y, title="my graph")
    assert view.data["backward"] is False and "grads" not in view.data
    assert "not computed yet" in view.summary and "y.backward()" in view.summary
    root = check_drawing(view.html)
    assert root.find(f"{SVG}title").text == "my graph"
    assert not [g for g in root.iter(f"{SVG}g") if g.get("class") == "nndl-graph-backward"]
    assert "−3" in texts(root)
    y.backward()
    assert draw_graph(y).data["grads"] == {"x": -1.5, "w": 2.0, "y": 1.0}


def test_large_graphs_and_other_objects_are_refused():
    x = Value(1.0, label="x")
    y = x
    for _ in range((MAX_NODES - 1) // 2):  # each step adds a constant and a sum: 2 nodes
        y = y + 1
    assert len(y.topological_order()) <= MAX_NODES
    check_drawing(draw_graph(y).html)
    with pytest.raises(ValueError, match=f"more than {MAX_NODES} nodes"):
        draw_graph(y + 1)
    with pytest.raises(TypeError, match="formula built with Value"):
        draw_graph(33.0)
