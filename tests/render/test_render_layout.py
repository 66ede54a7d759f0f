"""The layered layout: topological layers, sources next to their first use, few crossings."""

import itertools

import networkx as nx
import pytest
from examples import t3_graph

import symbackslash as sb
from symbackslash import RenderError
from symbackslash.render import layered_layout


def crossings(G, layout):
    count = 0
    for (a, b), (c, d) in itertools.combinations(G.edges, 2):
        if layout.layer[a] == layout.layer[c] and layout.layer[b] == layout.layer[d] and \
                layout.layer[b] == layout.layer[a] + 1:
            count += (layout.rank[a] - layout.rank[c]) * (layout.rank[b] - layout.rank[d]) < 0
    return count


def test_layers_follow_the_edges_and_sources_move_to_their_use():
    G = t3_graph()
    layout = layered_layout(G)
    assert all(layout.layer[u] < layout.layer[v] for u, v in G.edges)
    names = {str(v): layout.layer[v] for v in G}
    assert names["w1"] == names["b1"] == names["x0"] == 0
    assert names["w2"] == names["b2"] == names["x1"] == 1  # parameters enter where used
    assert names["y"] == names["x2"] == 2 and names["J"] == 3
    assert sum(len(nodes) for nodes in layout.layers) == len(G)
    assert all(layout.layers[layout.layer[v]][layout.rank[v]] == v for v in G)


def test_barycentre_ordering_untangles_a_crossed_layer():
    G = nx.DiGraph([("a", "q"), ("b", "p"), ("p", "z"), ("q", "z")])
    for k, v in enumerate(["a", "b", "p", "q", "z"], start=1):
        G.nodes[v]["index"] = k
    layout = layered_layout(G)
    assert layout.layers[1] == ["q", "p"] and crossings(G, layout) == 0


def test_large_graphs_lay_out_linearly():
    program = "\n".join(["h0 = x"] + [f"h{k} = tanh(w{k}*h{k - 1} + h{max(k - 3, 0)})"
                                      for k in range(1, 400)])
    G = sb.build_graph(program)
    layout = layered_layout(G)
    assert len(G) > 1500 and all(layout.layer[u] < layout.layer[v] for u, v in G.edges)


def test_cycles_are_refused():
    with pytest.raises(RenderError, match="directed acyclic"):
        layered_layout(nx.DiGraph([(1, 2), (2, 1)]))
