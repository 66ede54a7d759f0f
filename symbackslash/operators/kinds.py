"""The kinds of operator that matrix calculus needs (docs/mathematics.md), one class each.

==================  ================  ===============  ====================  ===========
kind                map X ↦           LaTeX            matrix on vec X       adjoint
==================  ================  ===============  ====================  ===========
LeftMultiply(A)     A X               ℒ_A              I ⊗ A                 ℒ_{Aᵀ}
RightMultiply(B)    X B               ℛ_B              Bᵀ ⊗ I                ℛ_{Bᵀ}
Hadamard(M)         M ⊙ X             ℋ_M              Diag(vec M)           itself
Kronecker(A, B)     B X Aᵀ            A ⊗ B            A ⊗ B                 Aᵀ ⊗ Bᵀ
TransposeOperator   Xᵀ                𝒯                commutation matrix    itself
ZeroOperator(d, c)  0                 𝒪                zeros                 zero (c → d)
==================  ================  ===============  ====================  ===========

plus the identity 𝓘, scalar multiples, sums and compositions of :mod:`.operators`, and the
operators between matrices and scalars, the transpose-dot G^{T•} (``TraceFunctional``) and
its adjoint ℰ_G (``ScalarEmbedding``), in :mod:`.operator_functionals`. The rules registered
here keep results short: ℒ_A ∘ ℒ_B = ℒ_{AB}, ℛ_A ∘ ℛ_B = ℛ_{BA}, ℋ_A ∘ ℋ_B = ℋ_{A⊙B},
𝒯 ∘ 𝒯 = 𝓘, ℒ before ℛ (they commute), 𝒜 ∘ 0 = 0, and sums of one kind merge
(ℒ_A + ℒ_B = ℒ_{A+B}). The helpers for kinds defined by one matrix (the base ``_WithMatrix``,
:func:`merge_rule` …) serve :mod:`.operator_functionals` too.

>>> import sympy as sp
>>> A, B, X = (sp.MatrixSymbol(n, 2, 2) for n in "ABX")
>>> LeftMultiply(A) * LeftMultiply(B)
L_(A*B)
>>> sp.latex(Hadamard(A) * RightMultiply(X).T)
'\\\\mathcal{H}_{A} \\\\circ \\\\mathcal{R}_{X^{T}}'
"""

from __future__ import annotations

import sympy as sp
from sympy.printing.pretty.stringpict import prettyForm

from ..core.constructors import add, hadamard, matmul, scale, transpose
from ..core.shapes import as_matrix, as_shape, describe, differ, shape_of, shapes_differ, size
from ..errors import InputError, boundary
from .algebra import SUM_RULES, IdentityOperator, Operator, compose_rule
from .printing import subscripted

__all__ = ["LeftMultiply", "RightMultiply", "Hadamard", "Kronecker", "TransposeOperator",
           "ZeroOperator", "vec", "matrix_shape", "mismatch", "merge_rule"]


def _explicit(A) -> sp.Matrix:
    if any(not isinstance(n, (int, sp.Integer)) for n in A.shape):
        raise InputError(f"a vec matrix needs integer shapes; {A} is {A.shape[0]} × {A.shape[1]}")
    return sp.Matrix(A.as_explicit() if isinstance(A, sp.MatrixExpr) else A)


@boundary
def vec(X) -> sp.Matrix:
    """vec X: the columns of X stacked (column-major), as an explicit column."""
    if not isinstance(X, (sp.MatrixBase, sp.MatrixExpr)):
        raise InputError(f"vec needs a matrix, not {type(X).__name__}")
    X = _explicit(X)
    return sp.Matrix([X[i, j] for j in range(X.cols) for i in range(X.rows)])


def _is_zero_matrix(A) -> bool:
    return isinstance(A, sp.ZeroMatrix) or (
        isinstance(A, sp.MatrixBase) and A.is_zero_matrix is True)


def matrix_shape(op, shape: tuple) -> tuple:
    """``shape``, when it is the shape of a matrix; :class:`InputError` for a scalar."""
    if len(shape) != 2:
        raise InputError(f"{op} acts on matrices, not on scalars")
    return shape


def mismatch(op, expected: str, shape: tuple):
    """The :class:`InputError` for a matrix that ``op`` cannot act on."""
    return InputError(f"{op} acts on matrices with {expected}; got a {shape[0]} × {shape[1]} "
                      f"matrix")


class _WithMatrix(Operator):
    """A kind defined by one matrix (ℒ_A, ℛ_B, ℋ_M, G^{T•}, ℰ_G)."""

    letters: tuple = ("", "", "")

    def __new__(cls, M):
        return super().__new__(cls, as_matrix(M, f"the matrix of {cls.__name__}"))

    @property
    def matrix(self):
        """The matrix that defines the operator."""
        return self.args[0]

    @property
    def is_zero_operator(self):
        return _is_zero_matrix(self.matrix)

    def _sympystr(self, printer):
        return subscripted(printer, self.letters, self.matrix)

    _latex = _pretty = _sympystr


class LeftMultiply(_WithMatrix):
    """ℒ_A: X ↦ A X. On vec X: I ⊗ A. Adjoint: ℒ_{Aᵀ}."""

    letters = ("L", "ℒ", r"\mathcal{L}")

    def __new__(cls, A):
        return IdentityOperator() if isinstance(A, sp.Identity) else super().__new__(cls, A)

    def _apply(self, X):
        return matmul(self.matrix, X)

    def adjoint(self):
        return LeftMultiply(transpose(self.matrix))

    def codomain(self, shape):
        rows, cols = matrix_shape(self, shape)
        m, n = shape_of(self.matrix)
        if differ(rows, n):
            raise mismatch(self, f"{n} rows", shape)
        return (m, cols)

    def vec_matrix(self, shape):
        self.codomain(shape)
        return sp.kronecker_product(sp.eye(int(shape[1])), _explicit(self.matrix))


class RightMultiply(_WithMatrix):
    """ℛ_B: X ↦ X B. On vec X: Bᵀ ⊗ I. Adjoint: ℛ_{Bᵀ}."""

    letters = ("R", "ℛ", r"\mathcal{R}")

    def __new__(cls, B):
        return IdentityOperator() if isinstance(B, sp.Identity) else super().__new__(cls, B)

    def _apply(self, X):
        return matmul(X, self.matrix)

    def adjoint(self):
        return RightMultiply(transpose(self.matrix))

    def codomain(self, shape):
        rows, cols = matrix_shape(self, shape)
        m, n = shape_of(self.matrix)
        if differ(cols, m):
            raise mismatch(self, f"{m} columns", shape)
        return (rows, n)

    def vec_matrix(self, shape):
        self.codomain(shape)
        return sp.kronecker_product(_explicit(self.matrix).T, sp.eye(int(shape[0])))


class Hadamard(_WithMatrix):
    """ℋ_M: X ↦ M ⊙ X (element-wise product). On vec X: Diag(vec M). Self-adjoint."""

    letters = ("H", "ℋ", r"\mathcal{H}")

    def __new__(cls, M):
        return IdentityOperator() if isinstance(M, sp.OneMatrix) else super().__new__(cls, M)

    def _apply(self, X):
        return hadamard(self.matrix, X)

    def adjoint(self):
        return self

    def codomain(self, shape):
        matrix_shape(self, shape)
        if shapes_differ(shape, shape_of(self.matrix)):
            raise mismatch(self, "shape {} × {}".format(*shape_of(self.matrix)), shape)
        return shape

    def vec_matrix(self, shape):
        self.codomain(shape)
        return sp.diag(*vec(self.matrix))


class Kronecker(Operator):
    """A ⊗ B: X ↦ B X Aᵀ. On vec X: the Kronecker product A ⊗ B. Adjoint: Aᵀ ⊗ Bᵀ."""

    def __new__(cls, A, B):
        A, B = as_matrix(A, "A of A ⊗ B"), as_matrix(B, "B of A ⊗ B")
        if isinstance(A, sp.Identity) and isinstance(B, sp.Identity):
            return IdentityOperator()
        return super().__new__(cls, A, B)

    @property
    def is_zero_operator(self):
        return _is_zero_matrix(self.args[0]) or _is_zero_matrix(self.args[1])

    def _apply(self, X):
        A, B = self.args
        return matmul(B, X, transpose(A))

    def adjoint(self):
        A, B = self.args
        return Kronecker(transpose(A), transpose(B))

    def codomain(self, shape):
        A, B = self.args
        rows, cols = matrix_shape(self, shape)
        if differ(rows, B.cols) or differ(cols, A.cols):
            raise mismatch(self, f"shape {B.cols} × {A.cols}", shape)
        return (B.rows, A.rows)

    def vec_matrix(self, shape):
        self.codomain(shape)
        return sp.kronecker_product(_explicit(self.args[0]), _explicit(self.args[1]))

    def _sympystr(self, printer):
        A, B = (printer._print(M) for M in self.args)
        return f"kron({A}, {B})"

    def _latex(self, printer):
        A, B = (printer._print(M) for M in self.args)
        return rf"\left({A} \otimes {B}\right)"

    def _pretty(self, printer):
        if not printer._use_unicode:
            return prettyForm(self._sympystr(printer))
        A, B = (printer._print(M) for M in self.args)
        return prettyForm(*prettyForm(*A.right(" ⊗ ", B)).parens())


class TransposeOperator(Operator):
    """𝒯: X ↦ Xᵀ. On vec X: the commutation matrix. Self-adjoint."""

    def __new__(cls):
        return super().__new__(cls)

    def _apply(self, X):
        return transpose(X)

    def adjoint(self):
        return self

    def codomain(self, shape):
        rows, cols = matrix_shape(self, shape)
        return (cols, rows)

    def vec_matrix(self, shape):
        rows, cols = (int(n) for n in matrix_shape(self, shape))
        K = sp.zeros(rows * cols)
        for i in range(rows):
            for j in range(cols):
                K[j + i * cols, i + j * rows] = 1
        return K

    def _sympystr(self, printer):
        return "T"

    def _latex(self, printer):
        return r"\mathcal{T}"

    def _pretty(self, printer):
        return prettyForm("𝒯" if printer._use_unicode else "T")


class ZeroOperator(Operator):
    """The zero map from ``domain`` to ``codomain`` (shapes; ``()`` for scalars)."""

    def __new__(cls, domain=(), codomain=()):
        return super().__new__(cls, sp.Tuple(*as_shape(domain)), sp.Tuple(*as_shape(codomain)))

    @property
    def domain(self) -> tuple:
        return tuple(self.args[0])

    @property
    def target(self) -> tuple:
        return tuple(self.args[1])

    @property
    def is_zero_operator(self):
        return True

    def _apply(self, X):
        return sp.ZeroMatrix(*self.target) if self.target else sp.S.Zero

    def adjoint(self):
        return ZeroOperator(self.target, self.domain)

    def codomain(self, shape):
        if shapes_differ(shape, self.domain):
            raise InputError(f"the zero operator maps a {describe(self.domain)}, not a "
                             f"{describe(shape)}")
        return self.target

    def vec_matrix(self, shape):
        self.codomain(shape)
        return sp.zeros(size(self.target), size(self.domain))

    def _sympystr(self, printer):
        return "O"

    def _latex(self, printer):
        return r"\mathcal{O}"

    def _pretty(self, printer):
        return prettyForm("𝒪" if printer._use_unicode else "O")


def compose_with_zero(a: Operator, z: ZeroOperator) -> ZeroOperator:
    """𝒜 ∘ 0 = 0, from the zero's domain to 𝒜's codomain."""
    return ZeroOperator(z.domain, a.codomain(z.target))


compose_rule(Operator, ZeroOperator, compose_with_zero)


# --- composition rules -------------------------------------------------------------------

compose_rule(LeftMultiply, LeftMultiply, lambda a, b: LeftMultiply(matmul(a.matrix, b.matrix)))
compose_rule(RightMultiply, RightMultiply, lambda a, b: RightMultiply(matmul(b.matrix, a.matrix)))
compose_rule(Hadamard, Hadamard, lambda a, b: Hadamard(hadamard(a.matrix, b.matrix)))
compose_rule(TransposeOperator, TransposeOperator, lambda a, b: IdentityOperator())
compose_rule(RightMultiply, LeftMultiply, lambda a, b: (b, a))  # they commute: ℒ first
compose_rule(Kronecker, Kronecker,
             lambda a, b: Kronecker(matmul(a.args[0], b.args[0]), matmul(a.args[1], b.args[1])))


# --- sums of one kind merge: Σ cᵢ ℒ_{Aᵢ} = ℒ_{Σ cᵢ Aᵢ} ------------------------------------


def merge_rule(kind: type):
    """The sum rule of a kind defined by one matrix: Σ cᵢ K(Aᵢ) = K(Σ cᵢ Aᵢ)."""
    def rule(items: list) -> Operator:
        return kind(add(*(scale(c, op.matrix) for c, op in items)))
    rule.__doc__ = f"Σ cᵢ {kind.__name__}(Aᵢ) = {kind.__name__}(Σ cᵢ Aᵢ)."
    return rule


for _kind in (LeftMultiply, RightMultiply, Hadamard):
    SUM_RULES[_kind] = merge_rule(_kind)
