"""Resource limits: bounded work for text typed by someone else.

Every limit has a documented default and can be raised for the whole process with
:func:`set_limits`, or for a block with the :func:`limits` context manager (which holds for
the current thread or asynchronous task only, so concurrent requests of a web demo do not
see each other's limits)::

    >>> import symbackslash as sb
    >>> sb.get_limits().max_chars
    1000000
    >>> with sb.limits(max_chars=2_000_000):
    ...     sb.get_limits().max_chars
    2000000

Exceeding a limit raises :class:`~symbackslash.ResourceLimitError`, which names the
limit and how to raise it:

    >>> with sb.limits(max_depth=3):
    ...     try:
    ...         sb.parse("sin(cos(tan(x)))")
    ...     except sb.ResourceLimitError as err:
    ...         print(err.limit, "|", str(err).split(" [")[0])
    ...         print("set_limits(max_depth=...)" in str(err))
    max_depth | expression nesting deeper than 3 at line 1, column 13
    True

SymPy expressions given directly (not as text) are held to the same limits by
:func:`check_expression`, so ``sympy.Pow(9, 10**9, evaluate=False)`` is refused before any
arithmetic would materialise it.
"""

from __future__ import annotations

import contextlib
import contextvars
import dataclasses
import math
from collections.abc import Callable, Iterator

import sympy as sp

from ..errors import InputError, ResourceLimitError, boundary

__all__ = ["Limits", "get_limits", "set_limits", "limits", "check_limit", "check_expression",
           "check_power", "measure", "number_sizes", "symbols", "integer_digits"]


@dataclasses.dataclass(frozen=True)
class Limits:
    """The resource limits in force.

    Attributes
    ----------
    max_chars : int
        Longest accepted input text, in characters (default 1,000,000).
    max_statements : int
        Most statements (assignments) in one program (default 50,000).
    max_depth : int
        Deepest nesting of one expression (operators, calls, parentheses), in the text, in
        SymPy expressions given directly and in the closed forms of a program's values
        (default 100). SymPy's printers and its own differentiation are recursive and fail
        near 200 levels, so raise it with care; symbackslash then reports
        ``ResourceLimitError(limit="recursion")`` where it can.
    max_nodes : int
        Most nodes in a computational graph, parts of a closed form written out as a tree,
        and entries of a dense matrix built for display (default 200,000).
    max_int_digits : int
        Longest integer literal, and largest integer a numeric power may produce, in digits
        (default 1,000).
    max_exponent : int
        Largest absolute value of a numeric exponent (default 10,000; ``x**10**9`` is
        refused, not expanded).
    max_paths : int
        Most paths listed one by one (``path_products``, the path-sum figure, ``--paths``;
        default 10,000). Paths are counted first: their number can double with each node.
    simplify_seconds : float
        Time budget for optional simplification of results (default 1 s), in all for one
        derivation or one ``gradient(..., simplify="full")``, the smallest results first;
        past it the unsimplified (and equal) results are returned. Where SymPy's
        ``simplify`` shortens a derivation's result it takes a fraction of a second; on a
        tanh network's gradient it runs for many seconds and finds nothing, and a larger
        budget would only make such derivations wait. Raise it for a result that needs it.
    max_elimination_search : int
        Most nodes to eliminate for which the optimal elimination order is searched
        (default 12; the search visits every subset of them, 2ⁿ graphs).
    max_matrix_entries : int
        Most entries (rows × columns) of a matrix whose shape is declared for text
        (``parse(text, shapes=...)``, ``--shape``; default 1,000,000).
    max_matrix_factors : int
        Most matrix factors in one product written in text, a power ``X**n`` counting as n
        (default 50): the local partials of a product of n factors are n operators holding
        products of up to n − 1 factors.
    """

    max_chars: int = 1_000_000
    max_statements: int = 50_000
    max_depth: int = 100
    max_nodes: int = 200_000
    max_int_digits: int = 1_000
    max_exponent: int = 10_000
    max_paths: int = 10_000
    simplify_seconds: float = 1.0
    max_elimination_search: int = 12
    max_matrix_entries: int = 1_000_000
    max_matrix_factors: int = 50


_process = Limits()                        # set_limits: the whole process
_scoped: contextvars.ContextVar[Limits | None] = contextvars.ContextVar(
    "symbackslash_limits", default=None)   # limits(): this thread or task only


@boundary
def get_limits() -> Limits:
    """Return the limits now in force (those of an enclosing :func:`limits` block, if any)."""
    scoped = _scoped.get()
    return _process if scoped is None else scoped


@boundary
def set_limits(**changes) -> Limits:
    """Change limits for the rest of the process; return the previous limits.

    Raises
    ------
    InputError
        For an unknown limit name or a value that is not a positive number.
    """
    global _process
    previous = _process
    _process = _validated(_process, changes)
    return previous


@boundary
@contextlib.contextmanager
def limits(**changes) -> Iterator[Limits]:
    """Context manager: the given limits hold inside the ``with`` block only (and only for
    the current thread or task)."""
    token = _scoped.set(_validated(get_limits(), changes))
    try:
        yield _scoped.get()
    finally:
        _scoped.reset(token)


def check_limit(name: str, value: int | float, what: str) -> None:
    """Raise :class:`ResourceLimitError` if ``value`` exceeds the limit ``name``.

    ``what`` describes the measured quantity for the message, e.g. ``"input length"``.
    """
    allowed = getattr(get_limits(), name)
    if value > allowed:
        raise ResourceLimitError(f"{what} is {value}, over the limit of {allowed}", limit=name)


def _validated(base: Limits, changes: dict) -> Limits:
    names = {f.name for f in dataclasses.fields(Limits)}
    for key, value in changes.items():
        if key not in names:
            raise InputError(f"unknown limit {key!r}; the limits are: {', '.join(sorted(names))}")
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
            raise InputError(f"limit {key} must be a positive number (math.inf for none), "
                             f"got {value!r}")
    return dataclasses.replace(base, **changes)


# --------------------------------------------------------------------------- SymPy input


def symbols(expr: sp.Basic) -> set:
    """The symbols in ``expr`` (free or bound), each shared subexpression visited once.

    SymPy's ``free_symbols`` recurses into every repeat of a shared subexpression, which
    takes exponential time on a closed form like ``b = sin(a) + cos(a)`` repeated.

    >>> x, y = sp.symbols("x y")
    >>> sorted(symbols(sp.sin(x) + sp.cos(x)*y), key=str)
    [x, y]
    """
    found, seen, stack = set(), set(), [expr]
    while stack:
        e = stack.pop()
        if e in seen:
            continue
        seen.add(e)
        if e.is_Symbol:
            found.add(e)
        stack.extend(e.args)
    return found


def integer_digits(n: int) -> int:
    """Decimal digits of ``abs(n)``, estimated from its bits (never converts to text, which
    Python refuses beyond 4,300 digits). Exact or one too many.

    >>> integer_digits(1000), integer_digits(10**1000)
    (4, 1001)
    """
    return max(1, math.floor(abs(n).bit_length() * math.log10(2)) + 1)


#: Constants a real, finite computation cannot contain.
_NOT_FINITE = {sp.nan: "nan", sp.zoo: "zoo (complex infinity)", sp.oo: "oo (infinity)",
               -sp.oo: "-oo (infinity)", sp.I: "I (the imaginary unit)"}


def check_expression(expr, what: str | Callable[[], str] = "the expression", *,
                     depth: bool = True) -> None:
    """Hold a SymPy object given directly to the limits the parser enforces on text.

    ``what`` names the object in messages (a string, or a function that makes one, called
    only when there is a message to write).

    Walks ``expr`` once, iteratively (each distinct subexpression once; each object once
    when ``depth=False``), and checks its
    nesting depth (``max_depth``, unless ``depth=False``: the graph builder walks any depth
    iteratively, so only stages that hand expressions to SymPy's recursive algorithms check
    it), integer sizes (``max_int_digits``) and numeric powers (``max_exponent``;
    ``max_int_digits`` for the integer a power of a rational would be).

    Raises
    ------
    ResourceLimitError
        For a limit exceeded.
    InputError
        For ``nan``, ``zoo``, ``oo`` or ``I``: symbackslash differentiates real expressions
        with finite constants.
    """
    if not isinstance(expr, sp.Basic) or expr.is_Symbol:
        return
    lim = get_limits()
    if not depth:  # each object once, no depths to keep
        stack, seen = [expr], {id(expr)}
        while stack:
            e = stack.pop()
            _check_atom(e, what, lim)
            for a in e.args:
                if id(a) not in seen:
                    seen.add(id(a))
                    stack.append(a)
        return
    found, _ = measure(expr, visit=lambda e: _check_atom(e, what, lim), stop=lim.max_depth)
    if found > lim.max_depth:
        raise ResourceLimitError(f"{_named(what)} is nested deeper than {lim.max_depth} levels",
                                 limit="max_depth")


def _named(what: str | Callable[[], str]) -> str:
    return what() if callable(what) else what


def measure(expr: sp.Basic, known: dict | None = None, *, visit=None,
            stop: float = math.inf) -> tuple[int, int]:
    """``(depth, size)`` of ``expr`` written out as a tree, without recursion.

    Each distinct subexpression is visited once (``visit(e)`` is called on it first), so a
    closed form that shares subexpressions is measured in time linear in its distinct parts,
    while ``size`` counts every repeat, as a printer would. ``known`` maps leaves (node
    symbols) to the ``(depth, size)`` of what they stand for. The walk stops early, with a
    depth over ``stop``, once some path is that deep.

    >>> x = sp.Symbol("x")
    >>> e = sp.sin(x) + sp.cos(x)
    >>> measure(e)
    (3, 5)
    >>> measure(e, {x: (10, 100)})
    (12, 203)
    """
    known = known or {}
    found: dict = {}
    stack = [(expr, False, 1)]
    while stack:
        e, ready, level = stack.pop()
        if e in found:
            continue
        if not ready:
            if level > stop:
                return level, level
            if visit is not None:
                visit(e)
            if not e.args:
                found[e] = known.get(e, (1, 1))
                continue
            stack.append((e, True, level))
            stack.extend((a, False, level + 1) for a in e.args if a not in found)
            continue
        parts = [found[a] for a in e.args]
        found[e] = (1 + max(d for d, _ in parts), 1 + sum(n for _, n in parts))
    return found[expr]


def number_sizes(expr: sp.Basic, known: dict | None = None) -> tuple[float, float]:
    """``(digits, exponent)``: upper bounds on the decimal digits of the numbers and on the
    numeric exponents of symbols that SymPy's arithmetic would produce from ``expr``, with
    each distinct subexpression visited once and no recursion (digits are counted as
    ``log10`` of the numbers: an upper bound, not rounded).

    Substituting a program into itself multiplies out numbers: ``a0 = 3*x`` and
    ``a_k = a_{k-1}**2`` for 26 lines is ``3**(2**26) * x**(2**26)``, a small tree holding a
    number of 32 million digits. ``known`` maps leaves (node symbols) to the bounds of what
    they stand for. A product adds digits, a sum adds one, a numeric power multiplies both.

    >>> x = sp.Symbol("x")
    >>> digits, exponent = number_sizes((3*x)**4)
    >>> round(10**digits), exponent
    (81, 4.0)
    >>> a = sp.Symbol("a")
    >>> number_sizes(a**2, {a: (1000, 3)})
    (2000.0, 6.0)
    """
    known = known or {}
    found: dict = {}
    stack = [(expr, False)]
    while stack:
        e, ready = stack.pop()
        if e in found:
            continue
        if not e.args:
            if e in known:
                found[e] = known[e]
            elif e.is_Rational:
                found[e] = (max(_log10(e.p or 1), _log10(e.q)), 0.0)
            else:
                found[e] = (0.0, 1.0 if e.is_Symbol else 0.0)
            continue
        if not ready:
            stack.append((e, True))
            stack.extend((a, False) for a in e.args if a not in found)
            continue
        parts = [found[a] for a in e.args]
        if e.is_Pow and e.exp.is_Number and e.exp.is_finite:
            digits, exponent = parts[0]
            found[e] = (digits * abs(float(e.exp)), exponent * abs(float(e.exp)))
        elif e.is_Mul:
            found[e] = (sum(d for d, _ in parts), sum(x for _, x in parts))
        else:
            found[e] = (max(d for d, _ in parts) + (math.log10(len(parts)) if e.is_Add else 0),
                        max(x for _, x in parts))
    return found[expr]


def _check_atom(e: sp.Basic, what, lim: Limits) -> None:
    if e.is_Symbol:
        return
    if e.is_Atom and e in _NOT_FINITE:
        raise InputError(f"{_named(what)} contains {_NOT_FINITE[e]}; symbackslash "
                         f"differentiates real expressions with finite constants")
    if e.is_Rational and not e.is_Integer:
        digits = max(integer_digits(e.p), integer_digits(e.q))
    elif e.is_Integer:
        digits = integer_digits(e.p)
    else:
        digits = 0
    if digits > lim.max_int_digits:
        raise ResourceLimitError(f"{_named(what)} contains a number with about {digits} "
                                 f"digits, more than {lim.max_int_digits}",
                                 limit="max_int_digits")
    if e.is_Pow and e.exp.is_Number:
        check_power(e.base, e.exp, f"a power in {_named(what)}")


def check_power(base: sp.Basic, exponent: sp.Basic, where: str) -> None:
    """Refuse a numeric power too large to write out: ``|exponent| > max_exponent``, or a
    power whose numbers would have more than ``max_int_digits`` digits.

    SymPy multiplies out what a numeric power produces: ``(3*x)**10000`` is
    ``3**10000 * x**10000`` and ``(x**100)**1000`` is ``x**100000``, so the factors of the
    base are checked with the exponent they will have (a power nested three times in 30
    characters would otherwise compute a number with billions of digits).

    ``where`` names the power for the message (``"the power at line 2, column 5"``).
    """
    lim = get_limits()
    if not exponent.is_Number or not exponent.is_finite:  # nan and oo are refused elsewhere
        return
    if abs(exponent) > lim.max_exponent:
        raise ResourceLimitError(f"the exponent {_short(exponent)} of {where} is larger than "
                                 f"{lim.max_exponent}", limit="max_exponent")
    # An integer power distributes over a product; a rational one only pulls out numbers.
    factors = sp.Mul.make_args(base) if exponent.is_Integer else (base.as_coeff_Mul()[0],)
    for factor in factors:
        power = exponent
        if factor.is_Pow and factor.exp.is_Number and exponent.is_Integer:
            factor, power = factor.base, factor.exp * exponent
            if abs(power) > lim.max_exponent:
                raise ResourceLimitError(f"{where} would have the exponent {_short(power)}, "
                                         f"larger than {lim.max_exponent}",
                                         limit="max_exponent")
        if factor.is_Rational and factor not in (0, 1, -1):
            digits = math.floor(abs(float(power)) * max(_log10(factor.p), _log10(factor.q))) + 1
            if digits > lim.max_int_digits:
                raise ResourceLimitError(f"{where} would be a number with about {digits} "
                                         f"digits, more than {lim.max_int_digits}",
                                         limit="max_int_digits")


def _log10(n: int) -> float:
    n = abs(n)
    return math.log10(n) if n.bit_length() < 1000 else n.bit_length() * math.log10(2)


def _short(number: sp.Number) -> str:
    """A number for a message: itself, or its size when it is too long to print."""
    if number.is_Rational and max(integer_digits(number.p), integer_digits(number.q)) > 30:
        return f"(a number with about {integer_digits(number.p)} digits)"
    return str(number)
