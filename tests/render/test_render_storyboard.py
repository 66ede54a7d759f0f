"""Storyboards: one frame per solver record, highlights that follow the step, PNG and GIF."""

import importlib
import io

import numpy as np
import pytest
import sympy as sp
from examples import t1_graph
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch
from PIL import Image

import symbackslash as sb
from symbackslash import RenderError
from symbackslash.printing.latex import LatexPrinter
from symbackslash.printing.pieces import Chain
from symbackslash.render import Storyboard, draw_graph, draw_matrix, draw_system, storyboard
from symbackslash.render.graph_figure import STYLE

RED = to_rgba(STYLE["highlight"])
storyboard_module = importlib.import_module("symbackslash.render.storyboard")


@pytest.fixture(scope="module")
def board():
    return storyboard(t1_graph())


def test_one_frame_per_solver_record(board):
    records = sb.differentiate(t1_graph()).solutions[0].steps
    assert len(board) == len(records) == 5
    assert [view.record for view in board.steps] == list(records)


def test_frame_caption_is_the_derivations_equation(board):
    fig = board.frame(3)
    texts = {t.get_gid(): t.get_text() for t in fig.texts}
    assert texts["heading"].startswith("step 4 of 5 (back substitution, row 2)")
    view = board.steps[3]
    expected = "$%s$" % LatexPrinter().doprint(board.derivation.equation(view))
    assert texts["equation"] == expected == r"$\bar{v}_{2} = b \bar{v}_{3} = b c d$"


def test_frame_highlights_follow_the_step(board):
    graph_ax, system_ax = board.frame(2).axes           # step 3 solves node 3 (row index 2)
    red = [a.get_gid() for a in graph_ax.patches
           if isinstance(a, FancyArrowPatch) and a.get_edgecolor() == RED]
    assert red == ["edge:3->4"]
    nodes = {t.get_gid(): t for t in graph_ax.texts if t.get_gid().startswith("node:")}
    assert nodes["node:3"].get_bbox_patch().get_edgecolor() == RED
    solved = to_rgba(STYLE["solved"][0])
    assert [k for k, t in nodes.items() if t.get_bbox_patch().get_facecolor() == solved] == \
        ["node:4", "node:5"]
    values = {t.get_gid(): t.get_text() for t in graph_ax.texts     # the values shown
              if t.get_gid().startswith("value:") and t.get_visible()}
    assert values == {"value:3": r"$\bar{v}_{3} = c d$", "value:4": r"$\bar{v}_{4} = d$",
                      "value:5": r"$\bar{v}_{5} = 1$"}
    band = [p for p in system_ax.patches if p.get_gid() == "highlight-row"]
    assert len(band) == 3     # the row is shaded across the matrix, x̄ and e


def test_frames_share_one_layout(board):
    first, last = board.frame(0).axes[0], board.frame(4).axes[0]
    where = {t.get_gid(): t.get_position() for t in first.texts if t.get_gid().startswith("node")}
    assert where == {t.get_gid(): t.get_position() for t in last.texts
                     if t.get_gid().startswith("node")}


def test_png_grid_and_gif(board, tmp_path):
    png = Image.open(board.save(tmp_path / "story.png"))
    frame_w, frame_h = board.images()[0].size
    assert png.size == (2 * frame_w + 3 * 12, 3 * frame_h + 4 * 12)
    gif = Image.open(board.save(tmp_path / "story.gif", duration=500))
    assert gif.is_animated and gif.n_frames == 5 and gif.size == (frame_w, frame_h)
    assert gif.info["loop"] == 0
    shown = Image.open(io.BytesIO(board._repr_png_()))      # a notebook: one frame per row
    assert shown.size == (frame_w + 2 * 12, 5 * frame_h + 6 * 12)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["story.gif", "story.png"]


def test_forward_mode_storyboard():
    b = storyboard("a = x*y\nf = sin(a)", mode="forward", solve=1)
    assert len(b) == 4
    texts = {t.get_gid(): t.get_text() for t in b.frame(1).texts}
    assert "forward substitution" in texts["heading"]
    assert texts["equation"] == r"$\dot{y} = 1$"
    assert Image.open(io.BytesIO(b.png_bytes(columns=4))).size[0] > \
        Image.open(io.BytesIO(b.png_bytes(columns=1))).size[0]


def test_storyboard_errors(board, tmp_path):
    with pytest.raises(RenderError, match=r"use \.png .* or \.gif"):
        board.save(tmp_path / "story.bmp")
    with pytest.raises(RenderError, match="numbered 0 … 4"):
        board.frame(5)
    with pytest.raises(RenderError, match="at most 3 frames"):
        storyboard(t1_graph(), max_frames=3)
    with pytest.raises(RenderError, match="solve=2"):
        storyboard(t1_graph(), solve=2)
    d = sb.derivation(sp.Symbol("x") * 2, ["x", "z"], mode="forward")
    with pytest.raises(RenderError, match="does not occur"):
        Storyboard(d, solve=1)
    assert not list(tmp_path.iterdir())


def test_a_27_node_program_gives_a_bounded_compact_storyboard():
    """27 nodes: compact frames (graph without labels, system as its pattern), every step
    a frame, one grid of at most MAX_PIXELS a side; key steps when asked for fewer."""
    from symbackslash.examples import sin_chain
    from symbackslash.render.storyboard import MAX_PIXELS
    example = sin_chain(13)
    board = storyboard(example.program, example.wrt)
    assert board.derivation.system.n == 27 and board.compact and len(board) == board.total
    sheet = board.grid()
    assert max(sheet.size) <= MAX_PIXELS and min(sheet.size) > 1000
    (page,) = board.pages()                       # the frames fit on one page at full size
    assert page.tobytes() == sheet.tobytes()
    fig = board.frame(5)                          # the note stays beside the pattern
    FigureCanvasAgg(fig).draw()
    graph_ax, pattern_ax = fig.axes
    (note,) = [t for t in graph_ax.texts if t.get_gid() == "note"]
    where = note.get_window_extent()
    assert where.x0 >= 0 and where.x1 < pattern_ax.get_tightbbox().x0
    heading = board.frame(1).texts[0].get_text()
    assert heading.startswith("step 2 of 27 (back substitution, row 26")
    few = storyboard(example.program, example.wrt, key_steps=5)
    assert len(few) == 5 and few.total == 27
    assert "one of 5 key steps shown" in few.frame(4).texts[0].get_text()
    assert few.frame(4).texts[0].get_text().startswith("step 27 of 27")


def _pixels(fig) -> np.ndarray:
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    return np.asarray(canvas.buffer_rgba())[..., :3].astype(int)


def _from_scratch(board, k) -> Figure:
    """Frame k drawn the way frames were drawn before they were incremental: a figure of
    its own, the graph and the system drawn for this step alone (at the frame's places)."""
    frame, d, view = board.frame(k), board.derivation, board.steps[k]
    done = board.steps[: k + 1]
    fig = Figure(figsize=frame.get_size_inches(), dpi=frame.dpi, facecolor="white")
    graph_ax, system_ax = (fig.add_axes(ax.get_position(original=True).bounds)
                           for ax in frame.axes)
    if board.compact:
        draw_graph(d.graph, graph_ax, highlight=view.record, legend=False,
                   solved=[v.unknown for v in done[:-1]], max_labelled=board.compact_nodes)
        draw_matrix(d.system, "(I-L)^T", system_ax, typeset=False,
                    highlight_row=view.record.unknown, title=False)
    else:
        def value(v):
            return Chain(v.symbol, v.symbolic)
        row = {v: i for i, v in enumerate(d.system.nodes)}
        draw_graph(d.graph, graph_ax, highlight=view.record, fontsize=board.fontsize,
                   solved=[v.unknown for v in done[:-1]], legend=False,
                   values={v.unknown: value(v) for v in done},
                   reserve={v.unknown: value(v) for v in board.steps})
        draw_system(d.system, system_ax, seed=d.solves()[0][0], step=view.record,
                    known={row[v.unknown]: v.symbolic for v in done},
                    reserve={row[v.unknown]: v.symbolic for v in board.steps},
                    fontsize=board.fontsize)
    for text in frame.texts:                      # the heading and the equation
        fig.text(*text.get_position(), text.get_text(), ha="left", va="top",
                 fontsize=text.get_fontsize(), color=text.get_color())
    return fig


@pytest.mark.parametrize("compact", [False, True])
def test_incremental_frames_equal_frames_drawn_from_scratch(compact):
    """One figure restyled step by step (the images) shows what a figure drawn for each
    step alone shows: the same pixels, up to antialiasing."""
    board = storyboard("a = x*y\nb = sin(a)\nf = a + b", compact_nodes=3 if compact else 12)
    images = board.images()
    assert len(images) == 5
    for k, image in enumerate(images):
        shown = np.asarray(image).astype(int)
        assert np.array_equal(shown, _pixels(board.frame(k)))     # nothing carried over
        difference = np.abs(shown - _pixels(_from_scratch(board, k)))
        assert difference.max() <= 2 and (difference > 0).mean() < 1e-3, k


def test_frames_split_into_pages_of_at_most_max_pixels(board, tmp_path, monkeypatch):
    """When the frames do not fit on a page at full size they go on several pages, each at
    most MAX_PIXELS a side, in order; save writes story.png, story-2.png …"""
    images = board.images()
    w, h = images[0].size
    gap = storyboard_module.GAP
    limit = max(w, 2 * h) + 3 * gap          # one column of two frames a page
    monkeypatch.setattr(storyboard_module, "MAX_PIXELS", limit)
    pages = board.pages()
    assert len(pages) == 3 and [p.size[1] for p in pages] == [2 * h + 3 * gap] * 2 + \
        [h + 2 * gap]
    assert all(max(p.size) <= limit for p in pages)
    shown = [page.crop((gap, gap + r * (h + gap), gap + w, gap + r * (h + gap) + h))
             for page in pages for r in range(page.size[1] // (h + gap))]
    assert [s.tobytes() for s in shown] == [i.tobytes() for i in images]   # at full size
    assert board.save(tmp_path / "story.png") == tmp_path / "story.png"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["story-2.png", "story-3.png",
                                                          "story.png"]
    assert Image.open(tmp_path / "story-3.png").size == pages[2].size
