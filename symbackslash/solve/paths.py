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
from collections.abc import Iterator

import networkx as nx
import sympy as sp

from ..core.elements import act, is_zero
from ..core.limits import check_limit, get_limits
from ..errors import InputError, ResourceLimitError, boundary
from .matrices import TriangularSystem, triangular_system

__all__ = ["neumann_terms", "neumann_inverse", "nilpotency_index", "count_paths", "paths",
           "path_product", "path_products", "path_sum"]


def _system(G_or_system) -> TriangularSystem:
    if isinstance(G_or_system, TriangularSystem):
        return G_or_system
    return triangular_system(G_or_system)


@boundary
def neumann_terms(G_or_system) -> list[dict]:
    """The nonzero powers L⁰ = I, L¹, L², … as sparse mappings ``{(i, j): entry}``.

    The list stops at the first zero power, so its length is the nilpotency index.

    Raises
    ------
    ResourceLimitError
        When the entries of the powers would have more than ``max_nodes`` parts in all
        (an entry of L^k is a sum of products of k weights: a chain of 400 nodes has about
        10 million), checked power by power before each is built.
    """
    S = _system(G_or_system)
    limit, parts = get_limits().max_nodes, S.n
    by_column: dict[int, list] = {}
    for (i, m), w in S.entries.items():
        by_column.setdefault(m, []).append((i, w))
    terms = [{(i, i): sp.S.One for i in range(S.n)}]
    power = dict(S.entries)
    while power:
        terms.append(power)
        parts += len(power) * len(terms)  # at least k factors in an entry of L^k (here k + 1)
        if parts > limit:
            raise ResourceLimitError(f"the powers of L up to L^{len(terms) - 1} already have "
                                     f"about {parts} parts in their entries, more than "
                                     f"{limit}; the system has {S.n} nodes (back substitution "
                                     f"solves it without them)", limit="max_nodes")
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
    """(I − L)⁻¹ = I + L + … + L^{k−1} as a dense SymPy matrix (for display and checks).

    Raises
    ------
    ResourceLimitError
        When the n × n matrix, or the powers of L it adds up (:func:`neumann_terms`), would
        have more than ``max_nodes`` entries or parts.
    """
    S = _system(G_or_system)
    check_limit("max_nodes", S.n * S.n, "the number of entries of the dense (I - L)^-1")
    total: dict = {}
    for term in neumann_terms(S):
        for key, value in term.items():
            total[key] = total[key] + value if key in total else value
    return sp.Matrix(S.n, S.n, lambda i, j: total.get((int(i), int(j)), 0))


def _between(G: nx.DiGraph, source, target) -> nx.DiGraph:
    """The nodes on some path ``source → … → target`` (in topological order, as a view):
    a search restricted to them never walks into a dead end."""
    for what, node in (("source", source), ("target", target)):
        if node not in G:
            raise InputError(f"the {what} {node!r} is not a node of the graph")
    nodes = (nx.descendants(G, source) | {source}) & (nx.ancestors(G, target) | {target})
    return G.subgraph(nodes)


@boundary
def count_paths(G: nx.DiGraph, source, target) -> int:
    """The number of paths ``source → … → target``, counted in one pass over the graph
    (there can be exponentially many: each line of ``b = a + a*y`` doubles them).

    >>> G = nx.DiGraph([(1, 2), (1, 3), (2, 4), (3, 4)])
    >>> count_paths(G, 1, 4), count_paths(G, 4, 1)
    (2, 0)
    """
    H = _between(G, source, target)
    if source == target:
        return 1
    if source not in H:
        return 0
    counts = {source: 1}
    for v in nx.topological_sort(H):
        if v != source:
            counts[v] = sum(counts.get(u, 0) for u in H.predecessors(v))
    return counts.get(target, 0)


def paths(G: nx.DiGraph, source, target) -> Iterator[list]:
    """The paths ``source → … → target``, one at a time (each found in time linear in the
    graph: no dead ends are searched)."""
    if source == target:
        yield [source]
        return
    H = _between(G, source, target)
    if source in H:
        yield from nx.all_simple_paths(H, source, target)


def path_product(G: nx.DiGraph, path: list):
    """The product of the edge weights along ``path``, the later edge on the left."""
    product = G.edges[path[0], path[1]]["weight"]
    for u, v in itertools.pairwise(path[1:]):
        product = act(G.edges[u, v]["weight"], product)
    return product


@boundary
def path_products(G: nx.DiGraph, source, target) -> list[tuple[list, object]]:
    """Every path ``source → … → target`` with the product of its edge weights.

    The product of a path i → m → j is w(m→j)·w(i→m): later edges act on the left.

    Raises
    ------
    ResourceLimitError
        When there are more than ``max_paths`` paths (counted first, with
        :func:`count_paths`); :func:`path_sum` adds any number of them.
    """
    if source == target:
        return [([source], sp.S.One)]
    check_limit("max_paths", count_paths(G, source, target),
                f"the number of paths from {source} to {target} (path_sum adds them without "
                f"listing them)")
    return [(path, path_product(G, path)) for path in paths(G, source, target)]


@boundary
def path_sum(G: nx.DiGraph, source, target):
    """The sum of :func:`path_products`: the total derivative d target / d source.

    Up to ``max_paths`` paths it is their products added up; past it, the same sum
    gathered node by node in topological order (each node's total derivative is the sum
    over its in-edges of the weight times its predecessor's), which is linear in the graph.
    """
    if source == target:
        return sp.S.One
    if count_paths(G, source, target) <= get_limits().max_paths:
        products = [p for _, p in path_products(G, source, target)]
        return functools.reduce(operator.add, products) if products else sp.S.Zero
    H = _between(G, source, target)
    total: dict = {}
    for v in nx.topological_sort(H):
        if v == source:
            continue
        parts = [G.edges[u, v]["weight"] if u == source else act(G.edges[u, v]["weight"],
                                                                 total[u])
                 for u in H.predecessors(v)]
        total[v] = functools.reduce(operator.add, parts)
    return total.get(target, sp.S.Zero)
