"""The one error hierarchy of symbackslash, and the boundary that keeps it the only one.

Every error the public API raises for bad input is a :class:`SymbackslashError`.
Messages name the line/column, node or variable at fault and say what to do.

::

    SymbackslashError
    ├── InputError            (bad argument: wrong ``wrt``, wrong type, not triangular …)
    ├── ParseError            (text that is not an allowed expression or program)
    │   └── UnsafeInputError  (a construct outside the allow-list: attributes, imports …)
    ├── ResourceLimitError    (a documented limit was exceeded; see ``symbackslash.limits``)
    ├── GraphError            (cycles, use before definition, redefinition, bad graphs)
    ├── DifferentiationError  (no derivative rule, non-differentiable construct)
    ├── EvaluationDomainError (numeric evaluation at a singular point)
    └── RenderError           (a figure or document could not be produced)

:class:`NonSmoothWarning` is the one warning: a result used a convention at a point where
the function is not differentiable (see :mod:`symbackslash.numeric.nonsmooth`).

Public functions are wrapped by :func:`boundary`: an exception from SymPy, networkx or
Python itself caused by bad input (``TypeError``, ``KeyError``, ``RecursionError`` …) leaves
as a :class:`SymbackslashError` that names the function, with the original as its
``__cause__``. An error carries what the stages before the failure produced, in ``partial``
(stages hand their results to :func:`record`), so nothing computed is lost:

>>> import symbackslash as sb
>>> try:
...     sb.gradient("a = x*y; f = sin(a)", wrt=["a"])
... except sb.InputError as err:
...     print(err)
...     print(sorted(err.partial))
wrt[0] = 'a' is an intermediate node, not an input; the inputs are: x, y
['graph', 'system']
"""

from __future__ import annotations

import contextvars
import functools
import gc
import os
import threading
from collections.abc import Callable

import networkx as nx
import sympy as sp
from sympy.core.parameters import distribute, evaluate, global_parameters

__all__ = [
    "UnusedVariableWarning",
    "SymbackslashError",
    "InputError",
    "ParseError",
    "UnsafeInputError",
    "ResourceLimitError",
    "GraphError",
    "DifferentiationError",
    "EvaluationDomainError",
    "RenderError",
    "NonSmoothWarning",
    "boundary",
    "record",
]


class SymbackslashError(Exception):
    """Base class of every error raised by symbackslash for bad input.

    Attributes
    ----------
    partial : dict
        What the stages before the failure produced, by name (``"graph"``, ``"system"``,
        ``"differentiation"`` …); empty when the first stage failed.
    """

    partial: dict

    def __init__(self, *args):
        super().__init__(*args)
        self.partial = {}

    def __reduce__(self):
        # Keyword-only constructor arguments do not survive the default pickling; errors
        # must cross process boundaries (a worker pool, a sandbox subprocess) intact.
        return _restore, (type(self), self.args, self.__dict__)


class InputError(SymbackslashError, ValueError):
    """A public function was called with an argument it cannot use."""


class ParseError(SymbackslashError, ValueError):
    """Text that is not an allowed expression or straight-line program.

    Attributes
    ----------
    line, column : int or None
        1-based position of the offending construct in the text.
    construct : str or None
        A short name of what was found (``"attribute access"``, ``"string literal"`` …).
    """

    def __init__(self, message: str, *, line: int | None = None,
                 column: int | None = None, construct: str | None = None):
        self.line, self.column, self.construct = line, column, construct
        where = f" (line {line}, column {column})" if line is not None else ""
        super().__init__(message + where)


class UnsafeInputError(ParseError):
    """A construct outside the parser's allow-list (attribute access, imports, lambdas …)."""


#: Limits that are not symbackslash's to raise: Python's parser and interpreter.
FIXED_LIMITS = {
    "python_parser": "this is a fixed limit of Python's parser (about 200 nested brackets and "
                     "a few thousand operators chained in one expression); split the "
                     "expression into several assignments",
    "recursion": "SymPy works recursively and Python's recursion limit was reached; nest less "
                 "deeply, or use gradient(..., form='program'), which stays flat",
    "memory": "the process ran out of memory; make the input smaller",
}


class ResourceLimitError(SymbackslashError):
    """A resource limit was exceeded.

    Attributes
    ----------
    limit : str
        The name of the limit: a field of :class:`symbackslash.Limits` (the message says how to
        raise it), or one of ``"python_parser"``, ``"recursion"``, ``"memory"``, limits of
        Python itself that cannot be raised from symbackslash (the message says what to do).
    """

    def __init__(self, message: str, *, limit: str):
        self.limit = limit
        advice = FIXED_LIMITS.get(limit) or (
            f"raise it with symbackslash.set_limits({limit}=...) or "
            f"`with symbackslash.limits({limit}=...):`")
        super().__init__(f"{message} [limit {limit}; {advice}]")


class GraphError(SymbackslashError, ValueError):
    """A computation that is not a valid DAG: cycles, use before definition, redefinition."""


class DifferentiationError(SymbackslashError):
    """A local partial derivative cannot be formed (no rule, non-differentiable construct)."""


class EvaluationDomainError(SymbackslashError, ArithmeticError):
    """Numeric evaluation at a point where the value or derivative is undefined.

    Attributes
    ----------
    expression : object
        The (sub)expression or program line whose value is undefined there.
    point : dict
        The point, ``{variable name: value}``.
    """

    def __init__(self, message: str, *, expression=None, point: dict | None = None):
        self.expression, self.point = expression, dict(point or {})
        super().__init__(message)


class RenderError(SymbackslashError):
    """A figure or a document could not be produced."""


class NonSmoothWarning(UserWarning):
    """A result used a convention at a point where the function is not differentiable.

    Silence it with ``warnings.simplefilter("ignore", symbackslash.NonSmoothWarning)``.
    """


class UnusedVariableWarning(UserWarning):
    """A variable of ``wrt`` does not occur in the function: its derivative is 0, which is
    right for a variable that is truly absent and wrong for a misspelt one."""


#: Inputs less deeply nested than this cannot exhaust Python's recursion limit by their depth
#: (SymPy takes a few frames per level): a RecursionError on one is SymPy's own.
SHALLOW = 60


def _depth(items) -> int:
    """The nesting depth of the deepest SymPy expression among ``items`` and the node
    expressions of the graphs among them (0 if none), without recursion."""
    deepest = 0
    expressions = [expr for item in items if isinstance(item, nx.DiGraph)
                   for _, expr in item.nodes(data="expr")]  # a graph: its node expressions
    stack = [(item, 1) for item in [*items, *expressions] if isinstance(item, sp.Basic)]
    reached: dict = {}  # id → the deepest level an expression was seen at (< SHALLOW)
    while stack:
        e, level = stack.pop()
        deepest = max(deepest, level)
        if deepest >= SHALLOW:
            break
        if reached.get(id(e), 0) < level:
            reached[id(e)] = level
            stack += [(a, level + 1) for a in e.args if isinstance(a, sp.Basic)]
    return deepest


def _restore(cls, args, state):
    err = Exception.__new__(cls)
    err.args = args
    err.__dict__.update(state)
    return err


# --------------------------------------------------------------------------- the boundary

#: Exceptions that bad input makes SymPy, networkx or Python raise; at the public boundary
#: they become :class:`InputError`.
FOREIGN = (TypeError, ValueError, KeyError, IndexError, AttributeError, ArithmeticError,
           NotImplementedError, nx.NetworkXException)


def boundary(function: Callable) -> Callable:
    """Decorate a public function so that only :class:`SymbackslashError` leaves it.

    ``RecursionError`` and ``MemoryError`` become :class:`ResourceLimitError`; the exceptions
    in :data:`FOREIGN` become :class:`InputError`. The message names the function and the
    original exception, which stays attached as ``__cause__`` (the CLI's ``--debug`` shows
    it). Errors of symbackslash pass through unchanged, so nesting is harmless.

    An :class:`InputError` made here has ``internal = True`` when symbackslash's own code
    raised the original (input it should have refused by name, or a bug: the message asks
    for a report); the test suite's fuzzers require it to be ``False``.

    >>> @boundary
    ... def head(items):
    ...     return items[0]
    >>> head([])
    Traceback (most recent call last):
    ...
    symbackslash.errors.InputError: head: bad argument (IndexError: list index out of range)
    """
    name = function.__qualname__

    @functools.wraps(function)
    def guarded(*args, **kwargs):
        token = _recorded.set({}) if _recorded.get() is None else None  # outermost call
        counted = token is not None and _fewer_collections()
        try:
            if token is not None and not _evaluating():
                with evaluate(True), distribute(True):  # a caller's sympy.evaluate(False)
                    return function(*args, **kwargs)
            return function(*args, **kwargs)
        except SymbackslashError as err:
            _with_partial(err)
            raise
        except RecursionError as err:
            depth = _depth([*args, *kwargs.values()])
            if 0 < depth < SHALLOW:  # a SymPy input, and a shallow one
                error = InputError(f"{name}: SymPy recursed without end on this input, which is "
                                   f"only {depth} levels deep (a limitation of SymPy "
                                   f"{sp.__version__}, for example with a Piecewise whose "
                                   f"conditions compare Piecewise or undefined functions); "
                                   f"write the function differently")
                error.internal = False
                raise _with_partial(error) from err
            raise _with_partial(ResourceLimitError(f"{name}: the input is nested too deeply",
                                                   limit="recursion")) from err
        except MemoryError as err:
            raise _with_partial(ResourceLimitError(f"{name}: out of memory",
                                                   limit="memory")) from err
        except FOREIGN as err:
            detail = str(err).splitlines()[0] if str(err) else ""
            internal = _raised_here(err)
            error = InputError(f"{name}: bad argument ({type(err).__name__}"
                               + (f": {detail})" if detail else ")")
                               + ("; if the input is valid, this is a bug in symbackslash: "
                                  "please report it" if internal else ""))
            error.internal = internal
            raise _with_partial(error) from err
        finally:
            if token is not None:
                _recorded.reset(token)
            _restore_collections(counted)

    return guarded


def _evaluating() -> bool:
    """Whether SymPy evaluates and distributes as it builds (the default). The pipeline
    builds every node, weight and result as SymPy's canonical form; inside a caller's
    ``with sympy.evaluate(False):`` its products and sums would stay as written (x·x, 2·(a
    + b)) and a gradient could lose a term, so a public call turns both back on."""
    return global_parameters.evaluate and global_parameters.distribute


#: The garbage collector's first threshold during a public call. The pipeline allocates
#: millions of small SymPy objects, almost none of them in reference cycles; at Python's
#: default (700 allocations) the collector walks the young objects again and again and
#: costs a third of the time of a 10,000-node gradient program. Collections still happen,
#: about a hundred times less often; the previous first threshold comes back when the last
#: public call running (in any thread) ends, unless someone set another meanwhile.
CALL_THRESHOLD = 100_000


_collections_lock = threading.Lock()
_collections_calls = 0        # public calls running with the raised threshold
_collections_saved: int | None = None  # the first threshold before the first call


def _fewer_collections() -> bool:
    """Raise the first collection threshold while public calls run (in any thread); whether
    this call counts among them (not when the collector is off or set higher already)."""
    global _collections_calls, _collections_saved
    with _collections_lock:
        if _collections_calls == 0:
            previous = gc.get_threshold()
            if not gc.isenabled() or previous[0] == 0 or previous[0] >= CALL_THRESHOLD:
                return False
            gc.set_threshold(CALL_THRESHOLD, *previous[1:])
            _collections_saved = previous[0]
        _collections_calls += 1
        return True


def _restore_collections(counted: bool) -> None:
    """When the last public call ends, put back the first threshold found before the first
    call, unless someone set another meanwhile (then theirs stays); the other two
    thresholds are left as they are now (ours never changes them)."""
    global _collections_calls, _collections_saved
    if not counted:
        return
    with _collections_lock:
        _collections_calls -= 1
        if _collections_calls == 0 and _collections_saved is not None:
            now = gc.get_threshold()
            if now[0] == CALL_THRESHOLD:
                gc.set_threshold(_collections_saved, *now[1:])
            _collections_saved = None


# What the stages of the current public call have produced so far (None outside one).
_recorded: contextvars.ContextVar[dict | None] = contextvars.ContextVar(
    "symbackslash_recorded", default=None)


def record(**results) -> None:
    """Hand a stage's results to the public call in progress: if it fails later, its error
    keeps them in ``err.partial`` (the first result recorded under a name wins)."""
    recorded = _recorded.get()
    if recorded is not None:
        for key, value in results.items():
            recorded.setdefault(key, value)


def _with_partial(err: SymbackslashError) -> SymbackslashError:
    for key, value in (_recorded.get() or {}).items():
        err.partial.setdefault(key, value)
    return err


def _raised_here(err: BaseException) -> bool:
    """Whether ``err`` was raised by symbackslash's own code (not by SymPy, networkx …, and
    not by the call itself: wrong arguments to the public function are the caller's)."""
    tb = err.__traceback__
    if tb is None or tb.tb_next is None:  # the call of the wrapped function failed
        return False
    while tb.tb_next is not None:
        tb = tb.tb_next
    filename = os.path.abspath(tb.tb_frame.f_code.co_filename)
    return os.path.commonpath([filename, _PACKAGE]) == _PACKAGE


_PACKAGE = os.path.dirname(os.path.abspath(__file__))
