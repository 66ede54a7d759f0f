"""sb.eliminate: every order gives the Jacobian of sb.jacobian and of SymPy's
Matrix.jacobian; the mode orders cost what the substitutions cost; matrix functions (operator
entries) checked by central differences; the cost table; bad input."""

import pytest
import sympy as sp
from catalogue import CATALOGUE
from conftest import same_expression
from examples import INTRO, t1_graph, t2_graph, t3_graph
from matrix_catalogue import IDENTITIES

import symbackslash as sb
from symbackslash.solve.orders import ORDERS, elimination_cost

x, y, z, w = sp.symbols("x y z w")

VECTOR_FUNCTIONS = [
    ("intro_pair", [sp.sin(x*y) + x*y, sp.cos(x*y)*z], [x, y, z]),
    ("polar", [sp.sqrt(x**2 + y**2), sp.atan(y/x)], [x, y]),
    ("spherical", [x*sp.cos(y)*sp.sin(z), x*sp.sin(y)*sp.sin(z), x*sp.cos(z)], [x, y, z]),
    ("shared_exp", [sp.exp(x*y) + z, sp.exp(x*y)*w, sp.log(1 + sp.exp(x*y))], [x, y, z, w]),
    ("lorenz", [10*(y - x), x*(28 - z) - y, x*y - sp.Rational(8, 3)*z], [x, y, z]),
    ("softmax2", [sp.exp(x)/(sp.exp(x) + sp.exp(y)), sp.exp(y)/(sp.exp(x) + sp.exp(y))], [x, y]),
    ("outputs_feed_outputs", [x*y, sp.sin(x*y), x*y + z], [x, y, z]),
    ("wide", [(x + y + z + w)**2 * v for v in (x, y, z, w)], [x, y, z, w]),
]


def sympy_jacobian(fs, wrt):
    return sp.Matrix(fs).jacobian(sp.Matrix(wrt))


@pytest.mark.parametrize("order", ORDERS)
@pytest.mark.parametrize("name, fs, wrt", VECTOR_FUNCTIONS, ids=[c[0] for c in VECTOR_FUNCTIONS])
def test_every_order_gives_the_jacobian(name, fs, wrt, order):
    E = sb.eliminate(fs, wrt, order=order)
    expected = sympy_jacobian(fs, wrt)
    assert E.jacobian.shape == expected.shape
    for ours, theirs, substituted in zip(E.jacobian, expected, sb.jacobian(fs, wrt), strict=True):
        assert same_expression(ours, theirs) and same_expression(ours, substituted)


SCALARS = [case for case in CATALOGUE if not isinstance(case[1], str)][::3]


@pytest.mark.parametrize("order", ORDERS)
@pytest.mark.parametrize("name, f, wrt", SCALARS, ids=[c[0] for c in SCALARS])
def test_every_order_gives_the_gradient(name, f, wrt, order):
    E = sb.eliminate(f, wrt, order=order)
    for ours, var in zip(E.gradient, wrt, strict=True):
        assert same_expression(ours, sp.diff(f, var))


@pytest.mark.parametrize("order", ORDERS)
def test_the_papers_graphs(order):
    a, b, c, d = sp.symbols("a b c d")
    E = sb.eliminate(t1_graph(), order=order)
    assert E.jacobian == sp.Matrix([[a*c*d, b*c*d]])
    assert E.multiplications == (4 if order == "forward" else 3)
    T2 = sb.eliminate(t2_graph(), order=order)
    assert [sp.expand(v) for v in T2.jacobian] == [sp.expand(v) for v in sb.jacobian(t2_graph())]
    T3 = sb.eliminate(t3_graph(), sb.examples.T3_WRT, order=order)
    point = {sp.Symbol(k): v for k, v in sb.examples.T3_POINT.items()}
    assert [g.xreplace(point) for g in T3.gradient] == [12, 12, 18, 2]
    program = sb.eliminate(INTRO, ["x", "y"], order=order)
    for ours, theirs in zip(program.gradient, sb.gradient(INTRO, ["x", "y"]), strict=True):
        assert same_expression(ours, theirs)


def test_explicit_orders_by_symbol_or_name():
    fs = [sp.sin(x*y) + x*y, sp.cos(x*y)*z]
    by_name = sb.eliminate(fs, [x, y, z], order=["v3", "v1", "v2"])
    assert by_name.order_name == "explicit" and by_name.order == list(sp.symbols("v3 v1 v2"))
    by_symbol = sb.eliminate(fs, [x, y, z], order=list(sp.symbols("v3 v1 v2")))
    assert by_symbol.jacobian == by_name.jacobian
    assert (by_name.jacobian - sympy_jacobian(fs, [x, y, z])).expand() == sp.zeros(2, 3)


CASES = [(name, f, wrt) for name, f, wrt, _ in IDENTITIES][::2]


@pytest.mark.parametrize("order", ORDERS)
@pytest.mark.parametrize("name, f, wrt", CASES, ids=[c[0] for c in CASES])
def test_operator_entries_checked_by_central_differences(name, f, wrt, order):
    E = sb.eliminate(f, wrt, order=order)
    report = sb.check_gradient(f, wrt, E.gradient)
    assert report.passed, report


def test_mlp_by_elimination():
    net = sb.mlp([3, 4, 2], batch=5, activations=["tanh", "identity"])
    J, wrt = net.loss, net.parameters
    E = sb.eliminate(J, wrt, order="markowitz")
    assert sb.check_gradient(J, wrt, E.gradient).passed
    assert any(isinstance(update.product, sb.Operator)
               for step in E.steps for update in step.updates)


def each_multiplications(solutions):
    return sum(s.multiplications for s in solutions if s is not None)


@pytest.mark.parametrize("name, fs, wrt", VECTOR_FUNCTIONS + [(n, [f], v) for n, f, v in SCALARS],
                         ids=[c[0] for c in VECTOR_FUNCTIONS + SCALARS])
def test_mode_orders_cost_what_the_substitutions_cost(name, fs, wrt):
    G = sb.build_graph(fs)
    inputs = list(G.graph["inputs"])
    forward = sb.differentiate(G, inputs, mode="forward")
    assert sb.eliminate(G, inputs, order="forward").multiplications == \
        each_multiplications(forward.solutions)
    if len(fs) == 1:
        reverse = sb.differentiate(G, inputs, mode="reverse")
        assert sb.eliminate(G, inputs, order="reverse").multiplications == \
            each_multiplications(reverse.solutions)


def test_markowitz_beats_both_modes_and_the_cost_table():
    # a bottleneck: three inputs into x*y*z, a chain, three outputs out of it
    fs = [sp.exp(sp.sin(x*y*z))*v for v in (x, y, z)]
    costs = sb.elimination_costs(fs, [x, y, z]).as_dict()
    assert costs == {"forward": 15, "reverse": 15, "markowitz": 13, "optimal": 13}
    for name, cost in costs.items():
        assert sb.eliminate(fs, [x, y, z], order=name).multiplications == cost
    table = sb.elimination_costs(fs, orders={"mine": ["v2", "v1", "v3"]})
    assert str(table).splitlines()[0].split() == ["order", "multiplications", "elimination",
                                                  "order"]
    assert table.rows[-1][0] == "mine" and table.rows[-1][2] == sp.symbols("v2 v1 v3")


def test_the_cost_table_leaves_out_a_search_too_large():
    chain = "\n".join(["a1 = sin(x)"] + [f"a{k + 1} = sin(a{k})" for k in range(1, 6)])
    with sb.limits(max_elimination_search=3):
        table = sb.elimination_costs(chain)
        with pytest.raises(sb.ResourceLimitError, match="max_elimination_search"):
            sb.eliminate(chain, order="optimal")
    assert table.as_dict()["optimal"] is None and "not searched" in str(table)


def test_matrix_after_each_step():
    E = sb.eliminate(t1_graph(), order="reverse")
    a, b, c, d = sp.symbols("a b c d")
    assert E.I_minus_L(0) == E.system.I_minus_L
    assert E.I_minus_L(1) == sp.Matrix([[1, 0, 0, 0], [0, 1, 0, 0], [-a, -b, 1, 0],
                                        [0, 0, -c*d, 1]])
    assert E.I_minus_L() == sp.Matrix([[1, 0, 0], [0, 1, 0], [-a*c*d, -b*c*d, 1]])
    with pytest.raises(sb.InputError, match="step must be"):
        E.I_minus_L(3)


@pytest.mark.parametrize("order, message", [
    (["v9"], "not a node of the graph"), ([], "missing"), ("sideways", "order must be one of"),
    (42, "order must be one of"), (["x", "v1", "v2", "v3"], "not to be eliminated: x;"),
    # the message names the nodes (it showed the positions [4, 6] and [0] in I − L)
    (["v1"], r"\(v1, v2, v3\); missing: v2, v3;"),
    (["v1", "v1", "v2"], "missing: v3; not to be eliminated: none; repeated: v1$"),
])
def test_bad_orders_are_refused_by_name(order, message):
    with pytest.raises(sb.InputError, match=message):
        sb.eliminate([sp.sin(x*y) + x*y, sp.cos(x*y)*z], [x, y, z], order=order)


def test_a_gradient_needs_one_output_and_a_jacobian_scalars():
    with pytest.raises(sb.InputError, match="2 outputs"):
        _ = sb.eliminate([x*y, x + y]).gradient
    X = sp.MatrixSymbol("X", 2, 2)
    with pytest.raises(sb.InputError, match="matrix"):
        _ = sb.eliminate(sp.Trace(X*X), [X]).jacobian


ALL_MATRIX = [(name, f) for name, f, _, _ in IDENTITIES]


@pytest.mark.parametrize("name, f", ALL_MATRIX, ids=[c[0] for c in ALL_MATRIX])
def test_operator_costs_agree_with_the_substitutions_and_the_pattern(name, f):
    # products with ±𝓘 are free, as products with ±1 are
    G = sb.build_graph(f)
    inputs = list(G.graph["inputs"])
    forward = sb.differentiate(G, inputs, mode="forward")
    reverse = sb.differentiate(G, inputs, mode="reverse")
    costs = {order: sb.eliminate(G, inputs, order=order).multiplications for order in ORDERS}
    assert costs["forward"] == each_multiplications(forward.solutions)
    assert costs["reverse"] == each_multiplications(reverse.solutions)
    assert costs["optimal"] <= min(costs.values())
    S = sb.triangular_system(G)
    keep = [S.position(v) for v in G.graph["outputs"]]
    for order in ORDERS:
        E = sb.eliminate(G, inputs, order=order)
        pivots = [S.position(v) for v in E.order]
        assert elimination_cost(S.entries, S.n, pivots, keep=keep) == E.multiplications


def test_derivative_by_name_reads_the_entry_and_unknown_names_are_refused():
    # derivative("f_1", "x") was 0 (a name that is not a node key reads as 0), and the
    # first-order Differentiation did the same; oracle: sympy's Matrix.jacobian
    fs = [sp.sin(x*y) + x*y, sp.cos(x*y)*z]
    J = sp.Matrix(fs).jacobian([x, y, z])
    E = sb.eliminate(fs, [x, y, z], order="markowitz")
    D = sb.differentiate(fs, [x, y, z], mode="forward")
    for result in (E, D):
        for i, out in enumerate(["f_1", "f_2"]):
            for j, var in enumerate(["x", "y", z]):
                entry = result.derivative(out, var)  # in node symbols: substitute them
                for _ in range(len(result.graph)):
                    entry = entry.xreplace({v: d["expr"] for v, d in result.graph.nodes(data=True)
                                            if d["expr"] is not None})
                assert sp.simplify(entry - J[i, j]) == 0, (result, out, var)
        with pytest.raises(sb.InputError, match="'f_9' is not an output.*f_1, f_2"):
            result.derivative("f_9", "x")
        with pytest.raises(sb.InputError, match="'q' is not a variable of wrt.*x, y, z"):
            result.derivative("f_1", "q")
    with pytest.raises(sb.InputError, match="step must be 0 … 3, not 'a'"):
        E.I_minus_L("a")  # a raw TypeError


def test_elimination_costs_refuses_orders_that_are_not_a_mapping_or_shadow_a_row():
    # a list was read as an order "3" ("order must be one of … not '3'"); a row named
    # "forward" was added twice to the table
    fs = [sp.sin(x*y) + x*y, sp.cos(x*y)*z]
    with pytest.raises(sb.InputError, match="orders must be a mapping"):
        sb.elimination_costs(fs, [x, y, z], orders=["v3", "v2", "v1"])
    with pytest.raises(sb.InputError, match="orders names 'forward'"):
        sb.elimination_costs(fs, [x, y, z], orders={"forward": ["v3", "v2", "v1"]})
    table = sb.elimination_costs(fs, [x, y, z], orders={"mine": ["v3", "v2", "v1"]})
    assert table.rows[-1][:2] == ("mine", sb.eliminate(fs, [x, y, z], order="reverse")
                                  .multiplications)
