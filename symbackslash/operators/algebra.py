"""Linear operators: the entries of L when the nodes are matrices (docs/mathematics.md, operators).

An edge between matrix-valued nodes carries a linear map, not a number: dV = 𝒜(dU). An
:class:`Operator` is a SymPy expression, so operators live in SymPy matrices, print
through SymPy's printers and compare structurally. Each one has

* its action, ``op(X)``, on a matrix expression or an explicit matrix (``()`` is the shape
  of a scalar, for maps from or to scalars);
* its adjoint, ``op.T`` (the transpose-dot: ⟨Y, 𝒜X⟩ = ⟨𝒜ᵀY, X⟩ with ⟨X, Y⟩ = tr(XᵀY));
* its matrix on vec X (column-major), ``op.vec_matrix(shape)``, written from the formula
  (I ⊗ B, Aᵀ ⊗ I, Diag(vec M), …), not from the action, so the two check each other;
* its LaTeX form: ℒ_A, ℛ_B, ℋ_M, A ⊗ B, 𝒯, 𝓘, G^{T•}, ℰ_G (see :mod:`.operator_kinds`,
  :mod:`.operator_functionals` and :mod:`.operator_printing`).

This module holds the algebra: the identity, scalar multiples, sums and compositions
(``-op``, ``op1 + op2``, ``c*op``, ``op1*op2`` = op1 ∘ op2) with the simplifications that
keep printed results short, driven by two rule tables (:data:`COMPOSE_RULES`,
:data:`SUM_RULES`) that the kinds fill in. It also registers operators with the element
protocol of :mod:`.elements`, so the unchanged solvers run on them: ``act`` applies (or
composes), ``adjoint`` is the transpose-dot, ``divide`` by the identity does nothing.

>>> import sympy as sp
>>> X = sp.MatrixSymbol("X", 2, 2)
>>> I = IdentityOperator()
>>> (2*I)(X), (I - I).is_zero_operator, (-I).T
(2*X, True, -Id)
"""

from __future__ import annotations

import numbers
from collections.abc import Callable

import sympy as sp
from sympy.core.cache import cacheit
from sympy.printing.pretty.stringpict import prettyForm

from ..core.constructors import add, scale
from ..core.elements import (
    act,
    adjoint,
    compose,
    divide,
    is_unit,
    is_zero,
    one,
    subtract,
    zero,
)
from ..core.shapes import as_scalar, shape_of, shapes_differ, size
from ..errors import InputError
from .printing import ATOM, COMPOSITION, SUM, composed, scaled, summed

__all__ = ["Operator", "IdentityOperator", "ScaledOperator", "OperatorSum", "Compose",
           "COMPOSE_RULES", "SUM_RULES", "ABSORBS_SCALARS", "compose_rule"]

#: Pairs (left kind, right kind) → rule(left, right) giving left ∘ right in a simpler form:
#: an operator, a tuple of operators (a reordering), a scalar (a map of scalars), or None.
COMPOSE_RULES: dict[tuple[type, type], Callable] = {}
#: Kind → rule(list of (coefficient, operator)) merging a sum of operators of that kind.
SUM_RULES: dict[type, Callable] = {}
#: Kinds whose scalar multiples are written inside (c·G^{T•} = (cG)^{T•}), by their sum rule.
ABSORBS_SCALARS: set[type] = set()


class Operator(sp.Expr):
    """A linear map between spaces of matrices or scalars.

    Subclasses implement ``_apply(X)``, ``adjoint()``, ``codomain(shape)`` (the shape of
    the result for an input of ``shape``, raising :class:`InputError` for a wrong one),
    ``vec_matrix(shape)`` and the printer hooks ``_sympystr``, ``_pretty``, ``_latex``
    (:mod:`.operator_printing`).
    """

    is_commutative = False
    is_Operator = True
    _op_priority = 20.0
    #: Printing precedence (:mod:`.operator_printing`): kinds are atoms.
    precedence = ATOM

    # --- what every kind provides ----------------------------------------------------
    def _apply(self, X):
        raise NotImplementedError

    def adjoint(self) -> Operator:
        """The adjoint 𝒜ᵀ: ⟨Y, 𝒜X⟩ = ⟨𝒜ᵀY, X⟩."""
        raise NotImplementedError

    def codomain(self, shape: tuple) -> tuple:
        """The shape of 𝒜(X) for X of ``shape``; :class:`InputError` if 𝒜 cannot act on it."""
        raise NotImplementedError

    def vec_matrix(self, shape: tuple) -> sp.Matrix:
        """The matrix of the operator on vec X (column-major) for X of ``shape``."""
        raise NotImplementedError

    @property
    def is_zero_operator(self) -> bool:
        """Whether the operator is structurally zero."""
        return False

    # --- action and algebra ------------------------------------------------------------
    def __call__(self, X):
        """Apply the operator: 𝒜(X)."""
        self.codomain(shape_of(X))
        return self._apply(X)

    @property
    def T(self) -> Operator:
        """The adjoint (transpose-dot), as ``A.T`` is the transpose of a matrix."""
        return self.adjoint()

    def _eval_is_zero(self):
        return True if self.is_zero_operator else None

    def __neg__(self):
        return ScaledOperator(-1, self)

    def __pos__(self):
        return self

    def __add__(self, other):
        if _is_plain_zero(other):
            return self
        return OperatorSum(self, _as_operator(other, "+"))

    def __radd__(self, other):
        return self.__add__(other)

    def __sub__(self, other):
        if _is_plain_zero(other):
            return self
        return OperatorSum(self, -_as_operator(other, "-"))

    def __rsub__(self, other):
        if _is_plain_zero(other):
            return -self
        return OperatorSum(_as_operator(other, "-"), -self)

    def __mul__(self, other):
        if isinstance(other, Operator):
            return Compose(self, other)
        return ScaledOperator(other, self)

    def __rmul__(self, other):
        if isinstance(other, (sp.MatrixBase, sp.MatrixExpr)):
            raise InputError(f"a matrix times the operator {self}: apply an operator with "
                             f"op(X), compose operators with op1*op2")
        return ScaledOperator(other, self)

    def __truediv__(self, other):
        return ScaledOperator(1 / as_scalar(other), self)

    def __pow__(self, n):
        if not isinstance(n, numbers.Integral) or n < 0:
            raise InputError(f"an operator power needs a non-negative integer, not {n!r}")
        return Compose(*([self] * n)) if n else IdentityOperator()

    def __rpow__(self, other):
        raise InputError(f"{other} ** {self}: an operator cannot be an exponent")

    def __rtruediv__(self, other):
        raise InputError(f"{other} / {self}: operators are never inverted")



def _is_plain_zero(x) -> bool:
    return not isinstance(x, (Operator, sp.MatrixBase, sp.MatrixExpr)) and isinstance(
        x, (sp.Expr, numbers.Number)) and x == 0


def _as_operator(x, what: str) -> Operator:
    if isinstance(x, Operator):
        return x
    raise InputError(f"operator {what} {type(x).__name__}: both sides must be operators "
                     f"(write c*op for a scalar multiple)")


class IdentityOperator(Operator):
    """𝓘: X ↦ X on any space (the diagonal entry of I − L for a matrix node)."""

    def __new__(cls):
        return super().__new__(cls)

    def _apply(self, X):
        return X

    def adjoint(self):
        return self

    def codomain(self, shape):
        return shape

    def vec_matrix(self, shape):
        return sp.eye(size(shape))

    def _sympystr(self, printer):
        return "Id"

    def _latex(self, printer):
        return r"\mathcal{I}"

    def _pretty(self, printer):
        return prettyForm("𝓘" if printer._use_unicode else "Id")


class ScaledOperator(Operator):
    """c·𝒜: X ↦ c 𝒜(X), for a scalar c (negation is c = −1)."""

    precedence = COMPOSITION

    def __new__(cls, c, operator, evaluate: bool = True):
        c, operator = as_scalar(c), _as_operator(operator, "scaled by")
        if not evaluate:
            return super().__new__(cls, c, operator)
        if isinstance(operator, ScaledOperator):
            c, operator = c * operator.coefficient, operator.operator
        if c == 1:
            return operator
        if type(operator) in ABSORBS_SCALARS:
            return SUM_RULES[type(operator)]([(c, operator)])
        return super().__new__(cls, c, operator)

    @property
    def coefficient(self):
        return self.args[0]

    @property
    def operator(self) -> Operator:
        return self.args[1]

    @property
    def is_zero_operator(self):
        return self.coefficient == 0 or self.operator.is_zero_operator

    def _apply(self, X):
        return scale(self.coefficient, self.operator._apply(X))

    def adjoint(self):
        return ScaledOperator(self.coefficient, self.operator.adjoint())

    def codomain(self, shape):
        return self.operator.codomain(shape)

    def vec_matrix(self, shape):
        return self.coefficient * self.operator.vec_matrix(shape)

    def _sympystr(self, printer):
        return scaled(printer, self.coefficient, self.operator)

    _latex = _pretty = _sympystr


def _terms(op) -> list[tuple]:
    """``op`` as a list of (coefficient, operator) terms."""
    if isinstance(op, OperatorSum):
        return [t for arg in op.args for t in _terms(arg)]
    if isinstance(op, ScaledOperator):
        return [(op.coefficient * c, o) for c, o in _terms(op.operator)]
    return [(sp.S.One, op)]


class OperatorSum(Operator):
    """𝒜 + 𝓑 + …: X ↦ 𝒜(X) + 𝓑(X) + …; like terms are merged (ℒ_A + ℒ_B = ℒ_{A+B})."""

    precedence = SUM

    def __new__(cls, *terms, evaluate: bool = True):
        terms = [_as_operator(t, "+") for t in terms]
        if not evaluate:
            return super().__new__(cls, *terms)
        collected: dict = {}
        for c, op in (t for term in terms for t in _terms(term)):
            collected[op] = collected.get(op, sp.S.Zero) + c
        by_kind: dict = {}
        for op, c in collected.items():
            by_kind.setdefault(type(op) if type(op) in SUM_RULES else op, []).append((c, op))
        merged = []
        for kind, items in by_kind.items():
            if isinstance(kind, type) and len(items) > 1:
                merged.append(SUM_RULES[kind](items))
            else:
                merged += [ScaledOperator(c, op) for c, op in items]
        nonzero = [op for op in merged if not op.is_zero_operator]
        if not nonzero:
            return merged[0] if merged else terms[0]
        if len(nonzero) == 1:
            return nonzero[0]
        return super().__new__(cls, *sorted(nonzero, key=sp.default_sort_key))

    @property
    def is_zero_operator(self):
        return all(t.is_zero_operator for t in self.args)

    def _apply(self, X):
        return add(*(t._apply(X) for t in self.args))

    def adjoint(self):
        return OperatorSum(*(t.adjoint() for t in self.args))

    def codomain(self, shape):
        shapes = [t.codomain(shape) for t in self.args]
        if any(shapes_differ(s, shapes[0]) for s in shapes):
            raise InputError(f"the terms of {self} give results of different shapes: {shapes}")
        return shapes[0]

    def vec_matrix(self, shape):
        return sum((t.vec_matrix(shape) for t in self.args[1:]), self.args[0].vec_matrix(shape))

    def _sympystr(self, printer):
        return summed(printer, self.args)

    _latex = _pretty = _sympystr


def _factors(op) -> tuple:
    """``op`` as (scalar coefficient, list of composed factors)."""
    if isinstance(op, ScaledOperator):
        c, factors = _factors(op.operator)
        return op.coefficient * c, factors
    if isinstance(op, Compose):
        return sp.S.One, list(op.args)
    if isinstance(op, IdentityOperator):
        return sp.S.One, []
    return sp.S.One, [op]


def compose_rule(left: type, right: type, rule: Callable) -> None:
    """Register ``rule(a, b)`` simplifying a ∘ b for kinds (left, right)."""
    COMPOSE_RULES[(left, right)] = rule


def _rule(a, b):
    for left in type(a).__mro__:
        for right in type(b).__mro__:
            rule = COMPOSE_RULES.get((left, right))
            if rule is not None:
                return rule
    return None


class Compose(Operator):
    """𝒜 ∘ 𝓑 ∘ …: X ↦ 𝒜(𝓑(…X)), the rightmost factor acting first (``op1*op2``).

    Scalars move to the front, identities drop out, and neighbours merge by
    :data:`COMPOSE_RULES` (ℒ_A ∘ ℒ_B = ℒ_{AB}, the reversal rule G^{T•} ∘ 𝒜 = (𝒜ᵀG)^{T•} …).
    A chain that collapses to a map of scalars is returned as that scalar.
    """

    precedence = COMPOSITION

    def __new__(cls, *factors, evaluate: bool = True):
        factors = [_as_operator(f, "∘") for f in factors]
        if not evaluate:
            return super().__new__(cls, *factors)
        coefficient, chain, scalar_map = sp.S.One, [], False
        for f in factors:
            c, fs = _factors(f)
            coefficient, chain = coefficient * c, chain + fs
        k = 0
        while k < len(chain) - 1:
            rule = _rule(chain[k], chain[k + 1])
            result = rule(chain[k], chain[k + 1]) if rule else None
            if result is None:
                k += 1
                continue
            if isinstance(result, tuple):
                replacement = list(result)
            elif isinstance(result, Operator):
                c, replacement = _factors(result)
                coefficient *= c
            else:  # the pair maps scalars to scalars: a number
                coefficient, replacement, scalar_map = coefficient * result, [], True
            chain[k:k + 2] = replacement
            k = max(k - 1, 0)
        if not chain:
            return coefficient if scalar_map else ScaledOperator(coefficient, IdentityOperator())
        body = chain[0] if len(chain) == 1 else super().__new__(cls, *chain)
        return ScaledOperator(coefficient, body)

    @property
    def is_zero_operator(self):
        return any(f.is_zero_operator for f in self.args)

    def _apply(self, X):
        for f in reversed(self.args):
            X = f._apply(X)
        return X

    def adjoint(self):
        return Compose(*(f.adjoint() for f in reversed(self.args)))

    def codomain(self, shape):
        for f in reversed(self.args):
            shape = f.codomain(shape)
        return shape

    def vec_matrix(self, shape):
        matrix = sp.eye(size(shape))
        for f in reversed(self.args):
            matrix = f.vec_matrix(shape) * matrix
            shape = f.codomain(shape)
        return matrix

    def _sympystr(self, printer):
        return composed(printer, self.args)

    _latex = _pretty = _sympystr


# --- the element protocol (docs/mathematics.md): the solvers need nothing else ------------------


@act.register
def _(a: Operator, x):
    return Compose(a, x) if isinstance(x, Operator) else a(x)


@compose.register
def _(a: Operator, b):
    # a scalar entry b is the map s ↦ b·s, which commutes with the linear a
    return Compose(a, b) if isinstance(b, Operator) else ScaledOperator(b, a)


@adjoint.register
def _(a: Operator):
    return a.adjoint()


@divide.register
def _(d: Operator, r):
    if isinstance(d, IdentityOperator):
        return r
    raise InputError(f"the diagonal entry {d} is not the identity operator; the triangular "
                     f"solvers never invert an operator (use I − L with L strictly triangular)")


@subtract.register
def _(b: Operator, terms):
    return OperatorSum(b, *(-t for t in terms))


@is_zero.register
def _(a: Operator) -> bool:
    return a.is_zero_operator


@is_unit.register
def _(a: Operator) -> bool:
    if isinstance(a, ScaledOperator):
        return a.coefficient in (1, -1) and isinstance(a.operator, IdentityOperator)
    return isinstance(a, IdentityOperator)


@one.register
def _(node: sp.MatrixSymbol):
    return IdentityOperator()


@zero.register
def _(node: sp.MatrixSymbol):
    return _zero_matrix(*node.shape)


@cacheit
def _zero_matrix(rows, cols) -> sp.ZeroMatrix:
    """The zero matrix of a shape, made once (a solve needs one per node; kept in SymPy's
    cache)."""
    return sp.ZeroMatrix(rows, cols)
