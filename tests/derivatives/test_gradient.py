"""gradient and jacobian against sympy.diff (exactly and numerically), in both modes."""

import pytest
import sympy as sp
from catalogue import CATALOGUE
from conftest import same_expression, same_numerically

import symbackslash as sb
from symbackslash import InputError, parse_program


def reference(function, variables):
    """The oracle: sympy.diff on the function, a program inlined into one expression."""
    if isinstance(function, str):
        program = parse_program(function)
        values = {}
        for name, expr in program.assignments:
            values[name] = expr.xreplace(values)
        function = values[program.output]
        variables = [sp.Symbol(v) for v in variables]
    return [sp.diff(function, v) for v in variables], variables


@pytest.mark.parametrize("name, function, variables", CATALOGUE, ids=[c[0] for c in CATALOGUE])
@pytest.mark.parametrize("mode", ["reverse", "forward"])
def test_catalogue_matches_sympy_diff(name, function, variables, mode):
    ours = sb.gradient(function, variables, mode=mode)
    expected, symbols = reference(function, variables)
    assert len(ours) == len(expected)
    for got, want in zip(ours, expected, strict=True):
        assert same_numerically(got, want, symbols), (name, got, want)
        assert same_expression(got, want), (name, got, want)


def test_catalogue_is_large_enough():
    assert len(CATALOGUE) >= 30


def test_issue_examples():
    x, y = sp.symbols("x y")
    grad = sb.gradient(sp.sin(x*y) + x*y, [x, y])
    assert same_expression(grad[0], y*sp.cos(x*y) + y)
    assert same_expression(grad[1], x*sp.cos(x*y) + x)
    assert sb.gradient("a = x*y\nb = sin(a)\nf = a + b", ["x", "y"]) == grad
    J = sb.jacobian([x*y, x + y], [x, y])
    assert isinstance(J, sp.Matrix) and J == sp.Matrix([[y, x], [1, 1]])


def test_t3_scalar_mlp_gradient():
    program = "x1 = (w1*x0 + b1)**2\nx2 = (w2*x1 + b2)**2\nJ = (x2 - y)**2/2"
    values = {sp.Symbol(k): v for k, v in dict(x0=1, w1=2, b1=1, w2=1, b2=-8, y=0).items()}
    for nodes in ("operations", "statements"):
        G = sb.build_graph(program, nodes=nodes)
        for mode in ("reverse", "forward"):
            grad = sb.gradient(G, ["w1", "b1", "w2", "b2"], mode=mode)
            assert [g.xreplace(values) for g in grad] == [12, 12, 18, 2]


def test_default_wrt_is_all_inputs_sorted_by_name():
    x, y, a = sp.symbols("x y a")
    assert sb.gradient(a*x + y) == [x, a, 1]


def test_absent_variable_has_zero_derivative_like_sympy_diff():
    x, y, z = sp.symbols("x y z")
    assert sb.gradient(x*y, [x, z]) == [y, 0]
    assert sb.gradient("f = x*y", ["q"]) == [0]


def test_symbol_assumptions_are_kept_and_names_resolve():
    x = sp.Symbol("x", positive=True)
    grad = sb.gradient(sp.sqrt(x**2) + sp.log(x), [x])
    assert grad == [1 + 1/x]
    assert sb.gradient(sp.log(x), ["x"]) == [1/x]


def test_constant_and_identity_functions():
    x = sp.Symbol("x")
    assert sb.gradient(x, [x]) == [1]
    assert sb.gradient(sp.Integer(3), [x]) == [0]
    assert sb.gradient("f = 2", ["x"]) == [0]


def test_jacobian_modes_agree_and_program_outputs():
    x, y = sp.symbols("x y")
    fs = [sp.sin(x*y), x*y, sp.exp(x) + y**2]
    reverse = sb.jacobian(fs, [x, y])
    forward = sb.jacobian(fs, [x, y], mode="forward")
    expected = sp.Matrix([[sp.diff(f, v) for v in (x, y)] for f in fs])
    assert (reverse - expected).applyfunc(sp.expand) == sp.zeros(3, 2)
    assert (forward - expected).applyfunc(sp.expand) == sp.zeros(3, 2)
    J = sb.jacobian("a = x*y\nb = sin(a)\nf = a + b", ["x", "y"], outputs=["a", "f"])
    assert J.shape == (2, 2) and J.row(0) == sp.Matrix([[y, x]])


def test_bad_arguments():
    x, y = sp.symbols("x y")
    with pytest.raises(InputError, match="mode"):
        sb.gradient(x*y, [x], mode="sideways")
    with pytest.raises(InputError, match="not a variable"):
        sb.gradient(x*y, [x*y])
    with pytest.raises(InputError, match="intermediate"):
        sb.gradient("a = x*y\nf = sin(a)", ["a"])
    with pytest.raises(InputError, match="outputs"):
        sb.gradient([x, y], [x])
    with pytest.raises(InputError, match="form"):
        sb.gradient(x, [x], form="table")
    with pytest.raises(InputError):
        sb.gradient(x, 3)
    with pytest.raises(InputError, match="not assigned"):
        sb.jacobian("a = x*y\nf = sin(a)", ["x"], outputs=["zz"])


def _calls(function, run) -> int:
    """How often ``function`` (through its boundary wrapper or not) runs during ``run()``."""
    import sys

    code = getattr(function, "__wrapped__", function).__code__
    count = 0

    def profile(frame, event, arg):
        nonlocal count
        if event == "call" and frame.f_code is code:
            count += 1

    sys.setprofile(profile)
    try:
        run()
    finally:
        sys.setprofile(None)
    return count


def test_a_graph_is_validated_once_at_the_boundary():
    from symbackslash.graph.check import check_graph

    x, y = sp.symbols("x y")
    G = sb.build_graph(sp.sin(x * y) + x * y)
    assert _calls(check_graph, lambda: sb.gradient(G, [x, y])) == 1  # the given graph, once
    assert _calls(check_graph, lambda: sb.gradient("sin(x*y) + x*y", ["x", "y"])) == 0
    assert _calls(check_graph, lambda: sb.gradient("sin(x*y) + x*y", ["x", "y"],
                                                   form="program")) == 0


def test_simplify_option_off_tidy_full():
    """Three levels, all equal to sympy.diff; "full" is the shortest."""
    import sympy as sp

    import symbackslash as sb
    x, y = sp.symbols("x y")
    f = y * (sp.sin(x)**2 + sp.cos(x)**2) + x*y
    for level in ("off", "tidy", "full"):
        g = sb.gradient(f, [x, y], simplify=level)
        assert [sp.simplify(d - sp.diff(f, v)) for d, v in zip(g, [x, y], strict=True)] == [0, 0]
    assert sb.gradient(f, [x, y], simplify="full")[1] == x + 1
    assert sp.count_ops(sb.gradient(f, [x, y])[1]) > sp.count_ops(x + 1)
    J = sb.jacobian([f, x*y], [x, y], simplify="full")
    assert J == sp.Matrix([[y, x + 1], [y, x]])
    with pytest.raises(sb.InputError, match="simplify must be one of 'off', 'tidy', 'full'"):
        sb.gradient(f, [x], simplify="yes")
