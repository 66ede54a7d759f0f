"""Matrix expressions built one level at a time, so that building them costs linear time.

SymPy's operators on matrix expressions re-canonicalise everything below the new node:
``A*B``, ``A + B`` and ``-A`` call a deep ``doit()``, ``hadamard_product`` too, and ``A.T``
pushes the transpose down to the leaves, canonicalising every level again. And SymPy does
not store shapes: ``shape`` recurses down the first (or last) operand, so every
constructor that checks shapes costs the depth of its operands. Back substitution builds
its results a layer at a time; with those operations an N-layer result costs O(N²) and a
recursion as deep as the result.

The constructors here canonicalise only the new top level (the operands are canonical
already) with SymPy's own rules, and read shapes from a memo (:func:`shape`):
:func:`matmul`, :func:`matadd`, :func:`hadamard`, :func:`elementwise`, :func:`scale` and
:func:`add` (any kind of value). SymPy canonicalises a *view* of the new node in which
every deeply nested operand stands in as a matrix symbol of its shape, so its rules run in
constant time; the operands are put back without re-checking shapes, and sums and
element-wise products are sorted by SymPy's key as SymPy sorts them. Small expressions
are canonicalised by SymPy directly, so their results are exactly SymPy's.

:func:`transpose` gives what ``e.T`` gives, flipping each distinct subexpression once;
:func:`transposes` counts the transposes of an expression the same way. The memos are
kept across calls (caches, emptied once they are large).

>>> import sympy as sp
>>> A, B, C = (sp.MatrixSymbol(n, 2, 2) for n in "ABC")
>>> transpose(matadd(matmul(A, B), C)), transpose(matadd(matmul(A, B), C)) == (A*B + C).T
(B.T*A.T + C.T, True)
>>> scale(-1, matmul(2, A, B)), hadamard(A, B, A), transposes(A.T*B.T + C.T)
(-2*A*B, HadamardProduct(HadamardPower(A, 2), B), 3)
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import operator

import sympy as sp
from sympy.core.symbol import Str
from sympy.matrices.expressions.applyfunc import ElementwiseApplyFunction
from sympy.matrices.expressions.hadamard import canonicalize as _canonical_hadamard

from .walk import IdentityMemo, fold, substitute

__all__ = ["matmul", "matrix_symbol", "matadd", "hadamard", "elementwise", "scale", "add",
           "canonical", "transpose", "transposes", "shape", "nesting"]

#: Operands nested deeper than this stand in as symbols while SymPy canonicalises.
DEEP = 12
#: Entries each memo may hold before it is emptied (between two calls).
CACHE_SIZE = 2**16

_FLIPPED = IdentityMemo()
_COUNTS = IdentityMemo()
_SHAPES = IdentityMemo()
_NESTING = IdentityMemo()
_DIGESTS = IdentityMemo()


def _cache(memo: IdentityMemo) -> IdentityMemo:
    if len(memo) > CACHE_SIZE:
        memo.clear()
    return memo


def _symbolic(value) -> bool:
    """A matrix expression that is not an explicit matrix."""
    return isinstance(value, sp.MatrixExpr) and not isinstance(value, sp.MatrixBase)


# --- shapes and nesting depth, memoised -----------------------------------------------

_FIRST = (sp.MatAdd, sp.HadamardProduct, sp.HadamardPower, sp.MatPow, sp.Inverse)


def _shape_operands(e) -> tuple:
    if isinstance(e, sp.MatMul):
        matrices = [a for a in e.args if a.is_Matrix]
        return (matrices[0], matrices[-1])
    if isinstance(e, _FIRST) or isinstance(e, sp.Transpose):
        return e.args[:1]
    if isinstance(e, ElementwiseApplyFunction):
        return (e.expr,)
    return ()


def _shape(e, shapes: list) -> tuple:
    if isinstance(e, sp.MatMul):
        return (shapes[0][0], shapes[-1][1])
    if isinstance(e, sp.Transpose):
        return shapes[0][::-1]
    if shapes:
        return shapes[0]
    return tuple(e.shape)


def shape(e) -> tuple:
    """``e.shape``, each distinct subexpression's shape found once (SymPy recomputes it
    through the operands at every call)."""
    if not _symbolic(e) or isinstance(e, sp.MatrixSymbol):
        return tuple(e.shape)
    if type(e) is sp.Transpose and isinstance(e.arg, sp.MatrixSymbol):
        return tuple(e.arg.shape[::-1])
    return fold(e, _shape, _cache(_SHAPES), _shape_operands)


def _matrix_operands(e) -> tuple:
    if not _symbolic(e) or isinstance(e, sp.MatrixSymbol):
        return ()
    return tuple(a for a in e.args if _symbolic(a))


def nesting(e) -> int:
    """How deeply matrix operations nest in ``e`` (a symbol: 0)."""
    return fold(e, lambda s, depths: 1 + max(depths, default=-1), _cache(_NESTING),
                _matrix_operands)


# --- one level of SymPy's canonical form -------------------------------------------------

class _Operand(sp.MatrixSymbol):
    """A deeply nested operand, standing in while SymPy canonicalises one level."""


_EXPOSED = (sp.MatMul, sp.MatAdd, sp.HadamardProduct)


def _raw(cls, args):
    """An instance built from canonical operands of known shapes, without SymPy's checks
    (which would walk the operands), and hashed (see :func:`~.walk.rebuild`)."""
    result = sp.Basic.__new__(cls, *args)
    hash(result)
    return result


def _one_level(node, canonicalize):
    """``canonicalize(node)`` with SymPy's rules, its deep operands standing in as symbols.

    The operands of ``node`` and, for products and sums among them, their operands are
    shown to SymPy (flattening, coefficients, like terms); anything nested deeper than
    :data:`DEEP` below that is replaced by an :class:`_Operand` of its shape.
    """
    if max((nesting(a) for a in node.args if _symbolic(a)), default=0) <= DEEP:
        return canonicalize(node)
    exposed = {id(a) for a in node.args if isinstance(a, _EXPOSED)}
    views = IdentityMemo()  # operand → what SymPy sees of it
    back: dict = {}

    def view(x):
        if not _symbolic(x) or nesting(x) <= DEEP // 2:
            return x
        if x not in views:
            seen = _raw(type(x), [view(a) for a in x.args]) if id(x) in exposed else \
                _Operand(f"_operand{len(views)}", *shape(x))
            views[x], back[seen] = seen, x
        return views[x]

    canonical = canonicalize(_raw(type(node), [view(a) for a in node.args]))
    result = substitute(canonical, back)  # the operands put back
    if isinstance(canonical, (sp.MatAdd, sp.HadamardProduct)):  # SymPy sorted the views
        args = sorted(result.args, key=_order)
        if any(a is not b for a, b in zip(args, result.args, strict=True)):
            result = _raw(type(result), args)
    return result


def _order(term) -> tuple:
    """The sort key of a term of a sum or element-wise product: first by kind, as SymPy
    orders, then by SymPy's key for small terms and by a digest of the structure for deep
    ones (SymPy's key is a tuple as deep as the term, computed and compared recursively)."""
    if nesting(term) <= DEEP:
        return (term.class_key(), 0, sp.default_sort_key(term))
    return (term.class_key(), 1, _digest(term))


def _digest_one(e, digests: list) -> bytes:
    head = type(e).__name__ if e.args else f"{type(e).__name__}:{e}"
    return hashlib.blake2b(head.encode() + b"".join(digests), digest_size=16).digest()


def _digest(e) -> bytes:
    """A digest of ``e``'s structure (equal expressions, equal digests), each distinct
    subexpression digested once."""
    return fold(e, _digest_one, _cache(_DIGESTS))


def _doit_one_level(e):
    return e.doit(deep=False)  # SymPy's rules for the top level of a product or a sum


def _sizes_differ(p, q) -> bool:
    """Two sizes that are different numbers (symbolic sizes may be equal)."""
    return _number(p) and _number(q) and p != q


def _number(size) -> bool:
    return isinstance(size, int) or size.is_Number


def _plain(a) -> bool:
    """A matrix symbol or the transpose of one: no rule of SymPy's products or element-wise
    products rewrites it (unlike identities, zeros, ones, inverses, powers, products)."""
    return isinstance(a, sp.MatrixSymbol) or (type(a) is sp.Transpose
                                              and isinstance(a.args[0], sp.MatrixSymbol))


def _plain_product(factors: list) -> bool:
    """SymPy's product rules leave ``MatMul(*factors)`` as it is: an optional rational
    coefficient other than 0 and 1 first, then plain matrices (:func:`_plain`), no two
    neighbours equal (they would make a power)."""
    matrices = factors[1:] if factors[0].is_Rational and factors[0] not in (0, 1) else factors
    return (len(matrices) > 1 and all(map(_plain, matrices))
            and all(a != b for a, b in itertools.pairwise(matrices)))


def matrix_symbol(name: str, rows, cols, cls=sp.MatrixSymbol) -> sp.MatrixSymbol:
    """``cls(name, rows, cols)`` for sizes taken from an existing matrix (checked when it was
    made), without SymPy's checks of the sizes again."""
    return sp.Basic.__new__(cls, Str(name), sp.sympify(rows, strict=True),
                            sp.sympify(cols, strict=True))


def matmul(*factors):
    """The product of matrices and scalars (explicit ones multiplied out)."""
    if not any(map(_symbolic, factors)):
        return functools.reduce(operator.mul, factors)
    if len(factors) == 1:
        return factors[0]
    factors = [sp.sympify(f) for f in factors]
    shapes = [shape(f) for f in factors if f.is_Matrix]
    for (_, cols), (rows, _) in itertools.pairwise(shapes):
        if _sizes_differ(cols, rows):  # as SymPy's constructor would raise
            raise sp.ShapeError("Matrices are not aligned", cols, rows)
    if _plain_product(factors):  # the adjoints of a network: Wᵀ·X̄, X̄·Hᵀ
        return _raw(sp.MatMul, factors)
    return _one_level(_raw(sp.MatMul, factors), _doit_one_level)


def matadd(*terms):
    """The sum of matrices of one shape."""
    if not any(map(_symbolic, terms)):
        return functools.reduce(operator.add, terms)
    terms = [t for t in terms if not isinstance(t, sp.ZeroMatrix)] or terms[:1]
    if len(terms) == 1:
        return terms[0]
    return _one_level(_raw(sp.MatAdd, terms), _doit_one_level)


def hadamard(*factors):
    """The element-wise product of matrices of one shape."""
    if len(factors) == 1:
        return factors[0]
    if not all(map(_symbolic, factors)):
        return sp.hadamard_product(*factors)  # SymPy merges the explicit factors
    first, *others = map(shape, factors)
    for other in others:
        if any(map(_sizes_differ, first, other)):  # as SymPy's constructor would raise
            raise sp.ShapeError("Matrices have mismatching shape:", first, other)
    if all(map(_small, factors)) \
            and len(set(factors)) == len(factors):  # h'.(U) ⊙ X̄ in a network's adjoints
        # SymPy sorts by its key, whose first part is the class's key: factors of different
        # classes are in order by that alone (a function's whole key is slow to make)
        kinds = [f.class_key() for f in factors]
        key = (lambda f: f.class_key()) if len(set(kinds)) == len(kinds) else sp.default_sort_key
        return _raw(sp.HadamardProduct, sorted(factors, key=key))
    return _one_level(_raw(sp.HadamardProduct, factors), _canonical_hadamard)


def _small(factor) -> bool:
    """A factor of an element-wise product that SymPy's rules keep as it is, only sorted: a
    matrix symbol, its transpose, h.(X) of a matrix symbol X."""
    if isinstance(factor, sp.MatrixSymbol):
        return True
    kind = type(factor)
    return (kind is sp.Transpose or kind is ElementwiseApplyFunction) \
        and isinstance(factor.args[-1], sp.MatrixSymbol)


def elementwise(function: sp.Lambda, X):
    """h.(X) for a function given as a ``Lambda`` (SymPy's constructor reads X's shape)."""
    if _symbolic(X) and shape(X) != (1, 1):
        return _raw(ElementwiseApplyFunction, [function, X])
    try:  # SymPy applies the function to a 1×1 matrix itself, which may fail
        return ElementwiseApplyFunction(function, X)
    except (NotImplementedError, TypeError, ValueError):
        if not _symbolic(X):
            raise
        return _raw(ElementwiseApplyFunction, [function, X])


def scale(c, value):
    """``c·value`` for a scalar ``c`` and a scalar or matrix value."""
    if c == 1:
        return value
    if c == -1 and _symbolic(value):
        return _negated(value)
    return matmul(c, value) if _symbolic(value) else c * value


#: Matrices whose negation SymPy writes as the product (−1)·X, unchanged inside.
_NEGATED_AS_PRODUCT = (sp.MatrixSymbol, sp.Transpose, sp.HadamardProduct,
                       ElementwiseApplyFunction, sp.Inverse)


def _negated(value):
    """``−value`` for a canonical matrix ``value``, as SymPy's product makes it: −(−X) = X
    and −(A·B) = (−1)·A·B without canonicalising the factors again (they are canonical);
    other cases (sums, coefficients, zero) through :func:`matmul`."""
    if isinstance(value, sp.MatMul):
        first = value.args[0]
        if first is sp.S.NegativeOne:
            rest = value.args[1:]
            return rest[0] if len(rest) == 1 else _raw(sp.MatMul, rest)
        if _symbolic(first):  # no scalar or explicit matrix for −1 to merge with
            return _raw(sp.MatMul, (sp.S.NegativeOne, *value.args))
    elif isinstance(value, _NEGATED_AS_PRODUCT):
        return _raw(sp.MatMul, (sp.S.NegativeOne, value))
    return matmul(-1, value)


def add(*values):
    """The sum of scalars, or of matrices of one shape."""
    if any(map(_symbolic, values)):
        return matadd(*values)
    if all(isinstance(v, sp.Expr) for v in values):
        return sp.Add(*values)
    return functools.reduce(operator.add, values)


def canonical(e):
    """``e`` with its top level as SymPy's operators build it from ``e``'s operands (a
    product, sum, element-wise product or transpose put together without evaluation, as
    substitution does, is evaluated one level)."""
    if isinstance(e, sp.MatMul):
        return matmul(*e.args)
    if isinstance(e, sp.MatAdd):
        return matadd(*e.args)
    if isinstance(e, sp.HadamardProduct):
        return hadamard(*e.args)
    if isinstance(e, sp.Transpose):
        return transpose(e.arg)
    return e


# --- transposes --------------------------------------------------------------------------

def _flip_children(e) -> tuple:
    """The operands whose transposes ``eᵀ`` is made of (SymPy pushes transposes into
    these heads)."""
    if isinstance(e, (sp.MatAdd, sp.HadamardProduct)):
        return e.args
    if isinstance(e, sp.MatMul):
        return tuple(a for a in e.args if a.is_Matrix)
    if isinstance(e, ElementwiseApplyFunction):
        return (e.expr,)
    if isinstance(e, (sp.HadamardPower, sp.MatPow, sp.Inverse)):
        return e.args[:1]
    return ()


def _flip(e, flipped: list):
    """eᵀ one level down, from the transposes of :func:`_flip_children` (as SymPy's
    ``_eval_transpose`` of each head writes it)."""
    if isinstance(e, sp.Transpose):
        return e.arg
    if isinstance(e, sp.MatAdd):
        return matadd(*flipped)
    if isinstance(e, sp.MatMul):
        coefficient = sp.Mul(*(a for a in e.args if not a.is_Matrix))
        return matmul(coefficient, *reversed(flipped))
    if isinstance(e, ElementwiseApplyFunction):
        return elementwise(e.function, flipped[0])
    if isinstance(e, (sp.HadamardProduct, sp.HadamardPower, sp.MatPow, sp.Inverse)):
        return _raw(type(e), [*flipped, *e.args[len(flipped):]])
    return sp.Transpose(e).doit(deep=False)


def _flip_both_ways(e, flipped: list):
    """eᵀ, and e remembered as the transpose of eᵀ: flipping twice gives e itself, not an
    equal copy (equal copies make SymPy compare them recursively)."""
    result = _flip(e, flipped)
    if flipped:
        _FLIPPED.setdefault(result, e)
    return result


def transpose(e):
    """eᵀ as SymPy's ``e.T`` writes it ((AB + C)ᵀ = BᵀAᵀ + Cᵀ, Uᵀᵀ = U), each distinct
    subexpression flipped once."""
    if not _symbolic(e):
        return e.T  # an explicit matrix
    if type(e) is sp.MatrixSymbol:
        return _raw(sp.Transpose, [e])
    return fold(e, _flip_both_ways, _cache(_FLIPPED), _flip_children)


def transposes(e) -> int:
    """How many transposes ``e`` contains (a shared subexpression counted at every use)."""
    return fold(e, lambda s, counts: int(isinstance(s, sp.Transpose)) + sum(counts),
                _cache(_COUNTS))
