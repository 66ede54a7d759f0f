"""Verification built in: finite differences, dot tests and SymPy's own matrix derivatives.

* :func:`check_gradient` evaluates a gradient (ours by default) at random matrices and
  compares it, entry by entry, with central finite differences of the function.
* :func:`dot_test` checks an operator against its adjoint: ⟨Y, 𝒜X⟩ = ⟨𝒜ᵀY, X⟩ for random
  integer X, Y (and random integer values of the operator's own symbols), exactly.
* :func:`compare_with_sympy` puts our gradient next to ``MatrixExpr.diff`` and says, for
  each variable, whether SymPy agrees with the finite differences, differs, or fails.

>>> import sympy as sp
>>> X = sp.MatrixSymbol("X", 3, 3)
>>> check_gradient(sp.log(sp.Determinant(X)), [X]).passed
True
>>> print(compare_with_sympy(sp.log(sp.Determinant(X)), [X]))
X: SymPy differs
  symbackslash  X.T**(-1)  [matches finite differences]
  sympy.diff    0
"""

from __future__ import annotations

import dataclasses
import html

import networkx as nx
import numpy as np
import sympy as sp

from .core.shapes import as_explicit_matrix, as_scalar, as_shape, shape_of
from .derivatives.gradient import gradient
from .errors import EvaluationDomainError, InputError, SymbackslashError, boundary
from .graph.build import build_graph
from .graph.formulas import formulas
from .numeric.values import evaluate, evaluate_exact, random_values
from .operators.algebra import Operator
from .parse.parser import Program
from .parse.trace import is_traceable
from .printing.latex import latex

__all__ = ["GradientCheck", "GradientReport", "check_gradient", "finite_differences",
           "point_inside", "DotTest", "dot_test", "SympyComparison", "compare_with_sympy"]


@dataclasses.dataclass(frozen=True)
class GradientCheck:
    """One variable: the gradient and the finite differences at the same point."""

    variable: object
    gradient: np.ndarray
    finite_differences: np.ndarray
    error: float
    tolerance: float

    @property
    def passed(self) -> bool:
        return bool(self.error <= self.tolerance)


@dataclasses.dataclass(frozen=True)
class GradientReport:
    """The checks of every variable, the point they were made at, and a summary."""

    checks: list
    values: dict

    @property
    def passed(self) -> bool:
        return all(c.passed for c in self.checks)

    def __str__(self) -> str:
        rows = [f"{'variable':<10}{'max error':>12}{'tolerance':>12}  result"]
        rows += [f"{str(c.variable):<10}{c.error:>12.2e}{c.tolerance:>12.2e}  "
                 f"{'ok' if c.passed else 'WRONG'}" for c in self.checks]
        return "\n".join(rows)

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><td>{_math(c.variable)}</td><td>{c.error:.2e}</td><td>{c.tolerance:.2e}</td>"
            f"<td>{'ok' if c.passed else '<b>WRONG</b>'}</td></tr>" for c in self.checks)
        verdict = "passed" if self.passed else "<b>FAILED</b>"
        return (f"<p>Gradient against central finite differences: {verdict}</p>"
                "<table><tr><th>variable</th><th>max error</th><th>tolerance</th>"
                f"<th>result</th></tr>{rows}</table>")


def _math(expr) -> str:
    """``expr`` as inline LaTeX inside HTML (MathJax typesets it in a notebook)."""
    return html.escape(f"${latex(expr)}$")


def _scalar(value) -> float:
    array = np.asarray(value, dtype=float)
    if array.size != 1:
        raise InputError(f"the function is not scalar-valued here (its value has shape "
                         f"{array.shape})")
    return float(array.reshape(()))


@boundary
def finite_differences(f, variable, values: dict, *, step: float = 1e-6) -> np.ndarray:
    """Central differences (f(v + h eᵢ) − f(v − h eᵢ)) / 2h for every entry of ``variable``.

    ``f`` is anything :func:`~symbackslash.gradient` takes; ``variable`` a symbol or name."""
    f, (variable,) = _variables(f, [variable])
    names = {str(v): v for v in f.free_symbols | f.atoms(sp.MatrixSymbol)}
    values = {names.get(k, k) if isinstance(k, str) else k: v for k, v in values.items()}
    base = np.asarray(values[variable], dtype=float)
    result = np.zeros(base.shape)
    for index in np.ndindex(*base.shape):
        shifted = []
        for sign in (1, -1):
            point = base.copy()
            point[index] += sign * step
            shifted.append(_scalar(evaluate(f, {**values, variable: point if point.shape
                                                 else float(point)})))
        result[index] = (shifted[0] - shifted[1]) / (2 * step)
    return result


@boundary
def check_gradient(f, wrt=None, gradients=None, *, values=None, seed: int = 0, step: float = 1e-6,
                   rtol: float = 1e-5, atol: float = 1e-6) -> GradientReport:
    """Compare a gradient with central finite differences at a random point.

    Parameters
    ----------
    f : sympy.Expr, str, Program, networkx.DiGraph or Python function
        A scalar-valued function, as :func:`~symbackslash.gradient` takes it (matrices
        allowed; a graph must come from an expression or a program), checked through the
        closed form of its output.
    wrt : list of Symbol, MatrixSymbol or str, optional
        Default: every variable, sorted by name.
    gradients : list, optional
        The gradients to check, aligned with ``wrt`` (default: ``gradient(f, wrt)``).
    values : dict, optional
        The point (default: a random point inside the domain of ``f``, see
        :func:`point_inside`; an :class:`~symbackslash.EvaluationDomainError` when none is
        found).
    step, rtol, atol : float
        A variable passes when ``max |gradient − differences| ≤ atol + rtol·max |differences|``.
    """
    f, wrt = _variables(f, wrt)
    gradients = gradient(f, wrt) if gradients is None else list(gradients)
    if len(gradients) != len(wrt):
        raise InputError(f"{len(gradients)} gradients for {len(wrt)} variables")
    if values is None:
        values = point_inside(f, wrt, seed=seed, step=step)
    values = dict(values)
    for v in wrt:
        values.setdefault(v, random_values(v, seed=seed)[v])
    checks = []
    for variable, g in zip(wrt, gradients, strict=True):
        if not isinstance(g, (sp.Basic, int, float)):
            raise InputError(f"the gradient for {variable} must be a SymPy expression, not "
                             f"{type(g).__name__}")
        ours = np.asarray(evaluate(sp.sympify(g, strict=True), values), dtype=float)
        fd = finite_differences(f, variable, values, step=step)
        if ours.shape != fd.shape:
            ours = np.broadcast_to(ours, fd.shape) if ours.size == 1 else ours
        error = float(np.max(np.abs(ours - fd))) if ours.shape == fd.shape else float("inf")
        tolerance = atol + rtol * float(np.max(np.abs(fd), initial=0.0))
        checks.append(GradientCheck(variable, ours, fd, error, tolerance))
    return GradientReport(checks, values)


#: Where scalars are drawn, in turn, until the function is defined at the point and at
#: its finite-difference neighbours: random_values' [½, 3/2], then [0.3, 0.9] (acos, asin,
#: atanh), its negatives, [−½, ½] and [1.25, 3.75] (acosh).
SCALAR_RANGES = (lambda t: t, lambda t: 0.6 * t, lambda t: -t, lambda t: -0.6 * t,
                 lambda t: t - 1, lambda t: 2.5 * t)


@boundary
def point_inside(f, wrt, *, seed: int = 0, step: float = 1e-6, tries: int = 4) -> dict:
    """A random point (as :func:`~symbackslash.random_values`) where ``f`` is finite, and
    at the points the central differences in scalar variables of ``wrt`` use: scalars are
    drawn from the ranges of :data:`SCALAR_RANGES` in turn, ``tries`` seeds each.

    Raises
    ------
    EvaluationDomainError
        When no such point is found; pass ``values=`` to choose one.
    """
    for attempt in range(tries):
        drawn = random_values(f, seed=seed + attempt)
        for scale in SCALAR_RANGES:
            values = {k: v if isinstance(k, sp.MatrixSymbol) else scale(v)
                      for k, v in drawn.items()}
            if _defined(f, wrt, values, step):
                return values
    raise EvaluationDomainError(
        f"no random point found where {f} is defined (and finite) around it; pass values={{…}}"
        f" with a point inside its domain")


def _defined(f, wrt, values: dict, step: float) -> bool:
    """Whether ``f`` is finite at the point and at its neighbours one ``step`` up and down
    in every scalar variable (matrices: at the point; one evaluation each, not one per
    entry)."""
    points = [values]
    for v in wrt:
        if not isinstance(v, sp.MatrixSymbol) and v in values:
            points += [{**values, v: float(values[v]) + step},
                       {**values, v: float(values[v]) - step}]
    try:
        with np.errstate(all="ignore"):
            return all(np.all(np.isfinite(np.asarray(evaluate(f, p), dtype=float)))
                       for p in points)
    except (SymbackslashError, TypeError, ValueError, ArithmeticError):
        return False


@dataclasses.dataclass(frozen=True)
class DotTest:
    """⟨Y, 𝒜X⟩ and ⟨𝒜ᵀY, X⟩ for one random pair X, Y."""

    operator: Operator
    lhs: sp.Expr
    rhs: sp.Expr

    @property
    def passed(self) -> bool:
        difference = sp.N(self.lhs - self.rhs, 30)
        scale = max(1, abs(sp.N(self.lhs, 30)))
        return bool(abs(difference) <= 1e-20 * scale)

    def __str__(self) -> str:
        return (f"<Y, A X> = {self.lhs}, <A^T Y, X> = {self.rhs}: "
                f"{'passed' if self.passed else 'FAILED'} (A = {self.operator})")

    def _repr_latex_(self) -> str:
        return (rf"$\mathcal{{A}} = {latex(self.operator)}: \quad "
                rf"\langle Y, \mathcal{{A}} X \rangle = {latex(self.lhs)}, \quad "
                rf"\langle \mathcal{{A}}^{{T}} Y, X \rangle = {latex(self.rhs)}"
                rf"\quad \text{{({'passed' if self.passed else 'FAILED'})}}$")


def _inner(X, Y):
    """⟨X, Y⟩ = tr(XᵀY) (the product for scalars)."""
    if isinstance(X, sp.MatrixBase):
        return sum(a * b for a, b in zip(X, Y, strict=True))
    return X * Y


def _random(shape: tuple, rng) -> sp.Expr:
    if shape == ():
        return sp.Integer(int(rng.integers(-5, 6)))
    return sp.Matrix(rng.integers(-5, 6, size=tuple(int(n) for n in shape)))


def _explicit(value):
    value = value.doit() if isinstance(value, sp.Basic) else value
    if isinstance(value, sp.MatrixExpr) and not isinstance(value, sp.MatrixBase):
        value = value.as_explicit()
    return sp.Matrix(value) if isinstance(value, sp.MatrixBase) else value


@boundary
def dot_test(operator: Operator, shape: tuple, *, values=None, seed: int = 0) -> DotTest:
    """The adjoint test ⟨Y, 𝒜X⟩ = ⟨𝒜ᵀY, X⟩ for random integer X (of ``shape``, ``()`` for a
    scalar) and Y, with random integer values for the symbols inside ``operator`` (square
    matrices diagonally dominant, so inverses exist). Exact unless the operator holds
    transcendental functions."""
    if not isinstance(operator, Operator):
        raise InputError(f"dot_test needs an Operator, not {type(operator).__name__}")
    shape = as_shape(shape)
    rng = np.random.default_rng(seed)
    point = random_values(operator, seed=seed, integers=True) if values is None else values
    explicit = {k: as_explicit_matrix(v, k) if isinstance(k, sp.MatrixSymbol)
                else as_scalar(v, f"the value of {k}") for k, v in point.items()}
    op = operator.xreplace(explicit) if explicit else operator
    X = _random(tuple(shape), rng)
    AX = _explicit(op(X))
    Y = _random(shape_of(AX), rng)
    AtY = _explicit(op.T(Y))
    return DotTest(operator, sp.nsimplify(_inner(Y, AX)), sp.nsimplify(_inner(AtY, X)))


@dataclasses.dataclass(frozen=True)
class SympyComparison:
    """Our gradients and SymPy's ``diff`` side by side, each judged by finite differences.

    ``rows`` holds, per variable: the variable, our gradient, SymPy's result (or ``None``),
    what SymPy said (an error message, or why its answer cannot be evaluated), whether
    ours matches the differences, and a verdict: ``"agrees"``, ``"SymPy differs"`` or
    ``"SymPy fails"``.
    """

    rows: list

    def __str__(self) -> str:
        lines = []
        for r in self.rows:
            ours = "matches" if r["ours_ok"] else "DOES NOT MATCH"
            theirs = r["message"] if r["sympy"] is None else str(r["sympy"])
            note = f"  [{r['message']}]" if r["sympy"] is not None and r["message"] else ""
            lines += [f"{r['variable']}: {r['verdict']}",
                      f"  symbackslash  {r['ours']}  [{ours} finite differences]",
                      f"  sympy.diff    {theirs}{note}"]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        rows = []
        for r in self.rows:
            theirs = html.escape(r["message"]) if r["sympy"] is None else _math(r["sympy"])
            ours = "" if r["ours_ok"] else " <b>(does not match finite differences)</b>"
            rows.append(f"<tr><td>{_math(r['variable'])}</td><td>{r['verdict']}</td>"
                        f"<td>{_math(r['ours'])}{ours}</td><td>{theirs}</td></tr>")
        return ("<table><tr><th>variable</th><th>verdict</th><th>symbackslash</th>"
                f"<th>sympy.diff</th></tr>{''.join(rows)}</table>")


def _close(value, reference: np.ndarray) -> bool:
    value = np.asarray(value, dtype=float)
    if value.shape != reference.shape:
        return False
    return bool(np.allclose(value, reference, rtol=1e-5, atol=1e-6))


def _numeric_sympy(result, values: dict):
    """SymPy's answer as numbers: our evaluator, else SymPy's explicit evaluation."""
    try:
        return evaluate(result, values)
    except SymbackslashError:
        explicit = evaluate_exact(result, values)
        if isinstance(explicit, sp.MatrixBase):
            return np.array(explicit.evalf().tolist(), dtype=float)
        return float(explicit)


@boundary
def compare_with_sympy(f, wrt=None, *, values=None, seed: int = 0) -> SympyComparison:
    """Our gradient and ``f.diff(variable)`` for each variable, judged by finite differences
    at one random point (see :class:`SympyComparison`)."""
    f, wrt = _variables(f, wrt)
    ours = gradient(f, wrt)
    values = random_values(f, seed=seed) if values is None else dict(values)
    rows = []
    for variable, g in zip(wrt, ours, strict=True):
        fd = finite_differences(f, variable, values)
        row = {"variable": variable, "ours": g, "sympy": None, "message": "",
               "ours_ok": _close(evaluate(g, values), fd)}
        try:
            row["sympy"] = f.diff(variable)
        except Exception as err:  # SymPy's failures are the point of this report
            row["message"] = f"{type(err).__name__}: {err}"
            row["verdict"] = "SymPy fails"
            rows.append(row)
            continue
        try:
            number = _numeric_sympy(row["sympy"], values)
        except Exception as err:  # an answer SymPy itself cannot evaluate
            row["message"] = f"not evaluable ({type(err).__name__})"
            row["verdict"] = "SymPy fails"
            rows.append(row)
            continue
        row["verdict"] = "agrees" if _close(number, fd) else "SymPy differs"
        rows.append(row)
    return SympyComparison(rows)


def _expression(f) -> sp.Expr:
    """``f`` as one SymPy expression in its inputs: what :func:`~symbackslash.gradient` takes
    (an expression, the text of an expression or of a program, a Program, a graph built
    from an expression)."""
    if isinstance(f, sp.Expr):
        return f
    if not isinstance(f, (str, Program, nx.DiGraph)) and not is_traceable(f):
        raise InputError(f"f must be a SymPy expression, the text of an expression or of a "
                         f"program, a Program, a graph or a Python function, not "
                         f"{type(f).__name__}")
    G = build_graph(f)
    outputs = G.graph["outputs"]
    if len(outputs) != 1:
        raise InputError(f"the function has {len(outputs)} outputs; a gradient check needs one")
    value = formulas(G)[outputs[0]]
    if value == outputs[0] and G.nodes[outputs[0]].get("kind") != "input":
        raise InputError("this graph has no expressions (a graph made by hand): finite "
                         "differences need the function itself")
    return value


def _variables(f, wrt) -> tuple[sp.Expr, list]:
    """``f`` as an expression and ``wrt`` as a list of its variables (symbols or names; by
    default every variable, sorted by name)."""
    f = _expression(f)
    variables = {str(v): v for v in f.free_symbols | f.atoms(sp.MatrixSymbol)}
    if wrt is None:
        return f, [variables[name] for name in sorted(variables)]
    if isinstance(wrt, (str, sp.Basic)):
        wrt = [wrt]
    if isinstance(wrt, bytes) or not isinstance(wrt, (list, tuple)):
        raise InputError(f"wrt must be a list of variables, not {type(wrt).__name__}")
    return f, [variables.get(v, sp.Symbol(v)) if isinstance(v, str) else v for v in wrt]
