"""The printers: symbol names, the derivation pieces, entries that print themselves."""

import pytest
import sympy as sp
from names import NAMES

import symbackslash as sb
from symbackslash.derivatives.program import AdjointSymbol
from symbackslash.printing.latex import LatexPrinter, latex, node_symbol, symbol_latex
from symbackslash.printing.pieces import (
    Chain,
    Combination,
    Grid,
    Notation,
    Partial,
    Phrase,
    Rows,
    Section,
    Table,
)
from symbackslash.printing.text import text


@pytest.mark.parametrize("name, expected", NAMES)
def test_symbol_names(name, expected):
    assert symbol_latex(name) == expected
    assert latex(sp.Symbol(name)) == expected


def test_adjoint_symbols_print_the_same_with_sympy_and_our_printer():
    for name in ["v1", "x_1", "theta2", "W1", "loss", "a_bar"]:
        adjoint = AdjointSymbol(sp.Symbol(name))
        assert sp.latex(adjoint) == latex(adjoint) == symbol_latex(name + "_bar")


def test_bold_style_and_symbol_names_setting():
    assert latex(sp.MatrixSymbol("W1", 2, 2), mat_symbol_style="bold") == r"\mathbf{W}_{1}"
    x = sp.Symbol("x")
    assert latex(x + 1, symbol_names={x: r"\xi"}) == r"\xi + 1"


def test_node_symbols():
    assert node_symbol(3) == sp.Symbol("v3")
    assert node_symbol("h") == sp.Symbol("h")
    x = sp.Symbol("x", positive=True)
    assert node_symbol(x) is x


def test_combination_signs_and_parentheses():
    x, u, w = sp.symbols("x u w")
    c = Combination(0, [(sp.cos(x), u), (-1, w), (x + 1, u), (-3*x, w), (1, u)])
    assert latex(c) == r"\cos{\left(x \right)} u - w + \left(x + 1\right) u - 3 x w + u"
    assert text(c) == "cos(x)*u - w + (x + 1)*u - 3*x*w + u"
    assert text(Combination(1, [])) == "1" and text(Combination(2, [(x, u)])) == "2 + x*u"
    assert text(Combination(0, [(-1, u)])) == "-u"


class Operator:
    """Not a SymPy object: an entry that brings its own printer hooks (like an operator)."""

    def _latex(self, printer):
        return r"\mathcal{L}_{B}"

    def _sympystr(self, printer):
        return "L_B"


def test_entries_print_themselves_through_the_printer():
    op = Operator()
    g = Grid({(1, 0): op}, (2, 2), 1)
    assert r"\mathcal{L}_{B}" in latex(g)
    assert "L_B" in text(g)
    assert latex(Combination(0, [(op, AdjointSymbol(sp.Symbol("X")))])) == \
        r"\mathcal{L}_{B} \bar{X}"


def test_grid_marks_the_source_block():
    y = sp.Symbol("y")
    tex = latex(Grid({(2, 0): y, (0, 0): 1}, (3, 3), 2))
    assert tex.startswith(r"\left[\begin{array}{cc|c}")
    assert tex.splitlines()[3] == r"\hline"
    lines = text(Grid({(2, 0): y}, (3, 3), 2, labels=sp.symbols("a b c"))).splitlines()
    assert lines[0].split() == ["a", "b", "c"]
    assert lines[3] == "  [ ----+-- ]"
    assert lines[4] == "c [ y 0 | 0 ]"


def test_text_chains_set_matrices_side_by_side():
    out = text(Chain(sp.Symbol("M"), Grid({(0, 0): 1, (1, 1): 1}, (2, 2))))
    assert out.splitlines() == ["M = [ 1 0 ]", "    [ 0 1 ]"]


def test_sections_for_notebooks_and_for_documents():
    x = sp.Symbol("x")
    section = Section(Phrase("Steps on ", Notation(r"\mathbf{A}", "A")),
                      (Phrase("words and ", x), Rows((Chain(x, 1, 2),), ("(1)",)),
                       Table(("k", "value"), (("1", x),))))
    fragment = latex(section)
    assert fragment.startswith("\\begin{align*}\n&\\textbf{Steps on }\\mathbf{A}\\\\")
    assert r"\text{(1)}\quad x &= 1 = 2" in fragment
    assert r"\begin{array}{ll}" in fragment
    document = LatexPrinter({"document": True}).doprint(section)
    assert document.startswith(r"\subsection*{Steps on $\mathbf{A}$}")
    assert "words and $x$" in document and r"\begin{align*}" in document
    assert r"\resizebox" in document  # the table shrinks to the line width if it is wider


def test_long_chains_break_in_documents():
    x = sp.Symbol("x")
    long = Rows((Chain(x, *[sp.Symbol(f"y{k}") + k for k in range(40)]),))
    out = LatexPrinter({"document": True, "line_chars": 60}).doprint(
        Section(Phrase("t"), (long,)))
    assert out.count("&= ") == 40


def test_partial_and_prose_escaping():
    assert latex(Partial(sp.Symbol("f"), sp.Symbol("x_1"))) == \
        r"\frac{\partial f}{\partial x_{1}}"
    assert text(Partial(sp.Symbol("f"), sp.Symbol("x"))) == "df/dx"
    assert latex(Phrase("50% of a_b")) == r"\text{50\% of a\_b}"


X_ = sp.MatrixSymbol("X", 2, 3)
Z_ = sp.Dummy("z")


@pytest.mark.parametrize("expr, plain, tex", [
    (X_.applyfunc(sp.tanh), "tanh.(X)", r"\tanh.\!\left(X\right)"),
    (sp.Transpose(X_.applyfunc(sp.exp)), "exp.(X).T", r"\left(\exp.\!\left(X\right)\right)^{T}"),
    (sp.MatrixSymbol("A", 2, 3).applyfunc(sp.Function("h")), "h.(A)", r"h.\!\left(A\right)"),
    (X_.applyfunc(sp.Lambda(Z_, 1 - sp.tanh(Z_)**2)), "(z -> 1 - tanh(z)**2).(X)",
     r"\left(z \mapsto 1 - \tanh^{2}{\left(z \right)}\right).\!\left(X\right)"),
    (sp.HadamardProduct(X_, 2 * X_ + sp.MatrixSymbol("B", 2, 3)), "X .* (B + 2*X)",
     r"X \circ \left(B + 2 X\right)"),
])
def test_elementwise_functions_in_the_papers_broadcast_notation(expr, plain, tex):
    assert text(expr) == plain
    assert latex(expr) == tex


def test_deep_matrix_results_print_in_linear_time_or_are_refused():
    net = sb.mlp([3] * 21, batch=2, activations=["tanh"] * 20)
    first = sb.gradient(net.loss, net.parameters)[0]
    text = sb.text(first)                     # SymPy's own printers negate every product
    assert text.count("W20.T") == 1 and ".* (W2.T*(" in text
    deep = sb.mlp([3] * 101, batch=2, activations=["tanh"] * 100)
    with pytest.raises(sb.ResourceLimitError):
        sb.latex(sb.gradient(deep.loss, deep.parameters)[0])
