"""The matrix figures: typeset entries in node order, the block split, the pattern of large
systems, the system of a storyboard frame, and entries that are not scalars."""

import dataclasses

import pytest
import sympy as sp
from examples import t1_graph, t3_graph
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle

import symbackslash as sb
from symbackslash import RenderError, TriangularSystem
from symbackslash.render import draw_matrix, draw_system
from symbackslash.render.matrix_figure import SHADE

a, b, c, d = sp.symbols("a b c d")


def entries(ax, prefix="entry:"):
    result = {}
    for t in ax.texts:
        gid = t.get_gid() or ""
        if gid.startswith(prefix):
            i, j = map(int, gid[len(prefix):].split(","))
            result[(i, j)] = t
    return result


@pytest.mark.parametrize("which, expected", [
    ("L", {(2, 0): "$a$", (2, 1): "$b$", (3, 2): "$c$", (4, 3): "$d$"}),
    ("(I-L)^T", {(0, 2): "$- a$", (1, 2): "$- b$", (2, 3): "$- c$", (3, 4): "$- d$",
                 **{(k, k): "$1$" for k in range(5)}}),
    ("I - L", {(2, 0): "$- a$", (2, 1): "$- b$", (3, 2): "$- c$", (4, 3): "$- d$",
               **{(k, k): "$1$" for k in range(5)}}),
])
def test_typeset_entries_in_node_order(which, expected):
    ax = draw_matrix(t1_graph(), which)
    texts = entries(ax)
    assert len(texts) == 25                                   # zeros are written too
    nonzero = {k: t.get_text() for k, t in texts.items() if t.get_text() != "0"}
    assert nonzero == expected
    assert all(t.get_color() == SHADE["zero"] for k, t in texts.items() if k not in expected)
    upper = which == "(I-L)^T"                                 # the triangle is visible
    assert all((i <= j) if upper else (i >= j) for i, j in nonzero)


def test_rows_columns_are_labelled_and_the_source_block_is_marked():
    ax = draw_matrix(t1_graph(), "L")
    rows = sorted((t for t in ax.texts if (t.get_gid() or "").startswith("row:")),
                  key=lambda t: -t.get_position()[1])
    assert [t.get_text() for t in rows] == [f"$v_{{{k}}}$" for k in range(1, 6)]
    splits = [line for line in ax.lines if line.get_gid() == "split"]
    assert len(splits) == 2 and all(line.get_linestyle() == "--" for line in splits)
    texts = entries(ax)
    vertical = next(line for line in splits if len(set(line.get_xdata())) == 1)
    x_split = vertical.get_xdata()[0]
    assert texts[(0, 1)].get_position()[0] < x_split < texts[(0, 2)].get_position()[0]
    blocks = [t for t in ax.texts if t.get_gid() == "blocks"]
    assert r"$\tilde{L}$" in blocks[0].get_text()


def test_highlighted_row_and_cells():
    ax = draw_matrix(t1_graph(), "(I-L)^T", highlight_row=2, highlight_cells={(2, 3)})
    band = [p for p in ax.patches if p.get_gid() == "highlight-row"]
    assert len(band) == 1 and isinstance(band[0], Rectangle)
    y = entries(ax)[(2, 3)].get_position()[1]
    assert band[0].get_y() < y < band[0].get_y() + band[0].get_height()
    assert entries(ax)[(2, 3)].get_color() == SHADE["cell"]


def test_large_systems_draw_their_pattern():
    program = "\n".join(["h0 = x"] + [f"h{k} = tanh(w{k}*h{k - 1})" for k in range(1, 30)])
    S = sb.triangular_system(sb.build_graph(program))
    ax = draw_matrix(S, "(I-L)^T")
    assert not entries(ax)
    (weights,) = [line for line in ax.lines if line.get_gid() == "weights"]
    assert isinstance(weights, Line2D) and len(weights.get_xdata()) == len(S.entries)
    assert all(j > i for i, j in zip(weights.get_ydata(), weights.get_xdata(), strict=True))
    assert "nonzero weights" in ax.get_xlabel()


def test_typeset_can_be_forced_or_refused():
    program = "\n".join(["h0 = x"] + [f"h{k} = tanh(w{k}*h{k - 1})" for k in range(1, 6)])
    S = sb.triangular_system(sb.build_graph(program))
    assert S.n > 14                                       # past the default max_typeset
    assert len(entries(draw_matrix(S, "(I-L)^T", typeset=True))) == S.n ** 2
    assert not entries(draw_matrix(S, "(I-L)^T"))
    assert not entries(draw_matrix(t1_graph(), "L", typeset=False))


def test_unknown_matrix_or_input():
    with pytest.raises(RenderError, match="unknown matrix 'M'"):
        draw_matrix(t1_graph(), "M")
    with pytest.raises(RenderError, match="TriangularSystem or a computational graph"):
        draw_matrix([[1, 0], [0, 1]])


@dataclasses.dataclass(frozen=True)
class Op:
    """A stand-in for a linear-operator entry: not a SymPy object, prints itself."""

    name: str
    sign: int = 1

    def __neg__(self):
        return Op(self.name, -self.sign)

    def _latex(self, printer):
        return ("-" if self.sign < 0 else "") + r"\mathcal{L}_{%s}" % self.name

    def _sympystr(self, printer):
        return ("-" if self.sign < 0 else "") + f"L_{self.name}"


def test_entries_that_are_not_scalars_print_themselves():
    G = t1_graph()
    S = sb.triangular_system(G)
    S = dataclasses.replace(S, entries={**S.entries, (2, 0): Op("B")})
    assert isinstance(S, TriangularSystem)
    assert entries(draw_matrix(S, "L"))[(2, 0)].get_text() == r"$\mathcal{L}_{B}$"
    assert entries(draw_matrix(S, "(I-L)^T"))[(0, 2)].get_text() == r"$-\mathcal{L}_{B}$"


def test_system_frame():
    r = sb.differentiate(t1_graph())
    step = r.solutions[0].steps[2]                      # solves row 3 (index 2)
    ax = draw_system(r.system, step=step, known={4: 1, 3: d, 2: c*d})
    unknowns = entries(ax, "unknown:")
    assert [unknowns[(k, 0)].get_text() for k in range(5)] == \
        [r"$\bar{v}_{1}$", r"$\bar{v}_{2}$", "$c d$", "$d$", "$1$"]
    assert unknowns[(2, 0)].get_color() == SHADE["cell"]
    assert [entries(ax, "rhs:")[(k, 0)].get_text() for k in range(5)] == ["$0$"] * 4 + ["$1$"]
    assert {k for k, t in entries(ax).items() if t.get_color() == SHADE["cell"]} == \
        {(2, 2), (2, 3)}
    forward = draw_system(r.system, mode="forward")
    assert entries(forward, "unknown:")[(0, 0)].get_text() == r"$\dot{v}_{1}$"
    assert entries(forward, "rhs:")[(0, 0)].get_text() == "$1$"
    with pytest.raises(RenderError, match="mode"):
        draw_system(r.system, mode="sideways")


def test_t3_matrix_fits_its_entries():
    ax = draw_matrix(t3_graph())
    ax.figure.canvas.draw()
    boxes = [t.get_window_extent() for t in entries(ax).values()]
    for k, box in enumerate(boxes):
        assert not any(box.overlaps(other) for other in boxes[k + 1:])


def test_operator_entries_and_their_adjoints():
    A, X = sp.MatrixSymbol("A", 2, 2), sp.MatrixSymbol("X", 2, 2)
    G = sb.build_graph(sp.Trace(A * X) + sp.log(sp.Determinant(X)))
    L = {k: t.get_text() for k, t in entries(draw_matrix(G, "L")).items()}
    assert L[(2, 0)] == r"$\mathcal{R}_{X}$" and L[(2, 1)] == r"$\mathcal{L}_{A}$"
    # (I - L)^T: the pattern transposed, each entry replaced by its adjoint, the identity
    # operator on the matrix nodes' diagonal
    U = {k: t.get_text() for k, t in entries(draw_matrix(G, "(I-L)^T")).items()}
    assert U[(0, 2)] == r"$-\mathcal{R}_{X^{T}}$" and U[(1, 2)] == r"$-\mathcal{L}_{A^{T}}$"
    assert U[(0, 0)] == U[(1, 1)] == U[(2, 2)] == r"$\mathcal{I}$"


def test_draw_system_refuses_a_system_too_large_to_typeset():
    program = "\n".join(["a0 = x*y"] + [f"a{k} = sin(a{k - 1})*y" for k in range(1, 30)])
    with pytest.raises(sb.RenderError, match="the system has 61 nodes, more than draw_system "
                                             "typesets \\(40"):
        sb.draw_system(sb.build_graph(program))


def test_the_pattern_numbers_nodes_from_1_like_the_derivations():
    program = "\n".join(["h0 = x"] + [f"h{k} = tanh(w{k}*h{k - 1})" for k in range(1, 12)])
    S = sb.triangular_system(sb.build_graph(program))
    ax = draw_matrix(S, "(I-L)^T", typeset=False)
    ax.figure.canvas.draw()
    ticks = {float(t.get_text()): v
             for t, v in zip(ax.get_xticklabels(), ax.get_xticks(), strict=True)
             if t.get_text()}
    assert ticks and all(number == position + 1 for number, position in ticks.items())


def test_the_pattern_numbers_whole_nodes_from_one():
    # Before: ticks at 3.5, 8.5 … (matplotlib's default locator on node positions)
    ax = sb.draw_matrix(sb.build_graph("a = x\n" + "a = sin(a) + a\n" * 10), "(I-L)^T")
    ax.figure.canvas.draw()
    low, high = sorted(ax.get_xlim())
    shown = [t.get_text() for t in ax.get_xticklabels() if low <= t.get_position()[0] <= high]
    assert shown and all(s.isdigit() for s in shown) and shown[0] == "1"
