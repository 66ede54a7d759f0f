"""The path-sum figure: one panel per path with its product, and their sum."""

import pytest
import sympy as sp
from examples import t1_graph, t2_graph
from matplotlib.colors import to_rgba
from matplotlib.patches import FancyArrowPatch

import symbackslash as sb
from symbackslash import RenderError
from symbackslash.render import draw_path_sum
from symbackslash.render.graph_figure import STYLE


def texts(fig):
    return {t.get_gid(): t.get_text() for t in fig.texts}


def test_t2_four_paths_and_their_sum():
    G = t2_graph()
    fig = draw_path_sum(G, 1, 4, columns=2)
    panels = [ax for ax in fig.axes if ax.get_gid() == "path"]
    assert len(panels) == 4
    found = texts(fig)
    routes = sorted(found[f"route:{k}"] for k in range(4))
    assert routes == [r"path 1:  $v_{1} \to v_{2} \to v_{3} \to v_{4}$",
                      r"path 2:  $v_{1} \to v_{2} \to v_{4}$",
                      r"path 3:  $v_{1} \to v_{3} \to v_{4}$", r"path 4:  $v_{1} \to v_{4}$"]
    products = {found[f"product:{k}"] for k in range(4)}
    assert r"$c_{3} \cdot b_{2} \cdot a_{1} = a_{1} b_{2} c_{3}$" in products
    assert "$c_{1}$" in products
    # the sum is entry [4, 1] of (I - L)^-1 (the complete 4-node graph), computed independently here
    a1, b1, b2, c1, c2, c3 = sp.symbols("a1 b1 b2 c1 c2 c3")
    assert sp.expand(sb.neumann_inverse(G)[3, 0] - (a1*b2*c3 + a1*c2 + b1*c3 + c1)) == 0
    assert found["sum"] == (r"$\frac{\partial v_{4}}{\partial v_{1}} = "
                            r"a_{1} b_{2} c_{3} + a_{1} c_{2} + b_{1} c_{3} + c_{1}$")
    assert "4 paths" in found["note"]


def test_each_panel_highlights_its_path():
    fig = draw_path_sum(t1_graph(), 2, 5)
    (panel,) = [ax for ax in fig.axes if ax.get_gid() == "path"]
    red = sorted(a.get_gid() for a in panel.patches if isinstance(a, FancyArrowPatch)
                 and a.get_edgecolor() == to_rgba(STYLE["highlight"]))
    assert red == ["edge:2->3", "edge:3->4", "edge:4->5"]
    assert texts(fig)["sum"] == r"$\frac{\partial v_{5}}{\partial v_{2}} = b c d$"


def test_defaults_names_and_limits():
    fig = draw_path_sum("sin(x*y) + x*y")              # first input x → output f
    assert texts(fig)["sum"].startswith(r"$\frac{\partial f}{\partial x}")
    many = draw_path_sum(t2_graph(), 1, 4, max_paths=2)
    assert len([ax for ax in many.axes if ax.get_gid() == "path"]) == 2
    assert "2 not drawn" in texts(many)["note"]
    assert "a_{1} b_{2} c_{3} + a_{1} c_{2} + b_{1} c_{3} + c_{1}" in texts(many)["sum"]


def test_no_path_and_bad_nodes():
    fig = draw_path_sum(t1_graph(), 1, 2)
    assert "no path" in texts(fig)["note"] and texts(fig)["sum"].endswith("= 0$")
    with pytest.raises(RenderError, match="the source 'q' is not a node"):
        draw_path_sum(t1_graph(), "q", 5)


def test_a_graph_with_two_to_the_forty_paths_draws_only_what_it_shows():
    from sandbox import run_capped
    out = run_capped("""
        import matplotlib
        matplotlib.use("Agg")
        program = "\\n".join(["a0 = x"] + [f"a{k} = a{k - 1} + a{k - 1}*y" for k in range(1, 41)])
        fig = sb.draw_path_sum(program, "x", max_paths=3)
        print(sum(ax.get_gid() == "path" for ax in fig.axes))
        print(next(t.get_text() for t in fig.texts if t.get_gid() == "note").split(":")[0])
    """, memory_mb=2500, timeout=120)
    count, note = out.splitlines()
    assert count == "3"
    assert note == f"sum over {2**40:,} paths, {2**40 - 3:,} not drawn (the graphs of 83 nodes " \
                   f"are drawn without labels)"


def test_long_paths_get_titles_that_fit_their_panels():
    # Before: 40 doubling lines gave a 16,135-pixel-wide figure whose panel titles (each
    # path's 80 nodes and weights) ran over one another.
    import matplotlib
    matplotlib.use("Agg")
    G = sb.build_graph("a = x\n" + "a = sin(a)*cos(a)\n" * 40)
    fig = sb.draw_path_sum(G, "x", max_paths=3)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    panel = next(ax for ax in fig.axes if ax.get_gid() == "path").get_window_extent().width
    titles = [t for t in fig.texts if t.get_gid().startswith(("route:", "product:"))]
    assert len(titles) == 6 and all(r"\cdots" in t.get_text() for t in titles)
    assert all(t.get_window_extent(renderer).width <= panel for t in titles)
    assert max(fig.get_size_inches() * fig.dpi) < 4000
    assert not [t for ax in fig.axes for t in ax.texts if t.get_gid() == "note"]
