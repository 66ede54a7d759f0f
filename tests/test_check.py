"""The checkers can fail: wrong gradients and wrong adjoints are caught; SymPy's own
MatrixExpr.diff is judged side by side (what sympy 1.14 does is recorded here)."""

import numpy as np
import pytest
import sympy as sp

import symbackslash as sb
from symbackslash import InputError

A, X = sp.MatrixSymbol("A", 3, 3), sp.MatrixSymbol("X", 3, 3)
SYMPY_114 = sp.__version__.startswith("1.14")


def test_check_gradient_passes_right_and_catches_wrong_gradients():
    f = sp.Trace(A * X * X)
    right = sb.gradient(f, [X])
    assert sb.check_gradient(f, [X], right).passed
    wrong = sb.check_gradient(f, [X], [A.T * X.T + X.T * A])      # the transposes swapped
    assert not wrong.passed and "WRONG" in str(wrong)
    assert not sb.check_gradient(f, [X], [2 * right[0]]).passed


def test_finite_differences_of_a_known_function():
    values = {X: np.arange(9.0).reshape(3, 3)}
    fd = sb.finite_differences(sp.Trace(X.T * X), X, values)
    assert np.allclose(fd, 2 * values[X], atol=1e-6)


def test_check_gradient_arguments():
    with pytest.raises(InputError, match="2 gradients for 1 variables"):
        sb.check_gradient(sp.Trace(X), [X], [sp.Identity(3), sp.Identity(3)])
    with pytest.raises(InputError, match="not scalar-valued"):
        sb.finite_differences(X, X, {X: np.eye(3)})


class WrongAdjoint(sb.LeftMultiply):
    """ℒ_A with the adjoint forgotten to transpose: the dot test must fail."""

    def adjoint(self):
        return sb.LeftMultiply(self.matrix)


def test_dot_test_catches_a_wrong_adjoint():
    assert sb.dot_test(sb.LeftMultiply(A), (3, 2)).passed
    assert not sb.dot_test(WrongAdjoint(A), (3, 2)).passed
    with pytest.raises(InputError, match="needs an Operator"):
        sb.dot_test(A, (3, 3))


def rows(f, wrt):
    return {str(r["variable"]): r for r in sb.compare_with_sympy(f, wrt).rows}


def test_sympy_comparison_log_det():
    row = rows(sp.log(sp.Determinant(X)), [X])["X"]
    assert row["ours"] == X.T.I and row["ours_ok"]
    if SYMPY_114:
        assert row["sympy"] == sp.ZeroMatrix(3, 3) and row["verdict"] == "SymPy differs"


def test_sympy_comparison_agrees_on_a_trace():
    row = rows(sp.Trace(A * X), [X])["X"]
    assert row["ours_ok"] and row["verdict"] == "agrees"


def test_sympy_comparison_on_a_small_tanh_mlp():
    X0, W1 = sp.MatrixSymbol("X0", 3, 5), sp.MatrixSymbol("W1", 4, 3)
    B1 = sp.MatrixSymbol("B1", 4, 5)
    W2, B2, Y = sp.MatrixSymbol("W2", 2, 4), sp.MatrixSymbol("B2", 2, 5), sp.MatrixSymbol("Y", 2, 5)
    E = W2 * (W1 * X0 + B1).applyfunc(sp.tanh) + B2 - Y
    table = rows(sp.Trace(E.T * E) / 2, [W1, B1, W2, B2])
    assert all(r["ours_ok"] for r in table.values())
    if SYMPY_114:
        assert table["W1"]["verdict"] == "SymPy fails" and "ShapeError" in table["W1"]["message"]
        assert [table[p]["verdict"] for p in ("B1", "W2", "B2")] == ["agrees"] * 3


def test_sympy_comparison_records_other_sympy_failures():
    table = {name: rows(f, [X])["X"] for name, f in [
        ("det", sp.Determinant(X)), ("exp_trace", sp.exp(sp.Trace(A * X))),
        ("hadamard_cube", sp.Trace(sp.HadamardPower(X, 3)))]}
    assert all(r["ours_ok"] for r in table.values())
    if SYMPY_114:
        assert table["det"]["verdict"] == "SymPy fails"            # an unevaluated Derivative
        assert table["exp_trace"]["sympy"] == sp.ZeroMatrix(3, 3)
        assert table["exp_trace"]["verdict"] == "SymPy differs"
        assert table["hadamard_cube"]["verdict"] == "SymPy differs"
    text = str(sb.compare_with_sympy(sp.Determinant(X), [X]))
    assert text.startswith("X: ") and "symbackslash  Determinant(X)*X.T**(-1)" in text


def test_text_is_refused_not_parsed():
    evil = "__import__('os').getcwd()"
    with pytest.raises(InputError, match="must be a SymPy expression"):
        sb.check_gradient(sp.Trace(X), [X], [evil])
    with pytest.raises(InputError, match="a shape is"):
        sb.dot_test(sb.LeftMultiply(A), (evil, "2"))
    with pytest.raises(InputError, match="a shape is"):
        sb.ZeroOperator((evil, 2), (2, 2))
    with pytest.raises(InputError, match="not str"):
        sb.dot_test(sb.LeftMultiply(A), (3, 2), values={A: [[evil] * 3] * 3})


def test_checks_take_what_gradient_takes():
    """Text, programs, graphs and names, as for gradient; the differences are compared with
    the derivative sympy.diff gives at the same point."""
    import sympy as sp

    import symbackslash as sb
    x, y = sp.symbols("x y")
    for f in ("a = x*y; f = sin(a) + a", "sin(x*y) + x*y", sb.build_graph("sin(x*y) + x*y"),
              sb.parse_program("a = x*y\nf = sin(a) + a")):
        report = sb.check_gradient(f, ["x", "y"])
        assert report.passed and [c.variable for c in report.checks] == [x, y]
    assert [c.variable for c in sb.check_gradient("x*y").checks] == [x, y]   # default wrt
    fd = sb.finite_differences("x**2*y", "x", {"x": 1.5, "y": 2.0})
    assert abs(fd - float(sp.diff(x**2*y, x).subs({x: 1.5, y: 2.0}))) < 1e-6
    assert [r["verdict"] for r in sb.compare_with_sympy("x**2*y").rows] == ["agrees"] * 2
    from symbackslash.examples import five_node_graph
    with pytest.raises(sb.InputError, match="a graph made by hand"):
        sb.check_gradient(five_node_graph())
    with pytest.raises(sb.InputError, match="not list"):
        sb.check_gradient([x], [x])
