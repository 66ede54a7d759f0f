"""Jacobians by vertex elimination in any order: Gaussian elimination on I − L.

Forward and reverse mode are two orders of eliminating the intermediate nodes of the graph;
every order gives the same Jacobian, the Schur complement of I − L on the inputs and the
outputs, at its own cost (:mod:`symbackslash.solve.elimination`, whose orders are in
:mod:`symbackslash.solve.orders`). For functions with several inputs and outputs another
order can beat both modes.

>>> import sympy as sp
>>> x, y, z = sp.symbols("x y z")
>>> E = eliminate([sp.sin(x*y) + x*y, sp.cos(x*y)*z], [x, y, z], order="markowitz")
>>> E.jacobian
Matrix([
[y*(cos(x*y) + 1), x*(cos(x*y) + 1),        0],
[   -y*z*sin(x*y),    -x*z*sin(x*y), cos(x*y)]])
>>> print(elimination_costs([sp.sin(x*y) + x*y, sp.cos(x*y)*z], [x, y, z]))
order      multiplications  elimination order
forward    6                v1, v2, v3
reverse    5                v3, v2, v1
markowitz  5                v2, v3, v1
optimal    5                v3, v1, v2
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from functools import cached_property

import networkx as nx
import sympy as sp

from ..errors import InputError, ResourceLimitError, boundary, record
from ..graph.build import build_graph
from ..graph.check import resolve_wrt
from ..operators.functionals import representer
from ..solve.elimination import VertexElimination, eliminate_vertices
from ..solve.matrices import TriangularSystem, triangular_system
from ..solve.orders import ORDERS, elimination_order
from .gradient import Differentiation

__all__ = ["Elimination", "EliminationCosts", "eliminate", "elimination_costs"]


@dataclasses.dataclass
class Elimination:
    """A Jacobian computed by eliminating the graph's nodes in one order, with every step.

    Attributes
    ----------
    graph : networkx.DiGraph
    system : TriangularSystem
        I − L before the elimination, in node symbols; row k is ``system.nodes[k]``.
    order_name : str
        ``"forward"``, ``"reverse"``, ``"markowitz"``, ``"optimal"`` or ``"explicit"``.
    order : list
        The nodes eliminated, in order: every node that has successors, except the inputs.
    outputs, wrt : list
        Rows and columns of the Jacobian.
    elimination : VertexElimination
        The steps, as data: ``steps[k]`` is an
        :class:`~symbackslash.solve.elimination.EliminationStep` (indices are rows of I − L).
    """

    graph: nx.DiGraph
    system: TriangularSystem
    order_name: str
    order: list
    outputs: list
    wrt: list
    elimination: VertexElimination

    @property
    def steps(self) -> list:
        """One :class:`~symbackslash.solve.elimination.EliminationStep` per eliminated node."""
        return self.elimination.steps

    @property
    def multiplications(self) -> int:
        """Products that cost a multiplication (neither factor 0 or ±1), as
        :attr:`~symbackslash.solve.substitution.Substitution.multiplications` counts them."""
        return self.elimination.multiplications

    @property
    def nodes(self) -> tuple:
        """The node keys, ``nodes[k]`` for row and column k of I − L."""
        return self.system.nodes

    def I_minus_L(self, step: int | None = None) -> sp.Matrix:
        """I − L on the nodes still in the system after ``step`` eliminations (0: before any;
        default: at the end, inputs and outputs only, where −L holds the Jacobian)."""
        step = len(self.steps) if step is None else step
        if not isinstance(step, int) or isinstance(step, bool) or not 0 <= step <= len(self.steps):
            raise InputError(f"step must be 0 … {len(self.steps)}, not {step!r}")
        if step == 0:
            entries, remaining = self.elimination.initial, tuple(range(self.system.n))
        else:
            entries, remaining = self.steps[step - 1].entries, self.steps[step - 1].remaining
        lower = {**{(k, k): self.system.lower()[k, k] for k in remaining},
                 **{key: -w for key, w in entries.items()}}
        return sp.Matrix(len(remaining), len(remaining),
                         lambda r, c: lower.get((remaining[r], remaining[c]), 0))

    @cached_property
    def _forms(self) -> Differentiation:
        # closed forms (substitution of the node values, tidying) as for the substitutions
        return Differentiation(self.graph, self.system, "elimination", self.outputs, self.wrt,
                               [])

    def derivative(self, output, variable):
        """d output / d variable in node symbols: the weight of the edge variable → output
        left by the elimination (for a matrix variable, the gradient matrix it represents).
        ``output`` is one of ``outputs`` and ``variable`` one of ``wrt``, symbols or names."""
        output, variable = self._forms.resolve(output, variable)
        if variable not in self.graph:
            return self._forms.derivative(output, variable)
        weight = self.elimination.entries.get(
            (self.system.position(output), self.system.position(variable)), sp.S.Zero)
        return representer(weight) if isinstance(variable, sp.MatrixSymbol) else weight

    @cached_property
    def jacobian(self) -> sp.Matrix:
        """The Jacobian in closed form, rows the outputs, columns the variables of ``wrt``."""
        matrices = [var for var in self.wrt if isinstance(var, sp.MatrixSymbol)]
        if matrices:
            raise InputError(f"{matrices[0]} is a matrix: a Jacobian has scalar entries; use "
                             f"gradient for one output, or derivative(output, variable)")
        return sp.Matrix([[self._forms.closed_form(self.derivative(out, var))
                           for var in self.wrt] for out in self.outputs])

    @cached_property
    def gradient(self) -> list:
        """The gradient of the (single) output in closed form, aligned with ``wrt``."""
        if len(self.outputs) != 1:
            raise InputError(f"the computation has {len(self.outputs)} outputs; a gradient needs "
                             f"one scalar output (use jacobian for several)")
        return [self._forms.closed_form(self.derivative(self.outputs[0], var))
                for var in self.wrt]

    def __repr__(self) -> str:
        return (f"Elimination(order={self.order_name!r}: {', '.join(map(str, self.order))}; "
                f"{self.multiplications} multiplications)")


@boundary
def eliminate(f, wrt=None, *, order="markowitz", outputs=None) -> Elimination:
    """The Jacobian of ``f`` by eliminating the nodes of its graph in ``order``.

    Parameters
    ----------
    f, wrt, outputs
        As in :func:`~symbackslash.jacobian`.
    order : {"forward", "reverse", "markowitz", "optimal"} or list of nodes
        A list names every node to eliminate (every non-input with successors) once, as
        node symbols or names. ``"optimal"`` searches all orders and is refused with
        :class:`~symbackslash.ResourceLimitError` past ``max_elimination_search`` nodes.
    """
    G = build_graph(f, outputs=outputs)
    record(graph=G)
    system = triangular_system(G)
    record(system=system)
    variables = resolve_wrt(G, wrt)
    outs = list(G.graph["outputs"])
    keep = {system.position(v) for v in outs}
    candidates = [k for k, v in enumerate(system.nodes)
                  if G.in_degree(v) and G.out_degree(v)]
    if isinstance(order, str):
        name, pivots = order, order
    else:
        name, pivots = "explicit", [_position(system, G, item) for item in _as_list(order)]
    pivots = elimination_order(system.entries, system.n, candidates, order=pivots, keep=keep,
                               names=system.nodes)
    result = eliminate_vertices(system.entries, system.n, pivots, keep=keep)
    return Elimination(G, system, name, [system.nodes[k] for k in pivots], outs, variables,
                       result)


def _as_list(order) -> list:
    if isinstance(order, (list, tuple)):
        return list(order)
    raise InputError(f"order must be one of {', '.join(ORDERS)} or a list of nodes, not "
                     f"{type(order).__name__}")


def _position(system: TriangularSystem, G: nx.DiGraph, item) -> int:
    if isinstance(item, sp.Basic) and item in G:
        return system.position(item)
    matches = [v for v in system.nodes if str(v) == str(item)] if isinstance(
        item, (str, sp.Basic)) else []
    if not matches:
        raise InputError(f"the elimination order names {item!r}, which is not a node of the "
                         f"graph; its nodes are {', '.join(map(str, system.nodes))}")
    return system.position(matches[0])


@dataclasses.dataclass(frozen=True)
class EliminationCosts:
    """The cost table: for each order, its multiplications and its elimination order
    (``None`` and the reason when the optimal search was refused)."""

    rows: tuple   # (name, multiplications or None, order or reason)

    def as_dict(self) -> dict:
        """``{order name: multiplications}`` (``None`` where refused)."""
        return {name: cost for name, cost, _ in self.rows}

    def __str__(self) -> str:
        width = max(len("order"), *(len(name) for name, _, _ in self.rows)) + 2
        lines = [f"{'order':<{width}}multiplications  elimination order"]
        for name, cost, order in self.rows:
            shown = ", ".join(map(str, order)) if cost is not None else order
            lines.append(f"{name:<{width}}{'–' if cost is None else cost:<17}{shown}")
        return "\n".join(lines)

    def _repr_pretty_(self, p, cycle) -> None:
        p.text(str(self))


@boundary
def elimination_costs(f, wrt=None, *, outputs=None, orders=None) -> EliminationCosts:
    """The multiplications of the forward, reverse, Markowitz and optimal orders, and of
    any orders given in ``orders`` (a mapping name → list of nodes), computed by running
    each elimination. The optimal row is ``–`` when the graph is too large to search."""
    if orders is not None and not isinstance(orders, Mapping):
        raise InputError(f"orders must be a mapping {{name: list of nodes}}, not "
                         f"{type(orders).__name__}")
    extra = dict(orders or {})
    clash = [name for name in extra if name in ORDERS]
    if clash:
        raise InputError(f"orders names {clash[0]!r}, a row the table has already; give your "
                         f"order another name")
    G = build_graph(f, outputs=outputs)
    rows = []
    for name, order in [*((o, o) for o in ORDERS), *extra.items()]:
        try:
            E = eliminate(G, wrt, order=order)
        except ResourceLimitError as err:
            if order != "optimal":
                raise
            rows.append((name, None, f"not searched: {str(err).split(' [')[0]}"))
            continue
        rows.append((name, E.multiplications, tuple(E.order)))
    return EliminationCosts(tuple(rows))
