"""The worked examples of method.md §6, ready to differentiate, draw and test against.

>>> import symbackslash as sb
>>> [s.result for s in sb.differentiate(t1_graph()).solutions[0].steps][-2:]
[b*c*d, a*c*d]
>>> sb.gradient(t3_graph(), T3_WRT) != []
True
"""

from __future__ import annotations

import networkx as nx
import sympy as sp

from .graph import build_graph

__all__ = ["t1_graph", "t2_graph", "t3_graph", "INTRO", "T3_PROGRAM", "T3_POINT", "T3_WRT"]

#: The paper's introductory example, sin(xy) + xy, as a program.
INTRO = "a = x*y\nb = sin(a)\nf = a + b"

#: T3: the scalar MLP with N = 2, h(z) = z², J = ½(x2 − y)².
T3_PROGRAM = "x1 = (w1*x0 + b1)**2\nx2 = (w2*x1 + b2)**2\nJ = (x2 - y)**2/2"
#: T3's point: there ∇J = (12, 12, 18, 2) for (w1, b1, w2, b2).
T3_POINT = {"x0": 1, "w1": 2, "b1": 1, "w2": 1, "b2": -8, "y": 0}
T3_WRT = ["w1", "b1", "w2", "b2"]


def t1_graph() -> nx.DiGraph:
    """T1: the 5-node DAG with edges 1→3: a, 2→3: b, 3→4: c, 4→5: d, made by hand."""
    a, b, c, d = sp.symbols("a b c d")
    G = nx.DiGraph()
    G.add_weighted_edges_from([(1, 3, a), (2, 3, b), (3, 4, c), (4, 5, d)])
    return G


def t2_graph() -> nx.DiGraph:
    """T2: the complete DAG on 4 nodes with weights a1; b1, b2; c1, c2, c3."""
    a1, b1, b2, c1, c2, c3 = sp.symbols("a1 b1 b2 c1 c2 c3")
    G = nx.DiGraph()
    G.add_weighted_edges_from([(1, 2, a1), (1, 3, b1), (2, 3, b2), (1, 4, c1), (2, 4, c2),
                               (3, 4, c3)])
    return G


def t3_graph() -> nx.DiGraph:
    """T3: the scalar MLP, one node per statement (x1, x2 and the loss J)."""
    return build_graph(T3_PROGRAM, nodes="statements")
