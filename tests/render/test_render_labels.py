"""Figure labels: mathtext from the LaTeX printer, plain text where mathtext cannot."""

import pytest
import sympy as sp
from names import NAMES

from symbackslash.derivatives.program import AdjointSymbol
from symbackslash.printing.pieces import Chain
from symbackslash.render.labels import label, measure, mixed, words


@pytest.mark.parametrize("name", [n for n, _ in NAMES])
def test_every_symbol_name_renders_in_mathtext(name):
    lab = label(sp.Symbol(name))
    assert lab.math and lab.width > 0
    assert label(AdjointSymbol(sp.Symbol(name))).math


def test_fallback_to_plain_text():
    x = sp.Symbol("x")
    lab = label(sp.Piecewise((x, x > 0), (0, True)))
    assert not lab.math and lab.text.startswith("Piecewise")
    short = label(sp.Piecewise((x**2 + 3*x, x > 0), (0, True)), max_chars=12)
    assert len(short.text) == 12 and short.text.endswith("…")
    assert words("costs $5").text == r"costs \$5"


def test_sizes_grow_with_the_text_and_the_font():
    x = sp.Symbol("x")
    small, big = label(x, 10), label(x, 20)
    assert big.width == pytest.approx(2 * small.width, rel=0.05)
    assert label(Chain(x, sp.sin(x) + x**2)).width > small.width
    assert mixed(r"blocks: $M$").width > 0
    with pytest.raises(ValueError):
        measure(r"$\begin{matrix}1\end{matrix}$", True, 10)
