"""Numeric evaluation that does not lie: singular points raise, conventions warn.

Evaluating a gradient at a point where it is undefined (1/0, the log or square root of a
negative number, 0 to a negative power, acos(2) …) raises
:class:`~symbackslash.EvaluationDomainError` naming the subexpression and the point,
instead of returning ``zoo``, ``nan``, ``inf``, a complex number or 0. A value that used a
convention at a non-differentiable point (``sign(0)``, ``Heaviside(0)``, see
:mod:`symbackslash.numeric.nonsmooth`) is returned with a :class:`~symbackslash.NonSmoothWarning`.

>>> import sympy as sp
>>> x, y = sp.symbols("x y")
>>> evaluate([y*sp.cos(x*y), x*sp.cos(x*y)], {x: 0.5, "y": 2})
[1.0806046117362795, 0.2701511529340699]
>>> evaluate(1/x, {x: 0})
Traceback (most recent call last):
...
symbackslash.errors.EvaluationDomainError: 1/x is undefined at x = 0: division by zero

:meth:`symbackslash.derivatives.program.GradientProgram.lambdify` compiles a gradient program into a
function held to the same rules (see :class:`~symbackslash.numeric.checked.CheckedFunction`).
"""

from __future__ import annotations

import math
import numbers
import warnings
from collections.abc import Callable, Mapping

import numpy as np
import sympy as sp
from sympy.functions.elementary.piecewise import ExprCondPair

from ..core.limits import check_expression, symbols
from ..errors import EvaluationDomainError, InputError, NonSmoothWarning, boundary
from ..graph.build import build_graph
from ..graph.formulas import formulas
from ..graph.matrix import has_matrices
from .values import evaluate as evaluate_with_numpy

__all__ = ["evaluate", "KINK_HEADS", "describe_bad", "format_number", "shorten"]

#: Heads whose value at a zero argument is a convention: sign(0) = 0, Heaviside(0) = H0.
KINK_HEADS = (sp.sign, sp.Heaviside)

#: Nodes evaluated whole (they bind their own variables), not argument by argument.
_BINDING = (sp.Integral, sp.Sum, sp.Product, sp.Derivative, sp.Subs, sp.Lambda)

_DIGITS = 30  # working precision of the evaluation, in decimal digits
_FLOAT_MAX = sp.Float(np.finfo(float).max, _DIGITS)


class _Undefined:
    """The value of a subexpression that is undefined at the point; raised only if used."""

    def __init__(self, node, reason: str):
        self.node, self.reason = node, reason


@boundary
def evaluate(expr, point: Mapping, *, domain=None, warn: bool = True):
    """The value of ``expr`` at ``point``, as a float (or nested lists of floats).

    Parameters
    ----------
    expr : SymPy expression, number, SymPy matrix, or a (nested) list or tuple of them
        For example the result of :func:`~symbackslash.gradient`.
    point : mapping
        ``{variable: value}``; variables as symbols or names, values real finite numbers
        (int, float, Fraction, NumPy or SymPy numbers; never text).
    domain : optional
        The function ``expr`` is the derivative of (anything
        :func:`~symbackslash.build_graph` accepts: text, an expression, a program):
        every value it computes must be defined at ``point`` too. A gradient means nothing
        where its function is undefined, even when the formula is finite there (the
        derivative of log(x) is 1/x, finite at x = −1).
    warn : bool
        Warn with :class:`~symbackslash.NonSmoothWarning` when a value used a
        convention at a non-differentiable point (default ``True``).

    Returns
    -------
    float, or a list (of lists) of floats with the shape of ``expr``

    Raises
    ------
    EvaluationDomainError
        If a subexpression that the value depends on is undefined, infinite, complex or too
        large for a float at ``point``.
    InputError
        For a variable without a value, or a value that is not a real finite number.

    Examples
    --------
    >>> import sympy as sp
    >>> x = sp.Symbol("x")
    >>> try:
    ...     evaluate(sp.sqrt(x), {x: -1})
    ... except EvaluationDomainError as err:
    ...     print(err)
    sqrt(x) is undefined at x = -1: a power with a non-integer exponent of a negative number
    >>> evaluate(sp.Piecewise((1/x, x > 0), (0, True)), {x: 0})  # the 1/x piece is not used
    0.0
    >>> try:
    ...     evaluate(1/x, {x: -1}, domain="log(x)")
    ... except EvaluationDomainError as err:
    ...     print(err)
    log(x) is undefined at x = -1: the logarithm of a negative number
    """
    if _with_matrices(expr, point):
        return _map(expr, lambda e: _matrix_value(e, point))
    values = _point(point)
    kinks: list = []
    found: dict = {}
    if domain is not None:
        for value in formulas(build_graph(domain)).values():
            if isinstance(value, sp.Expr):  # not the bare keys of a hand-made graph's nodes
                _value(value, values, kinks, found)
    result = _map(expr, lambda e: _value(e, values, kinks, found))
    if warn and kinks:
        _warn_kinks(kinks, values)
    return result


def _with_matrices(expr, point) -> bool:
    """Whether matrices are involved: they are evaluated with NumPy (:mod:`.numeric`)."""
    if isinstance(point, Mapping) and any(
            isinstance(k, sp.MatrixSymbol) or isinstance(v, sp.MatrixBase) or np.ndim(v) > 0
            for k, v in point.items() if not isinstance(v, (str, bytes))):
        return True
    items = expr if isinstance(expr, (list, tuple)) else [expr]
    return any(has_matrices(e) for e in items if not isinstance(e, (list, tuple)))


def _matrix_value(expr, point):
    """A matrix expression's value with NumPy, refused where it is not finite and real."""
    for key, value in point.items():
        if any(isinstance(v, (str, bytes)) for v in np.asarray(value, dtype=object).ravel()):
            raise InputError(f"the value of {key} must be numbers, not text")
    with np.errstate(all="ignore"):
        value = evaluate_with_numpy(expr, point)
    problem = describe_bad(value)
    if problem is not None:
        raise EvaluationDomainError(f"{shorten(expr)} is undefined at this point: the value is "
                                    f"{problem}", expression=expr)
    return value


def _map(expr, function: Callable):
    if isinstance(expr, sp.MatrixBase):
        return [[function(expr[i, j]) for j in range(expr.cols)] for i in range(expr.rows)]
    if isinstance(expr, (list, tuple)):
        return [_map(item, function) for item in expr]
    return function(expr)


def _point(point: Mapping) -> dict[str, sp.Float]:
    if not isinstance(point, Mapping):
        raise InputError(f"point must be a dict {{variable: value}}, not {type(point).__name__}")
    values = {}
    for key, value in point.items():
        if isinstance(key, sp.Symbol):
            name = key.name
        elif isinstance(key, str):
            name = key
        else:
            raise InputError(f"point keys must be symbols or names, not {key!r}")
        values[name] = _number(value, name)
    return values


def _number(value, name: str) -> sp.Float:
    if isinstance(value, sp.Basic):  # a number such as 1/3, pi or sqrt(2): within the limits
        check_expression(value, lambda: f"the value of {name}")
        number = value.evalf(_DIGITS) if value.is_number else None
        if number is not None and number.is_Number and number.is_finite \
                and number.is_extended_real:
            return sp.Float(number, _DIGITS)
    elif isinstance(value, numbers.Real) and not isinstance(value, bool) \
            and math.isfinite(value):
        if isinstance(value, numbers.Rational):  # int, Fraction, NumPy integers: exactly
            return sp.Float(sp.Rational(int(value.numerator), int(value.denominator)), _DIGITS)
        return sp.Float(float(value), _DIGITS)
    shown = "text" if isinstance(value, (str, bytes)) else repr(value)
    raise InputError(f"the value of {name} must be a real finite number, not {shown}")


def _value(expr, values: dict, kinks: list, found: dict) -> float:
    """Evaluate one expression: post-order over its distinct subexpressions, no recursion;
    ``found`` holds the values of subexpressions met before (shared across expressions)."""
    if isinstance(expr, numbers.Real) and not isinstance(expr, bool):
        expr = sp.Float(expr, _DIGITS)
    if not isinstance(expr, sp.Expr) or isinstance(expr, sp.MatrixExpr):
        raise InputError(f"cannot evaluate a {type(expr).__name__}; give SymPy expressions")
    check_expression(expr, "the expression to evaluate")
    stack = [(expr, False)]
    while stack:
        e, ready = stack.pop()
        if e in found:
            continue
        if not ready and e.args and not isinstance(e, _BINDING):
            stack.append((e, True))
            stack.extend((a, False) for a in e.args if a not in found)
            continue
        found[e] = _node(e, found, values, kinks)
    result = found[expr]
    if isinstance(result, _Undefined):
        raise _domain_error(result, values)
    return float(result)


def _node(e, found: dict, values: dict, kinks: list):
    """The value of ``e`` from the values of its arguments (a number, a truth value, an
    ``(expr, cond)`` pair, or :class:`_Undefined`)."""
    if e.is_Symbol:
        if e.name not in values:
            raise InputError(f"no value for {e.name}; add it to the point")
        return values[e.name]
    if not e.args:
        return _checked(e, e)
    if isinstance(e, _BINDING):
        unknown = sorted(s.name for s in e.free_symbols if s.name not in values)
        if unknown:
            raise InputError(f"no value for {', '.join(unknown)}; add it to the point")
        return _checked(e, e.subs({s: values[s.name] for s in e.free_symbols}))
    args = [found[a] for a in e.args]
    if isinstance(e, sp.Piecewise):
        return _piecewise(e, args)
    if isinstance(e, ExprCondPair):
        return tuple(args)
    undefined = next((a for a in args if isinstance(a, _Undefined)), None)
    if undefined is not None:
        return undefined
    if isinstance(e, KINK_HEADS) and args[0].is_zero:
        kinks.append(e)
    if isinstance(e, sp.DiracDelta) and args[0].is_zero:
        return _Undefined(e, "DiracDelta(0) is infinite")
    return _checked(e, e.func(*args))


def _piecewise(e: sp.Piecewise, pairs: list):
    for value, condition in pairs:
        if isinstance(condition, _Undefined):
            return condition
        if condition is sp.true or condition is True:
            return value
    return _Undefined(e, "no condition of the Piecewise holds there")


def _checked(e, value):
    """``value`` as a real Float (or a truth value), or :class:`_Undefined` saying why not."""
    if isinstance(value, sp.logic.boolalg.BooleanAtom):
        return value
    if value in (sp.nan, sp.zoo, sp.oo, -sp.oo):
        return _Undefined(e, _reason(e, value))
    if not value.is_Number:
        value = value.evalf(_DIGITS)
    if value.is_Number and value.is_finite:
        if abs(value) > _FLOAT_MAX:
            return _Undefined(e, "the value overflows the floating-point range")
        return value
    if value.is_extended_real is False or value.has(sp.I):
        return _Undefined(e, _reason(e, value))
    if value.is_Number:  # an infinity or nan that evalf produced
        return _Undefined(e, _reason(e, value))
    raise InputError(f"cannot evaluate {shorten(e)} numerically (it stays {shorten(value)})")


def _reason(e, value) -> str:
    """Why ``e`` has no real value: in words, for the message."""
    if e.is_Pow:
        base, exponent = e.args
        if base == 0 or (value in (sp.zoo, sp.oo, -sp.oo) and exponent.is_negative):
            return "division by zero"
        return "a power with a non-integer exponent of a negative number"
    if isinstance(e, sp.log):
        return "the logarithm of zero" if value in (sp.zoo, sp.oo, -sp.oo) else \
            "the logarithm of a negative number"
    if value is sp.nan:
        return "the value is undefined (nan)"
    if value in (sp.zoo, sp.oo, -sp.oo):
        return "the value is infinite"
    return f"the value is not real ({shorten(value)})"


def _domain_error(undefined: _Undefined, values: dict) -> EvaluationDomainError:
    node = undefined.node
    if isinstance(node, sp.Basic):
        names = sorted({s.name for s in symbols(node)}) or sorted(values)
    else:
        names = sorted(values)
    where = ", ".join(f"{n} = {format_number(values[n])}" for n in names if n in values)
    return EvaluationDomainError(f"{shorten(node)} is undefined at {where}: {undefined.reason}",
                                 expression=node, point={n: float(v) for n, v in values.items()})


def _warn_kinks(kinks: list, values: dict) -> None:
    shown = "; ".join(f"{shorten(k)} = {shorten(_convention(k))}" for k in dict.fromkeys(kinks))
    where = ", ".join(f"{n} = {format_number(v)}" for n, v in values.items())
    warnings.warn(f"evaluated at a non-differentiable point ({where}): {shown} by convention "
                  f"(see symbackslash.numeric.nonsmooth)", NonSmoothWarning, stacklevel=4)


def _convention(kink) -> sp.Basic:
    return kink.func(sp.S.Zero, *kink.args[1:])


def format_number(value) -> str:
    """A number as a message shows it: an integer without a decimal point, else its repr."""
    number = float(value)
    return str(int(number)) if number.is_integer() and abs(number) < 1e15 else repr(number)


def shorten(e, width: int = 80) -> str:
    """``e`` as text for a message, cut to ``width`` characters."""
    try:
        text = str(e)
    except (RecursionError, ValueError):
        text = type(e).__name__
    return text if len(text) <= width else text[:width - 1] + "…"


def describe_bad(value) -> str | None:
    """``None`` for a finite real value (or array of them); else what it is instead."""
    try:
        array = np.asarray(value)
        if array.dtype == object:  # SymPy or mpmath numbers
            array = np.asarray([complex(v) for v in array.ravel()])
        array = array.astype(complex)
    except (TypeError, ValueError):  # a SymPy value that is not a number
        return "not a number"
    if np.any(np.isnan(array)):
        return "nan"
    if not np.all(np.isfinite(array)):
        return "infinite"
    if np.any(array.imag != 0):
        return "complex"
    return None
