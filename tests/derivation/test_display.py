"""Display clean-ups of derivations: equal to what they clean, and skipped on large
expressions (SymPy's factor_terms walks the written-out tree)."""

import sympy as sp

from symbackslash.core.limits import measure
from symbackslash.derivation.sections import FACTOR_SIZE, factored

a, b, c, x = sp.symbols("a b c x")


def test_small_expressions_are_factored_and_equal():
    expr = -(-2*a - 2*b)*c
    result = factored(expr)
    assert sp.expand(result - expr) == 0
    assert sp.count_ops(result) <= sp.count_ops(expr)


def test_large_expressions_are_left_as_they_are():
    e = x
    for _ in range(12):  # the sin-chain: written out, it doubles with every line
        e = sp.sin(e)*e
    expr = 2*e + 2*x*e
    assert measure(expr)[1] > FACTOR_SIZE
    assert factored(expr) is expr
    assert factored(2*x + 2*x*sp.sin(x)) == 2*x*(sp.sin(x) + 1)
