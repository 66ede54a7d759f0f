"""Shared test helpers: independent oracles (sympy.diff, numeric evaluation); figures are
drawn with the Agg backend (no screen) and closed after each test."""

from __future__ import annotations

import random

import matplotlib
import pytest
import sympy as sp

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402  (after choosing the backend)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def same_expression(a, b) -> bool:
    """Exact equality of two SymPy expressions: the difference simplifies to 0."""
    d = sp.sympify(a) - sp.sympify(b)
    if d == 0 or sp.expand(d) == 0:
        return True
    return sp.simplify(d) == 0


def same_numerically(a, b, symbols, *, points=3, seed=0, tol=1e-9) -> bool:
    """a and b agree at random points in [0.3, 1.2] (a region where the catalogue is defined)."""
    rng = random.Random(seed)
    for _ in range(points):
        values = {s: sp.Float(rng.uniform(0.3, 1.2), 30) for s in symbols}
        va, vb = sp.N(sp.sympify(a).xreplace(values), 20), sp.N(sp.sympify(b).xreplace(values), 20)
        if abs(complex(va) - complex(vb)) > tol * max(1.0, abs(complex(vb))):
            return False
    return True
