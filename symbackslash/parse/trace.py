"""A Python function → a straight-line :class:`~.parser.Program`, by tracing.

:func:`trace` calls the user's function once on symbolic values (:class:`Traced`, operator
overloading) that record every operation as an assignment, in program order, keeping exactly
the sharing the code has: ``z*y*x`` is two products, as the code computes it, not SymPy's one
flattened product. Calling the function is the user's choice of running their own code (as
calling it on numbers would be); text is never run (:func:`~.parser.parse`).

What works on traced values: ``+ - * / **`` with numbers and other traced values, unary ``-``,
SymPy functions (``sympy.sin(z)``), symbackslash's ``relu``, ``sigmoid``, ``softplus``, and
micrograd's methods ``.relu() .tanh() .exp() .log() .sigmoid()``. A branch on a value
(``if x > 0``), a conversion to ``float``, ``int`` or ``bool`` (``math.sin`` converts), and
any other attribute raise :class:`~symbackslash.ParseError` naming the line of the user's code.

Names: a value bound to a local variable of the function takes the variable's name, with a
version when the variable is bound again (``z``, ``z_2``, ``z_3`` …, as for text); other
intermediate values are ``t1, t2, …``; the returned value is named after the function when
it has no name yet. The inputs are the function's parameters, in order.

>>> import sympy as sp
>>> def g(x, y):
...     z = x*y
...     for _ in range(2):
...         z = sp.sin(z) + z
...     return z
>>> print(trace(g))
z = x*y
t1 = sin(z)
z_2 = t1 + z
t2 = sin(z_2)
z_3 = t2 + z_2
"""

from __future__ import annotations

import inspect
import math
import sys
import traceback
import types

import sympy as sp

from ..core.functions import relu, sigmoid
from ..core.limits import check_limit, check_power
from ..errors import InputError, ParseError, SymbackslashError
from .program import Program

__all__ = ["Traced", "trace", "trace_outputs", "is_traceable"]

_METHODS = {"relu": relu, "tanh": sp.tanh, "exp": sp.exp, "log": sp.log, "sigmoid": sigmoid}


def is_traceable(f) -> bool:
    """Whether ``f`` is a Python function (or method) that :func:`trace` can call."""
    return isinstance(f, (types.FunctionType, types.MethodType))


def _user_line() -> str:
    """'line N of FILE' for the innermost frame outside this module (the user's code)."""
    frame = sys._getframe(1)
    while frame is not None and frame.f_code.co_filename == __file__:
        frame = frame.f_back
    if frame is None:
        return "the traced function"
    return f"line {frame.f_lineno} of {frame.f_code.co_filename} ({frame.f_code.co_name})"


class _Tape:
    def __init__(self):
        self.assignments: list[list] = []    # [symbol, expression]
        self.lines: list[int] = []
        self.named: dict[sp.Symbol, str] = {}
        self.counter = 0
        self.adopted: dict[sp.Expr, sp.Symbol] = {}  # SymPy results made nodes
        self.pending: dict[sp.Expr, str] = {}        # SymPy results bound to a local name
        self.namer = None

    def record(self, expr: sp.Expr) -> Traced:
        check_limit("max_statements", len(self.assignments) + 1,
                    "number of operations recorded by tracing the function")
        self.counter += 1
        symbol = sp.Dummy(f"t{self.counter}")
        frame = sys._getframe(1)
        while frame is not None and frame.f_code.co_filename == __file__:
            frame = frame.f_back
        self.assignments.append([symbol, expr])
        self.lines.append(frame.f_lineno if frame is not None else 0)
        return Traced(self, symbol)

    def value(self, other, what: str) -> sp.Expr:
        """``other`` as a SymPy expression in node symbols."""
        if isinstance(other, Traced):
            if other.tape is not self:
                raise InputError("a value traced by another call of the function was mixed in")
            return other.symbol
        if isinstance(other, bool):
            raise ParseError(f"a bool in {what} at {_user_line()}; use numbers")
        if isinstance(other, int):
            return sp.Integer(other)
        if isinstance(other, float):
            if not math.isfinite(other):
                raise ParseError(f"{other} in {what} at {_user_line()} is not a finite number")
            return sp.Rational(repr(other))  # exactly the decimal the code shows
        if isinstance(other, sp.Expr) and not isinstance(other, sp.MatrixExpr):
            if other.free_symbols:  # an expression made by a SymPy function: its own node
                if other not in self.adopted:
                    self.adopted[other] = symbol = self.record(other).symbol
                    if other in self.pending and self.namer is not None:
                        self.namer.bind(symbol, self.pending.pop(other))
                return self.adopted[other]
            return other
        raise ParseError(f"{type(other).__name__} in {what} at {_user_line()} is not supported "
                         f"on traced values; use numbers, SymPy functions and + - * / **")


class Traced:
    """A value in a traced function: each operation on it records an assignment."""

    __slots__ = ("tape", "symbol")
    _op_priority = 1000.0  # SymPy hands mixed operations to us (sin(z) + z records both)

    def __init__(self, tape: _Tape, symbol: sp.Symbol):
        self.tape, self.symbol = tape, symbol

    def _sympy_(self):
        return self.symbol  # lets SymPy functions take traced values: sympy.sin(z)

    def _binary(self, other, build, what: str, reflected: bool = False) -> Traced:
        a, b = self.symbol, self.tape.value(other, what)
        if reflected:
            a, b = b, a
        result = build(a, b)
        if result.is_Number:
            return result  # 0*x is 0: a number, not a node
        if result == self.symbol:
            return self  # x + 0, x*1: the same value
        if isinstance(other, Traced) and result == other.symbol:
            return other
        return self.tape.record(result)

    def __add__(self, other):
        return self._binary(other, lambda a, b: sp.Add(a, b), "a sum")

    def __radd__(self, other):
        return self._binary(other, lambda a, b: sp.Add(a, b), "a sum", True)

    def __sub__(self, other):
        return self._binary(other, lambda a, b: sp.Add(a, -b), "a difference")

    def __rsub__(self, other):
        return self._binary(other, lambda a, b: sp.Add(a, -b), "a difference", True)

    def __mul__(self, other):
        return self._binary(other, lambda a, b: sp.Mul(a, b), "a product")

    def __rmul__(self, other):
        return self._binary(other, lambda a, b: sp.Mul(a, b), "a product", True)

    def __truediv__(self, other):
        return self._binary(other, _divide, "a quotient")

    def __rtruediv__(self, other):
        return self._binary(other, _divide, "a quotient", True)

    def __pow__(self, other):
        return self._binary(other, _power, "a power")

    def __rpow__(self, other):
        return self._binary(other, _power, "a power", True)

    def __neg__(self):
        return self.tape.record(-self.symbol)

    def __pos__(self):
        return self

    def __abs__(self):
        return self.tape.record(sp.Abs(self.symbol))

    def _operator(self, *other):
        self._refuse("this operator (// % @ round, floor, ceil)", "use + - * / ** and functions")

    __floordiv__ = __rfloordiv__ = __mod__ = __rmod__ = __matmul__ = __rmatmul__ = _operator
    __round__ = __trunc__ = __floor__ = __ceil__ = __divmod__ = __rdivmod__ = _operator

    # micrograd's methods
    def relu(self):
        return self.tape.record(relu(self.symbol))

    def tanh(self):
        return self.tape.record(sp.tanh(self.symbol))

    def exp(self):
        return self.tape.record(sp.exp(self.symbol))

    def log(self):
        return self.tape.record(sp.log(self.symbol))

    def sigmoid(self):
        return self.tape.record(sigmoid(self.symbol))

    # what a symbolic value cannot do
    def _refuse(self, what: str, hint: str):
        raise ParseError(f"{what} of a traced value at {_user_line()}: the value is symbolic "
                         f"while the function is traced; {hint}", construct=what)

    def __bool__(self):
        self._refuse("a branch on the value (if, while, and, or, not)",
                     "use max(a, b), min, abs or relu instead of a data-dependent branch")

    def __float__(self):
        self._refuse("a conversion to float", "use SymPy's functions (sympy.sin, not math.sin)")

    def __int__(self):
        self._refuse("a conversion to int", "use the value in arithmetic only")

    __index__ = __int__

    def __complex__(self):
        self._refuse("a conversion to complex", "symbackslash works with real values")

    def _compare(self, other):
        self._refuse("a comparison", "use max(a, b), min, abs or relu instead of a branch")

    __lt__ = __le__ = __gt__ = __ge__ = _compare

    def __eq__(self, other):
        self._refuse("a comparison", "use max(a, b), min, abs or relu instead of a branch")

    __hash__ = object.__hash__

    def __getattr__(self, name):
        if name.startswith("_"):  # protocols Python and SymPy probe for (__sympy__, …)
            raise AttributeError(name)
        self._refuse(f"the attribute .{name}",
                     "the methods are .relu() .tanh() .exp() .log() .sigmoid()")

    def __repr__(self):
        return f"Traced({self.symbol})"


def _divide(a: sp.Expr, b: sp.Expr) -> sp.Expr:
    if b == 0:
        raise ParseError(f"division by zero at {_user_line()}", construct="division")
    return sp.Mul(a, sp.Pow(b, -1))


def _power(a: sp.Expr, b: sp.Expr) -> sp.Expr:
    check_power(a, b, f"the power at {_user_line()}")
    if a == 0 and b.is_Number and b < 0:
        raise ParseError(f"division by zero (0 to a negative power) at {_user_line()}")
    return sp.Pow(a, b)


def trace(f):
    """The :class:`~.parser.Program` that ``f`` computes, by calling it once on traced values
    (its output is the returned value; see :func:`trace_outputs` for a tuple of values).

    Parameters
    ----------
    f : Python function
        Its parameters (positional, without ``*args``) are the inputs.

    Raises
    ------
    InputError, ParseError, ResourceLimitError
    """
    program, outputs = trace_outputs(f)
    if len(outputs) > 1:
        raise InputError("the function returns several values; differentiate them with "
                         "jacobian, or return one value")
    return program


def trace_outputs(f):
    """``(program, outputs)``: the traced :class:`~.parser.Program` of ``f`` and the symbols
    of its returned values (several when it returns a tuple)."""
    if not is_traceable(f):
        raise InputError(f"expected a Python function, got {type(f).__name__}")
    try:
        signature = inspect.signature(f)
    except (TypeError, ValueError) as err:
        raise InputError(f"cannot read the parameters of {f!r}: {err}") from None
    params = list(signature.parameters.values())
    if any(p.kind not in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) for p in params):
        raise InputError(f"{getattr(f, '__name__', 'the function')} has *args, **kwargs or "
                         f"keyword-only parameters; give it one named parameter per input")
    if not params:
        raise InputError("the function has no parameters; its parameters are the inputs")
    tape = _Tape()
    inputs = [sp.Symbol(p.name) for p in params]
    code = getattr(f, "__func__", f).__code__
    tracer = tape.namer = _Namer(code, tape, {p.name for p in params})
    previous = sys.gettrace()
    sys.settrace(tracer.calls)
    try:
        result = f(*(Traced(tape, s) for s in inputs))
    except SymbackslashError:
        raise
    except Exception as err:  # the user's code failed on symbolic values: say where
        frames = [fr for fr in traceback.extract_tb(err.__traceback__) if fr.filename != __file__]
        where = f"line {frames[-1].lineno} of {frames[-1].filename}" if frames else "the call"
        raise ParseError(f"{getattr(f, '__name__', 'the function')} raised "
                         f"{type(err).__name__} ({err}) at {where} while traced on symbolic "
                         f"values; use + - * / **, SymPy's functions and the methods "
                         f".relu() .tanh() .exp() .log() .sigmoid()",
                         construct="traced call") from err
    finally:
        sys.settrace(previous)
    results = list(result) if isinstance(result, (tuple, list)) else [result]
    if not results:
        raise InputError("the function returns an empty tuple; return a value")
    name = getattr(f, "__name__", "f")
    name = name if name.isidentifier() and name != "<lambda>" else "f"
    outputs = []
    for k, value in enumerate(results, start=1):
        output = tape.value(value, "the returned value")
        if not tape.assignments or output != tape.assignments[-1][0] or output in outputs:
            tape.record(output)  # a constant, an input or an earlier value: its own node
        last = tape.assignments[-1][0]
        if last not in tape.named:
            tracer.bind(last, name if len(results) == 1 else f"{name}_out{k}")
        outputs.append(last)
    program = _program(tape, tracer, inputs, Program)
    return program, [sp.Symbol(tape.named[s]) for s in outputs]


class _Namer:
    """Names traced values after the local variables they are bound to (``sys.settrace``
    on the traced function's frame only; each line event looks at its locals)."""

    def __init__(self, code, tape: _Tape, params: set[str]):
        self.code, self.tape = code, tape
        self.reserved = set(code.co_varnames) | params
        self.versions: dict[str, int] = {p: 1 for p in params}
        self.produced: set[str] = set(params)

    def calls(self, frame, event, arg):
        return self.lines if frame.f_code is self.code else None

    def lines(self, frame, event, arg):
        if event in ("line", "return"):
            for name, value in frame.f_locals.items():
                if isinstance(value, Traced) and value.tape is self.tape \
                        and value.symbol not in self.tape.named \
                        and value.symbol.is_Dummy:
                    self.bind(value.symbol, name)
                elif isinstance(value, sp.Expr) and value.has(sp.Dummy) \
                        and value not in self.tape.adopted:
                    self.tape.pending.setdefault(value, name)  # named when it becomes a node
        return self.lines

    def bind(self, symbol: sp.Symbol, name: str) -> None:
        k = self.versions.get(name, 0)
        while True:
            k += 1
            candidate = name if k == 1 else f"{name}_{k}"
            if candidate not in self.produced and (k == 1 or candidate not in self.reserved):
                break
        self.versions[name] = k
        self.produced.add(candidate)
        self.tape.named[symbol] = candidate


def _program(tape: _Tape, namer: _Namer, inputs: list, program_class):
    names, k = {}, 0
    taken = set(tape.named.values()) | set(namer.reserved) | {s.name for s in inputs}
    for symbol, _ in tape.assignments:
        if symbol in tape.named:
            names[symbol] = sp.Symbol(tape.named[symbol])
            continue
        while True:
            k += 1
            if f"t{k}" not in taken:
                break
        names[symbol] = sp.Symbol(f"t{k}")
    assignments = tuple((names[s], e.xreplace(names)) for s, e in tape.assignments)
    return program_class(assignments, tuple(inputs), tuple(tape.lines))
