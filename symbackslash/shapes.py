"""Shapes and argument checks shared by the operators: matrices, scalars and their shapes.

A value is a SymPy matrix (explicit or a matrix expression) of shape ``(rows, cols)`` or a
scalar, of shape ``()``. Sizes may be symbolic; two sizes *differ* only when SymPy can tell.

>>> import sympy as sp
>>> n = sp.Symbol("n")
>>> shape_of(sp.MatrixSymbol("A", n, 2)), shape_of(sp.Integer(3))
((n, 2), ())
>>> shapes_differ((n, 2), (3, 2)), shapes_differ((2, 2), (3, 2))
(False, True)
"""

from __future__ import annotations

import numbers

import sympy as sp

from .errors import InputError

__all__ = ["shape_of", "as_matrix", "as_scalar", "differ", "shapes_differ", "size", "describe"]


def _is_operator(value) -> bool:
    return getattr(value, "is_Operator", False)


def shape_of(value) -> tuple:
    """``(rows, cols)`` of a matrix, ``()`` for a scalar."""
    if isinstance(value, (sp.MatrixBase, sp.MatrixExpr)):
        return tuple(value.shape)
    if _is_operator(value):
        raise InputError(f"{value} is an operator, not a value; compose operators with *")
    if isinstance(value, (sp.Expr, numbers.Number)) and not isinstance(value, bool):
        return ()
    raise InputError(f"expected a SymPy matrix, matrix expression or scalar, not "
                     f"{type(value).__name__}")


def as_matrix(A, role: str = "the matrix"):
    """``A`` as an immutable SymPy matrix or matrix expression (explicit matrices are made
    immutable so they can be arguments of an operator)."""
    if isinstance(A, sp.MatrixBase):
        return sp.ImmutableMatrix(A)
    if isinstance(A, sp.MatrixExpr):
        return A
    raise InputError(f"{role} must be a SymPy Matrix or MatrixExpr, not {type(A).__name__}")


def as_scalar(c):
    """``c`` as a SymPy scalar; numbers and scalar expressions only (never text)."""
    if _is_operator(c) or isinstance(c, (sp.MatrixBase, sp.MatrixExpr, str, bool)) \
            or not isinstance(c, (sp.Expr, numbers.Number)):
        raise InputError(f"a scalar multiple needs a number or a scalar SymPy expression, "
                         f"not {type(c).__name__}")
    return sp.sympify(c, strict=True)


def differ(a, b) -> bool:
    """Whether two sizes are certainly different (symbolic ones may be equal)."""
    return (sp.sympify(a) - sp.sympify(b)).is_zero is False


def shapes_differ(s: tuple, t: tuple) -> bool:
    """Whether two shapes are certainly different."""
    return len(s) != len(t) or any(map(differ, s, t))


def size(shape: tuple) -> int:
    """The number of entries of a value of ``shape`` (integer sizes only)."""
    total = 1
    for n in shape:
        if not isinstance(n, (int, sp.Integer)):
            raise InputError(f"a vec matrix needs integer shapes, not {shape}")
        total *= int(n)
    return total


def describe(shape: tuple) -> str:
    """``"scalar"`` or ``"r × c matrix"``."""
    return "scalar" if not shape else f"{shape[0]} × {shape[1]} matrix"
