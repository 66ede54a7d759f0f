"""Readable matrix results: a small clean-up pass over SymPy matrix expressions.

Back substitution writes a gradient as nested applications of adjoints, e.g.
``(1/2)*E + (1/2)*E.T.T`` or ``-(HadamardProduct(-W.T*E, D))``. :func:`tidy` makes such
results read like a textbook, without ever expanding into entries:

1. SymPy's own canonical forms (``doit``): Eᵀᵀ = E, ½E + ½E = E, 1·X = X;
2. transposes folded back: SymPy pushes them inwards, (AB + C)ᵀ = BᵀAᵀ + Cᵀ; a sum or
   element-wise expression that needs two transposes fewer written as Uᵀ is written that
   way, and h.(Uᵀ) as h.(U)ᵀ;
3. scalars taken out of Hadamard products and traces: (cA) ⊙ B = c (A ⊙ B),
   tr(cA) = c tr(A), and tr(Aᵀ) = tr(A) written with fewer transposes; the all-ones
   matrix dropped from Hadamard products, 𝟙 ⊙ A = A;
4. common factors taken out of sums: 2A + 2B = 2(A + B), AX + BX = (A + B)X,
   XA + XB = X(A + B), H ⊙ A + H ⊙ B = H ⊙ (A + B);
5. in scalar products, exponentials and steps of one argument combined:
   e^a e^b = e^(a + b) (so e^(−u) e^u = 1), H(u, a) H(u, b) = H(u, ab) (the value at 0
   multiplies: relu′(u) H(u) = H(u, 0) · H(u) = H(u, 0)).

The pass visits each distinct subexpression once, children first, without recursion
(:func:`~symbackslash.core.walk.bottom_up`), and builds with the one-level constructors of
:mod:`.shallow`, so a result shared across the layers of a deep network costs time linear
in its number of distinct subexpressions; a ``memo`` shares the work between results.

>>> import sympy as sp
>>> A, x = sp.MatrixSymbol("A", 3, 3), sp.MatrixSymbol("x", 3, 1)
>>> tidy(A*x + A.T*x.T.T)
(A + A.T)*x
>>> B = sp.MatrixSymbol("B", 3, 3)
>>> tidy((A*B + B).T.applyfunc(sp.exp))
Lambda(_d, exp(_d)).(A*B + B).T
"""

from __future__ import annotations

import functools
import operator
from collections import Counter, defaultdict

import sympy as sp
from sympy.matrices.expressions.applyfunc import ElementwiseApplyFunction

from ..errors import boundary
from .constructors import elementwise, hadamard, matadd, matmul, scale, transpose, transposes
from .walk import bottom_up

__all__ = ["tidy", "fold_transposes"]

#: Heaviside's value at 0 when not given (SymPy's convention).
HALF = sp.Rational(1, 2)


@boundary
def tidy(expr, memo: dict | None = None):
    """A readable form of a matrix (or scalar) expression, equal to ``expr``.

    ``memo`` (a dict, filled in) holds the forms of subexpressions already tidied, so
    several results sharing subexpressions are tidied in shared work.
    """
    if not isinstance(expr, sp.Basic):
        return expr
    return bottom_up(expr, _canonical_then_rewrite, memo)


def _canonical_then_rewrite(e):
    # one level of SymPy's canonical form: Eᵀᵀ = E, ½E + ½E = E
    if isinstance(e, sp.MatMul):
        e = matmul(*e.args)
    elif isinstance(e, sp.MatAdd):
        e = matadd(*e.args)
    elif isinstance(e, sp.HadamardProduct):
        e = hadamard(*e.args)
    return _rewrite(e)


def _rewrite(e):
    if isinstance(e, sp.Trace):
        return _trace(e)
    if isinstance(e, sp.Transpose):
        return _transpose(e)
    if isinstance(e, sp.Mul):
        return _steps_and_exponentials(e)
    if not isinstance(e, sp.MatrixExpr):
        return e
    if isinstance(e, sp.HadamardProduct):
        e = _scalars_out_of_hadamard(e)
    if isinstance(e, sp.MatAdd):
        e = _factor(e)
    return fold_transposes(e) if isinstance(e, FOLDED) else e


def fold_transposes(e):
    """Uᵀ instead of ``e`` when that saves two transposes or more (U = eᵀ, the outer one
    counted): BᵀAᵀ + Cᵀ becomes (AB + C)ᵀ, Aᵀ + Bᵀ stays; and h.(Uᵀ) becomes h.(U)ᵀ."""
    if isinstance(e, ElementwiseApplyFunction) and isinstance(e.expr, sp.Transpose):
        return sp.Transpose(elementwise(e.function, e.expr.arg))
    before = transposes(e)
    if isinstance(e, (sp.Transpose, sp.MatrixSymbol)) or before < 3:
        return e
    flipped = transpose(e)
    return sp.Transpose(flipped) if transposes(flipped) + 1 <= before - 2 else e


FOLDED = (sp.MatAdd, sp.HadamardProduct, sp.HadamardPower, ElementwiseApplyFunction)


def _transpose(e: sp.Transpose):
    """Uᵀᵀ = U, (cU)ᵀ = c Uᵀ; transposes of symbols and inverses as SymPy writes them."""
    U = e.arg
    if isinstance(U, sp.Transpose):
        return U.arg
    if isinstance(U, (sp.MatrixSymbol, sp.Inverse, sp.MatPow, sp.Identity, sp.ZeroMatrix,
                      sp.OneMatrix, sp.MatrixBase)):
        return transpose(U)
    if isinstance(U, sp.MatMul):
        c, matrices = U.as_coeff_matrices()
        if c != 1:
            return scale(c, _transpose(sp.Transpose(matmul(*matrices))))
    return e


def _trace(e: sp.Trace):
    """tr(c M) = c tr(M); tr(Iₙ) = n; tr(Mᵀ) = tr(M), so the form with fewer transposes is
    kept."""
    M = e.arg
    if isinstance(M, sp.ZeroMatrix):
        return sp.S.Zero
    if isinstance(M, sp.Identity):
        return M.rows
    coefficient = sp.S.One
    if isinstance(M, sp.MatMul):
        coefficient, matrices = M.as_coeff_matrices()
        M = matrices[0] if len(matrices) == 1 else matmul(*matrices)
    flipped = transpose(M)
    if transposes(flipped) < transposes(M):
        M = flipped
    return e if coefficient == 1 and M is e.arg else coefficient * sp.Trace(M)


def _scalars_out_of_hadamard(e: sp.HadamardProduct):
    coefficient, factors = sp.S.One, []
    for a in e.args:
        if isinstance(a, sp.MatMul):
            c, matrices = a.as_coeff_matrices()
            coefficient *= c
            a = matrices[0] if len(matrices) == 1 else matmul(*matrices)
        if not isinstance(a, sp.OneMatrix):  # 𝟙 ⊙ A = A (an identity activation's Δ)
            factors.append(a)
    if coefficient == 1 and len(factors) == len(e.args):
        return e
    if not factors:
        factors = [sp.OneMatrix(*e.shape)]
    product = factors[0] if len(factors) == 1 else hadamard(*factors)
    return product if coefficient == 1 else scale(coefficient, product)


def _terms(e: sp.MatAdd) -> list[tuple]:
    """Each term of a sum as (scalar coefficient, list of matrix factors)."""
    result = []
    for t in e.args:
        if isinstance(t, sp.MatMul):
            c, matrices = t.as_coeff_matrices()
            result.append((c, list(matrices)))
        else:
            result.append((sp.S.One, [t]))
    return result


def _product(c, matrices: list):
    return matmul(c, *matrices)


def _common_scalar(terms: list) -> tuple:
    """The scalar factor common to all coefficients (a positive number times the common
    symbolic factors), and the terms divided by it."""
    splits = [c.as_coeff_Mul() for c, _ in terms]
    counts = [Counter(sp.Mul.make_args(rest)) for _, rest in splits]
    shared = functools.reduce(operator.and_, counts)
    numbers = [abs(number) for number, _ in splits]
    gcd = functools.reduce(sp.gcd, numbers) if all(n.is_Rational for n in numbers) else 1
    common = gcd * sp.Mul(*shared.elements())
    if common == 1 or len(terms) < 2:
        return sp.S.One, terms
    # the shared factors removed as factors, not divided by: c/common need not cancel
    # (a trace's power over itself stays a quotient)
    return common, [(number / gcd * sp.Mul(*(count - shared).elements()), m)
                    for (number, _), count, (_, m) in zip(splits, counts, terms, strict=True)]


def _factor(e: sp.MatAdd):
    """Take a common scalar, last (then first) factor, or Hadamard factor out of the terms
    (the scalar's factors are removed from the terms, so the inner sum has none left)."""
    common, terms = _common_scalar(_terms(e))
    if common != 1:  # c·(A + B), kept apart: SymPy would distribute c over the sum
        return sp.MatMul(common, _rewrite(_sum([_product(c, m) for c, m in terms])))
    for side in (-1, 0):
        groups: dict = defaultdict(list)
        for k, (_, matrices) in enumerate(terms):
            if len(matrices) >= 2:
                groups[matrices[side]].append(k)
        shared = max(groups.items(), key=lambda item: len(item[1]), default=(None, []))
        if len(shared[1]) >= 2:
            factor, members = shared
            rest = [_product(c, m[:-1] if side == -1 else m[1:])
                    for k, (c, m) in enumerate(terms) if k in members]
            inner = _rewrite(_sum(rest))
            grouped = matmul(inner, factor) if side == -1 else matmul(factor, inner)
            others = [_product(c, m) for k, (c, m) in enumerate(terms) if k not in members]
            return _sum([grouped, *others])
    return _factor_hadamard(e)


def _factor_hadamard(e: sp.MatAdd):
    users: dict = defaultdict(list)
    for k, t in enumerate(e.args):
        if isinstance(t, sp.HadamardProduct):
            for a in set(t.args):
                users[a].append(k)
    factor, members = max(users.items(), key=lambda item: len(item[1]), default=(None, []))
    if len(members) < 2:
        return e
    rest = []
    for k in members:
        args = list(e.args[k].args)
        args.remove(factor)
        rest.append(hadamard(*args))
    inner = _rewrite(_sum(rest))
    return _sum([hadamard(factor, inner),
                 *(t for k, t in enumerate(e.args) if k not in members)])


def _sum(terms: list):
    return matadd(*terms)


def _steps_and_exponentials(e: sp.Mul) -> sp.Expr:
    """One product with its exponentials multiplied into one, ``e^a e^b = e^(a + b)``, and
    its steps of one argument into one, ``H(u, a) H(u, b) = H(u, ab)``; else as it is."""
    exps = [f for f in e.args if isinstance(f, sp.exp)]
    steps: dict = defaultdict(list)
    for f in e.args:
        if isinstance(f, sp.Heaviside):
            steps[f.args[0]].append(f)
    if len(exps) < 2 and all(len(group) < 2 for group in steps.values()):
        return e
    rest = [f for f in e.args if f not in exps and not isinstance(f, sp.Heaviside)]
    if len(exps) >= 2:
        rest.append(sp.exp(sp.Add(*(f.args[0] for f in exps))))
    else:
        rest += exps
    for u, group in steps.items():
        at_zero = functools.reduce(operator.mul, (f.args[1] if len(f.args) > 1 else HALF
                                                  for f in group))
        rest.append(sp.Heaviside(u, at_zero) if len(group) > 1 else group[0])
    return sp.Mul(*rest)
