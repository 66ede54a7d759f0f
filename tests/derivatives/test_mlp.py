"""The paper's perceptron: the matrix MLP of docs/mathematics.md exactly, the
shapes of M, L̃ and g, equation (1)
against gradient(J, params) and central differences for depths 1–5."""

import numpy as np
import pytest
import sympy as sp

import symbackslash as sb
from symbackslash import InputError

T4_VALUES = {"X0": [[1, 2], [0, 1]], "W1": [[1, -1], [2, 0]], "B1": [[0, 1], [1, 0]],
             "W2": [[1, 1]], "B2": [[0, -1]], "Y": [[1, 2]]}


def t4(second):
    return sb.mlp([2, 2, 1], batch=2, activations=["square", second])


def test_t4_identity_output_layer():
    net = t4("identity")
    values = net.evaluate(T4_VALUES)
    assert values["X"] == [sp.Matrix([[1, 4], [9, 16]]), sp.Matrix([[10, 19]])]
    assert values["J"] == 185
    W1, B1, W2, B2 = net.parameters
    assert values["gradient"] == {W1: sp.Matrix([[154, 68], [326, 136]]),
                                  B1: sp.Matrix([[18, 68], [54, 136]]),
                                  W2: sp.Matrix([[77, 353]]), B2: sp.Matrix([[9, 17]])}


def test_t4_square_output_layer():
    net = t4("square")
    values = net.evaluate(T4_VALUES)
    W1, B1, W2, B2 = net.parameters
    assert values["J"] == 69341
    assert values["gradient"][W2] == sp.Matrix([[56548, 236092]])
    assert values["gradient"][B2] == sp.Matrix([[1980, 13642]])


@pytest.mark.parametrize("second", ["identity", "square"])
def test_t4_gradient_of_the_expression_agrees_exactly(second):
    net = t4(second)
    values = net.evaluate(T4_VALUES)
    point = {s: sp.Matrix(T4_VALUES[s.name]) for s in [net.X0, net.Y, *net.parameters]}
    ours = [sb.evaluate_exact(g, point) for g in sb.gradient(net.loss, net.parameters)]
    assert ours == [values["gradient"][p] for p in net.parameters]
    assert sb.evaluate_exact(net.loss, point) == values["J"]


@pytest.mark.parametrize("bias", ["matrix", "vector"])
def test_M_is_block_diagonal_and_L_tilde_lower_bidiagonal(bias):
    net = sb.mlp([2, 3, 3, 2], batch=4, activations=["tanh", "sigmoid", "identity"], bias=bias)
    N = net.N
    assert net.M.shape == (N, 2 * N) and net.L_tilde.shape == (N, N)
    for i in range(N):
        for j in range(2 * N):
            assert (net.M[i, j] != 0) == (j in (2 * i, 2 * i + 1))
        for j in range(N):
            assert (net.L_tilde[i, j] != 0) == (j == i - 1)
    previous = [net.X0] + net.X[:-1]
    for i in range(N):
        H = sb.Hadamard(net.Delta[i])
        assert net.M[i, 2 * i] == sb.Compose(H, sb.RightMultiply(previous[i]))
        bias_entry = sb.Compose(H, sb.RightMultiply(sp.OneMatrix(1, 4))) if bias == "vector" else H
        assert net.M[i, 2 * i + 1] == bias_entry
        if i:
            assert net.L_tilde[i, i - 1] == sb.Compose(H, sb.LeftMultiply(net.W[i]))
    assert net.g == [sp.ZeroMatrix(3, 4), sp.ZeroMatrix(3, 4), net.X[-1] - net.Y]
    assert net.I_minus_L_tilde_T[0, 1] == -sb.Compose(sb.LeftMultiply(net.W[1].T),
                                                      sb.Hadamard(net.Delta[1]))


def test_back_substitution_gives_the_paper_recursion():
    net = sb.mlp([2, 3, 3, 2], batch=4)
    solution = net.solve()
    Lam = [sp.MatrixSymbol(f"Lambda{i}", *X.shape) for i, X in enumerate(net.X, start=1)]
    assert solution.Lambda == [
        (Lam[2], net.X[2] - net.Y),
        (Lam[1], net.W[2].T * sp.HadamardProduct(net.Delta[2], Lam[2])),
        (Lam[0], net.W[1].T * sp.HadamardProduct(net.Delta[1], Lam[1]))]
    for i in range(net.N):
        assert solution.gradient[net.W[i]] == sp.HadamardProduct(net.Delta[i], Lam[i]) * \
            ([net.X0] + net.X)[i].T
        assert solution.gradient[net.B[i]] == sp.HadamardProduct(net.Delta[i], Lam[i])
    assert solution.substitution.edges_touched == net.N - 1


NETWORKS = [
    ([3, 2], ["sigmoid"], "vector"),
    ([2, 3, 2], ["tanh", "identity"], "matrix"),
    ([3, 2, 2, 3], ["softplus", "sin", "tanh"], "vector"),
    ([2, 3, 2, 3, 2], ["tanh", "square", "sigmoid", "identity"], "matrix"),
    ([3, 2, 3, 2, 3, 2], ["tanh", "sigmoid", "sin", "softplus", "identity"], "vector"),
    ([2, 2, 2, 2, 2, 2], [sp.tanh, sb.sigmoid, lambda z: z ** 3 / 3, "exp", sp.Lambda(
        sp.Symbol("u"), sp.log(1 + sp.Symbol("u") ** 2))], "matrix"),
]


@pytest.mark.parametrize("sizes, activations, bias", NETWORKS,
                         ids=[f"depth{len(n[0]) - 1}-{n[2]}" for n in NETWORKS])
def test_equation_one_matches_differences_and_the_expression_gradient(sizes, activations, bias):
    net = sb.mlp(sizes, batch=3, activations=activations, bias=bias)
    ours = net.gradient()
    report = sb.check_gradient(net.loss, net.parameters, ours, seed=len(sizes))
    assert report.passed, str(report)
    expression = sb.gradient(net.loss, net.parameters)
    values = report.values
    for a, b in zip(ours, expression, strict=True):
        assert np.allclose(sb.evaluate(a, values), sb.evaluate(b, values), rtol=1e-10, atol=1e-12)
    for parameter, g in zip(net.parameters, ours, strict=True):
        assert g.shape == parameter.shape


def test_vector_bias_gradient_sums_the_columns():
    net = sb.mlp([2, 2], batch=3, activations=["identity"], bias="vector")
    (W, b) = net.parameters
    assert net.solve().gradient[b] == sp.HadamardProduct(net.Delta[0], sp.MatrixSymbol(
        "Lambda1", 2, 3)) * sp.OneMatrix(3, 1)


@pytest.mark.parametrize("make, message", [
    (lambda: sb.mlp([3], batch=2), "at least two"),
    (lambda: sb.mlp([3, 0], batch=2), "positive integers"),
    (lambda: sb.mlp([3, 2], batch=0), "batch"),
    (lambda: sb.mlp([3, 2], batch=2, bias="row"), "bias"),
    (lambda: sb.mlp([3, 2, 2], batch=2, activations=["tanh"]), "2 activations"),
    (lambda: sb.mlp([3, 2], batch=2, activations=["swish"]), "unknown activation 'swish'"),
    (lambda: sb.mlp([3, 2], batch=2, activations=[3]), "must be a name"),
    (lambda: sb.mlp([3, 2], batch=2, activations=[lambda z: sp.Symbol("q") * z]), "z alone"),
    (lambda: t4("identity").evaluate({"X0": [[1, 2], [0, 1]]}), "no value for"),
    (lambda: t4("identity").evaluate({**T4_VALUES, "W1": [[1, 2]]}), "W1 is 2 × 2"),
    (lambda: t4("identity").evaluate({**T4_VALUES, "Q": [[1]]}), "not an input"),
    (lambda: t4("identity").evaluate({**T4_VALUES, "W2": [["__import__('os')", 1]]}), "not str"),
])
def test_bad_arguments(make, message):
    with pytest.raises(InputError, match=message):
        make()
