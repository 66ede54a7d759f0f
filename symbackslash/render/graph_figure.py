"""The computational graph as a figure: layered, inputs left, output right.

:func:`draw_graph` places the nodes with :func:`~symbackslash.render.layout.layered_layout`,
writes each node's definition in a box styled by its kind (input, intermediate, output),
draws every edge as an arrow labelled with its weight (the local partial; arcs and label
spots come from :mod:`.edges`), and can highlight a path, a set of edges or one step of the
back substitution (:mod:`.highlight`). Labels are mathtext where mathtext can render them,
plain text otherwise; the figure makes room for every label.

Graphs of more than ``max_labelled`` nodes are drawn compactly and in time linear in their
size: dots for nodes, one line collection for the edges, no labels, and a note saying so.

Every artist carries a ``gid`` (``node:x``, ``edge:x->v1``, ``weight:x->v1``, ``value:x``,
``edges``, ``highlighted-edges``, ``nodes``, ``note``) so that figures can be inspected and
SVG output has ids. :func:`restyle_graph` finds the artists by these ids to show another
highlight on the same drawing (a storyboard lays the graph out and typesets it once).

>>> import matplotlib
>>> matplotlib.use("Agg")
>>> import symbackslash as sb
>>> ax = draw_graph(sb.build_graph("sin(x*y) + x*y"), highlight=["x", "v1", "f"])
>>> sorted(t.get_gid() for t in ax.texts if t.get_gid().startswith("node:"))
['node:f', 'node:v1', 'node:v2', 'node:x', 'node:y']
"""

from __future__ import annotations

import dataclasses
import textwrap
from collections.abc import Iterable, Mapping

import matplotlib.pyplot as plt
import networkx as nx
from matplotlib.collections import LineCollection
from matplotlib.patches import FancyArrowPatch, Patch

from ..errors import boundary
from ..graph.check import check_graph
from ..printing.latex import node_symbol
from ..printing.pieces import Chain
from .edges import bend, place_labels
from .highlight import Highlight, highlight_of
from .labels import Label, label, words
from .layout import layered_layout

__all__ = ["draw_graph", "graph_size", "restyle_graph", "STYLE"]

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


@boundary
def draw_graph(G: nx.DiGraph, ax=None, *, highlight=None, solved=(), values: Mapping | None = None,
               reserve: Mapping | None = None, max_labelled: int = 40, fontsize: float = 11.0,
               edge_labels: bool = True, legend: bool = True):
    """Draw a computational graph; return the matplotlib Axes.

    Parameters
    ----------
    G : networkx.DiGraph
        A graph from :func:`~symbackslash.build_graph` or one made by hand.
    ax : matplotlib.axes.Axes, optional
        Where to draw; by default a new figure sized to the graph. In a smaller Axes the
        fonts shrink to fit.
    highlight : list, set, Step or int, optional
        A path (list of nodes), a set of edges ``(u, v)``, a solver
        :class:`~symbackslash.Step`, or the number of a back-substitution step.
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


def restyle_graph(ax, G: nx.DiGraph, *, highlight=None, solved=(),
                  values: Iterable = ()) -> None:
    """Show another highlight on a drawing of ``G`` that :func:`draw_graph` made in ``ax``:
    what ``draw_graph(G, ax, highlight=highlight, solved=solved)`` would draw, without
    laying out or typesetting anything again.

    ``values`` are the nodes whose value is shown; the drawing must have been made with
    those values (the others are hidden). The legend, if any, is left as it is; compact
    drawings (more than ``max_labelled`` nodes) show neither solved nodes nor values.
    """
    marks = highlight_of(G, highlight)
    solved, values = frozenset(solved), frozenset(values)
    artists = {a.get_gid(): a for a in (*ax.texts, *ax.patches, *ax.collections)}
    if "nodes" in artists:  # a compact drawing
        _restyle_compact(G, artists, marks)
        return
    for v in G:
        face, edge, lw = _node_style(G, v, marks, solved)
        box = artists[f"node:{v}"].get_bbox_patch()
        box.set(facecolor=face, edgecolor=edge, linewidth=lw)
        if f"value:{v}" in artists:
            artists[f"value:{v}"].set_visible(v in values)
    for u, v in G.edges:
        colour, lw, text = _edge_style((u, v) in marks.edges)
        artists[f"edge:{u}->{v}"].set(color=colour, linewidth=lw)
        if f"weight:{u}->{v}" in artists:
            artists[f"weight:{u}->{v}"].set_color(text)


def _node_style(G: nx.DiGraph, v, marks: Highlight, solved: frozenset) -> tuple:
    """Face colour, edge colour and line width of node v's box."""
    kind = G.nodes[v].get("kind", "intermediate")
    face, edge = STYLE["solved"] if v in solved else STYLE.get(kind, STYLE["intermediate"])
    lw = 1.0
    if v in marks.nodes:
        edge, lw = STYLE["highlight"], 2.4
    if v == marks.current:
        face = "#fbe0e0"
    return face, edge, lw


def _edge_style(on: bool) -> tuple:
    """Colour and width of an edge, colour of its weight: red and thick when highlighted."""
    if on:
        return STYLE["highlight"], 2.2, STYLE["highlight"]
    return STYLE["edge"], 1.1, "#303030"


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
        rad = {e: bend(e, pos, box, layout, index) for e in G.edges}
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
        at = place_labels(G, pos, box, rad, edge_labels)
        return cls(G, pos, node_labels, box, edge_labels, at, value_labels, rad, fontsize,
                   right - left, top - bottom, (left, right, bottom, top), legend)

    def draw(self, ax, marks: Highlight, solved: frozenset) -> None:
        G, pos, fs = self.G, self.pos, self.fontsize
        texts = {}
        for v in G:
            face, edge, lw = _node_style(G, v, marks, solved)
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
            colour, lw, text = _edge_style((u, v) in marks.edges)
            ax.add_patch(FancyArrowPatch(
                pos[u], pos[v], patchA=texts[u].get_bbox_patch(),
                patchB=texts[v].get_bbox_patch(), arrowstyle="-|>", mutation_scale=1.2 * fs,
                lw=lw, color=colour, shrinkA=1, shrinkB=1, zorder=4,
                connectionstyle=f"arc3,rad={self.rad[(u, v)]:.3f}", gid=f"edge:{u}->{v}"))
            if (u, v) in self.edge_labels:
                mx, my = self.label_at[(u, v)]
                lab = self.edge_labels[(u, v)]
                ax.text(mx, my, lab.text, ha="center", va="center", fontsize=lab.fontsize,
                        color=text, zorder=5, gid=f"weight:{u}->{v}",
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
    pos = _compact_positions(G, layout)
    if ax is None:
        fig = plt.figure(figsize=(width, height))
        ax = fig.add_axes((0, 0, 1, 1))
    plain, marked = _compact_segments(G, pos, marks)
    ax.add_collection(LineCollection(plain, colors=STYLE["edge"], linewidths=0.6, alpha=0.7,
                                     zorder=1, gid="edges"))
    ax.add_collection(LineCollection(marked, colors=STYLE["highlight"], linewidths=1.6,
                                     zorder=2, gid="highlighted-edges"))
    nodes = list(G)
    ax.scatter([pos[v][0] for v in nodes], [pos[v][1] for v in nodes], s=22, zorder=3,
               c=[STYLE.get(G.nodes[v].get("kind"), STYLE["intermediate"])[0] for v in nodes],
               linewidths=0.8, gid="nodes", edgecolors=_compact_outlines(G, marks))
    note = (f"{len(G)} nodes, {G.number_of_edges()} edges: drawn without labels "
            f"(node expressions and edge weights are shown up to {max_labelled} nodes)")
    xs, ys = [p[0] for p in pos.values()], [p[1] for p in pos.values()]
    ax.text((min(xs) + max(xs)) / 2, min(ys) - step_y / 2 - 0.1,
            _fitted(note, 9, _axes_inches(ax)[0] - 0.1), ha="center", va="top", fontsize=9,
            color="#404040", gid="note")
    ax.set_xlim(min(xs) - step_x, max(xs) + step_x)
    ax.set_ylim(min(ys) - step_y / 2 - 0.45, max(ys) + step_y / 2)
    ax.set_axis_off()
    return ax


def _compact_positions(G, layout) -> dict:
    _, _, step_x, step_y = _compact_size(layout)
    return {v: (layout.layer[v] * step_x,
                ((len(layout.layers[layout.layer[v]]) - 1) / 2 - layout.rank[v]) * step_y)
            for v in G}


def _compact_segments(G, pos, marks: Highlight) -> tuple[list, list]:
    """The plain edges and the highlighted ones, as line segments."""
    plain = [(pos[u], pos[v]) for u, v in G.edges if (u, v) not in marks.edges]
    return plain, [(pos[u], pos[v]) for u, v in marks.edges]


def _compact_outlines(G, marks: Highlight) -> list:
    return [STYLE["highlight"] if v in marks.nodes
            else STYLE.get(G.nodes[v].get("kind"), STYLE["intermediate"])[1] for v in G]


def _restyle_compact(G, artists: dict, marks: Highlight) -> None:
    plain, marked = _compact_segments(G, _compact_positions(G, layered_layout(G)), marks)
    artists["edges"].set_segments(plain)
    artists["highlighted-edges"].set_segments(marked)
    artists["nodes"].set_edgecolors(_compact_outlines(G, marks))


def _fitted(note: str, fontsize: float, width: float) -> str:
    """A note as plain text, broken into lines no wider than ``width`` inches (if a word
    allows)."""
    text = words(note, fontsize)
    if text.width / 72 <= width:
        return text.text
    chars = int(len(note) * width / (text.width / 72)) + 1   # characters a line, about
    lines = textwrap.wrap(note, chars)
    while chars > 10 and any(words(line, fontsize).width / 72 > width for line in lines):
        chars = int(chars * 0.9)
        lines = textwrap.wrap(note, chars)
    return "\n".join(words(line, fontsize).text for line in lines)
