"""Shared fixtures for the engine's tests (they run on CPython and inside Pyodide alike)."""

import numpy as np
import pytest


@pytest.fixture
def rng():
    """A seeded random generator: the same numbers on every run, and no global random state."""
    return np.random.default_rng(20240611)
