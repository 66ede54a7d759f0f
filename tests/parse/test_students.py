"""Code as students write it: loops, reassignment, tuple assignment, def and helpers (text),
Python functions (traced), micrograd's test_more_ops. Every derivative is checked against
``sympy.diff`` of the equivalent expression, built here independently, in closed form,
forward mode and program form."""

import pytest
import sympy as sp

import symbackslash as sb
from symbackslash.parse.trace import trace

x, y, w, a, b = sp.symbols("x y w a b")


POINTS = [{x: 0.3, y: -0.7, w: 0.9, a: 1.1, b: 0.4}, {x: -1.2, y: 0.6, w: -0.4, a: -0.3, b: 1.3}]


def _equal(u, v) -> bool:
    """Equal as functions: the same value at two points (to 10 digits; SymPy's simplify is
    too slow on unrolled loops), in the inputs only."""
    u, v = sp.sympify(u), sp.sympify(v)
    if not u.free_symbols <= {x, y, w, a, b}:  # a node name left in a closed form
        return False
    args = [x, y, w, a, b]
    left, right = (sp.lambdify(args, e, modules="mpmath") for e in (u, v))
    for p in POINTS:
        lv, rv = complex(left(*(p[s] for s in args))), complex(right(*(p[s] for s in args)))
        if abs(lv - rv) > 1e-10 * (1 + abs(rv)):
            return False
    return True


def _tanh_loop():
    h = x
    for _ in range(4):
        h = sp.tanh(w*h + 1)
    return h**2


def _nested():
    h = x
    for i in range(2):
        for j in range(3):
            h = sp.sin(h*y + i - j)
    return h


def _tuple():
    p, q = x, y
    for _ in range(3):
        p, q = q, p*q
    return p + q


def _helper():
    def sq(u):
        t = u*u
        return t + 1
    return sq(sq(x) + y) * sq(y)


CASES = [
    ("loop", "def f(x, w):\n    h = x\n    for i in range(4):\n        h = tanh(w*h + 1)\n"
             "    return h**2", _tanh_loop(), [x, w]),
    ("nested loops, loop variables as numbers",
     "h = x\nfor i in range(2):\n    for j in range(3):\n        h = sin(h*y + i - j)",
     _nested(), [x, y]),
    ("tuple assignment", "p, q = x, y\nfor k in range(3):\n    p, q = q, p*q\nf = p + q",
     _tuple(), [x, y]),
    ("helper inlined at each call",
     "def sq(u):\n    t = u*u\n    return t + 1\n\ndef f(x, y):\n    return sq(sq(x) + y) * sq(y)",
     _helper(), [x, y]),
    ("augmented assignment", "h = x\nh += y\nh *= h\nh -= x\nh /= y\nh **= 2",
     ((((x + y)**2) - x) / y)**2, [x, y]),
]


@pytest.mark.parametrize("text, expected, wrt", [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])
def test_text_programs_match_sympy_diff(text, expected, wrt):
    reverse = sb.gradient(text, wrt)
    forward = sb.gradient(text, wrt, mode="forward")
    program = sb.gradient(text, wrt, form="program")
    closed = program.closed_form()
    for k, v in enumerate(wrt):
        oracle = sp.diff(expected, v)
        assert _equal(reverse[k], oracle)
        assert _equal(forward[k], oracle)
        assert _equal(closed[k], oracle)


def test_versions_are_the_users_names():
    program = sb.parse("def f(x, w):\n    h = x\n    for i in range(3):\n        h = tanh(w*h + i)"
                       "\n    x = h\n    return x*2")
    assert [s.name for s in program.names] == ["h", "h_2", "h_3", "h_4", "x_2", "f"]
    assert program.inputs == (x, w)  # the parameters, in order: the default wrt
    assert program.notes[1:4] == ("i = 0", "i = 1", "i = 2")
    assert program.assignments[3][1] == sp.tanh(w*sp.Symbol("h_3") + 2)
    # a name the text uses itself is skipped
    assert [s.name for s in sb.parse("h = h_2\nh = h*2").names] == ["h", "h_3"]


def test_tuple_assignment_is_simultaneous():
    program = sb.parse("a = x\nb = y\na, b = b, a*b")
    assert dict(program.assignments)[sp.Symbol("b_2")] == sp.Symbol("a") * sp.Symbol("b")
    assert dict(program.assignments)[sp.Symbol("a_2")] == sp.Symbol("b")


def test_a_huge_loop_is_refused_before_unrolling():
    with pytest.raises(sb.ResourceLimitError, match="unrolls"):
        sb.parse("h = x\nfor i in range(10**9):\n    h = sin(h)")
    with sb.limits(max_statements=10):
        with pytest.raises(sb.ResourceLimitError):
            sb.parse("h = x\nfor i in range(11):\n    h = sin(h)")
        assert len(sb.parse("h = x\nfor i in range(9):\n    h = sin(h)").assignments) == 10


@pytest.mark.parametrize("text, hint", [
    ("h = x\nwhile h < 1:\n    h = 2*h", "unroll it"),
    ("def f(x):\n    if x > 0:\n        x = -x\n    return x", "max(a, b)"),
    ("def f(x):\n    return f(x)", "for loop over range"),
    ("h = x\nfor i in range(n):\n    h = sin(h)", "whole numbers"),
    ("def f(x, y=1):\n    return x", "every parameter is an input"),
])
def test_refusals_say_what_to_write_instead(text, hint):
    with pytest.raises(sb.SymbackslashError, match="line") as info:
        sb.parse(text)
    assert hint in str(info.value)
    assert info.value.line is not None and info.value.column is not None


# --------------------------------------------------------------------------- micrograd

MORE_OPS = """\
c = a + b
d = a * b + b**3
c += c + 1
c += 1 + c + (-a)
d += d * 2 + (b + a).relu()
d += 3 * d + (b - a).relu()
e = c - d
f = e**2
g = f / 2.0
g += 10.0 / f
"""


def more_ops(a, b):  # micrograd's test_more_ops, as a Python function
    c = a + b
    d = a * b + b**3
    c += c + 1
    c += 1 + c + (-a)
    d += d * 2 + (b + a).relu()
    d += 3 * d + (b - a).relu()
    e = c - d
    f = e**2
    g = f / 2.0
    g += 10.0 / f
    return g


def _more_ops_oracle():
    """The same computation as one SymPy expression (relu as Max(0, ·)), for sympy.diff."""
    c = a + b
    d = a*b + b**3
    c = c + c + 1
    c = c + 1 + c - a
    d = d + d*2 + sp.Max(0, b + a)
    d = d + 3*d + sp.Max(0, b - a)
    f = (c - d)**2
    return f/2 + 10/f


@pytest.mark.parametrize("source", [MORE_OPS, more_ops], ids=["text", "callable"])
def test_micrograd_more_ops(source):
    point = {a: -4, b: 2}
    oracle = _more_ops_oracle()
    for mode in ("reverse", "forward"):
        grads = sb.gradient(source, ["a", "b"], mode=mode)
        values = [float(sp.N(g.subs(point))) for g in grads]
        assert values == pytest.approx([138.8338, 645.5773], abs=1e-4)  # micrograd, PyTorch
        assert values == pytest.approx([float(sp.diff(oracle, v).subs(point)) for v in (a, b)])
    program = sb.gradient(source, ["a", "b"], form="program")
    values = [float(sp.N(g.subs(point))) for g in program.closed_form()]
    assert values == pytest.approx([138.8338, 645.5773], abs=1e-4)


# --------------------------------------------------------------------------- callables


def g_loop(x, y):
    z = x*y
    for _ in range(3):
        z = sp.sin(z) + z
    return z


def g_helper(x, y):
    def sq(u):
        return u*u + 1
    p, q = x, y
    for _ in range(2):
        p, q = q, sq(p)*q
    return (p - q).tanh() + sb.sigmoid(p) / 2.0


def _g_loop():
    z = x*y
    for _ in range(3):
        z = sp.sin(z) + z
    return z


def _g_helper():
    p, q = x, y
    for _ in range(2):
        p, q = q, (p*p + 1)*q
    return sp.tanh(p - q) + sb.sigmoid(p) / 2


@pytest.mark.parametrize("function, expected", [(g_loop, _g_loop()), (g_helper, _g_helper())],
                         ids=["loop", "helper-tuple-methods"])
def test_callables_match_sympy_diff(function, expected):
    for mode in ("reverse", "forward"):
        grads = sb.gradient(function, ["x", "y"], mode=mode)
        for k, v in enumerate((x, y)):
            assert _equal(grads[k], sp.diff(expected, v))
    closed = sb.gradient(function, form="program").closed_form()
    assert all(_equal(c, sp.diff(expected, v))
               for c, v in zip(closed, (x, y), strict=True))
    assert sb.check_gradient(function, ["x", "y"]).passed


def test_tracing_keeps_the_sharing_and_order_of_the_code():
    program = trace(g_loop)
    assert [s.name for s in program.names] == ["z", "t1", "z_2", "t2", "z_3", "t3", "z_4"]
    assert program.inputs == (x, y)
    # x*y*x is two products as the code computes it, not SymPy's flattened x**2*y
    program = trace(lambda x, y: x*y*x)
    assert [e for _, e in program.assignments][-1] == sp.Symbol("t1") * x
    G = sb.build_graph(lambda x, y: x*y*x)
    assert len(G) == 4


def test_a_python_function_everywhere():
    d = sb.derivation(g_loop, wrt=["x", "y"], at={"x": 0.5, "y": 1.2})
    assert "z_2 = t1 + z" in d.text()
    assert sb.jacobian(lambda x, y: (x*y, x + y), ["x", "y"]) == sp.Matrix([[y, x], [1, 1]])
    assert len(sb.storyboard(g_loop).steps) > 3


@pytest.mark.parametrize("function, message", [
    (lambda x: x if x > 0 else -x, "comparison"),
    (lambda x: -x if not x else x, "branch"),
    (lambda x: float(x) * 2, "float"),
    (lambda x: x.backward(), "attribute .backward"),
    (lambda x: x / 0, "division by zero"),
    (lambda x: x ** (10**9), "power"),
])
def test_traced_refusals_name_the_line(function, message):
    with pytest.raises(sb.SymbackslashError, match=message) as info:
        sb.gradient(function)
    assert "line" in str(info.value) or isinstance(info.value, sb.ResourceLimitError)


def test_traced_loops_are_held_to_the_limits():
    def long(x):
        for _ in range(100):
            x = sp.sin(x)
        return x
    with sb.limits(max_statements=50):
        with pytest.raises(sb.ResourceLimitError):
            sb.gradient(long)
    with pytest.raises(sb.InputError, match=r"\*args"):
        sb.gradient(lambda *x: x[0])


def test_the_derivation_shows_the_iteration_of_each_unrolled_node():
    text = ("def f(x, w):\n    h = x\n    for i in range(2):\n        h = tanh(w*h + 1)\n"
            "    return h**2")
    d = sb.derivation(sb.build_graph(text, nodes="statements"))
    assert "(4, i = 0)  h_2 = tanh(h*w + 1)" in d.text()
    assert "(5, i = 1)  h_3 = tanh(h_2*w + 1)" in d.text()
    assert r"\text{(5, i = 1)}\quad h_{3}" in d.latex()


def test_a_gradient_program_names_the_gradient_of_a_copied_input():
    # h = x starts most loops; the gradient of x is x_bar, not h_bar
    P = sb.gradient("h = x\nfor i in range(2):\n    h = sin(h*w)", ["x", "w"], form="program")
    assert str(P).splitlines()[-1] == "return (x_bar, w_bar)"
    expected = sp.sin(sp.sin(x*w)*w)
    assert all(_equal(c, sp.diff(expected, v))
               for c, v in zip(P.closed_form(), (x, w), strict=True))


def test_program_notes_are_one_string_per_assignment():
    with pytest.raises(sb.InputError, match="notes"):
        sb.Program(((sp.Symbol("h"), x),), (x,), (1,), ("i = 0", "i = 1"))
    assert sb.Program(((sp.Symbol("h"), x),), (x,), (1,), ("i = 0",)).notes == ("i = 0",)


def test_traced_operators_outside_the_list_and_failing_code_name_the_line():
    with pytest.raises(sb.ParseError, match="operator"):
        sb.gradient(lambda x: x // 2)
    with pytest.raises(sb.ParseError, match=r"KeyError .* at line \d+"):
        sb.gradient(lambda x: {}["missing"] + x)
    assert sb.check_gradient(lambda x: abs(x) * x, ["x"]).passed  # abs is a function


def test_the_command_line_takes_a_def_with_a_loop(capsys):
    from symbackslash.cli import main

    text = ("def f(x, w):\n    h = x\n    for i in range(2):\n        h = tanh(w*h + 1)\n"
            "    return h")
    assert main(["grad", text, "--at", "x=0.5", "w=0.3"]) == 0
    out = capsys.readouterr().out
    # the value returned is the last assignment, so it is the output, under its own name
    assert "h_3(x, w) = tanh(w*tanh(w*x + 1) + 1)" in out
    assert "(6, i = 0)  h_2 = tanh(v2)" in out
