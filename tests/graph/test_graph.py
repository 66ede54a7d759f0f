"""build_graph: nodes, sharing, attributes, order; check_graph on hand-made graphs."""

import networkx as nx
import pytest
import sympy as sp

import symbackslash as sb
from symbackslash import GraphError, InputError, build_graph, check_graph, formulas, node_order

x, y, z = sp.symbols("x y z")
v1, v2, f = sp.symbols("v1 v2 f")


def table(G):
    return [(v, G.nodes[v]["expr"], G.nodes[v]["kind"], G.nodes[v]["index"]) for v in node_order(G)]


def test_shared_subexpression_is_one_node():
    G = build_graph(sp.sin(x*y) + x*y)
    assert table(G) == [(x, None, "input", 1), (y, None, "input", 2),
                        (v1, x*y, "intermediate", 3), (v2, sp.sin(v1), "intermediate", 4),
                        (f, v1 + v2, "output", 5)]
    assert G.out_degree(v1) == 2
    assert {(u, v): G.edges[u, v]["weight"] for u, v in G.edges} == {
        (x, v1): y, (y, v1): x, (v1, v2): sp.cos(v1), (v1, f): 1, (v2, f): 1}
    assert G.graph["inputs"] == [x, y] and G.graph["outputs"] == [f]


def test_program_names_become_node_names():
    G = build_graph("a = x*y\nb = sin(a)\nf = a + b")
    assert [str(v) for v in node_order(G)] == ["x", "y", "a", "b", "f"]
    assert isinstance(G.graph["source"], type(build_graph("f = x").graph["source"]))


def test_constants_live_in_weights():
    G = build_graph(3*x - 2*y + sp.pi)
    assert len(G) == 3
    out = G.graph["outputs"][0]
    assert G.edges[x, out]["weight"] == 3 and G.edges[y, out]["weight"] == -2


def test_flattened_products_recover_hidden_sharing():
    # SymPy flattens sin(x*y)*x*y into one product of three factors; x*y is still one node.
    G = build_graph(sp.sin(x*y)*x*y)
    assert len(G) == 5
    assert G.nodes[f]["expr"] == v1*v2
    chain = x
    for _ in range(6):
        chain = sp.sin(chain)*chain
    H = build_graph(chain)
    assert all(len(H.nodes[v]["expr"].args) <= 2 for v in H if H.nodes[v]["expr"] is not None)
    assert len(H) == 1 + 2*6


def test_fresh_names_avoid_user_symbols():
    a = sp.Symbol("v1")
    G = build_graph(sp.sin(a*x) + a*x)
    assert len(set(map(str, G))) == len(G)


def test_index_is_topological_with_inputs_first_output_last():
    G = build_graph("c = z*y\nb = sin(c) + x\nf = b*c")
    order = node_order(G)
    assert order[:3] == [x, y, z] and order[-1] == sp.Symbol("f")
    for u, v in G.edges:
        assert G.nodes[u]["index"] < G.nodes[v]["index"]


def test_formulas():
    G = build_graph("a = x*y\nb = sin(a)\nf = a + b")
    assert formulas(G)[sp.Symbol("f")] == x*y + sp.sin(x*y)


def test_statement_nodes():
    G = build_graph("h = tanh(w*x + b)\nf = (h - y)**2", nodes="statements")
    assert [str(v) for v in node_order(G)] == ["b", "w", "x", "y", "h", "f"]
    h = sp.Symbol("h")
    w, b = sp.Symbol("w"), sp.Symbol("b")
    assert G.edges[w, h]["weight"] == sp.diff(sp.tanh(w*x + b), w)
    with pytest.raises(InputError, match="nodes must be"):
        build_graph("f = x", nodes="lines")


def test_hand_made_graph_is_checked_and_completed():
    a, b = sp.symbols("a b")
    G = nx.DiGraph()
    G.add_edge(1, 3, weight=a)
    G.add_edge(2, 3, weight=b)
    check_graph(G)
    assert [G.nodes[v]["index"] for v in (1, 2, 3)] == [1, 2, 3]
    assert G.graph["inputs"] == [1, 2] and G.graph["outputs"] == [3]


@pytest.mark.parametrize("make, message", [
    (lambda: nx.Graph([(1, 2)]), "DiGraph"),
    (lambda: nx.DiGraph([(1, 2, {"weight": 1}), (2, 1, {"weight": 1})]), "cycle"),
    (lambda: nx.DiGraph([(1, 2)]), "no 'weight'"),
    (lambda: nx.DiGraph(), "no nodes"),
])
def test_bad_graphs(make, message):
    with pytest.raises(GraphError, match=message):
        check_graph(make())


def test_bad_indices():
    G = nx.DiGraph()
    G.add_node(1, index=2)
    G.add_node(2, index=1)
    G.add_edge(1, 2, weight=1)
    with pytest.raises(GraphError, match="topological"):
        check_graph(G)


def test_bad_inputs():
    with pytest.raises(InputError, match="SymPy expression"):
        build_graph(object())
    with pytest.raises(InputError, match="empty list"):
        build_graph([])
    with pytest.raises(InputError, match="program"):
        build_graph(["a = x"])


@pytest.mark.parametrize("weight, message", [
    (float("nan"), "is nan; a local partial must be a finite number"),
    (float("inf"), "is inf; a local partial must be a finite number"),
    (-float("inf"), "is -inf"),
    (__import__("numpy").float64("nan"), "is nan"),
    (__import__("numpy").array([1.0, 2.0]), "is a NumPy array, but the nodes are scalars"),
])
def test_hand_made_weights_must_be_finite_scalars(weight, message):
    G = nx.DiGraph()
    G.add_edge("x", "f", weight=weight)
    with pytest.raises(GraphError, match=message):
        check_graph(G)


def test_an_unknown_kind_of_node_is_refused_by_name():
    G = nx.DiGraph()
    G.add_edge("x", "f", weight=2)
    G.nodes["f"]["kind"] = "banana"
    with pytest.raises(GraphError, match="the 'kind' of node f is 'banana'; it must be one of"):
        check_graph(G)


def test_indexed_objects_are_refused_not_looped_on():
    A = sp.IndexedBase("A")
    with pytest.raises(InputError, match="indexed object A\\[1\\] is not supported.*A_1"):
        build_graph(A[1] * x)


def test_a_wrt_name_that_does_not_occur_gives_0_and_a_warning_naming_it():
    import warnings

    import sympy as sp

    import symbackslash as sb
    x, y = sp.symbols("x y")
    with pytest.warns(sb.UnusedVariableWarning, match=r"wrt\[1\] = yy does not occur .*x, y"):
        g = sb.gradient("x*y", ["x", "yy"])
    assert list(g) == [sp.diff(x*y, x), sp.diff(x*y, sp.Symbol("yy"))] == [y, 0]
    with warnings.catch_warnings():
        warnings.simplefilter("error")                 # no warning for variables that occur
        assert sb.gradient("x*y", ["x", "y"]) == [y, x]


def test_statement_nodes_follow_the_rule_table_for_nonsmooth_heads():
    # nodes="statements" took sp.diff's partials (unevaluated derivatives of sign) and
    # gradient() failed inside ("bad argument (ValueError)"); oracle: sympy.diff
    # on real symbols, at points away from the kinks
    program = "a = abs(x)*y; f = sign(a) + max(x, y)**2 + x*abs(y)"
    xr, yr = sp.symbols("x y", real=True)
    f = sp.sign(sp.Abs(xr)*yr) + sp.Max(xr, yr)**2 + xr*sp.Abs(yr)
    grad = sb.gradient(sb.build_graph(program, nodes="statements"), ["x", "y"])
    assert grad == sb.gradient(program, ["x", "y"])
    for px, py in [(0.7, -1.3), (-2.1, 0.4), (1.9, 2.6)]:
        point = {sp.Symbol("x"): px, sp.Symbol("y"): py}
        oracle = [sp.diff(f, v).subs({xr: px, yr: py}) for v in (xr, yr)]
        assert all(abs(g.subs(point) - o) < 1e-12 for g, o in zip(grad, oracle, strict=True))
