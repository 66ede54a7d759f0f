"""Gradient programs of matrix expressions: named matrix adjoints, equal to the closed form,
compiled to NumPy and checked against central differences."""

import numpy as np
import pytest
import sympy as sp
from matrix_catalogue import IDENTITIES

import symbackslash as sb
from symbackslash.numeric.codegen import MatrixNumPyPrinter
from symbackslash.printing.adjoints import AdjointSymbol, MatrixAdjoint

IDS = [name for name, *_ in IDENTITIES]


def point(f, wrt, seed=0) -> dict:
    values = sb.random_values(f, seed=seed)
    for v in wrt:
        values.setdefault(v, sb.random_values(v, seed=seed)[v])
    return values


def compiled_gradient(program, values: dict) -> list:
    args = list(program.inputs)
    return program.lambdify(args)(*[values[a] for a in args])


def assert_matches_differences(f, wrt, results, values, rtol=1e-6):
    for variable, result in zip(wrt, results, strict=True):
        fd = sb.finite_differences(f, variable, values)
        error = np.max(np.abs(np.asarray(result, dtype=float) - fd))
        assert error <= rtol * max(1.0, np.max(np.abs(fd))), (variable, error)


@pytest.mark.parametrize("name, f, wrt, expected", IDENTITIES, ids=IDS)
def test_catalogue_program_equals_closed_form_and_differences(name, f, wrt, expected):
    program = sb.gradient(f, wrt, form="program")
    assert program.closed_form() == sb.gradient(f, wrt)
    values = point(f, wrt)
    assert_matches_differences(f, wrt, compiled_gradient(program, values), values)


def test_each_adjoint_is_a_named_variable_of_its_nodes_shape():
    A, X = sp.MatrixSymbol("A", 3, 2), sp.MatrixSymbol("X", 2, 3)
    program = sb.gradient(sp.log(sp.Trace(A * X)) * sp.Trace(X * A), [X], form="program")
    for name, _ in program.adjoint:
        node = next(v for v in program.graph if str(v) == name.node_name)
        if isinstance(node, sp.MatrixSymbol):
            assert isinstance(name, MatrixAdjoint) and name.shape == node.shape
        else:
            assert isinstance(name, AdjointSymbol)
    assert program.outputs[0].shape == X.shape


@pytest.mark.parametrize("depth, bias, last", [(1, "matrix", "identity"), (2, "vector", "sigmoid"),
                                               (3, "matrix", "tanh")])
def test_mlp_program_equals_closed_form_and_differences(depth, bias, last):
    net = sb.mlp([2] + [3] * depth, batch=2, activations=["tanh"] * (depth - 1) + [last],
                 bias=bias)
    program = sb.gradient(net.loss, net.parameters, form="program")
    assert program.closed_form() == sb.gradient(net.loss, net.parameters)
    values = point(net.loss, net.parameters, seed=depth)
    assert_matches_differences(net.loss, net.parameters, compiled_gradient(program, values),
                               values)
    assert program.ratio <= 4


def test_paper_t4_gradient_from_the_compiled_program():
    net = sb.mlp([2, 2, 1], batch=2, activations=["square", "identity"])
    values = {net.X0: [[1, 2], [0, 1]], net.Y: [[1, 2]], net.W[0]: [[1, -1], [2, 0]],
              net.B[0]: [[0, 1], [1, 0]], net.W[1]: [[1, 1]], net.B[1]: [[0, -1]]}
    got = compiled_gradient(sb.gradient(net.loss, net.parameters, form="program"),
                            {k: np.array(v, dtype=float) for k, v in values.items()})
    expected = [[[154, 68], [326, 136]], [[18, 68], [54, 136]], [[77, 353]], [[9, 17]]]
    for g, e in zip(got, expected, strict=True):
        assert np.array_equal(g, np.array(e, dtype=float))


def test_numpy_printer_covers_the_matrix_heads():
    X = sp.MatrixSymbol("X", 2, 2)
    z = sp.Dummy("z")
    f = sp.lambdify([X], [sp.Determinant(X), sp.HadamardPower(X, 3), sp.Trace(X),
                          X.applyfunc(sp.Lambda(z, sp.Integer(2)))], printer=MatrixNumPyPrinter)
    value = np.array([[1.0, 2.0], [3.0, 4.0]])
    det, cube, trace, twos = f(value)
    assert np.isclose(det, -2.0) and np.array_equal(cube, value**3) and trace == 5.0
    assert np.array_equal(twos, np.full((2, 2), 2.0))


def test_compiled_code_never_holds_user_names():
    evil = sp.MatrixSymbol("__import__('os').system('touch /tmp/sb_canary')", 2, 2)
    program = sb.gradient(sp.Trace(evil.T * evil), [evil], form="program")
    (gradient,) = program.lambdify([evil])(np.eye(2))
    assert np.array_equal(gradient, 2 * np.eye(2))


def test_program_prints_in_the_derivations_notation():
    X, W = sp.MatrixSymbol("X", 3, 2), sp.MatrixSymbol("W", 2, 3)
    program = sb.gradient(sp.Trace((W * X).applyfunc(sp.tanh)), [W], form="program")
    printed = str(program)
    assert "V1_bar = (z -> 1 - tanh(z)**2).(V1) .* V2_bar" in printed.splitlines()
    assert "Lambda(" not in printed and "HadamardProduct(" not in printed
    assert printed.splitlines()[-1] == "return (W_bar)"


def test_relu_network_program_matches_differences_checked_or_not():
    net = sb.mlp([2, 3, 1], batch=4, activations=["relu", "identity"])
    program = sb.gradient(net.loss, net.parameters, form="program")
    values = sb.random_values(net.loss, seed=5)
    args = [net.X0, net.Y, *net.parameters]
    for check in (False, True):
        ours = program.lambdify(args, check=check)(*[values[a] for a in args])
        for p, g in zip(net.parameters, ours, strict=True):
            fd = sb.finite_differences(net.loss, p, values)
            assert np.allclose(g, fd, rtol=1e-6, atol=1e-8), (check, p)


def test_matrix_arguments_are_checked_for_shape_and_lists_converted():
    X, A = sp.MatrixSymbol("X", 2, 3), sp.MatrixSymbol("A", 3, 2)
    program = sb.gradient(sp.Trace(A * X), [X], form="program")
    f = program.lambdify([A, X])
    a = [[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]
    (g,) = f(a, np.zeros((2, 3)))
    assert np.array_equal(g, np.asarray(a).T)
    with pytest.raises(sb.InputError, match="X is 2 × 3; the value given has shape \\(3, 3\\)"):
        f(a, np.zeros((3, 3)))
    with pytest.raises(sb.InputError, match="not a matrix of numbers"):
        f([["a", 1.0]] * 3, np.zeros((2, 3)))


def test_matrix_programs_refuse_duplicate_args_and_module_lists():
    X = sp.MatrixSymbol("X", 2, 2)
    program = sb.gradient(sp.Trace(X * X), [X], form="program")
    with pytest.raises(sb.InputError, match="more than once"):
        program.lambdify([X, "X"])
    with pytest.raises(sb.InputError, match="compiles to 'numpy' or 'jax'"):
        program.lambdify([X], modules=["numpy"])


def test_kinks_inside_elementwise_functions_are_not_outputs():
    X, W = sp.MatrixSymbol("X", 2, 3), sp.MatrixSymbol("W", 2, 2)
    z = sp.Dummy("z")
    relu = sp.Lambda(z, sp.Max(0, z))
    J = sp.Trace((W * X).applyfunc(relu).T * (W * X).applyfunc(relu))
    program = sb.gradient(J, [W], form="program")
    values = {X: np.arange(6.0).reshape(2, 3) - 2.5, W: np.array([[1.0, -0.5], [0.3, 2.0]])}
    (g,) = program.lambdify([X, W])(values[X], values[W])
    assert np.allclose(g, sb.finite_differences(J, W, values), rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("h", [sp.Abs, sb.relu, sp.tanh], ids=["abs", "relu", "tanh"])
def test_elementwise_derivatives_follow_the_scalar_rules(h):
    X, W = sp.MatrixSymbol("X", 2, 3), sp.MatrixSymbol("W", 2, 2)
    J = sp.Trace((W * X).applyfunc(h) * X.T)
    (closed,) = sb.gradient(J, [W])
    assert not closed.has(sp.re, sp.im, sp.Derivative)      # real entries: Abs' = sign
    values = {X: np.arange(6.0).reshape(2, 3) - 2.5, W: np.array([[1.0, -0.5], [0.3, 2.0]])}
    (g,) = sb.gradient(J, [W], form="program").lambdify([X, W])(values[X], values[W])
    assert np.allclose(g, sb.finite_differences(J, W, values), rtol=1e-6, atol=1e-8)
    assert np.allclose(sb.evaluate(closed, values), g, rtol=1e-12)
