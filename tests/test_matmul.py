"""nndl.matmul: the seam for the heavy matrix products equals NumPy's @ on every layout."""

import itertools
import sys

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
    assert matmul.backend() in ("numpy", "openblas", "simd")


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
    monkeypatch.setattr(matmul, "_kernel", False)  # in Pyodide: float64 by OpenBLAS too
    assert matmul.backend() == "openblas"
    test_matmul_equals_numpy_on_every_layout(np.float64, 1e-12)
    test_matmul_equals_numpy_on_every_layout(np.float32, 1e-5)
    for shapes in (((1, 500), (500, 60)), ((500, 60), (60, 1))):
        test_matrix_times_vector_on_every_layout(*shapes)
    test_matmul_falls_back_to_numpy_for_anything_else()
    test_training_steps_use_the_seam_and_agree_with_the_equations()


# ---- The SIMD route: in Pyodide the real WebAssembly kernel, natively a stand-in in NumPy -------
# In Pyodide (make test-pyodide installs the kernel as the site's worker does) this checks the
# kernel itself, over shapes that leave every kind of remainder to its 4 × 4 tiles, its blocks of
# 64 rows and 256 values of k, and its pairs of values. Natively, the stand-in reads and writes
# memory through the raw addresses and strides matmul passes, as the kernel does.


def _strided(address, shape, steps):
    """The matrix of that shape whose element (i, j) is at address + 8·(i·steps[0] + j·steps[1])."""
    (rows, columns), (row_step, column_step) = shape, steps
    flat = _memory(address, (rows - 1) * row_step + (columns - 1) * column_step + 1, np.float64)
    return flat[np.arange(rows)[:, None] * row_step + np.arange(columns) * column_step]


class _ReferenceKernel:
    """gemm.wat's exported functions, in NumPy (signatures as in that file)."""

    work = np.empty(16)

    def gemm(self, n, p, k, A, a_row, a_col, B, b_row, b_col, C, work):
        a = _strided(A, (n, k), (a_row, a_col))
        b = _strided(B, (k, p), (b_row, b_col))
        _memory(C, n * p, np.float64)[:] = (a @ b).ravel()

    def gemv_dot(self, rows, k, M, ldm, x, y):
        _memory(y, rows, np.float64)[:] = _strided(M, (rows, k), (ldm, 1)) @ _memory(x, k, float)

    def gemv_axpy(self, rows, k, M, ldm, x, y):
        _memory(y, rows, np.float64)[:] = _strided(M, (rows, k), (1, ldm)) @ _memory(x, k, float)


def _the_kernel():
    if sys.platform == "emscripten":
        assert matmul.backend() == "simd", "the Pyodide tests run with the kernel installed"
        return matmul._find_kernel()
    return _ReferenceKernel()


def _operands(A, B):
    """(A, B) in the memory orders matmul meets: C- and Fortran-ordered, and views whose rows and
    columns are both strided (every other row and column of a bigger matrix)."""
    def spread(M):
        big = np.full((2 * M.shape[0], 2 * M.shape[1]), np.nan)
        big[::2, ::2] = M
        return big[::2, ::2]

    for A_ in layouts(A) + [spread(A)]:
        for B_ in layouts(B) + [spread(B)]:
            yield A_, B_


def _assert_product(C, A, B):
    """C equals A @ B to rounding: within 1e-12 of the sum of the terms' sizes, |A| @ |B|."""
    assert C.shape == (A.shape[0], B.shape[1]) and C.dtype == np.float64 and C.flags.c_contiguous
    error = np.abs(C - A @ B)
    assert (error <= 1e-12 * (np.abs(A) @ np.abs(B))).all(), (A.shape, B.shape, error.max())


def test_the_simd_route_equals_numpy_on_every_shape_and_layout(monkeypatch):
    monkeypatch.setattr(matmul, "_kernel", _the_kernel())
    monkeypatch.setattr(matmul, "MIN_WORK", 0)  # every product, however small, by the kernel
    assert matmul.backend() == "simd"
    rng = np.random.default_rng(4)
    shapes = itertools.product((1, 3, 4, 5, 64, 67), (1, 2, 3, 256, 257, 601), (1, 2, 4, 5, 9))
    for n, k, p in shapes:
        A, B = rng.standard_normal((n, k)), rng.standard_normal((k, p))
        for A_, B_ in _operands(A, B):
            _assert_product(matmul.matmul(A_, B_), A_, B_)
    # The course's products on its shapes (with fewer examples): X is (12288, m) Fortran-ordered.
    X = np.asfortranarray(rng.random((12288, 30)))
    W1, dZ1 = rng.standard_normal((20, 12288)), rng.standard_normal((20, 30))
    w, dZ = rng.standard_normal((12288, 1)), rng.standard_normal((1, 30))
    for A, B in ((W1, X), (dZ1, X.T), (w.T, X), (X, dZ.T)):
        _assert_product(matmul.matmul(A, B), A, B)


def test_the_simd_route_leaves_what_it_cannot_read_to_numpy(monkeypatch):
    monkeypatch.setattr(matmul, "_kernel", _the_kernel())
    rng = np.random.default_rng(5)
    A, B = rng.standard_normal((30, 400)), rng.standard_normal((400, 50))
    # Reversed views (negative strides): NumPy's @, the same numbers.
    for A_, B_ in ((A[::-1], B), (A, B[:, ::-1]), (A[:, ::-1], B[::-1])):
        np.testing.assert_array_equal(matmul.matmul(A_, B_), A_ @ B_)
    # float32 is not the kernel's: NumPy's @ here (or OpenBLAS when loaded).
    A32, B32 = A.astype(np.float32), B.astype(np.float32)
    C32 = matmul.matmul(A32, B32)
    assert C32.dtype == np.float32
    np.testing.assert_allclose(C32, A32 @ B32, rtol=1e-4, atol=1e-4)
    # A vector whose numbers are not side by side is copied first.
    wide = rng.standard_normal((800, 1))
    _assert_product(matmul.matmul(A, wide[::2]), A, wide[::2])
    _assert_product(matmul.matmul(wide[::2].T, B), wide[::2].T, B)
    # The same product twice: the same bits (plain multiply and add, in a fixed order).
    W, X = rng.standard_normal((20, 3000)), np.asfortranarray(rng.random((3000, 40)))
    np.testing.assert_array_equal(matmul.matmul(W, X), matmul.matmul(W, X))
