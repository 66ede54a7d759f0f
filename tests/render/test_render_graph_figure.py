"""The graph figure: labels, layering, highlights, large graphs, and an image baseline."""

import itertools
import os
from pathlib import Path

import matplotlib
import pytest
import sympy as sp
from catalogue import CATALOGUE
from examples import t1_graph, t3_graph
from matplotlib.collections import LineCollection, PathCollection
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch
from matplotlib.testing.compare import compare_images

import symbackslash as sb
from symbackslash import RenderError
from symbackslash.render import draw_graph
from symbackslash.render.graph_figure import STYLE, graph_size

RED = to_rgba(STYLE["highlight"])
GREY = to_rgba(STYLE["edge"])
BASELINE = Path(__file__).parent / "baseline"


def gid_map(ax, prefix):
    return {a.get_gid()[len(prefix):]: a for a in [*ax.texts, *ax.patches]
            if (a.get_gid() or "").startswith(prefix)}


def intro():
    return sb.build_graph("sin(x*y) + x*y")


def test_node_and_weight_labels_are_the_printed_expressions():
    ax = draw_graph(intro())
    nodes = gid_map(ax, "node:")
    assert {k: t.get_text() for k, t in nodes.items()} == {
        "x": "$x$", "y": "$y$", "v1": "$v_{1} = x y$",
        "v2": r"$v_{2} = \sin{\left(v_{1} \right)}$", "f": "$f = v_{1} + v_{2}$"}
    weights = {k: t.get_text() for k, t in gid_map(ax, "weight:").items()}
    assert weights == {"x->v1": "$y$", "y->v1": "$x$", "v1->v2": r"$\cos{\left(v_{1} \right)}$",
                       "v1->f": "$1$", "v2->f": "$1$"}


@pytest.mark.parametrize("graph", [intro, t1_graph, t3_graph,
                                   lambda: sb.build_graph(CATALOGUE[2][1])],
                         ids=["intro", "t1", "t3", "rosenbrock4"])
def test_nodes_are_layered_in_topological_order(graph):
    G = graph()
    ax = draw_graph(G)
    x = {k: t.get_position()[0] for k, t in gid_map(ax, "node:").items()}
    assert len(x) == len(G)
    for u, v in G.edges:
        assert x[str(u)] < x[str(v)], (u, v)
    inputs = [x[str(v)] for v in G.graph["inputs"]]
    assert max(x.values()) == x[str(G.graph["outputs"][0])]   # the output is rightmost
    assert min(x.values()) == min(inputs)                      # an input is leftmost


def test_highlighted_path_is_red_and_the_rest_grey():
    ax = draw_graph(intro(), highlight=["x", "v1", "v2", "f"])
    arrows = {a.get_gid(): a for a in ax.patches if isinstance(a, FancyArrowPatch)}
    assert len(arrows) == 5
    for name in ["edge:x->v1", "edge:v1->v2", "edge:v2->f"]:
        assert arrows[name].get_edgecolor() == RED
    for name in ["edge:y->v1", "edge:v1->f"]:
        assert arrows[name].get_edgecolor() == GREY
    assert gid_map(ax, "node:")["v2"].get_bbox_patch().get_edgecolor() == RED
    assert gid_map(ax, "node:")["y"].get_bbox_patch().get_edgecolor() != RED


def test_highlight_a_set_of_edges():
    x = sp.Symbol("x")
    ax = draw_graph(intro(), highlight={(x, sp.Symbol("v1"))})
    arrows = {a.get_gid(): a for a in ax.patches if isinstance(a, FancyArrowPatch)}
    assert [k for k, a in arrows.items() if a.get_edgecolor() == RED] == ["edge:x->v1"]


def test_highlight_back_substitution_step_k():
    G = t1_graph()
    steps = sb.differentiate(G).solutions[0].steps
    ax = draw_graph(G, highlight=2)                 # the third step solves for node 3
    assert steps[2].unknown == 2
    arrows = {a.get_gid(): a for a in ax.patches if isinstance(a, FancyArrowPatch)}
    assert [k for k, a in arrows.items() if a.get_edgecolor() == RED] == ["edge:3->4"]
    assert gid_map(ax, "node:")["3"].get_bbox_patch().get_edgecolor() == RED
    same = draw_graph(G, highlight=steps[2])        # the solver's record works the same
    assert [a.get_edgecolor() for a in same.patches if isinstance(a, FancyArrowPatch)] == \
        [a.get_edgecolor() for a in ax.patches if isinstance(a, FancyArrowPatch)]


@pytest.mark.parametrize("highlight, message", [
    (["x", "f"], "no edge x → f"), (["x", "zz"], "'zz' is not a node"),
    ({("f", "x")}, "is not an edge"), (9, "has 5 steps"), (2.5, "must be a path")])
def test_bad_highlights_are_render_errors(highlight, message):
    with pytest.raises(RenderError, match=message):
        draw_graph(intro(), highlight=highlight)


def test_weights_mathtext_cannot_render_fall_back_to_text():
    x = sp.Symbol("x")
    G = sb.build_graph(sp.Piecewise((x**2, x > 0), (0, True)) + x)
    weights = [t.get_text() for t in gid_map(draw_graph(G), "weight:").values()]
    assert any("Piecewise" in w and "$" not in w for w in weights)


def test_values_and_solved_nodes():
    G = t1_graph()
    ax = draw_graph(G, solved=[5], values={5: sp.Symbol("v5_bar")})
    assert gid_map(ax, "value:")["5"].get_text() == r"$\bar{v}_{5}$"
    assert gid_map(ax, "node:")["5"].get_bbox_patch().get_facecolor() == \
        to_rgba(STYLE["solved"][0])


def test_a_small_axes_shrinks_the_fonts():
    fig = Figure(figsize=(3, 1.5))
    ax = draw_graph(intro(), fig.add_axes((0, 0, 1, 1)))
    assert max(t.get_fontsize() for t in ax.texts) < 11
    assert draw_graph(intro()).texts[0].get_fontsize() == 11


def test_forty_node_graph_is_drawn_in_full_without_overlapping_boxes():
    program = "\n".join(["h0 = x"] + [f"h{k} = tanh(w{k}*h{k - 1}) + h{k - 1}"
                                      for k in range(1, 10)])
    G = sb.build_graph(program)
    assert 30 <= len(G) <= 40
    ax = draw_graph(G)
    ax.figure.canvas.draw()
    boxes = [t.get_bbox_patch().get_window_extent() for t in gid_map(ax, "node:").values()]
    assert len(boxes) == len(G) and len(gid_map(ax, "weight:")) == G.number_of_edges()
    for a, b in itertools.combinations(boxes, 2):
        assert not a.overlaps(b)


def test_two_hundred_nodes_draw_compactly_without_labels():
    program = "\n".join(["h0 = x"] + [f"h{k} = tanh(w{k}*h{k - 1} + h{max(k - 3, 0)})"
                                      for k in range(1, 52)])
    G = sb.build_graph(program)
    assert len(G) >= 200
    ax = draw_graph(G, highlight=["w1", "v1"])
    assert not gid_map(ax, "weight:") and not gid_map(ax, "node:")   # labels dropped …
    note = [t for t in ax.texts if t.get_gid() == "note"]
    assert "drawn without labels" in note[0].get_text()                # … and it says so
    (edges,) = [c for c in ax.collections if c.get_gid() == "edges"]
    assert isinstance(edges, LineCollection) and len(edges.get_segments()) == \
        G.number_of_edges() - 1
    (nodes,) = [c for c in ax.collections if c.get_gid() == "nodes"]
    assert isinstance(nodes, PathCollection)
    x = dict(zip(G, nodes.get_offsets()[:, 0], strict=True))
    assert all(x[u] < x[v] for u, v in G.edges)                        # still layered
    assert graph_size(G)[0] <= 17


def test_not_a_dag_is_an_error():
    import networkx as nx
    G = nx.DiGraph([(1, 2), (2, 1)])
    nx.set_edge_attributes(G, 1, "weight")
    with pytest.raises(sb.GraphError, match="cycle"):
        draw_graph(G)


def test_image_matches_the_baseline(tmp_path):
    """Pixels against a committed PNG, with DejaVu fonts only and no hinting, so the same
    packages draw the same picture on another machine; tolerance for small rasterisation
    differences. Regenerate: SYMBACKSLASH_REGENERATE_BASELINE=1."""
    expected = BASELINE / "graph_intro.png"
    actual = tmp_path / "graph_intro.png"
    with matplotlib.rc_context({"font.family": "DejaVu Sans", "mathtext.fontset": "dejavusans",
                                "text.hinting": "none"}):
        fig = Figure(figsize=(6.4, 2.6), dpi=80)
        draw_graph(intro(), fig.add_axes((0, 0, 1, 1)), highlight=["x", "v1", "v2", "f"])
        fig.savefig(actual, dpi=80, facecolor="white")
    if os.environ.get("SYMBACKSLASH_REGENERATE_BASELINE") == "1":
        expected.write_bytes(actual.read_bytes())
    assert compare_images(str(expected), str(actual), tol=8) is None


def test_operator_graph_weights_print_in_the_paper_notation():
    A, X = sp.MatrixSymbol("A", 2, 2), sp.MatrixSymbol("X", 2, 2)
    G = sb.build_graph(sp.Trace(A * X) + sp.log(sp.Determinant(X)))
    ax = draw_graph(G)
    weights = {k: t.get_text() for k, t in gid_map(ax, "weight:").items()}
    assert weights["A->V1"] == r"$\mathcal{R}_{X}$" and weights["X->V1"] == r"$\mathcal{L}_{A}$"
    assert weights["V1->v1"].endswith(r"^{T\bullet}$")  # the trace is the transpose-dot of I
    x = {k: t.get_position()[0] for k, t in gid_map(ax, "node:").items()}
    assert all(x[str(u)] < x[str(v)] for u, v in G.edges)
