"""Every limit: its documented default, refused past it (naming it), accepted once raised."""

import dataclasses
import math
import re
import threading
import time
from pathlib import Path

import networkx as nx
import pytest
import sympy as sp

import symbackslash as sb
from symbackslash.core.limits import check_expression, integer_digits, measure

x, y = sp.symbols("x y")

DEFAULTS = {"max_chars": 1_000_000, "max_statements": 50_000, "max_depth": 100,
            "max_nodes": 200_000, "max_int_digits": 1_000, "max_exponent": 10_000,
            "max_paths": 10_000,
            "simplify_seconds": 1.0, "max_elimination_search": 12,
            "max_matrix_entries": 1_000_000, "max_matrix_factors": 50}


def test_documented_defaults():
    assert dataclasses.asdict(sb.Limits()) == DEFAULTS
    doc = sb.Limits.__doc__
    for name, value in DEFAULTS.items():
        assert name in doc
        shown = f"{value:,}" if isinstance(value, int) else f"{value:g} s"
        assert f"default {shown}" in doc, name


def chain_program(n):
    return "a0 = x\n" + "\n".join(f"a{k} = sin(a{k - 1})" for k in range(1, n))


# (limit, small value to set, a call over it, a call within it)
CASES = [
    ("max_chars", 10, lambda: sb.parse("x" * 11), lambda: sb.parse("x" * 10)),
    ("max_statements", 3, lambda: sb.parse("a = x\nb = a\nc = b\nd = c"),
     lambda: sb.parse("a = x\nb = a\nc = b")),
    ("max_depth", 3, lambda: sb.parse("sin(cos(tan(x)))"), lambda: sb.parse("sin(cos(x))")),
    ("max_depth", 3, lambda: sb.gradient(sp.sin(sp.cos(sp.tan(x)))),
     lambda: sb.gradient(sp.sin(sp.cos(x)))),
    ("max_depth", 10, lambda: sb.gradient(chain_program(12)),
     lambda: sb.gradient(chain_program(8))),
    ("max_nodes", 4, lambda: sb.build_graph(sp.sin(x*y) + x),
     lambda: sb.build_graph(sp.sin(x) + x)),
    ("max_nodes", 30, lambda: sb.triangular_system(sb.build_graph(chain_program(5))).L,
     lambda: sb.triangular_system(sb.build_graph(chain_program(4))).L),
    ("max_int_digits", 5, lambda: sb.parse("123456"), lambda: sb.parse("12345")),
    ("max_int_digits", 5, lambda: sb.parse("0x12345678"), lambda: sb.parse("0x1234")),
    ("max_int_digits", 5, lambda: sb.parse("10**6"), lambda: sb.parse("10**4")),
    ("max_int_digits", 5, lambda: sb.parse("1.5e7"), lambda: sb.parse("1.5e3")),
    ("max_int_digits", 5, lambda: sb.gradient(sp.Integer(123456)*x),
     lambda: sb.gradient(sp.Integer(12345)*x)),
    ("max_exponent", 100, lambda: sb.parse("x**101"), lambda: sb.parse("x**100")),
    ("max_exponent", 100, lambda: sb.gradient(sp.Pow(x, 101)), lambda: sb.gradient(sp.Pow(x, 100))),
    ("max_exponent", 100, lambda: sb.parse("1e-101 * x"), lambda: sb.parse("1e-99 * x")),
    ("max_matrix_entries", 8, lambda: sb.parse("trace(X)", shapes={"X": (3, 3)}),
     lambda: sb.parse("trace(X)", shapes={"X": (2, 2)})),
    ("max_matrix_factors", 3, lambda: sb.parse("trace(X**4)", shapes={"X": (2, 2)}),
     lambda: sb.parse("trace(X**-3)", shapes={"X": (2, 2)})),
    ("max_matrix_factors", 3, lambda: sb.parse("trace(X*X.T*X*X)", shapes={"X": (2, 2)}),
     lambda: sb.parse("trace(2*X*X.T*X)", shapes={"X": (2, 2)})),
]


@pytest.mark.parametrize("limit, value, over, within", CASES,
                         ids=[f"{c[0]}-{k}" for k, c in enumerate(CASES)])
def test_each_limit_is_named_and_can_be_raised(limit, value, over, within):
    with sb.limits(**{limit: value}):
        within()
        with pytest.raises(sb.ResourceLimitError) as info:
            over()
        assert info.value.limit == limit
        assert f"set_limits({limit}=...)" in str(info.value)
    with sb.limits(**{limit: value * 10}):
        over()  # raised: the same input is accepted


def test_huge_sympy_power_is_refused_before_it_is_materialised():
    huge = sp.Mul(sp.Pow(9, 10**9, evaluate=False), x, evaluate=False)
    start = time.perf_counter()
    with pytest.raises(sb.ResourceLimitError) as info:
        sb.gradient(huge)
    assert info.value.limit == "max_exponent"
    assert time.perf_counter() - start < 1.0
    with pytest.raises(sb.ResourceLimitError, match="max_int_digits"):
        sb.gradient(sp.Mul(sp.Pow(9, 5000, evaluate=False), x, evaluate=False))


def test_parser_limits_are_enforced_before_the_work_grows():
    # A megabyte of statements is refused without parsing it (ast.parse takes seconds).
    text = "a=1\n" * 250_000
    start = time.perf_counter()
    with pytest.raises(sb.ResourceLimitError, match="max_statements"):
        sb.parse(text)
    assert time.perf_counter() - start < 1.0


@pytest.mark.parametrize("text", [
    "(" * 201 + "x" + ")" * 201,
    "+".join(["x"] * 20_000),
    "*".join(["x"] * 20_000),
])
def test_pythons_own_parser_limits_say_what_to_do(text):
    with pytest.raises(sb.ResourceLimitError) as info:
        sb.parse(text)
    assert info.value.limit == "python_parser"
    assert "split" in str(info.value) and "set_limits" not in str(info.value)


def test_long_chains_below_pythons_limit_are_fine():
    assert len(sb.parse("+".join(f"x{k}" for k in range(2000))).args) == 2000


def test_statement_count_ignores_comments_brackets_and_blank_lines():
    text = "a = (x +\n y)\n\n# comment; with a semicolon\nb = a  # c; d\n"
    with sb.limits(max_statements=2):
        assert len(sb.parse(text).assignments) == 2
    with sb.limits(max_statements=1), pytest.raises(sb.ResourceLimitError):
        sb.parse(text)


def test_closed_forms_are_measured_before_they_are_built():
    # Each line doubles the written-out size: 2**40 parts, refused at once; the program
    # form of the same gradient stays as long as the program.
    text = "b0 = x\n" + "\n".join(f"b{k} = sin(b{k - 1}) + cos(b{k - 1})" for k in range(1, 41))
    start = time.perf_counter()
    with pytest.raises(sb.ResourceLimitError) as info:
        sb.gradient(text)
    assert info.value.limit == "max_nodes" and time.perf_counter() - start < 5.0
    assert isinstance(info.value.partial["system"], sb.TriangularSystem)
    program = sb.gradient(text, form="program")
    assert len(program.assignments) < 10 * 41


def test_a_sum_whose_closed_form_is_a_product_is_measured_as_one():
    """a = b + c with b = c = a0²: the sum's closed form is the product 2·a0², whose powers
    multiply out its number; a bound that counted a power of a sum as not multiplied out
    would let 3^(2^26) through."""
    lines = ["a0 = 3*x"]
    for k in range(1, 27):
        lines += [f"b{k} = a{k - 1}**2", f"c{k} = a{k - 1}**2", f"a{k} = b{k} + c{k}"]
    with pytest.raises(sb.ResourceLimitError) as info:
        sb.gradient("\n".join(lines))
    assert info.value.limit in ("max_int_digits", "max_exponent")


def test_deep_program_keeps_earlier_stages():
    with pytest.raises(sb.ResourceLimitError) as info:
        sb.gradient(chain_program(300))
    assert info.value.limit == "max_depth"
    assert len(info.value.partial["graph"]) == 301 and info.value.partial["system"].n == 301
    program = sb.gradient(chain_program(300), form="program")
    f = program.lambdify()
    (value,) = f(0.5)
    assert math.isfinite(value)


def test_a_long_program_is_refused_before_its_closed_form_is_solved():
    # 5,000 lines of a = sin(a): solving first cost minutes (products of thousands of
    # cosines); measured first, the refusal takes time linear in the program.
    text = "a = x\n" + "a = sin(a)\n" * 5000
    start = time.perf_counter()
    with pytest.raises(sb.ResourceLimitError) as info:
        sb.gradient(text)
    assert info.value.limit == "max_depth" and "differentiation" not in info.value.partial
    assert time.perf_counter() - start < 20  # minutes before; about a second now
    for refused in (lambda: sb.jacobian(text), lambda: sb.derivation(text),
                    lambda: sb.derivation(text, order=2), lambda: sb.hessian(text),
                    lambda: sb.hvp(text, ["x"], [1])):
        start = time.perf_counter()
        with pytest.raises(sb.ResourceLimitError, match="nested 101 levels"):
            refused()
        assert time.perf_counter() - start < 20
    (value,) = sb.gradient(text, form="program").lambdify()(0.5)
    expected, a = 1.0, 0.5  # d/dx of sin∘…∘sin at 0.5: the product of cos along the chain
    for _ in range(5000):
        expected, a = expected * math.cos(a), math.sin(a)
    assert value == pytest.approx(expected, rel=1e-9)


def test_set_limits_is_process_wide_and_returns_the_previous():
    previous = sb.set_limits(max_depth=7)
    try:
        assert previous.max_depth == 100 and sb.get_limits().max_depth == 7
        seen = []
        thread = threading.Thread(target=lambda: seen.append(sb.get_limits().max_depth))
        thread.start()
        thread.join()
        assert seen == [7]
    finally:
        sb.set_limits(**dataclasses.asdict(previous))
    assert sb.get_limits() == sb.Limits()


def test_limits_block_holds_for_its_own_thread_only():
    inside, other = threading.Event(), []

    def worker():
        inside.wait(5)
        other.append(sb.get_limits().max_chars)

    thread = threading.Thread(target=worker)
    thread.start()
    with sb.limits(max_chars=5):
        inside.set()
        thread.join()
        assert sb.get_limits().max_chars == 5
    assert other == [1_000_000]
    assert sb.get_limits().max_chars == 1_000_000


@pytest.mark.parametrize("changes", [{"max_char": 5}, {"max_chars": 0}, {"max_chars": -1},
                                     {"max_chars": "10"}, {"max_chars": True},
                                     {"max_chars": float("nan")}, {"max_chars": None}])
def test_bad_limit_values(changes):
    with pytest.raises(sb.InputError):
        sb.set_limits(**changes)
    with pytest.raises(sb.InputError), sb.limits(**changes):
        pass
    assert sb.get_limits() == sb.Limits()


def test_infinity_means_no_limit():
    with sb.limits(max_chars=math.inf):
        assert sb.parse("x" * 1_000_001) == sp.Symbol("x" * 1_000_001)


def test_check_expression_refuses_non_finite_constants():
    for bad in [sp.nan, sp.zoo, sp.oo, -sp.oo, sp.I]:
        with pytest.raises(sb.InputError):
            check_expression(x + bad)
        with pytest.raises(sb.InputError):
            sb.gradient(sp.Add(x, bad, evaluate=False))


def test_measure_counts_shared_parts_once_in_time_but_fully_in_size():
    e = x
    for _ in range(60):
        e = sp.Add(sp.sin(e), sp.cos(e), evaluate=False)
    depth, size = measure(e)
    assert depth == 2 * 60 + 1
    assert size == 2**62 - 3  # T(k) = 3 + 2 T(k - 1), T(0) = 1; found in linear time


def test_integer_digits_never_converts_to_text():
    assert [integer_digits(10**k) for k in (0, 1, 5, 9999)] == [1, 2, 6, 10000]
    assert integer_digits(10**5000 - 1) in (5000, 5001)


def test_hand_made_graph_is_held_to_the_limits():
    G = nx.DiGraph()
    G.add_edge("a", "b", weight=sp.Pow(2, 10**6, evaluate=False))
    with pytest.raises(sb.ResourceLimitError, match="max_exponent"):
        sb.gradient(G)


def test_readme_limits_table_matches_the_defaults():
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Safety and limits", 1)[1]
    rows = dict(re.findall(r"^\| `(\w+)` \| ([\d,.]+) \|", section, flags=re.MULTILINE))
    assert {name: float(value.replace(",", "")) for name, value in rows.items()} == DEFAULTS


def test_a_closed_form_derivative_over_max_nodes_is_refused():
    # 9 lines of a = sin(a) + cos(a): the values are within the limits, but the derivative
    # written out has ~700,000 parts; printing it walked the tree for minutes (13 lines:
    # 179 million parts). Refused as node values are; the program form stays short.
    text = "a = x\n" + "a = sin(a) + cos(a)\n" * 9
    with pytest.raises(sb.ResourceLimitError, match="parts written out") as info:
        sb.gradient(text)
    assert info.value.limit == "max_nodes"
    assert isinstance(info.value.partial["differentiation"], sb.Differentiation)
    with sb.limits(max_nodes=10**6):
        (derivative,) = sb.gradient(text)
    (compiled,) = sb.gradient(text, form="program").lambdify()(0.3)
    assert float(derivative.subs(sp.Symbol("x"), 0.3)) == pytest.approx(compiled, rel=1e-9)
