"""Stage 2, graph: expression or program → computational graph (a networkx DiGraph).

Takes SymPy expressions or programs; gives a DAG in topological order whose edges carry the
local partials, with its checks and the closed forms of its nodes.
"""

from .build import build_graph
from .check import check_graph, node_order
from .formulas import formulas

__all__ = ["build_graph", "check_graph", "node_order", "formulas"]
