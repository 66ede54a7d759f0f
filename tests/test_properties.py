"""Property tests: random expressions and random straight-line programs.

For each, the gradient equals sympy.diff, and forward mode equals reverse mode.
"""

import sympy as sp
from conftest import same_expression, same_numerically
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import symbackslash as sb

SYMBOLS = sp.symbols("x y z")
UNARY = [sp.sin, sp.cos, sp.exp, sp.tanh, sb.sigmoid, lambda e: e**2, lambda e: 1/(1 + e**2),
         lambda e: sp.log(1 + e**2), lambda e: sp.sqrt(1 + e**2)]
BINARY = [sp.Add, sp.Mul, lambda a, b: a - b, lambda a, b: a*b + a]

leaves = st.sampled_from(SYMBOLS) | st.integers(1, 3).map(sp.Integer)
expressions = st.recursive(
    leaves,
    lambda inner: st.one_of(
        st.tuples(st.sampled_from(UNARY), inner).map(lambda t: t[0](t[1])),
        st.tuples(st.sampled_from(BINARY), inner, inner).map(lambda t: t[0](t[1], t[2]))),
    max_leaves=10)

PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def check(function, text_or_expr, variables):
    reverse = sb.gradient(text_or_expr, variables)
    forward = sb.gradient(text_or_expr, variables, mode="forward")
    symbols = [sp.Symbol(str(v)) for v in variables]
    for v, r, f in zip(symbols, reverse, forward, strict=True):
        expected = sp.diff(function, v)
        assert same_numerically(r, expected, SYMBOLS)
        assert same_expression(r, expected)
        assert same_expression(r, f)


@PROPERTY
@given(expressions)
def test_random_expressions(expr):
    check(expr, expr, list(SYMBOLS))


@st.composite
def programs(draw):
    names = [s.name for s in SYMBOLS]
    lines, values = [], {s.name: s for s in SYMBOLS}
    for k in range(draw(st.integers(1, 7))):
        name = f"t{k}"
        a, b = draw(st.sampled_from(names)), draw(st.sampled_from(names))
        op = draw(st.sampled_from(["+", "*", "-", "sin", "exp", "tanh", "sq", "mix"]))
        text, value = {
            "+": (f"{a} + {b}", values[a] + values[b]),
            "*": (f"{a} * {b}", values[a] * values[b]),
            "-": (f"{a} - 2*{b}", values[a] - 2*values[b]),
            "sin": (f"sin({a})", sp.sin(values[a])),
            "exp": (f"exp({a}) / (1 + {b}**2)", sp.exp(values[a]) / (1 + values[b]**2)),
            "tanh": (f"tanh({a} * {b} + 1)", sp.tanh(values[a]*values[b] + 1)),
            "sq": (f"({a} - {b})**2", (values[a] - values[b])**2),
            "mix": (f"{a}*{b} + sin({a}*{b})", values[a]*values[b] + sp.sin(values[a]*values[b])),
        }[op]
        lines.append(f"{name} = {text}")
        values[name] = value
        names.append(name)
    return "\n".join(lines), values[f"t{k}"]


@PROPERTY
@given(programs())
def test_random_programs(program):
    text, inlined = program
    check(inlined, text, ["x", "y", "z"])
