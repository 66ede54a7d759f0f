"""The path-sum figure: a total derivative as the sum, over all paths, of path products.

One small copy of the graph per path from ``source`` to ``target``, the path highlighted and
its product written under it (the later edge on the left, as in docs/mathematics.md), and the sum
at the bottom: entry [target, source] of (I − L)⁻¹ = I + L + L² + …

>>> import matplotlib
>>> matplotlib.use("Agg")
>>> import symbackslash as sb
>>> fig = draw_path_sum(sb.build_graph("sin(x*y) + x*y"), "x", "f")
>>> len([ax for ax in fig.axes if ax.get_gid() == "path"])
2
"""

from __future__ import annotations

import itertools

import matplotlib.pyplot as plt
import networkx as nx
import sympy as sp

from ..core.limits import measure
from ..errors import RenderError, boundary
from ..graph.build import build_graph
from ..printing.latex import node_symbol
from ..printing.pieces import Chain, Entry, Factors, Notation, Partial, Route, Terms, same
from ..solve.paths import count_paths, path_product, path_sum
from ..solve.paths import paths as all_paths
from .graph_figure import draw_graph, graph_size
from .labels import label, mixed

__all__ = ["draw_path_sum"]

INVERSE = Notation(r"(I - L)^{-1}", "(I - L)^-1")
SERIES = Notation(r"I + L + L^{2} + \cdots", "I + L + L^2 + ...")
TITLE = 0.75    # inches above each panel: the path and its product
TOTAL = 0.8     # inches at the bottom: the sum
SUM_PARTS = 500  # a sum with more parts written out is not written (it can have 2^n)
PANEL = (7.0, 4.0)  # inches: the largest panel (a larger graph is drawn smaller, unlabelled)
ELIDED = 6       # a path with more edges is written with its first and last ones, "⋯" between
DOTS = Notation(r"\cdots", "...")


def _find(G: nx.DiGraph, node, default, what: str):
    if node is None:
        return default
    if node in G:
        return node
    by_name = {str(v): v for v in G}
    if str(node) in by_name:
        return by_name[str(node)]
    raise RenderError(f"the {what} {node!r} is not a node of the graph; its nodes are: "
                      f"{', '.join(map(str, by_name))}")


@boundary
def draw_path_sum(G, source=None, target=None, *, max_paths: int = 9, columns: int = 3,
                  fontsize: float = 10.0, fig=None):
    """Draw every path from ``source`` to ``target`` with its product, and their sum.

    Parameters
    ----------
    G : networkx.DiGraph, or anything :func:`~symbackslash.build_graph` accepts
    source, target : node or name, optional
        Default: the first input and the first output.
    max_paths : int
        Draw at most this many paths (the sum always has them all; a note says how many
        were left out). Paths are counted first and only the drawn ones are listed, so a
        graph with 2^40 paths is drawn as quickly as one with nine.
    columns : int
        Panels per row.
    fig : matplotlib.figure.Figure, optional
        Where to draw (it is resized); by default a new pyplot figure.

    Returns
    -------
    matplotlib.figure.Figure
    """
    G = build_graph(G)
    source = _find(G, source, G.graph["inputs"][0] if G.graph["inputs"] else None, "source")
    target = _find(G, target, G.graph["outputs"][0] if G.graph["outputs"] else None, "target")
    count = count_paths(G, source, target)   # counted first: there can be 2^n of them
    unlabelled = False
    shown = [(path, path_product(G, path)) for path in itertools.islice(
        all_paths(G, source, target), max_paths)]
    columns = max(1, min(columns, len(shown) or 1))
    rows = -(-len(shown) // columns) if shown else 0
    width, height = graph_size(G, fontsize=fontsize, legend=False)
    width, height = min(max(width, 2.6), PANEL[0]), min(height, PANEL[1])
    fig_w, fig_h = columns * width + 0.4, rows * (height + TITLE) + TOTAL + 0.2
    if fig is None:
        fig = plt.figure(figsize=(fig_w, fig_h))
    else:
        fig.set_size_inches(fig_w, fig_h)
    for k, (path, product) in enumerate(shown):
        r, c = divmod(k, columns)
        bottom = fig_h - (r + 1) * (height + TITLE)
        ax = fig.add_axes(((0.2 + c * width) / fig_w, bottom / fig_h, width / fig_w,
                           height / fig_h))
        ax.set_gid("path")
        draw_graph(G, ax, highlight=list(path), legend=False, fontsize=fontsize)
        notes = [t for t in ax.texts if t.get_gid() == "note"]  # "drawn without labels"
        for note in notes:  # said once, under the sum, not under every panel
            note.remove()
        unlabelled = unlabelled or bool(notes)
        head, value = _title(G, path, product, width, fontsize)
        x = (0.2 + c * width + width / 2) / fig_w
        fig.text(x, (bottom + height + TITLE - 0.1) / fig_h, f"path {k + 1}:  {head.text}",
                 ha="center", va="top", fontsize=fontsize, color="#404040", gid=f"route:{k}")
        fig.text(x, (bottom + height + TITLE - 0.4) / fig_h, value.text, ha="center",
                 va="top", fontsize=fontsize, gid=f"product:{k}")
    partial = Partial(node_symbol(target), node_symbol(source))
    products = [p for _, p in shown]
    total = path_sum(G, source, target)
    parts = [partial, Terms(*products)] if 1 < count == len(shown) else [partial]
    if measure(total)[1] > SUM_PARTS if isinstance(total, sp.Basic) else False:
        pass  # a sum too large to write out (it is shared on the DAG): the note counts it
    elif len(parts) == 1 or not same(sum(products[1:], products[0]), total):
        parts.append(total)  # the sum, when adding the products changed how it looks
    line = label(Chain(*parts), 1.2 * fontsize, max_chars=160)
    fig.text(0.5, (TOTAL - 0.15) / fig_h, line.text, ha="center", va="top",
             fontsize=line.fontsize, gid="sum")
    note = f"{count:,} paths" if count != 1 else "1 path"
    if count > len(shown):
        note += f", {count - len(shown):,} not drawn"
    if not count:
        note = f"no path from {source} to {target}: the derivative is 0"
    if unlabelled:
        note += f" (the graphs of {len(G)} nodes are drawn without labels)"
    entry = label(Chain(Entry(INVERSE, target, source), Entry(SERIES, target, source)),
                  0.85 * fontsize)
    fig.text(0.5, (TOTAL - 0.55) / fig_h, mixed(f"sum over {note}: the entry {entry.text}",
                                                0.85 * fontsize).text,
             ha="center", va="top", fontsize=0.85 * fontsize, color="#505050", gid="note")
    return fig


def _title(G: nx.DiGraph, path: list, product, width: float, fontsize: float) -> tuple:
    """The labels over a panel: the route, and the product of its weights (the later edge
    on the left) = their product. A path of more than :data:`ELIDED` edges shows its first
    and last edges with ⋯ between; a product wider than the panel is left as its factors,
    and factors wider than the panel are counted instead."""
    weights = [G.edges[u, v]["weight"] for u, v in zip(path, path[1:], strict=False)]
    factors = list(reversed(weights))
    if len(weights) > ELIDED:
        route = Route(*path[:3], DOTS, *path[-2:])
        factors = [*factors[:3], DOTS, *factors[-2:]]
    else:
        route = Route(*path)
    head = label(route, fontsize)
    fits = width * 72  # points
    if len(weights) == 1:
        value = label(product, fontsize)
    else:
        value = label(Chain(Factors(*factors), product), fontsize)
        if value.width > fits:
            value = label(Factors(*factors), fontsize)
    if value.width > fits:
        value = mixed(f"the product of its {len(weights)} edge weights", fontsize)
    return head, value
