"""Property-based tests: the public functions fed random shapes and values (hypothesis).

Whatever a reader passes — in a cell, or through an explorable's form — a function either
returns what it documents or raises the ``ValueError`` it documents, with a message; never an
IndexError from deep inside NumPy, never a NaN out of a finite input. Examples are generated
from a fixed seed (``derandomize``), so a run here is the same run in CI and inside Pyodide.
"""

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from nndl import activations, deep, explorables, logistic
from nndl.data import image_to_input
from nndl.explorables import Choice, Number, Text

settings.register_profile(
    "nndl",
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile("nndl")

finite = st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False, width=64)
small_shapes = hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=6)


def arrays(shape=small_shapes, elements=finite):
    return hnp.arrays(np.float64, shape, elements=elements)


# ---- Activations ----------------------------------------------------------------------------------

PAIRS = [
    (activations.sigmoid, activations.sigmoid_backward),
    (activations.tanh, activations.tanh_backward),
    (activations.relu, activations.relu_backward),
    (activations.leaky_relu, activations.leaky_relu_backward),
]


@pytest.mark.parametrize("forward, backward", PAIRS, ids=lambda f: f.__name__)
@given(data=st.data())
def test_activations_keep_the_shape_and_stay_finite(forward, backward, data):
    Z = data.draw(arrays())
    dA = data.draw(arrays(st.just(Z.shape)))
    A = forward(Z)
    dZ = backward(dA, Z)
    assert A.shape == Z.shape and dZ.shape == Z.shape
    assert np.all(np.isfinite(A)) and np.all(np.isfinite(dZ))
    if forward is activations.sigmoid:
        assert np.all((A >= 0) & (A <= 1))
    if forward is activations.tanh:
        assert np.all(np.abs(A) <= 1)


# ---- The deep network's blocks ------------------------------------------------------------------

layer_dims = st.lists(st.integers(1, 6), min_size=2, max_size=5).map(lambda dims: [*dims[:-1], 1])


@given(dims=layer_dims, m=st.integers(1, 8), seed=st.integers(0, 2**16), data=st.data())
def test_a_deep_network_of_any_size_runs_forward_backward_and_update(dims, m, seed, data):
    parameters = deep.initialize_parameters(dims, seed=seed)
    X = data.draw(arrays(st.just((dims[0], m)), st.floats(-10, 10, width=64)))
    Y = data.draw(hnp.arrays(np.float64, (1, m), elements=st.sampled_from([0.0, 1.0])))
    AL, caches = deep.model_forward(X, parameters)
    assert AL.shape == (1, m) and np.all((AL >= 0) & (AL <= 1))
    cost = deep.compute_cost(AL, Y)
    assert math.isfinite(cost) and cost >= 0
    grads = deep.model_backward(AL, Y, caches)
    for l in range(1, len(dims)):
        assert grads[f"dW{l}"].shape == parameters[f"W{l}"].shape
        assert grads[f"db{l}"].shape == parameters[f"b{l}"].shape
    updated = deep.update_parameters(parameters, grads, 0.01)
    assert set(updated) == set(parameters)


@given(dims=layer_dims, rows=st.integers(1, 8), m=st.integers(1, 5))
def test_a_wrongly_shaped_X_is_a_ValueError_that_names_the_shapes(dims, rows, m):
    parameters = deep.initialize_parameters(dims)
    X = np.zeros((rows, m))
    if rows == dims[0]:
        deep.model_forward(X, parameters)
    else:
        with pytest.raises(ValueError, match=r"\(" + str(rows)):
            deep.model_forward(X, parameters)


@given(dims=st.lists(st.integers(-3, 8), min_size=0, max_size=5))
def test_layer_sizes_are_accepted_or_refused_with_a_ValueError(dims):
    try:
        parameters = deep.initialize_parameters(dims)
    except ValueError as error:
        assert str(error)
        return
    assert len(dims) >= 2 and all(n >= 1 for n in dims)
    assert parameters["W1"].shape == (dims[1], dims[0])


@given(AL=arrays(st.just((1, 7)), st.floats(0, 1, width=64)),
       Y=hnp.arrays(np.float64, (1, 7), elements=st.sampled_from([0.0, 1.0])))
def test_the_cost_is_finite_even_for_saturated_predictions(AL, Y):
    assert math.isfinite(deep.compute_cost(AL, Y))


# ---- Logistic regression ---------------------------------------------------------------------------


@given(n=st.integers(1, 6), m=st.integers(1, 6), data=st.data())
def test_propagate_returns_gradients_shaped_like_the_parameters(n, m, data):
    w = data.draw(arrays(st.just((n, 1))))
    b = data.draw(finite)
    X = data.draw(arrays(st.just((n, m))))
    Y = data.draw(hnp.arrays(np.float64, (1, m), elements=st.sampled_from([0.0, 1.0])))
    grads, cost = logistic.propagate(w, b, X, Y)
    assert grads["dw"].shape == (n, 1) and np.ndim(grads["db"]) == 0
    assert math.isfinite(cost) and np.all(np.isfinite(grads["dw"]))


@given(w_shape=small_shapes, x_shape=small_shapes)
def test_propagate_refuses_mismatched_shapes_with_a_ValueError(w_shape, x_shape):
    w, X = np.zeros(w_shape), np.zeros(x_shape)
    Y = np.zeros((1, x_shape[-1]))
    try:
        grads, _ = logistic.propagate(w, 0.0, X, Y)
    except ValueError as error:
        assert str(error)
        return
    assert grads["dw"].shape == w.shape


# ---- Pictures -----------------------------------------------------------------------------------------


@given(image=hnp.arrays(
    st.sampled_from([np.uint8, np.float64]),
    st.tuples(st.integers(1, 40), st.integers(1, 40), st.sampled_from([1, 3, 4])),
    elements=st.integers(0, 1),
))
def test_any_picture_becomes_a_column_of_12288_values_in_0_1(image):
    X = image_to_input(image)
    assert X.shape == (12288, 1) and np.all((X >= 0) & (X <= 1))


@given(shape=hnp.array_shapes(min_dims=1, max_dims=4, min_side=1, max_side=6))
def test_arrays_that_are_not_pictures_are_refused_with_a_ValueError(shape):
    image = np.zeros(shape, dtype=np.uint8)
    try:
        X = image_to_input(image)
    except ValueError as error:
        assert "image" in str(error)
        return
    assert len(shape) in (2, 3) and X.shape == (12288, 1)


# ---- Explorables: what a form can send -----------------------------------------------------------


def form_value(control):
    """What a page could send for this control: sensible values, and nonsense."""
    nonsense = st.one_of(st.text(max_size=12), st.floats(allow_nan=True), st.integers(-10**6, 10**6))
    if isinstance(control, Choice):
        return st.one_of(st.sampled_from(control.values), nonsense)
    if isinstance(control, Number):
        inside = st.floats(control.min, control.max, allow_nan=False)
        if control.integer:
            inside = st.integers(math.ceil(control.min), math.floor(control.max))
        return st.one_of(inside, inside.map(str), nonsense)
    if isinstance(control, Text):
        numbers = st.lists(st.one_of(st.integers(-3, 30), st.floats(-1, 30, allow_nan=False)),
                           max_size=8).map(lambda xs: ", ".join(map(str, xs)))
        return st.one_of(numbers, st.just(control.default), st.text(max_size=40))
    raise AssertionError(f"no strategy for {control!r}")


# The explorables whose work is light enough to fuzz; the trainings (symmetry, learning rates,
# planar boundary) and the race take their inputs through the same controls.
FUZZED = ["computation-graph", "activation-explorer", "dimension-calculator"]


@pytest.mark.slow
@pytest.mark.parametrize("name", FUZZED)
@given(data=st.data())
@settings(max_examples=25)
def test_an_explorable_draws_or_explains_whatever_the_form_sends(name, data):
    explorable = explorables.get(name)
    values = {c.name: data.draw(form_value(c), label=c.name) for c in explorable.controls}
    try:
        view = explorables.render(name, values)
    except ValueError as error:
        assert str(error)
        return
    assert view.summary and view.html


@pytest.mark.parametrize("name", sorted(explorables.REGISTRY))
def test_every_explorable_refuses_values_outside_its_controls(name):
    explorable = explorables.get(name)
    for control in explorable.controls:
        bad = "not a value" if not isinstance(control, Text) else "x" * (control.max_length + 1)
        with pytest.raises(ValueError):
            explorables.render(name, {control.name: bad})
