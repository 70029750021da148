"""Tests for nndl.gradcheck: finite differences, relative error, and the gradient checks."""

import numpy as np
import pytest
from nndl.gradcheck import (
    TOLERANCE,
    GradientCheck,
    check_backward,
    check_gradients,
    numerical_gradient,
    relative_error,
)

SHAPES = [(), (3,), (4, 1), (1, 5), (2, 3)]


# ---- numerical_gradient ----


@pytest.mark.parametrize("shape", SHAPES)
def test_numerical_gradient_of_a_cubic(rng, shape):
    x = rng.standard_normal(shape)
    gradapprox = numerical_gradient(lambda x: np.sum(x**3), x)  # d/dx Σx³ = 3x²
    assert gradapprox.shape == x.shape
    np.testing.assert_allclose(gradapprox, 3 * x**2, rtol=1e-6, atol=1e-8)


def test_numerical_gradient_is_two_sided(rng):
    """Central differences err by O(ε²); one-sided ones by O(ε), which would fail here."""
    x = rng.uniform(-1, 1, size=(3, 2))
    gradapprox = numerical_gradient(lambda x: np.sum(np.exp(x)), x, eps=1e-3)
    # error of the central difference: ε²/6 · f'''(x) = ε²/6 · eˣ
    np.testing.assert_allclose(gradapprox, np.exp(x) * (1 + 1e-6 / 6), rtol=1e-8)


def test_numerical_gradient_through_a_shared_variable(rng):
    """f may ignore its argument and read the array through a dict it shares with the caller."""
    params = {"W": rng.standard_normal((2, 3))}
    A = rng.standard_normal((2, 3))
    gradapprox = numerical_gradient(lambda _: np.sum(A * params["W"]), params["W"])
    np.testing.assert_allclose(gradapprox, A, rtol=1e-6)


def test_numerical_gradient_for_large_entries(rng):
    """Around x = 255 (a raw pixel), x ± ε is rounded to a multiple of 2⁻⁴⁵ ≈ 3e-14: the step
    actually taken differs from 2ε by up to 3e-7 relative, and must be the one divided by."""
    for x in 255 + rng.uniform(0, 1, size=8):
        gradapprox = numerical_gradient(np.sin, np.array(x))  # f(x) = sin x stays near 1
        assert abs(gradapprox - np.cos(x)) < 2e-9


def test_numerical_gradient_restores_x_exactly(rng):
    x = rng.standard_normal((3, 4))
    before = x.copy()
    numerical_gradient(lambda x: np.sum(np.sin(x)), x)
    assert np.array_equal(x, before)


def test_numerical_gradient_restores_x_when_f_fails(rng):
    x = rng.standard_normal((2, 2))
    before = x.copy()
    calls = []

    def f(x):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("f failed")
        return np.sum(x)

    with pytest.raises(RuntimeError, match="f failed"):
        numerical_gradient(f, x)
    assert np.array_equal(x, before)


def test_numerical_gradient_accepts_a_cost_held_in_a_1_by_1_array(rng):
    x = rng.standard_normal((3, 1))
    gradapprox = numerical_gradient(lambda x: x.T @ x, x)  # (1, 1); d(xᵀx)/dx = 2x
    np.testing.assert_allclose(gradapprox, 2 * x, rtol=1e-6)


def test_numerical_gradient_refuses_f_returning_several_numbers(rng):
    with pytest.raises(ValueError, match="must return a single number"):
        numerical_gradient(lambda x: x * 2, rng.standard_normal((2, 2)))


@pytest.mark.parametrize(
    "x",
    [np.ones((2, 2), dtype=int), np.ones((2, 2), dtype=np.float32), [1.0, 2.0]],
    ids=["int", "float32", "list"],
)
def test_numerical_gradient_needs_a_float64_array(x):
    with pytest.raises(TypeError, match="float64"):
        numerical_gradient(lambda x: np.sum(x), x)


# ---- relative_error ----


def test_relative_error_by_hand():
    # ‖(1, 0) − (0, 1)‖ = √2, and ‖(1, 0)‖ + ‖(0, 1)‖ = 2
    assert relative_error([1.0, 0.0], [0.0, 1.0]) == pytest.approx(np.sqrt(2) / 2, rel=1e-15)
    # ‖(3, 4) − (0, 0)‖ = 5 = ‖(3, 4)‖ + 0
    assert relative_error([3.0, 4.0], [0.0, 0.0]) == 1.0
    # grad = (3, 4), gradapprox = (3, 4.5): 0.5 / (5 + √(9 + 20.25))
    assert relative_error([3.0, 4.0], [3.0, 4.5]) == pytest.approx(
        0.5 / (5 + np.sqrt(29.25)), rel=1e-15
    )


def test_relative_error_of_equal_and_of_zero_gradients(rng):
    a = rng.standard_normal((3, 3))
    assert relative_error(a, a.copy()) == 0.0
    assert relative_error(np.zeros(4), np.zeros(4)) == 0.0
    assert isinstance(relative_error(a, 2 * a), float)


def test_relative_error_is_symmetric_and_scale_free(rng):
    a, b = rng.standard_normal((2, 5, 2))
    assert relative_error(a, b) == pytest.approx(relative_error(b, a), rel=1e-15)
    assert relative_error(1e6 * a, 1e6 * b) == pytest.approx(relative_error(a, b), rel=1e-12)


def test_relative_error_refuses_different_shapes():
    with pytest.raises(ValueError, match=r"shapes \(2, 1\) and \(1, 2\)"):
        relative_error(np.ones((2, 1)), np.ones((1, 2)))


# ---- check_gradients: a whole model's gradient dictionary ----


def linear_model(rng, n_in=3, n_out=2, m=5):
    r"""J = (1/2m) Σ (W X + b − Y)², with dW = (1/m) (W X + b − Y) Xᵀ and db = (1/m) Σ_rows (…)."""
    X = rng.standard_normal((n_in, m))
    Y = rng.standard_normal((n_out, m))
    params = {"W": rng.standard_normal((n_out, n_in)), "b": rng.standard_normal((n_out, 1))}

    def cost(p):
        E = p["W"] @ X + p["b"] - Y
        return np.sum(E**2) / (2 * m)

    E = params["W"] @ X + params["b"] - Y
    grads = {"dW": E @ X.T / m, "db": np.sum(E, axis=1, keepdims=True) / m}
    return cost, params, grads


@pytest.mark.parametrize("n_in, n_out, m", [(1, 1, 1), (3, 2, 5), (4, 3, 7)])
def test_check_gradients_passes_correct_gradients(rng, n_in, n_out, m):
    cost, params, grads = linear_model(rng, n_in, n_out, m)
    result = check_gradients(cost, params, grads)
    assert result.difference < 1e-7
    assert result.passed
    assert set(result.per_key) == {"W", "b"}
    assert max(result.per_key.values()) < 1e-6
    np.testing.assert_allclose(result.numerical["W"], grads["dW"], rtol=1e-6)


def test_check_gradients_finds_the_wrong_gradient(rng):
    cost, params, grads = linear_model(rng)
    grads["db"] = 2 * grads["db"]  # a classic slip: a forgotten 1/2
    result = check_gradients(cost, params, grads)
    assert not result.passed
    assert result.difference > 1e-3
    assert result.per_key["b"] == pytest.approx(1 / 3, rel=1e-5)  # ‖2g − g‖ / (‖2g‖ + ‖g‖)
    assert result.per_key["W"] < 1e-6


def test_check_gradients_does_not_modify_or_share_the_callers_arrays(rng):
    cost, params, grads = linear_model(rng)
    before = {k: v.copy() for k, v in params.items()}
    grads_before = {k: v.copy() for k, v in grads.items()}
    seen = []

    def f(p):
        seen.append(p["W"] is params["W"])
        return cost(p)

    check_gradients(f, params, grads)
    assert not any(seen)
    assert all(np.array_equal(params[k], before[k]) for k in params)
    assert all(np.array_equal(grads[k], grads_before[k]) for k in grads)


def test_check_gradients_with_a_number_parameter_and_keys_without_d(rng):
    X = rng.standard_normal((1, 4))

    def cost(p):  # J = Σ (b + X)², dJ/db = 2 Σ (b + X)
        return np.sum((p["b"] + X) ** 2)

    b = 0.3
    result = check_gradients(cost, {"b": b}, {"b": 2 * np.sum(b + X)})
    assert result.difference < 1e-7


def test_check_gradients_ignores_extra_gradients(rng):
    cost, params, grads = linear_model(rng)
    grads["dA1"] = np.ones((7, 7))
    assert check_gradients(cost, params, grads).passed


def test_check_gradients_names_a_missing_gradient(rng):
    cost, params, grads = linear_model(rng)
    del grads["db"]
    with pytest.raises(ValueError, match="grads has no 'db'"):
        check_gradients(cost, params, grads)


def test_check_gradients_explains_a_rank_1_gradient(rng):
    cost, params, grads = linear_model(rng)
    grads["db"] = grads["db"].ravel()  # np.sum(…, axis=1) without keepdims
    with pytest.raises(
        ValueError,
        match=r"db has shape \(2,\) but the gradient of b needs \(2, 1\)\. db is a rank-1",
    ):
        check_gradients(cost, params, grads)


# ---- check_backward: one forward/backward pair ----


def test_check_backward_of_a_linear_block(rng):
    """Z = W A + b with dA = Wᵀ dZ, dW = dZ Aᵀ, db = Σ_rows dZ (no 1/m: the plain chain rule)."""
    A = rng.standard_normal((3, 4))
    W = rng.standard_normal((2, 3))
    b = rng.standard_normal((2, 1))

    def forward(A, W, b):
        return W @ A + b

    def backward(dZ, A, W, b):
        return W.T @ dZ, dZ @ A.T, np.sum(dZ, axis=1, keepdims=True)

    result = check_backward(forward, backward, A, W, b)
    assert result.passed and result.difference < 1e-7
    assert set(result.per_key) == {0, 1, 2}


def test_check_backward_finds_a_wrong_backward(rng):
    Z = rng.standard_normal((3, 3))
    result = check_backward(np.tanh, lambda dA, Z: dA * (1 - np.tanh(Z)), Z)  # forgot the square
    assert not result.passed
    assert result.difference > 1e-2


def test_check_backward_detects_a_transposed_gradient(rng):
    W = rng.standard_normal((3, 3))
    x = rng.standard_normal((3, 1))
    result = check_backward(lambda W: W @ x, lambda dz, W: x @ dz.T, W)  # right is dz xᵀ
    assert not result.passed


def test_check_backward_depends_on_the_upstream_gradient(rng):
    """A backward that ignores d_out is wrong for a random d_out, even if right for d_out = 1."""
    Z = rng.standard_normal((2, 3))
    result = check_backward(lambda Z: 2 * Z, lambda dA, Z: 2 * np.ones_like(Z), Z)
    assert not result.passed


def test_check_backward_skips_inputs_without_gradient(rng):
    Z = rng.standard_normal((2, 2))

    def forward(Z, name, scale):
        assert name == "double"
        return scale * Z

    result = check_backward(
        forward, lambda dA, Z, name, scale: (scale * dA, None, np.sum(dA * Z)), Z, "double", 2.0
    )
    assert result.passed
    assert set(result.per_key) == {0, 2}


def test_check_backward_of_a_scalar_output(rng):
    x = rng.standard_normal((4, 1))
    result = check_backward(lambda x: np.sum(x**2), lambda d, x: 2 * d * x, x)
    assert result.passed


def test_check_backward_leaves_the_inputs_alone(rng):
    Z = rng.standard_normal((3, 2))
    before = Z.copy()

    def bad_backward(dA, Z):
        Z *= 0  # modifies its argument: must not reach the caller
        return dA

    check_backward(lambda Z: Z, bad_backward, Z)
    assert np.array_equal(Z, before)


def test_check_backward_refuses_a_forward_returning_a_cache(rng):
    Z = rng.standard_normal((2, 2))
    with pytest.raises(TypeError, match=r"f\(\*inputs\)\[0\]"):
        check_backward(lambda Z: (Z, Z), lambda dA, Z: dA, Z)


def test_check_backward_wants_one_gradient_per_input(rng):
    Z = rng.standard_normal((2, 2))
    with pytest.raises(ValueError, match="2 gradients for 1 inputs"):
        check_backward(lambda Z: Z, lambda dA, Z: (dA, dA), Z)


def test_check_backward_wants_a_tuple_for_several_inputs(rng):
    W, x = rng.standard_normal((2, 3)), rng.standard_normal((3, 1))
    with pytest.raises(ValueError, match="1 gradients for 2 inputs"):
        check_backward(
            lambda W, x: W @ x, lambda dz, W, x: np.vstack([dz @ x.T, (W.T @ dz).T]), W, x
        )


def test_check_backward_with_nothing_to_check(rng):
    with pytest.raises(ValueError, match="no gradient to check"):
        check_backward(lambda Z: 2 * Z, lambda dA, Z: None, rng.standard_normal(3))
    with pytest.raises(ValueError, match="no gradient to check"):
        check_gradients(lambda p: 0.0, {}, {})


def test_check_backward_wants_gradients_of_the_inputs_shapes(rng):
    Z = rng.standard_normal((2, 3))
    with pytest.raises(ValueError, match=r"has shape \(3, 2\)"):
        check_backward(lambda Z: Z, lambda dA, Z: dA.T, Z)


def test_check_backward_cannot_differentiate_a_name(rng):
    with pytest.raises(TypeError, match="must return None"):
        check_backward(
            lambda Z, name: Z, lambda dA, Z, name: (dA, dA), rng.standard_normal(2), "relu"
        )


# ---- The result ----


def test_gradient_check_reads_well():
    good = GradientCheck(1e-10, {"W1": 1e-10})
    bad = GradientCheck(0.25, {"W1": 1e-10, "b1": 0.5})
    assert good.passed and not bad.passed
    assert "difference = 1.00e-10" in str(good)
    assert "mistake in backward propagation" in str(bad) and "b1: 5.00e-01" in str(bad)
    assert float(bad) == 0.25


def test_tolerance_is_the_courses_threshold():
    assert TOLERANCE == 2e-7
    assert GradientCheck(1.9e-7).passed and not GradientCheck(2.1e-7).passed
