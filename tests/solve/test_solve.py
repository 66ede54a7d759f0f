"""The generic solvers: one loop for ints, Fractions, SymPy, NumPy blocks (operators: see
test_operators.py); agreement with SymPy's triangular solves; steps and edge counts."""

from fractions import Fraction

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from symbackslash import (
    InputError,
    back_substitute,
    build_graph,
    forward_substitute,
    triangular_system,
)

a, b, c, d = sp.symbols("a b c d")


def t1_upper():
    L = sp.Matrix([[0, 0, 0, 0, 0], [0, 0, 0, 0, 0], [a, b, 0, 0, 0], [0, 0, c, 0, 0],
                   [0, 0, 0, d, 0]])
    return (sp.eye(5) - L).T


def test_t1_back_substitution_and_steps():
    solution = back_substitute(t1_upper(), [0, 0, 0, 0, 1])
    assert list(solution) == [a*c*d, b*c*d, c*d, d, 1]
    assert [step.unknown for step in solution.steps] == [4, 3, 2, 1, 0]
    assert solution.steps[2].terms == ((3, -c, d),)
    assert solution.edges_touched == 4  # each edge of the DAG exactly once
    assert solution.mode == "back"


def test_agrees_with_sympy_triangular_solves():
    U = t1_upper()
    rhs = sp.Matrix([a, b, c, d, 1])
    assert sp.Matrix(list(back_substitute(U, list(rhs)))) == U.upper_triangular_solve(rhs)
    L = U.T
    assert sp.Matrix(list(forward_substitute(L, list(rhs)))) == L.lower_triangular_solve(rhs)


@given(st.integers(1, 7), st.data())
@settings(max_examples=40, deadline=None)
def test_random_integer_systems_match_sympy(n, data):
    entries = st.integers(-5, 5)
    U = sp.Matrix(n, n, lambda i, j: data.draw(entries) if j > i else (
        data.draw(st.sampled_from([1, 2, -1, 3])) if i == j else 0))
    rhs = sp.Matrix([data.draw(entries) for _ in range(n)])
    ours = back_substitute(U, [sp.Integer(v) for v in rhs])
    assert sp.Matrix(list(ours)) == U.upper_triangular_solve(rhs)
    ours_forward = forward_substitute(U.T, [sp.Integer(v) for v in rhs])
    assert sp.Matrix(list(ours_forward)) == U.T.lower_triangular_solve(rhs)


def test_python_ints_stay_ints_with_unit_diagonal():
    x = back_substitute([[1, -2, 0], [0, 1, -3], [0, 0, 1]], [0, 0, 1])
    assert list(x) == [6, 3, 1] and all(type(v) is int for v in x)


def test_fractions():
    U = [[Fraction(2), Fraction(1)], [0, Fraction(3)]]
    x = back_substitute(U, [Fraction(1), Fraction(1)])
    assert list(x) == [Fraction(1, 3), Fraction(1, 3)]
    y = forward_substitute([[Fraction(1, 2), 0], [Fraction(1), Fraction(4)]],
                           [Fraction(1), Fraction(2)])
    assert list(y) == [Fraction(2), Fraction(0)]


def test_numpy_two_by_two_blocks():
    rng = np.random.default_rng(1)
    D = [np.eye(2) * 2 + rng.normal(size=(2, 2)) * 0.1 for _ in range(3)]
    B = [rng.normal(size=(2, 2)) for _ in range(3)]
    Z = np.zeros((2, 2))
    U = [[D[0], B[0], B[1]], [Z, D[1], B[2]], [Z, Z, D[2]]]
    rhs = [rng.normal(size=2) for _ in range(3)]
    x = back_substitute(U, rhs)
    dense = np.block(U)
    assert np.allclose(dense @ np.concatenate(list(x)), np.concatenate(rhs))
    L = [[D[0], Z, Z], [B[0], D[1], Z], [B[1], B[2], D[2]]]
    y = forward_substitute(L, rhs)
    assert np.allclose(np.block(L) @ np.concatenate(list(y)), np.concatenate(rhs))
    assert back_substitute(U, rhs).edges_touched == 3


def test_sparse_mapping_input_and_assign_hook():
    names = []

    def assign(i, value):
        names.append(i)
        return value * 10

    x = back_substitute({(0, 0): 1, (1, 1): 1, (0, 1): -1}, [0, 1], assign=assign)
    assert list(x) == [100, 10] and names == [1, 0]


def test_graph_system_touches_each_edge_once():
    G = build_graph("a = x*y\nb = sin(a)\nc = a*b\nf = a + b + c")
    S = triangular_system(G)
    solution = back_substitute(S.upper(), S.unit(sp.Symbol("f")))
    assert solution.edges_touched == G.number_of_edges()


def test_t1_multiplication_counts_forward_four_backward_three():
    """The paper: forward computes a, ac, acd and b, bc, bcd (4 multiplications; a·1 and
    b·1 are free), backward d, cd, acd, bcd (3; d·1 is free)."""
    upper = t1_upper()
    lower = upper.T
    forward = [forward_substitute(lower, seed) for seed in ([1, 0, 0, 0, 0], [0, 1, 0, 0, 0])]
    assert [list(x)[4] for x in forward] == [a*c*d, b*c*d]
    assert sum(x.multiplications for x in forward) == 4
    assert back_substitute(upper, [0, 0, 0, 0, 1]).multiplications == 3


def test_multiplications_skip_zero_and_unit_factors():
    U = [[1, -3, -2, -1], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]]
    x = back_substitute(U, [0, 7, 0, 5])
    assert list(x) == [26, 7, 0, 5]
    assert x.edges_touched == 3
    assert x.multiplications == 1          # (−3)·7; (−2)·0 and (−1)·5 are free


@pytest.mark.parametrize("U, rhs, message", [
    ([[1, 0], [5, 1]], [1, 1], "not upper triangular"),
    ([[1, 2], [0, 0]], [1, 1], "singular"),
    ([[1, 2]], [1, 1], "rows"),
    (sp.eye(3), [1, 1], "3 × 3"),
])
def test_bad_systems(U, rhs, message):
    with pytest.raises(InputError, match=message):
        back_substitute(U, rhs)


def test_forward_refuses_upper():
    with pytest.raises(InputError, match="not lower triangular"):
        forward_substitute([[1, 2], [0, 1]], [1, 1])
