"""Second derivatives: the gradient program is a computation too, with its own graph and L.

Back substitution writes the gradient of ``f`` as a straight-line program
(:func:`~symbackslash.gradient_program`). That program is a computation like any other:
:func:`gradient_graph` builds its graph, one node per assignment (the paper's
statement-level view), whose outputs are the gradient entries x̄_i. Differentiating it
again needs nothing new, only the same generic solvers on its (I − L):

* **forward over reverse** (the default): forward substitution on (I − L) ẋ = s, seeded
  with a direction v, gives the Hessian-vector product H·v in the output rows
  (:func:`hvp`); seeded with e_1, …, e_n it gives the Hessian column by column;
* **reverse over reverse** (``mode="reverse"``): one back substitution on (I − L)ᵀ per
  gradient entry gives the Hessian row by row.

Neither assumes that H is symmetric: the two halves H[i, j] and H[j, i] come from different
solves, and the tests compare H with Hᵀ. With ``form="program"`` the forward solves are
written out as straight-line programs (the tangent of every assignment its own name), whose
operation count is a small multiple of the function's (:attr:`GradientProgram.ratio`).

With matrix variables the Hessian is a matrix of linear operators
(:func:`matrix_hessian`, reverse over reverse through the matrix back substitution).

>>> import sympy as sp
>>> x, y = sp.symbols("x y")
>>> hessian(x**2*y + sp.sin(y), [x, y])
Matrix([
[2*y,     2*x],
[2*x, -sin(y)]])
>>> hvp(x**2*y + sp.sin(y), [x, y], [1, 0])
[2*y, 2*x]
>>> P = hvp(sp.exp(x*y), [x, y], [1, 0], form="program")
>>> print(P)
v1 = x*y
f = exp(v1)
f_dot = f*y
y_bar_dot = f + f_dot*x
x_bar_dot = f_dot*y
return (x_bar_dot, y_bar_dot)
>>> P.closed_form()
[y**2*exp(x*y), x*y*exp(x*y) + exp(x*y)]
"""

from __future__ import annotations

import functools
import numbers
import operator
from collections.abc import Mapping

import networkx as nx
import sympy as sp

from ..core.elements import zero
from ..errors import InputError, boundary, record
from ..graph.build import build_graph
from ..graph.check import resolve_wrt
from ..graph.formulas import check_closed_forms
from ..operators.maps import LinearMap
from ..parse.parser import Program
from ..printing.adjoints import AdjointSymbol, unknown_suffix
from ..solve.matrices import TriangularSystem, triangular_system
from ..solve.substitution import forward_substitute
from .gradient import Differentiation, differentiate, gradient
from .program import GradientProgram, _live, _needed_forward, gradient_program

__all__ = ["gradient_graph", "hessian", "hvp", "matrix_hessian", "second_derivatives"]

MODES = ("forward", "reverse")


@boundary
def gradient_graph(f, wrt=None, *, closed: bool = False) -> nx.DiGraph:
    """The graph of the gradient program of a scalar ``f``: one node per assignment, the
    gradient entries x̄_i as outputs (aligned with ``wrt``).

    An entry that the program returns without an adjoint assignment of its own (an input, a
    number, a forward value such as 2x for x², 0 for a variable that does not occur) gets
    one, ``x_bar = …``, so that every output is a node named after its variable.
    ``graph["gradient_program"]`` keeps the program and ``graph["wrt"]`` the variables.
    With ``closed``, a function whose closed forms are over the limits is refused first
    (the closed forms of second derivatives contain them).
    """
    G = build_graph(f)
    if closed:
        check_closed_forms(G)
    bare = [v for v in G if G.nodes[v]["kind"] != "input" and G.nodes[v]["expr"] is None]
    if bare:
        raise InputError(f"node {bare[0]} of the graph has weights but no expression: a graph "
                         f"made by hand gives first derivatives only (its weights do not say "
                         f"how they change); give the function as an expression or a program")
    P = gradient_program(G, wrt)
    if not P.wrt:
        raise InputError("there is no variable to differentiate by (wrt is empty, or f has no "
                         "inputs): second derivatives need at least one variable")
    if any(isinstance(v, sp.MatrixSymbol) for v in P.graph):
        raise InputError("a gradient program's graph has scalar nodes only; for matrix "
                         "variables, hessian(f, [X]) gives the Hessian as operators and "
                         "hvp(f, [X], [V]) applies it")
    assignments = list(P.assignments)
    assigned = {name for name, _ in assignments}
    suffix = unknown_suffix(P.graph, "reverse")
    outputs = []
    for var, out in zip(P.wrt, P.outputs, strict=True):
        if isinstance(out, AdjointSymbol) and out in assigned and out not in outputs:
            outputs.append(out)
            continue
        name = AdjointSymbol(var, suffix)
        while name in assigned:
            name = AdjointSymbol(sp.Symbol(name.name), "_")
        assignments.append((name, sp.sympify(out, strict=True)))
        assigned.add(name)
        outputs.append(name)
    inputs = tuple(dict.fromkeys([*P.inputs, *P.wrt]))
    G = build_graph(Program(tuple(assignments), inputs), outputs=outputs, nodes="statements")
    G.graph.update(gradient_program=P, wrt=list(P.wrt))
    return G


def second_derivatives(f, wrt=None, *, mode: str = "forward",
                       closed: bool = False) -> Differentiation:
    """The Hessian's differentiation: the gradient program's graph, its system and the
    solves (``mode="forward"``: one forward substitution per variable, forward over
    reverse; ``"reverse"``: one back substitution per gradient entry, reverse over
    reverse). Its ``jacobian`` is the Hessian. ``closed``: as in
    :func:`~symbackslash.differentiate` (closed forms over the limits refused before the
    solve)."""
    if mode not in MODES:
        raise InputError(f"mode must be 'forward' (forward over reverse) or 'reverse' "
                         f"(reverse over reverse), not {mode!r}")
    G = f if isinstance(f, nx.DiGraph) and "gradient_program" in f.graph else \
        gradient_graph(f, wrt, closed=closed)
    record(graph=G)
    return differentiate(G, G.graph["wrt"], mode=mode, closed=closed)


@boundary
def hessian(f, wrt=None, *, mode: str | None = None, form: str = "closed"):
    """The Hessian of a scalar ``f``: the Jacobian of its gradient program.

    Parameters
    ----------
    f, wrt
        As in :func:`~symbackslash.gradient` (expressions, texts, programs, graphs).
    mode : {"forward", "reverse"}
        The second pass: forward substitution per variable on the gradient program's graph
        (forward over reverse, the default for scalar variables), or back substitution per
        gradient entry (reverse over reverse, the one for matrix variables). The results
        are equal; neither assumes symmetry.
    form : {"closed", "program"}
        ``"closed"``: a SymPy ``Matrix`` in the inputs. ``"program"``: a
        :class:`~symbackslash.GradientProgram` whose outputs are the Hessian's entries, row
        by row (forward over reverse; its ``closed_form()`` is that list).

    With matrix variables the Hessian is a ``Matrix`` of linear operators, block (i, j) the
    :class:`~symbackslash.LinearMap` dX_j ↦ (the change of ∇_{X_i} f), with its adjoint (see
    :func:`matrix_hessian`): for tr(XᵀAX), ``Matrix([[(dX -> (A + A.T)*dX)]])``.
    """
    if mode not in (None, *MODES):
        raise InputError(f"mode must be 'forward' (forward over reverse) or 'reverse' "
                         f"(reverse over reverse), not {mode!r}")
    if _has_matrices(f):
        if mode == "forward" or form != "closed":
            raise InputError("with matrix variables the Hessian is a matrix of operators, "
                             "found by reverse over reverse in closed form; leave mode and "
                             "form at their defaults")
        return matrix_hessian(f, wrt)
    mode = mode or "forward"
    if form == "program":
        if mode != "forward":
            raise InputError(f"a Hessian program is written by forward substitution; "
                             f"mode={mode!r} is for form='closed'")
        G = gradient_graph(f, wrt)
        wrt = G.graph["wrt"]
        seeds = [[sp.S.One if w == v else sp.S.Zero for w in wrt] for v in wrt]
        columns = [_tangent_program(G, seed, f"_d{v}") for v, seed in zip(wrt, seeds,
                                                                            strict=True)]
        return _join(G, columns, rows=True)
    if form != "closed":
        raise InputError(f"form must be 'closed' or 'program', not {form!r}")
    result = second_derivatives(f, wrt, mode=mode, closed=True)
    record(differentiation=result)
    return result.jacobian


@boundary
def hvp(f, wrt, v, *, form: str = "closed"):
    """The Hessian-vector product H·v by one forward substitution on the gradient program's
    graph (forward over reverse), without forming H.

    Parameters
    ----------
    f, wrt
        As in :func:`hessian`.
    v : sequence or mapping
        The direction: one number or expression per variable of ``wrt`` (or
        ``{variable: value}``, missing ones 0). For matrix variables, matrices of their
        shapes: (H·V)_i = Σ_j H_ij(V_j), with the operators of :func:`matrix_hessian`.
    form : {"closed", "program"}
        A list aligned with ``wrt``, or a :class:`~symbackslash.GradientProgram` (the
        gradient program followed by the tangent of each assignment) whose ``ratio`` is its
        cost against the function's.
    """
    if form not in ("closed", "program"):
        raise InputError(f"form must be 'closed' or 'program', not {form!r}")
    if _has_matrices(f):
        return _matrix_hvp(f, wrt, v, form)
    G = gradient_graph(f, wrt, closed=form == "closed")
    wrt = G.graph["wrt"]
    direction = _direction(wrt, v)
    if form == "program":
        return _join(G, [_tangent_program(G, direction, "")], rows=False)
    # solve with placeholders, so that the direction's symbols never meet node names
    holders = [sp.Dummy(f"v_{k}") for k in range(len(wrt))]
    check_closed_forms(G)
    system = triangular_system(G)
    solution = forward_substitute(system.lower(), _seed(system, wrt, holders))
    result = Differentiation(G, system, "forward", list(G.graph["outputs"]), wrt, [solution])
    values = dict(zip(holders, direction, strict=True))
    return [result.closed_form(solution[system.position(out)]).xreplace(values)
            for out in G.graph["outputs"]]


def _seed(system: TriangularSystem, wrt: list, direction: list) -> list:
    """The right-hand side Σ v_i e_{x_i} of the forward solve."""
    seed = [zero(node) for node in system.nodes]
    for var, value in zip(wrt, direction, strict=True):
        if var in system.graph:
            seed[system.position(var)] = value
    return seed


def _direction(wrt: list, v) -> list:
    if isinstance(v, Mapping):
        by_name = {str(var): var for var in wrt}
        unknown = [k for k in v if str(k) not in by_name]
        if unknown:
            raise InputError(f"v names {unknown[0]!r}, which is not a variable of wrt "
                             f"({', '.join(map(str, wrt))})")
        v = [next((val for k, val in v.items() if str(k) == str(var)), 0) for var in wrt]
    if isinstance(v, (str, bytes)) or not hasattr(v, "__len__"):
        raise InputError(f"v must be a list with one entry per variable of wrt, not "
                         f"{type(v).__name__}")
    v = list(v)
    if len(v) != len(wrt):
        raise InputError(f"v has {len(v)} entries but wrt has {len(wrt)} variables")
    result = []
    for k, item in enumerate(v):
        if isinstance(item, (str, bool, complex)) or \
                not isinstance(item, (numbers.Real, sp.Expr)):  # NumPy's numbers are Real
            raise InputError(f"v[{k}] = {item!r} must be a number or a SymPy expression "
                             f"(text is not read here)")
        value = sp.sympify(item, strict=True)
        if value.has(sp.nan, sp.oo, -sp.oo, sp.zoo):
            raise InputError(f"v[{k}] = {item!r} is not finite: a direction needs finite "
                             f"entries")
        result.append(value)
    return result


def _tangent_program(G: nx.DiGraph, direction: list, tag: str) -> tuple:
    """Forward substitution on the gradient program's graph, every tangent named:
    ``(assignments, outputs)``."""
    system = triangular_system(G)
    own = {node: G.nodes[node]["expr"] for node in G if G.nodes[node]["expr"] is not None}
    # a weight that repeats an assignment's value uses its name (∂exp(u)/∂u = v)
    lower = {(i, j): w.xreplace({own[system.nodes[i]]: system.nodes[i]})
             if i != j and isinstance(w, sp.Basic) else w
             for (i, j), w in system.lower().items()}
    suffix = unknown_suffix(G, "forward") + tag
    tangents: list = []

    def assign(i, value):
        if value.is_Atom:
            return value
        name = sp.Symbol(f"{system.nodes[i].name}{suffix}")
        tangents.append((name, value))
        return name

    solution = forward_substitute(lower, _seed(system, G.graph["wrt"], direction),
                                  assign=assign)
    outputs = [solution[system.position(out)] for out in G.graph["outputs"]]
    tangents = _live(tangents, outputs)
    return tangents, outputs


def _join(G: nx.DiGraph, parts: list, *, rows: bool) -> GradientProgram:
    """One program: the gradient program's assignments that the tangents need, then the
    tangents of each part, returning the parts' outputs in order."""
    P = G.graph["gradient_program"]
    tangents = [t for part, _ in parts for t in part]
    outputs = [o for _, part in parts for o in part]
    if rows:  # the parts are columns H[:, j]: return H row by row
        n = len(parts)
        outputs = [outputs[j * n + i] for i in range(n) for j in range(n)]
    needed = set().union(*(sp.sympify(e, strict=True).free_symbols
                           for e in [e for _, e in tangents] + outputs))
    forward = _needed_forward(G, needed)
    return GradientProgram(P.inputs, forward, tangents, outputs, list(P.wrt), P.graph)


def _has_matrices(f) -> bool:
    if isinstance(f, nx.DiGraph):
        return any(isinstance(v, sp.MatrixSymbol) for v in f)
    return isinstance(f, sp.Basic) and bool(f.atoms(sp.MatrixSymbol))


def _pairing(a, b):
    """⟨a, b⟩ = tr(aᵀb) for matrices, a·b for scalars."""
    return sp.Trace(a.T * b) if isinstance(a, sp.MatrixExpr) else a * b


def _placeholder(stem: str, like, taken: set):
    """A fresh symbol of ``like``'s shape named ``stem`` (primed until no name is taken)."""
    while stem in taken:
        stem += "_"
    taken.add(stem)
    return sp.MatrixSymbol(stem, *like.shape) if isinstance(like, sp.MatrixSymbol) \
        else sp.Symbol(stem)


def matrix_hessian(f, wrt=None) -> sp.Matrix:
    """The Hessian of a scalar function of matrices, block (i, j) the operator
    H_ij: dX_j ↦ the change of ∇_{X_i} f, as a :class:`~symbackslash.LinearMap`.

    Reverse over reverse, through the matrix back substitution, and no symmetry assumed:
    H_ijᵀ: W ↦ ∇_{X_j}⟨∇_{X_i} f, W⟩ is a gradient, and H_ij itself is the gradient of
    ⟨dX_j, H_ijᵀ(W)⟩ with respect to W (the transpose-dot of that linear map).
    """
    G = build_graph(f)
    wrt = resolve_wrt(G, wrt)
    grads = gradient(G, wrt)
    taken = {str(s) for s in G} | {str(v) for v in wrt}
    directions = [_placeholder(f"d{v}", v, taken) for v in wrt]
    weights = [_placeholder(f"w{v}", v, taken) for v in wrt]
    blocks = sp.zeros(len(wrt), len(wrt))
    for i, g in enumerate(grads):
        transposes = gradient(_pairing(g, weights[i]), wrt)  # H_ijᵀ(w_i) for every j
        for j, t in enumerate(transposes):
            (body,) = gradient(_pairing(directions[j], t), [weights[i]])
            blocks[i, j] = LinearMap(directions[j], body, weights[i], t)
    return blocks


def _matrix_hvp(f, wrt, v, form: str):
    """H·V for matrix variables: (H·V)_i = Σ_j H_ij(V_j), from :func:`matrix_hessian`."""
    if form != "closed":
        raise InputError("hvp(..., form='program') takes scalar variables; for matrices "
                         "form='closed' gives H·V in closed form")
    wrt = resolve_wrt(build_graph(f), wrt)
    direction = list(v) if not isinstance(v, Mapping) else [v.get(var, zero(var)) for var in wrt]
    if len(direction) != len(wrt):
        raise InputError(f"v has {len(direction)} entries but wrt has {len(wrt)} variables")
    for var, d in zip(wrt, direction, strict=True):
        if getattr(d, "shape", ()) != getattr(var, "shape", ()):
            raise InputError(f"the direction for {var} must have its shape "
                             f"{getattr(var, 'shape', 'scalar')}, not {d!r}")
    H = matrix_hessian(f, wrt)
    return [functools.reduce(operator.add, [H[i, j](d) for j, d in enumerate(direction)])
            for i in range(len(wrt))]
