"""The triangular matrices as figures: L, I − L and (I − L)ᵀ, and the system they solve.

:func:`draw_matrix` typesets the entries of a small matrix in node order, so the triangle is
visible, with the split between sources and the other nodes drawn as dashed lines; a large
matrix is drawn as its sparsity pattern (one square per nonzero, linear in the number of
entries). :func:`draw_system` draws (I − L)ᵀ x̄ = e (or (I − L) ẋ = e) with one row
highlighted and the unknowns found so far filled in: a frame of the storyboard.
:func:`restyle_system` and :func:`restyle_pattern` show another step on a drawing already
made (by the ``gid`` of its artists), without typesetting it again.

Entries are printed with the LaTeX printer (operators print themselves) and tested for zero
with :func:`~symbackslash.core.elements.is_zero`, so any entry type works.

>>> import matplotlib
>>> matplotlib.use("Agg")
>>> import symbackslash as sb
>>> ax = draw_matrix(sb.build_graph("sin(x*y) + x*y"), "(I-L)^T")
>>> sorted(t.get_text() for t in ax.texts if t.get_gid() == "entry:2,3")
['$- \\\\cos{\\\\left(v_{1} \\\\right)}$']
"""

from __future__ import annotations

import dataclasses

import matplotlib.pyplot as plt
import networkx as nx
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from matplotlib.ticker import MaxNLocator

from ..core.elements import is_zero
from ..derivation.document import unknown_symbol
from ..errors import RenderError, boundary
from ..printing.adjoints import unknown_suffix
from ..printing.latex import node_symbol
from ..printing.pieces import I_MINUS_L_T, L_, Notation
from ..solve.matrices import TriangularSystem, triangular_system
from .labels import Label, label, mixed, words

__all__ = ["draw_matrix", "draw_system", "restyle_system", "restyle_pattern",
           "matrix_entries", "MATRICES"]

#: The matrices that can be drawn: name → (how to get the entries, notation).
MATRICES = {
    "L": (lambda S: S.entries, L_),
    "I-L": (lambda S: S.lower(), Notation("I - L", "I - L")),
    "(I-L)^T": (lambda S: S.upper(), I_MINUS_L_T),
}
#: What the blocks beside the dashed lines are called (docs/mathematics.md).
BLOCKS = {
    "L": r"blocks: $M$ (from the sources), $\tilde{L}$ (among the others)",
    "I-L": r"blocks: $-M$, $I - \tilde{L}$",
    "(I-L)^T": r"blocks: $-M^{T}$, $(I - \tilde{L})^{T}$",
}
SHADE = {"weight": "#e4eef8", "diagonal": "#eeeeee", "row": "#fde0dc", "cell": "#d62728",
         "solved": "#e2f1de", "split": "#555555", "zero": "#b5b5b5"}
CELL_PAD = 0.16     # inches around an entry
MIN_CELL = 0.3      # inches


def _system(system) -> TriangularSystem:
    if isinstance(system, TriangularSystem):
        return system
    if isinstance(system, nx.DiGraph):
        return triangular_system(system)
    raise RenderError(f"expected a TriangularSystem or a computational graph, not "
                      f"{type(system).__name__}")


def _key(which: str) -> str:
    key = str(which).replace(" ", "").replace("−", "-").replace("ᵀ", "^T")
    if key not in MATRICES:
        raise RenderError(f"unknown matrix {which!r}; choose one of {', '.join(MATRICES)}")
    return key


def matrix_entries(system, which: str) -> tuple[dict, Notation]:
    """The nonzero entries ``{(i, j): entry}`` of ``which`` ("L", "I-L" or "(I-L)^T") and its
    notation."""
    get, notation = MATRICES[_key(which)]
    return {k: e for k, e in get(system).items() if not is_zero(e)}, notation


@dataclasses.dataclass
class _Block:
    """A bracketed grid of labels: a matrix or a vector."""

    cells: dict               # (i, j) → Label
    shape: tuple
    zero: Label | None        # shown where there is no entry (None: blank)
    split: int | None = None  # sources | non-sources, after this many rows and columns
    shade: dict = dataclasses.field(default_factory=dict)   # (i, j) → colour
    colour: dict = dataclasses.field(default_factory=dict)  # (i, j) → text colour
    gid: str = "entry"
    width: float | None = None   # a vector made wider than its entries (room for values)

    def widths(self) -> list[float]:
        rows, cols = self.shape
        if self.width is not None and cols == 1:
            return [self.width]
        result = []
        for j in range(cols):
            w = max([self.cells[(i, j)].width / 72 for i in range(rows) if (i, j) in self.cells]
                    + [self.zero.width / 72 if self.zero else 0.0])
            result.append(max(w + CELL_PAD, MIN_CELL))
        return result

    def height(self) -> float:
        return max([c.height / 72 for c in self.cells.values()] + [0.12]) + CELL_PAD


def _draw_block(ax, block: _Block, x0: float, row: float, fontsize: float,
                highlight_row=None) -> tuple[float, list[float]]:
    """Draw a block with its top-left corner at (x0, 0); return its right edge and the centres
    of its columns."""
    rows, cols = block.shape
    widths = block.widths()
    lefts = [x0 + sum(widths[:j]) for j in range(cols)]
    centres = [left + w / 2 for left, w in zip(lefts, widths, strict=True)]
    right = x0 + sum(widths)
    if highlight_row is not None:
        ax.add_patch(Rectangle((x0, -(highlight_row + 1) * row), right - x0, row,
                               fc=SHADE["row"], ec="none", zorder=0, gid="highlight-row"))
    for i in range(rows):
        y = -(i + 0.5) * row
        for j in range(cols):
            if (i, j) in block.shade:
                ax.add_patch(Rectangle((lefts[j] + 0.02, y - row / 2 + 0.02), widths[j] - 0.04,
                                       row - 0.04, fc=block.shade[(i, j)], ec="none", zorder=1,
                                       gid=f"{block.gid}-shade:{i},{j}"))
            cell = block.cells.get((i, j), block.zero)
            if cell is None:
                continue
            colour = block.colour.get((i, j), "black" if (i, j) in block.cells else SHADE["zero"])
            ax.text(centres[j], y, cell.text, ha="center", va="center", fontsize=cell.fontsize,
                    color=colour, zorder=3, gid=f"{block.gid}:{i},{j}")
    _brackets(ax, x0, right, rows * row)
    if block.split and 0 < block.split < max(rows, cols):
        if cols > 1:
            sx = lefts[block.split] if block.split < cols else right
            ax.add_line(Line2D([sx, sx], [0, -rows * row], ls="--", lw=0.9,
                               color=SHADE["split"], zorder=2, gid="split"))
        if rows > 1:
            ax.add_line(Line2D([x0, right], [-block.split * row] * 2, ls="--", lw=0.9,
                               color=SHADE["split"], zorder=2, gid="split"))
    return right, centres


def _brackets(ax, left: float, right: float, height: float) -> None:
    tick = 0.07
    for x, sign in ((left, 1), (right, -1)):
        ax.add_line(Line2D([x + sign * tick, x, x, x + sign * tick], [0, 0, -height, -height],
                           lw=1.2, color="black", zorder=2, gid="bracket"))


def _fit(ax, build, natural, fontsize: float):
    """``build(fontsize)``, built again with smaller fonts if a given Axes is smaller than
    its ``natural(built)`` size in inches (the layout is in inches at the font's size, so
    everything scales with the font)."""
    built = build(fontsize)
    if ax is None:
        return built
    width, height = natural(built)
    box = ax.get_position()
    fig_w, fig_h = ax.figure.get_size_inches()
    shrink = min(box.width * fig_w / width, box.height * fig_h / height, 1.0)
    return built if shrink > 0.97 else build(max(fontsize * shrink, 0.4 * fontsize))


def _new_axes(ax, width: float, height: float):
    if ax is None:
        fig = plt.figure(figsize=(width, height))
        ax = fig.add_axes((0, 0, 1, 1))
    return ax


def _finish(ax, left, right, bottom, top) -> None:
    ax.set_xlim(left, right)
    ax.set_ylim(bottom, top)
    ax.set_aspect("equal", adjustable="box")
    ax.set_axis_off()


@boundary
def draw_matrix(system, which: str = "(I-L)^T", ax=None, *, typeset: bool | None = None,
                max_typeset: int = 14, highlight_row: int | None = None, highlight_cells=(),
                fontsize: float = 10.0, title: bool = True):
    """Draw L, I − L or (I − L)ᵀ of a system (or of a graph); return the Axes.

    Parameters
    ----------
    system : TriangularSystem or networkx.DiGraph
    which : {"L", "I-L", "(I-L)^T"}
    ax : matplotlib.axes.Axes, optional
        By default a new figure sized to the matrix.
    typeset : bool, optional
        Typeset the entries (default: when there are at most ``max_typeset`` nodes) or draw
        the sparsity pattern.
    highlight_row : int, optional
        A row (0-based) to shade, e.g. the row a substitution step solves.
    highlight_cells : iterable of (i, j)
        Entries written in red, e.g. the weights a step uses.
    fontsize : float
    title : bool
        Write the matrix's name above it.

    Raises
    ------
    RenderError
        For an unknown ``which`` or something that is neither a system nor a graph.
    """
    S = _system(system)
    entries, notation = matrix_entries(S, which)
    if typeset is None:
        typeset = S.n <= max_typeset
    if not typeset:
        return _draw_pattern(S, entries, notation, ax, highlight_row, title)

    def build(size):
        cells = {key: label(e, size, max_chars=24) for key, e in entries.items()}
        block = _Block(cells, (S.n, S.n), words("0", size), S.n_sources,
                       shade={key: SHADE["diagonal" if key[0] == key[1] else "weight"]
                              for key in cells},
                       colour={key: SHADE["cell"] for key in highlight_cells})
        return block, [label(node_symbol(v), 0.85 * size) for v in S.nodes], size

    def natural(built):
        block, names, _ = built
        return (sum(block.widths()) + max(n.width for n in names) / 72 + 0.7,
                S.n * block.height() + (1.25 if title else 0.9) + 0.3)

    block, names, fontsize = _fit(ax, build, natural, fontsize)
    row = block.height()
    pad_left = max(n.width for n in names) / 72 + 0.2
    ax = _new_axes(ax, *natural((block, names, fontsize)))
    right, centres = _draw_block(ax, block, 0.0, row, fontsize, highlight_row)
    for k, name in enumerate(names):  # node names along the left and the top
        ax.text(-0.12, -(k + 0.5) * row, name.text, ha="right", va="center",
                fontsize=name.fontsize, color="#505050", gid=f"row:{k}")
        ax.text(centres[k], 0.12, name.text, ha="center", va="bottom",
                fontsize=name.fontsize, color="#505050", gid=f"column:{k}")
    top = 0.5
    if title:
        head = label(notation, 1.2 * fontsize)
        ax.text(right / 2, 0.5, head.text, ha="center", va="bottom", fontsize=head.fontsize,
                gid="title")
        top = 0.55 + head.height / 72 + 0.1
    bottom = -S.n * row - 0.2
    if 0 < S.n_sources < S.n:
        caption = mixed(BLOCKS[_key(which)], 0.8 * fontsize)
        ax.text(right / 2, bottom, caption.text, ha="center", va="top",
                fontsize=caption.fontsize, color="#505050", gid="blocks")
        bottom -= caption.height / 72 + 0.1
    _finish(ax, -pad_left - 0.1, right + 0.2, bottom, top)
    return ax


def _draw_pattern(S: TriangularSystem, entries: dict, notation, ax, highlight_row, title):
    """The sparsity pattern: one square per nonzero (linear in the number of entries)."""
    size = min(7.0, max(3.0, S.n * 0.08))
    ax = _new_axes(ax, size + 0.8, size + 0.9)
    off = [(i, j) for (i, j) in entries if i != j]
    diagonal = [(i, j) for (i, j) in entries if i == j]
    box = ax.get_position()
    cell_points = box.width * ax.figure.get_size_inches()[0] * 72 / max(S.n, 1)
    marker = max(cell_points * 0.9, 1.0)
    for points, colour, gid in ((diagonal, "#9a9a9a", "diagonal"), (off, "#2f6fb0", "weights")):
        ax.plot([j for _, j in points], [i for i, _ in points], ls="", marker="s",
                markersize=marker, color=colour, markeredgewidth=0, gid=gid)
    if highlight_row is not None:
        ax.axhspan(highlight_row - 0.5, highlight_row + 0.5, color=SHADE["row"], zorder=0,
                   gid="highlight-row")
    ns = S.n_sources
    if 0 < ns < S.n:
        for line in (ax.axvline(ns - 0.5), ax.axhline(ns - 0.5)):
            line.set(ls="--", lw=0.8, color=SHADE["split"], gid="split")
    ax.set_xlim(-0.5, S.n - 0.5)
    ax.set_ylim(S.n - 0.5, -0.5)
    ax.set_aspect("equal")
    ax.tick_params(labelsize=8)
    # nodes numbered from 1, as in the derivations (position k shows node k + 1)
    for axis in (ax.xaxis, ax.yaxis):  # ticks on whole nodes only (no "node 3.5")
        axis.set_major_locator(MaxNLocator(integer=True))
        axis.set_major_formatter(lambda value, _: f"{value + 1:g}")
    ax.set_xlabel(f"{S.n} × {S.n}, {len(off)} nonzero weights; dashed: sources | others",
                  fontsize=8)
    if title:
        ax.set_title(label(notation, 12).text, fontsize=12)
    return ax


@boundary
def draw_system(system, ax=None, *, mode: str = "reverse", seed=None, step=None,
                known: dict | None = None, reserve: dict | None = None, fontsize: float = 10.0,
                max_nodes: int = 40):
    """Draw (I − L)ᵀ x̄ = e (reverse) or (I − L) ẋ = e (forward); return the Axes.

    Parameters
    ----------
    system : TriangularSystem or networkx.DiGraph
    mode : {"reverse", "forward"}
    seed : node, optional
        Where the right-hand side e has its 1 (default: the first output in reverse mode,
        the first input in forward mode).
    step : Step, optional
        A solver record: its row is shaded and the entries it uses are written in red.
    known : mapping, optional
        ``{row: value}`` of unknowns already solved; they replace the symbols x̄_k.
    reserve : mapping, optional
        ``{row: value}`` to make room for (the final values), so that a sequence of frames
        keeps one layout.
    fontsize : float
        In a given Axes too small for the system, the fonts shrink to fit.
    max_nodes : int
        Largest system drawn (default 40): every one of the n² entries is typeset, and at
        40 nodes that takes about 30 s and 450 MB.

    Raises
    ------
    RenderError
        For a system of more than ``max_nodes`` nodes (``draw_matrix(system,
        typeset=False)`` draws the sparsity pattern of any size).
    """
    S = _system(system)
    if mode not in ("reverse", "forward"):
        raise RenderError(f"mode must be 'reverse' or 'forward', not {mode!r}")
    if S.n > max_nodes:
        raise RenderError(f"the system has {S.n} nodes, more than draw_system typesets "
                          f"({max_nodes}, raise max_nodes=…); draw_matrix(system, "
                          f"typeset=False) draws its sparsity pattern")
    G = S.graph
    if seed is None:
        seed = (G.graph["outputs"] if mode == "reverse" else G.graph["inputs"])[0]

    def natural(built):
        matrix, vector, rhs, room, _ = built
        row = max(matrix.height(), vector.height(), rhs.height(), room.height())
        return (sum(matrix.widths()) + max(sum(vector.widths()), sum(room.widths()))
                + sum(rhs.widths()) + 1.2, S.n * row + 0.6)

    built = _fit(ax, lambda size: _system_blocks(S, mode, seed, step, known or {},
                                                 reserve or {}, size), natural, fontsize)
    matrix, vector, rhs, room, size = built
    row = max(matrix.height(), vector.height(), rhs.height(), room.height())
    widths = [sum(matrix.widths()), max(sum(vector.widths()), sum(room.widths())),
              sum(rhs.widths())]
    ax = _new_axes(ax, *natural(built))
    current = step.unknown if step is not None else None
    x, _ = _draw_block(ax, matrix, 0.0, row, size, current)
    x, _ = _draw_block(ax, dataclasses.replace(vector, width=widths[1]), x + 0.15, row, size,
                       current)
    ax.text(x + 0.25, -S.n * row / 2, "=", ha="center", va="center", fontsize=1.3 * size)
    x, _ = _draw_block(ax, rhs, x + 0.5, row, size, current)
    _finish(ax, -0.2, x + 0.2, -S.n * row - 0.2, 0.3)
    return ax


def _system_blocks(S, mode, seed, step, known, reserve, fontsize):
    which = "(I-L)^T" if mode == "reverse" else "I-L"
    entries, _ = matrix_entries(S, which)
    used = _used(step)
    matrix = _Block({key: label(e, fontsize, max_chars=20) for key, e in entries.items()},
                    (S.n, S.n), words("0", fontsize), S.n_sources,
                    shade={key: SHADE["diagonal" if key[0] == key[1] else "weight"]
                           for key in entries},
                    colour={key: SHADE["cell"] for key in used})
    unknowns = {(k, 0): _unknown(S, mode, known, k, fontsize) for k in range(S.n)}
    vector = _Block(unknowns, (S.n, 1), None, None, gid="unknown",
                    shade={(k, 0): SHADE["solved"] for k in known},
                    colour={(step.unknown, 0): SHADE["cell"]} if step is not None else {})
    room = _Block({(k, 0): label(value, fontsize, max_chars=16)
                   for k, value in reserve.items()}, (S.n, 1), None)
    rhs = _Block({(k, 0): label(e, fontsize) for k, e in enumerate(S.unit(seed))}, (S.n, 1),
                 None, None, gid="rhs")
    return matrix, vector, rhs, room, fontsize


def _unknown(S, mode: str, known: dict, k: int, fontsize: float) -> Label:
    """Row k of the unknowns: its value if known, else its symbol (x̄_k or ẋ_k)."""
    value = known[k] if k in known else \
        unknown_symbol(S.nodes[k], mode, unknown_suffix(S.nodes, mode))
    return label(value, fontsize, max_chars=16)


def _used(step) -> set:
    """The entries of the matrix a step reads: its row's weights and the diagonal."""
    if step is None:
        return set()
    return {(step.unknown, j) for j, _, _ in step.terms} | {(step.unknown, step.unknown)}


@boundary
def restyle_system(ax, system, *, mode: str = "reverse", step=None,
                   known: dict | None = None) -> None:
    """Show another step on a system that :func:`draw_system` drew in ``ax`` (with a
    ``step``): what ``draw_system(system, ax, mode=mode, step=step, known=known)`` would draw
    with the same layout, nothing typeset or laid out again.

    The drawing must have been made with every row of ``known`` known (e.g. with the final
    values, as a storyboard does), so that their places and shading exist.

    Raises
    ------
    RenderError
        For a row of ``known`` that was not known in the drawing.
    """
    S = _system(system)
    known = known or {}
    entries, _ = matrix_entries(S, "(I-L)^T" if mode == "reverse" else "I-L")
    used = _used(step)
    artists = {a.get_gid(): a for a in (*ax.texts, *ax.patches)}
    for i in range(S.n):
        for j in range(S.n):
            colour = SHADE["cell"] if (i, j) in used else \
                "black" if (i, j) in entries else SHADE["zero"]
            artists[f"entry:{i},{j}"].set_color(colour)
    for k in range(S.n):
        if k in known and f"unknown-shade:{k},0" not in artists:
            raise RenderError(f"row {k + 1} was not known when the system was drawn: draw it "
                              f"with every row known that restyle_system will show")
        if f"unknown-shade:{k},0" in artists:
            artists[f"unknown-shade:{k},0"].set_visible(k in known)
        text = artists[f"unknown:{k},0"]
        text.set_text(_unknown(S, mode, known, k, text.get_fontsize()).text)
        text.set_color(SHADE["cell"] if step is not None and k == step.unknown else "black")
    _move_rows(ax, lambda band: None if step is None else -(step.unknown + 1) * band.get_height())


def restyle_pattern(ax, highlight_row: int | None) -> None:
    """Shade row ``highlight_row`` of a sparsity pattern that :func:`draw_matrix` drew with a
    ``highlight_row`` (``None``: no row)."""
    _move_rows(ax, lambda band: None if highlight_row is None else highlight_row - 0.5)


def _move_rows(ax, where) -> None:
    """Move the shaded row bands to ``where(band)`` (``None``: hide them)."""
    for band in ax.patches:
        if band.get_gid() == "highlight-row":
            y = where(band)
            band.set_visible(y is not None)
            if y is not None:
                band.set_y(y)
