"""Second derivatives against independent oracles: sympy.hessian (30-digit values and
symbolic differences), H·v, central differences of the gradient, and H against Hᵀ."""

import random

import numpy as np
import pytest
import sympy as sp
from catalogue import CATALOGUE
from conftest import same_expression

import symbackslash as sb
from symbackslash import InputError, parse_program
from symbackslash.examples import t1_graph

x, y, z = sp.symbols("x y z")
X = sp.symbols("x1:5")

# the classic unconstrained-optimisation set (Moré, Garbow, Hillstrom 1981) beside the
# gradient catalogue's functions
HESSIAN_CATALOGUE = [
    ("wood", 100*(X[1] - X[0]**2)**2 + (1 - X[0])**2 + 90*(X[3] - X[2]**2)**2
     + (1 - X[2])**2 + 10*(X[1] + X[3] - 2)**2 + (X[1] - X[3])**2/10, list(X)),
    ("trigonometric3", sum((3 - sum(sp.cos(v) for v in X[:3]) + (i + 1)*(1 - sp.cos(X[i]))
                            - sp.sin(X[i]))**2 for i in range(3)), list(X[:3])),
    ("helical_valley", 100*((z - 10*sp.atan(y/x)/(2*sp.pi))**2
                            + (sp.sqrt(x**2 + y**2) - 1)**2) + z**2, [x, y, z]),
    ("brown_badly_scaled", (x - 10**6)**2 + (y - sp.Rational(2, 10**6))**2 + (x*y - 2)**2,
     [x, y]),
    ("nested_shared", sp.exp(sp.sin(x*y)*sp.cos(x*y)) + sp.log(1 + (x*y)**2)*z, [x, y, z]),
    *CATALOGUE,
]
IDS = [c[0] for c in HESSIAN_CATALOGUE]


def inlined(function, variables):
    """A text program as one expression (the oracle's input) and its variables as symbols."""
    if not isinstance(function, str):
        return function, variables
    values = {}
    for name, expr in parse_program(function).assignments:
        values[name] = expr.xreplace(values)
    return values[name], [sp.Symbol(v) for v in variables]


def points(variables, count=2, seed=0):
    rng = random.Random(seed)
    return [{v: sp.Float(rng.uniform(0.3, 1.2), 30) for v in variables} for _ in range(count)]


TOLERANCE = sp.Float("1e-20", 30)


def close(a, b, point, tol=TOLERANCE) -> bool:
    """Equal in 30-digit arithmetic at ``point`` (relative to the larger of 1 and |b|)."""
    va = sp.N(sp.sympify(a).xreplace(point), 30)
    vb = sp.N(sp.sympify(b).xreplace(point), 30)
    return abs(va - vb) <= tol * max(1, abs(vb))


@pytest.mark.parametrize("name, function, variables", HESSIAN_CATALOGUE, ids=IDS)
@pytest.mark.parametrize("mode", ["forward", "reverse"])


def test_hessian_matches_sympy_hessian(name, function, variables, mode):
    ours = sb.hessian(function, variables, mode=mode)
    expression, symbols = inlined(function, variables)
    expected = sp.hessian(expression, symbols)
    assert ours.shape == expected.shape
    for point in points(symbols):
        for got, want in zip(ours, expected, strict=True):
            assert close(got, want, point), (name, got, want)
        # symmetry is checked, not assumed: H[i, j] and H[j, i] come from different solves
        n = len(symbols)
        assert all(close(ours[i, j], ours[j, i], point) for i in range(n) for j in range(i))


@pytest.mark.parametrize("name", ["rosenbrock2", "powell", "paper_intro", "shared_product",
                                  "program_reuse", "wood", "sigmoid_neuron"])


def test_hessian_symbolic_difference_is_zero(name):
    _, function, variables = HESSIAN_CATALOGUE[IDS.index(name)]
    expression, symbols = inlined(function, variables)
    ours, expected = sb.hessian(function, variables), sp.hessian(expression, symbols)
    assert all(same_expression(a, b) for a, b in zip(ours, expected, strict=True)), name


@pytest.mark.parametrize("name", ["wood", "trigonometric3", "powell", "shared_power",
                                  "program_mlp", "logsumexp", "nested_shared"])


def test_hvp_is_hessian_times_v_and_programs_equal_closed_forms(name):
    _, function, variables = HESSIAN_CATALOGUE[IDS.index(name)]
    _, symbols = inlined(function, variables)
    rng = random.Random(1)
    v = [sp.Rational(rng.randint(-9, 9), rng.randint(1, 5)) for _ in symbols]
    H = sb.hessian(function, variables)
    Hv = list(H * sp.Matrix(v))
    ours = sb.hvp(function, variables, v)
    program = sb.hvp(function, variables, v, form="program")
    Hprogram = sb.hessian(function, variables, form="program")
    for point in points(symbols):
        assert all(close(a, b, point) for a, b in zip(ours, Hv, strict=True)), name
        assert all(close(a, b, point) for a, b in zip(program.closed_form(), ours, strict=True))
        assert all(close(a, b, point) for a, b in zip(Hprogram.closed_form(), H, strict=True))
    # the compiled program gives the same numbers
    numbers = program.lambdify(symbols, modules="math")(*[0.7] * len(symbols))
    at = {s: sp.Float(0.7, 30) for s in symbols}
    assert np.allclose(numbers, [float(e.xreplace(at)) for e in Hv], rtol=1e-10)


def test_hvp_with_a_symbolic_direction_whose_names_are_node_names():
    v1, v2 = sp.symbols("v1 v2")  # v1, v2 also name nodes of the gradient program
    f = sp.exp(x*y) + sp.sin(x*y)
    H = sp.hessian(f, [x, y])
    ours = sb.hvp(f, [x, y], [v1, v2])
    assert all(same_expression(a, b) for a, b in zip(ours, H * sp.Matrix([v1, v2]), strict=True))
    assert sb.hvp(f, [x, y], {"y": 1}) == sb.hvp(f, [x, y], [0, 1])


def test_every_input_the_gradient_takes():
    text = "a = x*y\nb = sin(a)\nf = a*b + x"
    expected = sp.hessian(x*y*sp.sin(x*y) + x, [x, y])
    for f in (text, parse_program(text), sb.build_graph(text), sb.build_graph(
            x*y*sp.sin(x*y) + x)):
        for mode in ("forward", "reverse"):
            H = sb.hessian(f, ["x", "y"], mode=mode)
            assert all(same_expression(a, b) for a, b in zip(H, expected, strict=True))


def test_variables_that_do_not_occur_and_gradients_that_are_inputs():
    assert sb.hessian(x*y, [x, y, z]) == sp.Matrix([[0, 1, 0], [1, 0, 0], [0, 0, 0]])
    assert sb.hessian(3*x + 2, [x]) == sp.Matrix([[0]])
    assert sb.hessian(x*y, [x, y, z], form="program").closed_form() == [0, 1, 0, 1, 0, 0, 0, 0, 0]


def test_hvp_program_costs_a_small_multiple_of_the_function():
    n = 12
    v = sp.symbols(f"x0:{n}")
    f = sum(100*(v[i + 1] - v[i]**2)**2 + (1 - v[i])**2 for i in range(n - 1))
    P = sb.hvp(f, list(v), [1] * n, form="program")
    assert P.ratio <= 6, P.ratio  # the hvp program is one function, one gradient, one tangent
    H = sb.hessian(f, list(v), form="program")
    assert H.operations > P.operations  # n tangent passes cost more than one


def matrix_gradient_at(f, X, values):
    """∇f at numeric matrices, from symbackslash's closed form evaluated by SymPy."""
    (g,) = sb.gradient(f, [X])
    return np.array(sp.Matrix(g.xreplace(values).doit()).evalf(30), dtype=float)


@pytest.mark.parametrize("case", ["quadratic", "cubic", "logdet", "tanh_layer"])


def test_matrix_hvp_matches_central_differences_of_the_gradient(case):
    n = 3
    A, Xs, V, B = (sp.MatrixSymbol(s, n, n) for s in "AXVB")
    f = {"quadratic": sp.Trace(Xs.T*A*Xs), "cubic": sp.Trace(Xs*Xs*Xs) + sp.Trace(A*Xs),
         "logdet": sp.log(sp.Determinant(Xs)) + sp.Trace(Xs.T*Xs),
         "tanh_layer": sp.Trace(B.T*(A*Xs).applyfunc(sp.tanh))}[case]
    rng = np.random.default_rng(3)
    num = {M: sp.ImmutableMatrix(rng.uniform(-1, 1, (n, n)) + (2*np.eye(n) if M == Xs else 0))
           for M in (A, Xs, V, B)}
    (ours,) = sb.hvp(f, [Xs], [V])
    got = np.array(sp.Matrix(ours.xreplace(num).doit()).evalf(30), dtype=float)
    h = 1e-5
    plus = {**num, Xs: num[Xs] + h*num[V]}
    minus = {**num, Xs: num[Xs] - h*num[V]}
    fd = (matrix_gradient_at(f, Xs, plus) - matrix_gradient_at(f, Xs, minus)) / (2*h)
    assert np.allclose(got, fd, rtol=1e-6, atol=1e-8), (case, got, fd)


def test_matrix_hessian_operator_of_the_quadratic_form():
    A, Xs, V = (sp.MatrixSymbol(s, 3, 3) for s in "AXV")
    (ours,) = sb.hvp(sp.Trace(Xs.T*A*Xs), [Xs], [V])
    assert sp.simplify((ours - (A*V + A.T*V)).as_explicit()) == sp.zeros(3, 3)
    (H,) = sb.hessian(sp.Trace(Xs.T*A*Xs), [Xs])
    assert isinstance(H, sb.LinearMap) and str(H) == "(dX -> (A + A.T)*dX)"
    assert H.vec_matrix((3, 3)) == (sb.LeftMultiply(A) + sb.LeftMultiply(A.T)).vec_matrix((3, 3))


def explicit_map(op, shape):
    """The operator's matrix on vec, with random integer values for its other symbols."""
    values = sb.random_values(op, integers=True)
    return op.xreplace({k: sp.ImmutableMatrix(v) if isinstance(k, sp.MatrixSymbol) else v
                        for k, v in values.items()}).vec_matrix(shape)


def test_matrix_hessian_blocks_pass_dot_tests_and_their_adjoints_are_the_mirror_blocks():
    """Block (i, j) and its adjoint are found by separate gradients; symmetry of the
    Hessian, H_ij^T = H_ji, is then checked, not assumed."""
    A = sp.MatrixSymbol("A", 3, 3)
    b, c = sp.MatrixSymbol("b", 3, 1), sp.MatrixSymbol("c", 3, 1)
    s = sp.Symbol("s")
    f = s*sp.Trace(b.T*A*c) + sp.Trace((b.T*c)*(b.T*b)) + sp.sin(s)*sp.Trace(c.T*c)
    wrt = [s, b, c]
    H = sb.hessian(f, wrt)
    shapes = [(), (3, 1), (3, 1)]
    for i in range(3):
        for j in range(3):
            assert sb.dot_test(H[i, j], shapes[j]).passed, (i, j)
            mirror = H[j, i].T  # the adjoint of the mirror block: the same map?
            point = sb.random_values(H[i, j], integers=True)
            values = {k: sp.ImmutableMatrix(v) if isinstance(k, sp.MatrixSymbol) else v
                      for k, v in point.items()}
            assert (H[i, j].xreplace(values).vec_matrix(shapes[j])
                    == mirror.xreplace(values).vec_matrix(shapes[j])), (i, j)


@pytest.mark.parametrize("call, message", [
    (lambda: sb.hvp(x*y, [x, y], [1]), "v has 1 entries"),
    (lambda: sb.hvp(x*y, [x, y], "1, 2"), "v must be a list"),
    (lambda: sb.hvp(x*y, [x, y], ["1", 2]), "v[0]"),
    (lambda: sb.hvp(x*y, [x, y], {"q": 1}), "'q'"),
    (lambda: sb.hessian(x*y, [x, y], mode="sideways"), "mode must be"),
    (lambda: sb.hessian(x*y, [x, y], form="tree"), "form must be"),
    (lambda: sb.hessian(sp.Trace(sp.MatrixSymbol("X", 2, 2)), ["X"], mode="up"), "mode must be"),
    (lambda: sb.hessian(x*y, [x, y], mode="reverse", form="program"), "forward substitution"),
    (lambda: sb.hessian(sp.Trace(sp.MatrixSymbol("X", 2, 2)), ["X"], mode="forward"),
     "a matrix of operators"),
    (lambda: sb.gradient_graph(sp.Trace(sp.MatrixSymbol("X", 2, 2)), ["X"]), "hessian(f, [X])"),
    (lambda: sb.hvp(sp.Trace(sp.MatrixSymbol("X", 2, 2)), ["X"], [x]), "shape"),
    (lambda: sb.hessian(t1_graph()), "a graph made by hand gives first derivatives only"),
    # these two said "a Program needs a non-empty tuple of (Symbol, expression) pairs"
    (lambda: sb.hessian(x*y, []), "no variable to differentiate by"),
    (lambda: sb.hvp(sp.Integer(3), None, []), "no variable to differentiate by"),
    (lambda: sb.hvp(x*y, [x, y], [1j, 2]), "v[0]"),
])


def test_bad_input_is_named(call, message):
    with pytest.raises(InputError) as info:
        call()
    assert message in str(info.value)


def test_the_papers_network_hvp_matches_central_differences_of_the_gradient():
    """Equation (1)'s two-layer tanh network, H·V with respect to W1 (4 × 3) and B2."""
    X0, W1, B1 = sp.MatrixSymbol("X0", 3, 5), sp.MatrixSymbol("W1", 4, 3), \
        sp.MatrixSymbol("B1", 4, 5)
    W2, B2, Y = sp.MatrixSymbol("W2", 2, 4), sp.MatrixSymbol("B2", 2, 5), \
        sp.MatrixSymbol("Y", 2, 5)
    V1, V2 = sp.MatrixSymbol("V1", 4, 3), sp.MatrixSymbol("V2", 2, 5)
    E = W2*(W1*X0 + B1).applyfunc(sp.tanh) + B2 - Y
    J = sp.Trace(E.T*E) / 2
    rng = np.random.default_rng(5)
    num = {M: sp.ImmutableMatrix(rng.uniform(-1, 1, M.shape))
           for M in (X0, W1, B1, W2, B2, Y, V1, V2)}
    ours = sb.hvp(J, [W1, B2], [V1, V2])
    grads = sb.gradient(J, [W1, B2])

    def at(values):
        return [np.array(sp.Matrix(g.xreplace(values).doit()).evalf(30), dtype=float)
                for g in grads]

    h = 1e-5
    up = at({**num, W1: num[W1] + h*num[V1], B2: num[B2] + h*num[V2]})
    down = at({**num, W1: num[W1] - h*num[V1], B2: num[B2] - h*num[V2]})
    for got, plus, minus in zip(ours, up, down, strict=True):
        value = np.array(sp.Matrix(got.xreplace(num).doit()).evalf(30), dtype=float)
        assert np.allclose(value, (plus - minus) / (2*h), rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("mode", ["forward", "reverse"])


def test_nonsmooth_heads_follow_the_rule_table_in_the_gradient_programs_graph(mode):
    # the gradient program's graph has one node per statement; its weights were sp.diff's,
    # so |x|'' came out as y*Derivative(sign(x), x) and H[1, 0] in the complex form of |x|'
    # (H ≠ Hᵀ); oracle: sympy.hessian on real symbols, away from the kinks
    xr, yr = sp.symbols("x y", real=True)
    f = y*sp.Abs(x) + sp.Max(x, y)**2 + x**2*sp.Heaviside(y - 1) + sp.sign(x)*y**3
    H = sb.hessian(f, [x, y], mode=mode)
    assert not H.has(sp.Derivative, sp.DiracDelta, sp.re, sp.im)
    assert (H - H.T).applyfunc(sp.simplify) == sp.zeros(2, 2)
    oracle = sp.hessian(f.subs({x: xr, y: yr}), [xr, yr])
    for px, py in [(0.7, -1.3), (-2.1, 0.4), (1.9, 2.6), (-0.3, 1.2)]:
        ours = H.subs({x: px, y: py}).evalf(30)
        theirs = oracle.subs({xr: px, yr: py}).evalf(30)
        assert all(abs(a - b) < 1e-20 for a, b in zip(ours, theirs, strict=True))


def test_hvp_takes_numpy_directions():
    # a NumPy array's entries (np.int64) were refused as "not a number"; oracle: sympy.hessian
    f = x**3*y + sp.sin(x*y)
    expected = list(sp.hessian(f, [x, y]) * sp.Matrix([3, -2]))
    for v in (np.array([3, -2]), [np.int64(3), np.float64(-2.0)]):
        assert all(sp.simplify(a - b) == 0 for a, b in zip(sb.hvp(f, [x, y], v), expected,
                                                           strict=True))


def test_hessians_of_code_as_students_write_it():
    """A def with a loop (text) and a Python function (traced) against sympy.hessian."""
    x, w, y = sp.symbols("x w y")
    source = "def f(x, w):\n    h = x\n    for i in range(2):\n        h = tanh(w*h + 1)\n" \
             "    return h**2\n"
    h = x
    for _ in range(2):
        h = sp.tanh(w * h + 1)

    def g(x, y):
        z = x * y
        for _ in range(2):
            z = sp.sin(z) + z
        return z

    z = x * y
    for _ in range(2):
        z = sp.sin(z) + z
    for f, wrt, expected in [(source, [x, w], h**2), (g, [x, y], z)]:
        H = sb.hessian(f, [str(v) for v in wrt])
        reference = sp.hessian(expected, wrt)
        for point in ({wrt[0]: 0.3, wrt[1]: 0.7}, {wrt[0]: -1.1, wrt[1]: 0.4}):
            assert max(abs(float((H[i, j] - reference[i, j]).subs(point)))
                       for i in range(2) for j in range(2)) < 1e-12
@pytest.mark.parametrize("v", [float("nan"), float("inf"), np.float64("-inf"), sp.oo, sp.zoo,
                               sp.nan])


def test_hvp_refuses_non_finite_directions(v):
    # sb.hvp(f, [x], [nan]) returned [nan] silently
    for form in ("closed", "program"):
        with pytest.raises(sb.InputError, match=r"v\[0\] = .* is not finite"):
            sb.hvp(x**3 * y, [x, y], [v, 1], form=form)
