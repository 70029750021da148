"""Points in the plane for the shallow-network lesson: the "flower" and the XOR problem."""

import numpy as np

__all__ = ["load_planar_dataset", "load_xor_dataset"]


def load_planar_dataset(m=400, seed=1):
    r"""The "flower": 2-D points in petals, as in the course's shallow-network lesson.

    Two classes of m/2 points each (one more in class 1 if m is odd); each class fills four petals
    of the curve r = 4 sin 4t, t the angle, with Gaussian noise on t and on r. No straight line
    separates them (a diagonal gets about 72 %: two pairs of adjacent petals share a class);
    logistic regression settles near 51 %, one hidden layer of 4 tanh units above 90 %.

    Returns X: (2, m) coordinates and Y: (1, m) labels 0 / 1 (int64). The same seed gives the
    same points; no global random state is touched.
    """
    m = _check_count(m)
    rng = np.random.default_rng(seed)
    X = np.zeros((2, m))
    Y = np.zeros((1, m), dtype=np.int64)
    a = 4.0  # the petals' length
    start = 0
    for j, n in enumerate((m // 2, m - m // 2)):
        t = np.linspace(j * 3.12, (j + 1) * 3.12, n) + rng.normal(0.0, 0.2, n)  # angle
        r = a * np.sin(4.0 * t) + rng.normal(0.0, 0.2, n)  # radius
        X[0, start : start + n] = r * np.sin(t)
        X[1, start : start + n] = r * np.cos(t)
        Y[0, start : start + n] = j
        start += n
    return X, Y


def load_xor_dataset(m=400, noise=0.1, seed=1):
    r"""The XOR problem: points in the square [-1, 1]², label 1 where x₁ and x₂ differ in sign.

    The two classes sit in opposite quadrants, so no single line separates them (logistic
    regression is stuck near 50 %) while a hidden layer of a few units solves it.
    ``noise`` is the standard deviation of Gaussian noise added to the points after labelling,
    which blurs the boundary near the axes (``noise=0`` gives a clean boundary).

    Returns X: (2, m) and Y: (1, m) labels 0 / 1 (int64).
    """
    m = _check_count(m)
    if not noise >= 0:
        raise ValueError(f"noise must be 0 or more, got {noise}")
    rng = np.random.default_rng(seed)
    X = rng.uniform(-1.0, 1.0, (2, m))
    Y = ((X[0:1] > 0) != (X[1:2] > 0)).astype(np.int64)
    if noise:
        X = X + rng.normal(0.0, noise, (2, m))
    return X, Y


def _check_count(m):
    if isinstance(m, (bool, np.bool_)) or not isinstance(m, (int, np.integer)) or m < 2:
        raise ValueError(f"m, the number of examples, must be an integer of at least 2, got {m!r}")
    return int(m)
