"""Simplification within a time budget.

:func:`sympy.simplify` can take very long, even on a small expression (the derivative of a
one-layer tanh network, 20 operations and leaves, takes seconds and finds nothing).
Derivations simplify their results only where it helps (the result has fewer operations)
and only within the budget ``Limits.simplify_seconds`` in all (:func:`simplify_all`: the
smallest results first, so the budget goes to those most likely to simplify in time);
past it, the unsimplified, equal expressions are kept.

The budget is enforced with a real-time interval timer (``SIGALRM``), which Python delivers
to the main thread only; in other threads, or where the platform has no ``setitimer``,
nothing is simplified.

>>> import sympy as sp
>>> x = sp.Symbol("x")
>>> simplify_within(sp.sin(x)**2 + sp.cos(x)**2)
1
>>> simplify_within(x + 1)
x + 1
>>> simplify_all([sp.sin(x)**2 + sp.cos(x)**2 + x, x + 1])
[x + 1, x + 1]
"""

from __future__ import annotations

import signal
import threading
import time

import sympy as sp

from .limits import get_limits, measure

__all__ = ["simplify_within", "simplify_all", "can_interrupt"]


class _OutOfTime(Exception):
    """Raised inside the simplification when the budget is spent."""


def can_interrupt() -> bool:
    """Whether a simplification can be stopped here (main thread, ``setitimer`` present)."""
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


def simplify_within(expr, seconds: float | None = None):
    """``sympy.simplify(expr)`` if it finishes within ``seconds`` and has fewer operations;
    otherwise ``expr`` unchanged.

    Parameters
    ----------
    expr : object
        Anything; only SymPy expressions that are not atoms are simplified.
    seconds : float, optional
        The budget (default: ``get_limits().simplify_seconds``).
    """
    if not isinstance(expr, sp.Expr) or isinstance(expr, sp.MatrixExpr) or expr.is_Atom:
        return expr
    seconds = get_limits().simplify_seconds if seconds is None else seconds
    if seconds <= 0 or not can_interrupt():
        return expr

    armed = [True]

    def out_of_time(signum, frame):
        if armed[0]:
            raise _OutOfTime

    start = time.monotonic()
    outer_delay, outer_interval = signal.getitimer(signal.ITIMER_REAL)
    previous_handler = signal.signal(signal.SIGALRM, out_of_time)
    try:
        try:
            # repeated every 50 ms: an alarm that arrives inside a weakref callback or a
            # __del__ is printed and ignored by Python, and simplify would run on unbounded
            signal.setitimer(signal.ITIMER_REAL, seconds, 0.05)
            candidate = sp.simplify(expr)
        finally:
            armed[0] = False
            signal.setitimer(signal.ITIMER_REAL, 0)
    except _OutOfTime:
        candidate = expr
    finally:
        signal.signal(signal.SIGALRM, previous_handler)
        if outer_delay > 0:  # give an outer timer (a test timeout, say) back what is left
            left = max(outer_delay - (time.monotonic() - start), 1e-3)
            signal.setitimer(signal.ITIMER_REAL, left, outer_interval)
    return candidate if sp.count_ops(candidate) < sp.count_ops(expr) else expr


def simplify_all(exprs, seconds: float | None = None) -> list:
    """:func:`simplify_within` of each of ``exprs``, within ``seconds`` in all (default:
    ``get_limits().simplify_seconds``); the results in the order given.

    The smallest expressions (written out as trees) are simplified first, each distinct
    one once, and each is given what is left of the budget; once it is spent, the rest
    are returned unchanged. The time counted is the time spent simplifying.
    """
    exprs = list(exprs)
    left = get_limits().simplify_seconds if seconds is None else seconds
    sizes = {e: measure(e)[1] for e in exprs if isinstance(e, sp.Basic)}
    done: dict = {}
    for e in sorted(sizes, key=sizes.get):
        if left <= 0:
            break
        start = time.monotonic()
        done[e] = simplify_within(e, left)
        left -= time.monotonic() - start
    return [done.get(e, e) if isinstance(e, sp.Basic) else e for e in exprs]
