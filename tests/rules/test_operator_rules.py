"""The operator rule table: every rule against directional finite differences.

For a node expression V(U, …) and each operand U, the weight 𝒜 must satisfy
𝒜(dU) ≈ (V(U + h dU) − V(U − h dU)) / 2h for a random direction dU.
"""

import numpy as np
import pytest
import sympy as sp

import symbackslash as sb
from symbackslash import DifferentiationError
from symbackslash.rules.matrix import MATRIX_RULES, matrix_children, split_coefficient

U, V, W = (sp.MatrixSymbol(name, 3, 3) for name in "UVW")
P, Q = sp.MatrixSymbol("P", 2, 3), sp.MatrixSymbol("Q", 3, 2)
s, p = sp.symbols("s p")

NODES = [
    ("matadd", U + 2 * V - W),
    ("matmul", P * U * Q),
    ("matmul_repeated", U * V * U),
    ("matmul_scalars", 3 * s * P * U),
    ("transpose", U.T),
    ("inverse", sp.Inverse(U)),
    ("power", U ** 3),
    ("negative_power", U ** -2),
    ("hadamard", sp.HadamardProduct(U, V, U)),
    ("hadamard_power", sp.HadamardPower(U, 3)),
    ("hadamard_power_symbolic", sp.HadamardPower(U, p)),
    ("elementwise", U.applyfunc(sp.tanh)),
    ("elementwise_parameter", U.applyfunc(lambda t: sp.sin(s * t))),
    ("elementwise_linear", U.applyfunc(lambda t: 3 * t)),
    ("trace", sp.Trace(U)),
    ("determinant", sp.Determinant(U)),
]


def positive(values):
    """Entries of U made positive (for a symbolic Hadamard power)."""
    return {k: np.abs(v) + 0.5 if isinstance(k, sp.MatrixSymbol) else v for k, v in values.items()}


@pytest.mark.parametrize("name, node", NODES, ids=[n for n, _ in NODES])
def test_rule_matches_directional_differences(name, node):
    weights = sb.matrix_partials(node)
    assert set(weights) <= set(node.free_symbols)
    assert type(node) in MATRIX_RULES
    values = positive(sb.random_values(node, seed=2))
    rng = np.random.default_rng(3)
    for operand, weight in weights.items():
        shape = tuple(operand.shape) if isinstance(operand, sp.MatrixSymbol) else ()
        direction = rng.uniform(-1, 1, size=shape) if shape else float(rng.uniform(-1, 1))
        h = 1e-6
        plus = sb.evaluate(node, {**values, operand: values[operand] + h * direction})
        minus = sb.evaluate(node, {**values, operand: values[operand] - h * direction})
        expected = (np.asarray(plus) - np.asarray(minus)) / (2 * h)
        dU = sp.MatrixSymbol("dU", *shape) if shape else sp.Symbol("dU")
        got = sb.evaluate(weight(dU), {**values, dU: direction})
        assert np.allclose(got, expected, rtol=1e-6, atol=1e-6), (name, operand, weight)


def test_children_keep_numeric_coefficients_in_the_node():
    assert set(matrix_children(U + 2 * V - W)) == {U, V, W}
    assert matrix_children(3 * s * sp.Trace(U) * P * U) == [s, sp.Trace(U), P, U]
    assert matrix_children(sp.HadamardPower(U, p)) == [U, p]
    assert split_coefficient(-3 * P * U) == (-3, P * U)


def test_weights_are_operators_of_the_right_kind():
    w = sb.matrix_partials(P * U * Q)
    assert w[U] == sb.Compose(sb.LeftMultiply(P), sb.RightMultiply(Q))
    assert sb.matrix_partials(sp.Trace(U))[U] == sb.TraceFunctional(sp.Identity(3))
    assert sb.matrix_partials(3 * s * P * U)[s] == sb.ScalarEmbedding(3 * P * U)
    assert sb.matrix_partials(U.T)[U] == sb.TransposeOperator()


def test_unsupported_operations():
    with pytest.raises(DifferentiationError, match="constant integer exponent"):
        sb.matrix_partials(sp.MatPow(U, s))
    with pytest.raises(DifferentiationError, match="no operator rule for KroneckerProduct"):
        sb.matrix_partials(sp.KroneckerProduct(U, V))


def test_element_wise_nodes_follow_a_rule_registered_later():
    """The derivative of an element-wise function is remembered per function, and per rule:
    a rule registered (or removed) after a first gradient counts for matrices as it does for
    scalars."""
    from sympy.matrices.expressions.applyfunc import ElementwiseApplyFunction

    from symbackslash.rules.scalar import RULES

    class cube(sp.Function):
        nargs = 1

        def fdiff(self, argindex=1):
            return 3 * self.args[0]**2

    z = sp.Symbol("z")
    f = sp.Trace(U.applyfunc(sp.Lambda(z, cube(z))))

    def entry_derivative():  # h' in the gradient (z -> h'(z)).(U) ⊙ I
        (h,) = sb.gradient(f, [U])[0].atoms(ElementwiseApplyFunction)
        (variable,) = h.function.variables
        return h.function.expr.xreplace({variable: z})

    assert entry_derivative() == 3 * z**2
    try:
        sb.register_rule(cube, lambda e: {e.args[0]: 99 * e.args[0]**2})
        assert entry_derivative() == 99 * z**2
    finally:
        RULES.pop(cube)
    assert entry_derivative() == 3 * z**2
