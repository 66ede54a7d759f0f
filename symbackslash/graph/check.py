"""Checks on computational graphs: their order, their attributes, their variables.

:func:`node_order` is the order of L's rows; :func:`check_graph` accepts a graph made by hand
(or by :func:`~symbackslash.build_graph`) and fills in what is missing;
:func:`resolve_wrt` turns the variables a user names into nodes of the graph.
"""

from __future__ import annotations

import math
import numbers
import warnings
from collections import Counter

import networkx as nx
import numpy as np
import sympy as sp

from ..core.limits import check_expression, check_limit
from ..core.walk import name_of
from ..errors import GraphError, InputError, UnusedVariableWarning, boundary

__all__ = ["node_order", "check_graph", "resolve_wrt"]


@boundary
def node_order(G: nx.DiGraph) -> list:
    """The nodes of ``G`` sorted by their ``index`` attribute (the order of L's rows)."""
    _require_digraph(G)
    missing = [v for v in G if "index" not in G.nodes[v]]
    if missing:
        raise GraphError(f"node {missing[0]} has no 'index'; pass the graph through "
                         f"check_graph first, which numbers the nodes")
    return sorted(G, key=lambda v: G.nodes[v]["index"])


#: The kinds of node.
KINDS = ("input", "intermediate", "output")


@boundary
def check_graph(G: nx.DiGraph) -> nx.DiGraph:
    """Check a graph built elsewhere and fill in what is missing; return it.

    A hand-made graph needs only ``weight`` on every edge. Missing ``index`` attributes are
    set from a topological order with the sources (in-degree 0) first; missing ``kind``
    marks sources as inputs and sinks as outputs; missing ``inputs``/``outputs`` graph
    attributes are set the same way.

    Raises
    ------
    GraphError
        For an undirected graph, a cycle, an edge without weight, a weight or ``expr`` that is
        not a number or SymPy object (text is never parsed here), or indices that are not a
        topological order with the inputs first.
    """
    _require_digraph(G)
    if len(G) == 0:
        raise GraphError("the graph has no nodes")
    check_limit("max_nodes", len(G), "number of graph nodes")
    _check_attributes(G)
    for u, v, data in G.edges(data=True):
        if "weight" not in data:
            raise GraphError(f"the edge {u} → {v} has no 'weight' attribute (the local partial "
                             f"∂{v}/∂{u})")
    if any("index" not in G.nodes[v] for v in G):
        if not nx.is_directed_acyclic_graph(G):
            raise GraphError(_cycle_message(G))
        sources = [v for v in G if G.in_degree(v) == 0]
        rest = [v for v in nx.lexicographical_topological_sort(G, key=str) if G.in_degree(v) > 0]
        for k, v in enumerate(sorted(sources, key=str) + rest, start=1):
            G.nodes[v]["index"] = k
    indices = sorted(G.nodes[v]["index"] for v in G)
    if indices != list(range(1, len(G) + 1)):
        counts = Counter(indices)
        wrong = sorted(set(counts) ^ set(range(1, len(G) + 1)))[:5] or sorted(
            k for k, c in counts.items() if c > 1)[:5]
        raise GraphError(f"node indices must be 1 … {len(G)}, each once; check {wrong}")
    for u, v in G.edges:  # edges that all go forward prove the graph acyclic
        if G.nodes[u]["index"] >= G.nodes[v]["index"]:
            if not nx.is_directed_acyclic_graph(G):
                raise GraphError(_cycle_message(G))
            raise GraphError(f"the edge {u} → {v} goes from index {G.nodes[u]['index']} to "
                             f"{G.nodes[v]['index']}; indices must be a topological order")
    for v in G:
        G.nodes[v].setdefault("kind", "input" if G.in_degree(v) == 0 else (
            "output" if G.out_degree(v) == 0 else "intermediate"))
        G.nodes[v].setdefault("expr", None)
    order = node_order(G)
    G.graph.setdefault("inputs", [v for v in order if G.nodes[v]["kind"] == "input"])
    G.graph.setdefault("outputs", [v for v in order if G.nodes[v]["kind"] == "output"])
    G.graph.setdefault("source", None)
    return G


def _cycle_message(G: nx.DiGraph) -> str:
    cycle = nx.find_cycle(G)
    path = " → ".join(str(u) for u, _ in cycle) + f" → {cycle[0][0]}"
    return f"the graph has a cycle: {path}; a computation is a DAG"


def _require_digraph(G) -> None:
    if not isinstance(G, nx.DiGraph) or G.is_multigraph():
        raise GraphError(f"expected a networkx.DiGraph, got {type(G).__name__}; a computational "
                         f"graph is directed and has one edge per pair of nodes")


def _check_attributes(G: nx.DiGraph) -> None:
    """Weights and node expressions must be numbers, arrays or SymPy objects: never text,
    which SymPy's matrices would hand to ``sympify`` (and so to ``eval``)."""
    for u, v, data in G.edges(data=True):
        weight = data.get("weight", 0)
        if not isinstance(weight, (numbers.Real, sp.Basic, np.ndarray)) or isinstance(weight, bool):
            raise GraphError(f"the weight of the edge {u} → {v} is a {type(weight).__name__}; "
                             f"give a number or a SymPy expression (text is never parsed here: "
                             f"use symbackslash.parse on it first)")
        if isinstance(weight, np.ndarray) and not any(isinstance(w, sp.MatrixSymbol) for w in G):
            raise GraphError(f"the weight of the edge {u} → {v} is a NumPy array, but the nodes "
                             f"are scalars; give a number or a SymPy expression (matrix nodes "
                             f"are sympy.MatrixSymbol)")
        if isinstance(weight, numbers.Real) and not math.isfinite(weight):
            raise GraphError(f"the weight of the edge {u} → {v} is {weight}; a local partial "
                             f"must be a finite number or a SymPy expression")
        check_expression(weight, lambda u=u, v=v: f"the weight of the edge {u} → {v}")
    for v, data in G.nodes(data=True):
        expr = data.get("expr")
        if expr is not None and not isinstance(expr, sp.Basic):
            raise GraphError(f"the 'expr' of node {v} is a {type(expr).__name__}; give a SymPy "
                             f"expression or None")
        check_expression(expr, lambda v=v: f"the 'expr' of node {v}")
        if data.get("kind", "input") not in KINDS:
            raise GraphError(f"the 'kind' of node {v} is {data['kind']!r}; it must be one of "
                             f"{', '.join(map(repr, KINDS))} (or left out: sources are inputs, "
                             f"sinks outputs)")
        index = data.get("index", 0)
        if isinstance(index, bool) or not isinstance(index, numbers.Integral):
            raise GraphError(f"the 'index' of node {v} is {index!r}; give integers 1 … {len(G)}")
    for key in ("inputs", "outputs"):
        listed = G.graph.get(key, [])
        if not isinstance(listed, (list, tuple)) or any(_missing(G, v) for v in listed):
            raise GraphError(f"the graph attribute {key!r} must be a list of nodes of the graph, "
                             f"got {listed!r}")


def _missing(G: nx.DiGraph, v) -> bool:
    try:
        return v not in G
    except TypeError:  # unhashable
        return True


def resolve_wrt(G: nx.DiGraph, wrt) -> list:
    """Map ``wrt`` (symbols or names; default all inputs) to input node keys.

    A symbol or name that is not in the graph stays as given (its derivative is 0) and an
    :class:`~symbackslash.errors.UnusedVariableWarning` names it (a typo). Asking
    for an intermediate node, or for something that is not a variable, is an error.
    """
    inputs = list(G.graph["inputs"])
    if wrt is None:
        return inputs
    if isinstance(wrt, (str, sp.Basic)):
        wrt = [wrt]
    if not isinstance(wrt, (list, tuple)):
        raise InputError(f"wrt must be a list of symbols or names, not {type(wrt).__name__}")
    by_name: dict[str, list] = {}
    for v in G:  # a plain symbol's name without the printer (thousands of nodes)
        by_name.setdefault(name_of(v), []).append(v)
    sizes = {name_of(n): n for n in G.graph.get("sizes", ())}
    result = []
    for k, item in enumerate(wrt):
        size = sizes.get(item if isinstance(item, str) else getattr(item, "name", None))
        if size is not None and (isinstance(item, str) or item == size):
            raise InputError(f"wrt[{k}] = {item} is a size of the function's matrices, not a "
                             f"variable: sizes are constant (give the matrices numeric sizes "
                             f"to differentiate a function of n as a scalar)")
        if isinstance(item, str):
            matches = by_name.get(item, [])
        elif isinstance(item, (sp.Symbol, sp.MatrixSymbol)):
            matches = [item] if item in G else by_name.get(item.name, [])
            if matches and matches[0] != item and type(matches[0]) is not type(item):
                raise InputError(f"wrt[{k}] = {item} is not the variable {matches[0]} of the "
                                 f"expression (a matrix and a scalar share the name)")
            if matches and isinstance(item, sp.MatrixSymbol) and matches[0].shape != item.shape:
                raise InputError(f"wrt[{k}] = {item} is {item.shape[0]} × {item.shape[1]} but "
                                 f"the expression's {matches[0]} is {matches[0].shape[0]} × "
                                 f"{matches[0].shape[1]}; pass the MatrixSymbol used in it")
        else:
            raise InputError(f"wrt[{k}] = {item!r} is not a variable; give symbols or names "
                             f"(a {type(item).__name__} was given)")
        if len(matches) > 1:
            raise InputError(f"wrt[{k}] = {item!r} matches several nodes with that name "
                             f"(symbols with different assumptions); pass the symbol itself")
        if not matches and isinstance(item, str) and not item.isidentifier():
            raise InputError(f"wrt[{k}] = {item!r} is not a name; give one name per entry "
                             f"(['x', 'y'], or --wrt x y on the command line)")
        if not matches:
            names = ", ".join(str(v) for v in inputs) or "none"
            warnings.warn(f"wrt[{k}] = {item} does not occur in the function (its inputs: "
                          f"{names}); its derivative is 0. Check the spelling.",
                          UnusedVariableWarning, stacklevel=2)
            result.append(sp.Symbol(item) if isinstance(item, str) else item)
            continue
        node = matches[0]
        if G.nodes[node]["kind"] != "input":
            raise InputError(f"wrt[{k}] = {item!r} is an intermediate node, not an input; the "
                             f"inputs are: {', '.join(map(str, inputs))}")
        result.append(node)
    return result
