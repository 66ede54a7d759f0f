"""Path sums: (I − L)⁻¹ = I + L + L² + … and the paths it adds up (docs/mathematics.md, path sums).

Entry [j, i] of L^k sums, over the paths i → j with k edges, the product of the edge
weights; L is nilpotent, so the series stops, and [(I − L)⁻¹]_{ji} is the total derivative
dv_j/dv_i. Products are taken with :func:`~symbackslash.core.elements.act`, the later edge on the
left, so the same code multiplies numbers, SymPy expressions and operators.

>>> import networkx as nx, sympy as sp
>>> a, b, c, d = sp.symbols("a b c d")
>>> G = nx.DiGraph()
>>> G.add_weighted_edges_from([(1, 3, a), (2, 3, b), (3, 4, c), (4, 5, d)])
>>> path_products(G, 1, 5)
[([1, 3, 4, 5], a*c*d)]
>>> nilpotency_index(G)
4
"""

from __future__ import annotations

import functools
import itertools
import operator

import networkx as nx
import sympy as sp

from ..core.elements import act, is_zero
from ..errors import boundary
from .matrices import TriangularSystem, triangular_system

__all__ = ["neumann_terms", "neumann_inverse", "nilpotency_index", "path_products", "path_sum"]


def _system(G_or_system) -> TriangularSystem:
    if isinstance(G_or_system, TriangularSystem):
        return G_or_system
    return triangular_system(G_or_system)


@boundary
def neumann_terms(G_or_system) -> list[dict]:
    """The nonzero powers L⁰ = I, L¹, L², … as sparse mappings ``{(i, j): entry}``.

    The list stops at the first zero power, so its length is the nilpotency index.
    """
    S = _system(G_or_system)
    by_column: dict[int, list] = {}
    for (i, m), w in S.entries.items():
        by_column.setdefault(m, []).append((i, w))
    terms = [{(i, i): sp.S.One for i in range(S.n)}]
    power = dict(S.entries)
    while power:
        terms.append(power)
        following: dict = {}
        for (m, j), p in power.items():        # L·power: extend each path by one edge
            for i, w in by_column.get(m, ()):
                following.setdefault((i, j), []).append(act(w, p))
        power = {key: s for key, parts in following.items()
                 if not is_zero(s := functools.reduce(operator.add, parts))}
    return terms


@boundary
def nilpotency_index(G_or_system) -> int:
    """The smallest k with L^k = 0 (one more than the longest path's number of edges)."""
    return len(neumann_terms(G_or_system))


@boundary
def neumann_inverse(G_or_system) -> sp.Matrix:
    """(I − L)⁻¹ = I + L + … + L^{k−1} as a dense SymPy matrix (for display and checks)."""
    S = _system(G_or_system)
    total: dict = {}
    for term in neumann_terms(S):
        for key, value in term.items():
            total[key] = total[key] + value if key in total else value
    return sp.Matrix(S.n, S.n, lambda i, j: total.get((int(i), int(j)), 0))


@boundary
def path_products(G: nx.DiGraph, source, target) -> list[tuple[list, object]]:
    """Every path ``source → … → target`` with the product of its edge weights.

    The product of a path i → m → j is w(m→j)·w(i→m): later edges act on the left.
    """
    if source == target:
        return [([source], sp.S.One)]
    result = []
    for path in nx.all_simple_paths(G, source, target):
        product = G.edges[path[0], path[1]]["weight"]
        for u, v in itertools.pairwise(path[1:]):
            product = act(G.edges[u, v]["weight"], product)
        result.append((path, product))
    return result


@boundary
def path_sum(G: nx.DiGraph, source, target):
    """The sum of :func:`path_products`: the total derivative d target / d source."""
    products = [p for _, p in path_products(G, source, target)]
    return functools.reduce(operator.add, products) if products else sp.S.Zero
