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

from ..errors import InputError
from .constructors import shape

__all__ = ["shape_of", "as_matrix", "as_scalar", "as_explicit_matrix", "as_shape", "differ",
           "shapes_differ", "size", "describe"]


def _is_operator(value) -> bool:
    return getattr(value, "is_Operator", False)


def shape_of(value) -> tuple:
    """``(rows, cols)`` of a matrix, ``()`` for a scalar."""
    if isinstance(value, (sp.MatrixBase, sp.MatrixExpr)):
        return shape(value)
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


def as_scalar(c, role: str = "a scalar multiple"):
    """``c`` as a SymPy scalar; numbers and scalar expressions only (never text)."""
    if _is_operator(c) or isinstance(c, (sp.MatrixBase, sp.MatrixExpr, str, bool)) \
            or not isinstance(c, (sp.Expr, numbers.Number)):
        raise InputError(f"{role} needs a number or a scalar SymPy expression, not "
                         f"{type(c).__name__}")
    return sp.sympify(c, strict=True)


def as_explicit_matrix(value, what: str) -> sp.ImmutableMatrix:
    """An explicit SymPy matrix from a SymPy matrix, a NumPy array or nested lists of numbers
    (or SymPy scalars). Text is refused, never parsed."""
    if isinstance(value, sp.MatrixBase):
        return sp.ImmutableMatrix(value)
    rows = value.tolist() if hasattr(value, "tolist") else value
    if not isinstance(rows, (list, tuple)) or not rows \
            or not all(isinstance(r, (list, tuple)) and len(r) == len(rows[0]) for r in rows):
        raise InputError(f"the value of {what} must be a matrix: a SymPy Matrix, a 2-D NumPy "
                         f"array or a list of equally long rows")
    entries = [as_scalar(x, f"an entry of {what}") for row in rows for x in row]
    return sp.ImmutableMatrix(len(rows), len(rows[0]), entries)


def as_shape(shape) -> tuple:
    """A shape given by the user: ``()`` or ``(rows, cols)`` of integers or SymPy sizes."""
    if not isinstance(shape, (tuple, list, sp.Tuple)) or len(shape) not in (0, 2) or any(
            isinstance(n, (str, bool)) or not isinstance(n, (numbers.Integral, sp.Expr))
            for n in shape):
        raise InputError(f"a shape is () for a scalar or (rows, cols), not {shape!r}")
    return tuple(sp.sympify(n, strict=True) for n in shape)


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
