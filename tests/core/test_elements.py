"""The scalar fast paths of the element protocol give exactly what SymPy's operators give."""

import pytest
import sympy as sp

from symbackslash.core.elements import act, subtract, times_symbol

x, y, z, u = sp.symbols("x y z u")
s = sp.Symbol("x_bar")
p = sp.Symbol("p", positive=True)
ENTRIES = [x, -x, 2*x, -x*y, sp.sin(x)*y, -sp.cos(u), x + y, -(x + y), 2*(x + y),
           sp.Rational(1, 2), sp.S(3), sp.S.One, sp.S.NegativeOne, sp.S.Zero, sp.oo, sp.zoo,
           s, s**2*x, -2*s*x, x**2*y*sp.exp(z), sp.Float(1.5)*x, 1/x, x/(y + 1), sp.pi*x,
           -sp.pi, sp.sqrt(2)*x, p*x, sp.I*x, sp.sqrt(x*s), sp.exp(s)*x, 1/s, -sp.tanh(u)**2 + 1]


@pytest.mark.parametrize("a", ENTRIES, ids=str)
@pytest.mark.parametrize("symbol", [s, sp.Symbol("a"), sp.Symbol("zz"), p], ids=str)
def test_times_symbol_is_sympys_product(a, symbol):
    expected = a * symbol
    for result in (times_symbol(a, symbol), act(a, symbol)):
        assert sp.srepr(result) == sp.srepr(expected)
        assert result == expected and hash(result) == hash(expected)


@pytest.mark.parametrize("terms", [[-x*y], [x*y], [-2*x], [-x], [x + y], [-x*y, sp.sin(x)]],
                         ids=str)
@pytest.mark.parametrize("b", [sp.S.Zero, sp.S.One, z], ids=str)
def test_subtract_is_sympys_difference(b, terms):
    expected = b - sp.Add(*terms)
    result = subtract(b, terms)
    assert sp.srepr(result) == sp.srepr(expected)
