"""Derivations by elimination: every step shown as the Gauss step it is, generated from the
recorded steps, in text and LaTeX; the Jacobian shown is the elimination's."""

import pytest
import sympy as sp
from examples import t1_graph

import symbackslash as sb
from symbackslash.derivation.elimination import EliminationDerivation

x, y, z = sp.symbols("x y z")
BOTTLENECK = [sp.exp(sp.sin(x*y*z))*v for v in (x, y, z)]


@pytest.mark.parametrize("order, cost", [("forward", 4), ("reverse", 3)])
def test_t1_two_orders_two_costs(order, cost):
    d = sb.derivation(t1_graph(), order=order)
    assert isinstance(d, EliminationDerivation)
    text = d.text()
    assert f"{cost} multiplications in all" in text
    assert text.count("Step ") == 2 and "dv5/dv1 = a*c*d" in text
    first = "eliminate v3" if order == "forward" else "eliminate v4"
    assert f"4. Step 1: {first}" in text


def test_every_update_and_the_jacobian_are_shown():
    E = sb.eliminate(BOTTLENECK, order="markowitz")
    d = sb.derivation(BOTTLENECK, order="markowitz")
    text = d.text()
    updates = sum(len(step.updates) for step in E.steps)
    assert text.count(" = ") >= updates
    assert text.count("(fill-in)") == sum(len(step.fill_in) for step in E.steps)
    for out, row in zip(E.outputs, E.jacobian.tolist(), strict=True):
        for var, entry in zip(E.wrt, row, strict=True):
            assert f"d{out}/d{var} = " in text
            assert entry.equals(sp.diff(BOTTLENECK[E.outputs.index(out)], var))
    latex = d.latex()
    assert latex.count(r"\begin{align*}") == len(d.sections) and "Step 3" in latex


def test_outputs_that_feed_others_keep_their_row():
    text = sb.derivation([x*y, sp.sin(x*y)], order="forward").text()
    assert "is an output: its row stays" in text


def test_at_and_mode_are_refused_with_an_order():
    with pytest.raises(sb.InputError, match="leave out at= and mode="):
        sb.derivation(t1_graph(), order="forward", at={"a": 1})


def test_the_document_compiles(tmp_path):
    d = sb.derivation(BOTTLENECK, order="markowitz")
    document = d.document()
    assert all(f"{k}. " in document for k in range(1, len(d.sections) + 1))
    assert "13 multiplications" in document
    if not sb.pdflatex_available():
        pytest.skip("pdflatex is not installed (Debian: texlive-latex-base, "
                    "texlive-latex-recommended); .ci/run installs it")
    assert sb.save_pdf(d, tmp_path / "elimination.pdf").read_bytes().startswith(b"%PDF")
