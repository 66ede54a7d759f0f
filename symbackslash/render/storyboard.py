"""The back substitution as a storyboard: one frame per step of the solve.

Each frame puts the graph and the system side by side. In the graph the node being solved
is outlined in red, the edges its row uses are red, the nodes already solved are green and
show their value; in the system the row is shaded, the entries it uses are red and the
unknowns found so far are filled in. The caption is the step's equation from the
derivation. Frames come from the solver's records (via :class:`~symbackslash.Derivation`),
never from a separate computation.

A :class:`Storyboard` saves itself as a PNG grid or an animated GIF (Pillow) and shows
itself in a notebook.

>>> import matplotlib
>>> matplotlib.use("Agg")
>>> board = storyboard("a = x*y\\nb = sin(a)\\nf = a + b")
>>> len(board)
5
>>> caption = board.frame(2).texts[1].get_text()
>>> caption.startswith("$\\\\bar{a} = ")
True
>>> caption.endswith("= \\\\cos{\\\\left(x y \\\\right)} + 1$")
True
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

from ..derivation.document import Derivation, derivation
from ..derivatives.gradient import Differentiation
from ..errors import RenderError, boundary
from ..printing.pieces import Chain, Combination
from .files import write_atomic
from .graph_figure import draw_graph, graph_size
from .labels import label, mixed
from .matrix_figure import draw_matrix, draw_system

__all__ = ["Storyboard", "storyboard", "MAX_PIXELS"]

CAPTION = 0.75   # inches above the panels for the caption
#: A saved or displayed grid is at most this many pixels a side (scaled down to fit).
MAX_PIXELS = 4000
#: Compact frames (graph without labels, system as its pattern), in inches.
COMPACT_SIZE = (9.0, 4.0)


class Storyboard:
    """The frames of one solve of a derivation (reverse: back substitution; forward:
    forward substitution).

    Parameters
    ----------
    derivation : Derivation
    solve : int
        Which solve (output in reverse mode, variable in forward mode).
    dpi : float
        Resolution of the frames.
    max_frames : int
        Larger systems are refused (a storyboard of hundreds of frames helps nobody).
    fontsize : float
    compact : bool, optional
        Frames with the graph drawn without labels and the system as its sparsity pattern,
        the equation under them (default: for systems of more than ``compact_nodes`` nodes,
        whose typeset frames would be too large to read or to draw quickly).
    key_steps : int
        With more steps than this, the frames show that many steps, evenly spaced, the first
        and the last among them (each heading says so).
    """

    def __init__(self, derivation: Derivation, solve: int = 0, *, dpi: float = 100,
                 max_frames: int = 400, fontsize: float = 10.0, compact: bool | None = None,
                 compact_nodes: int = 12, key_steps: int = 28):
        self.derivation, self.solve, self.dpi, self.fontsize = derivation, solve, dpi, fontsize
        if not 0 <= solve < len(derivation.solves()):
            raise RenderError(f"solve={solve}: the derivation has {len(derivation.solves())} "
                              f"solves")
        self.steps = derivation.steps(solve)
        if not self.steps:
            raise RenderError("this solve has no steps (the variable does not occur)")
        if len(self.steps) > max_frames:
            raise RenderError(f"{len(self.steps)} steps: a storyboard shows at most "
                              f"{max_frames} frames (raise max_frames=…)")
        self.seed = derivation.solves()[solve][0]
        self._images = None
        self.total, self._all = len(self.steps), self.steps
        self._numbers = list(range(self.total))
        if self.total > key_steps:
            keep = np.unique(np.linspace(0, self.total - 1, key_steps).round().astype(int))
            self._numbers = [int(k) for k in keep]
            self.steps = [self._all[k] for k in self._numbers]
        self.compact_nodes = compact_nodes
        self.compact = derivation.system.n > compact_nodes if compact is None else compact
        if self.compact:
            self.size = (COMPACT_SIZE[0], COMPACT_SIZE[1] + CAPTION)
            return
        self._final = {v.unknown: self._value(v) for v in self.steps}
        width, height = graph_size(derivation.graph, fontsize=fontsize, legend=False,
                                   values=self._final)
        self._graph_size = (width, height)
        position = {v: i for i, v in enumerate(derivation.system.nodes)}
        self._reserve = {position[v.unknown]: v.symbolic for v in self.steps}
        probe = draw_system(derivation.system, Figure(figsize=(40, 40)).add_subplot(),
                            mode=derivation.mode, seed=self.seed, fontsize=fontsize,
                            reserve=self._reserve)
        left, right = probe.get_xlim()
        bottom, top = probe.get_ylim()
        self._system_size = (right - left, top - bottom)
        self.size = (width + self._system_size[0] + 0.6,
                     max(height, self._system_size[1]) + CAPTION + 0.2)

    def __len__(self) -> int:
        return len(self.steps)

    def _value(self, view):
        return Chain(view.symbol, view.symbolic)

    def frame(self, k: int) -> Figure:
        """Frame k (0-based) as a matplotlib Figure (not registered with pyplot)."""
        if not 0 <= k < len(self.steps):
            raise RenderError(f"frame {k}: the storyboard has {len(self.steps)} frames, "
                              f"numbered 0 … {len(self.steps) - 1}")
        view = self.steps[k]
        done = self._all[: self._numbers[k] + 1]   # every step up to this one, shown or not
        width, height = self.size
        fig = Figure(figsize=(width, height), dpi=self.dpi, facecolor="white")
        if self.compact:
            self._compact_frame(fig, view, done)
        else:
            self._typeset_frame(fig, view, done)
        self._heading(fig, k, view)
        return fig

    def _compact_frame(self, fig, view, done) -> None:
        """The graph as dots and lines, the system as its pattern with the row shaded."""
        d = self.derivation
        body = self.size[1] - CAPTION
        graph_ax = fig.add_axes((0.02, 0.02, 0.55, body / self.size[1] - 0.04))
        draw_graph(d.graph, graph_ax, highlight=view.record, max_labelled=self.compact_nodes,
                   solved=[v.unknown for v in done[:-1]], legend=False)
        system_ax = fig.add_axes((0.62, 0.08, 0.34, body / self.size[1] - 0.14))
        draw_matrix(d.system, "(I-L)^T" if d.mode == "reverse" else "I-L", system_ax,
                    typeset=False, highlight_row=view.record.unknown, title=False)

    def _typeset_frame(self, fig, view, done) -> None:
        d = self.derivation
        width, height = self.size
        gw, gh = self._graph_size
        sw, sh = self._system_size
        body = height - CAPTION
        graph_ax = fig.add_axes((0.2 / width, (body - gh) / 2 / height, gw / width, gh / height))
        draw_graph(d.graph, graph_ax, highlight=view.record, fontsize=self.fontsize,
                   solved=[v.unknown for v in done[:-1]], legend=False,
                   values={v.unknown: self._value(v) for v in done}, reserve=self._final)
        system_ax = fig.add_axes(((gw + 0.4) / width, (body - sh) / 2 / height, sw / width,
                                  sh / height))
        position = {v: i for i, v in enumerate(d.system.nodes)}
        draw_system(d.system, system_ax, mode=d.mode, seed=self.seed, step=view.record,
                    known={position[v.unknown]: v.symbolic for v in done},
                    reserve=self._reserve, fontsize=self.fontsize)

    def _heading(self, fig, k: int, view) -> None:
        d = self.derivation
        width, height = self.size
        verb = "back" if d.mode == "reverse" else "forward"
        number = self._numbers[k] + 1
        shown = "" if len(self.steps) == self.total else \
            f", one of {len(self.steps)} key steps shown"
        head = mixed(f"step {number} of {self.total} ({verb} substitution, row "
                     f"{view.record.unknown + 1}{shown}): solve for "
                     f"{label(d.unknown_symbol(view.unknown)).text}", self.fontsize)
        fig.text(0.2 / width, 1 - 0.12 / height, head.text, ha="left", va="top",
                 fontsize=head.fontsize, color="#404040", gid="heading")
        equation = self._caption(view, width - 0.4)
        fig.text(0.2 / width, 1 - 0.42 / height, equation.text, ha="left", va="top",
                 fontsize=equation.fontsize, gid="equation")

    def _caption(self, view, width: float):
        """The step's equation, as long as fits: with the closed form, else without."""
        if self.compact:   # the row only: results of large programs are long to typeset
            row = Combination(view.rhs, view.terms) if view.terms else view.rhs
            return label(Chain(view.symbol, row), 1.2 * self.fontsize)
        for closed in (True, False):
            caption = label(self.derivation.equation(view, closed=closed), 1.2 * self.fontsize)
            if caption.width / 72 <= width:
                return caption
        return caption

    def images(self) -> list[Image.Image]:
        """Every frame as an RGB image (all of one size; drawn once, then kept)."""
        if self._images is None:
            self._images = []
            for k in range(len(self.steps)):
                canvas = FigureCanvasAgg(self.frame(k))
                canvas.draw()
                self._images.append(
                    Image.fromarray(np.asarray(canvas.buffer_rgba())).convert("RGB"))
        return list(self._images)

    def grid(self, columns: int = 2, gap: int = 12) -> Image.Image:
        """The frames in a grid, row by row, as one image of at most :data:`MAX_PIXELS` a
        side (more columns when the frames are many and small, scaled down if still larger)."""
        images = self.images()
        w, h = images[0].size
        while columns < len(images) and (-(-len(images) // columns)) * (h + gap) > \
                MAX_PIXELS and (columns + 1) * (w + gap) + gap <= MAX_PIXELS:
            columns += 1   # a sheet too tall gets another column while it fits
        columns = max(1, min(columns, len(images)))
        rows = -(-len(images) // columns)
        sheet = Image.new("RGB", (columns * w + (columns + 1) * gap, rows * h + (rows + 1) * gap),
                          "white")
        for k, image in enumerate(images):
            r, c = divmod(k, columns)
            sheet.paste(image, (gap + c * (w + gap), gap + r * (h + gap)))
        if max(sheet.size) > MAX_PIXELS:
            sheet.thumbnail((MAX_PIXELS, MAX_PIXELS), Image.Resampling.LANCZOS)
        return sheet

    def png_bytes(self, columns: int = 2) -> bytes:
        buffer = io.BytesIO()
        self.grid(columns).save(buffer, format="PNG", optimize=True)
        return buffer.getvalue()

    def gif_bytes(self, duration: int = 1400) -> bytes:
        """An animated GIF, ``duration`` ms a frame (the last one stays twice as long)."""
        images = [image.quantize(colors=128, method=Image.Quantize.MEDIANCUT)
                  for image in self.images()]
        durations = [duration] * (len(images) - 1) + [2 * duration]
        buffer = io.BytesIO()
        images[0].save(buffer, format="GIF", save_all=True, append_images=images[1:],
                       duration=durations, loop=0, optimize=True)
        return buffer.getvalue()

    def save(self, path, *, columns: int = 2, duration: int = 1400) -> Path:
        """Save as a PNG grid (``.png``) or an animated GIF (``.gif``), atomically."""
        path = Path(path)
        suffix = path.suffix.lower()
        if suffix == ".png":
            return write_atomic(path, self.png_bytes(columns))
        if suffix == ".gif":
            return write_atomic(path, self.gif_bytes(duration))
        raise RenderError(f"cannot save a storyboard as {path.name}: use .png (a grid of the "
                          f"frames) or .gif (an animation)")

    def _repr_png_(self) -> bytes:
        """One frame per row: a notebook's output area is narrower than two frames, and a
        two-column grid scaled down to it is too small to read."""
        return self.png_bytes(columns=1)

    def __repr__(self) -> str:
        return f"<Storyboard: {len(self.steps)} frames of the {self.derivation.mode} solve>"


#: Storyboards of other records, by type (``type → make(record, **options)``): a module
#: that builds on :class:`Storyboard` registers its own here (:mod:`.elimination_figure`
#: registers :class:`~symbackslash.Elimination`), so this module need not import it.
STORYBOARDS: dict[type, Callable] = {}


@boundary
def storyboard(f, wrt=None, *, mode: str = "reverse", at=None, solve: int = 0,
               **options) -> Storyboard:
    """The storyboard of a derivation, a differentiation, or anything
    :func:`~symbackslash.derivation` accepts (``options`` go to
    :class:`Storyboard`); of an :class:`~symbackslash.Elimination`, one frame per
    elimination (:mod:`.elimination_figure`)."""
    for kind, make in STORYBOARDS.items():
        if isinstance(f, kind):
            return make(f, **options)
    if isinstance(f, Derivation):
        d = f
    elif isinstance(f, Differentiation):
        d = Derivation(f, at=at)
    else:
        d = derivation(f, wrt, mode=mode, at=at)
    return Storyboard(d, solve, **options)
