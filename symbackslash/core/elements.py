"""What the triangular solvers need of a matrix entry: the "element type" protocol.

The paper's point (docs/mathematics.md) is that one triangular solver serves numbers, symbols and
linear operators alike, once the entry type supports a few operations. These are they, as
:func:`functools.singledispatch` functions, so a new entry type registers its own:

``act(a, x)``
    apply the entry ``a`` to an unknown ``x``: ``a·x`` for numbers and SymPy scalars,
    ``a @ x`` for NumPy blocks, ``a(x)`` for operators;
``adjoint(a)``
    the entry of the transposed matrix: ``a`` itself for real scalars, ``a.T`` for NumPy
    blocks, the transpose-dot adjoint for operators (docs/mathematics.md);
``divide(d, r)``
    solve ``d·y = r`` for a diagonal entry ``d``: skipped when ``d`` is one (the diagonal
    of I − L), so an operator diagonal (the identity) is never inverted;
``subtract(b, terms)``
    ``b − Σ terms`` (SymPy sums are formed in one step, not term by term, and matrix sums
    without re-canonicalising the terms: :mod:`.shallow`);
``compose(a, b)``
    the entry of a product of matrices, ``a·b`` (``a ∘ b`` for operators): what a Gauss
    step on I − L multiplies (:mod:`symbackslash.solve.elimination`);
``is_zero(a)``
    whether ``a`` is a structural zero (skipped by the sparse solvers);
``is_unit(a)``
    whether ``a`` is ±1 (for operators ±𝓘), so that a product with it costs nothing (the
    solvers' and the eliminations' ``multiplications``);
``one(node)``, ``zero(node)``
    the diagonal entry of I − L and the zero unknown for a node (dispatching on the node's
    key: 1 and 0 for scalar nodes; operators register the identity operator and the zero
    matrix for matrix-valued nodes).

>>> act(3, 4), adjoint(5), divide(1, 7), subtract(10, [1, 2]), is_zero(0)
(12, 5, 7, 7, True)
"""

from __future__ import annotations

from functools import singledispatch

import numpy as np
import sympy as sp
from sympy.core.mul import _mulsort

from .constructors import add, scale, transpose
from .scalars import total

__all__ = ["act", "adjoint", "compose", "divide", "subtract", "is_zero", "is_unit", "one",
           "zero"]


@singledispatch
def act(a, x):
    """Apply the entry ``a`` to ``x`` (default: ``a * x``)."""
    return a * x


@act.register
def _(a: np.ndarray, x):
    return a @ x


@act.register
def _(a: sp.Expr, x):
    if isinstance(x, sp.Symbol) and not isinstance(a, sp.MatrixExpr):
        return times_symbol(a, x)
    return a * x


_INFINITE = (sp.S.ComplexInfinity, sp.S.Infinity, sp.S.NegativeInfinity, sp.S.NaN)


def times_symbol(a: sp.Expr, s: sp.Symbol) -> sp.Expr:
    """``a * s``, canonical as SymPy makes it, for a scalar symbol ``s`` (an unknown of the
    solve): when ``s`` is not a base of ``a``'s factors nothing combines, so ``s`` is
    inserted among the factors in SymPy's order instead of flattening the product again."""
    factors = list(a.args) if a.is_Mul else [a]
    coeff = factors.pop(0) if factors[0].is_Number else sp.S.One
    if not (a.is_commutative and s.is_commutative) or coeff.is_zero or \
            not coeff.is_finite or any(f in _INFINITE or f.as_base_exp()[0] == s
                                       for f in factors):
        return a * s
    if not factors:
        return s if coeff is sp.S.One else sp.Mul._from_args((coeff, s))
    factors.append(s)
    _mulsort(factors)
    return sp.Mul._from_args(factors if coeff is sp.S.One else [coeff, *factors])


@singledispatch
def adjoint(a):
    """The adjoint of an entry (default: the entry itself, a real scalar)."""
    return a


@adjoint.register
def _(a: np.ndarray):
    return a.T


@adjoint.register
def _(a: sp.MatrixBase):
    return a.T


@adjoint.register
def _(a: sp.MatrixExpr):
    return transpose(a)


@singledispatch
def compose(a, b):
    """The product of two entries, ``a·b`` (default: ``a * b``)."""
    return a * b


@compose.register
def _(a: np.ndarray, b):
    return a @ b


@singledispatch
def divide(d, r):
    """Solve ``d·y = r`` for ``y``, ``d`` a diagonal entry (default: ``r`` when ``d == 1``,
    else ``r / d``)."""
    if _is_one(d):
        return r
    return r / d


@divide.register
def _(d: np.ndarray, r):
    return np.linalg.solve(d, r)


def _is_one(d) -> bool:
    try:
        return bool(d == 1)
    except (TypeError, ValueError):
        return False


@singledispatch
def subtract(b, terms):
    """``b − Σ terms`` (default: term by term)."""
    for t in terms:
        b = b - t
    return b


@subtract.register
def _(b: sp.Expr, terms):
    if all(isinstance(t, sp.Expr) and not isinstance(t, sp.MatrixExpr) for t in terms) \
            and not isinstance(b, sp.MatrixExpr):
        negated = [_negate(t) for t in terms]
        if is_zero(b) and len(negated) == 1:
            return negated[0]
        return total(b, *negated)
    return add(b, *(scale(-1, t) for t in terms))  # one level: the terms are canonical


def _negate(t: sp.Expr) -> sp.Expr:
    """``-t``; a product whose coefficient is −1 loses it without being flattened again
    (the rest of a canonical product is canonical)."""
    if t.is_Mul and t.args[0] is sp.S.NegativeOne:
        return t.as_coeff_Mul()[1]
    return -t


@singledispatch
def is_zero(a) -> bool:
    """Whether ``a`` is a structural zero (default: ``a == 0``)."""
    try:
        return bool(a == 0)
    except (TypeError, ValueError):
        return False


@is_zero.register
def _(a: sp.Expr) -> bool:
    return a is sp.S.Zero or (a.is_Number and a == 0)


@is_zero.register
def _(a: np.ndarray) -> bool:
    return not a.any()


@is_zero.register
def _(a: sp.MatrixBase) -> bool:
    return a.is_zero_matrix is True


@is_zero.register
def _(a: sp.MatrixExpr) -> bool:
    return isinstance(a, sp.ZeroMatrix)


@singledispatch
def is_unit(a) -> bool:
    """Whether ``a`` is 1 or −1 (default: ``a == 1 or a == -1``)."""
    try:
        return bool(a == 1 or a == -1)
    except (TypeError, ValueError):
        return False


@singledispatch
def one(node):
    """The identity for a node's value: the diagonal entry of I − L (default: 1)."""
    return sp.S.One


@singledispatch
def zero(node):
    """The zero of a node's value: the right-hand side away from the seed (default: 0)."""
    return sp.S.Zero
