"""Figures of vertex elimination: the step's node, edges and fill-in highlighted, read off the
recorded steps; the storyboard's frames, files and dispatch; bad steps refused."""

import matplotlib.colors as mcolors
import pytest
import sympy as sp
from examples import t1_graph
from PIL import Image

import symbackslash as sb
from symbackslash.render.elimination_figure import state_graph

x, y, z = sp.symbols("x y z")
RED = mcolors.to_rgba("#d62728")


def red_edges(ax):
    return sorted(p.get_gid()[len("edge:"):] for p in ax.patches
                  if (p.get_gid() or "").startswith("edge:") and p.get_edgecolor() == RED)


def test_reverse_step_one_on_t1():
    E = sb.eliminate(t1_graph(), order="reverse")
    ax = sb.draw_elimination(E, step=1)
    # v4 is eliminated: its edges 3 → 4 → 5 and the fill-in 3 → 5, weighted c*d
    assert red_edges(ax) == ["3->4", "3->5", "4->5"]
    weights = {t.get_gid(): t.get_text() for t in ax.texts if t.get_gid().startswith("weight:")}
    assert weights["weight:3->5"] == sb.render.label(sp.Symbol("c")*sp.Symbol("d")).text
    ax2 = sb.draw_elimination(E, step=2)
    assert red_edges(ax2) == ["1->3", "1->5", "2->3", "2->5", "3->5"]


def test_state_graphs_follow_the_steps():
    E = sb.eliminate([sp.exp(sp.sin(x*y*z))*v for v in (x, y, z)], order="markowitz")
    for k, step in enumerate(E.steps, start=1):
        G = state_graph(E, k)
        assert set(G) == {E.nodes[i] for i in step.remaining}
        assert {(E.nodes.index(u), E.nodes.index(v)) for u, v in G.edges} == \
            {(i, j) for (j, i) in step.entries}
    final = state_graph(E, len(E.steps))
    assert all(G_kind in ("input", "output") for _, G_kind in final.nodes(data="kind"))


def test_storyboard_frames_and_files(tmp_path):
    E = sb.eliminate(t1_graph(), order="forward")
    board = sb.storyboard(E)
    assert isinstance(board, sb.EliminationStoryboard) and len(board) == len(E.steps) == 2
    heading = board.frame(0).texts[0].get_text()
    assert "eliminate" in heading and "2 multiplication(s)" in heading
    sizes = {image.size for image in board.images()}
    assert len(sizes) == 1                         # every frame the same size
    gif, png = board.save(tmp_path / "e.gif"), board.save(tmp_path / "e.png")
    assert Image.open(gif).n_frames == 2 and Image.open(png).size[0] > 0


@pytest.mark.parametrize("step", [0, 3, "1", True])
def test_bad_steps(step):
    E = sb.eliminate(t1_graph(), order="forward")
    with pytest.raises(sb.RenderError, match="step="):
        sb.draw_elimination(E, step=step)


def test_not_an_elimination():
    with pytest.raises(sb.RenderError, match="needs an Elimination"):
        sb.draw_elimination(sb.build_graph("x*y"), step=1)
