"""Gradient programs: equal to the closed form, cheap, compiled to NumPy."""

import math
import warnings

import numpy as np
import pytest
import sympy as sp
from catalogue import CATALOGUE
from conftest import same_expression
from hypothesis import given, settings
from hypothesis import strategies as st

import symbackslash as sb
from symbackslash.derivatives.program import AdjointSymbol, binary_products

x, y = sp.symbols("x y")


def central_gradient(numeric, point, h: float = 1e-6) -> list:
    """Central differences of a NumPy function at ``point``, one per argument (the
    independent oracle of the compiled gradients below)."""
    expected = []
    for k in range(len(point)):
        up, down = list(point), list(point)
        up[k] += h
        down[k] -= h
        expected.append((numeric(*up) - numeric(*down)) / (2 * h))
    return expected


@pytest.mark.parametrize("name, function, variables", CATALOGUE, ids=[c[0] for c in CATALOGUE])
def test_program_equals_closed_form(name, function, variables):
    program = sb.gradient(function, variables, form="program")
    closed = sb.gradient(function, variables)
    for got, want in zip(program.closed_form(), closed, strict=True):
        assert same_expression(got, want), name
    # The cheap-gradient bound (about 4) with slack for three-operation toy functions.
    assert program.ratio <= 5, (name, program.ratio)


def test_each_adjoint_is_a_named_variable():
    P = sb.gradient_program("a = x*y\nb = sin(a)\nf = a*b + b", ["x", "y"])
    assert all(isinstance(name, AdjointSymbol) for name, _ in P.adjoint)
    assert {str(name) for name, _ in P.adjoint} >= {"x_bar", "y_bar", "a_bar"}
    assert sp.latex(AdjointSymbol(sp.Symbol("x1"))) == r"\bar{x}_{1}"


def test_products_are_split_into_binary_chains():
    xs = sp.symbols("x1:9")
    G = sb.build_graph(sp.Mul(*xs))
    H = binary_products(G)
    assert all(len(H.nodes[v]["expr"].args) <= 2 for v in H if H.nodes[v]["expr"] is not None)
    P = sb.gradient_program(sp.Mul(*xs))
    # forward chain (6) + two products per factor in the reverse sweep: linear, not quadratic.
    assert P.operations <= 3 * len(xs)


def test_weights_use_the_values_the_function_computes():
    # ∂cos(x)/∂x = −sin(x) is the node s, ∂sin(x)/∂x = cos(x) the node c: no call repeated
    P = sb.gradient_program("s = sin(x)\nc = cos(x)\nf = s + 2*c", ["x"])
    assert [str(name) for name, _ in P.forward] == ["s", "c"]
    assert not any(expr.has(sp.sin, sp.cos) for _, expr in P.adjoint)
    assert P.operations == 2 + 2
    assert same_expression(P.closed_form()[0], sp.cos(x) - 2*sp.sin(x))


def test_the_adjoint_through_tanh_carries_its_sign_inside():
    P = sb.gradient_program("h = tanh(w*x)\nf = h*y", ["w"])
    h, y_ = sp.symbols("h y")
    assert dict(P.adjoint)[AdjointSymbol(sp.Symbol("v1"))] == y_*(1 - h**2)
    assert P.operations == 2 + 3 + 1


@pytest.mark.parametrize("name", ["trigonometric", "tanh network", "sin-chain",
                                  "Chebyshev", "extended Rosenbrock"])
def test_every_name_a_program_uses_is_computed_before(name):
    # the operations counted are all the program does: no value is used without being
    # assigned (by the program) or given (an input)
    from symbackslash.examples import FAMILIES
    ex = FAMILIES[name](3)
    for form in (ex.expression, ex.program):
        P = sb.gradient_program(form, list(ex.wrt))
        known = set(P.inputs)
        for name_, expr in P.assignments:
            assert sp.sympify(expr).free_symbols <= known, (name, name_)
            known.add(name_)
        assert set().union(*(sp.sympify(o).free_symbols for o in P.outputs)) <= known


def test_copies_are_read_through_to_their_originals():
    """t = x: a node reading t reads x, made again (t·x = x²: one product for its partial
    where two factors cost two and a sum); a copy stays where its reader would not be made
    of nodes (t·x·y = x²·y) and where it is the output."""
    P = sb.gradient_program("t = x\nu = t*x\nf = u + y", ["x", "y"])
    names = {name for name, _ in P.assignments} | set().union(
        *(expr.free_symbols for _, expr in P.assignments))
    assert sp.Symbol("t") not in names and P.closed_form()[0] == 2*x
    kept = sb.gradient_program("t = x\nu = t*y*x\nf = u", ["x", "y"])
    assert (sp.Symbol("t"), x) in kept.forward
    assert [sp.expand(g) for g in kept.closed_form()] == [2*x*y, x**2]
    alone = sb.gradient_program("t = x\nf = t", ["x"])
    assert alone.outputs == [1]


LINES = st.lists(st.tuples(st.sampled_from(["copy", "copy", "product", "triple", "sum", "sin",
                                            "power"]),
                           st.integers(0, 99), st.integers(0, 99), st.integers(0, 99)),
                 min_size=1, max_size=6)


@settings(max_examples=80, deadline=None)
@given(LINES)
def test_programs_with_copies_give_sympys_gradient(lines):
    """Random programs full of copies (t = x, s = t …): the gradient program's values are
    sympy.diff's of the function written out, and a reader of a copy is made of nodes."""
    names, values, text = ["x", "y"], {"x": x, "y": y}, []
    for k, (kind, i, j, m) in enumerate(lines):
        a, b, c = (names[n % len(names)] for n in (i, j, m))
        A, B, C = values[a], values[b], values[c]
        right, value = {"copy": (a, A), "product": (f"{a}*{b}", A * B),
                        "triple": (f"{a}*{b}*{c}", A * B * C), "sum": (f"{a} + 2*{b}", A + 2 * B),
                        "sin": (f"sin({a})", sp.sin(A)), "power": (f"{a}**2", A**2)}[kind]
        name = f"t{k}"
        text.append(f"{name} = {right}")
        names.append(name)
        values[name] = value
    text.append(f"f = {names[-1]} + x*y")
    function = values[names[-1]] + x * y
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", sb.UnusedVariableWarning)
        program = sb.gradient_program("\n".join(text), [x, y])
    point = {x: sp.Rational(3, 7), y: sp.Rational(-5, 11)}
    for got, v in zip(program.closed_form(), (x, y), strict=True):
        expected = sp.diff(function, v).xreplace(point)
        assert abs(sp.N(sp.sympify(got).xreplace(point) - expected, 30)) < 1e-20


def test_dead_code_is_not_in_the_program():
    P = sb.gradient_program("a = x*y\nunused = exp(x)\nf = a + x", ["x", "y"])
    assert all(str(name) != "unused" for name, _ in P.forward)


def test_adjoints_of_inputs_not_asked_for_are_not_computed():
    logistic = "z = w*x + b\np = sigmoid(z)\nloss = -(t*log(p) + (1 - t)*log(1 - p))"
    P = sb.gradient_program(logistic, ["w", "b"])
    assert not {name.node_name for name, _ in P.adjoint} & {"x", "t"}
    assert sp.log(sp.Symbol("p")) not in [expr for _, expr in P.forward]  # only t_bar uses it
    everything = sb.gradient_program(logistic)
    assert P.operations < everything.operations
    closed = sb.gradient(logistic, ["w", "b"])
    assert all(same_expression(got, want)
               for got, want in zip(P.closed_form(), closed, strict=True))


def test_lambdify_evaluates_the_gradient():
    P = sb.gradient_program(sp.exp(x*y) + sp.sin(x), [x, y])
    gx, gy = P.lambdify()(0.5, 2.0)
    assert math.isclose(gx, 2.0*math.exp(1.0) + math.cos(0.5))
    assert math.isclose(gy, 0.5*math.exp(1.0))


def test_lambdify_never_uses_user_names_in_code():
    evil = sp.Symbol("__import__('os').system('touch /tmp/sb_canary')")
    P = sb.gradient_program(evil**2, [evil])
    assert P.lambdify()(3.0) == [6.0]


def test_str_is_a_readable_program():
    text = str(sb.gradient_program(x*y, [x, y]))
    assert text.splitlines()[-1] == "return (y, x)"


def test_deep_and_long_programs_at_the_default_recursion_limit():
    import sys

    assert sys.getrecursionlimit() <= 1000 + 100  # pytest does not raise it
    deep = "\n".join(f"x{k + 1} = sin(x{k})" for k in range(1000))
    P = sb.gradient_program(deep)
    assert len(P.graph) == 1001
    value = P.lambdify(modules="math")(0.5)[0]
    derivative, x = 1.0, 0.5
    for _ in range(1000):
        derivative *= math.cos(x)
        x = math.sin(x)
    assert math.isclose(value, derivative, rel_tol=1e-12)
    with pytest.raises(sb.ResourceLimitError, match="form='program'"):
        sb.gradient(deep)
    long = "\n".join(f"x{k + 1} = sin(x{k})*x{k}" for k in range(5000))
    assert len(sb.gradient_program(long).graph) == 10001


def test_deep_sympy_expressions_are_accepted_and_differentiated_as_programs():
    # A SymPy expression nested far deeper than max_depth (a sin-chain of depth 128): the
    # graph builder walks it iteratively, so it is accepted; only the closed form, which
    # SymPy's recursive algorithms would have to handle, is refused with advice.
    from symbackslash.examples import sin_chain

    ex = sin_chain(128)
    P = sb.gradient_program(ex.expression, list(ex.wrt))
    assert len(P.graph) == 2 * 128 + 1
    x, derivative = 1.5, 1.0
    for _ in range(128):
        x, derivative = math.sin(x) * x, derivative * (math.cos(x) * x + math.sin(x))
    assert math.isclose(P.lambdify(modules="math")(1.5)[0], derivative, rel_tol=1e-9)
    with pytest.raises(sb.ResourceLimitError, match="form='program'"):
        sb.gradient(ex.expression, list(ex.wrt))


def test_arguments_may_be_named():
    program = sb.gradient_program("f = x*y**2", ["x", "y"])
    assert program.lambdify(["y", "x"], modules="math")(3.0, 2.0) == [9.0, 12.0]
    with pytest.raises(sb.InputError, match="missing: \\[y\\]"):
        program.lambdify(["x", "z"])


def test_adjoints_are_not_named_like_a_variable():
    program = sb.gradient_program("x_bar = 2*x; f = x_bar*x", ["x"])
    names = [str(name) for name, _ in program.adjoint]
    assert names == ["x_adj"] and str(program.outputs[0]) == "x_adj"
    assert "x_adj = 2*x + x_bar" in str(program).splitlines()
    assert program.closed_form() == [4 * sp.Symbol("x")]


@pytest.mark.parametrize("modules", ["numpy", "math", "mpmath"])
@pytest.mark.parametrize("at", [1000.0, -1000.0, 0.5])
def test_softplus_and_sigmoid_compile_without_overflow(modules, at):
    x = sp.Symbol("x")
    f = sb.softplus(x) * sb.sigmoid(x) + sb.softplus(-x)
    got = sb.gradient_program(f).lambdify(modules=modules)(at)[0]
    exact = sp.diff(f.rewrite(sp.exp), x).subs(x, sp.Float(at, 40)).evalf(30)  # sympy.diff
    assert float(got) == pytest.approx(float(exact), rel=1e-12, abs=1e-300)


@pytest.mark.parametrize("make", [lambda x: sp.LambertW(x), lambda x: sp.erfinv(x / 2),
                                  lambda x: sp.besselj(1, x), lambda x: sp.polygamma(1, x)])
def test_special_functions_compile_to_scipy_or_are_refused_at_compile_time(make):
    x = sp.Symbol("x")
    f = make(x)
    program = sb.gradient_program(f)
    got = program.lambdify(modules="numpy")(0.5)[0]
    exact = sp.diff(f, x).subs(x, sp.Rational(1, 2)).evalf(20)   # sympy.diff, mpmath
    assert np.isrealobj(got)  # (SciPy's lambertw is complex: made real once checked)
    assert float(got) == pytest.approx(float(exact), rel=1e-9)
    with pytest.raises(sb.InputError, match="for modules='math': the module has no such"):
        program.lambdify(modules="math")


def test_what_cannot_be_compiled_is_refused_when_compiling():
    x, y, k = sp.symbols("x y k")
    with pytest.raises(sb.InputError, match="cannot compile DiracDelta"):
        sb.gradient_program(sp.DiracDelta(x) * x).lambdify()
    with pytest.raises(sb.InputError, match="cannot compile Subs for"):
        sb.gradient_program(sp.Subs(sp.sin(k) * k, k, x * y) * x).lambdify()
    with pytest.raises(sb.InputError, match="modules='tensorflow'"):
        sb.gradient_program(x * y).lambdify(modules="tensorflow")
    with pytest.raises(sb.InputError, match="Sum with a symbolic limit"):
        sb.gradient_program(sp.Sum(x**k, (k, 1, y)) + x).lambdify()


@pytest.mark.parametrize("value, message", [(1j, "must be real numbers, not complex"),
                                            (None, "not None"), ("1", "not text"),
                                            (10**400, "too large for a float")])
def test_compiled_functions_refuse_arguments_that_are_not_real_numbers(value, message):
    x, y = sp.symbols("x y")
    f = sb.gradient_program(x * y).lambdify()
    with pytest.raises(sb.InputError, match=f"the value of x .*{message}"):
        f(value, 1.0)


def test_checked_functions_pickle_and_run_in_a_worker_pool():
    import pickle
    from concurrent.futures import ProcessPoolExecutor
    x, y = sp.symbols("x y")
    f = sb.gradient_program("a = x*y; f = sin(a) + log(x)").lambdify()
    exact = [sp.lambdify([x, y], sp.diff(sp.sin(x*y) + sp.log(x), v))(1.5, 2.0) for v in (x, y)]
    copy = pickle.loads(pickle.dumps(f))
    assert copy(1.5, 2.0) == pytest.approx(exact)            # sympy.diff, independently
    with pytest.raises(sb.EvaluationDomainError, match="log"):
        copy(-1.0, 2.0)                                       # still checked
    with ProcessPoolExecutor(1) as pool:
        assert list(pool.map(f, [1.5], [2.0]))[0] == pytest.approx(exact)


def test_unknowns_are_named_so_that_no_input_is_assigned():
    x, x_bar, x_adj = sp.symbols("x x_bar x_adj")
    f = x * x_bar * x_adj + sp.sin(x)
    program = sb.gradient_program(f)
    assigned = {str(name) for name, _ in program.assignments}
    assert not assigned & {"x", "x_bar", "x_adj"}
    got = program.lambdify([x, x_adj, x_bar])(0.5, 3.0, 2.0)
    point = {x: 0.5, x_adj: 3, x_bar: 2}
    assert got == pytest.approx([float(sp.diff(f, v).subs(point)) for v in (x, x_adj, x_bar)])


@pytest.mark.parametrize("form", ["program", "closed"])
def test_graphs_made_by_hand_have_no_program_and_say_so(form):
    # it raised an internal KeyError ("this is a bug in symbackslash"); the closed form
    # still works: the paper's 5-node graph, whose gradient is the two path products
    from symbackslash.examples import t1_graph
    a, b, c, d = sp.symbols("a b c d")
    if form == "closed":
        assert sb.gradient(t1_graph()) == [a*c*d, b*c*d]
        return
    with pytest.raises(sb.GraphError, match="node 3 of the graph has weights but no "
                                            "expression.*use gradient\\(G\\)"):
        sb.gradient(t1_graph(), form="program")


def test_compiled_program_with_ite_in_piecewise_conditions():
    # a condition with an ITE of more than 8 relations: SymPy's printer kept the ITE and
    # printed it as numpy.select (floats), which NumPy's select refused as a condition:
    # TypeError: invalid entry 0 in condlist. Oracle: central differences of NumPy code.
    a, b, c = sp.symbols("a b c", real=True)
    relations = [a < 1, b > 2, c < a, a + b < 3, b * c > 1, a * c < 2, a - b > 0, c - b < 1]
    condition = sp.ITE(relations[0], sp.And(*relations[1:5]),
                       sp.Or(*relations[5:], a**2 < 5))
    f = sp.Piecewise((a**2 * b, condition), (a * b * c, True))

    def numeric(p, q, r):
        if p < 1:
            inside = q > 2 and r < p and p + q < 3 and q * r > 1
        else:
            inside = p * r < 2 or p - q > 0 or r - q < 1 or p**2 < 5
        return p**2 * q if inside else p * q * r

    for modules in ("numpy", "math"):
        gradient = sb.gradient(f, [a, b, c], form="program").lambdify(modules=modules)
        for point in [(0.5, 0.3, 0.7), (2.5, 0.3, 0.7), (0.4, 2.1, 0.3), (2.5, 3.0, 0.9)]:
            expected = central_gradient(numeric, point)
            assert [float(v) for v in gradient(*point)] == pytest.approx(expected, rel=1e-6)


@pytest.mark.parametrize("modules", ["numpy", "math"])
def test_compiled_mod_matches_central_differences_at_negative_operands(modules):
    # Mod(a, b) = a - b*floor(a/b) (Python's %, numpy.mod): the compiled gradient against
    # central differences of the same function written in NumPy, at points where a < 0
    a, b = sp.symbols("a b", real=True)
    cases = [(sp.Mod(a, 1 + b**2), lambda p, q: np.mod(p, 1 + q**2)),
             (sp.Mod(3 * sp.sin(a), b**2 + 1), lambda p, q: np.mod(3 * np.sin(p), q**2 + 1)),
             (sp.sin(sp.Mod(a * b, 1 + b**2)) * a,
              lambda p, q: np.sin(np.mod(p * q, 1 + q**2)) * p)]
    for f, numeric in cases:
        gradient = sb.gradient(f, [a, b], form="program").lambdify(modules=modules)
        for point in [(0.7, 0.3), (-1.3, 0.5), (2.9, -1.1), (-4.2, 1.7), (-7.1, -0.4)]:
            expected = central_gradient(numeric, point)
            got = [float(v) for v in gradient(*point)]
            assert got == pytest.approx(expected, rel=1e-6, abs=1e-6), (f, point)


@pytest.mark.parametrize("make", [lambda: (sp.Symbol("x"), sp.Symbol("x", positive=True)),
                                  lambda: (sp.Dummy("u"), sp.Dummy("u"))],
                         ids=["assumptions", "dummies"])
def test_two_symbols_of_one_name_are_refused_in_programs(make):
    """sin(x·x⁺) for two symbols named x: both adjoints were x_bar, and the program returned
    (x_bar, x_bar), the wrong value for one of them."""
    a, b = make()
    f = sp.sin(a * b)
    for call in (lambda: sb.gradient_program(f, [a, b]), lambda: sb.hessian(f, [a, b])):
        with pytest.raises(sb.InputError, match="two different symbols are both named"):
            call()
    closed = sb.gradient(f, [a, b])  # the closed form keeps them apart
    assert list(closed) == [b * sp.cos(a * b), a * sp.cos(a * b)]
