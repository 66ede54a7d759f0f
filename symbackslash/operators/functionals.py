"""The transpose-dot G^{T•} and its adjoint ℰ_G: the operators between matrices and scalars.

==================  ================  ===============  ====================  ===========
kind                map               LaTeX            matrix on vec X       adjoint
==================  ================  ===============  ====================  ===========
TraceFunctional(G)  X ↦ tr(GᵀX)       G^{T•}           vec(G)ᵀ               ℰ_G
ScalarEmbedding(G)  s ↦ s G           ℰ_G              vec(G)                G^{T•}
==================  ================  ===============  ====================  ===========

A scalar output f = φ(X) of a matrix node has the linear functional φ = G^{T•} as its
derivative, and G, its :func:`representer`, is the gradient. The rules registered here are
the **reversal rule** of the transpose-dot, G^{T•} ∘ 𝒜 = (𝒜ᵀG)^{T•}, which turns a functional
followed by a chain of operators into back-propagation, and 𝒜 ∘ ℰ_G = ℰ_{𝒜G}; scalar
multiples are written inside (c G^{T•} = (cG)^{T•}) and sums of one kind merge. The other
kinds are in :mod:`.operator_kinds`.

>>> import sympy as sp
>>> from symbackslash.operators.kinds import LeftMultiply, RightMultiply
>>> A, B, G = (sp.MatrixSymbol(n, 2, 2) for n in "ABG")
>>> TraceFunctional(G) * LeftMultiply(A) * RightMultiply(B)
tdot(A.T*G*B.T)
>>> representer(2 * transpose_dot(G))
2*G
"""

from __future__ import annotations

import sympy as sp
from sympy.printing.pretty.stringpict import prettyForm

from ..core.constructors import matmul, scale, transpose
from ..core.shapes import shape_of, shapes_differ
from ..errors import InputError, boundary
from .algebra import ABSORBS_SCALARS, SUM_RULES, Operator, compose_rule
from .kinds import _WithMatrix, matrix_shape, merge_rule, mismatch, vec

__all__ = ["TraceFunctional", "ScalarEmbedding", "transpose_dot", "representer"]


class TraceFunctional(_WithMatrix):
    """G^{T•}: X ↦ tr(GᵀX), the transpose-dot with G (a linear functional: matrices →
    scalars). On vec X: vec(G)ᵀ. Adjoint: ℰ_G. G is the gradient of the functional."""

    def _apply(self, X):
        product = matmul(transpose(self.matrix), X)
        if isinstance(product, sp.ZeroMatrix):
            return sp.S.Zero
        return product.trace() if isinstance(product, sp.MatrixBase) else sp.Trace(product)

    def adjoint(self):
        return ScalarEmbedding(self.matrix)

    def codomain(self, shape):
        matrix_shape(self, shape)
        if shapes_differ(shape, shape_of(self.matrix)):
            raise mismatch(self, "shape {} × {}".format(*shape_of(self.matrix)), shape)
        return ()

    def vec_matrix(self, shape):
        self.codomain(shape)
        return vec(self.matrix).T

    def _sympystr(self, printer):
        return f"tdot({printer._print(self.matrix)})"

    def _latex(self, printer):
        inner = printer._print(self.matrix)
        if not isinstance(self.matrix, sp.MatrixSymbol):
            inner = rf"\left({inner}\right)"
        return rf"{inner}^{{T\bullet}}"

    def _pretty(self, printer):
        if not printer._use_unicode:
            inner = prettyForm(*printer._print(self.matrix).parens())
            return prettyForm(*inner.left("tdot"))
        base = printer._print(self.matrix)
        if not isinstance(self.matrix, sp.MatrixSymbol):
            base = prettyForm(*base.parens())
        return base ** prettyForm("T•")


@boundary
def transpose_dot(G) -> TraceFunctional:
    """G^{T•}, the transpose-dot with G: X ↦ tr(GᵀX) (the paper's name for it)."""
    return TraceFunctional(G)


class ScalarEmbedding(_WithMatrix):
    """ℰ_G: s ↦ s G, scalars → matrices (the derivative of s·G in s). On vec: vec(G).
    Adjoint: G^{T•}."""

    letters = ("E", "ℰ", r"\mathcal{E}")

    def _apply(self, s):
        return scale(s, self.matrix)

    def adjoint(self):
        return TraceFunctional(self.matrix)

    def codomain(self, shape):
        if shape != ():
            raise InputError(f"{self} acts on scalars; got a {shape[0]} × {shape[1]} matrix")
        return shape_of(self.matrix)

    def vec_matrix(self, shape):
        self.codomain(shape)
        return vec(self.matrix)


def _reversal(functional: TraceFunctional, op: Operator):
    """G^{T•} ∘ 𝒜 = (𝒜ᵀG)^{T•} (a scalar when 𝒜 starts from scalars)."""
    G = op.adjoint()(functional.matrix)
    return G if shape_of(G) == () else TraceFunctional(G)


compose_rule(TraceFunctional, Operator, _reversal)
compose_rule(Operator, ScalarEmbedding, lambda a, b: ScalarEmbedding(a(b.matrix)))


@boundary
def representer(functional):
    """The gradient G of a linear functional φ (φ(X) = tr(GᵀX)): G = φᵀ(1).

    A scalar stands for the map of scalars it multiplies by and is its own representer.
    """
    if not isinstance(functional, Operator):
        return functional
    return functional.adjoint()(sp.S.One)


# --- sums of one kind merge, and scalar multiples are written inside ----------------------

for _kind in (TraceFunctional, ScalarEmbedding):
    SUM_RULES[_kind] = merge_rule(_kind)
ABSORBS_SCALARS.update({TraceFunctional, ScalarEmbedding})
