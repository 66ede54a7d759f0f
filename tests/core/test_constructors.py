"""One-level matrix constructors: SymPy's canonical forms, without walking the operands."""

import pytest
import sympy as sp
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from sympy.matrices.expressions.applyfunc import ElementwiseApplyFunction
from sympy.matrices.expressions.hadamard import canonicalize as hadamard_rules

from symbackslash.core.constructors import (
    DEEP,
    canonical,
    elementwise,
    hadamard,
    matadd,
    matmul,
    matrix_symbol,
    nesting,
    scale,
    shape,
    transpose,
    transposes,
)

A, B, C, X = (sp.MatrixSymbol(name, 3, 3) for name in "ABCX")
R = sp.MatrixSymbol("R", 3, 2)
s = sp.Symbol("s")
z = sp.Dummy("z")
TANH = sp.Lambda(z, sp.tanh(z))

CATALOGUE = [
    A * B + C, (A * B + C).T, 2 * A * X.T, A.T * B.T + C.T, sp.HadamardProduct(A, X.T),
    sp.HadamardPower(A * X, 2), sp.Inverse(A + B), (A * B) ** 2, (A * R).applyfunc(TANH),
    s * A - X, sp.Identity(3) + A, sp.OneMatrix(3, 2), R.T * A, sp.Transpose(A * X),
    sp.MatMul(A, sp.Transpose(B * C)),
]


@pytest.mark.parametrize("e", CATALOGUE + [A, R, R.T, X.applyfunc(TANH)], ids=str)
def test_transpose_and_shape_are_sympys(e):
    assert transpose(e) == e.T
    assert transpose(transpose(e)) in (e, e.T.T)  # e itself once e was flipped
    assert shape(e) == e.shape
    assert transposes(e) == sum(isinstance(t, sp.Transpose) for t in sp.preorder_traversal(e))


@pytest.mark.parametrize("e", [t for t in CATALOGUE if isinstance(t, (sp.MatMul, sp.MatAdd))],
                         ids=str)
def test_one_level_is_sympys_canonical_form(e):
    raw = e.func(*e.args)
    assert canonical(raw) == raw.doit(deep=False)


@pytest.mark.parametrize("e", CATALOGUE + [A, X.T, A * B * C, -A * B, sp.Identity(3),
                                        sp.ZeroMatrix(3, 3), s * A, (A * X).applyfunc(TANH),
                                        sp.ImmutableMatrix(3, 3, range(9)) * A],
                         ids=str)
def test_negation_is_sympys_product_with_minus_one(e):
    """−X is made without SymPy's rules where the result is known (−(−X), −(A·B), −Aᵀ …);
    it must be exactly SymPy's, twice over."""
    once = scale(-1, e)
    assert sp.srepr(once) == sp.srepr(sp.MatMul(-1, e).doit(deep=False))
    assert sp.srepr(scale(-1, once)) == sp.srepr(sp.MatMul(-1, once).doit(deep=False))


def layers(depth: int, constructors: bool = True):
    """X_{k+1} = tanh.(W X_k + B): built with ours, or with SymPy's operators."""
    value = X
    for _ in range(depth):
        if constructors:
            value = elementwise(TANH, matadd(matmul(A, value), B))
        else:
            value = (A * value + B).applyfunc(TANH)
    return value


def test_deep_operands_give_sympys_results():
    D = layers(6)
    assert nesting(D) > DEEP
    assert D == layers(6, constructors=False)
    assert matmul(B, D) == B * D
    assert matmul(2, matmul(-1, D), B) == -2 * D * B
    assert matadd(D, scale(-1, D)) == sp.ZeroMatrix(3, 3)
    assert matadd(matmul(2, D), D) == 3 * D
    assert hadamard(D, D) == sp.HadamardPower(D, 2)
    assert transpose(D) == D.T and transpose(transpose(D)) is D
    assert shape(matmul(D, R)) == (3, 2)
    assert scale(-1, scale(-1, D)) is D


def test_deep_sums_are_canonical_in_any_order():
    D, E = layers(6), layers(5)
    assert matadd(D, E, C) == matadd(C, E, D)
    assert set(matadd(D, E).args) == set((D + E).args)
    assert hadamard(D, E) == hadamard(E, D)


def test_building_is_not_limited_by_the_recursion_limit(default_recursion_limit):
    D = layers(700)
    assert shape(D) == (3, 3) and nesting(D) == 3 * 700
    assert isinstance(transpose(D), ElementwiseApplyFunction)
    assert transpose(transpose(D)) is D


# --- the direct products: exactly SymPy's canonical form, for any operands ----------------

N = sp.MatrixSymbol("N", 3, 3)
Y = sp.MatrixSymbol("Y", 3, 3)
SQUARE = [A, B, X, A.T, X.T, sp.Identity(3), sp.ZeroMatrix(3, 3), sp.OneMatrix(3, 3),
          sp.Inverse(A), A ** 2, A * B, sp.Transpose(A * B), s * A, N, Y,
          sp.HadamardProduct(A, B), (A * X).applyfunc(TANH), X.applyfunc(TANH),
          sp.ImmutableMatrix(3, 3, range(9))]
COEFFICIENTS = [sp.S.One, sp.S.NegativeOne, sp.Integer(2), sp.Rational(1, 2), sp.S.Zero,
                sp.Float(1.5), s]


RECTANGULAR = [R, R.T, sp.MatrixSymbol("P", 2, 3), sp.MatrixSymbol("S", 2, 2),
               R.applyfunc(TANH)]


def outcome(build):
    """``srepr`` of what ``build()`` gives, or the type of the error it raises."""
    try:
        return sp.srepr(build())
    except (sp.ShapeError, ValueError) as error:
        return type(error).__name__


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(COEFFICIENTS + [None]),
       st.lists(st.sampled_from(SQUARE + RECTANGULAR), min_size=2, max_size=4))
def test_products_of_any_operands_are_sympys(coefficient, matrices):
    """Products SymPy's rules leave as they are are made directly (Wᵀ·X̄, −2·A·Bᵀ); every
    other product goes through SymPy's rules: the result is SymPy's, structure and all, and
    factors that do not fit are refused as SymPy refuses them."""
    assume(any(not isinstance(m, sp.MatrixBase) for m in matrices))  # else multiplied out
    factors = ([coefficient] if coefficient is not None else []) + matrices
    expected = outcome(lambda: sp.MatMul(*factors).doit(deep=False))
    assert outcome(lambda: matmul(*factors)) == expected


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(SQUARE[:-1] + RECTANGULAR), min_size=2, max_size=4))
def test_element_wise_products_of_any_operands_are_sympys(factors):
    expected = outcome(lambda: hadamard_rules(sp.HadamardProduct(*factors)))
    assert outcome(lambda: hadamard(*factors)) == expected


@pytest.mark.parametrize("rows, cols", [(3, 3), (sp.Integer(2), 5), (sp.Symbol("n"), 1),
                                        (sp.Symbol("m", integer=True), sp.Symbol("k"))])
def test_matrix_symbols_made_directly_are_sympys(rows, cols):
    made = matrix_symbol("W_bar", rows, cols)
    expected = sp.MatrixSymbol("W_bar", rows, cols)
    assert sp.srepr(made) == sp.srepr(expected) and hash(made) == hash(expected)
    assert made == expected and made.shape == expected.shape
