"""Nodes rebuilt on node symbols are SymPy's canonical expressions (the builder skips
SymPy's eval for functions of plain symbols, which would return them unchanged)."""

import pytest
import sympy as sp

import symbackslash as sb
from symbackslash.parse.syntax import FUNCTIONS

x, y = sp.symbols("x y")
p = sp.Symbol("p", positive=True)


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_function_nodes_are_canonical(name):
    function, arity = FUNCTIONS[name]
    args = [2*x + y, x*y, x - y][:arity or 2]
    f = function(*args) * x + function(*(a + p for a in args))
    G = sb.build_graph(f)
    heads = 0
    for v in G:
        e = G.nodes[v]["expr"]
        if e is not None and e.args and e.func is function:
            heads += 1
            evaluated = e.func(*e.args)
            assert sp.srepr(e) == sp.srepr(evaluated)
    assert heads >= 1 or not f.has(function)
