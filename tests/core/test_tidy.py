"""The clean-up pass: readable forms, and the value never changes."""

import numpy as np
import pytest
import sympy as sp
from sympy.matrices.expressions.applyfunc import ElementwiseApplyFunction

import symbackslash as sb

A, B, X = (sp.MatrixSymbol(n, 3, 3) for n in "ABX")
x, b = sp.MatrixSymbol("x", 3, 1), sp.MatrixSymbol("b", 3, 1)

EXP = (A * B + X).applyfunc(sp.exp).function

CASES = [
    (A * x + A.T * x.T.T, (A + A.T) * x),
    (sp.MatAdd(2 * A * x, -2 * b), sp.MatMul(2, A * x - b)),
    (sp.Transpose(sp.Transpose(A)) * X / 2 + A * X / 2, A * X),
    (-sp.HadamardProduct(-A, X), sp.HadamardProduct(A, X)),
    (sp.Trace(-3 * X.T * A.T), -3 * sp.Trace(A * X)),
    (sp.Trace(sp.ZeroMatrix(3, 3)) + sp.Trace(X), sp.Trace(X)),
    (ElementwiseApplyFunction(EXP, (A * B + X).T),
     sp.Transpose(ElementwiseApplyFunction(EXP, A * B + X))),
    (A.T + X.T, A.T + X.T),                                 # one transpose saved: kept
    (sp.HadamardProduct(A, X) + sp.HadamardProduct(A, B), sp.hadamard_product(A, B + X)),
    (X * A + X * B, X * (A + B)),
    (sp.HadamardProduct(sp.OneMatrix(3, 3), A * X - B), A * X - B),   # 𝟙 ⊙ (AX − B)
    (sp.HadamardProduct(sp.OneMatrix(3, 3), -2 * A, X), -2 * sp.HadamardProduct(A, X)),
]


@pytest.mark.parametrize("expr, expected", CASES, ids=[str(c[0]) for c in CASES])
def test_readable_forms(expr, expected):
    assert sb.tidy(expr) == expected


@pytest.mark.parametrize("expr, expected", CASES, ids=[str(c[0]) for c in CASES])
def test_values_are_unchanged(expr, expected):
    values = sb.random_values(expr, seed=4)
    assert np.allclose(sb.evaluate(sb.tidy(expr), values), sb.evaluate(expr, values))


def test_non_expressions_pass_through():
    assert sb.tidy(3) == 3


def test_exponentials_and_steps_of_one_argument_are_combined_in_products():
    x, y = sp.symbols("x y", real=True)
    assert sb.tidy(sp.exp(-x) * sp.exp(x)) == 1
    assert sb.tidy(y * sp.exp(-x) * sp.exp(x * y)) == y * sp.exp(x * y - x)
    assert sb.tidy(sp.Heaviside(x, 0) * sp.Heaviside(x)) == sp.Heaviside(x, 0)
    assert sb.tidy(3 * sp.Heaviside(x) * sp.Heaviside(y)) == 3 * sp.Heaviside(x) * sp.Heaviside(y)
    for a, b in [(sp.Heaviside(x, 0), sp.Heaviside(x)), (sp.Heaviside(x, 1), sp.Heaviside(x))]:
        for at in (-1, 0, 2):  # equal everywhere, at the step too
            assert sb.tidy(a * b).subs(x, at) == (a * b).subs(x, at)


def test_scalar_gradients_are_tidied_and_off_leaves_them():
    x, y = sp.symbols("x y", real=True)
    f = sp.exp(-x) * sp.exp(x * y)
    (tidied,) = sb.gradient(f, [x])
    assert tidied == y * sp.exp(x * y - x) - sp.exp(x * y - x)
    (plain,) = sb.gradient(f, [x], simplify="off")
    assert plain.has(sp.exp(-x)) and sp.simplify(plain - sp.diff(f, x)) == 0
    assert sb.gradient(sb.relu(x) * sp.Heaviside(x), [x]) == [sp.Heaviside(x, 0)]


def test_a_common_scalar_that_does_not_cancel_by_division_is_taken_out_once():
    """y·tr(vᵀAv)^(y−1) shared by both terms: dividing a trace's power by itself does not
    cancel in SymPy, and taking the quotient out again never ended (an error blaming
    SymPy's recursion); the shared factors are now removed as factors."""
    v, A, y = sp.MatrixSymbol("v", 3, 1), sp.MatrixSymbol("A", 3, 3), sp.Symbol("y")
    f = sp.Trace(sp.MatPow(v.T * A * v, y))
    tidy, plain = sb.gradient(f, [v]), sb.gradient(f, [v], simplify="off")
    written = str(tidy[0])  # y·tr(vᵀAv)^(y−1) once, times (A + Aᵀ)·v
    assert written.count("Trace") == 1 and "(A + A.T)" in written
    values = {v: sp.ImmutableMatrix([1, 2, -1]), A: sp.ImmutableMatrix(3, 3, range(1, 10)),
              y: sp.Rational(3, 2)}
    difference = (tidy[0] - plain[0]).xreplace(values).doit()
    assert all(abs(sp.N(d)) < 1e-12 for d in difference)
