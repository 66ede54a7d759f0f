"""Generated differential tests, scalar half: random expressions over the whole scalar input
grammar, each differentiated three ways (reverse closed form, forward closed form, the
compiled gradient program) and compared with ``sympy.diff``.

The grammar: symbols and matrix entries ``X[i, j]``; sums with numeric coefficients,
differences, products, repeated subterms; powers with integer, fractional, negative and
symbolic exponents, and numbers to symbolic powers; every smooth function the parser knows
(and erf, LambertW, the logistic functions); ``Abs``, ``sign``, ``Heaviside``, ``floor``,
``ceiling``, ``Max``/``Min`` of two or three arguments, ``Mod``, ``Piecewise``; undefined
functions of one or two arguments at non-symbol arguments.

The oracle is ``sympy.diff`` of the same function, written with plain real symbols (the
entries ``X[i, j]`` become symbols ``X_ij``), the logistic functions written out, ``Mod(a, b)``
as ``a − b⌊a/b⌋``, and, away from their jumps, SymPy's ``DiracDelta`` and unevaluated
derivatives of step functions set to 0. Undefined functions are replaced, in both answers,
by concrete ones afterwards (so ``Subs(Derivative(g(ξ), ξ), ξ, 2x)`` gets a value). The
comparison is at random real points where every subexpression of the function is real and
finite: 30-digit values for the closed forms, double precision for the compiled program.
CI runs a fixed budget of examples (tests/differential.py); ``SYMBACKSLASH_LONG=1`` the long
run.
"""

from __future__ import annotations

import contextlib
import random
import signal

import numpy as np
import pytest
import sympy as sp
from differential import budget, record
from hypothesis import assume, given
from hypothesis import strategies as st

import symbackslash as sb

x, y, z = sp.symbols("x y z", real=True)
X = sp.MatrixSymbol("X", 2, 2)
ENTRIES = [X[0, 0], X[1, 0], X[0, 1]]
LEAVES = [x, y, z, *ENTRIES]
g, h = sp.Function("g"), sp.Function("h")
t, u = sp.symbols("t u", real=True)
#: Concrete stand-ins for the undefined functions g (one argument) and h (two arguments).
CONCRETE = {g: sp.Lambda(t, sp.sin(t) + t**3 / 3), h: sp.Lambda((t, u), sp.cos(t) * u + t**2)}

UNARY = [sp.sin, sp.cos, sp.tan, sp.exp, sp.log, sp.sqrt, sp.tanh, sp.atan, sp.asin, sp.acos,
         sp.sinh, sp.cosh, sp.asinh, sp.atanh, sp.erf, sp.LambertW, sb.sigmoid, sb.softplus,
         sb.relu, sp.Abs, sp.sign, sp.Heaviside, sp.floor, sp.ceiling, sp.cot, sp.sec]
EXPONENTS = [2, 3, -1, -2, sp.Rational(1, 2), sp.Rational(1, 3), sp.Rational(-3, 2),
             sp.Rational(5, 2)]
COEFFICIENTS = [2, -1, -3, sp.Rational(1, 2), sp.Rational(-2, 3), sp.Float(1.5)]


@st.composite
def scalars(draw, depth: int = 0):
    """A random scalar expression (see the module docstring for the grammar); where SymPy
    refuses to build one (a condition on zoo; SymPy 1.14 recursing on a Piecewise, or
    spending minutes in solveset on its condition), a leaf."""
    try:
        return draw(_scalars(depth))
    except (TypeError, ValueError, RecursionError, TooSlow):
        return draw(st.sampled_from(LEAVES))


class TooSlow(Exception):
    """SymPy took too long to build an expression of the generator."""


@contextlib.contextmanager
def within(seconds: float):
    """Raise :class:`TooSlow` in the block after ``seconds`` (a SIGALRM timer: the tests
    run in the main thread)."""
    def expire(signum, frame):
        raise TooSlow
    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@st.composite
def _scalars(draw, depth: int = 0):
    if depth >= 3 or draw(st.integers(0, 4)) == 0:
        leaf = draw(st.sampled_from(LEAVES))
        return draw(st.sampled_from(COEFFICIENTS + [1, 1])) * leaf
    kind = draw(st.sampled_from(["unary", "unary", "binary", "binary", "power", "repeat",
                                 "extremum", "piecewise", "undefined", "mod", "combination"]))
    a = draw(scalars(depth + 1))
    if kind == "unary":
        return draw(st.sampled_from(UNARY))(a)
    b = draw(scalars(depth + 1))
    c = draw(st.sampled_from(COEFFICIENTS))
    if kind == "binary":
        return draw(st.sampled_from([lambda: a + c * b, lambda: a - b, lambda: a * b,
                                     lambda: c * a * b, lambda: a / (1 + b**2),
                                     lambda: sp.atan2(a, 2 + b**2)]))()
    if kind == "power":
        return draw(st.sampled_from([lambda: a ** draw(st.sampled_from(EXPONENTS)),
                                     lambda: a ** b, lambda: 2 ** a,
                                     lambda: sp.Rational(1, 2) ** a, lambda: (1 + a**2) ** b]))()
    if kind == "repeat":  # the same subterm used several times
        return draw(st.sampled_from([lambda: a * sp.sin(a) + c * a, lambda: a**2 - a * b,
                                     lambda: sp.exp(a) * a - c * sp.exp(a),
                                     lambda: a * b - b * a**2 + c * a * b]))()
    if kind == "extremum":
        args = [a, b] + ([draw(scalars(2))] if draw(st.integers(0, 3)) == 0 else [])
        return draw(st.sampled_from([sp.Max, sp.Min]))(*args)
    if kind == "piecewise":
        condition = draw(st.sampled_from([a < c, a > b, sp.Abs(a) <= 1,
                                          sp.And(a > -1, b < 1)]))
        with within(2.0):  # SymPy may spend minutes in solveset on a condition
            return sp.Piecewise((a**2 / 2, condition), (c * b - a, True))
    if kind == "undefined":
        return draw(st.sampled_from([lambda: g(a), lambda: h(a, b), lambda: g(c * a + 1)]))()
    if kind == "mod":
        return sp.Mod(a, 1 + b**2)
    return c * a + b  # combination


def oracle_form(f: sp.Expr) -> sp.Expr:
    """The same function for sympy.diff: entries as real symbols, the logistic functions
    written out, Mod as a − b⌊a/b⌋."""
    f = f.xreplace({e: sp.Symbol(f"X_{e.i}{e.j}", real=True) for e in ENTRIES})
    f = f.replace(sb.sigmoid, lambda a: 1 / (1 + sp.exp(-a))).replace(
        sb.softplus, lambda a: sp.log(1 + sp.exp(a))).replace(
        sb.relu, lambda a: sp.Max(a, 0))
    while f.has(sp.Mod):  # rebuilt, an outer Mod can come back as −Mod(…), unreplaced
        f = f.replace(sp.Mod, lambda a, b: a - b * sp.floor(a / b))
    return f


def concrete(e: sp.Expr) -> sp.Expr:
    """``e`` with the undefined functions replaced by :data:`CONCRETE` and evaluated."""
    if not e.has(g, h):
        return e
    for function, body in CONCRETE.items():
        e = e.replace(function, body)
    return e.doit()


def no_steps(e: sp.Expr) -> sp.Expr:
    """Away from the jumps, step functions have derivative 0 (SymPy: DiracDelta, or an
    unevaluated derivative of floor/ceiling)."""
    def step(a) -> bool:
        if isinstance(a, sp.Subs):
            return a.expr == 0 or step(a.expr)
        return isinstance(a, sp.DiracDelta) or isinstance(a, sp.Derivative) and isinstance(
            a.expr, STEPS)

    return e.replace(step, lambda a: sp.S.Zero)


#: The heads whose derivative is 0 away from their jumps.
STEPS = (sp.floor, sp.ceiling, sp.sign, sp.Heaviside)


def real_point(f: sp.Expr, rng: random.Random, tries: int = 6) -> dict | None:
    """A point (30-digit values) where every subexpression of ``f`` is real, finite and
    of moderate size, away from the jumps of step functions; ``None`` if none is found."""
    symbols = sorted(f.free_symbols, key=str)
    subexpressions = list(dict.fromkeys(sp.preorder_traversal(f)))
    jumps = [a.args[0] for a in subexpressions
             if isinstance(a, (sp.floor, sp.ceiling, sp.sign, sp.Heaviside, sp.Abs))]
    for _ in range(tries):
        point = {s: sp.Float(rng.uniform(-2, 2), 30) for s in symbols}
        if all(_moderate(e, point) for e in subexpressions if isinstance(e, sp.Expr)) \
                and all(_far_from_integers(j, point) for j in jumps):
            return point
    return None


def _moderate(e, point) -> bool:
    try:
        number = sp.N(e.xreplace(point), 15)
        return bool(number.is_real and number.is_finite and abs(number) < 1e8)
    except (TypeError, ValueError, ArithmeticError):  # e.g. Max of a complex number
        return False


def _far_from_integers(e, point) -> bool:
    """Not on the jumps of floor, ceiling and the kinks at 0 of sign, Abs, Heaviside."""
    number = float(sp.N(e.xreplace(point), 30))
    return abs(number - round(number)) > 1e-6


def values_at(e: sp.Expr, point: dict, entries: dict) -> complex:
    return complex(sp.N(e.xreplace(entries).xreplace(point), 30))


def close(a: complex, b: complex, tol: float) -> bool:
    return abs(a - b) <= tol * max(1.0, abs(b))


def differentiate_all_ways(f: sp.Expr, wrt: list) -> dict:
    """The gradient by reverse and forward mode, and the gradient program."""
    return {"reverse": sb.gradient(f, wrt), "forward": sb.gradient(f, wrt, mode="forward"),
            "compiled": sb.gradient(f, wrt, form="program")}


def check(f: sp.Expr, seed: int) -> bool:
    """The whole comparison for one expression (also used by the named regression tests);
    ``False`` when no point was found where it can be made."""
    wrt = sorted(f.free_symbols - {X}, key=str) + ([X] if f.has(X) else [])
    if not wrt:
        return False
    symbol = {e: sp.Symbol(f"X_{e.i}{e.j}", real=True) for e in ENTRIES}
    try:
        simple = oracle_form(f)
    except RecursionError:  # SymPy itself cannot rebuild f: ours must say so
        with pytest.raises(sb.InputError, match="SymPy recursed without end"):
            differentiate_all_ways(f, wrt)
        return False
    try:
        answers = differentiate_all_ways(f, wrt)
    except sb.DifferentiationError as err:  # refused: only where no derivative exists
        pytest.fail(f"refused {f}: {err}")
    except sb.InputError as err:  # SymPy itself cannot rebuild a piece of f: refused so
        if "SymPy recursed without end" not in str(err):
            raise
        record("scalar", "sympy recursed")
        return False
    variables = [v for v in wrt if v != X] + [symbol[e] for e in ENTRIES if f.has(e)]
    try:
        expected = [no_steps(concrete(sp.diff(simple, v))) for v in variables]
    except ValueError:  # SymPy cannot put a concrete function into its own Subs form
        return False
    except RecursionError:  # SymPy 1.14 on some Piecewise (see the regression tests)
        record("scalar", "sympy cannot evaluate")
        return False
    try:
        point = real_point(concrete(simple), random.Random(seed))
    except ValueError:
        return False
    if point is None:
        return False
    rng = random.Random(seed + 1)  # variables SymPy dropped (relu(−x²) = 0 for real x) too
    point.update({v: sp.Float(rng.uniform(-2, 2), 30) for v in variables if v not in point})
    try:
        numbers = [values_at(e, point, symbol) for e in expected]
    except (TypeError, ValueError):
        return False  # the oracle has no value here (a derivative SymPy leaves unevaluated)
    if not all(np.isfinite(n) for n in numbers):
        return False  # not differentiable here (sqrt at 0)
    # a Float coefficient holds 15 digits: arranged differently, the two answers round
    # differently in the last of them
    tolerance = 1e-13 if f.atoms(sp.Float) else 1e-15
    for mode in ("reverse", "forward"):
        ours = _flatten(answers[mode], wrt, f)
        for v, mine, theirs, b in zip(variables, ours, expected, numbers, strict=True):
            try:
                a = values_at(no_steps(concrete(mine)), point, symbol)  # a ValueError: a bug
            except RecursionError:  # SymPy rebuilding a Piecewise with g, h made concrete
                record("scalar", "sympy cannot evaluate")
                return False
            assert close(a, b, tolerance), (f, mode, v, mine, theirs, point)
    if f.has(g, h) or any(isinstance(a, (sp.Max, sp.Min)) and len(a.args) > 2
                                         for a in sp.preorder_traversal(f)):
        # cannot be compiled, or slowly
        # (SymPy's NumPy printer simplifies the conditions of Heaviside's Piecewise)
        return True
    compiled = answers["compiled"]
    function = compiled.lambdify(wrt, check=False)
    entry = {(i, j): float(point.get(sp.Symbol(f"X_{i}{j}", real=True), 0.3))
             for i in range(2) for j in range(2)}
    args = [np.array([[entry[i, j] for j in range(2)] for i in range(2)]) if v == X
            else float(point.get(v, 0.3)) for v in wrt]  # (SymPy may drop a variable)
    with np.errstate(all="ignore"):
        compiled_numbers = _flatten(function(*args), wrt, f)
    for v, number, b in zip(variables, compiled_numbers, numbers, strict=True):
        assert close(complex(np.asarray(number, dtype=complex).reshape(())), b, 1e-6), \
            (f, "compiled", v, number, b, point)
    return True


def _flatten(results: list, wrt: list, f) -> list:
    """One entry per oracle variable: scalars as they are, the gradient in X entry by entry
    (in the order of :data:`ENTRIES`)."""
    flat = []
    for v, r in zip(wrt, results, strict=True):
        if v == X:
            matrix = np.asarray(r, dtype=object).reshape(2, 2) if not isinstance(
                r, sp.MatrixBase) else r
            flat += [matrix[e.i, e.j] for e in ENTRIES if f.has(e)]
        else:
            flat.append(r)
    return flat


@budget("scalar")
@given(f=scalars(), seed=st.integers(0, 2**16))
def test_generated_scalar_gradients_match_sympy(f, seed):
    assume(isinstance(f, sp.Expr) and f.free_symbols - {X}
           and not f.has(sp.zoo, sp.nan, sp.oo, -sp.oo, sp.I))  # (I: refused, tested apart)
    valid = check(f, seed)
    record("scalar", "checked" if valid else "no point")
    assume(valid)
