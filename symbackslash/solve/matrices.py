"""Graph → the triangular system: L, its blocks M and L̃, I − L and (I − L)ᵀ.

The third stage of the data flow (docs/mathematics.md). With the nodes in topological order
(``index``), the matrix of local partials L, with ``L[i, j]`` the weight of the edge j → i,
is strictly lower triangular. Sources (inputs) come first, so

    L = [ 0  0 ]     M = weights from sources to the other nodes,
        [ M  L̃ ]     L̃ = weights among the other nodes.

:class:`TriangularSystem` keeps L sparse (a dict of the edges, O(nodes + edges)) and builds
dense SymPy matrices only when one is asked for, for display. The transpose of a matrix of
operators transposes the pattern *and* takes the adjoint of each entry (docs/mathematics.md);
:func:`~symbackslash.core.elements.adjoint` is the identity on real scalars.

>>> import sympy as sp
>>> from symbackslash.graph.build import build_graph
>>> x, y = sp.symbols("x y")
>>> S = triangular_system(build_graph(sp.sin(x*y) + x*y))
>>> S.L
Matrix([
[0, 0,       0, 0, 0],
[0, 0,       0, 0, 0],
[y, x,       0, 0, 0],
[0, 0, cos(v1), 0, 0],
[0, 0,       1, 1, 0]])
>>> S.substituted().M
Matrix([
[y, x],
[0, 0],
[0, 0]])
"""

from __future__ import annotations

import dataclasses

import networkx as nx
import sympy as sp

from ..core.elements import adjoint, one, zero
from ..core.limits import check_limit
from ..core.shapes import shape_of
from ..errors import InputError, boundary
from ..graph.check import check_graph, node_order
from ..graph.formulas import formulas
from ..operators.kinds import ZeroOperator

__all__ = ["TriangularSystem", "triangular_system", "assemble"]


@dataclasses.dataclass(frozen=True)
class TriangularSystem:
    """The sparse lower-triangular matrix L of a computational graph.

    Attributes
    ----------
    nodes : tuple
        Node keys in index order (row/column k of L is ``nodes[k]``).
    entries : dict
        ``{(i, j): L[i, j]}`` for every edge ``nodes[j] → nodes[i]`` (0-based, i > j).
    n_sources : int
        How many leading nodes are sources (inputs).
    form : str
        ``"nodes"`` (weights in node symbols) or ``"inputs"`` (substituted back).
    graph : networkx.DiGraph
        The graph the system was built from.
    """

    nodes: tuple
    entries: dict
    n_sources: int
    form: str
    graph: nx.DiGraph = dataclasses.field(repr=False, compare=False)

    @property
    def n(self) -> int:
        """The number of nodes."""
        return len(self.nodes)

    def position(self, node) -> int:
        """0-based row of ``node``."""
        return self.graph.nodes[node]["index"] - 1

    # sparse forms used by the solvers ---------------------------------------------
    def lower(self) -> dict:
        """I − L as a sparse mapping ``{(i, j): entry}`` (for forward substitution)."""
        result = {(i, i): one(v) for i, v in enumerate(self.nodes)}
        result.update({key: -w for key, w in self.entries.items()})
        return result

    def upper(self) -> dict:
        """(I − L)ᵀ as a sparse mapping (for back substitution): entry (j, i) is −L[i, j]ᵀ."""
        result = {(i, i): one(v) for i, v in enumerate(self.nodes)}
        result.update({(j, i): -adjoint(w) for (i, j), w in self.entries.items()})
        return result

    def unit(self, node) -> list:
        """The right-hand side e_node: 1 at the scalar ``node``, zeros (of each node's kind)
        elsewhere."""
        k = self.position(node)
        return [sp.S.One if i == k else zero(v) for i, v in enumerate(self.nodes)]

    def seed(self, node) -> list:
        """The right-hand side of forward mode for the input ``node``: its identity (1 for a
        scalar, the identity operator for a matrix) there, zeros elsewhere. For a matrix
        input the unknowns are operators (maps from d node), so the zeros are zero maps."""
        if not isinstance(node, sp.MatrixSymbol):
            return self.unit(node)
        k = self.position(node)
        return [one(node) if i == k else ZeroOperator(node.shape, shape_of(v))
                for i, v in enumerate(self.nodes)]

    # dense matrices for display ---------------------------------------------------
    def _dense(self, entry) -> sp.Matrix:
        check_limit("max_nodes", self.n * self.n,
                    f"the number of entries of a dense {self.n} × {self.n} matrix (the sparse "
                    f"form is TriangularSystem.entries)")
        return sp.Matrix(self.n, self.n, lambda i, j: entry(int(i), int(j)))

    @property
    def L(self) -> sp.Matrix:
        """L, dense (``L[i, j]`` = weight of edge j → i)."""
        return self._dense(lambda i, j: self.entries.get((i, j), 0))

    @property
    def I_minus_L(self) -> sp.Matrix:
        """I − L, dense."""
        lower = self.lower()
        return self._dense(lambda i, j: lower.get((i, j), 0))

    @property
    def I_minus_L_T(self) -> sp.Matrix:
        """(I − L)ᵀ, dense: the pattern transposed and each entry replaced by its adjoint."""
        upper = self.upper()
        return self._dense(lambda i, j: upper.get((i, j), 0))

    @property
    def M(self) -> sp.Matrix:
        """The block of weights from sources (columns) to non-sources (rows)."""
        return self.L[self.n_sources:, :self.n_sources]

    @property
    def L_tilde(self) -> sp.Matrix:
        """L̃: the block of weights among non-sources."""
        return self.L[self.n_sources:, self.n_sources:]

    def substituted(self) -> TriangularSystem:
        """The same system with every weight written in terms of the inputs."""
        if self.form == "inputs":
            return self
        values = formulas(self.graph)
        entries = {key: _substitute(w, values) for key, w in self.entries.items()}
        return dataclasses.replace(self, entries=entries, form="inputs")


def _substitute(weight, values: dict):
    return weight.xreplace(values) if isinstance(weight, sp.Basic) else weight


@boundary
def triangular_system(G, *, form: str = "nodes") -> TriangularSystem:
    """The triangular system of a computational graph (sparse; dense views on demand).

    Parameters
    ----------
    G : networkx.DiGraph
        A graph from :func:`~symbackslash.build_graph`, or one made by hand with a
        ``weight`` on every edge (see :func:`~symbackslash.check_graph`).
    form : {"nodes", "inputs"}
        Weights in node symbols, or substituted back in terms of the inputs.
    """
    if form not in ("nodes", "inputs"):
        raise InputError(f"form must be 'nodes' or 'inputs', not {form!r}")
    return assemble(check_graph(G), form=form)


def assemble(G: nx.DiGraph, *, form: str = "nodes") -> TriangularSystem:
    """The triangular system of a graph already checked: by :func:`~symbackslash.build_graph`
    or :func:`~symbackslash.check_graph`. The stages behind a public call use it, so the graph
    and its limits are validated once, at the boundary."""
    nodes = tuple(node_order(G))
    position = {v: k for k, v in enumerate(nodes)}
    entries = {(position[v], position[u]): data["weight"] for u, v, data in G.edges(data=True)}
    n_sources = next((k for k, v in enumerate(nodes) if G.nodes[v]["kind"] != "input"), len(nodes))
    system = TriangularSystem(nodes, entries, n_sources, "nodes", G)
    return system.substituted() if form == "inputs" else system
