"""What a figure of the graph highlights: a path, a set of edges, or one substitution step.

:func:`highlight_of` reads the ``highlight`` argument of
:func:`~symbackslash.draw_graph` into a :class:`Highlight`.
"""

from __future__ import annotations

import dataclasses

import networkx as nx

from ..derivatives.gradient import differentiate
from ..errors import RenderError
from ..graph.check import node_order
from ..solve.substitution import Step

__all__ = ["Highlight", "highlight_of"]


@dataclasses.dataclass(frozen=True)
class Highlight:
    """What to highlight: ``nodes``, ``edges`` (pairs ``(u, v)``) and the ``current`` node
    of a substitution step (or ``None``)."""

    nodes: frozenset = frozenset()
    edges: frozenset = frozenset()
    current: object = None


def highlight_of(G: nx.DiGraph, highlight) -> Highlight:
    """Interpret ``highlight``: ``None``; a list of nodes (a path); a set of edges; an
    :class:`~symbackslash.Step` record; an int k, step k of the back substitution; or a
    :class:`Highlight` itself.

    Raises
    ------
    RenderError
        For a path or edge that is not in the graph, a step number out of range, or
        anything else.
    """
    if highlight is None:
        return Highlight()
    if isinstance(highlight, Highlight):
        return highlight
    if isinstance(highlight, Step):
        return _step_highlight(G, highlight)
    if isinstance(highlight, int) and not isinstance(highlight, bool):
        steps = differentiate(G).solutions[0].steps
        if not 0 <= highlight < len(steps):
            raise RenderError(f"highlight={highlight}: the back substitution has {len(steps)} "
                              f"steps, numbered 0 … {len(steps) - 1}")
        return _step_highlight(G, steps[highlight])
    if isinstance(highlight, (set, frozenset)):
        edges = frozenset(highlight)
        for edge in edges:
            if not (isinstance(edge, tuple) and len(edge) == 2 and G.has_edge(*edge)):
                raise RenderError(f"highlight: {edge!r} is not an edge (u, v) of the graph")
        return Highlight(frozenset(), edges)
    if isinstance(highlight, (list, tuple)):
        path = [_node(G, v) for v in highlight]
        for u, v in zip(path, path[1:], strict=False):
            if not G.has_edge(u, v):
                raise RenderError(f"highlight: the path has no edge {u} → {v}")
        return Highlight(frozenset(path), frozenset(zip(path, path[1:], strict=False)))
    raise RenderError(f"highlight must be a path (list of nodes), a set of edges, a Step or a "
                      f"step number, not {type(highlight).__name__}")


def _node(G: nx.DiGraph, v):
    if v in G:
        return v
    by_name = {str(u): u for u in G}
    if str(v) in by_name:
        return by_name[str(v)]
    raise RenderError(f"highlight: {v!r} is not a node of the graph")


def _step_highlight(G: nx.DiGraph, step: Step) -> Highlight:
    nodes = node_order(G)
    if not 0 <= step.unknown < len(nodes):
        raise RenderError(f"the step solves for unknown {step.unknown}, but the graph has "
                          f"{len(nodes)} nodes")
    i = step.unknown
    edges = frozenset((nodes[min(i, j)], nodes[max(i, j)]) for j, _, _ in step.terms)
    return Highlight(frozenset([nodes[i]]), edges, nodes[i])
