"""Fuzzing the public boundary: arbitrary text and arbitrary Python-like source.

Whatever comes in, only a valid result or one of our errors comes out, within a deadline per
example; an :class:`InputError` made at the boundary from a Python exception must not come
from symbackslash's own code (``internal``), which would be a crash in disguise.
"""

import math
import re
import warnings
from datetime import timedelta

import sympy as sp
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import symbackslash as sb

FUZZ = settings(max_examples=120, deadline=timedelta(seconds=3),
                suppress_health_check=[HealthCheck.too_slow])

NAMES = ["x", "y", "z", "a", "b", "f", "E", "I", "S", "N", "beta", "gamma", "eval", "open",
         "__import__", "__class__", "lambda_", "sin", "cos", "exp", "log", "sqrt", "abs",
         "max", "min", "relu", "sigmoid", "atan2", "tanh", "pi", "foo", "print", "os"]
NUMBERS = ["0", "1", "2", "3", "0.5", "1e-3", "1e400", "10**9", "9**9", "1_000", "0x1f", "2j",
           "0.0", "007", "1" * 40]
SYMBOLS = ["+", "-", "*", "/", "**", "//", "%", "@", "^", "==", "<", "and", "or", "not", ".",
           ",", ":", ";", "=", "(", ")", "[", "]", "{", "}", "'", '"', "#", "\n", "lambda",
           "if", "else", "for", "in", "import", "def", ":=", "*", "**", " ", "\t", "\\"]

tokens = st.lists(st.sampled_from(NAMES + NUMBERS + SYMBOLS), max_size=30)


@st.composite
def expressions(draw, depth=0):
    """Python-like expression source, mostly well-formed, some of it outside the allow-list."""
    if depth > 3 or draw(st.integers(0, 3)) == 0:
        return draw(st.sampled_from(NAMES[:12] + NUMBERS[:8]))
    kind = draw(st.sampled_from(["binary", "binary", "unary", "call", "call", "paren", "odd"]))
    left = draw(expressions(depth + 1))
    if kind == "binary":
        op = draw(st.sampled_from(["+", "-", "*", "/", "**", "+", "*", "//", "%", "==", "^"]))
        return f"{left} {op} {draw(expressions(depth + 1))}"
    if kind == "unary":
        return f"{draw(st.sampled_from(['-', '+', 'not ', '~']))}{left}"
    if kind == "call":
        name = draw(st.sampled_from(NAMES[17:] + ["eval", "open", "__import__"]))
        args = [left] + draw(st.lists(expressions(depth + 1), max_size=2))
        return f"{name}({', '.join(args)})"
    if kind == "paren":
        return f"({left})"
    return draw(st.sampled_from([f"{left}.real", f"{left}[0]", f"lambda: {left}",
                                 f"[{left} for x in y]", f"f'{{{left}}}'", f"(x := {left})",
                                 f"'{left}'", f"{left} if x else y", f"sin(*{left})"]))


@st.composite
def programs(draw):
    """Several statements, mostly assignments, joined by newlines or semicolons."""
    lines = []
    for k in range(draw(st.integers(1, 5))):
        expr = draw(expressions())
        target = draw(st.sampled_from([f"t{k}", f"t{k}", "x", "sin", "lambda", "a.b", "t0"]))
        lines.append(draw(st.sampled_from([f"{target} = {expr}", f"{target} = {expr}", expr,
                                           "import os", f"{target} += {expr}"])))
    return draw(st.sampled_from(["\n", "; "])).join(lines)


def outcome(function, *args):
    """Call; return the result, or the SymbackslashError; anything else fails the test."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", sb.NonSmoothWarning)
            return function(*args)
    except sb.SymbackslashError as err:
        assert not getattr(err, "internal", False), f"symbackslash crashed: {err!r}"
        assert str(err)
        return err


def pipeline(text):
    """Parse, differentiate and evaluate; every stage may refuse, none may crash."""
    parsed = outcome(sb.parse, text)
    if isinstance(parsed, sb.SymbackslashError):
        event(f"parse: {type(parsed).__name__}")
        return
    result = outcome(sb.gradient, text)
    if isinstance(result, sb.SymbackslashError):
        event(f"gradient: {type(result).__name__}")
        return
    assert isinstance(result, list) and all(isinstance(g, sp.Basic) for g in result)
    names = sorted({s.name for g in result for s in g.free_symbols})
    value = outcome(sb.evaluate, result, {n: 0.5 + k for k, n in enumerate(names)})
    event(f"evaluate: {type(value).__name__}")
    if not isinstance(value, sb.SymbackslashError):
        assert all(math.isfinite(v) for v in value)


@FUZZ
@given(st.text(max_size=200))
def test_arbitrary_text(text):
    pipeline(text)


@FUZZ
@given(tokens.map(" ".join))
def test_token_soup(text):
    pipeline(text)


@FUZZ
@given(expressions())
def test_python_like_expressions(text):
    pipeline(text)


@FUZZ
@given(programs())
def test_python_like_programs(text):
    pipeline(text)


MATRIX_SHAPES = {"A": (2, 2), "X": (2, 2), "v": (2, 1), "W": (3, 2)}


@st.composite
def matrix_expressions(draw, depth=0):
    """Matrix text for ``parse(text, shapes=...)``: mostly matrix operations, some wrong."""
    if depth > 3 or draw(st.integers(0, 3)) == 0:
        return draw(st.sampled_from(["A", "X", "X", "v", "W", "c", "2", "0.5"]))
    kind = draw(st.sampled_from(["binary", "binary", "unary", "call", "call", "transpose",
                                 "odd"]))
    left = draw(matrix_expressions(depth + 1))
    if kind == "binary":
        op = draw(st.sampled_from(["+", "-", "*", "*", "/", "**", "@", "//"]))
        right = draw(st.sampled_from(["-1", "2", "3", "c", "X"]) if op == "**"
                     else matrix_expressions(depth + 1))
        return f"({left}) {op} ({right})"
    if kind == "unary":
        return f"-({left})"
    if kind == "call":
        name = draw(st.sampled_from(["trace", "det", "inv", "transpose", "log", "sin", "eval"]))
        return f"{name}({left})"
    if kind == "transpose":
        return f"({left}).T"
    return draw(st.sampled_from([f"({left}).real", f"({left})[0]", f"({left}).__class__",
                                 f"trace({left}, X)", f"({left}).T.T", f"{left}.T()"]))


@FUZZ
@given(matrix_expressions(), st.sampled_from(["trace({})", "det({})", "{}", "log(det({}))"]))
def test_python_like_matrix_expressions(text, outer):
    text = outer.format(text)
    used = set(re.findall(r"\b[A-Za-z_]\w*\b", text))
    shapes = {name: shape for name, shape in MATRIX_SHAPES.items() if name in used}
    parsed = outcome(sb.parse, text, shapes)
    if isinstance(parsed, sb.SymbackslashError):
        event(f"parse: {type(parsed).__name__}")
        return
    names = sorted(s.name for s in parsed.free_symbols)
    result = outcome(sb.gradient, parsed, names)
    event(f"gradient: {type(result).__name__}")
    if not isinstance(result, sb.SymbackslashError):
        for name, g in zip(names, result, strict=True):
            expected = MATRIX_SHAPES.get(name)
            assert (g.shape if isinstance(g, sp.MatrixExpr) else None) == expected or g == 0
