"""The back substitution as a storyboard: one frame per step of the solve.

Each frame puts the graph and the system side by side. In the graph the node being solved
is outlined in red, the edges its row uses are red, the nodes already solved are green and
show their value; in the system the row is shaded, the entries it uses are red and the
unknowns found so far are filled in. The caption is the step's equation from the
derivation. Frames come from the solver's records (via :class:`~symbackslash.Derivation`),
never from a separate computation.

The frames are drawn incrementally: one figure is laid out and typeset once, with the
graph and the system in their final state, and each step only restyles its artists (colours,
the shaded row, the values shown, the caption) before the same canvas renders it again.
:meth:`Storyboard.frame` draws one frame the same way on a figure of its own.

A :class:`Storyboard` saves itself as PNG pages (a grid of frames at full size, each page at
most :data:`MAX_PIXELS` a side: ``steps.png``, then ``steps-2.png`` … when the frames do not
fit on one) or as an animated GIF (Pillow), and shows itself in a notebook.

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
from .graph_figure import draw_graph, graph_size, restyle_graph
from .labels import label, math_text
from .matrix_figure import draw_matrix, draw_system, restyle_pattern, restyle_system

__all__ = ["Storyboard", "storyboard", "page_path", "MAX_PIXELS"]

CAPTION = 0.75   # inches above the panels for the caption
#: A page of frames (and a grid) is at most this many pixels a side.
MAX_PIXELS = 4000
GAP = 12         # pixels between frames on a page
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
        fig = self._scene()
        self._show(fig, k)
        return fig

    def _figures(self):
        """The frames in order, each a figure to render before the next is asked for: here
        one figure, laid out once and restyled from step to step."""
        fig = self._scene()
        for k in range(len(self.steps)):
            self._show(fig, k)
            yield fig

    def _scene(self) -> Figure:
        """The figure every frame is shown on: the graph and the system drawn once, with
        every value the frames show (hidden until their step), and an empty caption."""
        d = self.derivation
        width, height = self.size
        fig = Figure(figsize=(width, height), dpi=self.dpi, facecolor="white")
        first = self.steps[0].record
        body = height - CAPTION
        if self.compact:   # the graph as dots and lines, the system as its pattern
            graph_ax = fig.add_axes((0.02, 0.02, 0.55, body / height - 0.04))
            draw_graph(d.graph, graph_ax, highlight=first, max_labelled=self.compact_nodes,
                       legend=False)
            system_ax = fig.add_axes((0.62, 0.08, 0.34, body / height - 0.14))
            draw_matrix(d.system, "(I-L)^T" if d.mode == "reverse" else "I-L", system_ax,
                        typeset=False, highlight_row=first.unknown, title=False)
        else:
            gw, gh = self._graph_size
            sw, sh = self._system_size
            graph_ax = fig.add_axes((0.2 / width, (body - gh) / 2 / height, gw / width,
                                     gh / height))
            draw_graph(d.graph, graph_ax, highlight=first, fontsize=self.fontsize,
                       legend=False, values={v.unknown: self._value(v) for v in self._all},
                       reserve=self._final)
            system_ax = fig.add_axes(((gw + 0.4) / width, (body - sh) / 2 / height,
                                      sw / width, sh / height))
            draw_system(d.system, system_ax, mode=d.mode, seed=self.seed, step=first,
                        known=self._known(self._all), reserve=self._reserve,
                        fontsize=self.fontsize)
        fig.text(0.2 / width, 1 - 0.12 / height, "", ha="left", va="top",
                 fontsize=self.fontsize, color="#404040", gid="heading")
        fig.text(0.2 / width, 1 - 0.42 / height, "", ha="left", va="top",
                 fontsize=1.2 * self.fontsize, gid="equation")
        return fig

    def _known(self, views) -> dict:
        position = {v: i for i, v in enumerate(self.derivation.system.nodes)}
        return {position[v.unknown]: v.symbolic for v in views}

    def _show(self, fig, k: int) -> None:
        """Restyle the scene for frame k: the step's row, edges and node in red, the steps
        before it solved, its heading and equation."""
        d, view = self.derivation, self.steps[k]
        done = self._all[: self._numbers[k] + 1]   # every step up to this one, shown or not
        graph_ax, system_ax = fig.axes[:2]
        restyle_graph(graph_ax, d.graph, highlight=view.record,
                      solved=[v.unknown for v in done[:-1]], values=[v.unknown for v in done])
        if self.compact:
            restyle_pattern(system_ax, view.record.unknown)
        else:
            restyle_system(system_ax, d.system, mode=d.mode, step=view.record,
                           known=self._known(done))
        heading, equation = (t for t in fig.texts if t.get_gid() in ("heading", "equation"))
        heading.set_text(self._heading(k, view))
        caption = self._caption(view, self.size[0] - 0.4)
        equation.set_text(caption.text)
        equation.set_fontsize(caption.fontsize)

    def _heading(self, k: int, view) -> str:
        verb = "back" if self.derivation.mode == "reverse" else "forward"
        shown = "" if len(self.steps) == self.total else \
            f", one of {len(self.steps)} key steps shown"
        return (f"step {self._numbers[k] + 1} of {self.total} ({verb} substitution, row "
                f"{view.record.unknown + 1}{shown}): solve for "
                f"{math_text(self.derivation.unknown_symbol(view.unknown))}")

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
        """Every frame as an RGB image (all of one size; rendered once, then kept)."""
        if self._images is None:
            self._images = []
            for fig in self._figures():
                canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else \
                    FigureCanvasAgg(fig)
                canvas.draw()
                self._images.append(
                    Image.fromarray(np.asarray(canvas.buffer_rgba())).convert("RGB"))
        return list(self._images)

    def grid(self, columns: int = 2, gap: int = GAP) -> Image.Image:
        """Every frame on one image of at most :data:`MAX_PIXELS` a side, row by row (more
        columns when the frames are many and small; scaled down if still larger: many large
        frames become hard to read, :meth:`pages` keeps them at full size)."""
        images = self.images()
        w, h = images[0].size
        return _sheet(images, _columns(len(images), w, h, columns, gap), gap)

    def pages(self, columns: int = 2, gap: int = GAP) -> list[Image.Image]:
        """The frames in grids at full size, as many pages as it takes, each at most
        :data:`MAX_PIXELS` a side: one page (the :meth:`grid`) when they fit on one, else
        pages of as many rows as fit (a frame larger than a page alone is scaled down)."""
        images = self.images()
        w, h = images[0].size
        columns = min(_columns(len(images), w, h, columns, gap),
                      max(1, (MAX_PIXELS - gap) // (w + gap)))
        rows = max(1, (MAX_PIXELS - gap) // (h + gap))
        per_page = columns * rows
        return [_sheet(images[i: i + per_page], columns, gap)
                for i in range(0, len(images), per_page)]

    def png_bytes(self, columns: int = 2) -> bytes:
        """The :meth:`grid` as a PNG file."""
        return _png(self.grid(columns))

    def png_pages(self, columns: int = 2) -> list[bytes]:
        """The :meth:`pages` as PNG files."""
        return [_png(page) for page in self.pages(columns)]

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
        """Save as PNG pages (``.png``) or an animated GIF (``.gif``), each file atomically;
        return ``path``.

        The pages (:meth:`pages`) go to ``path``, then ``steps-2.png``, ``steps-3.png`` …
        beside it (:func:`page_path`) when the frames do not fit on one page.
        """
        path = Path(path)
        suffix = path.suffix.lower()
        if suffix == ".png":
            for k, data in enumerate(self.png_pages(columns)):
                write_atomic(page_path(path, k), data)
            return path
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


def page_path(path, k: int) -> Path:
    """Where page k (0-based) of a storyboard saved as ``path`` goes: ``steps.png``, then
    ``steps-2.png``, ``steps-3.png`` …"""
    path = Path(path)
    return path if k == 0 else path.with_name(f"{path.stem}-{k + 1}{path.suffix}")


def _columns(count: int, w: int, h: int, columns: int, gap: int) -> int:
    """The columns of a grid: ``columns``, more while the sheet is too tall and they fit."""
    while columns < count and (-(-count // columns)) * (h + gap) > MAX_PIXELS and \
            (columns + 1) * (w + gap) + gap <= MAX_PIXELS:
        columns += 1
    return max(1, min(columns, count))


def _sheet(images: list, columns: int, gap: int) -> Image.Image:
    """Images of one size in a grid, row by row, scaled down to :data:`MAX_PIXELS` a side
    if larger."""
    w, h = images[0].size
    columns = min(columns, len(images))
    rows = -(-len(images) // columns)
    sheet = Image.new("RGB", (columns * w + (columns + 1) * gap, rows * h + (rows + 1) * gap),
                      "white")
    for k, image in enumerate(images):
        r, c = divmod(k, columns)
        sheet.paste(image, (gap + c * (w + gap), gap + r * (h + gap)))
    if max(sheet.size) > MAX_PIXELS:
        sheet.thumbnail((MAX_PIXELS, MAX_PIXELS), Image.Resampling.LANCZOS)
    return sheet


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


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
