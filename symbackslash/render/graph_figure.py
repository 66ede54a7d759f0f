"""The computational graph as a figure: layered, inputs left, output right.

:func:`draw_graph` places the nodes with :func:`~symbackslash.render.layout.layered_layout`,
writes each node's definition in a box styled by its kind (input, intermediate, output),
draws every edge as an arrow labelled with its weight (the local partial), and can highlight
a path, a set of edges or one step of the back substitution. Labels are mathtext where
mathtext can render them, plain text otherwise; the figure makes room for every label.

Graphs of more than ``max_labelled`` nodes are drawn compactly and in time linear in their
size: dots for nodes, one line collection for the edges, no labels, and a note saying so.

Every artist carries a ``gid`` (``node:x``, ``edge:x->v1``, ``weight:x->v1``, ``value:x``,
``edges``, ``nodes``, ``note``) so that figures can be inspected and SVG output has ids.

>>> import matplotlib
>>> matplotlib.use("Agg")
>>> import symbackslash as sb
>>> ax = draw_graph(sb.build_graph("sin(x*y) + x*y"), highlight=["x", "v1", "f"])
>>> sorted(t.get_gid() for t in ax.texts if t.get_gid().startswith("node:"))
['node:f', 'node:v1', 'node:v2', 'node:x', 'node:y']
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping

import matplotlib.pyplot as plt
import networkx as nx
from matplotlib.collections import LineCollection
from matplotlib.patches import FancyArrowPatch, Patch

from ..errors import RenderError, boundary
from ..gradient import differentiate
from ..graph_check import check_graph, node_order
from ..pieces import Chain
from ..printing import node_symbol
from ..solve import Step
from .labels import Label, label, words
from .layout import layered_layout

__all__ = ["draw_graph", "graph_size", "Highlight", "highlight_of", "STYLE"]

#: Colours by node kind: (face, edge). ``highlight`` marks the current node, edges and path;
#: ``solved`` the nodes whose unknown is already known (storyboards).
STYLE = {
    "input": ("#dbe8f6", "#3b6ea5"),
    "intermediate": ("#ffffff", "#6b6b6b"),
    "output": ("#fde3c6", "#c0651a"),
    "solved": ("#e2f1de", "#3d8b3d"),
    "highlight": "#d62728",
    "edge": "#808080",
}
PAD = 0.35          # box padding, in units of the font size
GAP = 0.6           # inches: minimum free space between layers (beyond edge labels)
ROW_GAP = 0.5       # inches: free space between boxes in one layer
MARGIN = 0.25       # inches around the drawing


@dataclasses.dataclass(frozen=True)
class Highlight:
    """What to highlight: ``nodes``, ``edges`` (pairs ``(u, v)``) and the ``current`` node
    of a substitution step (or ``None``)."""

    nodes: frozenset = frozenset()
    edges: frozenset = frozenset()
    current: object = None


def highlight_of(G: nx.DiGraph, highlight) -> Highlight:
    """Interpret ``highlight``: ``None``; a list of nodes (a path); a set of edges; an
    :class:`~symbackslash.solve.Step` record; or an int k, step k of the back substitution.

    Raises
    ------
    RenderError
        For a path or edge that is not in the graph, a step number out of range, or
        anything else.
    """
    if highlight is None:
        return Highlight()
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


@boundary
def draw_graph(G: nx.DiGraph, ax=None, *, highlight=None, solved=(), values: Mapping | None = None,
               reserve: Mapping | None = None, max_labelled: int = 40, fontsize: float = 11.0,
               edge_labels: bool = True, legend: bool = True):
    """Draw a computational graph; return the matplotlib Axes.

    Parameters
    ----------
    G : networkx.DiGraph
        A graph from :func:`~symbackslash.graph.build_graph` or one made by hand.
    ax : matplotlib.axes.Axes, optional
        Where to draw; by default a new figure sized to the graph. In a smaller Axes the
        fonts shrink to fit.
    highlight : list, set, Step or int, optional
        A path (list of nodes), a set of edges ``(u, v)``, a solver
        :class:`~symbackslash.solve.Step`, or the number of a back-substitution step.
    solved : iterable of nodes
        Nodes drawn as already solved (green), as in a storyboard.
    values : mapping, optional
        ``{node: printable}`` written under the nodes, e.g. ``Chain(x̄, value)`` for the
        adjoints found so far.
    reserve : mapping, optional
        Values to make room for without writing them (so that the frames of a storyboard,
        which show more and more values, share one layout); default ``values``.
    max_labelled : int
        Larger graphs are drawn compactly, without labels (a note says so).
    fontsize : float
        Node labels; edge labels are 80 % of it.
    edge_labels, legend : bool
        Whether to write the weights on the edges and a legend of the node styles.

    Raises
    ------
    GraphError
        For a graph with a cycle or an edge without weight.
    RenderError
        For a highlight that does not fit the graph.
    """
    G = check_graph(G)
    marks = highlight_of(G, highlight)
    solved = frozenset(solved)
    layout = layered_layout(G)
    if len(G) > max_labelled:
        return _draw_compact(G, ax, layout, marks, max_labelled)
    scale, drawing = 1.0, None
    for _ in range(2):  # a second pass with smaller fonts if the given Axes is too small
        drawing = _Drawing.plan(G, layout, fontsize * scale, edge_labels, values or {},
                                legend, reserve)
        if ax is None:
            break
        width, height = _axes_inches(ax)
        shrink = min(1.0, width / drawing.width, height / drawing.height)
        if shrink > 0.97:
            break
        scale = max(shrink * scale, 0.45)
    if ax is None:
        fig = plt.figure(figsize=(drawing.width, drawing.height))
        ax = fig.add_axes((0, 0, 1, 1))
    drawing.draw(ax, marks, solved)
    return ax


def graph_size(G: nx.DiGraph, *, max_labelled: int = 40, fontsize: float = 11.0,
               edge_labels: bool = True, legend: bool = True, values: Mapping | None = None
               ) -> tuple[float, float]:
    """The size in inches of the figure :func:`draw_graph` makes for ``G`` (same options)."""
    G = check_graph(G)
    layout = layered_layout(G)
    if len(G) > max_labelled:
        return _compact_size(layout)[:2]
    drawing = _Drawing.plan(G, layout, fontsize, edge_labels, values or {}, legend)
    return drawing.width, drawing.height


def _axes_inches(ax) -> tuple[float, float]:
    box = ax.get_position()
    fig_w, fig_h = ax.figure.get_size_inches()
    return box.width * fig_w, box.height * fig_h


@dataclasses.dataclass
class _Drawing:
    """Positions (inches) and measured labels of one full drawing."""

    G: nx.DiGraph
    pos: dict
    node_labels: dict
    box: dict
    edge_labels: dict
    label_at: dict
    value_labels: dict
    rad: dict
    fontsize: float
    width: float
    height: float
    bounds: tuple
    legend: bool

    @classmethod
    def plan(cls, G, layout, fontsize, with_edge_labels, values, legend,
             reserve=None) -> _Drawing:
        pad = 2 * PAD * fontsize / 72
        node_labels, box = {}, {}
        for v in G:
            lab = _node_label(G, v, fontsize)
            node_labels[v] = lab
            box[v] = (lab.width / 72 + pad, lab.height / 72 + pad)
        edge_labels = {(u, v): label(w, 0.8 * fontsize, max_chars=30)
                       for u, v, w in G.edges(data="weight")} if with_edge_labels else {}
        value_labels = {v: label(values[v], 0.8 * fontsize, max_chars=30)
                        for v in G if v in values}
        reserved = {v: label(value, 0.8 * fontsize, max_chars=30)
                    for v, value in (reserve or values).items() if v in G}
        # x: layers side by side, each as wide as its widest box or value, gaps fit the
        # edge labels
        xs, x, previous_half = [], 0.0, 0.0
        for k, nodes in enumerate(layout.layers):
            half = max(max(box[v][0], reserved[v].width / 72 if v in reserved else 0.0)
                       for v in nodes) / 2
            if k:
                room = max([edge_labels[e].width / 72 for e in edge_labels
                            if layout.layer[e[0]] == k - 1] + [0.0])
                x += previous_half + half + GAP + room
            xs.append(x)
            previous_half = half
        value_room = max([lab.height / 72 + 0.08 for lab in reserved.values()] + [0.0])
        row = max(h for _, h in box.values()) + ROW_GAP + value_room
        pos = {}
        for k, nodes in enumerate(layout.layers):
            for r, v in enumerate(nodes):
                pos[v] = (xs[k], ((len(nodes) - 1) / 2 - r) * row)
        index = {v: G.nodes[v].get("index", 0) for v in G}
        rad = {e: _bend(e, pos, box, layout, index) for e in G.edges}
        half = {v: max(box[v][0], reserved[v].width / 72 if v in reserved else 0.0) / 2
                for v in G}
        left = min(pos[v][0] - half[v] for v in G) - MARGIN
        right = max(pos[v][0] + half[v] for v in G) + MARGIN
        top = max(pos[v][1] + box[v][1] / 2 for v in G) + MARGIN
        bottom = min(pos[v][1] - box[v][1] / 2 for v in G) - MARGIN - value_room
        for (u, v), r in rad.items():  # bent edges and their labels may leave the rows
            (x1, y1), (x2, y2) = pos[u], pos[v]
            middle = (y1 + y2) / 2 - 0.5 * r * (x2 - x1)
            top, bottom = max(top, middle + 0.25), min(bottom, middle - 0.25)
        if legend:
            bottom -= 0.35
        at = _place_labels(G, pos, box, rad, edge_labels)
        return cls(G, pos, node_labels, box, edge_labels, at, value_labels, rad, fontsize,
                   right - left, top - bottom, (left, right, bottom, top), legend)

    def draw(self, ax, marks: Highlight, solved: frozenset) -> None:
        G, pos, fs = self.G, self.pos, self.fontsize
        texts = {}
        for v in G:
            kind = G.nodes[v].get("kind", "intermediate")
            face, edge = STYLE["solved"] if v in solved else STYLE.get(kind, STYLE["intermediate"])
            lw = 1.0
            if v in marks.nodes:
                edge, lw = STYLE["highlight"], 2.4
            if v == marks.current:
                face = "#fbe0e0"
            lab = self.node_labels[v]
            texts[v] = ax.text(*pos[v], lab.text, ha="center", va="center", fontsize=fs,
                               zorder=3, gid=f"node:{v}",
                               bbox=dict(boxstyle=f"round,pad={PAD}", fc=face, ec=edge, lw=lw))
            if v in self.value_labels:
                value = self.value_labels[v]
                ax.text(pos[v][0], pos[v][1] - self.box[v][1] / 2 - 0.06, value.text,
                        ha="center", va="top", fontsize=value.fontsize, color="#2f6f2f",
                        zorder=5, gid=f"value:{v}")
        for u, v in G.edges:
            on = (u, v) in marks.edges
            colour = STYLE["highlight"] if on else STYLE["edge"]
            ax.add_patch(FancyArrowPatch(
                pos[u], pos[v], patchA=texts[u].get_bbox_patch(),
                patchB=texts[v].get_bbox_patch(), arrowstyle="-|>", mutation_scale=1.2 * fs,
                lw=2.2 if on else 1.1, color=colour, shrinkA=1, shrinkB=1, zorder=4,
                connectionstyle=f"arc3,rad={self.rad[(u, v)]:.3f}", gid=f"edge:{u}->{v}"))
            if (u, v) in self.edge_labels:
                mx, my = self.label_at[(u, v)]
                lab = self.edge_labels[(u, v)]
                ax.text(mx, my, lab.text, ha="center", va="center", fontsize=lab.fontsize,
                        color=colour if on else "#303030", zorder=5, gid=f"weight:{u}->{v}",
                        bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none", alpha=0.9))
        left, right, bottom, top = self.bounds
        ax.set_xlim(left, right)
        ax.set_ylim(bottom, top)
        ax.set_aspect("equal", adjustable="box")
        ax.set_axis_off()
        if self.legend:
            _legend(ax, G, marks, solved, fs)


def _node_label(G: nx.DiGraph, v, fontsize: float) -> Label:
    expr = G.nodes[v].get("expr")
    symbol = node_symbol(v)
    if expr is None:
        return label(symbol, fontsize)
    full = label(Chain(symbol, expr), fontsize, max_chars=32)
    return full if full.width <= 190 else label(symbol, fontsize)


def _bend(edge, pos, box, layout, index) -> float:
    """Curvature (arc3 ``rad``) for an edge whose straight line would cross a box in between.

    The arc bends away from the boxes in its way and clears them; longer edges bulge further
    (nested arcs do not share a label position); an edge with boxes right on its line bends
    up or down by the parity of its source's index (parallel long edges alternate sides).
    """
    u, v = edge
    span = layout.layer[v] - layout.layer[u]
    if span < 2:
        return 0.0
    (ax_, ay), (bx, by) = pos[u], pos[v]
    dx, dy = bx - ax_, by - ay
    length = math.hypot(dx, dy)
    blockers = []
    for k in range(layout.layer[u] + 1, layout.layer[v]):
        for w in layout.layers[k]:
            wx, wy = pos[w]
            cross = (dx * (wy - ay) - dy * (wx - ax_)) / length   # > 0: left of the edge
            reach = (box[w][0] / 2 * abs(dy) + box[w][1] / 2 * abs(dx)) / length + 0.12
            if abs(cross) < reach:
                blockers.append((cross, reach))
    if not blockers:
        return 0.0
    side = sum(c for c, _ in blockers)
    up = side < 0 if abs(side) > 1e-9 else index[u] % 2 == 1
    # bending to the left of the edge (up for a rightward edge) is arc3's negative rad
    need = max(reach + (c if up else -c) for c, reach in blockers) + 0.3 * (span - 2)
    rad = min(max(2 * need / length, 0.12), 0.9)
    return -rad if up else rad


def _point_on(edge, t, pos, rad) -> tuple[float, float]:
    """The point at parameter t of an edge's line or arc (arc3: quadratic Bézier)."""
    (x1, y1), (x2, y2) = pos[edge[0]], pos[edge[1]]
    r = rad[edge]
    cx, cy = (x1 + x2) / 2 + r * (y2 - y1), (y1 + y2) / 2 - r * (x2 - x1)
    s = 1 - t
    return (s * s * x1 + 2 * s * t * cx + t * t * x2,
            s * s * y1 + 2 * s * t * cy + t * t * y2)


def _place_labels(G, pos, box, rad, labels) -> dict:
    """A spot for each edge label on its edge, avoiding boxes and labels placed before.

    Tries the middle of the visible part first, then points nearer either end; takes the
    first spot that overlaps nothing, else the one that overlaps least.
    """
    rects = [(pos[v][0], pos[v][1], box[v][0] / 2 + 0.04, box[v][1] / 2 + 0.04) for v in G]
    placed = {}
    for edge in sorted(labels, key=lambda e: (pos[e[0]][0], -pos[e[0]][1], pos[e[1]][0])):
        lab = labels[edge]
        half_w, half_h = lab.width / 144 + 0.03, lab.height / 144 + 0.03
        start, end = _visible(edge, pos, box, rad)
        best, best_overlap = None, math.inf
        for f in (0.5, 0.36, 0.64, 0.24, 0.76):
            x, y = _point_on(edge, start + f * (end - start), pos, rad)
            overlap = sum(_overlap((x, y, half_w, half_h), r) for r in rects)
            if overlap < best_overlap:
                best, best_overlap = (x, y), overlap
            if overlap == 0:
                break
        placed[edge] = best
        rects.append((*best, half_w, half_h))
    return placed


def _visible(edge, pos, box, rad) -> tuple[float, float]:
    """The parameter range of an edge outside its two boxes (straight edges; arcs: 0.1–0.9)."""
    if rad[edge]:
        return 0.1, 0.9
    (x1, y1), (x2, y2) = pos[edge[0]], pos[edge[1]]
    dx, dy = x2 - x1, y2 - y1

    def inside(w):
        half_w, half_h = box[w][0] / 2, box[w][1] / 2
        return min(half_w / abs(dx) if dx else math.inf, half_h / abs(dy) if dy else math.inf)

    return inside(edge[0]), 1 - inside(edge[1])


def _overlap(a, b) -> float:
    """Overlap area of two rectangles given as (centre x, centre y, half width, half height)."""
    w = min(a[0] + a[2], b[0] + b[2]) - max(a[0] - a[2], b[0] - b[2])
    h = min(a[1] + a[3], b[1] + b[3]) - max(a[1] - a[3], b[1] - b[3])
    return w * h if w > 0 and h > 0 else 0.0


def _legend(ax, G, marks: Highlight, solved: frozenset, fontsize: float) -> None:
    kinds = [k for k in ("input", "intermediate", "output")
             if any(G.nodes[v].get("kind") == k for v in G)]
    handles = [Patch(fc=STYLE[k][0], ec=STYLE[k][1], label=k) for k in kinds]
    if solved:
        handles.append(Patch(fc=STYLE["solved"][0], ec=STYLE["solved"][1], label="solved"))
    if marks.nodes or marks.edges:
        handles.append(Patch(fc="white", ec=STYLE["highlight"], lw=2, label="highlighted"))
    ax.legend(handles=handles, loc="lower center", ncol=len(handles), frameon=False,
              fontsize=0.75 * fontsize, handlelength=1.2, columnspacing=1.2,
              borderaxespad=0.1)


def _compact_size(layout) -> tuple[float, float, float, float]:
    """Figure width and height and the spacing of layers and rows, in inches."""
    width_layers = max(len(layout.layers), 1)
    height_rows = max(len(nodes) for nodes in layout.layers)
    step_x = min(0.45, 16 / width_layers)
    step_y = min(0.3, 10 / height_rows)
    return (max(4.0, width_layers * step_x + 1), max(1.5, height_rows * step_y + 0.9),
            step_x, step_y)


def _draw_compact(G, ax, layout, marks: Highlight, max_labelled: int):
    """Dots, one line collection, no labels: linear time for large graphs."""
    width, height, step_x, step_y = _compact_size(layout)
    pos = {v: (layout.layer[v] * step_x,
               ((len(layout.layers[layout.layer[v]]) - 1) / 2 - layout.rank[v]) * step_y)
           for v in G}
    if ax is None:
        fig = plt.figure(figsize=(width, height))
        ax = fig.add_axes((0, 0, 1, 1))
    plain = [(pos[u], pos[v]) for u, v in G.edges if (u, v) not in marks.edges]
    ax.add_collection(LineCollection(plain, colors=STYLE["edge"], linewidths=0.6, alpha=0.7,
                                     zorder=1, gid="edges"))
    if marks.edges:
        ax.add_collection(LineCollection([(pos[u], pos[v]) for u, v in marks.edges],
                                         colors=STYLE["highlight"], linewidths=1.6, zorder=2,
                                         gid="highlighted-edges"))
    nodes = list(G)
    styles = [STYLE.get(G.nodes[v].get("kind"), STYLE["intermediate"]) for v in nodes]
    ax.scatter([pos[v][0] for v in nodes], [pos[v][1] for v in nodes], s=22, zorder=3,
               c=[face for face, _ in styles], linewidths=0.8, gid="nodes",
               edgecolors=[STYLE["highlight"] if v in marks.nodes else edge
                           for v, (_, edge) in zip(nodes, styles, strict=True)])
    note = (f"{len(G)} nodes, {G.number_of_edges()} edges: drawn without labels "
            f"(node expressions and edge weights are shown up to {max_labelled} nodes)")
    xs, ys = [p[0] for p in pos.values()], [p[1] for p in pos.values()]
    ax.text((min(xs) + max(xs)) / 2, min(ys) - step_y / 2 - 0.1, words(note, 9).text,
            ha="center", va="top", fontsize=9, color="#404040", gid="note")
    ax.set_xlim(min(xs) - step_x, max(xs) + step_x)
    ax.set_ylim(min(ys) - step_y / 2 - 0.45, max(ys) + step_y / 2)
    ax.set_axis_off()
    return ax
