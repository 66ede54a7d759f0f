"""Matrix expressions → operator DAGs: node keys and attributes, sharing, transposes, 1×1
results, the triangular system with operator entries, path sums, and clear errors."""

import networkx as nx
import pytest
import sympy as sp
from sympy.utilities.exceptions import SymPyDeprecationWarning

import symbackslash as sb
from symbackslash import DifferentiationError, GraphError, InputError
from symbackslash.graph.matrix import has_matrices

X0, W1, B1 = sp.MatrixSymbol("X0", 3, 5), sp.MatrixSymbol("W1", 4, 3), sp.MatrixSymbol("B1", 4, 5)
W2, B2, Y = sp.MatrixSymbol("W2", 2, 4), sp.MatrixSymbol("B2", 2, 5), sp.MatrixSymbol("Y", 2, 5)
A, X = sp.MatrixSymbol("A", 3, 3), sp.MatrixSymbol("X", 3, 3)
x = sp.MatrixSymbol("x", 3, 1)


def mlp_loss():
    X1 = (W1 * X0 + B1).applyfunc(sp.tanh)
    E = W2 * X1 + B2 - Y
    return sp.Trace(E.T * E) / 2


def V(k, rows, cols):
    return sp.MatrixSymbol(f"V{k}", rows, cols)


def test_issue_mlp_graph_nodes_and_weights():
    G = sb.build_graph(mlp_loss())
    order = sb.node_order(G)
    assert order[:6] == [B1, B2, W1, W2, X0, Y]
    assert G.graph["inputs"] == order[:6] and G.graph["outputs"] == [sp.Symbol("f")]
    kinds = [G.nodes[v]["kind"] for v in order]
    assert kinds == ["input"] * 6 + ["intermediate"] * 8 + ["output"]
    matrices = [v for v in order[6:] if isinstance(v, sp.MatrixSymbol)]
    assert [(v.name, v.shape) for v in matrices] == [
        ("V1", (4, 5)), ("V2", (4, 5)), ("V3", (4, 5)), ("V4", (2, 5)), ("V5", (2, 5)),
        ("V6", (5, 2)), ("V7", (5, 5))]
    assert G.nodes[V(6, 5, 2)]["expr"] == V(5, 2, 5).T        # Eᵀ shares E's node
    assert G.nodes[V(7, 5, 5)]["expr"] == V(6, 5, 2) * V(5, 2, 5)
    assert G.edges[W1, V(1, 4, 5)]["weight"] == sb.RightMultiply(X0)
    assert G.edges[X0, V(1, 4, 5)]["weight"] == sb.LeftMultiply(W1)
    assert G.edges[Y, V(5, 2, 5)]["weight"] == -sb.IdentityOperator()
    assert G.edges[V(5, 2, 5), V(6, 5, 2)]["weight"] == sb.TransposeOperator()
    assert G.edges[V(7, 5, 5), sp.Symbol("v1")]["weight"] == sb.TraceFunctional(sp.Identity(5))
    assert G.edges[sp.Symbol("v1"), sp.Symbol("f")]["weight"] == sp.Rational(1, 2)
    tanh_weight = G.edges[V(2, 4, 5), V(3, 4, 5)]["weight"]
    assert isinstance(tanh_weight, sb.Hadamard)
    assert nx.is_directed_acyclic_graph(G)


def test_triangular_system_with_operator_entries():
    S = sb.triangular_system(sb.build_graph(sp.log(sp.Determinant(A * X))))
    assert S.nodes == (A, X, V(1, 3, 3), sp.Symbol("v1"), sp.Symbol("f"))
    assert S.L[2, 0] == sb.RightMultiply(X) and S.L[2, 1] == sb.LeftMultiply(A)
    assert S.I_minus_L_T[0, 2] == -sb.RightMultiply(X.T)       # pattern transposed, adjoints
    assert S.I_minus_L_T[2, 3] == -sb.ScalarEmbedding(
        sp.Determinant(V(1, 3, 3)) * V(1, 3, 3).T.I)
    assert all(S.L[i, j] == 0 for i in range(S.n) for j in range(S.n) if j >= i)
    assert S.M.shape == (3, 2) and S.L_tilde.shape == (3, 3)
    assert S.I_minus_L[3, 3] == 1 and S.I_minus_L[2, 2] == sb.IdentityOperator()


def test_path_sums_compose_operators():
    G = sb.build_graph(sp.Trace(A * X.T * A))
    total = sb.path_sum(G, X, sp.Symbol("f"))
    assert sb.representer(total) == sb.gradient(sp.Trace(A * X.T * A), [X])[0]
    assert sb.nilpotency_index(G) == 4


def test_one_by_one_results_are_scalars():
    G = sb.build_graph(x.T * A * x)
    f = sp.Symbol("f")
    assert G.nodes[f]["expr"] == sp.Trace(V(2, 1, 1))
    G = sb.build_graph(sp.exp(x.T * A * x))
    assert G.nodes[sp.Symbol("f")]["expr"] == sp.exp(sp.Symbol("v1"))
    assert G.nodes[sp.Symbol("v1")]["expr"] == sp.Trace(V(2, 1, 1))


def test_shared_subexpressions_and_element_wise_functions():
    t = sp.Symbol("t")
    twice = sp.Trace(X.applyfunc(sp.tanh)) * sp.Trace(A * X.applyfunc(lambda u: sp.tanh(u)))
    G = sb.build_graph(twice)
    assert sum(1 for v in G if G.nodes[v]["expr"] is not None
               and isinstance(G.nodes[v]["expr"], type(X.applyfunc(sp.tanh)))) == 1
    identity = sb.build_graph(sp.Trace(A * X.applyfunc(sp.Lambda(t, t))))
    assert len(identity) == 4                                # A, X, A*X, f: no node for id.(X)
    assert sb.gradient(sp.Trace(A * X.applyfunc(sp.Lambda(t, t))), [X]) == [A.T]


def test_scalar_inputs_and_parameters_inside_functions():
    s = sp.Symbol("s")
    f = sp.Trace(A * X.applyfunc(lambda u: sp.exp(s * u))) + s ** 2 * sp.Trace(X)
    G = sb.build_graph(f)
    assert G.graph["inputs"] == [A, X, s]
    assert sb.check_gradient(f, [X, s, A]).passed


def test_matrix_entries():
    f = A[0, 1] ** 2 + sp.sin(A[2, 2]) * x[1, 0]
    grad_A, grad_x = sb.gradient(f, [A, x])
    assert grad_A == sp.Matrix([[0, 2 * A[0, 1], 0], [0, 0, 0],
                                [0, 0, sp.cos(A[2, 2]) * x[1, 0]]])
    assert sb.check_gradient(f, [A, x]).passed


def test_has_matrices():
    assert has_matrices(sp.Trace(A)) and not has_matrices(sp.Symbol("q") + 1)


@pytest.mark.parametrize("f, error, message", [
    (A * X, InputError, "3 × 3 matrix; a gradient needs a scalar"),
    (sp.exp(A), InputError, "stands where a scalar is expected"),
    (sp.Trace(X[0:2, 0:2]), InputError, "MatrixSlice .* is not supported"),
    (sp.Trace(sp.KroneckerProduct(A, X)), InputError, "KroneckerProduct"),
    (sp.Trace(sp.MatPow(X, sp.Symbol("p"))), DifferentiationError, "constant integer"),
])
def test_unsupported_expressions_raise_clear_errors(f, error, message):
    with pytest.raises(error, match=message):
        sb.gradient(f, [X] if f.has(X) else [A])


def test_bad_arguments():
    with pytest.raises(InputError, match="statements"):
        sb.build_graph(sp.Trace(A * X), nodes="statements")
    with pytest.raises(InputError, match="2 × 2 but the expression's X is 3 × 3"):
        sb.gradient(sp.Trace(A * X), [sp.MatrixSymbol("X", 2, 2)])
    with pytest.raises(InputError, match="a matrix and a scalar share the name"):
        sb.gradient(sp.Trace(A * X), [sp.Symbol("X")])


def test_shapes_sympy_did_not_check():
    R = sp.MatrixSymbol("R", 3, 2)
    with pytest.warns(SymPyDeprecationWarning):
        bad = sp.MatAdd(A, R, check=False)
    with pytest.raises(GraphError, match="do not fit"):
        sb.build_graph(sp.Trace(bad))
