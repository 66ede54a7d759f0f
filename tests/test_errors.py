"""The failure model: one hierarchy, the boundary, partial results, errors that travel."""

import pickle

import pytest
import sympy as sp

import symbackslash as sb
from symbackslash.errors import boundary, record
from symbackslash.rules.scalar import children

ERRORS = [sb.InputError("bad wrt"), sb.ParseError("bad", line=2, column=3, construct="call"),
          sb.UnsafeInputError("attribute access", line=1, column=1, construct="attribute"),
          sb.ResourceLimitError("too long", limit="max_chars"),
          sb.ResourceLimitError("too deep", limit="python_parser"), sb.GraphError("cycle"),
          sb.DifferentiationError("no rule"),
          sb.EvaluationDomainError("1/x at 0", expression=1/sp.Symbol("x"), point={"x": 0.0}),
          sb.RenderError("no figure")]


@pytest.mark.parametrize("err", ERRORS, ids=lambda e: type(e).__name__)
def test_every_error_is_ours_and_survives_pickling(err):
    assert isinstance(err, sb.SymbackslashError) and err.partial == {}
    err.partial["graph"] = "kept"
    copy = pickle.loads(pickle.dumps(err))
    assert type(copy) is type(err) and str(copy) == str(err)
    assert copy.__dict__ == err.__dict__


def test_resource_limit_messages_say_how_to_raise_or_what_to_do():
    ours = sb.ResourceLimitError("x", limit="max_depth")
    assert "set_limits(max_depth=...)" in str(ours) and "limits(max_depth=...)" in str(ours)
    python = sb.ResourceLimitError("x", limit="recursion")
    assert "set_limits" not in str(python) and "form='program'" in str(python)


def test_boundary_translates_foreign_exceptions():
    @boundary
    def foreign():
        return sp.Matrix([[1, 2]]) * sp.Matrix([[1, 2]])  # SymPy: ShapeError (a ValueError)

    with pytest.raises(sb.InputError, match="foreign: bad argument") as info:
        foreign()
    assert info.value.internal is False
    assert isinstance(info.value.__cause__, ValueError)


def test_boundary_marks_our_own_crashes():
    @boundary
    def ours(expr):
        return children(expr)  # an internal helper, which trusts its caller

    with pytest.raises(sb.InputError, match="please report it") as info:
        ours(None)
    assert info.value.internal is True


def test_wrong_arguments_to_a_public_function_are_the_callers():
    with pytest.raises(sb.InputError, match="positional argument") as info:
        sb.build_graph("x", "y")
    assert info.value.internal is False


def test_boundary_translates_recursion_and_memory():
    def bottomless(n):
        return bottomless(n + 1)

    @boundary
    def deep():
        return bottomless(0)

    with pytest.raises(sb.ResourceLimitError) as info:
        deep()
    assert info.value.limit == "recursion"

    @boundary
    def hungry():
        raise MemoryError

    with pytest.raises(sb.ResourceLimitError) as info:
        hungry()
    assert info.value.limit == "memory"


def test_boundary_lets_interrupts_through():
    @boundary
    def interrupted():
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        interrupted()


def test_recorded_results_reach_the_error_of_the_outermost_call():
    @boundary
    def inner():
        record(graph="inner graph", system="system")
        raise sb.GraphError("late failure")

    @boundary
    def outer():
        record(graph="outer graph")
        inner()

    with pytest.raises(sb.GraphError) as info:
        outer()
    assert info.value.partial == {"graph": "outer graph", "system": "system"}
    record(graph="ignored")  # outside a public call: nothing to attach it to
    with pytest.raises(sb.GraphError) as info:
        inner()
    assert info.value.partial == {"graph": "inner graph", "system": "system"}


def test_a_failed_gradient_keeps_the_graph():
    with pytest.raises(sb.InputError) as info:
        sb.gradient("a = x*y\nf = sin(a)", wrt=["a"])
    G = info.value.partial["graph"]
    assert sorted(map(str, G)) == ["a", "f", "x", "y"]


def test_a_closed_form_over_the_limits_is_refused_before_the_solve_and_keeps_the_system():
    with pytest.raises(sb.ResourceLimitError) as info, sb.limits(max_depth=4):
        sb.gradient("a = sin(x)\nb = sin(a)\nc = sin(b)\nd = sin(c)\nf = sin(d)")
    assert "differentiation" not in info.value.partial  # refused before solving
    G, system = info.value.partial["graph"], info.value.partial["system"]
    assert len(G) == 6 and system.n == 6
    d = sb.differentiate(G)  # the solve is one call away, in node symbols
    assert d.derivative(d.outputs[0], sp.Symbol("x")) != 0


def test_nothing_but_our_errors_leaves_public_functions():
    public = [getattr(sb, name) for name in sb.__all__ if callable(getattr(sb, name))
              and not isinstance(getattr(sb, name), type)]
    odd_arguments = [None, 3, "x.y", [None], {}, object(), b"x", sp.Matrix([1])]
    for function in public:
        for arg in odd_arguments:
            try:
                function(arg)
            except sb.SymbackslashError as err:
                assert str(err) and not getattr(err, "internal", False), (function, arg, err)


def test_a_public_call_collects_garbage_less_often_and_restores_the_thresholds():
    import gc

    from symbackslash.errors import CALL_THRESHOLD

    seen = []

    @boundary
    def inner():
        seen.append(gc.get_threshold()[0])

    @boundary
    def outer(fail):
        seen.append(gc.get_threshold()[0])
        inner()
        if fail:
            raise ValueError("bad")

    before = gc.get_threshold()
    assert before[0] < CALL_THRESHOLD
    outer(False)
    with pytest.raises(sb.InputError):
        outer(True)
    assert seen == [CALL_THRESHOLD] * 4
    assert gc.get_threshold() == before
    gc.disable()
    try:
        seen.clear()
        outer(False)
        assert seen == [before[0]] * 2 and not gc.isenabled()
    finally:
        gc.enable()


def test_thresholds_changed_during_a_public_call_or_by_another_thread_are_kept():
    import gc
    import threading

    before = gc.get_threshold()

    @boundary
    def changes_them(first):  # e.g. a traced function of the user's
        gc.set_threshold(gc.get_threshold()[0] if first is None else first, 50, 60)

    try:
        changes_them(None)  # generations 1 and 2: theirs stay, the first is restored
        assert gc.get_threshold() == (before[0], 50, 60)
        changes_them(1234)  # the first too: theirs stays
        assert gc.get_threshold() == (1234, 50, 60)
    finally:
        gc.set_threshold(*before)

    started, release = threading.Event(), threading.Event()

    @boundary
    def waits():
        started.set()
        release.wait(10)

    worker = threading.Thread(target=waits)
    worker.start()
    started.wait(10)

    @boundary
    def quick():
        return gc.get_threshold()[0]

    during = quick()  # a second call, ending while the first still runs in another thread
    after_second = gc.get_threshold()[0]
    release.set()
    worker.join(10)
    assert during == after_second == 100_000  # the first call still runs: still raised
    assert gc.get_threshold() == before  # restored once, when the last call ended
