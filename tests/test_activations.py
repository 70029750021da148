"""Tests for nndl.activations: each g(z) and its backward (syllabus §7)."""

import math

import numpy as np
import pytest
from nndl.activations import (
    ACTIVATIONS,
    derivative,
    get_activation,
    leaky_relu,
    leaky_relu_backward,
    relu,
    relu_backward,
    sigmoid,
    sigmoid_backward,
    tanh,
    tanh_backward,
)
from nndl.gradcheck import check_backward

NAMES = ["sigmoid", "tanh", "relu", "leaky_relu"]
SHAPES = [(1, 1), (3, 1), (1, 5), (4, 6)]


def away_from_the_kink(rng, shape):
    """Random z with |z| > 1e-3, so that z ± ε never crosses the ReLU kink at 0."""
    Z = rng.standard_normal(shape)
    return np.where(np.abs(Z) < 1e-3, 0.5, Z)


# ---- Every backward against finite differences ----


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("name", NAMES)
def test_backward_against_finite_differences(rng, name, shape):
    g, g_backward = get_activation(name)
    Z = away_from_the_kink(rng, shape)
    assert np.all(np.abs(Z) > 1e-3)
    result = check_backward(g, g_backward, Z)
    assert result.difference < 1e-7, str(result)


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("name", NAMES)
def test_forward_and_backward_keep_the_shape(rng, name, shape):
    g, g_backward = get_activation(name)
    Z = rng.standard_normal(shape)
    assert g(Z).shape == shape
    assert g_backward(rng.standard_normal(shape), Z).shape == shape


def test_leaky_relu_with_another_slope(rng):
    Z = away_from_the_kink(rng, (3, 4))
    result = check_backward(
        lambda Z: leaky_relu(Z, 0.2), lambda dA, Z: leaky_relu_backward(dA, Z, 0.2), Z
    )
    assert result.passed
    np.testing.assert_array_equal(leaky_relu(np.array([-5.0, 5.0]), 0.2), [-1.0, 5.0])


# ---- The table of the syllabus: g(z) and g'(z) ----


def test_values_at_known_points():
    z = np.array([-2.0, 0.0, 3.0])
    np.testing.assert_allclose(
        sigmoid(z), [1 / (1 + math.e**2), 0.5, 1 / (1 + math.e**-3)], rtol=1e-15
    )
    np.testing.assert_allclose(tanh(z), [math.tanh(-2.0), 0.0, math.tanh(3.0)], rtol=1e-15)
    np.testing.assert_array_equal(relu(z), [0.0, 0.0, 3.0])
    np.testing.assert_allclose(leaky_relu(z), [-0.02, 0.0, 3.0], rtol=1e-15)


def test_derivatives_follow_the_table(rng):
    z = rng.uniform(-5, 5, size=50)
    s, t = sigmoid(z), np.tanh(z)
    np.testing.assert_allclose(derivative("sigmoid", z), s * (1 - s), rtol=1e-15)
    np.testing.assert_allclose(derivative("tanh", z), 1 - t**2, rtol=1e-15)
    np.testing.assert_array_equal(derivative("relu", z), np.where(z > 0, 1.0, 0.0))
    np.testing.assert_array_equal(derivative("leaky_relu", z), np.where(z > 0, 1.0, 0.01))


def test_sigmoid_at_zero_and_its_symmetry(rng):
    assert sigmoid(0.0) == 0.5
    assert derivative("sigmoid", 0.0) == 0.25  # σ(0)(1 − σ(0)) = 1/4, the steepest slope
    z = rng.uniform(-20, 20, size=100)
    np.testing.assert_allclose(sigmoid(z) + sigmoid(-z), 1.0, rtol=1e-15)  # σ(−z) = 1 − σ(z)


def test_backward_multiplies_by_dA(rng):
    Z = away_from_the_kink(rng, (3, 4))
    dA = rng.standard_normal((3, 4))
    for name in NAMES:
        _, g_backward = get_activation(name)
        np.testing.assert_allclose(g_backward(dA, Z), dA * derivative(name, Z), rtol=1e-15)


# ---- The kink of ReLU and leaky ReLU at exactly 0: the documented choice ----


def test_values_used_at_the_kink():
    assert derivative("relu", 0.0) == 0.0
    assert derivative("leaky_relu", 0.0) == 0.01
    np.testing.assert_array_equal(
        relu_backward(np.array([[2.0, 2.0, 2.0]]), np.array([[-1.0, 0.0, 1.0]])), [[0.0, 0.0, 2.0]]
    )
    np.testing.assert_allclose(
        leaky_relu_backward(np.array([[2.0, 2.0, 2.0]]), np.array([[-1.0, 0.0, 1.0]])),
        [[0.02, 0.02, 2.0]],
    )
    assert relu(0.0) == 0.0 and leaky_relu(0.0) == 0.0


# ---- Numerical stability of the sigmoid ----


def test_sigmoid_is_stable_for_large_z():
    """No overflow warning (the test suite turns warnings into errors), and the right limits."""
    Z = np.array([[-1e4, -800.0, -50.0, 50.0, 800.0, 1e4]])
    A = sigmoid(Z)
    assert np.all(np.isfinite(A))
    np.testing.assert_array_equal(A[0, [0, 1, -2, -1]], [0.0, 0.0, 1.0, 1.0])
    assert A[0, 2] == pytest.approx(math.exp(-50), rel=1e-14)  # σ(z) ≈ e^z far to the left
    dZ = sigmoid_backward(np.ones_like(Z), Z)
    assert np.all(np.isfinite(dZ)) and np.all(dZ >= 0)
    np.testing.assert_array_equal(dZ[0, [0, -1]], [0.0, 0.0])


@pytest.mark.parametrize("z", [-1e4, 1e4])
def test_sigmoid_of_a_single_large_number(z):
    assert sigmoid(z) == (1.0 if z > 0 else 0.0)
    assert np.ndim(sigmoid(z)) == 0


def test_tanh_is_stable_for_large_z():
    np.testing.assert_array_equal(tanh(np.array([-1e4, 1e4])), [-1.0, 1.0])
    np.testing.assert_array_equal(tanh_backward(np.ones(2), np.array([-1e4, 1e4])), [0.0, 0.0])


# ---- Looking activations up by name ----


def test_get_activation_returns_the_pairs():
    assert get_activation("relu") == (relu, relu_backward)
    assert get_activation("sigmoid") == (sigmoid, sigmoid_backward)
    assert set(ACTIVATIONS) == set(NAMES)


@pytest.mark.parametrize("name", ["softmax", "ReLU", None, ["relu"]])
def test_unknown_activation(name):
    with pytest.raises(
        ValueError, match="unknown activation .*'sigmoid', 'tanh', 'relu', 'leaky_relu'"
    ):
        get_activation(name)
