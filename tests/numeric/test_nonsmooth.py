"""Non-differentiable points: conventions are subgradients where one exists, and flagged."""

import itertools
import random

import pytest
import sympy as sp

import symbackslash as sb
from symbackslash.rules.scalar import NONSMOOTH, kink

x, y, z = sp.symbols("x y z")
r, s, t = sp.symbols("r s t", real=True)  # real: sympy.diff(Abs(r), r) is then sign(r)

# One function per head of the NONSMOOTH table, with a point where it is not differentiable.
CATALOGUE = {
    sp.Abs: (sp.Abs(r - s), {"r": 1, "s": 1}),
    sp.sign: (sp.sign(r) * s, {"r": 0, "s": 2}),
    sp.Heaviside: (sp.Heaviside(r) + s, {"r": 0, "s": 1}),
    sb.relu: (sb.relu(r * s), {"r": 0, "s": 3}),
    sp.Max: (sp.Max(r, s, t), {"r": 1, "s": 1, "t": 0}),
    sp.Min: (sp.Min(r, s), {"r": 2, "s": 2}),
    sp.Piecewise: (sp.Piecewise((r**2, r < 1), (2*r - 1, True)) + s, {"r": 1, "s": 0}),
    sp.floor: (sp.floor(r) * s, {"r": 2, "s": 1}),
    sp.ceiling: (sp.ceiling(r) + s, {"r": 2, "s": 1}),
    sp.Mod: (sp.Mod(r, s) * t, {"r": 4, "s": 2, "t": 1}),
    sp.arg: (sp.arg(r - 1) * s, {"r": 1, "s": 2}),
}


def test_catalogue_covers_the_table():
    assert set(CATALOGUE) == set(NONSMOOTH)


@pytest.mark.parametrize("head", list(CATALOGUE), ids=lambda h: h.__name__)
def test_each_nonsmooth_head_is_flagged_with_its_convention(head):
    f, point = CATALOGUE[head]
    points = sb.nonsmooth_points(f)
    (flag,) = [p for p in points if p.expr.func is head]
    assert flag.convention == NONSMOOTH[head]
    assert flag.where is not None and flag.where != sp.false
    # The flagged condition holds at the catalogue's point (it is a kink).
    values = {sp.Symbol(k, real=True): v for k, v in point.items()}
    assert _holds(flag.where, values)
    assert sb.differentiate(f).nonsmooth == points


def _holds(condition, values):
    """Evaluate a condition (Eq, Or, Contains) at a point."""
    return bool(condition.xreplace(values).simplify())


@pytest.mark.parametrize("head", list(CATALOGUE), ids=lambda h: h.__name__)
def test_away_from_kinks_the_gradient_is_sympys(head):
    f, _ = CATALOGUE[head]
    variables = sorted(f.free_symbols, key=str)
    gradient = sb.gradient(f, variables)
    rng = random.Random(1)
    for _ in range(5):
        point = {s: sp.Rational(rng.randint(-40, 40), 7) + sp.Rational(1, 13) for s in variables}
        for v, g in zip(variables, gradient, strict=True):
            # Away from the jumps their derivative is 0 (SymPy: DiracDelta, or unevaluated).
            # Mod(a, b) = a - b*floor(a/b), which SymPy differentiates.
            unrolled = f.replace(sp.Mod, lambda a, b: a - b * sp.floor(a / b))
            expected = sp.diff(unrolled, v).replace(
                lambda e: isinstance(e, (sp.DiracDelta, sp.Derivative)), lambda e: sp.S.Zero)
            assert sp.simplify((g - expected).xreplace(point)) == 0, (head, v, point)


@pytest.mark.parametrize("n", [2, 3, 4])
def test_max_and_min_give_a_subgradient_at_every_tie(n):
    args = sp.symbols(f"a0:{n}")
    for head, sign in ((sp.Max, 1), (sp.Min, -1)):
        gradient = sb.gradient(head(*args), list(args))
        for pattern in itertools.product([0, 1], repeat=n):  # ties among the 1s (or all 0s)
            point = {a: sign * p for a, p in zip(args, pattern, strict=True)}
            weights = [sp.nsimplify(g.xreplace(point)) for g in gradient]
            top = max(pattern)
            winners = [k for k, p in enumerate(pattern) if p == top]
            # Only arguments that attain the extremum get weight; weights are equal and sum
            # to 1: the midpoint of the (super)differential.
            assert sum(weights) == 1
            assert all(weights[k] == sp.Rational(1, len(winners)) for k in winners)
            assert all(weights[k] == 0 for k in range(n) if k not in winners)


def test_abs_and_relu_conventions_are_subgradients():
    with pytest.warns(sb.NonSmoothWarning, match=r"sign\(x\) = 0"):
        assert sb.evaluate(sb.gradient("abs(x)"), {"x": 0}) == [0.0]      # in [-1, 1]
    with pytest.warns(sb.NonSmoothWarning, match=r"Heaviside\(x, 0\) = 0"):
        assert sb.evaluate(sb.gradient("relu(x)"), {"x": 0}) == [0.0]     # in [0, 1]


def test_affects_lists_only_derivatives_through_the_node():
    points = sb.nonsmooth_points("a = abs(x)\nb = a + y*z\nf = b*z", ["x", "y", "z"])
    (flag,) = points
    assert flag.node == sp.Symbol("a") and flag.where == sp.Eq(x, 0)
    assert flag.affects == ((sp.Symbol("f"), x),)
    assert sb.nonsmooth_points("a = abs(x)\nf = y", ["y"], outputs=["f"]) == []


def test_smooth_functions_have_no_flags():
    assert sb.nonsmooth_points("sin(x*y) + exp(x)") == []
    assert sb.differentiate("x**2 + y").nonsmooth == []


def test_points_never_reached_are_dropped():
    # |exp(x)| is smooth: exp(x) = 0 has no solution.
    assert sb.nonsmooth_points(sp.Abs(sp.exp(x)) + y) == []


def test_conditions_stay_in_node_symbols_when_closed_forms_are_too_large():
    text = "a0 = abs(x)\n" + "\n".join(f"a{k} = sin(a{k - 1}) + cos(a{k - 1})"
                                       for k in range(1, 30))
    (flag,) = sb.nonsmooth_points(text)
    assert flag.condition == sp.Eq(x, 0) and flag.where == sp.Eq(x, 0)
    text = "b0 = x\n" + "\n".join(f"b{k} = sin(b{k - 1}) + cos(b{k - 1})"
                                  for k in range(1, 30)) + "\nf = abs(b29)"
    (flag,) = sb.nonsmooth_points(text)
    assert flag.condition == sp.Eq(sp.Symbol("b29"), 0) and flag.where is None


def test_kink_conditions():
    u, v, w = sp.symbols("u v w")
    assert kink(sp.Abs(u)) == sp.Eq(u, 0)
    assert kink(sp.Max(u, v, w)) == sp.Or(sp.Eq(u, v), sp.Eq(u, w), sp.Eq(v, w))
    assert kink(sp.floor(u)) == sp.Contains(u, sp.Integers)
    assert kink(sp.Piecewise((u, u < v), (w, True))) == sp.Eq(u, v)
    assert kink(sp.sin(u)) is None
