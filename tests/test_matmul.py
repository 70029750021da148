"""nndl.matmul: the seam for the heavy matrix products equals NumPy's @ on every layout."""

import numpy as np
import pytest

from nndl import deep, logistic, matmul


def layouts(M):
    """M in C order and in Fortran order (the same values)."""
    return [np.ascontiguousarray(M), np.asfortranarray(M)]


@pytest.mark.parametrize("dtype, rtol", [(np.float64, 1e-12), (np.float32, 1e-5)])
def test_matmul_equals_numpy_on_every_layout(dtype, rtol):
    rng = np.random.default_rng(0)
    A = rng.standard_normal((20, 300)).astype(dtype)
    B = rng.standard_normal((300, 9)).astype(dtype)
    for A_ in layouts(A):
        for B_ in layouts(B):
            C = matmul.matmul(A_, B_)
            assert C.shape == (20, 9) and C.dtype == dtype
            np.testing.assert_allclose(C, A @ B, rtol=rtol, atol=rtol * 10)
    # Transposed views, as the backward pass passes them (dZ @ A_prev.T, W.T @ dZ).
    np.testing.assert_allclose(matmul.matmul(B.T, A.T), (A @ B).T, rtol=rtol, atol=rtol * 10)


@pytest.mark.parametrize("shape_a, shape_b", [((1, 500), (500, 60)), ((500, 60), (60, 1))])
def test_matrix_times_vector_on_every_layout(shape_a, shape_b):
    """A row times a matrix (logistic regression's wᵀX) and a matrix times a column (X dZᵀ)."""
    rng = np.random.default_rng(3)
    A, B = rng.standard_normal(shape_a), rng.standard_normal(shape_b)
    for A_ in layouts(A):
        for B_ in layouts(B):
            np.testing.assert_allclose(matmul.matmul(A_, B_), A @ B, rtol=1e-12, atol=1e-12)
    # A vector taken every other element of a longer one.
    if shape_b[1] == 1:
        wide = np.repeat(B, 2, axis=0)[::2]
        np.testing.assert_allclose(matmul.matmul(A, wide), A @ B, rtol=1e-12, atol=1e-12)


def test_matmul_falls_back_to_numpy_for_anything_else():
    rng = np.random.default_rng(1)
    A = rng.standard_normal((40, 600))
    strided = A[:, ::2]  # neither C- nor Fortran-contiguous
    B = rng.standard_normal((300, 70))
    np.testing.assert_allclose(matmul.matmul(strided, B), strided @ B, rtol=1e-12)
    ints = np.arange(12).reshape(3, 4)
    assert (matmul.matmul(ints, ints.T) == ints @ ints.T).all()
    v = np.arange(4.0)
    assert matmul.matmul(v, v) == v @ v
    with pytest.raises(ValueError):
        matmul.matmul(np.ones((2, 3)), np.ones((2, 3)))
    assert matmul.backend() in ("numpy", "openblas")


def test_training_steps_use_the_seam_and_agree_with_the_equations():
    rng = np.random.default_rng(2)
    X = np.asfortranarray(rng.random((50, 30)))
    Y = (rng.random((1, 30)) > 0.5).astype(float)
    p = deep.initialize_parameters([50, 4, 1])
    AL, caches = deep.model_forward(X, p)
    Z1 = p["W1"] @ X + p["b1"]
    np.testing.assert_allclose(caches[0][1], Z1, rtol=1e-12)
    grads = deep.model_backward(AL, Y, caches)
    dZ2 = AL - Y
    A1 = np.maximum(Z1, 0)
    np.testing.assert_allclose(grads["dW2"], dZ2 @ A1.T / 30, rtol=1e-10)
    w = rng.standard_normal((50, 1))
    g, _ = logistic.propagate(w, 0.5, X, Y)
    A = 1 / (1 + np.exp(-(w.T @ X + 0.5)))
    np.testing.assert_allclose(g["dw"], X @ (A - Y).T / 30, rtol=1e-10)


# ---- The BLAS route, checked natively: a CBLAS written in NumPy stands in for the library -------
# It reads and writes memory through the raw addresses matmul passes, so the transposition flags,
# leading dimensions and strides that matmul computes are checked exactly as the library reads them.

ROW_MAJOR, NO_TRANS = 101, 111


def _memory(address, count, dtype):
    import ctypes

    buffer = (ctypes.c_char * (count * np.dtype(dtype).itemsize)).from_address(address)
    return np.frombuffer(buffer, dtype=dtype)


def _stored(address, rows, ld, columns, dtype):
    """The row-major matrix (rows, columns) stored at address with leading dimension ld."""
    return _memory(address, (rows - 1) * ld + columns, dtype)[
        np.arange(rows)[:, None] * ld + np.arange(columns)
    ]


def _reference_blas(dtype):
    def gemm(order, ta, tb, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc):
        assert order == ROW_MAJOR
        a = _stored(A, M, lda, K, dtype) if ta == NO_TRANS else _stored(A, K, lda, M, dtype).T
        b = _stored(B, K, ldb, N, dtype) if tb == NO_TRANS else _stored(B, N, ldb, K, dtype).T
        out = _memory(C, M * ldc, dtype).reshape(M, ldc)
        out[:, :N] = alpha * (a @ b) + (beta * out[:, :N] if beta else 0)  # beta 0: C unread

    def gemv(order, trans, M, N, alpha, A, lda, x, incx, beta, y, incy):
        assert order == ROW_MAJOR
        a = _stored(A, M, lda, N, dtype)
        if trans != NO_TRANS:
            a = a.T
        rows, columns = a.shape
        v = _memory(x, (columns - 1) * incx + 1, dtype)[::incx]
        out = _memory(y, (rows - 1) * incy + 1, dtype)[::incy]
        out[:] = alpha * (a @ v) + (beta * out if beta else 0)

    return gemm, gemv


def test_the_blas_route_passes_every_layout_as_the_library_reads_it(monkeypatch):
    monkeypatch.setattr(
        matmul, "_blas", {np.dtype(t): _reference_blas(t) for t in (np.float64, np.float32)}
    )
    assert matmul.backend() == "openblas"
    test_matmul_equals_numpy_on_every_layout(np.float64, 1e-12)
    test_matmul_equals_numpy_on_every_layout(np.float32, 1e-5)
    for shapes in (((1, 500), (500, 60)), ((500, 60), (60, 1))):
        test_matrix_times_vector_on_every_layout(*shapes)
    test_matmul_falls_back_to_numpy_for_anything_else()
    test_training_steps_use_the_seam_and_agree_with_the_equations()
