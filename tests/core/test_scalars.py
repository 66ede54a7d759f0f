"""Scalar constructors: exactly what SymPy's own constructors build, on a catalogue and on
generated operands."""

import pytest
import sympy as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from symbackslash import relu, sigmoid, softplus
from symbackslash.core.scalars import product, total, unevaluated

x, y, z = sp.symbols("x y z")
u = sp.Symbol("u", positive=True)
n = sp.Symbol("n", commutative=False)
A = sp.MatrixSymbol("A", 2, 2)

PROPERTY = settings(max_examples=300, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


def same(ours, sympys) -> bool:
    """Equal, of one type, with the same structure (argument order included)."""
    return type(ours) is type(sympys) and ours == sympys and sp.srepr(ours) == sp.srepr(sympys)


atoms = st.sampled_from([x, y, z, u, sp.Integer(2), sp.Integer(-1), sp.Rational(1, 3),
                         sp.Integer(0), sp.Float(1.5), sp.pi, sp.E, sp.I])


def _combine(children):
    pair = st.tuples(children, children)
    return st.one_of(
        pair.map(lambda p: sp.Add(*p)), pair.map(lambda p: sp.Mul(*p)),
        st.tuples(children, st.sampled_from([2, -1, sp.Rational(1, 2), 3, y])).map(
            lambda p: sp.Pow(*p)),
        children.map(sp.sin), children.map(sp.exp), children.map(sp.cos),
        children.map(lambda e: sp.Pow(e, 2, evaluate=False) if e.is_Add else e**2),
    )


expressions = st.recursive(atoms, _combine, max_leaves=6)


@PROPERTY
@given(st.lists(expressions, min_size=1, max_size=5))
def test_product_is_sympys_mul(factors):
    assert same(product(*factors), sp.Mul(*factors))


@PROPERTY
@given(st.lists(expressions, min_size=1, max_size=5))
def test_total_is_sympys_add(terms):
    assert same(total(*terms), sp.Add(*terms))


CATALOGUE = [
    (x, x), (2, x, x), (x, x**-1), (sp.exp(x), sp.exp(y)), (2, x + y), (-1, x + y),
    (2, x, x + y), (x + y, z), (sp.Rational(1, 2), 2), (0, x), (sp.sqrt(2), sp.sqrt(3)),
    (2, sp.sin(x), x), (100, sp.Pow(y - x**2, 2, evaluate=False)), (u, x), (sp.I, x),
    (sp.oo, x), (sp.nan, x), (sp.zoo, x), (3, 2**x), (x * y, x), (-x, y * z), (x, n),
    (sp.Float(2.0), x), (sp.pi, x), (sigmoid(x), relu(y), softplus(z)),
]


@pytest.mark.parametrize("operands", CATALOGUE, ids=str)
def test_catalogue_is_sympys(operands):
    operands = [sp.sympify(e) for e in operands]
    assert same(product(*operands), sp.Mul(*operands))
    assert same(total(*operands), sp.Add(*operands))


def test_matrices_are_left_to_sympy():
    assert product(sp.Integer(2), A) == sp.Mul(2, A)
    assert total(A, A) == sp.Add(A, A)


HEADS = [sp.sin, sp.cos, sp.tan, sp.exp, sp.log, sp.tanh, sp.atan2, sp.Abs, sp.sign, sp.erf,
         sp.Max, sp.Heaviside, sigmoid, softplus, relu, sp.Function("g")]


@pytest.mark.parametrize("head", HEADS, ids=str)
@pytest.mark.parametrize("args", [(x,), (x, y), (sp.Integer(0),), (x * y + 1,), (sp.pi, u)],
                         ids=str)
def test_unevaluated_is_sympys_function_without_eval(head, args):
    try:
        expected = head(*args, evaluate=False)
    except (TypeError, ValueError):
        with pytest.raises((TypeError, ValueError)):
            unevaluated(head, *args)
        return
    result = unevaluated(head, *args)
    assert same(result, expected)
    assert getattr(result, "nargs", None) == getattr(expected, "nargs", None)
    assert hash(result) == hash(expected)
