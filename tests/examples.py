"""The worked examples of docs/mathematics.md (from symbackslash.examples) and their symbols."""

import sympy as sp

from symbackslash.examples import INTRO, T3_POINT, T3_PROGRAM, T3_WRT, t1_graph, t2_graph, t3_graph

a, b, c, d = sp.symbols("a b c d")

__all__ = ["INTRO", "T3_POINT", "T3_PROGRAM", "T3_WRT", "t1_graph", "t2_graph", "t3_graph",
           "a", "b", "c", "d"]
