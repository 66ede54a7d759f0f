"""Operators: adjoints (dot tests), vec matrices, simplifications, printing, the element
protocol, the operator example and the operator-valued system of docs/mathematics.md,
and the one generic solver running on operator entries."""

import importlib

import numpy as np
import pytest
import sympy as sp
from operator_catalogue import OPERATORS

import symbackslash as sb
from symbackslash import InputError
from symbackslash.core.elements import act, adjoint, divide, is_zero, one, subtract, zero
from symbackslash.operators.algebra import Operator
from symbackslash.solve import substitution as solve

IDS = [name for name, _, _ in OPERATORS]
A, B, C, S, M, G = (sp.MatrixSymbol(n, *shape) for n, shape in
                    [("A", (2, 3)), ("B", (3, 4)), ("C", (4, 2)), ("S", (3, 3)), ("M", (3, 4)),
                     ("G", (3, 4))])
L, R, H, T = sb.LeftMultiply, sb.RightMultiply, sb.Hadamard, sb.TransposeOperator


def explicit(value):
    """An applied operator's result as an explicit SymPy matrix (or scalar)."""
    value = value.doit() if isinstance(value, sp.Basic) else value
    if isinstance(value, sp.MatrixExpr) and not isinstance(value, sp.MatrixBase):
        value = value.as_explicit()
    return sp.Matrix(value) if isinstance(value, sp.MatrixBase) else value


def with_values(op, seed):
    values = sb.random_values(op, seed=seed, integers=True)
    return op.xreplace({k: sp.ImmutableMatrix(v) if isinstance(k, sp.MatrixSymbol) else v
                        for k, v in values.items()})


def random_point(shape, seed):
    rng = np.random.default_rng(seed)
    if shape == ():
        return sp.Integer(int(rng.integers(-5, 6)))
    return sp.Matrix(rng.integers(-5, 6, size=shape))


def vec_of(value):
    return sb.vec(value) if isinstance(value, sp.MatrixBase) else sp.Matrix([value])


def same(a, b):
    return (sp.Matrix(a) - sp.Matrix(b)).applyfunc(sp.expand) == sp.zeros(*sp.Matrix(a).shape)


@pytest.mark.parametrize("seed", [0, 1])
@pytest.mark.parametrize("name, op, shape", OPERATORS, ids=IDS)
def test_dot_test(name, op, shape, seed):
    result = sb.dot_test(op, shape, seed=seed)
    assert result.passed, (name, result.lhs, result.rhs)


@pytest.mark.parametrize("name, op, shape", OPERATORS, ids=IDS)
def test_vec_matrix_matches_action(name, op, shape):
    concrete = with_values(op, seed=3)
    X = random_point(shape, seed=4)
    image = explicit(concrete(X))
    assert same(vec_of(image), concrete.vec_matrix(shape) * vec_of(X)), name


@pytest.mark.parametrize("name, op, shape", OPERATORS, ids=IDS)
def test_adjoint_is_transpose_on_vec_and_an_involution(name, op, shape):
    concrete = with_values(op, seed=5)
    codomain = concrete.codomain(shape)
    assert same(concrete.T.vec_matrix(codomain), concrete.vec_matrix(shape).T), name
    assert op.T.T == op


def all_kinds(cls=Operator):
    """Every public operator class of the package (test doubles elsewhere are left out)."""
    for sub in cls.__subclasses__():
        if not sub.__name__.startswith("_") and sub.__module__.startswith("symbackslash."):
            yield sub
        yield from all_kinds(sub)


def test_every_operator_kind_is_in_the_catalogue():
    covered = {type(op) for _, op, _ in OPERATORS}
    assert set(all_kinds()) - covered == set()


def test_t5_operators_on_explicit_matrices():
    Bm = sp.Matrix([[1, 2], [3, 4]])
    Mm = sp.Matrix([[10, 1], [1, 10]])
    Cm = sp.Matrix([[2, 5], [4, 6]])
    assert L(Mm)(Bm) == sp.Matrix([[13, 24], [31, 42]])
    assert R(Mm)(Bm) == sp.Matrix([[12, 21], [34, 43]])
    assert H(Mm)(Bm) == sp.Matrix([[10, 2], [3, 40]])
    for op, value in [(L(Mm), 522), (R(Mm), 523), (H(Mm), 282)]:
        assert (Bm.T * op(Cm)).trace() == value
        assert (op.T(Bm).T * Cm).trace() == value


def operator_t6():
    Bm = sp.ImmutableMatrix([[1, 2], [3, 4]])
    I = sb.IdentityOperator()
    lower = {(0, 0): I, (1, 1): I, (2, 2): I, (1, 0): L(Bm), (2, 1): L(Bm)}
    return Bm, lower


def test_t6_forward_substitution_with_operator_entries():
    _, lower = operator_t6()
    x = sb.forward_substitute(lower, [sp.eye(2)] * 3)
    assert [sp.Matrix(v) for v in x] == [sp.eye(2), sp.Matrix([[0, -2], [-3, -3]]),
                                         sp.Matrix([[7, 8], [12, 19]])]


def test_t6_back_substitution_with_the_adjoint_transposed_matrix():
    _, lower = operator_t6()
    upper = {(j, i): adjoint(w) for (i, j), w in lower.items()}
    assert upper[(0, 1)] == L(sp.Matrix([[1, 3], [2, 4]]))
    x = sb.back_substitute(upper, [sp.eye(2)] * 3)
    assert [sp.Matrix(v) for v in x] == [sp.Matrix([[7, 12], [8, 19]]),
                                         sp.Matrix([[0, -3], [-2, -3]]), sp.eye(2)]
    dense = sp.Matrix(3, 3, lambda i, j: upper.get((int(i), int(j)), 0))  # a SymPy matrix
    assert [sp.Matrix(v) for v in sb.back_substitute(dense, [sp.eye(2)] * 3)] == \
        [sp.Matrix(v) for v in x]


def test_the_solver_for_operators_is_the_one_for_scalars(monkeypatch):
    gradient_module = importlib.import_module("symbackslash.derivatives.gradient")
    mlp_module = importlib.import_module("symbackslash.derivatives.mlp")
    assert gradient_module.back_substitute is solve.back_substitute is sb.back_substitute
    assert mlp_module.back_substitute is solve.back_substitute
    calls = []
    loop = solve._substitute

    def spy(A, b, **options):
        calls.append(A.todok() if isinstance(A, sp.MatrixBase) else dict(A))
        return loop(A, b, **options)

    monkeypatch.setattr(solve, "_substitute", spy)
    x = sp.Symbol("x")
    X = sp.MatrixSymbol("X", 3, 3)
    assert sb.gradient(sp.sin(x) * x, [x]) == [x * sp.cos(x) + sp.sin(x)]
    assert sb.gradient(sp.Trace(S * X), [X]) == [S.T]
    mlp_module.mlp([2, 2, 1], batch=2).solve()
    scalar, matrix, layers = (list(entries.values()) for entries in calls)
    assert not any(isinstance(e, Operator) for e in scalar)
    assert any(isinstance(e, Operator) for e in matrix)
    assert any(isinstance(e, Operator) for e in layers)


def test_simplifications():
    Id = sb.IdentityOperator()
    assert L(A) * L(S) == L(A * S)
    assert R(C) * R(B) == R(B * C)
    assert H(M) * H(G) == H(sp.hadamard_product(M, G))
    assert T() * T() == Id and Id * L(A) == L(A) and L(A) * Id == L(A)
    assert R(B) * L(A) == sb.Compose(L(A), R(B))           # ℒ first: they commute
    assert L(S) + L(S.T) == L(S + S.T)
    assert 2 * sb.TraceFunctional(G) == sb.TraceFunctional(2 * G)
    negated = -L(A)
    assert -negated == L(A) and L(sp.Identity(3)) == Id and H(sp.OneMatrix(3, 4)) == Id
    assert (L(A) - L(A)).is_zero_operator
    assert L(A) * sb.ZeroOperator((3, 4), (3, 4)) == sb.ZeroOperator((3, 4), (2, 4))
    assert sb.TraceFunctional(G) * sb.ScalarEmbedding(G) == sp.Trace(G.T * G)
    assert L(A) * sb.ScalarEmbedding(M) == sb.ScalarEmbedding(A * M)
    # the reversal rule: G^{T•} ∘ 𝒜 = (𝒜ᵀG)^{T•}
    assert sb.TraceFunctional(G) * L(S) * R(B) == sb.TraceFunctional(S.T * G * B.T)
    assert sb.Compose(sb.TraceFunctional(S), H(S), T()) == sb.TraceFunctional(
        sp.HadamardPower(S.T, 2))


@pytest.mark.parametrize("factors, shape", [
    ((L(A), L(S)), (3, 2)), ((R(C), R(B)), (5, 3)), ((H(M), H(G)), (3, 4)),
    ((T(), T()), (2, 3)), ((R(B), L(S)), (3, 3)), ((sb.TraceFunctional(G), L(S), R(B)), (3, 3)),
    ((sb.Kronecker(C, A), sb.Kronecker(sp.Identity(2), S)), (3, 2)),
    ((L(A), sb.ScalarEmbedding(M)), ()),
])
def test_simplified_compositions_keep_their_meaning(factors, shape):
    concrete = [with_values(f, seed=7) for f in factors]
    unsimplified = sb.Compose(*concrete, evaluate=False)
    simplified = sb.Compose(*concrete)
    assert same(simplified.vec_matrix(shape), unsimplified.vec_matrix(shape))


def test_latex_uses_one_notation():
    cases = {
        L(A): r"\mathcal{L}_{A}", R(B): r"\mathcal{R}_{B}", H(M): r"\mathcal{H}_{M}",
        sb.Kronecker(C, A): r"\left(C \otimes A\right)", T(): r"\mathcal{T}",
        sb.TraceFunctional(G): r"G^{T\bullet}", sb.ScalarEmbedding(G): r"\mathcal{E}_{G}",
        sb.IdentityOperator(): r"\mathcal{I}", sb.ZeroOperator((3, 4), (2, 4)): r"\mathcal{O}",
        sb.TraceFunctional(A.T * A): r"\left(A^{T} A\right)^{T\bullet}",
        sb.Compose(L(A), R(B)): r"\mathcal{L}_{A} \circ \mathcal{R}_{B}",
        L(S) - 2 * R(S): r"\mathcal{L}_{S} - 2 \mathcal{R}_{S}",
        -sb.Compose(L(S), R(S)): r"-\mathcal{L}_{S} \circ \mathcal{R}_{S}",
        3 * (L(S) + T()): r"3 \left(\mathcal{L}_{S} + \mathcal{T}\right)",
    }
    for op, latex in cases.items():
        assert sp.latex(op) == latex


def test_str_and_pretty_forms():
    assert str(sb.Compose(L(A * S), R(B))) == "L_(A*S)*R_B"
    assert str(sb.TraceFunctional(G)) == "tdot(G)" and str(T()) == "T"
    assert str(L(S) - R(S)) == "L_S - R_S"
    assert sp.pretty(sb.Compose(L(A), H(S) + T())) == "ℒ_A ∘ (ℋ_S + 𝒯)"
    assert sp.pretty(sb.Compose(L(A), H(S) + T()), use_unicode=False) == "L_A*(H_S + T)"
    matrix = sp.Matrix([[sb.IdentityOperator(), 0], [-L(A), sb.TraceFunctional(G)]])
    assert sp.latex(matrix).count(r"\mathcal{") == 2 and r"G^{T\bullet}" in sp.latex(matrix)
    assert "tdot(G)" in sp.pretty(matrix, use_unicode=False)


def test_the_element_protocol():
    X = sp.MatrixSymbol("X", 3, 4)
    assert act(L(A), X) == A * X and act(L(A), L(S)) == L(A * S)
    assert adjoint(L(A)) == L(A.T) and adjoint(sb.TraceFunctional(G)) == sb.ScalarEmbedding(G)
    assert divide(sb.IdentityOperator(), X) is X
    assert subtract(L(S), [L(S)]).is_zero_operator
    assert is_zero(0 * L(A)) and not is_zero(L(A))
    assert one(X) == sb.IdentityOperator() and zero(X) == sp.ZeroMatrix(3, 4)
    with pytest.raises(InputError, match="never invert"):
        divide(2 * sb.IdentityOperator(), X)


def test_representer_reads_the_gradient_off_a_functional():
    assert sb.representer(sb.TraceFunctional(G)) == G
    assert sb.representer(sb.Compose(sb.TraceFunctional(S), L(A.T))) == A * S
    assert sb.representer(sp.Integer(3)) == 3


@pytest.mark.parametrize("make, message", [
    (lambda: L(A)(sp.MatrixSymbol("X", 4, 4)), "3 rows"),
    (lambda: R(B)(sp.MatrixSymbol("X", 2, 2)), "3 columns"),
    (lambda: H(M)(S), "shape 3 × 4"),
    (lambda: sb.ScalarEmbedding(G)(S), "acts on scalars"),
    (lambda: L(A)(sp.Integer(2)), "not on scalars"),
    (lambda: L("A"), "SymPy Matrix"),
    (lambda: "2" * L(A), "scalar multiple"),
    (lambda: L(A) * sp.Matrix([[1]]), "scalar multiple"),
    (lambda: sp.eye(2) * L(A), "apply an operator"),
    (lambda: L(A) + 1, "both sides must be operators"),
    (lambda: L(A) ** -1, "non-negative integer"),
    (lambda: 1 / L(A), "never inverted"),
    (lambda: L(sp.MatrixSymbol("P", sp.Symbol("n"), 2)).vec_matrix((2, 2)), "integer shapes"),
    (lambda: (L(S) + R(B)).codomain((3, 3)), "different shapes"),
])
def test_bad_uses_raise_our_errors(make, message):
    with pytest.raises(InputError, match=message):
        make()


def test_powers_and_zero_arithmetic():
    assert L(S) ** 2 == L(S * S) and L(S) ** 0 == sb.IdentityOperator()
    assert L(A) + 0 == L(A) and 0 + L(A) == L(A) and 0 - L(A) == -L(A)
    assert (L(S) / 2)(S) == S * S / 2
