"""The worked examples of method.md §6, built once for the derivation and figure tests."""

from __future__ import annotations

import networkx as nx
import sympy as sp

import symbackslash as sb

a, b, c, d = sp.symbols("a b c d")
INTRO = "a = x*y\nb = sin(a)\nf = a + b"

T3_PROGRAM = "x1 = (w1*x0 + b1)**2\nx2 = (w2*x1 + b2)**2\nJ = (x2 - y)**2/2"
T3_POINT = {"x0": 1, "w1": 2, "b1": 1, "w2": 1, "b2": -8, "y": 0}
T3_WRT = ["w1", "b1", "w2", "b2"]


def t1_graph() -> nx.DiGraph:
    """T1: the 5-node DAG with edges 1→3: a, 2→3: b, 3→4: c, 4→5: d (made by hand)."""
    G = nx.DiGraph()
    G.add_weighted_edges_from([(1, 3, a), (2, 3, b), (3, 4, c), (4, 5, d)])
    return G


def t2_graph() -> nx.DiGraph:
    """T2: the complete DAG on 4 nodes with weights a1, b1, b2, c1, c2, c3."""
    a1, b1, b2, c1, c2, c3 = sp.symbols("a1 b1 b2 c1 c2 c3")
    G = nx.DiGraph()
    G.add_weighted_edges_from([(1, 2, a1), (1, 3, b1), (2, 3, b2), (1, 4, c1), (2, 4, c2),
                               (3, 4, c3)])
    return G


def t3_graph() -> nx.DiGraph:
    """T3: the scalar MLP, one node per statement (x1, x2 and the loss J)."""
    return sb.build_graph(T3_PROGRAM, nodes="statements")
