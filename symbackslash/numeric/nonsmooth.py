"""Non-differentiable points: which nodes of a graph use a convention, and what it affects.

``abs``, ``max``/``min``, ``sign``, ``relu``, ``Heaviside``, ``floor``/``ceiling`` and
``Piecewise`` are differentiable almost everywhere. At the points where they are not, their
rules (:data:`symbackslash.rules.scalar.NONSMOOTH`) follow a documented convention, the one the
common frameworks use (a subgradient where there is one). Those points are *flagged*, twice:

* symbolically, :func:`nonsmooth_points` lists each such node of a graph, the condition
  under which the convention is used, the convention, and which derivatives depend on it
  (also :attr:`symbackslash.derivatives.gradient.Differentiation.nonsmooth`);
* numerically, :func:`symbackslash.numeric.evaluate.evaluate` warns with
  :class:`~symbackslash.NonSmoothWarning` when a value actually used a convention.

>>> import sympy as sp
>>> x, y = sp.symbols("x y")
>>> (point,) = nonsmooth_points(sp.Abs(x*y) + y)
>>> point.node, point.where
(v2, Eq(x*y, 0))
>>> point.convention
'd|u|/du = sign(u), taken as 0 at u = 0 (a subgradient)'
>>> point.affects
((f, x), (f, y))
"""

from __future__ import annotations

import dataclasses

import networkx as nx
import sympy as sp

from ..errors import boundary
from ..graph.build import build_graph
from ..graph.check import node_order, resolve_wrt
from ..graph.formulas import closed_forms
from ..rules.scalar import NONSMOOTH, kink

__all__ = ["NonSmoothPoint", "nonsmooth_points"]


@dataclasses.dataclass(frozen=True)
class NonSmoothPoint:
    """A node whose local partials use a convention somewhere.

    Attributes
    ----------
    node : Symbol
        The node key.
    expr : Expr
        Its expression, in node symbols.
    condition : Boolean
        Where the node is not differentiable, in node symbols (``Eq(v1, 0)``).
    where : Boolean or None
        The same condition in terms of the inputs, when the operands' closed forms are within
        the limits (else ``None``); ``False`` would mean the point is never reached.
    convention : str
        The value the derivative takes there.
    affects : tuple of (output, variable)
        The derivatives d output / d variable that depend on this node.
    """

    node: object
    expr: sp.Expr
    condition: sp.Basic
    where: sp.Basic | None
    convention: str
    affects: tuple


@boundary
def nonsmooth_points(f, wrt=None, *, outputs=None) -> list[NonSmoothPoint]:
    """The nodes of ``f`` that are not differentiable everywhere, in node order.

    Parameters
    ----------
    f : anything :func:`~symbackslash.build_graph` accepts (including a graph)
    wrt : list of Symbol or str, optional
        The variables (default: every input); only nodes that some of them reach count.
    outputs : list, optional
        For a program: the outputs (default: the last assignment).
    """
    G = build_graph(f, outputs=outputs)
    variables = [v for v in resolve_wrt(G, wrt) if v in G]
    outs = list(G.graph["outputs"])
    values = closed_forms([(v, G.nodes[v]["expr"]) for v in node_order(G)
                           if G.nodes[v]["expr"] is not None], partial=True)
    points = []
    for v in node_order(G):
        expr = G.nodes[v]["expr"]
        if expr is None or expr.func not in NONSMOOTH:
            continue
        before = nx.ancestors(G, v)
        after = nx.descendants(G, v) | {v}
        affects = tuple((o, x) for o in outs if o in after for x in variables if x in before)
        if not affects:
            continue
        condition = kink(expr)
        known = all(u in values or G.nodes[u]["expr"] is None for u in G.predecessors(v))
        where = condition.xreplace(values) if known else None
        if where is sp.false:
            continue
        points.append(NonSmoothPoint(v, expr, condition, where, NONSMOOTH[expr.func], affects))
    return points
