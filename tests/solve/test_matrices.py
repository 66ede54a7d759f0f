"""L, M, L̃, I − L and (I − L)ᵀ; the 5-node graph, the complete 4-node graph, the scalar MLP."""

import pytest
import sympy as sp
from examples import a, b, c, d, t1_graph, t2_graph

from symbackslash import InputError, build_graph, triangular_system


def test_t1_L_is_strictly_lower_triangular():
    S = triangular_system(t1_graph())
    assert S.L == sp.Matrix([[0, 0, 0, 0, 0], [0, 0, 0, 0, 0], [a, b, 0, 0, 0],
                             [0, 0, c, 0, 0], [0, 0, 0, d, 0]])
    assert S.L.is_lower and all(S.L[i, i] == 0 for i in range(5))
    assert S.I_minus_L == sp.eye(5) - S.L
    assert S.I_minus_L_T == (sp.eye(5) - S.L).T
    assert S.n_sources == 2
    assert S.M == sp.Matrix([[a, b], [0, 0], [0, 0]])
    assert S.L_tilde == sp.Matrix([[0, 0, 0], [c, 0, 0], [0, d, 0]])


def test_t2_complete_dag():
    a1, b1, b2, c1, c2, c3 = sp.symbols("a1 b1 b2 c1 c2 c3")
    S = triangular_system(t2_graph())
    inverse = S.I_minus_L_T.inv()
    assert inverse.row(0) == sp.Matrix([[1, a1, a1*b2 + b1, a1*b2*c3 + a1*c2 + b1*c3 + c1]])


def test_t3_blocks_M_and_L_tilde():
    G = build_graph("x1 = (w1*1 + b1)**2\nx2 = (w2*x1 + b2)**2", nodes="statements")
    values = {sp.Symbol(k): v for k, v in dict(w1=2, b1=1, w2=1, b2=-8).items()}
    S = triangular_system(G, form="inputs")
    columns = [S.nodes.index(sp.Symbol(n)) for n in ("w1", "b1", "w2", "b2")]
    M = S.M.xreplace(values)
    assert M[:, columns] == sp.Matrix([[6, 6, 0, 0], [0, 0, 18, 2]])
    assert S.L_tilde.xreplace(values) == sp.Matrix([[0, 0], [2, 0]])


def test_node_and_input_forms():
    x, y = sp.symbols("x y")
    S = triangular_system(build_graph(sp.sin(x*y) + x*y))
    assert S.L[3, 2] == sp.cos(sp.Symbol("v1"))
    assert S.substituted().L[3, 2] == sp.cos(x*y)
    assert triangular_system(S.graph, form="inputs").L == S.substituted().L
    T = S.substituted()
    assert T.substituted() is T and T.form == "inputs"
    with pytest.raises(InputError, match="form"):
        triangular_system(S.graph, form="values")


def test_sparse_storage_has_one_entry_per_edge():
    G = build_graph("a = x*y\nb = sin(a)\nf = a + b")
    S = triangular_system(G)
    assert len(S.entries) == G.number_of_edges()
    assert set(S.upper()) == {(j, i) for i, j in S.entries} | {(k, k) for k in range(S.n)}
