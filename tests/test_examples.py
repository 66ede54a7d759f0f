"""The benchmark families: both forms give sympy.diff's gradient, at the cheap-gradient cost.

Operation ratios (gradient program ÷ function) are checked against the bound of the issue,
at most 4, and against CasADi's reverse mode on the same function, measured live
(``benchmarks/casadi_ratio.py``: the function's own program rebuilt in CasADi SX,
``casadi.gradient`` of it, and CasADi's instructions that are operations counted).

Counting conventions: on every statement of these families, of the function and of our
gradient program, CasADi's count of the statement alone equals ``sympy.count_ops``'s
(``test_casadi_counts_every_statement_as_count_ops_does``): x² is one OP_SQ as it is one
POW, 2·x one OP_TWICE as one MUL, a − b one OP_SUB, −a one OP_NEG, 1/a one OP_INV as one
DIV. The two differ elsewhere (x³: CasADi's x·sq(x) is two, one POW; √x: one OP_SQRT, a
POW and a DIV), in statements these families do not have. So where the ratios differ here
the programs differ, not the way they are counted.
"""

import doctest
import math
import random

import casadi_ratio as casadi_module
import pytest
import sympy as sp
from casadi_ratio import casadi_ratio, statement_operations

import symbackslash as sb
from symbackslash.derivatives.program import function_program
from symbackslash.examples import FAMILIES


@pytest.fixture(scope="module", autouse=True)
def _casadi():
    if not casadi_module.available():
        pytest.fail("casadi is not installed: it comes with the test extras (the bench extra)")


def small(name: str):
    return FAMILIES[name](2 if name == "tanh network" else 6)


@pytest.mark.parametrize("name", list(FAMILIES))
def test_both_forms_match_sympy_diff_numerically(name):
    ex = small(name)
    variables = list(ex.wrt)
    rng = random.Random(1)
    point = [rng.uniform(*ex.domain) for _ in variables]
    values = {v: sp.Float(p, 30) for v, p in zip(variables, point, strict=True)}
    expected = [float(sp.diff(ex.expression, v).xreplace(values)) for v in variables]
    for form in (ex.expression, ex.program):
        got = sb.gradient_program(form, variables).lambdify(variables, modules="math")(*point)
        assert all(math.isclose(g, e, rel_tol=1e-9, abs_tol=1e-12)
                   for g, e in zip(got, expected, strict=True))


@pytest.mark.parametrize("name", list(FAMILIES))
def test_operation_ratio_within_the_cheap_gradient_bound(name):
    ex = FAMILIES[name](16)
    for form in (ex.expression, ex.program):
        assert sb.gradient_program(form, list(ex.wrt)).ratio <= 4


def test_the_casadi_helper_runs_its_examples():
    assert doctest.testmod(casadi_module).failed == 0


@pytest.mark.parametrize("name", list(FAMILIES))
def test_casadi_computes_the_same_function_and_gradient(name):
    # the translation is the function: CasADi's value and gradient are ours at a point
    ex = small(name)
    rng = random.Random(2)
    for form in (ex.expression, ex.program):
        measured = casadi_ratio(form, ex.wrt)
        point = [rng.uniform(*ex.domain) for _ in measured.inputs]
        assert measured.check(point)
        value, gradient = measured.values(point)
        assert len(gradient) == len(ex.wrt) and any(g != 0 for g in gradient)


@pytest.mark.parametrize("name", list(FAMILIES))
def test_casadi_counts_every_statement_as_count_ops_does(name):
    ex = small(name)
    for form in (ex.expression, ex.program):
        program = sb.gradient_program(form, list(ex.wrt))
        for _, expr in function_program(program.graph) + program.assignments:
            assert statement_operations(expr) == sp.count_ops(expr), expr


@pytest.mark.parametrize("program", [
    "f = min(x, y)**3 - 3*x/2 + exp(-x)/(x*y) + sqrt(x)/y**2 + atan2(y, x)",
    "f = abs(x - y)*log(x) + max(x, y, 0.5)/tan(y) - 1/(x + y)",
])
def test_casadi_computes_the_same_beyond_the_families(program):
    # quotients, negative and fractional powers, rational coefficients, kinks
    measured = casadi_ratio(program)
    assert measured.check([0.4, 0.7]) and measured.check([0.7, 0.3])


def test_what_it_cannot_translate_is_none():
    x, y = sp.symbols("x y")
    assert casadi_ratio(sp.gamma(x) * y) is None             # a head it does not know
    assert statement_operations(sp.I * x) is None            # a constant that is not real
    net = sb.mlp([3, 3], batch=2, activations=["tanh"])
    assert casadi_ratio(net.loss, net.parameters) is None    # matrices
    assert casadi_ratio(sp.sin(x) * y, [x]).gradient_operations == 2   # cos(x)·y


def test_without_casadi_it_is_none(monkeypatch):
    monkeypatch.setattr(casadi_module, "casadi", None)
    assert casadi_ratio("f = x*y") is None and statement_operations(sp.Symbol("x")) is None


def live_cases():
    cases = [(name, 16, form) for name in FAMILIES for form in ("expression", "program")]
    return cases + [(name, 128, form) for name in ("tanh network", "trigonometric", "Chebyshev")
                    for form in ("expression", "program")]


@pytest.mark.parametrize(("name", "n", "form"), live_cases())
def test_operation_ratio_at_most_casadis_measured_live(name, n, form):
    # a larger network built in a process that built a smaller one compares it with the
    # cached one, a walk exponential in the shared layers: start as a fresh process would
    sp.core.cache.clear_cache()
    ex = FAMILIES[name](n)
    ours = sb.gradient_program(getattr(ex, form), list(ex.wrt))
    theirs = casadi_ratio(ours.graph, list(ex.wrt))
    # the same function, counted alike
    assert theirs.function_operations == ours.function_operations
    assert ours.ratio <= theirs.ratio, (ours.operations, theirs.gradient_operations)
