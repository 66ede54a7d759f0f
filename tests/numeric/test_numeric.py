"""NumPy evaluation against SymPy's exact evaluation; random points; errors."""

import numpy as np
import pytest
import sympy as sp

import symbackslash as sb
from symbackslash import EvaluationDomainError, InputError

A, X = sp.MatrixSymbol("A", 3, 3), sp.MatrixSymbol("X", 3, 3)
x = sp.MatrixSymbol("x", 3, 1)
s = sp.Symbol("s")

EXPRESSIONS = [
    sp.Trace(A * X.T) + sp.log(sp.Determinant(X)) * s,
    (A * X ** -2 + 3 * sp.Identity(3)).T * x,
    sp.HadamardProduct(A, X.applyfunc(sp.sin)) + sp.HadamardPower(X, 2),
    sp.exp(x.T * A * x),
    sp.OneMatrix(1, 3) * X.applyfunc(lambda t: sb.sigmoid(s * t) + sb.softplus(t)) * x,
    sp.Max(sp.Trace(X), s) + sp.Abs(sp.Trace(A)),
    A[0, 1] * sp.atan(X[2, 2]),
]


@pytest.mark.parametrize("expr", EXPRESSIONS, ids=[str(e) for e in EXPRESSIONS])
def test_numpy_matches_sympy_exact_evaluation(expr):
    values = sb.random_values(expr, seed=1, integers=True)
    exact = sb.evaluate_exact(expr, values)
    exact = np.array(sp.Matrix(exact).evalf().tolist(), dtype=float) \
        if isinstance(exact, sp.MatrixBase) else float(exact)
    assert np.allclose(sb.evaluate(expr, values), exact, rtol=1e-12)


def test_random_values_are_well_conditioned():
    values = sb.random_values(sp.Trace(A * X) + s + sp.Trace(x * x.T), seed=0)
    assert set(values) == {A, X, s, x}
    for M in (values[A], values[X]):
        assert np.linalg.det(M) > 0
        assert np.all(np.abs(np.diag(M)) > np.sum(np.abs(M), axis=1) - np.abs(np.diag(M)))
    assert 0.5 <= values[s] <= 1.5
    integers = sb.random_values(sp.Trace(X), seed=0, integers=True)[X]
    assert integers.dtype.kind == "i"


def test_errors():
    with pytest.raises(InputError, match="no value for X"):
        sb.evaluate(sp.Trace(X), {})
    with pytest.raises(InputError, match="shape"):
        sb.evaluate(sp.Trace(X), {X: np.eye(2)})
    with pytest.raises(EvaluationDomainError):
        sb.evaluate(sp.Trace(X.I), {X: np.zeros((3, 3))})
    with pytest.raises(InputError, match="cannot evaluate"):
        sb.evaluate(sp.Trace(sp.KroneckerProduct(X, X)), {X: np.eye(3)})
    with pytest.raises(InputError, match="symbolic shape"):
        sb.random_values(sp.Trace(sp.MatrixSymbol("Q", sp.Symbol("n"), sp.Symbol("n"))))


EVIL = "__import__('os').getcwd()"


def test_text_values_are_refused_not_parsed():
    with pytest.raises(InputError, match="not str"):
        sb.evaluate_exact(sp.Trace(X), {X: [[EVIL, 0, 0], [0, 1, 0], [0, 0, 1]]})
    with pytest.raises(InputError, match="not str"):
        sb.evaluate_exact(s * 2, {s: EVIL})
    with pytest.raises(InputError, match="not text"):
        sb.evaluate(s * 2, {s: EVIL})
    with pytest.raises(InputError, match="must be a matrix"):
        sb.evaluate_exact(sp.Trace(X), {X: EVIL})
