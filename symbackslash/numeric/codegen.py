"""Compiling straight-line programs with matrices to NumPy (or JAX).

:func:`~symbackslash.derivatives.program.compile_program` renames every symbol to a generated
identifier before :func:`sympy.lambdify` sees it (no user text is compiled); for a matrix
the generated name is a matrix symbol of the same shape (:func:`generated_symbol`). And
SymPy's NumPy printer lacks some matrix heads of our graphs (traces, determinants,
element-wise functions and powers): :class:`MatrixNumPyPrinter` and
:class:`MatrixJaxPrinter` add them. With SciPy installed, ``modules="numpy"`` prints with
SciPy's printer (special functions from ``scipy.special``), SciPy's complex-valued
``lambertw`` as the real :func:`real_lambertw`: :class:`ScalarSciPyPrinter`,
:class:`MatrixSciPyPrinter`.

>>> import sympy as sp
>>> generated_symbol(sp.MatrixSymbol("W1", 3, 2), 4).shape
(3, 2)
>>> z, X = sp.Dummy("z"), sp.MatrixSymbol("X", 2, 2)
>>> code = MatrixNumPyPrinter().doprint(sp.Trace(X.applyfunc(sp.Lambda(z, sp.tanh(z)))))
>>> print(code)
numpy.trace((lambda _element: numpy.tanh(_element))(X))
"""

from __future__ import annotations

import builtins
import dis
import functools
import importlib.util

import numpy as np
import sympy as sp
from sympy.printing.numpy import JaxPrinter, NumPyPrinter, SciPyPrinter

__all__ = ["MatrixNumPyPrinter", "MatrixSciPyPrinter", "MatrixJaxPrinter", "MATRIX_PRINTERS",
           "ScalarSciPyPrinter", "matrix_printer", "scalar_printer", "real_lambertw",
           "generated_symbol", "scalar_modules", "undefined_names"]


def generated_symbol(symbol, k: int) -> sp.Basic:
    """The generated name ``_t<k>`` that stands for ``symbol`` in compiled code: a matrix
    symbol of the same shape for a matrix, else a scalar symbol."""
    if isinstance(symbol, sp.MatrixSymbol):
        return sp.MatrixSymbol(f"_t{k}", *symbol.shape)
    return sp.Symbol(f"_t{k}")


def scalar_modules(modules):
    """``lambdify``'s modules for a scalar program: ``"numpy"`` is SciPy then NumPy when
    SciPy is installed, so special functions (``LambertW``, ``erfinv``, Bessel functions,
    ``polygamma``, ``zeta``) compile to ``scipy.special``; anything else as given."""
    if modules == "numpy" and importlib.util.find_spec("scipy") is not None:
        return ["scipy", "numpy"]
    return modules


def undefined_names(function) -> list[str]:
    """The global names the code of ``function`` (a ``lambdify`` result) reads that its
    namespace and Python's builtins lack: functions the chosen module does not have, which
    would otherwise fail only when called. Nested code (lambdas, generators) included.

    >>> x = sp.Symbol("x")
    >>> undefined_names(sp.lambdify([x], sp.DiracDelta(x) + sp.sin(x), modules="math"))
    ['DiracDelta']
    """
    names, codes = [], [function.__code__]
    while codes:
        code = codes.pop()
        codes.extend(c for c in code.co_consts if hasattr(c, "co_code"))
        names += [i.argval for i in dis.get_instructions(code)
                  if i.opname in ("LOAD_GLOBAL", "LOAD_NAME")]
    known = function.__globals__
    return sorted({n for n in names if n not in known and not hasattr(builtins, n)})


class _MatrixHeads:
    """The matrix heads of symbackslash's graphs, in the printer's array module (``numpy``
    or ``jax.numpy``): tr X, det X, X^{∘p} and h.(X) (a Python ``lambda`` applied to the
    array, so the body's array functions act element-wise)."""

    def _array(self, name: str) -> str:
        return self._module_format(f"{self._module}.{name}")

    def _print_Trace(self, expr):
        return f"{self._array('trace')}({self._print(expr.arg)})"

    def _print_Determinant(self, expr):
        return f"{self._array('linalg.det')}({self._print(expr.arg)})"

    def _print_HadamardPower(self, expr):
        base, exponent = (self._print(a) for a in expr.args)
        return f"{self._array('power')}({base}, {exponent})"

    def _print_ElementwiseApplyFunction(self, expr):
        (z,), body = expr.function.variables, expr.function.expr
        element = sp.Symbol("_element")
        text = self._print(body.xreplace({z: element}))
        if z not in body.free_symbols:  # a constant function: a matrix of that constant
            text = f"{self._array('full_like')}(_element, {text}, dtype=float)"
        return f"(lambda _element: {text})({self._print(expr.expr)})"


class MatrixNumPyPrinter(_MatrixHeads, NumPyPrinter):
    """SymPy's NumPy printer, plus the matrix heads of symbackslash's graphs."""

    printmethod = "_matrix_numpycode"


def real_lambertw(x, k=0):
    """SciPy's ``lambertw``, real: its value where W is real, nan where it is complex (as
    NumPy's ``sqrt`` of a negative number); SciPy returns complex numbers everywhere, which
    ``floor`` and comparisons refuse."""
    w = importlib.import_module("scipy.special").lambertw(x, k)
    return np.where(np.imag(w) == 0, np.real(w), np.nan)[()]


class _RealSpecial:
    """SciPy's special functions that return complex numbers, printed as their real
    versions (:func:`real_lambertw`)."""

    def _print_LambertW(self, expr):
        return f"real_lambertw({', '.join(self._print(a) for a in expr.args)})"


class ScalarSciPyPrinter(_RealSpecial, SciPyPrinter):
    """SymPy's SciPy printer, with real special functions: for scalar programs."""


class MatrixSciPyPrinter(_RealSpecial, _MatrixHeads, SciPyPrinter):
    """SymPy's SciPy printer (special functions from ``scipy.special``, the rest NumPy's),
    plus the matrix heads of symbackslash's graphs."""

    printmethod = "_matrix_numpycode"


class MatrixJaxPrinter(_MatrixHeads, JaxPrinter):
    """SymPy's JAX printer, plus the matrix heads of symbackslash's graphs."""


#: The printer for matrix programs, by ``lambdify`` module.
MATRIX_PRINTERS = {"numpy": MatrixNumPyPrinter, "jax": MatrixJaxPrinter}


def matrix_printer(modules: str) -> tuple:
    """``(printer, lambdify modules)`` for a matrix program: for ``"numpy"``, SciPy's
    printer when SciPy is installed (as :func:`scalar_modules`)."""
    if scalar_modules(modules) == ["scipy", "numpy"]:
        return MatrixSciPyPrinter, [{"functools": functools, "real_lambertw": real_lambertw},
                                    "scipy", "numpy"]
    return MATRIX_PRINTERS[modules], [{"functools": functools}, modules]


def scalar_printer(modules) -> tuple:
    """``(printer, lambdify modules)`` for a scalar program: for ``"numpy"`` with SciPy
    installed, SciPy's printer with real special functions; else SymPy's choice."""
    namespace = scalar_modules(modules)
    if namespace == ["scipy", "numpy"]:
        return ScalarSciPyPrinter, [{"real_lambertw": real_lambertw}, "scipy", "numpy"]
    return None, namespace
