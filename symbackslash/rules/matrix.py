"""Local partials of matrix operations: the one rule table for matrix-valued nodes.

The operator counterpart of :mod:`.rules`. A node is one SymPy matrix operation applied to
its operands (predecessor nodes, given as node symbols: ``MatrixSymbol`` for matrices,
``Symbol`` for scalars) and constants. The weight of the edge operand → node is the local
partial, a linear operator: dV = Σ weight(dU) over the operands U, every other operand held
fixed (docs/mathematics.md, operators).

=======================  ==============================================================
node V                   weight of the edge from each operand
=======================  ==============================================================
Σ cᵢ Uᵢ                  cᵢ 𝓘
c s A₁ ⋯ Aₖ              Aⱼ: c s ℒ_{A₁⋯Aⱼ₋₁} ∘ ℛ_{Aⱼ₊₁⋯Aₖ};  scalar s: ℰ_{c A₁⋯Aₖ}
Uᵀ                       𝒯
U⁻¹                      −ℒ_{U⁻¹} ∘ ℛ_{U⁻¹}
Uⁿ (integer n)           Σₖ ℒ_{Uᵏ} ∘ ℛ_{Uⁿ⁻¹⁻ᵏ} (n > 0);  −Σₖ ℒ_{U⁻ᵏ⁻¹} ∘ ℛ_{Uⁿ⁺ᵏ} (n < 0)
U₁ ⊙ ⋯ ⊙ Uₖ              Uⱼ: ℋ_{⊙ᵢ≠ⱼ Uᵢ}
U^{∘p}                   ℋ_{p U^{∘(p−1)}};  scalar p: ℰ_{U^{∘p} ⊙ log.(U)}
h.(U)  (applyfunc)       ℋ_{h'.(U)};  scalar s inside h: ℰ_{(∂h/∂s).(U)}
tr U   (a scalar)        I^{T•}
det U  (a scalar)        (det(U) U⁻ᵀ)^{T•}
U[i, j] (a scalar)       E_{ij}^{T•}  (E_{ij}: 1 at (i, j), zeros elsewhere)
=======================  ==============================================================

>>> import sympy as sp
>>> A, U = sp.MatrixSymbol("A", 2, 2), sp.MatrixSymbol("U", 2, 2)
>>> matrix_partials(A*U*A)
{A: L_(A*U) + R_(U*A), U: L_A*R_A}
>>> matrix_partials(sp.Determinant(U))
{U: tdot(Determinant(U)*U.T**(-1))}
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable

import sympy as sp
from sympy.core.cache import cacheit
from sympy.matrices.expressions.applyfunc import ElementwiseApplyFunction
from sympy.matrices.expressions.matexpr import MatrixElement

from ..core.constructors import elementwise
from ..errors import DifferentiationError, InputError, boundary
from ..operators.algebra import Compose, IdentityOperator, Operator, OperatorSum, ScaledOperator
from ..operators.functionals import ScalarEmbedding, TraceFunctional
from ..operators.kinds import Hadamard, LeftMultiply, RightMultiply, TransposeOperator
from .scalar import RULES, local_partials

__all__ = ["MATRIX_RULES", "matrix_children", "matrix_partials", "split_coefficient",
           "scalar_factors"]

Rule = Callable[[sp.Expr], dict]


def split_coefficient(term: sp.MatrixExpr) -> tuple:
    """``(c, T)`` with ``term = c·T`` and ``c`` a number (the coefficient of a sum's term)."""
    if isinstance(term, sp.MatMul) and term.args[0].is_Number:
        rest = term.args[1:]
        return term.args[0], rest[0] if len(rest) == 1 else sp.MatMul(*rest)
    return sp.S.One, term


def _product(factors: list):
    """The product of scalars and matrices, in order, canonicalised once (multiplying one
    factor at a time re-canonicalises every partial product: cubic in a long chain)."""
    if not any(isinstance(f, sp.MatrixExpr) for f in factors):
        return functools.reduce(operator.mul, factors)
    if len(factors) == 1:  # a canonical operand is its own canonical product
        return factors[0]
    return sp.MatMul(*factors).doit(deep=False)


def _accumulate(weights: dict, operand, weight: Operator) -> None:
    weights[operand] = OperatorSum(weights[operand], weight) if operand in weights else weight


def _matadd(expr: sp.MatAdd) -> dict:
    """∂(Σ cᵢ Uᵢ)/∂Uᵢ = cᵢ 𝓘."""
    weights: dict = {}
    for term in expr.args:
        c, t = split_coefficient(term)
        _accumulate(weights, t, ScaledOperator(c, IdentityOperator()))
    return weights


def scalar_factors(expr: sp.MatMul) -> tuple:
    """``(c, [s₁, …])``: the numeric coefficient and the other scalar factors of a product."""
    coefficient, factors = sp.S.One, []
    for a in expr.args:
        if not isinstance(a, sp.MatrixExpr):
            c, rest = a.as_coeff_Mul()
            coefficient *= c
            factors += list(rest.args) if rest.is_Mul else ([] if rest == 1 else [rest])
    return coefficient, factors


def _matmul(expr: sp.MatMul) -> dict:
    """∂(c s A₁⋯Aₖ)/∂Aⱼ = c s ℒ_{A₁⋯Aⱼ₋₁} ∘ ℛ_{Aⱼ₊₁⋯Aₖ};  ∂/∂s = ℰ_{c A₁⋯Aₖ}."""
    c, scalars = scalar_factors(expr)
    matrices = [a for a in expr.args if isinstance(a, sp.MatrixExpr)]
    weights: dict = {}
    for i, s in enumerate(scalars):
        _accumulate(weights, s, ScalarEmbedding(_product([c, *scalars[:i], *scalars[i + 1:],
                                                          *matrices])))
    c = _product([c, *scalars])
    for j, A in enumerate(matrices):
        left = [LeftMultiply(_product(matrices[:j]))] if j else []
        right = [RightMultiply(_product(matrices[j + 1:]))] if j + 1 < len(matrices) else []
        _accumulate(weights, A, ScaledOperator(c, Compose(*left, *right)))
    return weights


def _transpose(expr: sp.Transpose) -> dict:
    """∂Uᵀ/∂U = 𝒯."""
    return {expr.arg: TransposeOperator()}


def _inverse(expr: sp.Inverse) -> dict:
    """∂U⁻¹/∂U = −ℒ_{U⁻¹} ∘ ℛ_{U⁻¹}  (d(U⁻¹) = −U⁻¹ dU U⁻¹)."""
    return {expr.arg: -Compose(LeftMultiply(expr), RightMultiply(expr))}


def _matpow(expr: sp.MatPow) -> dict:
    """∂Uⁿ/∂U = Σₖ ℒ_{Uᵏ} ∘ ℛ_{Uⁿ⁻¹⁻ᵏ}, and for n < 0 the same through U⁻¹."""
    base, n = expr.args
    if not (n.is_Integer):
        raise DifferentiationError(f"the matrix power {expr} needs a constant integer exponent")
    n = int(n)
    if n > 0:
        terms = [Compose(*([LeftMultiply(base ** k)] if k else []),
                         *([RightMultiply(base ** (n - 1 - k))] if n - 1 - k else []))
                 for k in range(n)]
    else:
        terms = [-Compose(LeftMultiply(base ** (-k - 1)), RightMultiply(base ** (n + k)))
                 for k in range(-n)]
    return {base: OperatorSum(*terms)}


def _hadamard_product(expr: sp.HadamardProduct) -> dict:
    """∂(U₁ ⊙ ⋯ ⊙ Uₖ)/∂Uⱼ = ℋ_{⊙ᵢ≠ⱼ Uᵢ}."""
    weights: dict = {}
    for j, U in enumerate(expr.args):
        others = expr.args[:j] + expr.args[j + 1:]
        _accumulate(weights, U, Hadamard(sp.hadamard_product(*others)))
    return weights


def _hadamard_power(expr: sp.HadamardPower) -> dict:
    """∂U^{∘p}/∂U = ℋ_{p U^{∘(p−1)}};  ∂U^{∘p}/∂p = ℰ_{U^{∘p} ⊙ log.(U)}."""
    base, p = expr.args
    if not isinstance(base, sp.MatrixExpr) or isinstance(p, sp.MatrixExpr):
        raise DifferentiationError(f"{expr}: only a matrix raised to a scalar power is supported")
    weights: dict = {}
    if p - 1 == 0:
        weights[base] = IdentityOperator()
    elif p - 1 == 1:
        weights[base] = Hadamard(p * base)
    else:
        weights[base] = Hadamard(p * sp.HadamardPower(base, p - 1))
    if p.free_symbols:
        logarithm = ElementwiseApplyFunction(sp.log, base)
        weights[p] = ScalarEmbedding(sp.hadamard_product(expr, logarithm))
    return weights


#: The variable of the element-wise derivatives h'.(U): one real dummy, so equal functions
#: give equal derivatives whichever graph they come from.
ENTRY = sp.Dummy("z", real=True)


def _elementwise(expr: ElementwiseApplyFunction) -> dict:
    """∂h.(U)/∂U = ℋ_{h'.(U)};  a scalar s inside h: ∂h.(U)/∂s = ℰ_{(∂h/∂s).(U)}."""
    U = expr.expr
    derivative, varies, parameters, body = _entry_rule(expr.function)
    weights: dict = {}
    if derivative != 0:
        weights[U] = (Hadamard(elementwise(sp.Lambda(ENTRY, derivative), U)) if varies
                      else ScaledOperator(derivative, IdentityOperator()))
    for s in parameters:
        weights[s] = ScalarEmbedding(elementwise(sp.Lambda(ENTRY, sp.diff(body, s)), U))
    return weights


def _entry_rule(function: sp.Lambda) -> tuple:
    """``(h'(z), whether it depends on z, the other scalars in h, h(z))`` for the function h
    of an element-wise node, in the entry variable z = :data:`ENTRY` (matrix entries are
    real: Abs' = sign, not SymPy's complex derivative). Found once per function and rule
    (a rule registered later counts) and kept in SymPy's cache: a network applies the same
    few functions in every layer."""
    return _entry_rule_with(function, RULES.get(type(function.expr)))


@cacheit
def _entry_rule_with(function: sp.Lambda, rule) -> tuple:
    (variable,), body = function.variables, function.expr
    z = ENTRY
    body = body.xreplace({variable: z})
    derivative = _entry_derivative(body, z)
    return derivative, z in derivative.free_symbols, _parameters(function), body


def _entry_derivative(body, z):
    """h'(z) for the body of an element-wise function: from the scalar rule table when the
    body is one function applied to z (so relu, abs, sign follow the scalar conventions),
    else SymPy's derivative."""
    if body.args == (z,) and type(body) in RULES:
        return local_partials(body)[z]
    return sp.diff(body, z)


def _parameters(function: sp.Lambda) -> tuple:
    """The scalars an element-wise function depends on besides its argument.

    Raises
    ------
    InputError
        If the function uses a matrix (an entry ``A[0, 0]``, ``Trace(A)``): its derivative
        with respect to that matrix is no element-wise function.
    """
    others = function.expr.free_symbols - set(function.variables)
    matrices = sorted((s for s in others if isinstance(s, sp.MatrixSymbol)), key=str)
    if matrices:
        raise InputError(f"the element-wise function {function} uses the matrix "
                         f"{matrices[0]}; an element-wise function may hold scalars only: "
                         f"take the matrix part out of it (X.applyfunc(lambda t: t*A[0, 0]) "
                         f"is A[0, 0]*X)")
    return tuple(sorted(others, key=sp.default_sort_key))


def _trace(expr: sp.Trace) -> dict:
    """∂ tr U/∂U = I^{T•}  (d tr U = tr(Iᵀ dU))."""
    U = expr.arg
    return {U: TraceFunctional(sp.Identity(U.rows))}


def _element(expr: MatrixElement) -> dict:
    """∂U[i, j]/∂U = E_{ij}^{T•}, E_{ij} the unit matrix with a 1 at (i, j)."""
    U, i, j = expr.args
    if not all(isinstance(n, (int, sp.Integer)) for n in (i, j, *U.shape)):
        raise DifferentiationError(f"the entry {expr} needs integer indices and sizes")
    unit = sp.ImmutableMatrix(*U.shape, lambda r, c: 1 if (r, c) == (i, j) else 0)
    return {U: TraceFunctional(unit)}


def _determinant(expr: sp.Determinant) -> dict:
    """∂ det U/∂U = (det(U) U⁻ᵀ)^{T•}  (Jacobi's formula)."""
    U = expr.arg
    return {U: TraceFunctional(expr * sp.Inverse(U).T)}


#: The rule table: SymPy matrix head → rule. Scalar heads use :data:`.rules.RULES`.
MATRIX_RULES: dict[type, Rule] = {
    sp.MatAdd: _matadd,
    sp.MatMul: _matmul,
    sp.Transpose: _transpose,
    sp.Inverse: _inverse,
    sp.MatPow: _matpow,
    sp.HadamardProduct: _hadamard_product,
    sp.HadamardPower: _hadamard_power,
    ElementwiseApplyFunction: _elementwise,
    sp.Trace: _trace,
    sp.Determinant: _determinant,
    MatrixElement: _element,
}


def matrix_children(expr: sp.Expr) -> list:
    """The sub-expressions of a matrix operation that may be nodes (numeric coefficients of
    sums and products stay inside the node)."""
    if isinstance(expr, sp.MatAdd):
        return [split_coefficient(t)[1] for t in expr.args]
    if isinstance(expr, sp.MatMul):
        return scalar_factors(expr)[1] + [a for a in expr.args if isinstance(a, sp.MatrixExpr)]
    if isinstance(expr, (sp.MatPow, sp.HadamardPower)):
        base, p = expr.args
        return [base] + ([p] if p.free_symbols else [])
    if isinstance(expr, ElementwiseApplyFunction):
        return [expr.expr, *_entry_rule(expr.function)[2]]
    if isinstance(expr, (MatrixElement, sp.Inverse, sp.Trace, sp.Determinant)):
        return [expr.args[0]]
    return list(expr.args)


@boundary
def matrix_partials(expr: sp.Expr) -> dict:
    """``{child: local partial}`` for one matrix operation (in node symbols).

    Raises
    ------
    DifferentiationError
        For a SymPy matrix operation without a rule.
    """
    rule = MATRIX_RULES.get(type(expr))
    if rule is None:
        supported = ", ".join(sorted(t.__name__ for t in MATRIX_RULES))
        raise DifferentiationError(f"no operator rule for {type(expr).__name__} in {expr}; "
                                   f"the supported matrix operations are: {supported}")
    return rule(expr)
