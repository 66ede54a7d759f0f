"""The safe parser: every allowed construct, and rejected ones with their positions."""

import pytest
import sympy as sp

from symbackslash import GraphError, ParseError, Program, UnsafeInputError, parse, sigmoid, softplus
from symbackslash.parse.parser import FUNCTIONS, parse_expression, parse_program

x, y, z = sp.symbols("x y z")


@pytest.mark.parametrize("text, expected", [
    ("x", x),
    ("3", sp.Integer(3)),
    ("0.25", sp.Rational(1, 4)),
    ("1e-3", sp.Rational(1, 1000)),
    ("x + y", x + y),
    ("x - y", x - y),
    ("x * y", x*y),
    ("x / y", x/y),
    ("x ** 3", x**3),
    ("-x", -x),
    ("+x", x),
    ("(x + y) * z", (x + y)*z),
    ("x - y + z - 2", x - y + z - 2),
    ("x / y / z", x/(y*z)),
    ("2**-1", sp.Rational(1, 2)),
    ("pi * x", sp.pi*x),
    ("sigmoid(x) + softplus(y)", sigmoid(x) + softplus(y)),
    ("max(x, y, z)", sp.Max(x, y, z)),
    ("atan2(y, x)", sp.atan2(y, x)),
    ("abs(x)", sp.Abs(x)),
    ("exp(sin(x)**2) / (1 + y**2)", sp.exp(sp.sin(x)**2)/(1 + y**2)),
])
def test_allowed_constructs(text, expected):
    assert parse(text) == expected


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_every_function_in_the_table_parses(name):
    function, arity = FUNCTIONS[name]
    args = ", ".join(["x", "y", "z"][: arity or 2])
    result = parse(f"{name}({args})")
    assert result == function(*sp.symbols(["x", "y", "z"][: arity or 2]))


def test_names_are_never_resolved():
    expr = parse("E + I + S + N + beta + gamma + eval + lambda_")
    assert all(isinstance(s, sp.Symbol) for s in expr.args)
    assert {s.name for s in expr.free_symbols} == {"E", "I", "S", "N", "beta", "gamma", "eval",
                                                    "lambda_"}


def test_programs():
    p = parse("a = x*y; b = sin(a)\n# a comment\nf = a + b  # output\n")
    assert isinstance(p, Program)
    a, b, f = sp.symbols("a b f")
    assert p.assignments == ((a, x*y), (b, sp.sin(a)), (f, a + b))
    assert p.inputs == (x, y) and p.output == f and p.lines == (1, 1, 3)
    assert str(p) == "a = x*y\nb = sin(a)\nf = a + b"
    assert parse_program("x*y").assignments == ((sp.Symbol("f"), x*y),)


@pytest.mark.parametrize("text, error, construct, line, column", [
    ("x.real", UnsafeInputError, "attribute access", 1, 1),
    ("sin(x).__class__", UnsafeInputError, "attribute access", 1, 1),
    ("x[0]", UnsafeInputError, "subscript", 1, 1),
    ("'x'", UnsafeInputError, "string literal", 1, 1),
    ("b'x'", UnsafeInputError, "bytes literal", 1, 1),
    ("lambda: 1", UnsafeInputError, "lambda", 1, 1),
    ("[x for x in y]", UnsafeInputError, "list comprehension", 1, 1),
    ("import os", UnsafeInputError, "import statement", 1, 1),
    ("from os import path", UnsafeInputError, "import statement", 1, 1),
    ("def f(): pass", ParseError, "def", 1, 1),
    ("async def f(x):\n    return x", UnsafeInputError, "function definition (def)", 1, 1),
    ("a = x\nb = foo(y)", ParseError, "call", 2, 5),
    ("x + open(y)", UnsafeInputError, "call", 1, 5),
    ("sin(x, y=1)", UnsafeInputError, "keyword argument", 1, 1),
    ("x ^ 2", UnsafeInputError, "operator", 1, 1),
    ("x == 2", UnsafeInputError, "comparison", 1, 1),
    ("f'{x}'", UnsafeInputError, "f-string", 1, 1),
    ("(y := 2)", UnsafeInputError, "walrus assignment (:=)", 1, 2),
    ("2x", ParseError, "syntax", 1, 1),
    ("sin(x", ParseError, "syntax", 1, 4),
    ("x +", ParseError, "syntax", 1, 4),
    ("a = 1\nb = 2\nc = a + b)", ParseError, "syntax", 3, 10),
    ("sin", ParseError, "function name", 1, 1),
    ("sin(x, y)", ParseError, "call", 1, 1),
    ("x = 1\ny", ParseError, "expression statement", 2, 1),
    ("a.b, c = x, y", UnsafeInputError,
     "assignment target (only names, or a tuple of names)", 1, 1),
    ("1j", UnsafeInputError, "complex", 1, 1),
    ("x.y += 1", UnsafeInputError, "assignment target (only names)", 1, 1),
    ("def f(x=1):\n    return x", UnsafeInputError, "default value", 1, 9),
    ("h = x\nwhile h < 1:\n    h = 2*h", UnsafeInputError, "while loop", 2, 1),
    ("def f(x):\n    return f(x)", ParseError, "recursion", 2, 12),
])
def test_rejected_constructs_name_the_construct_and_position(text, error, construct, line, column):
    with pytest.raises(error) as info:
        parse(text)
    assert info.value.construct == construct
    assert (info.value.line, info.value.column) == (line, column)
    assert f"line {line}" in str(info.value)


@pytest.mark.parametrize("text, message", [
    ("a = b\nb = x", "use before definition: 'b' is used on line 1"),
    ("a = b; b = a", "a cycle"),
    ("a = b; b = c; c = a", "a cycle"),
    ("a = a + 1", "used in its own definition"),
    ("x += 1", "use before definition: 'x' is used on line 1"),
    ("a = x\nfor i in range(2):\n    a = b\n    b = a", "use before definition: 'b'"),
    ("sin = x", "built-in function"),
    ("pi = 3", "built-in constant"),
])
def test_program_structure_errors(text, message):
    with pytest.raises(GraphError, match=message):
        parse(text)


@pytest.mark.parametrize("text", ["", "   ", "# only a comment\n", "\n\n"])
def test_empty_input(text):
    with pytest.raises(ParseError, match="empty input"):
        parse(text)


def test_hints():
    with pytest.raises(ParseError, match="write 2\\*x"):
        parse("2x")
    with pytest.raises(ParseError, match="write x\\*\\*2"):
        parse("x^2")
    with pytest.raises(ParseError, match="allowed functions are: abs"):
        parse("foo(x)")


def test_parse_expression_refuses_programs():
    with pytest.raises(ParseError, match="expected one expression"):
        parse_expression("a = x")
    with pytest.raises(ParseError):
        parse(42)


def test_long_sums_are_one_add():
    terms = [f"x{i}" for i in range(1500)]
    result = parse(" + ".join(terms))
    assert isinstance(result, sp.Add) and len(result.args) == 1500


def test_powers_of_products_within_the_limits_are_multiplied_out_as_sympy_does():
    assert parse("((2*x)**3)**2") == sp.expand((2*x)**6) == 64*x**6
    assert parse("(3*x)**100") == 3**100 * x**100


@pytest.mark.parametrize("text, power", [
    ("(x - y**2)**2", lambda x, y: (x - y**2)**2),
    ("(1 - x)**2", lambda x, y: (1 - x)**2),
    ("(x + y)**3", lambda x, y: (x + y)**3),
    ("(x + y)**-2", lambda x, y: (x + y)**-2),
    ("(2*x - 2*y)**2", lambda x, y: (2*x - 2*y)**2),
    ("(x + sin(y))**4", lambda x, y: (x + sp.sin(y))**4),
    ("(x + y)**1", lambda x, y: x + y),
    ("(x + y)**0", lambda x, y: sp.S.One),
], ids=lambda v: v if isinstance(v, str) else "")
def test_powers_of_sums_are_sympys(text, power):
    """Integer powers of sums are built without SymPy's eval, and still exactly as SymPy
    builds them."""
    x, y = sp.symbols("x y")
    assert sp.srepr(parse(text)) == sp.srepr(power(x, y))
