"""A catalogue of operators for the adjoint and vec tests: (name, operator, domain shape).

Every kind of operator appears at least once (test_operators.py fails when a new kind is
added without an entry here). Their matrices are symbols; the tests give them random
integer values.
"""

import sympy as sp

import symbackslash as sb

A = sp.MatrixSymbol("A", 2, 3)
B = sp.MatrixSymbol("B", 3, 4)
C = sp.MatrixSymbol("C", 4, 2)
S = sp.MatrixSymbol("S", 3, 3)
M = sp.MatrixSymbol("M", 3, 4)
G = sp.MatrixSymbol("G", 3, 4)
s = sp.Symbol("s")
# placeholders of LinearMaps
V, W, P = sp.MatrixSymbol("V", 3, 3), sp.MatrixSymbol("W", 3, 3), sp.MatrixSymbol("P", 2, 4)

L, R, H, T = sb.LeftMultiply, sb.RightMultiply, sb.Hadamard, sb.TransposeOperator

OPERATORS = [
    ("identity", sb.IdentityOperator(), (3, 4)),
    ("zero", sb.ZeroOperator((3, 4), (2, 5)), (3, 4)),
    ("left", L(A), (3, 4)),
    ("right", R(B), (2, 3)),
    ("hadamard", H(M), (3, 4)),
    ("hadamard_of_function", H(M.applyfunc(sp.tanh)), (3, 4)),
    ("kronecker", sb.Kronecker(C, A), (3, 2)),
    ("transpose", T(), (3, 4)),
    ("trace_functional", sb.TraceFunctional(G), (3, 4)),
    ("transpose_dot_of_product", sb.transpose_dot(A.T * A), (3, 3)),
    ("embedding", sb.ScalarEmbedding(G), ()),
    ("scaled", 3 * L(A), (3, 4)),
    ("scaled_symbolic", s * R(B), (2, 3)),
    ("negated", -H(M), (3, 4)),
    ("sum", L(S) + R(S.T), (3, 3)),
    ("sum_of_kinds", H(S) - 2 * T() + sb.IdentityOperator(), (3, 3)),
    ("composition", sb.Compose(L(A), R(B.T * B), H(M)), (3, 4)),
    ("inverse_weight", -sb.Compose(L(sp.Inverse(S)), R(sp.Inverse(S))), (3, 3)),
    ("transpose_chain", sb.Compose(R(A.T * A), T(), L(B)), (4, 2)),
    ("functional_after_chain", sb.Compose(sb.TraceFunctional(S), L(S), R(S)), (3, 3)),
    ("embedding_then_operator", sb.Compose(L(A), sb.ScalarEmbedding(G)), ()),
    ("rank_one", sb.Compose(sb.ScalarEmbedding(G), sb.TraceFunctional(A)), (2, 3)),
    ("sum_in_composition", sb.Compose(L(A), L(S) + H(S)), (3, 3)),
    ("linear_map", sb.LinearMap(V, S*V + V*S.T, W, S.T*W + W*S), (3, 3)),
    ("linear_map_rectangular", sb.LinearMap(G, s*A*G, P, s*A.T*P), (3, 4)),
    ("linear_map_to_scalar", sb.LinearMap(G, sp.Trace(M.T*G), s, s*M), (3, 4)),
]
