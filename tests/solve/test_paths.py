"""Path sums: the Neumann series, nilpotency and the list of paths (the 5-node
graph, the complete 4-node graph)."""

import pytest
import sympy as sp
from examples import a, b, c, d, t2_graph
from examples import t1_graph as t1

from symbackslash import (
    build_graph,
    formulas,
    neumann_inverse,
    neumann_terms,
    nilpotency_index,
    path_products,
    path_sum,
    triangular_system,
)


def test_t1_inverse_of_I_minus_L_transposed():
    expected = sp.Matrix([[1, 0, a, a*c, a*c*d], [0, 1, b, b*c, b*c*d], [0, 0, 1, c, c*d],
                          [0, 0, 0, 1, d], [0, 0, 0, 0, 1]])
    assert neumann_inverse(t1()).T == expected
    assert triangular_system(t1()).I_minus_L_T.inv() == expected


def test_t1_nilpotency():
    S = triangular_system(t1())
    LT = S.L.T
    assert LT**3 != sp.zeros(5, 5) and LT**4 == sp.zeros(5, 5)
    assert nilpotency_index(t1()) == 4
    assert len(neumann_terms(S)) == 4


def test_t1_paths():
    assert path_products(t1(), 1, 5) == [([1, 3, 4, 5], a*c*d)]
    assert path_products(t1(), 2, 4) == [([2, 3, 4], b*c)]
    assert path_products(t1(), 1, 2) == []
    assert path_products(t1(), 3, 3) == [([3], 1)]
    assert path_sum(t1(), 2, 5) == b*c*d and path_sum(t1(), 1, 2) == 0


def test_t2_path_sum_is_row_of_inverse():
    a1, b1, b2, c1, c2, c3 = sp.symbols("a1 b1 b2 c1 c2 c3")
    G = t2_graph()
    paths = path_products(G, 1, 4)
    assert sorted(p for p, _ in paths) == [[1, 2, 3, 4], [1, 2, 4], [1, 3, 4], [1, 4]]
    assert sp.expand(path_sum(G, 1, 4) - (a1*b2*c3 + a1*c2 + b1*c3 + c1)) == 0
    assert neumann_inverse(G).T.row(0) == sp.Matrix(
        [[1, a1, a1*b2 + b1, a1*b2*c3 + a1*c2 + b1*c3 + c1]])


def test_path_sum_is_the_total_derivative():
    x, y = sp.symbols("x y")
    G = build_graph(sp.sin(x*y) + x*y)
    f = G.graph["outputs"][0]
    values = formulas(G)
    assert sp.simplify(path_sum(G, x, f).xreplace(values) - sp.diff(sp.sin(x*y) + x*y, x)) == 0


def doubling(n):
    """a_k = a_{k-1} + a_{k-1}*y: 2^n paths from x to the output, and d/dx = (1 + y)^n."""
    import symbackslash as sb
    G = sb.build_graph("\n".join(["a0 = x"] + [f"a{k} = a{k - 1} + a{k - 1}*y"
                                              for k in range(1, n + 1)]))
    x = next(v for v in G if str(v) == "x")
    return G, x, G.graph["outputs"][0]


def test_paths_are_counted_before_they_are_listed():
    import networkx as nx

    import symbackslash as sb
    G, x, out = doubling(5)
    assert sb.count_paths(G, x, out) == 32 == len(list(nx.all_simple_paths(G, x, out)))
    G, x, out = doubling(60)
    assert sb.count_paths(G, x, out) == 2 ** 60
    with pytest.raises(sb.ResourceLimitError, match="number of paths from x to a60"):
        sb.path_products(G, x, out)


def test_past_the_limit_the_path_sum_is_gathered_node_by_node():
    import symbackslash as sb
    y = sp.Symbol("y")
    G, x, out = doubling(12)
    listed = sb.path_sum(G, x, out)                 # 4096 products added up
    with sb.limits(max_paths=100):
        gathered = sb.path_sum(G, x, out)           # on the DAG
    assert sp.expand(listed - (1 + y) ** 12) == 0   # the total derivative, independently
    assert sp.expand(gathered - (1 + y) ** 12) == 0


def test_the_dense_inverse_is_refused_past_max_nodes():
    import symbackslash as sb

    def chain(n):  # 2n + 1 nodes
        return sb.build_graph("\n".join(["a0 = x*y"] + [f"a{k} = sin(a{k - 1})*y"
                                                        for k in range(1, n)]))
    with sb.limits(max_nodes=10_000):
        assert sb.neumann_inverse(chain(5)).shape == (11, 11)
        with pytest.raises(sb.ResourceLimitError, match="powers of L up to L"):
            sb.neumann_inverse(chain(40))      # 81 x 81 = 6561 entries, ~n^3/6 parts
        with pytest.raises(sb.ResourceLimitError, match="entries of the dense"):
            sb.neumann_inverse(chain(60))      # 121 x 121 = 14641 entries
