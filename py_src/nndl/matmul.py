r"""The matrix product of the heavy layers, ``A @ B``, by the fastest route at hand.

The models spend nearly all their time in a few large products (``W[1] A[0]`` forward,
``dZ[1] A[0]ᵀ`` backward, with ``A[0] = X`` of shape (12288, m)). Natively NumPy's ``@`` already
calls an optimised BLAS; Pyodide's NumPy has no BLAS, and its ``@`` is about 30 times slower. So
in the browser :func:`matmul` takes another route, and always equals ``A @ B`` to rounding:

* ``"simd"`` (float64): the course's WebAssembly kernel (``wasm/gemm.wat``), which
  the site's Python worker writes to :data:`GEMM_PATH`, opened with ``ctypes``: matrix times
  matrix, and matrix times vector for logistic regression.
* ``"openblas"``: Pyodide's ``openblas`` package at :data:`OPENBLAS_PATH`, through ``ctypes``
  (``cblas_?gemm``, ``cblas_?gemv``): float32, and float64 where the kernel cannot run (no
  WebAssembly SIMD). About half as fast as the kernel on the course's shapes.

Operands are read in the memory order they have (C or Fortran order), never copied. Products
under :data:`MIN_WORK` multiply-adds stay with NumPy. :func:`backend` names the route float64
products take: ``"simd"``, ``"openblas"`` or ``"numpy"``.
"""
import ctypes
import os
import sys

import numpy as np

__all__ = ["matmul", "backend"]

#: Where Pyodide installs the shared library of its ``openblas`` package.
OPENBLAS_PATH = "/usr/lib/libopenblas.so"

#: Where the site's Python worker puts the WebAssembly kernel (wasm/gemm.wat).
GEMM_PATH = "/usr/lib/nndl-gemm.wasm"

#: Products smaller than this many multiply-adds stay with NumPy: calling out costs more.
MIN_WORK = 20_000

_ROW_MAJOR, _NO_TRANS, _TRANS = 101, 111, 112
_blas = None  # {dtype: (gemm, gemv)} once the library is found
_kernel = None  # the SIMD kernel once found (False: it cannot run here)


class _Kernel:  # pragma: no cover (only in the browser; tests stand in for it)
    """The functions of the WebAssembly kernel (see gemm.wat), typed for ctypes, and the scratch
    memory its gemm needs."""

    def __init__(self, library):
        size, pointer = ctypes.c_int, ctypes.c_void_p
        library.work_bytes.argtypes, library.work_bytes.restype = [], size
        # gemm(n, p, k, A, a_row, a_col, B, b_row, b_col, C, work): strides in elements
        self.gemm = library.gemm
        self.gemm.argtypes = [size] * 3 + [pointer, size, size] * 2 + [pointer, pointer]
        self.gemm.restype = None
        # gemv_dot / gemv_axpy(rows, k, M, ldm, x, y)
        self.gemv_dot, self.gemv_axpy = library.gemv_dot, library.gemv_axpy
        for gemv in (self.gemv_dot, self.gemv_axpy):
            gemv.argtypes = [size, size, pointer, size, pointer, pointer]
            gemv.restype = None
        self.work = np.empty(library.work_bytes() // 8)


def _found(name, path, load):
    """The module's ``_kernel`` or ``_blas`` (``name``): ``load(path)`` the first time it is
    asked for in Pyodide once ``path`` exists, then what that returned."""
    if globals()[name] is None and sys.platform == "emscripten" and os.path.exists(path):
        globals()[name] = load(path)  # pragma: no cover (only in the browser)
    return globals()[name]


def _find_kernel():
    """The SIMD kernel, if this is Pyodide and the site's Python worker has put it in place."""
    return _found("_kernel", GEMM_PATH, _load_kernel)


def _load_kernel(path):  # pragma: no cover (only in the browser; tests stand in for it)
    """The kernel at path, or False if this browser cannot run it (so it is not tried again)."""
    try:
        return _Kernel(ctypes.CDLL(path))
    except OSError:
        return False


def _find_blas():
    """The library's functions by dtype, if this is Pyodide and its OpenBLAS has been loaded."""
    return _found("_blas", OPENBLAS_PATH, _load_blas)


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
    """The route of float64 products: ``"simd"`` (the WebAssembly kernel), ``"openblas"`` or
    ``"numpy"``."""
    if _find_kernel():
        return "simd"
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

    In the browser, a product worth it (at least :data:`MIN_WORK` multiply-adds) goes through
    the SIMD kernel when both operands are float64, else through OpenBLAS when it is loaded and
    both are float64 or both float32. Anything else (other dtypes, vectors, stacks of matrices, a
    shape mismatch and its error message) is NumPy's ``@``.
    """
    if (
        not isinstance(A, np.ndarray)
        or not isinstance(B, np.ndarray)
        or A.ndim != 2
        or B.ndim != 2
        or A.dtype != B.dtype
        or A.shape[1] != B.shape[0]
        or A.shape[0] * A.shape[1] * B.shape[1] < MIN_WORK
    ):
        return A @ B
    kernel = _find_kernel() if A.dtype == np.float64 else None
    if kernel:
        return _by_kernel(kernel, A, B)
    blas = _find_blas()
    if blas and A.dtype in blas:
        return _by_blas(blas[A.dtype], A, B)
    return A @ B


def _strides(M):
    """M's (row, column) strides counted in elements, or None if they are not whole, positive
    numbers of elements (a reversed view, say): NumPy then computes the product."""
    if any(step < 0 or step % M.itemsize for step in M.strides):
        return None
    return [step // M.itemsize for step in M.strides]


def _by_kernel(kernel, A, B):
    """A @ B by the WebAssembly kernel (float64)."""
    (n, k), p = A.shape, B.shape[1]
    C = np.empty((n, p))
    if p == 1 or n == 1:
        # A matrix times a vector: C = A b, or Cᵀ = Bᵀ aᵀ for a row a. The vector (k numbers, few
        # next to the matrix) is copied if its numbers are not side by side.
        M, x = (A, B[:, 0]) if p == 1 else (B.T, A[0])
        x = np.ascontiguousarray(x)
        rows = M.shape[0]
        if M.flags.c_contiguous:  # rows side by side: a dot product per row
            kernel.gemv_dot(rows, k, M.ctypes.data, k, x.ctypes.data, C.ctypes.data)
            return C
        if M.flags.f_contiguous:  # columns side by side: y += column × x[l], column by column
            kernel.gemv_axpy(rows, k, M.ctypes.data, rows, x.ctypes.data, C.ctypes.data)
            return C
    a, b = _strides(A), _strides(B)
    if a is None or b is None:
        return A @ B
    kernel.gemm(n, p, k, A.ctypes.data, *a, B.ctypes.data, *b, C.ctypes.data,
                kernel.work.ctypes.data)
    return C


def _by_blas(functions, A, B):
    """A @ B by OpenBLAS's gemm, or gemv for a matrix times a vector."""
    gemm, gemv = functions
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
