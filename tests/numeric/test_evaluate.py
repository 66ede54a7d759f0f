"""Numeric evaluation: singular points raise, conventions warn, values are right."""

import math
import warnings
from fractions import Fraction

import numpy as np
import pytest
import sympy as sp

import symbackslash as sb

x, y = sp.symbols("x y")

# (function, point, what the message says): the function, its closed-form gradient and its
# compiled gradient program are each undefined there.
SINGULAR = [
    ("log(x)", {"x": 0}, "logarithm of zero"),
    ("log(x)", {"x": -1}, "logarithm of a negative number"),
    ("sqrt(x)", {"x": -4}, "non-integer exponent of a negative number"),
    ("1/x", {"x": 0}, "division by zero"),
    ("x**-2", {"x": 0}, "division by zero"),
    ("x/(x - y)", {"x": 1, "y": 1}, "division by zero"),
    ("acos(x)", {"x": 2}, "not real"),
    ("atanh(x)", {"x": 1}, "infinite"),
    ("atan2(y, x)", {"x": 0, "y": 0}, "undefined"),
    ("x**y", {"x": -8, "y": 1/3}, "non-integer exponent of a negative number"),
    ("exp(exp(exp(x)))", {"x": 10}, "overflows"),
    ("tan(x)*0 + log(x - 1)", {"x": 0.5}, "logarithm of a negative number"),
]


@pytest.mark.parametrize("text, point, reason", SINGULAR, ids=[c[0] for c in SINGULAR])
def test_function_value_at_a_singular_point_raises(text, point, reason):
    with pytest.raises(sb.EvaluationDomainError, match=reason) as info:
        sb.evaluate(sb.parse(text), point)
    assert "undefined at" in str(info.value)
    assert info.value.point == {k: float(v) for k, v in point.items()}


@pytest.mark.parametrize("text, point, reason", SINGULAR, ids=[c[0] for c in SINGULAR])
def test_gradient_at_a_singular_point_raises(text, point, reason):
    with pytest.raises(sb.EvaluationDomainError):
        sb.evaluate(sb.gradient(text), point, domain=text)
    program = sb.gradient(text, form="program")
    args = [point[str(s)] for s in program.inputs]
    with pytest.raises(sb.EvaluationDomainError), warnings.catch_warnings():
        warnings.simplefilter("error")  # no RuntimeWarning from NumPy leaks out either
        program.lambdify()(*args)


def test_a_gradient_formula_can_be_finite_where_its_function_is_not():
    # d/dx log(x) = 1/x is -1 at x = -1; only domain= knows that log(-1) is not real.
    (dx,) = sb.gradient("log(x)")
    assert sb.evaluate(dx, {"x": -1}) == -1.0
    with pytest.raises(sb.EvaluationDomainError, match=r"log\(x\) is undefined"):
        sb.evaluate(dx, {"x": -1}, domain="log(x)")


def test_values_match_numpy_and_finite_differences():
    f = "a = x*y\nb = exp(-a) + sin(x)\nf = b / (1 + y**2)"
    point = {"x": 0.3, "y": -0.7}
    closed = sb.evaluate(sb.gradient(f), point, domain=f)
    program = sb.gradient(f, form="program")
    compiled = program.lambdify()(0.3, -0.7)
    assert np.allclose(closed, compiled, rtol=1e-13)
    value = sb.formulas(sb.build_graph(f))[sp.Symbol("f")]

    def at(px, py):
        return sb.evaluate(value, {"x": px, "y": py})

    h = 1e-6
    fd = [(at(0.3 + h, -0.7) - at(0.3 - h, -0.7)) / (2*h),
          (at(0.3, -0.7 + h) - at(0.3, -0.7 - h)) / (2*h)]
    assert np.allclose(closed, fd, rtol=1e-6)


def test_shapes_and_point_forms():
    assert sb.evaluate(x*y, {x: 2, y: Fraction(1, 4)}) == 0.5
    assert sb.evaluate([x, [y, 3]], {"x": 1, "y": np.float64(2)}) == [1.0, [2.0, 3.0]]
    assert sb.evaluate(sp.Matrix([[x, 1], [y, x*y]]), {"x": 2, "y": 3}) == [[2.0, 1.0],
                                                                             [3.0, 6.0]]
    assert sb.evaluate(sp.pi * x, {"x": sp.Rational(1, 2)}) == pytest.approx(math.pi / 2)
    assert sb.evaluate(sb.sigmoid(x), {"x": 0}) == 0.5


def test_a_piece_that_is_not_used_may_be_undefined():
    expr = sp.Piecewise((1/x, x > 0), (sp.log(-x + 1), True))
    assert sb.evaluate(expr, {"x": 0}) == 0.0
    assert sb.evaluate(expr, {"x": 2}) == 0.5
    with pytest.raises(sb.EvaluationDomainError):
        sb.evaluate(sp.Piecewise((1/x, x >= 0), (0, True)), {"x": 0})


def test_shared_subexpressions_are_evaluated_once():
    e = x
    for _ in range(60):  # 2**60 terms written out; 121 distinct subexpressions
        e = sp.Add(sp.sin(e), sp.cos(e), evaluate=False)
    with sb.limits(max_depth=200):
        value = sb.evaluate(e, {"x": 0.1})
    assert math.isfinite(value)


@pytest.mark.parametrize("point", [{"x": "1"}, {"x": float("nan")}, {"x": math.inf},
                                   {"x": 1j}, {"x": True}, {"x": None}, {3: 1.0}, {},
                                   [("x", 1.0)]])
def test_bad_points(point):
    with pytest.raises(sb.InputError):
        sb.evaluate(x + 1, point)


@pytest.mark.parametrize("expr", ["x + 1", sp.MatrixSymbol("A", 2, 2), sp.Eq(x, 1), None,
                                  sp.Function("g")(x), x + sp.nan])
def test_bad_expressions(expr):
    with pytest.raises(sb.InputError):
        sb.evaluate(expr, {"x": 1.0})


def test_text_is_never_evaluated():
    # A string is refused, not parsed: evaluate takes SymPy objects (text goes through parse).
    with pytest.raises(sb.InputError, match="str"):
        sb.evaluate("__import__('os')", {})


# --------------------------------------------------------------------------- conventions


def kink_warnings(function, *args, **kwargs):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = function(*args, **kwargs)
    return result, [w for w in caught if issubclass(w.category, sb.NonSmoothWarning)]


@pytest.mark.parametrize("text, point, expected", [
    ("abs(x)", {"x": 0}, [0.0]),
    ("relu(x)", {"x": 0}, [0.0]),
    ("max(x, y)", {"x": 1, "y": 1}, [0.5, 0.5]),
    ("min(x, y)", {"x": 1, "y": 1}, [0.5, 0.5]),
    ("max(x, y, z)", {"x": 2, "y": 2, "z": 2}, [1/3, 1/3, 1/3]),
    ("max(x, y, z)", {"x": 2, "y": 2, "z": 1}, [0.5, 0.5, 0.0]),
    ("min(x, y, z)", {"x": 0, "y": 1, "z": 0}, [0.5, 0.0, 0.5]),
])
def test_a_convention_is_used_and_flagged_at_a_kink(text, point, expected):
    values, caught = kink_warnings(sb.evaluate, sb.gradient(text), point)
    assert values == pytest.approx(expected)
    assert len(caught) == 1 and "by convention" in str(caught[0].message)
    assert caught[0].filename == __file__  # points at the caller


@pytest.mark.parametrize("text, point", [
    ("abs(x)", {"x": -2}), ("relu(x)", {"x": 3}), ("max(x, y, z)", {"x": 1, "y": 2, "z": 1}),
    ("min(x, y, z)", {"x": 0, "y": 1, "z": 1}), ("max(x, y)", {"x": 0, "y": 1}),
])
def test_no_flag_away_from_kinks(text, point):
    _, caught = kink_warnings(sb.evaluate, sb.gradient(text), point)
    assert caught == []


def test_compiled_program_flags_kinks_and_checks_arrays():
    program = sb.gradient("a = abs(x)\nf = a*y", form="program")
    f = program.lambdify()
    values, caught = kink_warnings(f, 0.0, 2.0)
    assert [float(v) for v in values] == [0.0, 0.0] and len(caught) == 1
    values, caught = kink_warnings(f, np.array([-1.0, 2.0]), np.array([1.0, 3.0]))
    assert np.allclose(values[0], [-1.0, 3.0]) and caught == []
    g = sb.gradient("f = log(x)*y", form="program").lambdify()
    with pytest.raises(sb.EvaluationDomainError, match="log"):
        g(np.array([1.0, -1.0]), np.array([1.0, 1.0]))


@pytest.mark.parametrize("modules", ["math", "mpmath", "sympy"])
def test_compiled_program_is_checked_with_any_backend(modules):
    f = sb.gradient("f = sqrt(x)", form="program").lambdify(modules=modules)
    assert float(f(4.0)[0]) == pytest.approx(0.25)
    with pytest.raises(sb.EvaluationDomainError):
        f(-1.0)


def test_unchecked_program_is_available_and_lies():
    raw = sb.gradient("f = log(x)", form="program").lambdify(check=False)
    with np.errstate(all="ignore"):
        assert math.isinf(raw(np.float64(0.0))[0])


def test_compiled_program_wants_one_argument_per_input():
    f = sb.gradient("f = x*y", form="program").lambdify()
    with pytest.raises(sb.InputError, match="expected 2 arguments"):
        f(1.0)


def test_compiled_program_takes_keyword_arguments_by_name():
    # before: TypeError: CheckedFunction.__call__() got an unexpected keyword argument 'x'
    a, b = sp.symbols("x y")
    f = sb.gradient(sp.log(a) * b, [a, b], form="program").lambdify(modules="math")
    expected = [2.0 / 1.5, math.log(1.5)]  # d/dx = y/x, d/dy = log(x), by hand
    for value in (f(x=1.5, y=2.0), f(y=2.0, x=1.5), f(1.5, y=2.0)):
        assert value == pytest.approx(expected, rel=1e-15)
    with pytest.raises(sb.InputError, match="unknown argument.*z; it takes x, y"):
        f(x=1.5, z=2.0)
    with pytest.raises(sb.InputError, match="missing argument.*y; it takes x, y"):
        f(x=1.5)
    with pytest.raises(sb.InputError, match="x given twice"):
        f(1.5, x=2.0)


# --------------------------------------------------------------------------- derivations


@pytest.mark.parametrize("text, point", [("log(x)", {"x": -1}), ("1/x", {"x": 0}),
                                         ("sqrt(x*y)", {"x": -1, "y": 2})])
def test_a_derivation_at_a_singular_point_raises_and_keeps_the_solve(text, point):
    with pytest.raises(sb.EvaluationDomainError) as info:
        sb.derivation(text, at=point)
    assert isinstance(info.value.partial["differentiation"], sb.Differentiation)


def test_a_derivation_at_a_kink_warns_and_shows_the_convention():
    with pytest.warns(sb.NonSmoothWarning, match=r"sign\(x\) = 0"):
        text = sb.derivation("abs(x)", at={"x": 0}).text()
    assert "df/dx = x_bar = sign(x) = 0" in text


def test_a_derivation_at_an_ordinary_point_is_quiet():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert "= 0.540302" in sb.derivation("sin(x)", at={"x": 1}).text()


def test_matrix_values_are_checked_too():
    A = sp.MatrixSymbol("A", 2, 2)
    assert sb.evaluate(sp.Trace(A * A), {A: np.eye(2)}) == pytest.approx(2.0)
    with pytest.raises(sb.EvaluationDomainError, match="nan"):
        sb.evaluate(sp.log(sp.Determinant(A)), {A: np.diag([-1.0, 1.0])})
