"""Small datasets shared by the network tests (imported by them; not a test module)."""

import numpy as np


def xor_data(m=80, seed=0):
    """Four clusters around (±1, ±1); the label is the XOR of the two signs."""
    rng = np.random.default_rng(seed)
    corners = rng.integers(0, 2, size=(2, m))
    X = (2 * corners - 1) + 0.3 * rng.standard_normal((2, m))
    Y = (corners[0:1] ^ corners[1:2]).astype(float)
    return X, Y
