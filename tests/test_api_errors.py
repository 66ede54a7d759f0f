"""Each public function's bad-argument paths: our error type, and a message that says what.

Shape mismatches in matrix expressions are built with ``Basic.__new__``, which skips SymPy's
own check, as an expression assembled by other code could be.
"""

import networkx as nx
import numpy as np
import pytest
import sympy as sp

import symbackslash as sb
from symbackslash.parse.parser import Program

x, y = sp.symbols("x y")
a = sp.Symbol("a")
A, B, C = sp.MatrixSymbol("A", 2, 2), sp.MatrixSymbol("B", 3, 3), sp.MatrixSymbol("C", 3, 2)


def graph(*edges, **attributes):
    G = nx.DiGraph()
    for u, v, w in edges:
        G.add_edge(u, v, weight=w)
    G.graph.update(attributes)
    return G


CYCLIC = graph(("a", "b", 1), ("b", "c", 2), ("c", "a", 3))
UNDIRECTED = nx.Graph([("a", "b")])
TEXT_WEIGHT = graph(("a", "b", "__import__('os')"))
TWO_OUTPUTS = graph(("a", "b", 2), ("a", "c", 3))

CASES = [
    # parse
    (sb.parse, (42,), {}, sb.ParseError, "expected text"),
    (sb.parse, (b"x",), {}, sb.ParseError, "expected text"),
    (sb.parse_expression, ("a = x",), {}, sb.ParseError, "expected one expression"),
    (sb.parse_program, ("f + 1",), {}, sb.ParseError, "uses the name f"),
    # Program made by hand
    (Program, ((("a", "x"),), ()), {}, sb.InputError, "pair"),
    (Program, (((a, x), (a, y)), (x, y)), {}, sb.GraphError, "assigned twice"),
    (Program, (((a, sp.Symbol("b")), (sp.Symbol("b"), x)), (x,)), {}, sb.GraphError,
     "before its assignment"),
    (Program, ((), ()), {}, sb.InputError, "non-empty"),
    # build_graph and friends
    (sb.build_graph, (None,), {}, sb.InputError, "must be a SymPy expression"),
    (sb.build_graph, (sp.Matrix([x, y]),), {}, sb.InputError, "must be a SymPy expression"),
    (sb.build_graph, (sp.Eq(x, y),), {}, sb.InputError, "must be a SymPy expression"),
    (sb.build_graph, ([],), {}, sb.InputError, "empty list"),
    (sb.build_graph, (["a = x"],), {}, sb.InputError, "is a program"),
    (sb.build_graph, (x,), {"nodes": "layers"}, sb.InputError, "nodes must be"),
    (sb.build_graph, (x,), {"outputs": ["x"]}, sb.InputError, "not used with expressions"),
    (sb.build_graph, ("a = x\nf = a",), {"outputs": ["zz"]}, sb.InputError, "not assigned"),
    (sb.build_graph, (CYCLIC,), {"outputs": ["a"]}, sb.InputError, "already names"),
    (sb.check_graph, (CYCLIC,), {}, sb.GraphError, "cycle"),
    (sb.check_graph, (UNDIRECTED,), {}, sb.GraphError, "directed"),
    (sb.check_graph, (nx.MultiDiGraph([("a", "b")]),), {}, sb.GraphError, "directed"),
    (sb.check_graph, (nx.DiGraph(),), {}, sb.GraphError, "no nodes"),
    (sb.check_graph, (nx.DiGraph([("a", "b")]),), {}, sb.GraphError, "no 'weight'"),
    (sb.check_graph, (TEXT_WEIGHT,), {}, sb.GraphError, "text is never parsed"),
    (sb.check_graph, (graph(("a", "b", 1), outputs=["zz"]),), {}, sb.GraphError, "'outputs'"),
    (sb.check_graph, (graph(("a", "b", 1), inputs=5),), {}, sb.GraphError, "'inputs'"),
    (sb.node_order, (nx.DiGraph([("a", "b")]),), {}, sb.GraphError, "check_graph first"),
    (sb.node_order, ("G",), {}, sb.GraphError, "expected a networkx.DiGraph"),
    (sb.formulas, (None,), {}, sb.GraphError, "expected a networkx.DiGraph"),
    # the system and the solvers
    (sb.triangular_system, (CYCLIC,), {}, sb.GraphError, "cycle"),
    (sb.triangular_system, (TWO_OUTPUTS,), {"form": "dense"}, sb.InputError, "form must be"),
    (sb.back_substitute, ([[1, 2], [3, 1]], [1, 1]), {}, sb.InputError, "not upper triangular"),
    (sb.back_substitute, ([[1, 2], [0, 0]], [1, 1]), {}, sb.InputError, "singular"),
    (sb.back_substitute, ([[1, 2], [0, 1]], [1, 1, 1]), {}, sb.InputError, "rows"),
    (sb.back_substitute, (sp.eye(3), [1, 1]), {}, sb.InputError, "3 × 3"),
    (sb.back_substitute, (None, [1]), {}, sb.InputError, "the matrix must be"),
    (sb.back_substitute, ([[1]], None), {}, sb.InputError, "right-hand side"),
    (sb.back_substitute, ({(0,): 1}, [1]), {}, sb.InputError, "pairs"),
    (sb.back_substitute, ([[1]], [1]), {"assign": 3}, sb.InputError, "assign"),
    (sb.forward_substitute, ([[1, 2], [0, 1]], [1, 1]), {}, sb.InputError,
     "not lower triangular"),
    (sb.forward_substitute, ({(5, 0): 1, (0, 0): 1}, [1]), {}, sb.InputError, "outside"),
    (sb.path_products, (TWO_OUTPUTS, "zz", "b"), {}, sb.InputError, "zz"),
    (sb.neumann_inverse, (CYCLIC,), {}, sb.GraphError, "cycle"),
    # rules
    (sb.local_partials, ("x*y",), {}, sb.InputError, "SymPy expression"),
    (sb.register_rule, ("Add", lambda e: {}), {}, sb.InputError, "SymPy class"),
    (sb.register_rule, (sp.Add, None), {}, sb.InputError, "SymPy class and a function"),
    # gradients
    (sb.gradient, ("a = x*y\nf = sin(a)", ["a"]), {}, sb.InputError, "intermediate node"),
    (sb.gradient, (x*y, [x*y]), {}, sb.InputError, "is not a variable"),
    (sb.gradient, (x*y, 3), {}, sb.InputError, "wrt must be a list"),
    (sb.gradient, (x*y, {"x": 1}), {}, sb.InputError, "wrt must be a list"),
    (sb.gradient, ([x, y],), {}, sb.InputError, "one scalar output"),
    (sb.gradient, (TWO_OUTPUTS,), {}, sb.InputError, "one scalar output"),
    (sb.gradient, (CYCLIC,), {}, sb.GraphError, "cycle"),
    (sb.gradient, (UNDIRECTED,), {}, sb.GraphError, "directed"),
    (sb.gradient, (x,), {"mode": "sideways"}, sb.InputError, "mode must be"),
    (sb.gradient, (x,), {"form": "table"}, sb.InputError, "form must be"),
    (sb.gradient, (x,), {"form": "program", "wrt": [x*y]}, sb.InputError, "not a variable"),
    (sb.gradient, ([x, y],), {"form": "program"}, sb.InputError, "one scalar output"),
    (sb.gradient, (sp.Integral(x, (x, 0, 1)) + sp.zoo,), {}, sb.InputError, "zoo"),
    (sb.jacobian, ([],), {}, sb.InputError, "empty list"),
    (sb.jacobian, ("a = x\nb = a*2",), {"outputs": [3]}, sb.InputError, "not assigned"),
    (sb.jacobian, ([x, "a = x"],), {}, sb.InputError, "is a program"),
    (sb.differentiate, (x,), {"mode": None}, sb.InputError, "mode must be"),
    (sb.nonsmooth_points, (None,), {}, sb.InputError, "must be a SymPy expression"),
    (sb.evaluate, (x, None), {}, sb.InputError, "point must be a dict"),
    (sb.evaluate, (x, {"y": 1}), {}, sb.InputError, "no value for x"),
    # matrices: shapes that do not fit, values of the wrong shape, non-scalar outputs
    (sb.gradient, (sp.Trace(sp.Basic.__new__(sp.MatAdd, A, B)), [A]), {}, sb.GraphError,
     "do not fit"),
    (sb.gradient, (sp.Trace(sp.Basic.__new__(sp.HadamardProduct, A, B)), [A]), {},
     sb.GraphError, "do not fit"),
    (sb.gradient, (sp.Trace(sp.Basic.__new__(sp.MatMul, A, C, A)), [A]), {}, sb.InputError,
     "not aligned"),
    (sb.gradient, (A * A, [A]), {}, sb.InputError, "needs a scalar"),
    (sb.jacobian, ([sp.Trace(A)], [A]), {}, sb.InputError, "is a matrix"),
    (sb.gradient, (A * A, [A]), {"form": "program"}, sb.InputError, "needs a scalar"),
    (sb.gradient, (x,), {"form": "program", "mode": "forward"}, sb.InputError,
     "reverse mode"),
    (sb.LeftMultiply(B), (A,), {}, sb.InputError, "3 rows"),
    (sb.Hadamard(A), (B,), {}, sb.InputError, "shape 2 × 2"),
    (sb.LeftMultiply, (None,), {}, sb.InputError, "must be a SymPy Matrix"),
    (sb.transpose_dot, ("A",), {}, sb.InputError, "must be a SymPy Matrix"),
    (sb.vec, ("A",), {}, sb.InputError, "needs a matrix"),
    (sb.evaluate, (sp.Trace(A), {A: np.ones((3, 3))}), {}, sb.InputError, "shape"),
    (sb.evaluate, (sp.Trace(A), {A: [["1", 0], [0, 1]]}), {}, sb.InputError, "not text"),
    (sb.evaluate, (sp.Trace(A.I), {A: np.zeros((2, 2))}), {}, sb.EvaluationDomainError,
     "Singular"),
    (sb.evaluate, (sp.log(sp.Determinant(A)), {A: np.diag([1.0, -1.0])}), {},
     sb.EvaluationDomainError, "nan"),
    (sb.mlp, ([2, -1],), {"batch": 3}, sb.InputError, "positive integers"),
    (sb.mlp, ([2, 2],), {"batch": 3, "activations": ["__import__"]}, sb.InputError,
     "unknown activation"),
    # limits
    (sb.set_limits, (), {"max_nodes": -5}, sb.InputError, "positive number"),
    (sb.set_limits, (), {"max_node": 5}, sb.InputError, "unknown limit"),
]


@pytest.mark.parametrize("function, args, kwargs, error, message", CASES,
                         ids=[f"{getattr(c[0], '__name__', type(c[0]).__name__)}-{k}"
                              for k, c in enumerate(CASES)])
def test_bad_arguments(function, args, kwargs, error, message):
    with pytest.raises(error, match=message) as info:
        function(*args, **kwargs)
    assert not getattr(info.value, "internal", False)


def test_a_variable_that_does_not_occur_has_derivative_zero():
    # As with sympy.diff: not an error. Asking for a node that is not an input is one (above).
    assert sb.gradient(x*y, ["a", y]) == [0, x]


def test_graph_errors_name_the_place():
    with pytest.raises(sb.GraphError, match="a → b → c → a"):
        sb.gradient(CYCLIC)
    G = graph(("a", "b", 1), ("b", "c", 1))
    G.nodes["a"]["index"], G.nodes["b"]["index"], G.nodes["c"]["index"] = 2, 1, 3
    with pytest.raises(sb.GraphError, match="the edge a → b goes from index 2 to 1"):
        sb.gradient(G)


def test_a_good_hand_made_graph_still_works():
    G = graph(("p", "q", sp.Symbol("c")), ("q", "r", 2))
    assert sb.gradient(G) == [2*sp.Symbol("c")]


def test_messages_name_what_exists_and_what_jacobian_supports():
    import sympy as sp
    A, x = sp.MatrixSymbol("A", 3, 3), sp.MatrixSymbol("x", 3, 1)
    with pytest.raises(sb.InputError, match="jacobian differentiates a list of scalar"):
        sb.jacobian(A*x, [x])
    with pytest.raises(sb.InputError, match=r"differentiate\(f, wrt\)\.derivative\(output"):
        sb.jacobian([sp.Trace(A)], [A])
    assert hasattr(sb.differentiate(sp.Trace(A), [A]), "derivative")   # the method named
