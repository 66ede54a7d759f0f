"""derivation(..., order=2): the gradient program's graph, its forward solves, the Hessian."""

import pytest
import sympy as sp
from conftest import same_expression

import symbackslash as sb
from symbackslash import InputError
from symbackslash.printing.text import text

x, y, z = sp.symbols("x y z")


@pytest.mark.parametrize("mode, verb", [("forward", "Forward substitution on (I - L)"),
                                        ("reverse", "Back substitution on (I - L)^T")])
def test_hessian_derivation_solves_the_gradient_programs_graph(mode, verb):
    f = sp.exp(x*y) + x**2*z
    kwargs = {} if mode == "forward" else {"mode": mode}
    d = sb.derivation(f, [x, y, z], order=2, at={x: 1, y: 2, z: 3}, **kwargs)
    titles = [text(s.title) for s in d.sections]
    # the function is the gradient program: its outputs are the adjoints
    assert [str(o) for o in d.result.outputs] == ["x_bar", "y_bar", "z_bar"]
    assert sum(verb in t for t in titles) == 3
    assert titles[-1].endswith("The Hessian: the Jacobian of the gradient")
    H = d.result.jacobian
    assert all(same_expression(a, b) for a, b in zip(H, sp.hessian(f, [x, y, z]), strict=True))
    last = text(d.sections[-1].items[-1])
    pairs = [text(item) for item in d.sections[-1].items[1:]]
    assert len(pairs) == 3 and all(p.endswith(": equal") for p in pairs), last
    assert "\\dot{\\bar{x}}" in d.latex() if mode == "forward" else "\\bar" in d.latex()


def test_hessian_derivation_shows_numbers_and_a_document():
    d = sb.derivation("a = x*y; b = sin(a); f = a*b", ["x", "y"], order=2, at={"x": 1, "y": 2})
    out = d.text()
    assert "x_bar_dot" in out and "(from the forward substitution by y)" in out
    value = sp.hessian(x*y*sp.sin(x*y), [x, y])[0, 1].subs({x: 1, y: 2})
    assert str(sp.N(value, 6)) in out
    assert d.document().startswith("\\documentclass")


def test_order_is_checked():
    with pytest.raises(InputError, match="order must be 1"):
        sb.derivation(x*y, [x, y], order=3)
