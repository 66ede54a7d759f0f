"""Vertex elimination: Gaussian elimination on I − L, in any order, written once.

Forward and back substitution are two ways to get the Jacobian out of I − L. The general
statement (Griewank and Walther, *Evaluating Derivatives*, ch. 9–10) is that any order of
eliminating the intermediate nodes works: eliminating node k is the Gauss step with pivot
(k, k) on I − L, whose pivot is 1. Every row j with an entry in column k gets row k times
L[j, k] added, so, in the weights of L,

    L[j, i]  ←  L[j, i] + L[j, k]·L[k, i]      for every edge i → k and every edge k → j,

and then row and column k leave the system (the Schur complement on the other nodes). On the
graph: k is removed, and each path i → k → j becomes an edge i → j, new (a *fill-in*) or
added to the one there. When only inputs and outputs remain, L[output, input] is the
Jacobian. An output that feeds other nodes is eliminated too, but its row stays: only its
column is cleared (its out-edges are folded into its successors), since its own derivatives
are part of the answer.

The loop below never looks at what an entry is: the products go through
:func:`~symbackslash.core.elements.compose` (``a·b`` for numbers and SymPy expressions,
``a ∘ b`` for operators) and the sums through ``+``, so the same function eliminates scalar
weights, SymPy expressions and the operator entries of matrix nodes. Each step is recorded
as data, an :class:`EliminationStep`, for the derivation and the figures.

>>> L = {(2, 0): 2, (2, 1): 3, (3, 2): 5, (4, 3): 7}    # the paper's 5-node graph, numbers
>>> E = eliminate_vertices(L, 5, [3, 2])                 # reverse order: node 4, then node 3
>>> E.entries, E.multiplications
({(4, 0): 70, (4, 1): 105}, 3)
>>> eliminate_vertices(L, 5, [2, 3]).multiplications     # forward order
4
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ..core.elements import compose, is_zero
from ..errors import InputError, boundary
from .substitution import _free

__all__ = ["Update", "EliminationStep", "VertexElimination", "eliminate_vertices"]


@dataclasses.dataclass(frozen=True)
class Update:
    """One Schur-complement update ``L[target, source] ← previous + product``.

    ``product`` is ``L[target, pivot]·L[pivot, source]``; ``previous`` is ``None`` when the
    edge source → target is new (a fill-in); ``result`` is ``None`` when the sum cancelled
    to a structural zero (the edge is removed). ``costly`` says whether the product costs a
    multiplication (neither factor 0 or ±1, the rule of
    :attr:`~symbackslash.solve.substitution.Substitution.multiplications`).
    """

    target: int
    source: int
    product: Any
    previous: Any
    result: Any
    costly: bool

    @property
    def fill_in(self) -> bool:
        """Whether the update created a new edge (a nonzero where I − L had a zero)."""
        return self.previous is None and self.result is not None


@dataclasses.dataclass(frozen=True)
class EliminationStep:
    """The elimination of one node: the Gauss step with pivot ``pivot`` on I − L.

    Attributes
    ----------
    pivot : int
        0-based index of the node eliminated.
    in_edges : tuple of (int, entry)
        Its predecessors i with L[pivot, i] (the row of the pivot).
    out_edges : tuple of (int, entry)
        Its successors j with L[j, pivot] (the column of the pivot).
    updates : tuple of Update
        One per pair (successor, predecessor), successors first.
    kept : bool
        Whether the pivot's row stays in the system (an output: only its column is cleared).
    entries : dict
        L after the step, ``{(j, i): weight}``.
    remaining : tuple of int
        The nodes still in the system after the step, in index order.
    """

    pivot: int
    in_edges: tuple
    out_edges: tuple
    updates: tuple
    kept: bool
    entries: dict = dataclasses.field(repr=False)
    remaining: tuple = dataclasses.field(repr=False)

    @property
    def multiplications(self) -> int:
        """How many of the step's products cost a multiplication."""
        return sum(u.costly for u in self.updates)

    @property
    def fill_in(self) -> tuple:
        """The new edges ``(source, target)`` the step created."""
        return tuple((u.source, u.target) for u in self.updates if u.fill_in)

    @property
    def markowitz(self) -> int:
        """The pivot's Markowitz degree, in-degree × out-degree, when it was eliminated."""
        return len(self.in_edges) * len(self.out_edges)


class VertexElimination:
    """The result of eliminating nodes from I − L in a given order, with every step.

    ``initial`` and ``entries`` are L before and after, ``{(j, i): weight}``; ``order`` is
    the pivots in elimination order, ``steps`` one :class:`EliminationStep` each; ``n`` is the
    number of nodes and ``remaining`` those left at the end.
    """

    def __init__(self, n: int, initial: dict, order: tuple, steps: list, entries: dict):
        self.n, self.initial, self.order, self.steps, self.entries = (
            n, initial, order, steps, entries)

    @property
    def remaining(self) -> tuple:
        return self.steps[-1].remaining if self.steps else tuple(range(self.n))

    @property
    def multiplications(self) -> int:
        """How many products the elimination formed that cost a multiplication."""
        return sum(step.multiplications for step in self.steps)

    def __repr__(self) -> str:
        return (f"VertexElimination(order={list(self.order)}, steps={len(self.steps)}, "
                f"multiplications={self.multiplications})")


@boundary
def eliminate_vertices(L: Mapping, n: int, order: Sequence[int], *,
                       keep: Iterable[int] = ()) -> VertexElimination:
    """Eliminate the nodes ``order`` from the system with strictly lower-triangular ``L``.

    Parameters
    ----------
    L : mapping ``{(i, j): entry}``
        The weights of L (``L[i, j]`` for the edge j → i), as in
        :attr:`~symbackslash.solve.matrices.TriangularSystem.entries`.
    n : int
        The number of nodes.
    order : sequence of int
        The pivots, each at most once.
    keep : iterable of int
        Pivots whose row stays (outputs): only their column is cleared.
    """
    pred, succ = _adjacency(L, n)
    _check_order(order, n)
    keep, alive = set(keep), set(range(n))
    initial = {key: w for key, w in L.items() if not is_zero(w)}
    steps = []
    for k in order:
        ins, outs = tuple(sorted(pred[k].items())), tuple(sorted(succ[k].items()))
        updates = [_update(j, i, c_jk, c_ki, pred, succ) for j, c_jk in outs for i, c_ki in ins]
        for j, _ in outs:
            del pred[j][k]
        succ[k].clear()
        if k not in keep:
            for i, _ in ins:
                del succ[i][k]
            pred[k].clear()
            alive.discard(k)
        steps.append(EliminationStep(k, ins, outs, tuple(updates), k in keep, _entries(pred),
                                     tuple(sorted(alive))))
    return VertexElimination(n, initial, tuple(order), steps, _entries(pred))


def _update(j, i, c_jk, c_ki, pred, succ) -> Update:
    """L[j, i] ← L[j, i] + L[j, k]·L[k, i], in place on the adjacency."""
    product = compose(c_jk, c_ki)
    previous = pred[j].get(i)
    result = product if previous is None else previous + product
    if is_zero(result):
        result = None
        pred[j].pop(i, None)
        succ[i].pop(j, None)
    else:
        pred[j][i] = succ[i][j] = result
    return Update(j, i, product, previous, result, not (_free(c_jk) or _free(c_ki)))


def _adjacency(L: Mapping, n: int) -> tuple[list[dict], list[dict]]:
    """``pred[k] = {i: L[k, i]}`` and ``succ[k] = {j: L[j, k]}`` for the nonzeros of L."""
    if not isinstance(L, Mapping):
        raise InputError(f"L must be a mapping {{(i, j): entry}}, not {type(L).__name__}")
    pred: list[dict] = [{} for _ in range(n)]
    succ: list[dict] = [{} for _ in range(n)]
    for key, w in L.items():
        if not (isinstance(key, tuple) and len(key) == 2):
            raise InputError(f"the keys of L must be pairs (i, j), not {key!r}")
        i, j = key
        if not (0 <= j < i < n):
            raise InputError(f"entry ({i}, {j}) is not below the diagonal of the {n} × {n} "
                             f"system: L must be strictly lower triangular")
        if not is_zero(w):
            pred[i][j] = succ[j][i] = w
    return pred, succ


def _check_order(order: Sequence[int], n: int) -> None:
    seen = set()
    for k in order:
        if not (isinstance(k, int) and 0 <= k < n):
            raise InputError(f"the elimination order has {k!r}, which is not a node index "
                             f"0 … {n - 1}")
        if k in seen:
            raise InputError(f"node {k} appears twice in the elimination order")
        seen.add(k)


def _entries(pred: list[dict]) -> dict:
    return {(j, i): w for j, row in enumerate(pred) for i, w in sorted(row.items())}
