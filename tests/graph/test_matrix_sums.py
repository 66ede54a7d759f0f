"""A sum whose terms are numeric multiples of matrix products (3·XW + 3·WX): each product is
a node and the sum's weights reach it (they were dropped once, and such gradients lost the
terms: ∇_W tr(D(W + 3XW)) came out as Dᵀ)."""

import pytest
import sympy as sp

import symbackslash as sb

X, W, D = (sp.MatrixSymbol(s, 3, 3) for s in "XWD")


@pytest.mark.parametrize("inner", [3*X*W + 3*W*X, W + 3*X*W, 2*W - 5*X*W*X, -X*W + W*X,
                                   sp.Rational(1, 2)*(X*W).T + W])
def test_gradients_through_scaled_products_match_central_differences(inner):
    f = sp.Trace(D*inner)
    assert sb.check_gradient(f, [W, X, D]).passed
    G = sb.build_graph(f)
    products = [v for v in G if isinstance(G.nodes[v]["expr"], sp.MatMul)]
    assert all(G.out_degree(v) for v in products)   # every product node feeds the output


def test_scalar_sums_of_scaled_traces_keep_every_term():
    w = sp.MatrixSymbol("w", 3, 1)
    s, ds = sp.symbols("s ds")
    f = ds*(2*sp.cos(s)*sp.Trace(D*w*w.T) + sp.Trace(w*w.T*X))
    assert sb.check_gradient(f, [w, s, ds, D, X]).passed


def test_the_sum_node_is_written_in_its_childrens_nodes():
    G = sb.build_graph(sp.Trace(D*(W + 3*X*W)))
    sums = [G.nodes[v]["expr"] for v in G if isinstance(G.nodes[v]["expr"], sp.MatAdd)]
    assert [str(s) for s in sums] == ["3*V1 + W"]
    (g,) = sb.gradient(sp.Trace(D*(W + 3*X*W)), [W])
    assert sp.simplify((g - (D + 3*D*X).T).as_explicit()) == sp.zeros(3, 3)
