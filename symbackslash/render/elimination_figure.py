"""Vertex elimination in pictures: the graph losing a node, and I − L its row and column.

:func:`draw_elimination` draws step k of an :class:`~symbackslash.Elimination`: the graph as
it is when node k is eliminated, with the node outlined in red, its in- and out-edges red,
and the edges the step creates or updates (fill-in: each path i → k → j becomes an edge i → j,
weighted by the product plus the weight already there) red too, labelled with their new
weights. :class:`EliminationStoryboard` puts that graph next to I − L after the step (the
Schur complement, its updated entries in red), one frame per elimination; it saves itself
as a PNG grid or a GIF like the substitution's :class:`~symbackslash.Storyboard`, whose
image methods it reuses. ``sb.storyboard(E)`` makes one from an elimination.

Frames come from the elimination's recorded steps, never from a second computation.

>>> import matplotlib
>>> matplotlib.use("Agg")
>>> from symbackslash.derivatives.elimination import eliminate
>>> from symbackslash.examples import t1_graph
>>> E = eliminate(t1_graph(), order="reverse")
>>> ax = draw_elimination(E, step=1)
>>> sorted(t.get_gid() for t in ax.texts if t.get_gid().startswith("weight:"))
['weight:1->3', 'weight:2->3', 'weight:3->4', 'weight:3->5', 'weight:4->5']
>>> len(EliminationStoryboard(E))
2
"""

from __future__ import annotations

import networkx as nx
from matplotlib.figure import Figure

from ..derivatives.elimination import Elimination
from ..errors import RenderError, boundary
from ..printing.latex import node_symbol
from ..solve.matrices import TriangularSystem
from .graph_figure import draw_graph, graph_size
from .highlight import Highlight
from .labels import label, mixed
from .matrix_figure import draw_matrix
from .storyboard import CAPTION, STORYBOARDS, Storyboard

__all__ = ["draw_elimination", "EliminationStoryboard", "state_graph"]


def state_graph(E: Elimination, step: int, *, with_updates: bool = False) -> nx.DiGraph:
    """The graph after ``step`` eliminations (0: the original), its nodes renumbered in
    order; with ``with_updates``, the graph when step ``step + 1`` runs, with the edges that
    step creates or updates (their new weights) added."""
    S, steps = E.system, E.steps
    entries = dict(steps[step - 1].entries) if step else dict(E.elimination.initial)
    remaining = steps[step - 1].remaining if step else tuple(range(S.n))
    if with_updates:
        for update in steps[step].updates:
            if update.result is not None:
                entries[update.target, update.source] = update.result
    G = nx.DiGraph()
    for index, k in enumerate(remaining, start=1):
        v = S.nodes[k]
        G.add_node(v, **{**E.graph.nodes[v], "index": index})
    for (j, i), weight in entries.items():
        G.add_edge(S.nodes[i], S.nodes[j], weight=weight)
    G.graph.update(inputs=[v for v in E.graph.graph["inputs"] if v in G],
                   outputs=[v for v in E.outputs if v in G])
    return G


def _system_after(E: Elimination, step: int) -> TriangularSystem:
    """I − L after ``step`` eliminations, as a system on the nodes left."""
    S = E.system
    G = state_graph(E, step)
    remaining = E.steps[step - 1].remaining if step else tuple(range(S.n))
    position = {k: r for r, k in enumerate(remaining)}
    entries = E.steps[step - 1].entries if step else E.elimination.initial
    return TriangularSystem(tuple(S.nodes[k] for k in remaining),
                            {(position[j], position[i]): w for (j, i), w in entries.items()},
                            sum(1 for k in remaining if k < S.n_sources), "nodes", G)


def _marks(E: Elimination, step: int) -> Highlight:
    """Step ``step`` (1-based): the pivot, its edges and the edges it creates or updates."""
    S, s = E.system, E.steps[step - 1]
    k = S.nodes[s.pivot]
    edges = {(S.nodes[i], k) for i, _ in s.in_edges} | {(k, S.nodes[j]) for j, _ in s.out_edges}
    edges |= {(S.nodes[u.source], S.nodes[u.target]) for u in s.updates if u.result is not None}
    return Highlight(frozenset([k]), frozenset(edges), k)


def _check_step(E, step) -> None:
    if not isinstance(E, Elimination):
        raise RenderError(f"draw_elimination needs an Elimination (sb.eliminate(...)), not "
                          f"{type(E).__name__}")
    if isinstance(step, bool) or not isinstance(step, int) or not 1 <= step <= len(E.steps):
        raise RenderError(f"step={step!r}: the elimination has {len(E.steps)} steps, numbered "
                          f"1 … {len(E.steps)}")


@boundary
def draw_elimination(E: Elimination, step: int = 1, ax=None, *, fontsize: float = 11.0,
                     legend: bool = True):
    """Draw step ``step`` (1 … len(E.steps)) of an elimination on the graph; return the Axes.

    The node eliminated is outlined in red; its in- and out-edges and the edges the step
    creates (fill-in) or updates are red, each with its weight after the step.
    """
    _check_step(E, step)
    G = state_graph(E, step - 1, with_updates=True)
    return draw_graph(G, ax, highlight=_marks(E, step), fontsize=fontsize, legend=legend)


class EliminationStoryboard(Storyboard):
    """One frame per elimination: the graph (:func:`draw_elimination`) next to I − L after
    the step, with the updated entries in red. Saving and display as in
    :class:`~symbackslash.Storyboard`."""

    def __init__(self, elimination: Elimination, *, dpi: float = 100, max_frames: int = 40,
                 fontsize: float = 10.0):
        if not isinstance(elimination, Elimination):
            raise RenderError(f"an elimination storyboard needs an Elimination, not "
                              f"{type(elimination).__name__}")
        self.elimination, self.dpi, self.fontsize = elimination, dpi, fontsize
        self.steps = elimination.steps
        if not self.steps:
            raise RenderError("the elimination has no steps (no node to eliminate)")
        if len(self.steps) > max_frames:
            raise RenderError(f"{len(self.steps)} steps: a storyboard shows at most "
                              f"{max_frames} frames (raise max_frames=…)")
        self._images = None
        graphs = [graph_size(state_graph(elimination, k, with_updates=True), fontsize=fontsize,
                             legend=False) for k in range(len(self.steps))]
        matrices = []
        for k in range(1, len(self.steps) + 1):
            probe = draw_matrix(_system_after(elimination, k), "I-L",
                                Figure(figsize=(40, 40)).add_subplot(), fontsize=fontsize)
            (left, right), (bottom, top) = probe.get_xlim(), probe.get_ylim()
            matrices.append((right - left, top - bottom))
        self._graph_size = (max(w for w, _ in graphs), max(h for _, h in graphs))
        self._system_size = (max(w for w, _ in matrices), max(h for _, h in matrices))
        width = self._graph_size[0] + self._system_size[0] + 0.6
        self.size = (width, max(self._graph_size[1], self._system_size[1]) + CAPTION + 0.2)

    def frame(self, k: int) -> Figure:
        """Frame k (0-based): elimination step k + 1."""
        if not 0 <= k < len(self.steps):
            raise RenderError(f"frame {k}: the storyboard has {len(self.steps)} frames, "
                              f"numbered 0 … {len(self.steps) - 1}")
        E, s = self.elimination, self.steps[k]
        width, height = self.size
        fig = Figure(figsize=(width, height), dpi=self.dpi, facecolor="white")
        (gw, gh), (sw, sh) = self._graph_size, self._system_size
        body = height - CAPTION
        graph_ax = fig.add_axes((0.2 / width, (body - gh) / 2 / height, gw / width, gh / height))
        draw_elimination(E, k + 1, graph_ax, fontsize=self.fontsize, legend=False)
        system = _system_after(E, k + 1)
        position = {v: r for r, v in enumerate(system.nodes)}
        nodes = E.system.nodes
        cells = [(position[nodes[u.target]], position[nodes[u.source]])
                 for u in s.updates if u.result is not None]
        system_ax = fig.add_axes(((gw + 0.4) / width, (body - sh) / 2 / height, sw / width,
                                  sh / height))
        draw_matrix(system, "I-L", system_ax, highlight_cells=cells, fontsize=self.fontsize)
        pivot = node_symbol(nodes[s.pivot])
        what = "its column cleared, its row kept (an output)" if s.kept else \
            "row and column removed"
        head = mixed(f"step {k + 1} of {len(self.steps)} ({E.order_name} order): eliminate "
                     f"{label(pivot).text}, {s.multiplications} multiplication(s)", self.fontsize)
        fig.text(0.2 / width, 1 - 0.12 / height, head.text, ha="left", va="top",
                 fontsize=head.fontsize, color="#404040", gid="heading")
        name = label(pivot).text
        rule = mixed(f"{what}; red: L[j, i] ← L[j, i] + L[j, {name}]·L[{name}, i]",
                     self.fontsize)
        fig.text(0.2 / width, 1 - 0.42 / height, rule.text, ha="left", va="top",
                 fontsize=rule.fontsize, gid="equation")
        return fig

    def _figures(self):
        """Each frame on a figure of its own: the graph loses a node every step, so no
        layout is shared."""
        return (self.frame(k) for k in range(len(self.steps)))

    def __repr__(self) -> str:
        return (f"<EliminationStoryboard: {len(self.steps)} frames of the "
                f"{self.elimination.order_name} order>")


STORYBOARDS[Elimination] = EliminationStoryboard
