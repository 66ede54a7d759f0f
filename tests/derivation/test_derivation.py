"""Derivations: generated from the solver's records, golden LaTeX for the 5-node graph and
the scalar MLP, documents
that compile with pdflatex, text that MathJax can show, the point ``at=`` and errors."""

import re
import shutil
import subprocess

import pytest
import sympy as sp
from examples import INTRO, T3_POINT, T3_WRT, a, b, c, d, t1_graph, t3_graph
from golden import check_golden

import symbackslash as sb
from symbackslash import InputError
from symbackslash.derivation.document import Derivation, TangentSymbol
from symbackslash.derivatives.program import AdjointSymbol
from symbackslash.printing.text import text


def rows_of(section):
    """The equation chains of a section's last Rows item."""
    return section.items[-1].chains


# --------------------------------------------------------------------------- from the records


@pytest.mark.parametrize("mode", ["reverse", "forward"])
def test_steps_are_the_solver_records(mode):
    result = sb.differentiate(INTRO, ["x", "y"], mode=mode)
    D = Derivation(result)
    for k, solution in enumerate(result.solutions):
        views = D.steps(k)
        assert [v.record for v in views] == list(solution.steps)
        assert [v.symbolic for v in views] == [s.result for s in solution.steps]
        assert [v.unknown for v in views] == [result.system.nodes[s.unknown]
                                              for s in solution.steps]
        # the printed section has one row per record, in the solver's order
        section = [s for s in D.sections if "substitution" in text(s.title)][k]
        chains = rows_of(section)
        assert len(chains) == len(solution.steps)
        assert [ch.parts[0] for ch in chains] == [v.symbol for v in views]


def test_unknown_symbols_are_adjoints_or_tangents():
    assert Derivation(sb.differentiate("x*y")).unknown_symbol(sp.Symbol("x")) == \
        AdjointSymbol(sp.Symbol("x"))
    forward = Derivation(sb.differentiate("x*y", mode="forward"))
    assert isinstance(forward.unknown_symbol(sp.Symbol("x")), TangentSymbol)
    assert sp.latex(TangentSymbol(sp.Symbol("v1"))) == r"\dot{v}_{1}"


def test_t1_values_appear_in_the_steps():
    D = sb.derivation(t1_graph())
    views = D.steps()
    assert [v.symbolic for v in views] == [1, d, c*d, b*c*d, a*c*d]
    assert text(rows_of(D.sections[4])[-1]) == "v1_bar = a*v3_bar = a*c*d"


# --------------------------------------------------------------------------- golden LaTeX


def test_golden_t1_latex():
    D = sb.derivation(t1_graph())
    tex = D.latex()
    # independent checks before the golden comparison: x = (acd, bcd, cd, d, 1)
    for row in [r"\bar{v}_{5} &= 1", r"\bar{v}_{4} &= d \bar{v}_{5} = d",
                r"\bar{v}_{3} &= c \bar{v}_{4} = c d", r"\bar{v}_{2} &= b \bar{v}_{3} = b c d",
                r"\bar{v}_{1} &= a \bar{v}_{3} = a c d"]:
        assert row in tex
    check_golden("t1_reverse.tex", tex)


def test_golden_t3_latex_at_the_point():
    D = sb.derivation(t3_graph(), T3_WRT, at=T3_POINT)
    tex = D.latex()
    gradient = rows_of(D.sections[-1])
    assert [ch.parts[-1] for ch in gradient] == [12, 12, 18, 2]  # docs/mathematics.md
    block = rows_of([s for s in D.sections if "Block form" in text(s.title)][0])
    lam = block[0].parts[-1]
    assert [lam.entries[(i, 0)] for i in range(3)] == [2, 1, 1]  # λ = (2, 1) and the loss node
    # L at the point: M = [[6, 6, 0, 0], [0, 0, 18, 2]] for (w1, b1, w2, b2), L~[x2, x1] = 2
    assert "6 & 0 & 6 & 0 & 12 & 0 & 0 & 0 & 0 \\\\" in tex
    assert "0 & 2 & 0 & 18 & 0 & 0 & 2 & 0 & 0 \\\\" in tex
    check_golden("t3_reverse_at_point.tex", tex)


def operator_example():
    """tr(AX) + log det X: matrix nodes, operator weights (ℒ, ℛ, the transpose-dot)."""
    A, X = sp.MatrixSymbol("A", 2, 2), sp.MatrixSymbol("X", 2, 2)
    return sb.derivation(sp.Trace(A * X) + sp.log(sp.Determinant(X)), [X])


def test_golden_operator_latex():
    tex = operator_example().latex()
    # independent checks: the weights print as operators, the step applies their adjoints
    # (ℒ_A → ℒ_{Aᵀ}, the transpose-dot → the embedding ℰ), and ∇X = X^{-T} + Aᵀ
    assert r"\mathcal{L}_{A}" in tex and r"\mathcal{R}_{X}" in tex
    assert r"\bar{X} &= \mathcal{L}_{A^{T}} \bar{V}_{1}" in tex
    assert r"= \left(X^{T}\right)^{-1} + A^{T}" in tex
    check_golden("operator_reverse.tex", tex)


def test_golden_intro_forward_text():
    check_golden("intro_forward.txt", sb.derivation(INTRO, ["x", "y"], mode="forward").text())


def system_rows(text: str, title: str) -> list[str]:
    """The lines of the printed system (I - L)^T xbar = e under ``title``."""
    lines = text.split(title, 1)[1].splitlines()[1:]
    return lines[:next(k for k, line in enumerate(lines) if "solved one row" in line)]


def test_every_row_of_a_printed_system_lines_up():
    """The unknowns and e sit on the rows of the matrix (the block rule counts as a row in
    all three): for sin(xy) + xy the 1 of e is on the row of f, x_bar on the row of x."""
    x, y = sp.symbols("x y")
    shown = sb.derivation(sp.sin(x*y) + x*y, [x, y]).text()
    rows = system_rows(shown, "5. Back substitution")
    S = sb.triangular_system(sb.build_graph(sp.sin(x*y) + x*y))
    assert len(rows) == S.n + 1 and "----" in rows[2]
    matrix_rows = [r for r in rows if "----" not in r]
    for k, (row, node) in enumerate(zip(matrix_rows, S.nodes, strict=True)):
        assert re.search(rf"\[ +{node}_bar +\]", row)
        assert re.search(r"\[ 1 \]$" if k == S.n - 1 else r"\[ 0 \]$", row.rstrip())
        assert (" = " in row) == (k == 2)
    check_golden("intro_reverse_expression.txt", shown)


def test_golden_matrix_text_with_its_legend():
    shown = operator_example().text()
    legend = shown.split("Notation (docs/mathematics.md)", 1)[1]
    assert "x_bar" in legend and "L_A, R_A, H_A, Id" in legend and "tdot(G)" in legend
    check_golden("operator_reverse.txt", shown)


def test_the_legend_shows_the_notation_used():
    forward = sb.derivation(INTRO, ["x", "y"], mode="forward")
    legend = forward.text().split("Notation", 1)[1]
    assert "x_dot" in legend and "x_bar" not in legend and "L_A" not in legend
    assert r"\dot{x}" in forward.latex().split("Notation", 1)[1]


# --------------------------------------------------------------------------- documents


def compile_pdf(tex: str, directory) -> subprocess.CompletedProcess:
    path = directory / "derivation.tex"
    path.write_text(tex, encoding="utf-8")
    return subprocess.run(["pdflatex", "-halt-on-error", "-interaction=nonstopmode",
                           path.name], cwd=directory, capture_output=True, text=True, timeout=120)


DOCUMENTS = {
    "intro_reverse": lambda: sb.derivation(INTRO, ["x", "y"]),
    "t1_hand_made_graph": lambda: sb.derivation(t1_graph()),
    "t3_at_point": lambda: sb.derivation(t3_graph(), T3_WRT, at=T3_POINT),
    "forward_mode": lambda: sb.derivation("sin(x*y) + x*y", mode="forward"),
    "operators": operator_example,
    "jacobian_greek_names": lambda: Derivation(sb.differentiate(
        ["alpha_bar*theta2 + loss", "sin(W1)*x_1"], ["alpha_bar", "theta2", "W1", "x_1"])),
}


@pytest.mark.parametrize("name", list(DOCUMENTS))
def test_document_compiles_with_pdflatex(name, tmp_path):
    if shutil.which("pdflatex") is None:
        pytest.skip("pdflatex is not installed (Debian: texlive-latex-base, "
                    "texlive-latex-recommended); .ci/run installs it")
    result = compile_pdf(DOCUMENTS[name]().document(), tmp_path)
    assert result.returncode == 0, result.stdout[-3000:]
    assert (tmp_path / "derivation.pdf").stat().st_size > 1000


def test_document_structure():
    tex = sb.derivation(INTRO).document()
    assert tex.startswith(r"\documentclass") and tex.rstrip().endswith(r"\end{document}")
    assert tex.count(r"\subsection*") == 8   # 7 sections and the notation
    assert r"\section*{Derivatives of $f$ by back substitution}" in tex


# --------------------------------------------------------------------------- LaTeX for MathJax


def test_latex_fragment_is_mathjax_safe_and_is_the_notebook_repr():
    D = sb.derivation("sin(x*y) + x*y")
    tex = D.latex()
    assert D._repr_latex_() == tex
    assert tex.count(r"\begin{align*}") == tex.count(r"\end{align*}") == 8  # and the notation
    # prose inside \text{...} must not need TeX (MathJax shows text-mode macros verbatim)
    for words in re.findall(r"\\text(?:bf)?\{([^{}]*)\}", tex):
        assert not re.search(r"[\\_^~$&#%]", words), words
    assert r"\subsection" not in tex and "$" not in tex


def test_names_with_digits_underscores_and_greek_letters():
    D = Derivation(sb.differentiate("alpha_bar*theta2 + W1*x_1", ["alpha_bar", "theta2"]))
    tex = D.latex()
    for piece in [r"\bar{\alpha}", r"\theta_{2}", r"W_{1}", r"x_{1}",
                  r"\bar{\bar{\alpha}} &= \theta_{2}", r"\bar{\theta}_{2} &= \bar{\alpha}"]:
        assert piece in tex


# --------------------------------------------------------------------------- contents


def test_sections_in_reverse_and_forward_mode():
    reverse = [text(s.title) for s in sb.derivation(INTRO).sections]
    assert reverse == ["1. The function", "2. Nodes and local partials (the weights of the edges)",
                       "3. The matrix L of local partials, L[i, j] = dv_i/dv_j",
                       "4. The matrix (I - L)^T", "5. Back substitution on (I - L)^T xbar = e_5",
                       "6. Block form: equation (1) of the paper", "7. The gradient"]
    forward = [text(s.title) for s in sb.derivation(INTRO, mode="forward").sections]
    assert forward[3:6] == ["4. The matrix (I - L)",
                            "5. Forward substitution on (I - L) xdot = e_1 (derivatives by x)",
                            "6. Forward substitution on (I - L) xdot = e_2 (derivatives by y)"]


def test_program_table_and_partials():
    out = sb.derivation(INTRO).text()
    assert "(3)  a = x*y" in out and "(5)  f = a + b" in out
    assert "da/dx = y, da/dy = x" in out and "db/da = cos(a)" in out


def test_gradient_is_simplified_only_where_it_helps():
    rows = rows_of(sb.derivation("(x**2 - 1)/(x - 1) + y", ["x", "y"]).sections[-1])
    assert rows[0].parts[-1] == 1          # simplify found the closed form 1
    assert text(rows[1]) == "df/dy = y_bar = 1"


def test_the_budget_goes_to_the_smallest_closed_forms_first():
    # df/dy is a closed form SymPy's simplify works on for seconds without result; df/dx,
    # listed after it, is smaller and simplified first
    f = "(x**2 - 1)/(x - 1) + tanh(b + w*tanh(c + v*y + u*z) + s*tanh(d + q*y + p*z))"
    with sb.limits(simplify_seconds=0.5):
        rows = rows_of(sb.derivation(f, ["y", "x"]).sections[-1])
    assert rows[1].parts[-1] == 1
    assert len(rows[0].parts) == 4         # d/dy, y_bar, in node symbols, in the inputs


def test_simplification_respects_the_time_budget():
    with sb.limits(simplify_seconds=1e-6):
        rows = rows_of(sb.derivation("(x**2 - 1)/(x - 1) + y", ["x", "y"]).sections[-1])
    assert rows[0].parts[-1] != 1          # no time to simplify: the closed form stays


def test_absent_variable_and_jacobian():
    with pytest.warns(sb.UnusedVariableWarning, match="z does not occur"):
        D = sb.derivation("x*y", ["x", "z"], mode="forward")
    titles = [text(s.title) for s in D.sections]
    assert "6. The variable z does not occur" in titles
    J = Derivation(sb.differentiate(["x*y", "x + y"], ["x", "y"]))
    assert text(J.sections[-1].title).endswith("The Jacobian")
    assert len(rows_of(J.sections[-1])) == 4


def test_large_graphs_do_not_write_out_matrices():
    D = sb.derivation(INTRO, max_dense=4)
    assert not any("Grid" in repr(item) for s in D.sections for item in s.items[:-1])
    assert "5 nodes: the matrices are not written out" in D.text()
    assert "(1)  x_bar = y*a_bar" in D.text()  # the steps are all there


def test_point_values_in_table_matrices_and_steps():
    D = sb.derivation(INTRO, at={"x": 2, sp.Symbol("y"): sp.Rational(1, 2)})
    out = D.text()
    assert "a_bar = cos(a)*b_bar + f_bar = cos(a) + 1 = cos(x*y) + 1 = 1.5403" in out
    assert "at the point:" in out


def test_point_errors_name_the_variable():
    with pytest.raises(InputError, match="'z' is not a variable"):
        sb.derivation("x*y", at={"z": 1})
    with pytest.raises(InputError, match="value of x must be a number"):
        sb.derivation("x*y", at={"x": "1"})
    with pytest.raises(InputError, match="value of x must be a number"):
        sb.derivation("x*y", at={"x": sp.Symbol("q")})
    with pytest.raises(InputError, match="mapping"):
        sb.derivation("x*y", at=[1, 2])


def test_t1_weights_can_be_given_values():
    D = sb.derivation(t1_graph(), at={"a": 2, "b": 3, "c": 5, "d": 7})
    assert [ch.parts[-1] for ch in rows_of(D.sections[-1])] == [70, 105]


@pytest.mark.parametrize("mode, name, unknown", [("reverse", "x_bar", "x_adj"),
                                                 ("forward", "x_dot", "x_tan")])
def test_unknowns_are_not_named_like_a_variable(mode, name, unknown):
    d = sb.derivation(f"{name} = 2*x; f = {name}*x", wrt=["x"], mode=mode)
    assert d.suffix == unknown[1:]
    text = d.text()
    assert f"{unknown} = " in text and f"{name}_{unknown[2:]}" in text
    assert "x_{\\mathrm{" + unknown[2:] + "}}" in d.latex()


def test_a_hand_made_graph_is_shown_at_a_point():
    import networkx as nx
    G = nx.DiGraph()
    G.add_edge("x", "f", weight=sp.Symbol("a"))
    G.add_edge("a", "f", weight=sp.Symbol("x"))
    d = sb.derivation(G, at={"x": 1, "a": 2})
    # f's local partials are a and x: an independent reading of the graph
    assert "df/dx = x_bar = a = 2" in d.text() and "df/da = a_bar = x = 1" in d.text()


@pytest.mark.parametrize("at, message", [
    ({"x": 1, "y": 2, "a": 5}, "a is an intermediate node, computed from the inputs"),
    ({"x": 1, "y": 2, "f": 5}, "f is the output, computed from the inputs"),
    ({"x": 1, sp.Symbol("x"): 2, "y": 1}, "x is given twice"),
])
def test_a_point_gives_each_input_once_and_nothing_else(at, message):
    with pytest.raises(InputError, match=message):
        sb.derivation("a = x*y; f = sin(a)", at=at)


def test_a_doubling_program_s_derivation_writes_out_only_what_is_small():
    # x_k = sin(x_{k-1})·x_{k-1}, 13 lines (27 nodes): the function and the results of the
    # steps in node symbols double with every line; written out they made the text 750,000
    # characters (lines of 170,000) and took 20–30 s. Past TIDY_PARTS they are left out
    # (the function says how long it would be), and the derivation stays a page.
    from symbackslash.examples import sin_chain_program
    d = sb.derivation(sin_chain_program(13))
    text = d.text()
    assert max(map(len, text.splitlines())) < 6_000 and len(text) < 40_000
    assert "parts written out: see the program below" in text
    assert "(1)  x0_bar = cos(x0)*v1_bar + v1*x1_bar" in text  # every step's row is there
    assert len(d.latex()) < 100_000
