"""Simplification within a time budget."""

import signal
import threading

import sympy as sp

from symbackslash import limits
from symbackslash.core.simplify import simplify_all, simplify_within

x, y = sp.symbols("x y")
NEEDS_WORK = (x**2 - 1)/(x - 1) - x + sp.sin(y)**2 + sp.cos(y)**2
#: SymPy's simplify runs for seconds (over 10) on this and finds nothing shorter.
a, b, c, d, u, v, w = sp.symbols("a b c d u v w")
HOPELESS = 1 - sp.tanh(a + w*sp.tanh(b + u*x + v*y) + c*sp.tanh(d + v*x + u*y))**2


def test_simplifies_when_it_helps():
    assert simplify_within(NEEDS_WORK) == 2
    assert simplify_within(x*y + 1) == x*y + 1          # nothing shorter: unchanged
    assert simplify_within(sp.Integer(3)) == 3
    assert simplify_within("not sympy") == "not sympy"


def test_budget_spent_returns_the_input_unchanged():
    assert simplify_within(NEEDS_WORK, seconds=1e-6) == NEEDS_WORK
    assert simplify_within(NEEDS_WORK, seconds=0) == NEEDS_WORK
    with limits(simplify_seconds=1e-6):
        assert simplify_within(NEEDS_WORK) == NEEDS_WORK


def test_the_alarm_handler_is_restored():
    def mine(signum, frame):
        raise AssertionError("must not be called")

    previous = signal.signal(signal.SIGALRM, mine)
    try:
        simplify_within(NEEDS_WORK, seconds=1e-6)
        simplify_within(NEEDS_WORK)
        assert signal.getsignal(signal.SIGALRM) is mine
        assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    finally:
        signal.signal(signal.SIGALRM, previous)


def test_outside_the_main_thread_nothing_is_simplified():
    results = []
    worker = threading.Thread(target=lambda: results.append(simplify_within(NEEDS_WORK)))
    worker.start()
    worker.join()
    assert results == [NEEDS_WORK]


def test_simplify_all_keeps_the_order_and_simplifies_each_distinct_expression():
    assert simplify_all([x*y + 1, NEEDS_WORK, sp.Integer(3), NEEDS_WORK, "text"]) == \
        [x*y + 1, 2, 3, 2, "text"]
    assert simplify_all([NEEDS_WORK], seconds=0) == [NEEDS_WORK]
    with limits(simplify_seconds=1e-6):
        assert simplify_all([NEEDS_WORK]) == [NEEDS_WORK]


def test_simplify_all_spends_the_budget_on_the_smallest_first():
    # in the order given, the hopeless expression would take all of the budget
    assert simplify_all([HOPELESS, NEEDS_WORK], seconds=0.5) == [HOPELESS, 2]
