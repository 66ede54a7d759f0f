"""Gradient programs compiled to JAX: the same numbers as NumPy and as JAX's own reverse
mode, for scalar programs and for matrix programs (the paper's MLP)."""

import numpy as np
import pytest
import sympy as sp

import symbackslash as sb
from symbackslash.examples import FAMILIES

# JAX is imported when these tests run, not when they are collected: its threads would
# otherwise be alive when other tests fork (the benchmark runs sympy.diff in a child).
jax = jnp = None


@pytest.fixture(autouse=True, scope="module")
def jax_x64():
    """JAX in double precision for these tests, as it was before afterwards."""
    global jax, jnp
    import jax as jax_module
    import jax.numpy as jnp_module
    jax, jnp = jax_module, jnp_module
    previous = jax.config.jax_enable_x64
    jax.config.update("jax_enable_x64", True)
    yield
    jax.config.update("jax_enable_x64", previous)


@pytest.mark.parametrize("family", ["sin-chain", "trigonometric", "tanh network", "Chebyshev"])
def test_scalar_programs_agree_with_numpy_on_arrays(family):
    ex = FAMILIES[family](4)
    variables = list(ex.wrt)
    program = sb.gradient_program(ex.program, variables)
    rng = np.random.default_rng(1)
    args = [rng.uniform(*ex.domain, size=7) for _ in variables]
    ours = program.lambdify(variables, modules="jax")(*map(jnp.asarray, args))
    numpy = program.lambdify(variables, modules="numpy")(*args)
    assert all(isinstance(g, jax.Array) for g in ours)
    assert np.allclose(np.asarray(ours), np.asarray(numpy), rtol=1e-12, atol=1e-14)


def test_scalar_program_agrees_with_jax_grad():
    x, y = sp.symbols("x y")
    program = sb.gradient_program("a = x*y\nb = sin(a)\nf = a + b*exp(y)", [x, y])
    ours = program.lambdify([x, y], modules="jax")(0.5, 2.0)
    theirs = jax.grad(lambda x, y: x*y + jnp.sin(x*y)*jnp.exp(y), argnums=(0, 1))(0.5, 2.0)
    assert np.allclose(ours, theirs, rtol=1e-13)


def test_matrix_mlp_program_agrees_with_jax_grad():
    net = sb.mlp([3, 4, 2], batch=5, activations=["tanh", "sigmoid"])
    program = sb.gradient(net.loss, net.parameters, form="program")
    values = sb.random_values(net.loss, seed=2)
    args = [net.X0, net.Y, *net.parameters]
    ours = program.lambdify(args, modules="jax")(*[jnp.asarray(values[a]) for a in args])

    def loss(W1, B1, W2, B2):
        X1 = jnp.tanh(W1 @ values[net.X0] + B1)
        E = jax.nn.sigmoid(W2 @ X1 + B2) - values[net.Y]
        return jnp.trace(E.T @ E) / 2

    theirs = jax.grad(loss, argnums=(0, 1, 2, 3))(*[jnp.asarray(values[p])
                                                   for p in net.parameters])
    for g, t in zip(ours, theirs, strict=True):
        assert np.allclose(np.asarray(g), np.asarray(t), rtol=1e-10, atol=1e-12)


def test_traces_determinants_and_elementwise_powers_compile_to_jax():
    X, W = sp.MatrixSymbol("X", 3, 5), sp.MatrixSymbol("W", 4, 3)
    H = (W * X).applyfunc(sp.tanh)
    J = sp.Trace(H.T * H) + sp.log(sp.Determinant(W.T * W)) + sp.Trace(sp.HadamardPower(W, 3).T * W)
    program = sb.gradient(J, [W], form="program")
    rng = np.random.default_rng(0)
    x, w = rng.normal(size=(3, 5)), rng.normal(size=(4, 3))
    (ours,) = program.lambdify([X, W], modules="jax")(jnp.asarray(x), jnp.asarray(w))

    def loss(w):
        h = jnp.tanh(w @ x)
        return jnp.trace(h.T @ h) + jnp.log(jnp.linalg.det(w.T @ w)) + jnp.sum(w**4)

    assert np.allclose(np.asarray(ours), np.asarray(jax.grad(loss)(jnp.asarray(w))),
                       rtol=1e-10, atol=1e-12)


def test_matrix_programs_refuse_modules_without_arrays():
    X = sp.MatrixSymbol("X", 2, 2)
    program = sb.gradient(sp.Trace(X * X), [X], form="program")
    with pytest.raises(sb.InputError, match="compiles to 'numpy' or 'jax', not 'math'"):
        program.lambdify([X], modules="math")



def relu_network():
    net = sb.mlp([2, 3, 1], batch=4, activations=["relu", "identity"])
    program = sb.gradient(net.loss, net.parameters, form="program")
    values = sb.random_values(net.loss, seed=5)
    args = [net.X0, net.Y, *net.parameters]
    return net, program, values, args


def test_relu_network_compiles_checked_and_jitted():
    net, program, values, args = relu_network()
    numpy = program.lambdify(args)(*[values[a] for a in args])
    checked = program.lambdify(args, modules="jax")
    arrays = [jnp.asarray(values[a]) for a in args]
    for ours in (checked(*arrays), jax.jit(checked)(*arrays)):
        for g, n in zip(ours, numpy, strict=True):
            assert np.allclose(np.asarray(g), n, rtol=1e-12, atol=1e-14)
