"""Gradients of matrix expressions: the identity catalogue against central differences (both
modes), exact closed forms, sympy.diff on explicit small matrices, readability."""

import pytest
import sympy as sp
from matrix_catalogue import IDENTITIES
from sympy.matrices.expressions.applyfunc import ElementwiseApplyFunction

import symbackslash as sb
from symbackslash import InputError
from symbackslash.derivation.document import derivation

IDS = [name for name, *_ in IDENTITIES]


def test_catalogue_is_large_enough():
    assert len(IDENTITIES) >= 20


@pytest.mark.parametrize("mode", ["reverse", "forward"])
@pytest.mark.parametrize("name, f, wrt, expected", IDENTITIES, ids=IDS)
def test_catalogue_matches_finite_differences(name, f, wrt, expected, mode):
    grads = sb.gradient(f, wrt, mode=mode)
    for variable, g in zip(wrt, grads, strict=True):
        shape = tuple(variable.shape) if isinstance(variable, sp.MatrixSymbol) else ()
        assert (tuple(g.shape) if isinstance(g, sp.MatrixExpr) else ()) == shape, (name, g)
    for seed in (0, 1):
        report = sb.check_gradient(f, wrt, grads, seed=seed)
        assert report.passed, f"{name}\n{report}"


@pytest.mark.parametrize("name, f, wrt, expected", [c for c in IDENTITIES if c[3]],
                         ids=[c[0] for c in IDENTITIES if c[3]])
def test_closed_forms_are_the_textbook_ones(name, f, wrt, expected):
    assert sb.gradient(f, wrt) == expected


NOT_READABLE = ("ArrayTensorProduct", "PermuteDims", "ArrayDiagonal", "ArrayContraction",
                "MatrixElement", "Derivative", "Sum")


@pytest.mark.parametrize("name, f, wrt, expected", IDENTITIES, ids=IDS)
def test_results_are_matrix_expressions_not_entries(name, f, wrt, expected):
    for g in sb.gradient(f, wrt):
        heads = {type(node).__name__ for node in sp.preorder_traversal(g)}
        assert not heads & set(NOT_READABLE), (name, g)


n2 = 2
P, Q, Z = (sp.MatrixSymbol(name, n2, n2) for name in "PQZ")
v = sp.MatrixSymbol("v", n2, 1)
EXPLICIT = [
    sp.Trace(P * Z * Q * Z.T),
    v.T * Z * v + v.T * P * Z * Z * v,
    sp.log(sp.Determinant(Z)),
    sp.Trace(P * Z.I),
    sp.Trace(sp.HadamardPower(Z, 3) * P),
    sp.Trace(Z.applyfunc(sp.exp) * P),
    sp.Determinant(P * Z) * sp.Trace(Z),
    sp.Trace(Z ** 3),
]


def explicit(M):
    return sp.ImmutableMatrix(*M.shape, lambda i, j: sp.Symbol(f"{M.name.lower()}{i}{j}"))


@pytest.mark.parametrize("f", EXPLICIT, ids=[str(f) for f in EXPLICIT])
def test_entries_match_sympy_diff_of_the_explicit_function(f):
    """The oracle: every matrix written out with scalar symbols, f expanded into one scalar
    expression and differentiated entry by entry with sympy.diff."""
    values = {M: explicit(M) for M in f.free_symbols}
    scalar = sb.evaluate_exact(f, values)
    if isinstance(scalar, sp.MatrixBase):
        scalar = scalar[0, 0]
    (ours,) = sb.gradient(f, [Z])
    ours = sb.evaluate_exact(ours, values)
    for i in range(n2):
        for j in range(n2):
            assert sp.simplify(ours[i, j] - sp.diff(scalar, values[Z][i, j])) == 0, (f, i, j)


def canonical(expr):
    """``expr`` with every element-wise function written over one variable."""
    t = sp.Symbol("t")
    return expr.replace(lambda e: isinstance(e, sp.Lambda),
                        lambda e: sp.Lambda(t, e.expr.xreplace({e.variables[0]: t})))


def test_issue_example_gives_textbook_mlp_gradients():
    X0, W1 = sp.MatrixSymbol("X0", 3, 5), sp.MatrixSymbol("W1", 4, 3)
    B1 = sp.MatrixSymbol("B1", 4, 5)
    W2, B2, Y = sp.MatrixSymbol("W2", 2, 4), sp.MatrixSymbol("B2", 2, 5), sp.MatrixSymbol("Y", 2, 5)
    Z1 = W1 * X0 + B1
    X1 = Z1.applyfunc(sp.tanh)
    E = W2 * X1 + B2 - Y
    J = sp.Trace(E.T * E) / 2
    grad = sb.gradient(J, [W1, B1, W2, B2])
    t = sp.Symbol("t")
    Delta1 = ElementwiseApplyFunction(sp.Lambda(t, 1 - sp.tanh(t) ** 2), Z1)
    B1_bar = sp.HadamardProduct(W2.T * E, Delta1)
    expected = [B1_bar * X0.T, B1_bar, sp.MatMul(E, sp.Transpose(X1)), E]
    assert [canonical(g) for g in grad] == [canonical(e) for e in expected]
    assert sb.check_gradient(J, [W1, B1, W2, B2], grad).passed


def test_forward_mode_reads_the_gradient_off_the_functional():
    A, X = sp.MatrixSymbol("A", 3, 3), sp.MatrixSymbol("X", 3, 3)
    d = sb.differentiate(sp.Trace(A * X), [X], mode="forward")
    tangent = d.solutions[0][d.system.position(d.outputs[0])]
    assert tangent == sb.TraceFunctional(A.T)
    assert d.gradient == [A.T]


def test_absent_matrix_variable_has_a_zero_gradient_of_its_shape():
    A, X = sp.MatrixSymbol("A", 3, 3), sp.MatrixSymbol("X", 3, 3)
    Q = sp.MatrixSymbol("Q", 2, 4)
    assert sb.gradient(sp.Trace(A * X), [X, Q]) == [A.T, sp.ZeroMatrix(2, 4)]


def test_symbolic_sizes_give_size_free_closed_forms():
    m = sp.Symbol("m", integer=True, positive=True)
    A, X = sp.MatrixSymbol("A", m, m), sp.MatrixSymbol("X", m, m)
    assert sb.gradient(sp.Trace(A * X) + sp.log(sp.Determinant(X)), [X]) == [A.T + X.T.I]
    assert sb.build_graph(sp.Trace(A * X)).graph["inputs"] == [A, X]


def test_derivation_text_for_matrix_graphs():
    X = sp.MatrixSymbol("X", 3, 3)
    text = derivation(sp.log(sp.Determinant(X)), [X]).text()
    assert "df/dX = X_bar = (Determinant(X)/v1)*X.T**(-1) = X.T**(-1)" in text
    # the step applies the adjoint of the transpose-dot (the embedding E) to v1_bar; the zero
    # matrix on the right-hand side is not printed
    assert "X_bar = E_(Determinant(X)*X.T**(-1))*v1_bar" in text


def test_matrix_results_refuse_scalar_only_forms():
    A, X = sp.MatrixSymbol("A", 3, 3), sp.MatrixSymbol("X", 3, 3)
    with pytest.raises(InputError, match="Jacobian has scalar entries"):
        sb.jacobian([sp.Trace(A * X), sp.Trace(X)], [X])


@pytest.mark.parametrize("inside", [lambda A: A[0, 0], lambda A: sp.Trace(A)],
                         ids=["entry", "trace"])
def test_an_element_wise_function_using_a_matrix_is_refused(inside):
    """B.applyfunc(t ↦ t·A[0, 0]) gave df/dA = Trace((z -> 0).(B)), a silent wrong answer
    (its derivative in A is no element-wise function): refused, naming the matrix."""
    t = sp.Symbol("t")
    A, B = sp.MatrixSymbol("A", 2, 2), sp.MatrixSymbol("B", 2, 2)
    f = sp.Trace(B.applyfunc(sp.Lambda(t, t * inside(A))))
    with pytest.raises(sb.InputError, match="uses the matrix A"):
        sb.gradient(f, [A, B])


def test_a_size_is_not_a_variable():
    """n·tr(A) for an n × n A: d/dn was 0 with a warning that n does not occur."""
    n = sp.Symbol("n")
    A = sp.MatrixSymbol("A", n, n)
    for wrt in ([A, n], ["n"]):
        with pytest.raises(sb.InputError, match="is a size of the function's matrices"):
            sb.gradient(n * sp.Trace(A), wrt)
    assert sb.gradient(n * sp.Trace(A), [A])[0] == n * sp.Identity(n)
