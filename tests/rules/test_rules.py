"""The rule table: every rule and every parser function against sympy.diff."""

import pytest
import sympy as sp

from symbackslash import DifferentiationError, local_partials, register_rule
from symbackslash.parse.parser import FUNCTIONS
from symbackslash.rules.scalar import RULES, operands

u, v, w = sp.symbols("u v w", real=True)

CONVENTIONS = {sp.sign}  # derivative taken as 0 (SymPy: 2·DiracDelta)


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_every_parser_function_matches_sympy_diff(name):
    function, arity = FUNCTIONS[name]
    args = [u, v, w][: arity or 2]
    expr = function(*args)
    if not any(a in expr.free_symbols for a in args):
        pytest.skip(f"{name} evaluates away for symbolic arguments")
    weights = local_partials(expr)
    for a in args:
        expected = sp.S.Zero if function in CONVENTIONS else sp.diff(expr, a)
        assert sp.simplify(weights.get(a, 0) - expected) == 0, (name, a)


@pytest.mark.parametrize("expr", [u + 3*v - w, 2*u*v*w, u**v, u**3, sp.exp(u), sp.Abs(u),
                                  sp.sqrt(u), 1/u, -u*v])
def test_table_rules_match_sympy_diff(expr):
    assert expr.func in RULES
    for a, weight in local_partials(expr).items():
        assert sp.simplify(weight - sp.diff(expr, a)) == 0


def test_weights_are_local_partials_only():
    # ∂(u*v)/∂u holds v fixed: no chain rule through v.
    assert local_partials(u*v) == {u: v, v: u}
    assert local_partials(u - 3*v) == {u: 1, v: -3}


def test_operands_skip_constants_and_coefficients():
    assert operands(2*u*v + sp.pi) == [u*v]
    assert operands(sp.sin(u)) == [u]
    assert set(operands(3*sp.sin(u)*v)) == {sp.sin(u), v}


def test_unregistered_sympy_function_uses_fdiff():
    f = sp.Function("f")
    expr = f(u)
    assert local_partials(expr) == {u: sp.diff(expr, u)}
    assert local_partials(sp.besselj(1, u)) == {u: sp.diff(sp.besselj(1, u), u)}


def test_registering_a_rule():
    class cube(sp.Function):
        nargs = 1

    try:
        register_rule(cube, lambda e: {e.args[0]: 3*e.args[0]**2})
        assert local_partials(cube(u)) == {u: 3*u**2}
    finally:
        RULES.pop(cube)


def test_no_derivative_is_a_clear_error():
    class opaque(sp.Function):
        def fdiff(self, argindex=1):
            raise sp.core.function.ArgumentIndexError(self, argindex)

    with pytest.raises(DifferentiationError, match="no derivative rule for opaque"):
        local_partials(opaque(u))


@pytest.mark.parametrize("at, expected", [((0.0, 3.0), [3.0, 1.0]), ((1.0, 3.0), [1.0, 0.0]),
                                          ((-2.0, 3.0), [0.0, 0.0])])
def test_heaviside_with_its_value_at_zero_depends_on_that_value(at, expected):
    import warnings

    import numpy as np

    import symbackslash as sb
    x, y = sp.symbols("x y")
    f = sp.Heaviside(x, y) * x + sp.Heaviside(x, y)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", sb.NonSmoothWarning)
        g = sb.evaluate(sb.gradient(f, wrt=[x, y]), {x: at[0], y: at[1]})
    # an independent oracle for the y-partial: central differences of NumPy's heaviside
    h = 1e-6
    numpy_f = lambda a, b: np.heaviside(a, b) * a + np.heaviside(a, b)  # noqa: E731
    assert (numpy_f(at[0], at[1] + h) - numpy_f(at[0], at[1] - h)) / (2 * h) == \
        pytest.approx(g[1])
    assert g == pytest.approx(expected)   # ∂/∂x is 0 away from x = 0 and H(0, y) = y by convention


def test_a_function_sympy_cannot_differentiate_is_our_error():
    x = sp.Symbol("x")
    with pytest.raises(DifferentiationError, match="no derivative rule for zeta"):
        local_partials(sp.zeta(x))


@pytest.mark.parametrize("head", [sp.sin, sp.cos, sp.tanh])
@pytest.mark.parametrize("u", [sp.Symbol("u"), sp.Symbol("p", positive=True),
                               sp.Symbol("n", negative=True)], ids=str)
def test_sin_cos_tanh_rules_are_sympys_derivatives(head, u):
    """The sin, cos and tanh rules build their weights without SymPy's eval; the weights
    are still exactly sympy.diff's."""
    node = head(u)
    (operand, weight), = local_partials(node).items()
    assert operand == u
    assert sp.srepr(weight) == sp.srepr(sp.diff(node, u))


def _products():
    from hypothesis import strategies as st

    x, y, z = sp.symbols("x y z")
    p = sp.Symbol("p", positive=True)
    atoms = st.sampled_from([x, y, z, p, sp.Integer(2), sp.Integer(-1), sp.Rational(1, 3),
                             sp.Float(1.5), sp.pi, sp.I, sp.sqrt(2), sp.sin(x), sp.exp(y),
                             x + y, x**2, z**-1, p**x, sp.Symbol("n", commutative=False)])
    return st.lists(atoms, min_size=2, max_size=6).map(lambda fs: sp.Mul(*fs))


def test_partials_of_a_product_are_sympys_products_of_the_other_factors():
    """The partials of a product are made without SymPy's sorting: each must be the very
    expression (type, argument order) that ``Mul`` of the other factors gives."""
    from hypothesis import given, settings

    @settings(max_examples=300, deadline=None)
    @given(_products())
    def check(expr):
        if not expr.is_Mul:
            return
        coeff, rest = expr.as_coeff_Mul()
        factors = rest.args if rest.is_Mul else (rest,)
        weights = local_partials(expr)
        for j, a in enumerate(factors):
            if a.free_symbols and a in weights and factors.count(a) == 1:
                expected = sp.Mul(coeff, *factors[:j], *factors[j + 1:])
                assert weights[a] == expected
                assert sp.srepr(weights[a]) == sp.srepr(expected)

    check()


def test_a_statement_of_sympys_own_rules_keeps_sympys_form():
    """A whole statement of heads whose rule is SymPy's derivative (tanh among them) is
    differentiated by sympy.diff, so its weight has SymPy's usual form."""
    import symbackslash as sb

    w = sp.Symbol("w")
    G = sb.build_graph("f = sqrt(tanh(w))", nodes="statements")
    (weight,) = (d["weight"] for _, _, d in G.in_edges(sp.Symbol("f"), data=True))
    assert sp.srepr(weight) == sp.srepr(sp.diff(sp.sqrt(sp.tanh(w)), w))
