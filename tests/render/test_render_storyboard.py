"""Storyboards: one frame per solver record, highlights that follow the step, PNG and GIF."""

import io

import pytest
import sympy as sp
from examples import t1_graph
from matplotlib.colors import to_rgba
from matplotlib.patches import FancyArrowPatch
from PIL import Image

import symbackslash as sb
from symbackslash import RenderError
from symbackslash.printing.latex import LatexPrinter
from symbackslash.render import Storyboard, storyboard
from symbackslash.render.graph_figure import STYLE

RED = to_rgba(STYLE["highlight"])


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
    values = {t.get_gid(): t.get_text() for t in graph_ax.texts
              if t.get_gid().startswith("value:")}
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
    heading = board.frame(1).texts[0].get_text()
    assert heading.startswith("step 2 of 27 (back substitution, row 26")
    few = storyboard(example.program, example.wrt, key_steps=5)
    assert len(few) == 5 and few.total == 27
    assert "one of 5 key steps shown" in few.frame(4).texts[0].get_text()
    assert few.frame(4).texts[0].get_text().startswith("step 27 of 27")
