"""Node values in terms of the inputs: the closed forms of a graph or a straight-line program.

Substituting a program into itself can grow exponentially (``b = sin(a) + cos(a)``
repeated), so scalar closed forms are measured before they are built and held to the
limits (:mod:`.limits`); matrix graphs are substituted on the DAG (:mod:`.walk`).
"""

from __future__ import annotations

import math

import networkx as nx
import sympy as sp

from ..core.limits import get_limits, measure, number_sizes
from ..core.walk import postorder, substitute
from ..errors import ResourceLimitError, boundary
from .check import node_order

__all__ = ["formulas", "closed_forms", "check_closed_forms"]


@boundary
def formulas(G: nx.DiGraph) -> dict:
    """Each node's value in terms of the inputs: ``{node: expression}``.

    Computed once, in node order, from the node expressions (so shared subexpressions are
    shared SymPy objects, not copies). Matrix graphs are substituted on the DAG, each
    distinct subexpression once (:mod:`.walk`), with no limit on nesting: their closed forms
    are shared, so a depth-100 network costs one step per node; printing one that deep meets
    the printers' limits. Scalar graphs are held to the limits of :func:`closed_forms`.
    """
    order = node_order(G)
    if any(isinstance(v, sp.MatrixSymbol) for v in order):
        result: dict = {}
        for v in order:
            expr = G.nodes[v]["expr"]
            preds = {u: result[u] for u in G.predecessors(v)}
            result[v] = v if expr is None else substitute(expr, preds) if preds else expr
        return result
    values = closed_forms([(v, G.nodes[v]["expr"]) for v in order
                           if G.nodes[v]["expr"] is not None])
    return {v: values.get(v, v) for v in order}


def closed_forms(assignments, *, partial: bool = False) -> dict:
    """Substitute a straight-line program into itself: ``{name: value in the inputs}``.

    ``assignments`` are ``(name, expression)`` pairs in order, each expression in the inputs
    and earlier names. With ``partial``, a value over the limits (and every value that uses
    it) is left out instead of raising.

    Raises
    ------
    ResourceLimitError
        If a value would be nested deeper than ``max_depth``, have more than ``max_nodes``
        parts written out, or hold numbers past ``max_int_digits`` or ``max_exponent``
        (:func:`~symbackslash.core.limits.number_sizes`: ``a = a*a`` repeated squares them).
        A closed form can grow exponentially with a program's length
        (``b = sin(a) + cos(a)`` repeated), while the gradient program of
        :func:`~symbackslash.gradient_program` stays as long as the program; the
        sizes are measured from the assignments, before anything is built.
    """
    values, kept = {}, _measured(assignments, partial=partial)
    for name, expr in assignments:
        if name in kept:
            values[name] = substitute(expr, values) if _has_derivative(expr) \
                else expr.xreplace(values)
    return values


@boundary
def check_closed_forms(G: nx.DiGraph) -> None:
    """Refuse, before anything is solved or built, a scalar graph whose node values would be
    over the limits written out (the :class:`ResourceLimitError` of :func:`closed_forms`);
    measuring takes time linear in the graph. Matrix graphs have no such limit."""
    order = node_order(G)
    if not any(isinstance(v, sp.MatrixSymbol) for v in order):
        _measured([(v, G.nodes[v]["expr"]) for v in order if G.nodes[v]["expr"] is not None],
                  partial=False)


def _measured(assignments, *, partial: bool) -> set:
    """The names whose closed forms are within the limits, measured from the assignments
    alone; without ``partial``, the first one over a limit raises."""
    lim = get_limits()
    sizes, numbers, kept = {}, {}, set()
    for name, expr in assignments:
        depth, size = sizes[name] = measure(expr, sizes)
        digits, exponent = numbers[name] = number_sizes(expr, numbers)
        digits = math.floor(digits) + 1 if math.isfinite(digits) else digits
        if partial and (depth > lim.max_depth or size > lim.max_nodes
                        or digits > lim.max_int_digits or exponent > lim.max_exponent):
            sizes[name] = numbers[name] = (math.inf, math.inf)
            continue
        if digits > lim.max_int_digits or exponent > lim.max_exponent:
            limit, what = (("max_int_digits", f"a number of up to {digits} digits")
                           if digits > lim.max_int_digits else
                           ("max_exponent", f"a power with an exponent up to {exponent:.0f}"))
            raise ResourceLimitError(f"the closed form of {name} would hold {what}; use "
                                     f"gradient(..., form='program') for a gradient that stays "
                                     f"as short as the program", limit=limit)
        if depth > lim.max_depth or size > lim.max_nodes:
            limit, what = (("max_depth", f"nested {depth} levels deep") if depth > lim.max_depth
                           else ("max_nodes", f"about {size} parts written out"))
            raise ResourceLimitError(f"the closed form of {name} would be {what}; use "
                                     f"gradient(..., form='program') for a gradient that stays "
                                     f"as short as the program", limit=limit)
        kept.add(name)
    return kept


def _has_derivative(expr) -> bool:
    """Whether ``expr`` holds a ``Derivative`` (of an undefined function), which a plain
    ``xreplace`` cannot substitute into (see :func:`~symbackslash.core.walk.bottom_up`)."""
    return isinstance(expr, sp.Basic) and any(isinstance(e, sp.Derivative)
                                              for e in postorder(expr))
