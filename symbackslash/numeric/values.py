"""Numeric values of scalar and matrix expressions: NumPy floats, or exact SymPy numbers.

:func:`evaluate` walks a SymPy expression once (shared subexpressions once) and computes
it with NumPy: matrix operations with ``@``, ``inv``, ``det``…; scalar functions
element-wise, through a table of NumPy ufuncs with SymPy's own numeric evaluation as the
fallback. Nothing is compiled from text. :func:`evaluate_exact` substitutes explicit SymPy
matrices and lets SymPy compute, exactly for integer or rational data
(the matrix MLP of docs/mathematics.md).
:func:`random_values` draws well-conditioned random inputs for the checks.

>>> import numpy as np, sympy as sp
>>> A, X = sp.MatrixSymbol("A", 2, 2), sp.MatrixSymbol("X", 2, 2)
>>> values = {A: np.array([[1., 2.], [3., 4.]]), X: np.eye(2)}
>>> float(evaluate(sp.Trace(A*X) + sp.log(sp.Determinant(X)), values))
5.0
>>> evaluate_exact(A.T*X, {A: sp.Matrix([[1, 2], [3, 4]]), X: sp.eye(2)})
Matrix([
[1, 3],
[2, 4]])
"""

from __future__ import annotations

import functools
from collections.abc import Mapping

import numpy as np
import sympy as sp
from sympy.matrices.expressions.applyfunc import ElementwiseApplyFunction
from sympy.matrices.expressions.matexpr import MatrixElement

from ..core.functions import relu, sigmoid, softplus
from ..core.shapes import as_explicit_matrix, as_scalar
from ..core.walk import depends, symbols
from ..errors import EvaluationDomainError, InputError, boundary

__all__ = ["evaluate", "evaluate_exact", "random_values", "matrix_symbols"]

#: SymPy scalar heads → NumPy functions (applied element-wise to arrays).
UFUNCS = {
    sp.exp: np.exp, sp.log: np.log, sp.sin: np.sin, sp.cos: np.cos, sp.tan: np.tan,
    sp.tanh: np.tanh, sp.sinh: np.sinh, sp.cosh: np.cosh, sp.asin: np.arcsin,
    sp.acos: np.arccos, sp.atan: np.arctan, sp.Abs: np.abs, sp.sign: np.sign,
    sigmoid: lambda x: 1 / (1 + np.exp(-x)), softplus: lambda x: np.logaddexp(0, x),
    relu: lambda x: np.maximum(x, 0),
}


def _product(parts):
    result = parts[0]
    for p in parts[1:]:
        result = result @ p if np.ndim(result) == 2 and np.ndim(p) == 2 else result * p
    return result


def _matrix_power(A, n):
    """Aⁿ: integer n by repeated products; a 1×1 matrix to any power is the power of its
    entry (a non-integer power of a larger matrix is not computed)."""
    if float(n).is_integer():
        return np.linalg.matrix_power(A, int(n))
    if np.shape(A) == (1, 1):
        return np.power(A, n)
    raise InputError(f"the power {n} of a {np.shape(A)[0]} × {np.shape(A)[1]} matrix is not "
                     f"computed; only integer powers (or any power of a 1 × 1 matrix)")


def _heaviside(x, h0=0.5):
    return np.heaviside(x, h0)


#: SymPy heads with several arguments → functions of the evaluated arguments.
OPERATIONS = {
    sp.Add: lambda *a: functools.reduce(np.add, a),
    sp.MatAdd: lambda *a: functools.reduce(np.add, a),
    sp.Mul: lambda *a: functools.reduce(np.multiply, a),
    sp.MatMul: lambda *a: _product(a),
    sp.Pow: np.power,
    sp.Transpose: np.transpose,
    sp.Inverse: np.linalg.inv,
    sp.MatPow: lambda A, n: _matrix_power(A, n),
    sp.HadamardProduct: lambda *a: functools.reduce(np.multiply, a),
    sp.HadamardPower: np.power,
    sp.Trace: np.trace,
    sp.Determinant: np.linalg.det,
    sp.Max: lambda *a: functools.reduce(np.maximum, a),
    sp.Min: lambda *a: functools.reduce(np.minimum, a),
    sp.Heaviside: _heaviside,
    MatrixElement: lambda M, i, j: M[int(i), int(j)],
}


def evaluate(expr, values: Mapping):
    """The value of ``expr`` with NumPy: a float, or an array for a matrix expression.

    Parameters
    ----------
    expr : sympy.Expr or sympy.MatrixExpr
    values : mapping
        A value for every free symbol: NumPy arrays of the right shape for
        ``MatrixSymbol``s, numbers for ``Symbol``s.

    Raises
    ------
    InputError
        For a missing value, an array of the wrong shape, or a head that cannot be computed.
    EvaluationDomainError
        For a singular matrix.
    """
    values = {k: _checked(k, v) for k, v in values.items()}
    done: dict = {}
    variable: dict = {}  # subexpression → whether it has free symbols (decided once each)
    stack = [(expr, False)]
    while stack:
        e, ready = stack.pop()
        if e in done:
            continue
        if e in values:
            done[e] = values[e]
        elif isinstance(e, (sp.Symbol, sp.MatrixSymbol)):
            raise InputError(f"no value for {e}; give one in values")
        elif isinstance(e, ElementwiseApplyFunction):
            if not ready:
                stack += [(e, True), (e.expr, False)]
                continue
            (z,), body = e.function.variables, e.function.expr
            inside = {s: values[s] for s in body.free_symbols if s in values}  # parameters
            done[e] = evaluate(body, {**inside, z: done[e.expr]}) * np.ones_like(done[e.expr])
        elif isinstance(e, sp.Piecewise):
            done[e] = _piecewise(e, values)
        elif not depends(e, variable):
            done[e] = _constant(e)
        elif isinstance(e, sp.MatrixBase):
            done[e] = np.array([[float(evaluate(entry, values)) for entry in row]
                                for row in e.tolist()], dtype=float).reshape(e.shape)
        elif not ready:
            stack.append((e, True))
            stack.extend((a, False) for a in _arguments(e))
        else:
            done[e] = _apply(e, [done[a] for a in _arguments(e)])
    return done[expr]


#: Relations of SymPy's conditions → NumPy comparisons.
RELATIONS = {"<": np.less, "<=": np.less_equal, ">": np.greater, ">=": np.greater_equal,
             "==": np.equal, "!=": np.not_equal}


def _piecewise(e: sp.Piecewise, values: dict):
    """The value of the piece whose condition is the first to hold (scalar operands)."""
    for piece, condition in e.args:
        if _holds(condition, values):
            return evaluate(piece, values)
    raise EvaluationDomainError(f"no condition of {e} holds here")


def _holds(condition, values: dict) -> bool:
    if condition in (sp.true, sp.false):
        return bool(condition)
    if isinstance(condition, sp.core.relational.Relational):
        compare = RELATIONS.get(condition.rel_op)
        if compare is not None:
            lhs, rhs = evaluate(condition.lhs, values), evaluate(condition.rhs, values)
            return bool(np.all(compare(lhs, rhs)))
    if isinstance(condition, sp.And):
        return all(_holds(c, values) for c in condition.args)
    if isinstance(condition, sp.Or):
        return any(_holds(c, values) for c in condition.args)
    if isinstance(condition, sp.Not):
        return not _holds(condition.args[0], values)
    raise InputError(f"cannot decide the condition {condition} numerically")


def _arguments(e) -> tuple:
    return e.args[:1] if isinstance(e, (sp.Trace, sp.Determinant, sp.Inverse, sp.Transpose)) \
        else e.args


def _checked(symbol, value):
    if isinstance(symbol, sp.MatrixSymbol):
        array = np.asarray(value, dtype=float)
        if array.shape != tuple(symbol.shape):
            raise InputError(f"the value of {symbol} has shape {array.shape}; it is "
                             f"{symbol.shape[0]} × {symbol.shape[1]}")
        return array
    if isinstance(value, (str, bytes)):
        raise InputError(f"the value of {symbol} must be a number, not text")
    return value


def _constant(e):
    if isinstance(e, (sp.MatrixBase, sp.MatrixExpr)):
        return np.array(sp.Matrix(e.as_explicit() if isinstance(e, sp.MatrixExpr) else e)
                        .evalf().tolist(), dtype=float)
    value = e.doit()
    if not value.is_number:  # e.g. tr(I ∘ I): matrix constants SymPy leaves unevaluated
        value = value.replace(lambda a: isinstance(a, sp.MatrixExpr)
                              and not isinstance(a, sp.MatrixBase),
                              lambda a: sp.ImmutableMatrix(a.as_explicit())).doit()
    return float(sp.N(value))


def _apply(e, args: list):
    head = type(e)
    try:
        if head in OPERATIONS:
            return OPERATIONS[head](*args)
        if head in UFUNCS:
            return UFUNCS[head](*args)
        if isinstance(e, sp.Function) and all(np.ndim(a) == 0 for a in args):
            return float(sp.N(e.func(*(sp.Float(a) for a in args))))
        if isinstance(e, sp.Function):
            return np.vectorize(lambda *a: float(sp.N(e.func(*(sp.Float(x) for x in a)))))(*args)
    except np.linalg.LinAlgError as err:
        raise EvaluationDomainError(f"{e} cannot be computed here: {err}") from None
    raise InputError(f"cannot evaluate {head.__name__} numerically (in {e})")


@boundary
def evaluate_exact(expr, values: Mapping):
    """The value of ``expr`` computed by SymPy with explicit matrices (exact for rational
    data): a SymPy number or an explicit ``Matrix``."""
    _require(expr, values)
    explicit = {k: as_explicit_matrix(v, k) if isinstance(k, sp.MatrixSymbol)
                else as_scalar(v, f"the value of {k}") for k, v in values.items()}
    result = expr.xreplace(explicit).replace(
        lambda e: isinstance(e, sp.HadamardPower) and isinstance(e.base, sp.MatrixBase),
        lambda e: e.base.applyfunc(lambda t: t ** e.exp)).doit()
    if isinstance(result, sp.MatrixExpr) and not isinstance(result, sp.MatrixBase):
        result = result.as_explicit()
    return sp.Matrix(result) if isinstance(result, sp.MatrixBase) else result


def matrix_symbols(expr) -> list:
    """The ``MatrixSymbol``s and ``Symbol``s of ``expr``, sorted by name."""
    found = symbols(expr)
    dimensions = set().union(*(sp.sympify(n).free_symbols for M in found
                               if isinstance(M, sp.MatrixSymbol) for n in M.shape))
    return sorted(found - dimensions, key=lambda s: (str(s), sp.srepr(s)))


@boundary
def random_values(expr, *, seed: int = 0, integers: bool = False) -> dict:
    """Random values for the symbols of ``expr``.

    Square matrices are diagonally dominant with a positive diagonal (n·I plus entries in
    [−½, ½]), so they are invertible with a positive determinant (log det is defined);
    other matrices have entries in [−1, 1]; scalars lie in [½, 3/2]. With ``integers=True``
    the entries are small integers (exact arithmetic), square matrices 2n·I + [−1, 1].
    """
    _require(expr, {})
    rng = np.random.default_rng(seed)
    values = {}
    for s in matrix_symbols(expr):
        if isinstance(s, sp.MatrixSymbol):
            if not all(isinstance(n, (int, sp.Integer)) for n in s.shape):
                raise InputError(f"{s} has a symbolic shape {s.shape}; numeric checks need sizes")
            rows, cols = int(s.shape[0]), int(s.shape[1])
            if integers:
                M = rng.integers(-1, 2, size=(rows, cols)) if rows == cols else \
                    rng.integers(-3, 4, size=(rows, cols))
                values[s] = M + 2 * rows * np.eye(rows, dtype=int) if rows == cols else M
            else:
                M = rng.uniform(-0.5, 0.5, size=(rows, cols)) if rows == cols else \
                    rng.uniform(-1, 1, size=(rows, cols))
                values[s] = M + rows * np.eye(rows) if rows == cols else M
        else:
            values[s] = int(rng.integers(1, 4)) if integers else float(rng.uniform(0.5, 1.5))
    return values


def _require(expr, values) -> None:
    if not isinstance(expr, sp.Basic):
        raise InputError(f"expected a SymPy expression, not {type(expr).__name__}")
    if not isinstance(values, Mapping):
        raise InputError(f"values must be a dict {{symbol: value}}, not {type(values).__name__}")
