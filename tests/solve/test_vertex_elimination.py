"""Vertex elimination on I − L: the Schur complement is the Jacobian in every order (checked
against (I − L)⁻¹ computed by SymPy), for SymPy weights, Fractions and NumPy blocks; the
costs of the orders against the substitutions' counts; the optimal order is never beaten."""

from fractions import Fraction

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from symbackslash import InputError, ResourceLimitError, back_substitute, forward_substitute, limits
from symbackslash.solve.elimination import eliminate_vertices
from symbackslash.solve.orders import ORDERS, elimination_cost, elimination_order

a, b, c, d = sp.symbols("a b c d")
T1 = {(2, 0): a, (2, 1): b, (3, 2): c, (4, 3): d}   # the paper's 5-node graph, 0-based


def test_t1_forward_and_reverse_orders_are_the_two_modes():
    forward = eliminate_vertices(T1, 5, [2, 3])
    reverse = eliminate_vertices(T1, 5, [3, 2])
    assert forward.entries == reverse.entries == {(4, 0): a*c*d, (4, 1): b*c*d}
    assert (forward.multiplications, reverse.multiplications) == (4, 3)
    first = reverse.steps[0]
    assert (first.pivot, first.in_edges, first.out_edges) == (3, ((2, c),), ((4, d),))
    assert [(u.target, u.source, u.product, u.previous) for u in first.updates] == \
        [(4, 2, c*d, None)]
    assert first.fill_in == ((2, 4),) and first.remaining == (0, 1, 2, 4)
    assert first.entries == {(2, 0): a, (2, 1): b, (4, 2): c*d}
    assert forward.steps[0].markowitz == 2 and reverse.steps[0].markowitz == 1


def test_sum_with_an_existing_edge_and_a_kept_row():
    # 0 → 1 → 2 and 0 → 2; node 1 is an output with a successor: its row stays
    E = eliminate_vertices({(1, 0): a, (2, 1): b, (2, 0): c}, 3, [1], keep=[1])
    update = E.steps[0].updates[0]
    assert (update.previous, update.product, update.result) == (c, a*b, c + a*b)
    assert not update.fill_in and E.steps[0].kept
    assert E.entries == {(1, 0): a, (2, 0): a*b + c} and E.remaining == (0, 1, 2)


def test_cancellation_removes_the_edge():
    E = eliminate_vertices({(1, 0): 1, (2, 1): -1, (2, 0): 1}, 3, [1])
    assert E.steps[0].updates[0].result is None and E.entries == {}
    assert elimination_cost({(1, 0): 1, (2, 1): -1, (2, 0): 1}, 3, [1]) == 0 == E.multiplications


def test_fractions_and_numpy_blocks():
    L = {(2, 0): Fraction(1, 2), (2, 1): Fraction(3), (3, 2): Fraction(2, 3)}
    assert eliminate_vertices(L, 4, [2]).entries == {(3, 0): Fraction(1, 3), (3, 1): Fraction(2)}
    rng = np.random.default_rng(0)
    blocks = {key: rng.standard_normal((2, 2)) for key in T1}
    E = eliminate_vertices(blocks, 5, [3, 2])
    # the dense block matrix (I − L)⁻¹, assembled and inverted by NumPy
    dense = np.eye(10)
    for (i, j), block in blocks.items():
        dense[2*i:2*i + 2, 2*j:2*j + 2] = -block
    inverse = np.linalg.inv(dense)
    for (i, j) in [(4, 0), (4, 1)]:
        np.testing.assert_allclose(E.entries[i, j], inverse[2*i:2*i + 2, 2*j:2*j + 2])


def test_orders_on_t1_and_markowitz_ties_by_index():
    assert [elimination_order(T1, 5, [2, 3], order=o) for o in ORDERS] == \
        [[2, 3], [3, 2], [3, 2], [3, 2]]
    # a chain 0 → 1 → 2 → 3: both middle nodes have degree 1, the first is taken
    chain = {(1, 0): a, (2, 1): b, (3, 2): c}
    assert elimination_order(chain, 4, [1, 2], order="markowitz") == [1, 2]
    assert elimination_order(T1, 5, [2, 3], order=[3, 2]) == [3, 2]


@pytest.mark.parametrize("order, message", [
    ([2], "missing: 3;"), ([2, 3, 3], "repeated: 3$"), ([2, 4], "not to be eliminated: 4;"),
    ("backwards", "order must be one of"),
])
def test_bad_orders(order, message):
    with pytest.raises(InputError, match=message):
        elimination_order(T1, 5, [2, 3], order=order)


def test_bad_input_to_the_loop():
    with pytest.raises(InputError, match="twice"):
        eliminate_vertices(T1, 5, [2, 2])
    with pytest.raises(InputError, match="strictly lower triangular"):
        eliminate_vertices({(0, 2): a}, 3, [])
    with pytest.raises(InputError, match="mapping"):
        eliminate_vertices([[0]], 1, [])


def test_optimal_search_is_refused_past_the_limit():
    chain = {(k + 1, k): sp.Symbol(f"w{k}") for k in range(6)}
    with limits(max_elimination_search=4), pytest.raises(ResourceLimitError) as info:
        elimination_order(chain, 7, range(1, 6), order="optimal")
    assert info.value.limit == "max_elimination_search" and "is 5" in str(info.value)


# --- random DAGs -------------------------------------------------------------------------

@st.composite
def dags(draw):
    """A DAG on n nodes, m inputs first; weights 1 (products with it are free), 2 (1 + 1
    is not free) or a symbol of their own; outputs the sinks and maybe a few inner nodes.

    No weight is negative, so no two path products cancel: the orders' costs are counted on
    the pattern, which cannot see a symbolic w − w cancel (a path through a −1 and one
    without; exact cancellations of numbers are tested on their own)."""
    m = draw(st.integers(1, 3))
    n = draw(st.integers(m + 2, m + 7))
    L = {}
    for i in range(m, n):
        parents = draw(st.lists(st.integers(0, i - 1), min_size=1, max_size=3, unique=True))
        for j in parents:
            number = draw(st.sampled_from([1, 2, None]))
            L[i, j] = sp.Symbol(f"w{i}_{j}") if number is None else sp.Integer(number)
    has_successor = {j for (_, j) in L}
    sinks = [k for k in range(m, n) if k not in has_successor]
    extra = draw(st.lists(st.sampled_from(range(m, n)), max_size=2))
    outputs = sorted(set(sinks) | set(extra))
    return L, n, m, outputs


def jacobian_oracle(L, n, m, outputs):
    """Rows ``outputs``, columns the inputs, of (I − L)⁻¹, inverted by SymPy."""
    dense = sp.eye(n) - sp.Matrix(n, n, lambda i, j: L.get((int(i), int(j)), 0))
    inverse = dense.inv()
    return {(o, i): sp.expand(inverse[o, i]) for o in outputs for i in range(m)}


@settings(max_examples=60, deadline=None)
@given(dags())
def test_every_order_gives_the_jacobian_and_the_optimal_is_never_beaten(dag):
    L, n, m, outputs = dag
    candidates = [k for k in range(m, n) if any(j == k for (_, j) in L)]
    oracle = jacobian_oracle(L, n, m, outputs)
    costs = {}
    for name in ORDERS:
        order = elimination_order(L, n, candidates, order=name, keep=outputs)
        E = eliminate_vertices(L, n, order, keep=outputs)
        assert all(o in outputs and i < m for (o, i) in E.entries)   # only the Jacobian left
        assert {key: sp.expand(E.entries.get(key, 0)) for key in oracle} == oracle
        assert elimination_cost(L, n, order, keep=outputs) == E.multiplications
        costs[name] = E.multiplications
    assert costs["optimal"] <= min(costs.values())


@settings(max_examples=60, deadline=None)
@given(dags())
def test_mode_orders_cost_what_the_substitutions_cost(dag):
    L, n, m, outputs = dag
    candidates = [k for k in range(m, n) if any(j == k for (_, j) in L)]
    lower = {**{(k, k): sp.S.One for k in range(n)}, **{key: -w for key, w in L.items()}}
    upper = {(j, i): w for (i, j), w in lower.items()}
    forward = sum(forward_substitute(lower, [sp.S.One if k == i else sp.S.Zero
                                             for k in range(n)]).multiplications
                  for i in range(m))
    assert eliminate_vertices(L, n, candidates, keep=outputs).multiplications == forward
    if len(outputs) == 1:
        back = back_substitute(upper, [sp.S.One if k == outputs[0] else sp.S.Zero
                                       for k in range(n)]).multiplications
        assert eliminate_vertices(L, n, candidates[::-1], keep=outputs).multiplications == back
