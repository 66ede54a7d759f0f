"""Generated differential tests, matrix half: random scalar-valued matrix expressions over the
operator catalogue, differentiated four ways (reverse closed form, forward closed form, the
gradient program's closed form, the compiled program) and compared with central differences
of an independent NumPy evaluation of the same expression.

The expressions are generated as small trees (tuples) that this file turns both into SymPy
expressions and, by its own evaluator below, into NumPy values; nothing of symbackslash
evaluates the function for the oracle. The trees hold random shapes (1 to 3), sums with
numeric coefficients, differences, products with numeric coefficients, transposes,
inverses, integer matrix powers, element-wise functions, Hadamard products and powers,
scalar multiples (by a symbol, a trace, a determinant, an entry), traces, determinants,
entries, scalar functions of them, and 1×1 matrices used as scalars (as the result, and to
fractional powers). CI runs a fixed budget of examples (tests/differential.py);
``SYMBACKSLASH_LONG=1`` the long run.
"""

from __future__ import annotations

import numpy as np
import sympy as sp
from differential import budget, record
from hypothesis import assume, given
from hypothesis import strategies as st
from sympy.matrices.expressions.applyfunc import ElementwiseApplyFunction

import symbackslash as sb

s = sp.Symbol("s", real=True)
DIMS = st.integers(1, 3)
COEFFICIENTS = [2, -1, -3, sp.Rational(1, 2), sp.Rational(-2, 3)]
#: Element-wise and scalar functions: SymPy head, NumPy function.
FUNCTIONS = {"sin": (sp.sin, np.sin), "tanh": (sp.tanh, np.tanh), "exp": (sp.exp, np.exp),
             "cos": (sp.cos, np.cos), "square": (lambda a: a**2, np.square),
             "log1p2": (lambda a: sp.log(1 + a**2), lambda a: np.log(1 + a**2))}


def symbol(shape) -> tuple:
    return ("sym", "A" if shape[0] == shape[1] else "B", shape)


@st.composite
def matrices(draw, shape, depth: int = 0):
    """A tree of a matrix expression of the given shape."""
    rows, cols = shape
    if depth >= 3 or draw(st.integers(0, 3)) == 0:
        name = draw(st.sampled_from(["A", "B", "C"]))
        return ("sym", name, shape)
    kinds = ["add", "sub", "mul", "mul", "T", "fun", "had", "hpow", "scale"]
    if rows == cols:
        kinds += ["inv", "pow"]
    if shape == (1, 1):
        kinds += ["root"]
    kind = draw(st.sampled_from(kinds))
    inner = lambda shp: draw(matrices(shp, depth + 1))  # noqa: E731
    c = draw(st.sampled_from(COEFFICIENTS))
    if kind == "add":
        return ("add", inner(shape), inner(shape), c)
    if kind == "sub":
        return ("sub", inner(shape), inner(shape))
    if kind == "mul":
        k = draw(DIMS)
        return ("mul", inner((rows, k)), inner((k, cols)), c)
    if kind == "T":
        return ("T", inner((cols, rows)))
    if kind == "fun":
        return ("fun", draw(st.sampled_from(sorted(FUNCTIONS))), inner(shape))
    if kind == "had":
        return ("had", inner(shape), inner(shape))
    if kind == "hpow":
        return ("hpow", inner(shape), draw(st.sampled_from([2, 3])))
    if kind == "scale":
        return ("scale", draw(scalars(depth + 1)), inner(shape))
    if kind == "inv":
        return ("inv", inner(shape))
    if kind == "pow":
        return ("pow", inner(shape), draw(st.sampled_from([2, 3, -1])))
    k = draw(DIMS)  # root: a positive 1×1 matrix, uᵀu + 1, to a fractional power
    return ("root", inner((k, 1)), draw(st.sampled_from([sp.Rational(1, 2),
                                                         sp.Rational(1, 3),
                                                         sp.Rational(-1, 2)])))


@st.composite
def scalars(draw, depth: int = 0):
    """A tree of a scalar expression of matrices."""
    if depth >= 3 or draw(st.integers(0, 4)) == 0:
        return ("s",)
    kind = draw(st.sampled_from(["trace", "trace", "det", "entry", "one", "fun", "sadd",
                                 "smul"]))
    n = draw(DIMS)
    if kind == "trace":
        return ("trace", draw(matrices((n, n), depth + 1)))
    if kind == "det":
        return ("det", draw(matrices((n, n), depth + 1)))
    if kind == "entry":
        m = draw(DIMS)
        i, j = draw(st.integers(0, n - 1)), draw(st.integers(0, m - 1))
        return ("entry", draw(matrices((n, m), depth + 1)), i, j)
    if kind == "one":  # a 1×1 matrix as a scalar: uᵀ M v
        return ("one", draw(matrices((1, 1), depth + 1)))
    if kind == "fun":
        return ("sfun", draw(st.sampled_from(sorted(FUNCTIONS))), draw(scalars(depth + 1)))
    a, b = draw(scalars(depth + 1)), draw(scalars(depth + 1))
    if kind == "sadd":
        return ("sadd", a, b, draw(st.sampled_from(COEFFICIENTS)))
    return ("smul", a, b)


@st.composite
def functions(draw):
    """The function to differentiate: a scalar tree, or a 1×1 matrix tree (the result)."""
    if draw(st.booleans()):
        return draw(scalars())
    return ("result", draw(matrices((1, 1))))


# ----------------------------------------------------------------------------- SymPy


def name_of(tree) -> str:
    _, stem, (rows, cols) = tree
    return f"{stem}{rows}{cols}"


def to_sympy(tree):
    kind, *rest = tree
    if kind == "sym":
        return sp.MatrixSymbol(name_of(tree), *rest[1])
    if kind == "s":
        return s
    if kind == "result":
        return to_sympy(rest[0])
    a = to_sympy(rest[0]) if rest and isinstance(rest[0], tuple) else None
    if kind == "add":
        return a + rest[2] * to_sympy(rest[1])
    if kind == "sub":
        return a - to_sympy(rest[1])
    if kind == "mul":
        return rest[2] * (a * to_sympy(rest[1]))
    if kind == "T":
        return a.T
    if kind == "fun":
        return ElementwiseApplyFunction(sp.Lambda(t := sp.Dummy("t", real=True),
                                                  FUNCTIONS[rest[0]][0](t)), to_sympy(rest[1]))
    if kind == "had":
        return sp.hadamard_product(a, to_sympy(rest[1]))
    if kind == "hpow":
        return sp.HadamardPower(a, rest[1])
    if kind == "scale":
        return a * to_sympy(rest[1])
    if kind == "inv":
        return sp.Inverse(3 * sp.Identity(a.rows) + a)
    if kind == "pow":
        return sp.MatPow(a, rest[1]) if rest[1] > 0 else sp.Inverse(3 * sp.Identity(a.rows) + a)
    if kind == "root":
        return sp.MatPow(a.T * a + sp.Identity(1), rest[1])
    if kind == "trace":
        return sp.Trace(a)
    if kind == "det":
        return sp.Determinant(a)
    if kind == "entry":
        return a[rest[1], rest[2]]
    if kind == "one":
        return a[0, 0]
    if kind == "sfun":
        return FUNCTIONS[rest[0]][0](to_sympy(rest[1]))
    if kind == "sadd":
        return to_sympy(rest[0]) + rest[2] * to_sympy(rest[1])
    return to_sympy(rest[0]) * to_sympy(rest[1])  # smul


# ----------------------------------------------------------------------------- NumPy


def to_numpy(tree, values: dict):
    """The independent evaluator: the tree computed with NumPy."""
    kind, *rest = tree
    if kind == "sym":
        return values[name_of(tree)]
    if kind == "s":
        return values["s"]
    if kind == "result":
        return to_numpy(rest[0], values)[0, 0]
    a = to_numpy(rest[0], values) if rest and isinstance(rest[0], tuple) else None
    if kind == "add":
        return a + float(rest[2]) * to_numpy(rest[1], values)
    if kind == "sub":
        return a - to_numpy(rest[1], values)
    if kind == "mul":
        return float(rest[2]) * (a @ to_numpy(rest[1], values))
    if kind == "T":
        return a.T
    if kind == "fun":
        return FUNCTIONS[rest[0]][1](to_numpy(rest[1], values))
    if kind == "had":
        return a * to_numpy(rest[1], values)
    if kind == "hpow":
        return a ** rest[1]
    if kind == "scale":
        return a * to_numpy(rest[1], values)
    if kind == "inv":
        return np.linalg.inv(3 * np.eye(len(a)) + a)
    if kind == "pow":
        return np.linalg.matrix_power(a, rest[1]) if rest[1] > 0 else \
            np.linalg.inv(3 * np.eye(len(a)) + a)
    if kind == "root":
        return (a.T @ a + 1.0) ** float(rest[1])
    if kind == "trace":
        return np.trace(a)
    if kind == "det":
        return np.linalg.det(a)
    if kind == "entry":
        return a[rest[1], rest[2]]
    if kind == "one":
        return a[0, 0]
    if kind == "sfun":
        return FUNCTIONS[rest[0]][1](to_numpy(rest[1], values))
    if kind == "sadd":
        return to_numpy(rest[0], values) + float(rest[2]) * to_numpy(rest[1], values)
    return to_numpy(rest[0], values) * to_numpy(rest[1], values)  # smul


def central_differences(tree, values: dict, name: str, step: float = 1e-6) -> np.ndarray:
    base = np.asarray(values[name], dtype=float)
    result = np.zeros(base.shape)
    for index in np.ndindex(*base.shape):
        sides = []
        for sign in (1, -1):
            point = base.copy()
            point[index] += sign * step
            sides.append(float(to_numpy(tree, {**values, name: point if point.shape
                                              else float(point)})))
        result[index] = (sides[0] - sides[1]) / (2 * step)
    return result


def conditioned(tree, values: dict) -> bool:
    """Every inverse, power and determinant in the tree is well conditioned here and every
    value moderate, so central differences are accurate."""
    kind, *rest = tree
    for child in rest:
        if isinstance(child, tuple) and isinstance(child[0], str) \
                and not conditioned(child, values):
            return False
    with np.errstate(all="ignore"):
        value = np.asarray(to_numpy(tree, values), dtype=float)
    if not np.all(np.isfinite(value)) or np.max(np.abs(value), initial=0) > 1e4:
        return False
    if kind in ("inv", "pow") and (kind == "inv" or rest[1] < 0):
        inside = 3 * np.eye(len(to_numpy(rest[0], values))) + to_numpy(rest[0], values)
        return bool(np.linalg.cond(inside) < 1e3)
    if kind == "det":  # d det(U) = det(U) U⁻ᵀ needs an invertible U (see the README)
        return bool(np.linalg.cond(to_numpy(rest[0], values)) < 1e3)
    return True


def leaves(tree) -> set:
    """The variables of a tree: matrix symbols and the scalar s."""
    kind, *rest = tree
    if kind == "sym":
        return {sp.MatrixSymbol(name_of(tree), *rest[1])}
    if kind == "s":
        return {s}
    return set().union(*(leaves(c) for c in rest if isinstance(c, tuple)
                         and isinstance(c[0], str)))


def check(tree, seed: int) -> bool:
    """The comparison for one tree (also used by named regression tests); ``False`` when
    the random point is not usable (ill-conditioned or out of the domain)."""
    f = to_sympy(tree)
    wrt = sorted(leaves(tree), key=str)  # also those SymPy cancelled (B - B): gradient 0
    rng = np.random.default_rng(seed)
    values = {str(v): rng.uniform(-1, 1, size=tuple(int(n) for n in v.shape))
              if isinstance(v, sp.MatrixSymbol) else float(rng.uniform(0.5, 1.5)) for v in wrt}
    if not conditioned(tree, values):
        return False
    point = {v: values[str(v)] for v in wrt}
    expected = [central_differences(tree, values, str(v)) for v in wrt]
    program = sb.gradient(f, wrt, form="program")
    answers = {"reverse": sb.gradient(f, wrt), "forward": sb.gradient(f, wrt, mode="forward"),
               "program": program.closed_form()}
    for mode, results in answers.items():
        for v, result, fd in zip(wrt, results, expected, strict=True):
            ours = np.asarray(sb.evaluate(sp.sympify(result), point), dtype=float)
            assert agrees(ours, fd), (f, mode, v, result, ours, fd)
    compiled = program.lambdify(wrt, check=False)(*(point[v] for v in wrt))
    for v, number, fd in zip(wrt, compiled, expected, strict=True):
        assert agrees(np.asarray(number, dtype=float), fd), (f, "compiled", v, number, fd)
    return True


def agrees(ours: np.ndarray, fd: np.ndarray) -> bool:
    ours = np.broadcast_to(ours, fd.shape) if ours.size == 1 else ours.reshape(fd.shape)
    return bool(np.max(np.abs(ours - fd), initial=0)
                <= 1e-5 + 1e-5 * np.max(np.abs(fd), initial=0))


@budget("matrix")
@given(tree=functions(), seed=st.integers(0, 2**16))
def test_generated_matrix_gradients_match_central_differences(tree, seed):
    valid = check(tree, seed)
    record("matrix", "checked" if valid else "no point")
    assume(valid)
