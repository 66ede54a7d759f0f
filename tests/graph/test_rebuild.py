"""Nodes rebuilt on node symbols are SymPy's canonical expressions (the builder skips
SymPy's eval for functions of plain symbols, which would return them unchanged)."""

import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

import symbackslash as sb
from symbackslash.parse.syntax import FUNCTIONS

x, y = sp.symbols("x y")
p = sp.Symbol("p", positive=True)


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_function_nodes_are_canonical(name):
    function, arity = FUNCTIONS[name]
    args = [2*x + y, x*y, x - y][:arity or 2]
    f = function(*args) * x + function(*(a + p for a in args))
    G = sb.build_graph(f)
    heads = 0
    for v in G:
        e = G.nodes[v]["expr"]
        if e is not None and e.args and e.func is function:
            heads += 1
            evaluated = e.func(*e.args)
            assert sp.srepr(e) == sp.srepr(evaluated)
    assert heads >= 1 or not f.has(function)


# --- unevaluated input: a product that repeats a factor (x*x made with evaluate=False) ----

A = sp.MatrixSymbol("A", 2, 2)
A_VALUE = sp.ImmutableMatrix([[1, 2], [3, 5]])
POINT = {x: sp.Rational(7, 10), y: sp.Rational(-13, 10)}
FACTORS = [x, y, x, sp.Integer(2), x + y]


def unevaluated_product(picks: list) -> sp.Expr:
    with sp.evaluate(False):
        return sp.Mul(*picks)


@pytest.mark.filterwarnings("ignore::symbackslash.errors.UnusedVariableWarning")  # y unused
@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(FACTORS), min_size=2, max_size=4),
       st.sampled_from([sp.sin, sp.exp, lambda u: u]), st.booleans())
def test_unevaluated_products_give_sympys_gradient(picks, head, with_matrix):
    """x*x*y built with evaluate=False used to lose a factor's derivative (a silent 0 or
    x·y beside a matrix, an internal error alone); the builder evaluates such products."""
    inner = head(unevaluated_product(picks))
    f = inner * sp.Trace(A) if with_matrix else inner + y
    evaluated = f.doit()  # SymPy's own evaluation: the oracle's function
    for form in ("closed", "program"):
        gradient = sb.gradient(f, [x, y], form=form)
        values = gradient.closed_form() if form == "program" else list(gradient)
        for v, value in zip((x, y), values, strict=True):
            expected = sp.diff(evaluated, v)
            difference = (sp.sympify(value) - expected).xreplace({A: A_VALUE}).doit()
            assert abs(sp.N(difference.xreplace(POINT))) < 1e-12, (f, v, value, expected)


def test_a_product_repeating_a_factor_beside_a_matrix():
    with sp.evaluate(False):
        f = sp.Trace(A) * sp.sin(sp.Mul(x, x, y))
    assert sb.gradient(f, [x])[0] == 2*x*y*sp.cos(x**2*y)*sp.Trace(A)


@pytest.mark.filterwarnings("ignore::symbackslash.errors.UnusedVariableWarning")  # y unused
@pytest.mark.parametrize("make", [
    lambda: sp.Trace(A * A.T * A) * sp.sin(x * x),
    lambda: sp.sin(x * x * y) + 2 * (x + y),
    lambda: "f = x*x*y + 2*(x + y)",
    lambda: 2 * (x + y)**2 * x,
], ids=["matrix", "scalar", "program", "distributed"])
def test_calls_inside_sympys_evaluate_false_give_the_same_gradient(make):
    """A caller's ``with sympy.evaluate(False)`` (or distribute(False)) is not the
    pipeline's: its nodes and results are SymPy's canonical forms all the same (under
    evaluate(False) x·x stayed x·x and df/dx lost its factor 2)."""
    from sympy.core.parameters import distribute

    expected = [list(sb.gradient(make(), [x, y])),
                sb.gradient_program(make(), [x, y]).closed_form()]
    for context in (sp.evaluate, distribute):
        with context(False):
            f = make()
            got = [list(sb.gradient(f, [x, y])), sb.gradient_program(f, [x, y]).closed_form()]
        for g, e in zip(got, expected, strict=True):
            assert [sp.expand(a - b) for a, b in zip(g, e, strict=True)] == [0, 0]
