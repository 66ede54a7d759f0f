r"""A linear map written as a formula: V ↦ body(V), with its adjoint W ↦ body'(W).

The kinds of :mod:`.kinds` are the building blocks of L (ℒ_A, ℛ_B, ℋ_M …). Some linear maps
are known first as a formula linear in a placeholder, for example a Hessian applied to a
direction, H[V] = AV + AᵀV. :class:`LinearMap` holds such a formula and the formula of its
adjoint (computed by whoever builds it: for a Hessian, by one more gradient; never assumed
to be the map itself). The placeholders are bound, like a ``Lambda``'s variable: they are
not free symbols, and substitutions leave them alone.

>>> import sympy as sp
>>> A, V, W = (sp.MatrixSymbol(s, 2, 2) for s in "AVW")
>>> H = LinearMap(V, A*V + A.T*V, W, A.T*W + A*W)
>>> print(H)
(V -> A*V + A.T*V)
>>> H(sp.MatrixSymbol("X", 2, 2))
A*X + A.T*X
>>> print(H.T)
(W -> A*W + A.T*W)
>>> H.free_symbols == {A}
True
>>> print(sp.latex(H))
\left(V \mapsto A V + A^{T} V\right)
"""

from __future__ import annotations

import sympy as sp
from sympy.printing.pretty.stringpict import prettyForm

from ..core.shapes import shape_of, shapes_differ
from ..errors import InputError
from .algebra import Operator

__all__ = ["LinearMap"]


class LinearMap(Operator):
    """V ↦ ``body`` (linear in V), with its adjoint W ↦ ``adjoint_body``.

    Parameters
    ----------
    variable : MatrixSymbol or Symbol
        The placeholder of the argument (its shape is the domain's).
    body : expression
        The value of the map at ``variable``, linear in it.
    adjoint_variable, adjoint_body
        The same for the adjoint (⟨W, 𝒜V⟩ = ⟨𝒜ᵀW, V⟩); the placeholder has the shape of
        ``body``.
    """

    def __new__(cls, variable, body, adjoint_variable, adjoint_body):
        for placeholder in (variable, adjoint_variable):
            if not isinstance(placeholder, (sp.MatrixSymbol, sp.Symbol)):
                raise InputError(f"the placeholder of a LinearMap must be a symbol or a "
                                 f"MatrixSymbol, not {placeholder!r}")
        if shapes_differ(shape_of(adjoint_variable), shape_of(body)):
            raise InputError(f"the adjoint's placeholder {adjoint_variable} must have the shape "
                             f"of the map's values {shape_of(body)}")
        return super().__new__(cls, variable, body, adjoint_variable, adjoint_body)

    @property
    def variable(self):
        return self.args[0]

    @property
    def body(self):
        return self.args[1]

    @property
    def bound_symbols(self) -> list:
        """The placeholders (bound, as a ``Lambda``'s variable)."""
        return [self.args[0], self.args[2]]

    @property
    def free_symbols(self) -> set:
        return ((self.args[1].free_symbols - {self.args[0]})
                | (self.args[3].free_symbols - {self.args[2]}))

    def _xreplace(self, rule):
        bound = set(self.bound_symbols)
        rule = {k: v for k, v in rule.items() if k not in bound}
        if self in rule:
            return rule[self], True
        body, changed = self.args[1]._xreplace(rule)
        adjoint_body, changed_adjoint = self.args[3]._xreplace(rule)
        if not (changed or changed_adjoint):
            return self, False
        return type(self)(self.args[0], body, self.args[2], adjoint_body), True

    def _apply(self, X):
        return self.body.xreplace({self.variable: X})

    def adjoint(self) -> LinearMap:
        return LinearMap(self.args[2], self.args[3], self.args[0], self.args[1])

    def codomain(self, shape: tuple) -> tuple:
        if shapes_differ(tuple(shape), shape_of(self.variable)):
            raise InputError(f"{self} acts on {shape_of(self.variable)}, not on {tuple(shape)}")
        return shape_of(self.body)

    def vec_matrix(self, shape: tuple) -> sp.Matrix:
        """Column k is vec of the map's value at the k-th unit matrix (both column-major;
        a scalar is its own vec)."""
        self.codomain(shape)
        if not shape:
            return _vec(self._apply(sp.S.One))
        rows, cols = (int(n) for n in shape)
        units = [sp.ImmutableMatrix(rows, cols, lambda a, b, i=i, j=j: int(a == i and b == j))
                 for j in range(cols) for i in range(rows)]
        return sp.Matrix.hstack(*(_vec(self._apply(E)) for E in units))

    def _sympystr(self, printer) -> str:
        return f"({printer._print(self.variable)} -> {printer._print(self.body)})"

    def _latex(self, printer) -> str:
        return (rf"\left({printer._print(self.variable)} \mapsto "
                rf"{printer._print(self.body)}\right)")

    def _pretty(self, printer):
        arrow = " ↦ " if printer._use_unicode else " -> "
        result = prettyForm(*printer._print(self.variable).right(arrow))
        result = prettyForm(*result.right(printer._print(self.body)))
        return prettyForm(*result.parens())


def _vec(value) -> sp.Matrix:
    """vec of a value: its entries column by column, as one column."""
    if not isinstance(value, (sp.MatrixExpr, sp.MatrixBase)):
        return sp.Matrix([[value.doit()]])
    explicit = sp.Matrix(value.as_explicit())
    return explicit.T.reshape(explicit.rows * explicit.cols, 1)
