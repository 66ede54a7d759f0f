"""Compiled gradient programs that do not lie: :class:`CheckedFunction`.

:meth:`symbackslash.derivatives.program.GradientProgram.lambdify` compiles a gradient program into a
:class:`CheckedFunction`, held to the rules of :func:`~symbackslash.evaluate`: a
value that is nan, infinite or complex raises
:class:`~symbackslash.EvaluationDomainError` naming its assignment, and a derivative
taken by convention at a non-differentiable point warns with
:class:`~symbackslash.NonSmoothWarning`.
"""

from __future__ import annotations

import numbers
import warnings
from collections.abc import Callable, Sequence

import numpy as np

from ..errors import EvaluationDomainError, InputError, NonSmoothWarning
from .evaluate import describe_bad, format_number, shorten

__all__ = ["CheckedFunction"]


class CheckedFunction:
    """A compiled gradient program that refuses to return an undefined value.

    Calling it runs the compiled code (NumPy warnings silenced, Python's ``ZeroDivisionError``
    and ``ValueError`` caught), then checks every intermediate value in program order: the
    first that is nan, infinite or complex raises :class:`EvaluationDomainError` naming its
    assignment. Arguments of ``sign``/``Heaviside`` that are exactly 0 give a
    :class:`NonSmoothWarning`. NumPy arrays are checked element by element. Scalar arguments
    must be real numbers (complex numbers, ``None``, text raise :class:`InputError`); matrix
    arguments must have their input's shape (nested lists are converted). Inside ``jax.jit`` or
    ``jax.grad`` the arguments are tracers without values: the program runs unchecked.

    Attributes
    ----------
    raw : callable
        The compiled function without checks; it returns ``outputs + checked + kinks``.
    inputs : tuple of str
        The argument names, in order.
    """

    def __init__(self, raw: Callable, inputs: Sequence, outputs: int,
                 checked: Sequence, kinks: Sequence, *, domain: tuple | None = None,
                 numpy: bool = False):
        self.raw, self.inputs = raw, tuple(map(str, inputs))
        self._shapes = tuple(getattr(a, "shape", None) for a in inputs)  # matrix inputs
        self._outputs, self._checked, self._kinks = outputs, list(checked), list(kinks)
        self._domain, self._numpy = domain, numpy
        self.recipe = None  # (function, args) that compile it again: how it pickles

    def __reduce__(self):
        if self.recipe is None:
            raise TypeError("this CheckedFunction was not made by GradientProgram.lambdify and "
                            "cannot be pickled")
        return self.recipe

    def __call__(self, *args, **kwargs):
        if kwargs:
            args = self._by_name(args, kwargs)
        if len(args) != len(self.inputs):
            raise InputError(f"expected {len(self.inputs)} arguments ({', '.join(self.inputs)}), "
                             f"got {len(args)}")
        args = tuple(self._matrix(a, name, shape) if shape is not None else _scalar(a, name)
                     for a, name, shape in zip(args, self.inputs, self._shapes, strict=True))
        if any(_traced(a) for a in args):  # under jax.jit or jax.grad: no values to check
            return list(self.raw(*args)[:self._outputs])
        if self._numpy:  # NumPy floats give inf or nan where Python floats would raise
            args = tuple(np.float64(a) if isinstance(a, numbers.Real) else a for a in args)
        point = dict(zip(self.inputs, args, strict=True))
        if self._domain is not None:
            function, assignments = self._domain
            _check(_run(function, args, point), assignments, point)
        results = _run(self.raw, args, point)
        outputs = results[:self._outputs]
        rest = results[self._outputs:]
        _check(rest, self._checked, point)
        hits = [arg for arg, value in zip(self._kinks, rest[len(self._checked):], strict=True)
                if np.any(np.asarray(value) == 0)]
        if hits:
            warnings.warn(f"evaluated at a non-differentiable point ({_describe(point)}): "
                          + "; ".join(f"the argument {shorten(a)} of sign/Heaviside is 0"
                                      for a in hits)
                          + ", where the derivative follows a convention (see "
                            "symbackslash.numeric.nonsmooth)", NonSmoothWarning, stacklevel=2)
        return [_real(v) for v in outputs]


    def _by_name(self, args: tuple, kwargs: dict) -> tuple:
        """The positional arguments, then the keyword arguments by input name, in order."""
        takes = f"it takes {', '.join(self.inputs)}"
        unknown = [k for k in kwargs if k not in self.inputs]
        if unknown:
            raise InputError(f"unknown argument(s) {', '.join(unknown)}; {takes}")
        twice = [k for k in kwargs if k in self.inputs[:len(args)]]
        if twice:
            raise InputError(f"argument(s) {', '.join(twice)} given twice; {takes}")
        missing = [k for k in self.inputs[len(args):] if k not in kwargs]
        if missing:
            raise InputError(f"missing argument(s) {', '.join(missing)}; {takes}")
        return tuple(args) + tuple(kwargs[k] for k in self.inputs[len(args):])

    @staticmethod
    def _matrix(value, name: str, shape):
        """A matrix argument as an array of its input's shape (nested lists are converted)."""
        if shape is None:
            return value
        if isinstance(value, (list, tuple)):
            try:
                value = np.asarray(value, dtype=float)
            except (TypeError, ValueError) as err:
                raise InputError(f"the value of {name} is not a matrix of numbers: {err}") \
                    from err
        if tuple(np.shape(value)) != tuple(shape):
            raise InputError(f"{name} is {shape[0]} × {shape[1]}; the value given has shape "
                             f"{tuple(np.shape(value))}")
        return value


def _scalar(value, name: str):
    """A scalar argument, refused by name when it is complex, ``None``, text or an integer
    past 1e308 (arrays of real numbers, NumPy's or JAX's, pass)."""
    if value is None or isinstance(value, (str, bytes)):
        shown = "None" if value is None else "text"
        raise InputError(f"the value of {name} must be a real number, not {shown}")
    if isinstance(value, numbers.Complex) and not isinstance(value, numbers.Real) or (
            isinstance(value, np.ndarray) and (np.iscomplexobj(value)
                                               or not np.issubdtype(value.dtype, np.number))):
        raise InputError(f"the value of {name} must be real numbers, not "
                         f"{getattr(value, 'dtype', type(value).__name__)}")
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        try:
            float(value)
        except OverflowError:
            raise InputError(f"the value of {name} is too large for a float (over 1.8e308)") \
                from None
    return value


def _real(value):
    """A checked value (finite, real) as a real number or array: SciPy's special functions
    (``lambertw``) return complex numbers with imaginary part 0."""
    if np.iscomplexobj(value):
        real = np.real(value)
        return real if isinstance(value, np.ndarray) else np.float64(real)
    return value


def _traced(value) -> bool:
    """Whether ``value`` is a JAX tracer (a placeholder inside jax.jit, jax.grad, …)."""
    return any(c.__name__ == "Tracer" for c in type(value).__mro__)


def _run(function: Callable, args: tuple, point: dict) -> list:
    try:
        with np.errstate(all="ignore"):
            return function(*args)
    except (ZeroDivisionError, ValueError, OverflowError) as err:
        raise EvaluationDomainError(f"the gradient program is undefined at "
                                    f"{_describe(point)}: {err}", point=point) from err


def _check(values: Sequence, assignments: Sequence, point: dict) -> None:
    """Raise for the first assignment whose value is not finite and real."""
    for (name, expr), value in zip(assignments, values, strict=False):  # values: + kinks
        problem = describe_bad(value)
        if problem is not None:
            raise EvaluationDomainError(
                f"{name} = {shorten(expr)} is undefined at {_describe(point)}: the value is "
                f"{problem}", expression=expr, point=point)


def _describe(point: dict) -> str:
    return ", ".join(f"{name} = {format_number(value) if np.ndim(value) == 0 else shorten(value)}"
                     for name, value in point.items())
