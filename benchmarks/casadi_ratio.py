"""CasADi's operation ratio, measured live on the same function as ours.

The cheap-gradient ratio of ``symbackslash.gradient_program`` (gradient-program operations ÷
function operations) is compared with CasADi's reverse mode on the *same* function: the
function's own straight-line program (``function_program(build_graph(f))``, the forward
assignments in node order) is rebuilt in CasADi SX, one assignment at a time, so a node the
graph shares is one SX node computed once. CasADi then differentiates it
(``casadi.gradient``), and its ratio is

    instructions of ``Function(inputs, [gradient(f, wrt)])`` ÷ instructions of
    ``Function(inputs, [f])``,

counting every instruction but OP_INPUT, OP_OUTPUT, OP_CONST and OP_PARAMETER (reading an
input, writing an output or loading a constant is no operation), with CasADi's default
options (no ``cse``).

The translation is a small walker: numbers, symbols, +, −, ×, ÷, powers and the elementary
functions of :data:`FUNCTIONS`. A difference is written as one, a product with negative
powers as a quotient, ``x**2`` as CasADi writes it (``sq``) and ``x**(1/2)`` as ``sqrt``;
CasADi's own simplifications (``x*x`` → ``sq(x)``, ``2*x`` → ``twice(x)``, ``x*1`` → ``x``,
``x − x`` → 0) apply as they would in a program written for CasADi. Nothing else is
shared: each assignment is translated as the tree it is, as ``count_ops`` counts it. A
function it cannot translate (a matrix, a head it does not know, a complex constant) gives
None, never an exception; so does a missing ``casadi``.

>>> import sympy as sp
>>> x, y = sp.symbols("x y")
>>> m = casadi_ratio(sp.sin(x*y) + x*y, [x, y])
>>> (m.function_operations, m.gradient_operations)  # x·y, sin, +; x·y, cos, +1, two ×
(3, 5)
>>> m.check([0.3, 0.7])  # CasADi's function and gradient against ours, at a point
True
"""

from __future__ import annotations

import dataclasses
import math

import sympy as sp

import symbackslash as sb
from symbackslash.derivatives.program import compile_program, function_program
from symbackslash.graph.check import resolve_wrt

try:
    import casadi
except ImportError:  # the column and the tests need `pip install casadi` (the bench extra)
    casadi = None

__all__ = ["FUNCTIONS", "Measurement", "available", "casadi_ratio", "operations",
           "statement_operations"]

#: SymPy heads and the CasADi function of each (of one argument; of two for atan2, Max
#: and Min, folded from the left over more).
FUNCTIONS = {} if casadi is None else {
    sp.sin: casadi.sin, sp.cos: casadi.cos, sp.tan: casadi.tan,
    sp.sinh: casadi.sinh, sp.cosh: casadi.cosh, sp.tanh: casadi.tanh,
    sp.asin: casadi.asin, sp.acos: casadi.acos, sp.atan: casadi.atan,
    sp.asinh: casadi.asinh, sp.acosh: casadi.acosh, sp.atanh: casadi.atanh,
    sp.exp: casadi.exp, sp.log: casadi.log, sp.erf: casadi.erf,
    sp.Abs: casadi.fabs, sp.sign: casadi.sign,
    sp.atan2: casadi.atan2, sp.Max: casadi.fmax, sp.Min: casadi.fmin,
}


def available() -> bool:
    """Whether ``casadi`` imports."""
    return casadi is not None


def operations(function) -> int:
    """Instructions of a CasADi ``Function`` that are operations: all but reading inputs and
    parameters, writing outputs and loading constants."""
    free = {casadi.OP_INPUT, casadi.OP_OUTPUT, casadi.OP_CONST, casadi.OP_PARAMETER}
    return sum(function.instruction_id(k) not in free for k in range(function.n_instructions()))


@dataclasses.dataclass(frozen=True)
class Measurement:
    """CasADi's reverse-mode gradient of one function, with its operation counts."""

    function_operations: int
    gradient_operations: int
    #: ``Function(inputs, [f])`` and ``Function(inputs, [gradient(f, wrt)])``
    function: object = dataclasses.field(repr=False)
    gradient: object = dataclasses.field(repr=False)
    #: the function's inputs (the order of the arguments) and the variables of the gradient
    inputs: tuple = dataclasses.field(repr=False)
    wrt: tuple = dataclasses.field(repr=False)
    #: the function's graph, as ``build_graph`` gives it
    graph: object = dataclasses.field(repr=False)

    @property
    def ratio(self) -> float:
        """Gradient operations ÷ function operations."""
        return self.gradient_operations / max(self.function_operations, 1)

    def values(self, point) -> tuple[float, list[float]]:
        """CasADi's function and gradient (one entry per ``wrt``) at ``point``, the values of
        ``inputs`` in order."""
        value = float(self.function(*point))
        return value, [float(v) for v in casadi.DM(self.gradient(*point)).full().ravel()]

    def check(self, point, tol: float = 1e-9) -> bool:
        """Whether CasADi's function and gradient at ``point`` equal ours (the function's
        program and our gradient program, compiled with the math module) to relative ``tol``
        (of the largest gradient entry)."""
        G, inputs = self.graph, list(self.inputs)
        value = compile_program(inputs, function_program(G), G.graph["outputs"],
                                modules="math")(*point)[0]
        gradient = sb.gradient_program(G, list(self.wrt)).lambdify(inputs, modules="math")
        ours = gradient(*point)
        their_value, theirs = self.values(point)
        scale = max([1e-12, *(abs(v) for v in theirs)])
        return math.isclose(value, their_value, rel_tol=tol) and len(ours) == len(theirs) \
            and all(math.isclose(a, b, rel_tol=tol, abs_tol=tol * scale)
                    for a, b in zip(ours, theirs, strict=True))


def statement_operations(expr) -> int | None:
    """CasADi's operations of one SymPy expression alone, translated as :func:`casadi_ratio`
    translates a statement, its free symbols the inputs (None without a translation): what
    CasADi counts where ``count_ops`` counts ``sympy.count_ops(expr)``.

    >>> x, y = sp.symbols("x y")
    >>> [statement_operations(e) for e in (x**2, 2*x - y, x**3, sp.sqrt(x))]
    [1, 2, 2, 1]
    >>> [sp.count_ops(e) for e in (x**2, 2*x - y, x**3, sp.sqrt(x))]
    [1, 2, 1, 2]
    """
    if casadi is None:
        return None
    names = sorted(expr.free_symbols, key=str)
    known = {v: casadi.SX.sym(str(v)) for v in names}
    try:
        value = _translate(expr, known)
        return operations(casadi.Function("s", list(known.values()), [value]))
    except _FAILURES:
        return None


class _Untranslatable(Exception):
    """An expression the walker has no CasADi form for."""


#: What a translation that fails raises: a head or a name it does not know, a constant that
#: is not real, an expression that is no SymPy Expr, CasADi refusing (a free variable).
_FAILURES = (_Untranslatable, AttributeError, TypeError, ValueError, KeyError, RuntimeError)


def _translate(expr, known: dict):
    """The SX of ``expr``, ``known`` the SX of the graph's inputs and of the nodes before."""
    if expr in known:
        return known[expr]
    if expr.is_number:
        value = complex(expr)
        if value.imag != 0:
            raise _Untranslatable(expr)
        return casadi.SX(value.real)
    if expr.is_Add:
        return _sum(expr.args, known)
    if expr.is_Mul:
        return _product(expr, known)
    if expr.is_Pow:
        return _power(expr.base, expr.exp, known)
    if type(expr) in FUNCTIONS and expr.args:
        head, (first, *rest) = FUNCTIONS[type(expr)], expr.args
        result = _translate(first, known)
        for arg in rest:
            result = head(result, _translate(arg, known))
        return head(result) if not rest else result
    raise _Untranslatable(expr)  # a head it does not know, or a name not defined before


def _sum(terms, known):
    """Positive terms added, then the negative ones subtracted (−a − b + 3 → 3 − a − b)."""
    positive = [t for t in terms if not t.could_extract_minus_sign()]
    negative = [-t for t in terms if t.could_extract_minus_sign()]
    result = None
    for t in positive:
        value = _translate(t, known)
        result = value if result is None else result + value
    for t in negative:
        value = _translate(t, known)
        result = -value if result is None else result - value
    return result


def _product(expr, known):
    """coefficient · numerator ÷ denominator, the denominator the factors of negative
    exponent (x·y⁻¹ → x/y); a coefficient −1 is a negation."""
    coeff, rest = expr.as_coeff_Mul()
    if coeff.is_negative:
        return -_translate(-expr, known)
    numerator, denominator = [], []
    for factor in sp.Mul.make_args(rest):
        if factor.is_Pow and factor.exp.is_number and factor.exp.is_negative:
            denominator.append(factor.base**(-factor.exp))
        else:
            numerator.append(factor)
    result = None
    for factor in numerator:
        value = _translate(factor, known)
        result = value if result is None else result * value
    if denominator:
        below = None
        for factor in denominator:
            value = _translate(factor, known)
            below = value if below is None else below * value
        result = 1 / below if result is None else result / below
    if coeff != 1:
        result = _translate(coeff, known) * result
    return result


def _power(base, exponent, known):
    """x**(1/2) as sqrt, a negative exponent as 1/x**k, an integer one as CasADi's constpow
    (which writes x**2 as sq(x) and x**3 as x·sq(x))."""
    if exponent.is_number and exponent.is_negative:
        return 1 / _power(base, -exponent, known)
    b = _translate(base, known)
    if exponent == sp.Rational(1, 2):
        return casadi.sqrt(b)
    if exponent.is_Integer:
        return b**int(exponent)
    return casadi.power(b, _translate(exponent, known))


def casadi_ratio(function, wrt=None) -> Measurement | None:
    """CasADi's reverse-mode gradient of ``function`` (a graph of ``build_graph``, or what
    ``build_graph`` takes: an expression or a program) with respect to ``wrt`` (as in
    ``symbackslash.gradient_program``), built from the function's own program; None when
    ``casadi`` is missing or the function has a part the translation does not know."""
    if casadi is None:
        return None
    G = sb.build_graph(function)
    inputs = list(G.graph["inputs"])
    if len(G.graph["outputs"]) != 1 or any(not isinstance(v, sp.Symbol) for v in inputs):
        return None
    variables = resolve_wrt(G, wrt)
    known = {v: casadi.SX.sym(v.name) for v in inputs}
    try:
        for node, expr in function_program(G):
            known[node] = _translate(expr, known)
        output = known[G.graph["outputs"][0]]
        arguments = [known[v] for v in inputs]
        gradient = casadi.Function("grad_f", arguments, [casadi.gradient(
            output, casadi.vertcat(*[known[v] for v in variables]))])
        f = casadi.Function("f", arguments, [output])
    except _FAILURES:
        return None
    return Measurement(operations(f), operations(gradient), f, gradient, tuple(inputs),
                       tuple(variables), G)
