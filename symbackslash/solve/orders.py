"""Elimination orders for :mod:`.elimination`, and what each costs.

``"forward"``
    the nodes in index (topological) order: forward mode, forward substitution on I − L;
``"reverse"``
    the reverse: reverse mode, back substitution on (I − L)ᵀ;
``"markowitz"``
    each time the node of smallest Markowitz degree, in-degree × out-degree in the graph as
    it is then (ties: the first in index order), the classic greedy heuristic;
``"optimal"``
    an order of fewest multiplications, by dynamic programming over the sets of eliminated
    nodes. The graph left after eliminating a set does not depend on the order, so the
    search visits each of the 2ⁿ sets once; it is refused past
    ``max_elimination_search`` nodes (default 12; :func:`~symbackslash.set_limits`).

Markowitz and the search run on the pattern of L, not its entries: each weight is known
only as a number (its value kept, since products with 0 and ±1 are free, and ±1 edges can
add up to 0 or 2), as ±𝓘 (free, for operators) or as "something else". Their cost is the count of
:attr:`~.elimination.VertexElimination.multiplications` unless symbolic weights cancel.

>>> L = {(2, 0): 2, (2, 1): 3, (3, 2): 5, (4, 3): 7}
>>> [elimination_order(L, 5, [2, 3], order=o) for o in ORDERS]
[[2, 3], [3, 2], [3, 2], [3, 2]]
>>> elimination_cost(L, 5, [2, 3]), elimination_cost(L, 5, [3, 2])
(4, 3)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction

import sympy as sp

from ..core.elements import is_unit, is_zero
from ..core.limits import check_limit
from ..errors import InputError

__all__ = ["ORDERS", "elimination_order", "elimination_cost"]

ORDERS = ("forward", "reverse", "markowitz", "optimal")

_OTHER = None        # a weight that is not a known number
_UNIT = "unit"       # a unit that is not a number, ±𝓘: products with it are free


def elimination_order(L: Mapping, n: int, candidates: Sequence[int], *, order,
                      keep: Iterable[int] = (), names: Sequence | None = None) -> list[int]:
    """The pivots, in order, for the named ``order`` (one of :data:`ORDERS`) or an explicit
    list, which must hold every candidate once (``candidates`` in index order). ``names``
    (index → node) names the nodes in the message that refuses a list."""
    candidates = sorted(candidates)
    if isinstance(order, str):
        if order == "forward":
            return list(candidates)
        if order == "reverse":
            return candidates[::-1]
        if order == "markowitz":
            return _markowitz(_Pattern(L, n, keep), candidates)
        if order == "optimal":
            return _optimal(_Pattern(L, n, keep), candidates)
        raise InputError(f"order must be one of {', '.join(ORDERS)} or a list of nodes, not "
                         f"{order!r}")
    order = list(order)
    if sorted(order) != candidates:
        def shown(indices):
            return ", ".join(str(names[k] if names is not None else k) for k in indices) \
                or "none"
        missing = sorted(set(candidates) - set(order))
        extra = [k for k in order if k not in set(candidates)]
        repeated = sorted({k for k in order if order.count(k) > 1} - set(extra))
        raise InputError(f"an elimination order lists every node to eliminate once, in "
                         f"{len(candidates)} entries ({shown(candidates)}); missing: "
                         f"{shown(missing)}; not to be eliminated: {shown(extra)}; repeated: "
                         f"{shown(repeated)}")
    return order


def elimination_cost(L: Mapping, n: int, order: Sequence[int], *,
                     keep: Iterable[int] = ()) -> int:
    """The multiplications of eliminating ``order``, counted on the pattern of L."""
    pattern = _Pattern(L, n, keep)
    return sum(pattern.eliminate(k) for k in order)


class _Pattern:
    """The graph of L with each weight's class: its value if a number, else ``_OTHER``."""

    def __init__(self, L: Mapping, n: int, keep: Iterable[int]):
        self.keep = frozenset(keep)
        self.pred: list[dict] = [{} for _ in range(n)]
        self.succ: list[dict] = [{} for _ in range(n)]
        for (i, j), w in L.items():
            if not is_zero(w):
                self.pred[i][j] = self.succ[j][i] = _class(w)

    def copy(self) -> _Pattern:
        new = object.__new__(_Pattern)
        new.keep, new.pred, new.succ = self.keep, [dict(d) for d in self.pred], \
            [dict(d) for d in self.succ]
        return new

    def degree(self, k: int) -> int:
        return len(self.pred[k]) * len(self.succ[k])

    def cost(self, k: int) -> int:
        ins, outs = self.pred[k].values(), self.succ[k].values()
        costly_in = sum(not _free(c) for c in ins)
        return costly_in * sum(not _free(c) for c in outs)

    def eliminate(self, k: int) -> int:
        """Eliminate ``k`` (as :func:`.elimination.eliminate_vertices`); return the cost."""
        cost = self.cost(k)
        for j, c_jk in self.succ[k].items():
            for i, c_ki in self.pred[k].items():
                product = _product(c_jk, c_ki)
                previous = self.pred[j].get(i, 0)
                total = product if i not in self.pred[j] else (
                    _OTHER if {previous, product} & {_OTHER, _UNIT} else previous + product)
                if total == 0:
                    self.pred[j].pop(i, None)
                    self.succ[i].pop(j, None)
                else:
                    self.pred[j][i] = self.succ[i][j] = total
            del self.pred[j][k]
        self.succ[k] = {}
        if k not in self.keep:
            for i in self.pred[k]:
                del self.succ[i][k]
            self.pred[k] = {}
        return cost


def _class(w):
    if not isinstance(w, (int, float, Fraction, sp.Expr)) or getattr(w, "is_Operator", False):
        return _UNIT if is_unit(w) else _OTHER
    if isinstance(w, (int, float)) and not isinstance(w, bool):
        return sp.Rational(w) if isinstance(w, int) else sp.Float(w)
    if isinstance(w, sp.Expr) and w.is_Number:
        return w
    if isinstance(w, Fraction):
        return sp.Rational(w.numerator, w.denominator)
    return _OTHER


def _free(c) -> bool:
    return c is _UNIT or (c is not _OTHER and (c == 1 or c == -1))


def _product(a, b):
    if _OTHER in (a, b):
        return _OTHER
    if _UNIT in (a, b):
        other = b if a is _UNIT else a
        return _UNIT if _free(other) else _OTHER
    return a * b


def _markowitz(pattern: _Pattern, candidates: list[int]) -> list[int]:
    left, result = list(candidates), []
    while left:
        k = min(left, key=pattern.degree)   # min keeps the first of equal degrees
        pattern.eliminate(k)
        left.remove(k)
        result.append(k)
    return result


def _optimal(pattern: _Pattern, candidates: list[int]) -> list[int]:
    """Fewest multiplications over all orders: dynamic programming over eliminated sets."""
    check_limit("max_elimination_search", len(candidates),
                "the number of nodes to eliminate for the optimal order's search")
    layer = {frozenset(): (0, (), pattern)}
    for _ in candidates:
        best: dict = {}
        for done, (cost, order, state) in layer.items():
            for k in candidates:
                if k not in done:
                    total, key = cost + state.cost(k), done | {k}
                    if key not in best or total < best[key][0]:
                        best[key] = (total, order + (k,), state, k)
        layer = {}
        for key, (total, order, state, k) in best.items():
            new = state.copy()   # the graph after a set is the same whatever the order
            new.eliminate(k)
            layer[key] = (total, order, new)
    return list(next(iter(layer.values()))[1])
