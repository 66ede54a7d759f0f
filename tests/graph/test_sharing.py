"""Recovering sharing hidden by SymPy's flattening: graphs stay linear in the size."""

import pytest
import sympy as sp
from conftest import same_numerically

import symbackslash as sb
from symbackslash.examples import chebyshev, sin_chain, trigonometric
from symbackslash.graph.sharing import SharingIndex, split_flat

a, b, c, d, e, v, w = sp.symbols("a b c d e v w")


def test_contained_product_is_reused():
    index = SharingIndex()
    index.register(v, *split_flat(a*b*c))
    assert index.rewrite(*split_flat(5*a*b*c*d)) == 5*v*d
    assert index.rewrite(*split_flat(a*b*d)) is None  # not contained: nothing to reuse


def test_sums_match_up_to_a_common_factor():
    index = SharingIndex()
    index.register(v, *split_flat(a - 2*b + c + 1))
    assert index.rewrite(*split_flat(-3*a + 6*b - 3*c + d)) == -3*v + d + 3
    assert index.rewrite(*split_flat(a - b + c + d)) is None  # coefficients not proportional


def test_long_sum_as_difference_of_an_earlier_one():
    xs = sp.symbols("x1:13")
    index = SharingIndex()
    index.register(v, *split_flat(sp.Add(*xs)))
    rewritten = index.rewrite(*split_flat(sp.Add(*xs[:-1]) + 3*xs[0] + e))
    assert rewritten == v + 3*xs[0] - xs[-1] + e
    assert sp.expand(rewritten.subs(v, sp.Add(*xs)) - (sp.Add(*xs[:-1]) + 3*xs[0] + e)) == 0


@pytest.mark.parametrize("family, nodes_per_step", [(sin_chain, 2), (chebyshev, 3)])
def test_expression_graphs_are_linear(family, nodes_per_step):
    for n in (8, 16, 32):
        G = sb.build_graph(family(n).expression)
        assert len(G) <= nodes_per_step * n + 4
    ex = family(6)
    grad = sb.gradient(ex.expression, list(ex.wrt))
    assert same_numerically(grad[0], sp.diff(ex.expression, ex.wrt[0]), ex.wrt)


def test_trigonometric_expression_graph_is_linear():
    sizes = {n: sb.build_graph(trigonometric(n).expression).number_of_edges() for n in (16, 32)}
    assert sizes[32] <= 2.2 * sizes[16]
    ex = trigonometric(4)
    grad = sb.gradient(ex.expression, list(ex.wrt))
    for g, x in zip(grad, ex.wrt, strict=True):
        assert sp.simplify(g - sp.diff(ex.expression, x)) == 0


def test_a_difference_leaves_out_terms_whose_coefficients_differ_only_in_type():
    """Rational(3, 2) and Float(1.5) are not equal in SymPy, but their difference is 0: such
    a term is no part of the difference (it would use up the room for the real ones)."""
    from symbackslash.graph.sharing import _delta

    a, d = sp.symbols("a d")
    assert _delta({a: sp.S.One, d: sp.Rational(-3, 2)}, {d: sp.Float(-1.5)}, 100) == {a: 1}
