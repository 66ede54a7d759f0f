"""The matrix MLP at depth 100: graph, solve, closed forms and gradient program work at
Python's default recursion limit, touch each edge once and agree with each other and with
central differences. (Structural checks only: no timings.)"""

import sys

import numpy as np
import pytest
import sympy as sp

import symbackslash as sb
from symbackslash.core.walk import postorder, tree_size

DEPTH = 100


@pytest.fixture(scope="module")
def deep():
    """The depth-100 network, its differentiation and its gradient program, all made at the
    default recursion limit."""
    previous = sys.getrecursionlimit()
    sys.setrecursionlimit(1000)
    try:
        net = sb.mlp([3] * (DEPTH + 1), batch=2, activations=["tanh"] * DEPTH)
        D = sb.differentiate(net.loss, net.parameters)
        closed = D.gradient
        program = sb.gradient(net.loss, net.parameters, form="program")
        compiled = program.lambdify([net.X0, net.Y, *net.parameters])
    finally:
        sys.setrecursionlimit(previous)
    return net, D, closed, program, compiled


def test_graph_and_solve_are_linear_and_touch_each_edge_once(deep):
    net, D, closed, program, compiled = deep
    inputs = 2 * DEPTH + 2                    # X0, Y, W1, B1, …
    assert len(D.graph) == inputs + 3 * DEPTH + 5     # W X, + B, tanh per layer; the loss
    (solution,) = D.solutions
    assert solution.edges_touched == D.graph.number_of_edges()
    # statements that compute (a bias's gradient is named B_bar = V_bar, a copy: no work)
    working = [e for _, e in program.forward + program.adjoint
               if not isinstance(e, (sp.Symbol, sp.MatrixSymbol))]
    assert len(working) <= 7 * DEPTH
    assert len(program.forward) + len(program.adjoint) <= len(working) + 2 * DEPTH
    assert program.ratio <= 4


def test_closed_forms_are_shared_not_copied(deep):
    net, D, closed, program, compiled = deep
    assert [g.shape for g in closed] == [p.shape for p in net.parameters]
    distinct = len(postorder(closed))
    assert distinct <= 20 * DEPTH                      # the DAG: linear in the depth
    assert tree_size(closed[0]) > DEPTH * distinct // 10   # printed, it would be far larger


def test_program_closed_forms_and_differences_agree(deep):
    net, D, closed, program, compiled = deep
    values = sb.random_values(net.loss, seed=3)
    args = [net.X0, net.Y, *net.parameters]
    ours = compiled(*[values[a] for a in args])
    for g, p in zip(closed[-6:], ours[-6:], strict=True):    # the last three layers
        assert np.allclose(sb.evaluate(g, values), p, rtol=1e-9, atol=1e-12)
    for k in (-2, -1):                                  # W_N and B_N: not vanishing
        fd = sb.finite_differences(net.loss, net.parameters[k], values)
        assert np.allclose(ours[k], fd, rtol=1e-5, atol=1e-8) and np.abs(fd).max() > 1e-3


def test_each_layer_is_solved_once_in_equation_one(default_recursion_limit):
    net = sb.mlp([3] * (DEPTH + 1), batch=2, activations=["tanh"] * DEPTH)
    solution = net.solve()
    assert len(solution.Lambda) == DEPTH
    assert solution.substitution.edges_touched == DEPTH - 1
