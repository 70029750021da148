r"""The matrix product of the heavy layers, ``A @ B``, by the fastest route at hand.

The models of the course spend nearly all their time in a few large matrix products:
``W[1] A[0]`` forward and ``dZ[1] A[0]ᵀ`` backward, with ``A[0] = X`` of shape (12288, m). This
module is the one place where such a product may take another route than NumPy's ``@``;
everything else in the engine is plain NumPy, and :func:`matmul` always equals ``A @ B`` (to
rounding: the same sums, added in another order).

Why another route exists at all: natively, NumPy hands ``@`` on float arrays to an optimised
BLAS library (OpenBLAS), which splits the product into blocks that stay in the processor's
caches and uses its vector instructions. The NumPy that runs in the browser (Pyodide) is built
without BLAS: its ``@`` is the textbook triple loop, about 30 times slower than the native one
on the course's shapes. Pyodide does ship OpenBLAS compiled to WebAssembly, as the separate
package ``openblas``; when that library is loaded (the cells' runner loads it before a cell that
trains a model), :func:`matmul` calls it through ``ctypes``: ``cblas_dgemm`` (``sgemm`` for
float32) for a product of two matrices, ``cblas_dgemv`` (``sgemv``) when one side is a single
row or column, as in logistic regression's ``wᵀX`` and ``X dZᵀ``.

Both operands are passed in the memory order they already have: a C-ordered (row-major) or a
Fortran-ordered (column-major, like ``X`` from :func:`nndl.data.flatten_images`, or ``Aᵀ`` of a
C-ordered ``A``) matrix is read in place, the transposition being a flag for BLAS, so no product
copies its inputs.

:func:`backend` says which route is in use: ``"numpy"`` or ``"openblas"``.
"""

import ctypes
import os
import sys

import numpy as np

__all__ = ["matmul", "backend"]

#: Where Pyodide installs the shared library of its ``openblas`` package.
OPENBLAS_PATH = "/usr/lib/libopenblas.so"

#: Products smaller than this many multiply-adds stay with NumPy: calling out costs more.
MIN_WORK = 20_000

_ROW_MAJOR, _NO_TRANS, _TRANS = 101, 111, 112
_blas = None  # {dtype: (gemm, gemv)} once the library is found


def _find_blas():
    """The library's functions by dtype, if this is Pyodide and its OpenBLAS has been loaded."""
    global _blas
    if _blas is None and sys.platform == "emscripten" and os.path.exists(OPENBLAS_PATH):
        _blas = _load_blas(OPENBLAS_PATH)  # pragma: no cover (only in the browser)
    return _blas


def _load_blas(path):  # pragma: no cover (only in the browser; tests stand in for it)
    """{dtype: (gemm, gemv)}: the CBLAS functions of the library at path, typed for ctypes."""
    library = ctypes.CDLL(path)
    functions = {}
    size, pointer = ctypes.c_int, ctypes.c_void_p
    for dtype, prefix, real in ((np.float64, "d", ctypes.c_double),
                                (np.float32, "s", ctypes.c_float)):
        gemm = getattr(library, f"cblas_{prefix}gemm")
        # order, transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc
        gemm.argtypes = [size] * 6 + [real, pointer, size, pointer, size, real, pointer, size]
        gemm.restype = None
        gemv = getattr(library, f"cblas_{prefix}gemv")
        # order, trans, M, N, alpha, A, lda, x, incx, beta, y, incy
        gemv.argtypes = [size] * 4 + [real, pointer, size, pointer, size, real, pointer, size]
        gemv.restype = None
        functions[np.dtype(dtype)] = (gemm, gemv)
    return functions


def backend():
    """``"openblas"`` when :func:`matmul` calls the BLAS library, else ``"numpy"``."""
    return "openblas" if _find_blas() else "numpy"


def _layout(M):
    """(transpose flag, leading dimension) that let BLAS read M (rows, columns) where it lies."""
    if M.flags.c_contiguous:
        return _NO_TRANS, max(M.shape[1], 1)
    if M.flags.f_contiguous:
        return _TRANS, max(M.shape[0], 1)
    return None, None


def matmul(A, B):
    """``A @ B`` for matrices A (n, k) and B (k, p) -> (n, p), C-ordered.

    Goes through OpenBLAS when it is loaded (in the browser) and the product is worth it: both
    float64 or both float32, and at least :data:`MIN_WORK` multiply-adds. Anything else (other
    dtypes, vectors, stacks of matrices, a shape mismatch and its error message) is NumPy's ``@``.
    """
    blas = _find_blas()
    if (
        not blas
        or not isinstance(A, np.ndarray)
        or not isinstance(B, np.ndarray)
        or A.ndim != 2
        or B.ndim != 2
        or A.dtype != B.dtype
        or A.dtype not in blas
        or A.shape[1] != B.shape[0]
        or A.shape[0] * A.shape[1] * B.shape[1] < MIN_WORK
    ):
        return A @ B
    gemm, gemv = blas[A.dtype]
    (n, k), p = A.shape, B.shape[1]
    C = np.empty((n, p), dtype=A.dtype)
    if p == 1 or n == 1:
        # A matrix times a vector: C = A b, or Cᵀ = Bᵀ aᵀ for a row a.
        M, x = (A, B) if p == 1 else (B.T, A.T)
        trans, ld = _layout(M)
        step = x.strides[0] // x.itemsize
        if trans is None or step < 1 or x.strides[0] % x.itemsize:
            return A @ B
        rows, columns = M.shape if trans == _NO_TRANS else M.shape[::-1]
        gemv(_ROW_MAJOR, trans, rows, columns, 1.0, M.ctypes.data, ld, x.ctypes.data, step,
             0.0, C.ctypes.data, 1)
        return C
    trans_a, lda = _layout(A)
    trans_b, ldb = _layout(B)
    if trans_a is None or trans_b is None:
        return A @ B
    gemm(_ROW_MAJOR, trans_a, trans_b, n, p, k, 1.0, A.ctypes.data, lda, B.ctypes.data, ldb,
         0.0, C.ctypes.data, p)
    return C
