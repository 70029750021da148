"""Tests for nndl.graph: the scalar computation graph and backpropagation (syllabus §3)."""

import json
import math
import sys

import numpy as np
import pytest
from nndl.activations import derivative, sigmoid
from nndl.gradcheck import numerical_gradient
from nndl.graph import Value


def syllabus_graph():
    """J(a, b, c) = 3(a + b·c) in the course's steps u = b·c, v = a + u, J = 3v."""
    a, b, c = Value(5.0, label="a"), Value(3.0, label="b"), Value(2.0, label="c")
    u = b * c
    u.label = "u"
    v = a + u
    v.label = "v"
    J = 3 * v
    J.label = "J"
    return a, b, c, u, v, J


# ---- The worked example of the syllabus ----


def test_worked_example_forward_values():
    a, b, c, u, v, J = syllabus_graph()
    assert (u.data, v.data, J.data) == (6.0, 11.0, 33.0)


def test_worked_example_derivatives():
    a, b, c, u, v, J = syllabus_graph()
    J.backward()
    assert J.grad == 1.0
    assert v.grad == 3.0  # dJ/dv = 3
    assert u.grad == 3.0  # dJ/du = dJ/dv · dv/du = 3 · 1
    assert a.grad == 3.0  # dJ/da = dJ/dv · dv/da = 3 · 1
    assert b.grad == 6.0  # dJ/db = dJ/du · du/db = 3 · c
    assert c.grad == 9.0  # dJ/dc = dJ/du · du/dc = 3 · b


def test_worked_example_written_in_one_line():
    a, b, c = Value(5.0), Value(3.0), Value(2.0)
    J = 3 * (a + b * c)
    J.backward()
    assert (J.data, a.grad, b.grad, c.grad) == (33.0, 3.0, 6.0, 9.0)


# ---- Every operation against finite differences ----

# (name, the formula on Values, the same formula on floats, the point)
OPERATIONS = [
    ("x + y", lambda x, y: x + y, lambda x, y: x + y, (1.5, -2.0)),
    ("x - y", lambda x, y: x - y, lambda x, y: x - y, (1.5, -2.0)),
    ("x * y", lambda x, y: x * y, lambda x, y: x * y, (1.5, -2.0)),
    ("x / y", lambda x, y: x / y, lambda x, y: x / y, (1.5, -2.0)),
    ("x ** 2", lambda x: x**2, lambda x: x**2, (1.3,)),
    ("x ** 3, x < 0", lambda x: x**3, lambda x: x**3, (-1.3,)),
    ("x ** -1", lambda x: x**-1, lambda x: x**-1, (0.7,)),
    ("x ** 0.5", lambda x: x**0.5, lambda x: x**0.5, (2.0,)),
    ("-x", lambda x: -x, lambda x: -x, (0.8,)),
    ("2 + x", lambda x: 2 + x, lambda x: 2 + x, (0.8,)),
    ("2 - x", lambda x: 2 - x, lambda x: 2 - x, (0.8,)),
    ("2 * x", lambda x: 2 * x, lambda x: 2 * x, (0.8,)),
    ("2 / x", lambda x: 2 / x, lambda x: 2 / x, (0.8,)),
    ("x + 2", lambda x: x + 2, lambda x: x + 2, (0.8,)),
    ("x - 2", lambda x: x - 2, lambda x: x - 2, (0.8,)),
    ("x * 2", lambda x: x * 2, lambda x: x * 2, (0.8,)),
    ("x / 2", lambda x: x / 2, lambda x: x / 2, (0.8,)),
    ("exp", lambda x: x.exp(), math.exp, (0.3,)),
    ("log", lambda x: x.log(), math.log, (2.5,)),
    ("tanh", lambda x: x.tanh(), math.tanh, (0.4,)),
    ("tanh, x < 0", lambda x: x.tanh(), math.tanh, (-2.0,)),
    ("sigmoid", lambda x: x.sigmoid(), lambda x: 1 / (1 + math.exp(-x)), (0.6,)),
    ("sigmoid, x < 0", lambda x: x.sigmoid(), lambda x: 1 / (1 + math.exp(-x)), (-3.0,)),
    ("relu, x > 0", lambda x: x.relu(), lambda x: max(0.0, x), (1.2,)),
    ("relu, x < 0", lambda x: x.relu(), lambda x: max(0.0, x), (-1.2,)),
    (
        "neuron tanh(w1 x1 + w2 x2 + b)",
        lambda w1, x1, w2, x2, b: (w1 * x1 + w2 * x2 + b).tanh(),
        lambda w1, x1, w2, x2, b: math.tanh(w1 * x1 + w2 * x2 + b),
        (-3.0, 2.0, 1.0, 0.0, 6.88),
    ),
    (
        "loss -(y log a + (1 - y) log(1 - a)), y = 1",
        lambda w, x, b: -(
            1 * (w * x + b).sigmoid().log() + (1 - 1) * (1 - (w * x + b).sigmoid()).log()
        ),
        lambda w, x, b: -math.log(1 / (1 + math.exp(-(w * x + b)))),
        (0.5, -1.5, 0.25),
    ),
]


@pytest.mark.parametrize(
    "F, F_float, point", [op[1:] for op in OPERATIONS], ids=[op[0] for op in OPERATIONS]
)
def test_operation_forward_and_backward(F, F_float, point):
    inputs = [Value(x) for x in point]
    out = F(*inputs)
    out.backward()

    assert out.data == pytest.approx(F_float(*point), rel=1e-12)
    numerical = numerical_gradient(lambda x: F(*[Value(t) for t in x]).data, np.array(point))
    np.testing.assert_allclose([v.grad for v in inputs], numerical, rtol=1e-6, atol=1e-8)


def test_gradient_of_the_loss_with_respect_to_z_is_a_minus_y():
    """Syllabus §4: for one example, dz = a − y."""
    for y in (0.0, 1.0):
        z = Value(0.7)
        a = z.sigmoid()
        L = -(y * a.log() + (1 - y) * (1 - a).log())
        L.backward()
        assert z.grad == pytest.approx(a.data - y, rel=1e-12)


def test_sigmoid_matches_the_activation_module(rng):
    for z in rng.uniform(-30, 30, size=20):
        assert Value(z).sigmoid().data == pytest.approx(float(sigmoid(z)), rel=1e-14, abs=1e-300)


@pytest.mark.parametrize("z", [-1e4, 1e4])
def test_sigmoid_does_not_overflow(z):
    x = Value(z)
    s = x.sigmoid()
    s.backward()
    assert s.data == (1.0 if z > 0 else 0.0)
    assert x.grad == 0.0


# ---- Gradients accumulate when a value is used more than once ----


def test_a_plus_a():
    a = Value(3.0)
    (a + a).backward()
    assert a.grad == 2.0


def test_a_times_a():
    a = Value(3.0)
    (a * a).backward()
    assert a.grad == 6.0  # d(a²)/da = 2a


def test_a_used_in_two_branches():
    a, b = Value(3.0), Value(-4.0)
    f = a * b + a  # df/da = b + 1, df/db = a
    f.backward()
    assert (a.grad, b.grad) == (-3.0, 3.0)


def test_a_cubed_through_shared_products():
    a = Value(2.0)
    (a * a * a).backward()
    assert a.grad == 12.0  # 3a²


def test_calling_backward_twice_gives_the_same_gradients():
    a, b, c, u, v, J = syllabus_graph()
    J.backward()
    J.backward()
    assert (a.grad, b.grad, c.grad, u.grad) == (3.0, 6.0, 9.0, 3.0)


# ---- Long graphs: backward is a loop, not a recursion ----


@pytest.mark.slow
def test_backward_through_a_chain_of_100000_nodes():
    n = 100_001  # odd: y = −x after n negations, so dy/dx = −1
    assert n > 10 * sys.getrecursionlimit()
    x = Value(1.0, label="x")
    y = x
    for _ in range(n):
        y = -y
    y.backward()
    assert (y.data, x.grad) == (-1.0, -1.0)
    assert len(y.topological_order()) == n + 1


def test_backward_through_a_long_chain_with_constants():
    n = 20_000
    x = Value(1.0, label="x")
    y = x
    for _ in range(n):
        y = y * 1.0001  # y = x · 1.0001ⁿ, so dy/dx = 1.0001ⁿ
    y.backward()
    assert x.grad == pytest.approx(1.0001**n, rel=1e-9)


# ---- The ReLU kink and domain errors ----


def test_relu_at_exactly_zero_uses_slope_zero_like_the_activation_module():
    x = Value(0.0)
    out = x.relu()
    out.backward()
    assert out.data == 0.0
    assert x.grad == 0.0
    assert x.grad == derivative("relu", 0.0)


@pytest.mark.parametrize("x", [0.0, -2.0])
def test_log_of_a_non_positive_number(x):
    with pytest.raises(ValueError, match="log is only defined for positive numbers"):
        Value(x).log()


def test_division_by_zero():
    with pytest.raises(ZeroDivisionError):
        Value(1.0) / 0
    with pytest.raises(ZeroDivisionError):
        1 / Value(0.0)
    with pytest.raises(ZeroDivisionError):
        Value(0.0) ** -1


def test_power_needs_a_number_exponent():
    with pytest.raises(TypeError, match="number exponent"):
        Value(2.0) ** Value(2.0)


def test_fractional_power_of_a_negative_number():
    with pytest.raises(ValueError, match="not a real number"):
        Value(-8.0) ** 0.5


def test_square_root_has_no_slope_at_zero():
    x = Value(0.0)
    out = x**0.5
    assert out.data == 0.0
    with pytest.raises(ZeroDivisionError, match="infinite"):
        out.backward()


def test_power_zero_has_slope_zero_even_at_zero():
    x = Value(0.0)
    out = x**0
    out.backward()
    assert (out.data, x.grad) == (1.0, 0.0)


def test_exp_overflow_is_reported():
    with pytest.raises(OverflowError, match="too large"):
        Value(1000.0).exp()


@pytest.mark.parametrize("data", ["3", None, [1.0]])
def test_value_holds_numbers_only(data):
    with pytest.raises(TypeError, match="takes a number"):
        Value(data)


# ---- Listing the graph for drawing ----


def test_graph_lists_every_node_and_edge_of_the_worked_example():
    a, b, c, u, v, J = syllabus_graph()
    J.backward()
    g = J.graph()

    assert [n["id"] for n in g["nodes"]] == list(range(7))  # a, b, c, u, v, the constant 3, J
    by_label = {n["label"]: n for n in g["nodes"]}
    assert by_label["u"] | {"id": 0} == {"id": 0, "label": "u", "op": "*", "data": 6.0, "grad": 3.0}
    assert (by_label["v"]["op"], by_label["v"]["data"], by_label["v"]["grad"]) == ("+", 11.0, 3.0)
    assert (by_label["J"]["op"], by_label["J"]["data"], by_label["J"]["grad"]) == ("*", 33.0, 1.0)
    assert [(by_label[x]["op"], by_label[x]["grad"]) for x in "abc"] == [
        ("", 3.0),
        ("", 6.0),
        ("", 9.0),
    ]
    assert g["nodes"][-1]["label"] == "J"

    label = {n["id"]: n["label"] or repr(n["data"]) for n in g["nodes"]}
    edges = sorted((label[e["from"]], label[e["to"]]) for e in g["edges"])
    assert edges == sorted(
        [("b", "u"), ("c", "u"), ("a", "v"), ("u", "v"), ("3.0", "J"), ("v", "J")]
    )
    assert all(e["from"] < e["to"] for e in g["edges"])  # topological order


def test_graph_is_plain_json_data_with_stable_ids():
    *_, J = syllabus_graph()
    J.backward()
    g = J.graph()
    assert json.loads(json.dumps(g)) == g
    assert all(type(n["data"]) is float and type(n["grad"]) is float for n in g["nodes"])
    assert J.graph() == g


def test_graph_shows_an_input_used_twice_as_two_edges():
    a = Value(3.0, label="a")
    g = (a * a).graph()
    assert len(g["nodes"]) == 2
    assert g["edges"] == [{"from": 0, "to": 1}, {"from": 0, "to": 1}]


def test_repr():
    *_, J = syllabus_graph()
    J.backward()
    assert repr(J) == "Value(data=33.0, grad=1.0, label='J')"
    assert repr(Value(2.5)) == "Value(data=2.5, grad=0.0)"


def test_nodes_remember_parents_and_operation():
    a, b, c, u, v, J = syllabus_graph()
    assert u.parents == (b, c) and u.op == "*"
    assert v.parents == (a, u) and v.op == "+"
    assert a.parents == () and a.op == ""
    assert (a**2).op == "**2"
