"""The gradient as a straight-line program: cheap gradients from one back substitution.

A closed-form gradient can be much larger than the function; the *program* that computes it
is not (the cheap-gradient principle: a small constant times the function's cost). This
module runs the same :func:`~symbackslash.back_substitute` on (I − L)ᵀ, with an
``assign`` hook that gives every adjoint x̄_k its own name, so the solve writes the program:

1. forward assignments: the node values the weights need (dead code removed);
2. adjoint assignments: x̄_k = Σ_j L[j, k]·x̄_j, one per node on a path to the output
   from a variable of ``wrt`` (adjoints nobody uses are dropped);
3. outputs: the adjoints of the variables.

Products of many factors are split into a chain of binary products first (SymPy flattens
``a*b*c*d`` into one node whose partials would be quadratic in the number of factors). A
weight that repeats the value of a node is written with the node's name (∂eᵘ/∂u = v, and
∂cos(x)/∂x = −s where the function computes s = sin(x)), so the forward part computes it
once, where it is counted; an adjoint −ȳ·(t² − 1) is written ȳ·(1 − t²), its sign inside
the sum.

Matrix graphs give matrix programs the same way: the weights are operators, applied by the
solver to named adjoints, and each matrix node's adjoint is a
:class:`~symbackslash.MatrixAdjoint` of its shape (the program of a 100-layer
network has a few lines per layer; :mod:`.codegen` compiles it to NumPy).

>>> import sympy as sp
>>> x, y = sp.symbols("x y")
>>> P = gradient_program(sp.exp(x*y) + x, [x, y])
>>> print(P)
v1 = x*y
v2 = exp(v1)
y_bar = v2*x
x_bar = v2*y + 1
return (x_bar, y_bar)
>>> P.closed_form()
[y*exp(x*y) + 1, x*exp(x*y)]
"""

from __future__ import annotations

import dataclasses
import re

import networkx as nx
import sympy as sp
from sympy.core.function import AppliedUndef

from ..core.constructors import canonical
from ..core.elements import zero
from ..core.scalars import product, total
from ..core.tidy import tidy
from ..core.walk import bottom_up, name_of, postorder, substitute, symbols
from ..errors import GraphError, InputError, boundary
from ..graph.build import build_graph
from ..graph.check import node_order, resolve_wrt
from ..graph.formulas import closed_forms
from ..numeric.checked import CheckedFunction
from ..numeric.codegen import (
    MATRIX_PRINTERS,
    ScalarSciPyPrinter,
    generated_symbol,
    matrix_printer,
    scalar_printer,
    undefined_names,
)
from ..numeric.evaluate import KINK_HEADS
from ..printing.adjoints import AdjointSymbol, adjoint_name, unknown_suffix
from ..printing.text import text
from ..rules.scalar import local_partials
from ..solve.matrices import assemble
from ..solve.substitution import back_substitute

__all__ = ["AdjointSymbol", "GradientProgram", "gradient_program", "binary_products",
           "without_copies", "operation_count", "compile_program", "function_program"]


def operation_count(assignments) -> int:
    """Operations in a list of ``(name, expression)`` assignments (SymPy's ``count_ops``:
    each +, −, ×, ÷, power and function call counts one)."""
    return sum(sp.count_ops(expr) for _, expr in assignments)


@dataclasses.dataclass
class GradientProgram:
    """A straight-line program computing a gradient.

    Attributes
    ----------
    inputs : tuple of Symbol
    forward : list of (Symbol, Expr)
        Node values the gradient needs, in order.
    adjoint : list of (AdjointSymbol, Expr)
        x̄_k = Σ_j L[j, k]·x̄_j, in back-substitution order.
    outputs : list of Expr
        The gradient entries (adjoint symbols, or 0), aligned with ``wrt``.
    wrt : list
    graph : networkx.DiGraph
        The graph of the function (before products were split).
    """

    inputs: tuple
    forward: list
    adjoint: list
    outputs: list
    wrt: list
    graph: nx.DiGraph = dataclasses.field(repr=False)

    @property
    def function_operations(self) -> int:
        """Operations of the function itself (its graph: shared nodes counted once)."""
        return operation_count(function_program(self.graph))

    @property
    def assignments(self) -> list:
        """Forward then adjoint assignments."""
        return self.forward + self.adjoint

    @property
    def operations(self) -> int:
        """Operations of the whole gradient program."""
        return operation_count(self.assignments)

    @property
    def ratio(self) -> float:
        """Gradient-program operations ÷ function operations (the cheap-gradient ratio)."""
        return self.operations / max(self.function_operations, 1)

    @boundary
    def closed_form(self) -> list:
        """The gradient in closed form: the program's outputs with every name substituted
        (each distinct subexpression once). Matrix results have their operations evaluated
        one level as back substitution applies them, and are tidied as
        :func:`~symbackslash.gradient` tidies them; scalar results are held to the
        limits of :func:`~symbackslash.graph.formulas.closed_forms`, as ``gradient`` is."""
        if not any(isinstance(v, sp.MatrixSymbol) for v in self.graph):
            values = closed_forms(self.assignments)
            return [out.xreplace(values) if isinstance(out, sp.Basic) else out
                    for out in self.outputs]
        values: dict = {}  # names and subexpressions → their values
        for name, expr in self.assignments:
            values[name] = bottom_up(expr, canonical, values)
        memo: dict = {}
        return [tidy(bottom_up(sp.sympify(out, strict=True), canonical, values), memo)
                for out in self.outputs]

    @boundary
    def lambdify(self, args=None, modules="numpy", *, check: bool = True):
        """Compile the program into a Python function returning the list of gradient entries.

        Parameters
        ----------
        args : sequence of symbols or names, optional
            The function's parameters, in order; they must include every input (default:
            ``inputs``, sorted by name — mind that ``x10`` sorts before ``x2``).
        modules : str
            As in :func:`sympy.lambdify` (``"numpy"``, ``"math"``, ``"mpmath"``, ``"jax"``).
        check : bool
            With ``True`` (the default) the function is a
            :class:`~symbackslash.numeric.checked.CheckedFunction`: at a point where the gradient,
            or the function itself, is undefined it raises
            :class:`~symbackslash.EvaluationDomainError` naming the assignment, instead
            of returning nan or inf; it pickles (and is compiled again where it is
            unpickled), so worker pools can use it. ``False`` gives the bare compiled
            function, which does not pickle.

        See :func:`compile_program`.
        """
        args = list(self.inputs) if args is None else resolve_wrt(self.graph, args)
        missing = [s for s in self.inputs if s not in args]
        if missing:
            raise InputError(f"args must include every input; missing: {missing}")
        repeated = sorted({str(a) for a in args if args.count(a) > 1})
        if repeated:
            raise InputError(f"args name {', '.join(repeated)} more than once")
        outputs = [sp.sympify(out, strict=True) for out in self.outputs]
        if not check:
            return compile_program(args, self.assignments, outputs, modules)
        return checked_function(args, self.assignments, outputs, function_program(self.graph),
                                modules)

    def __str__(self) -> str:
        """The program as text, in the notation of :func:`~symbackslash.text`
        (h.(X) for element-wise functions, A .* B for element-wise products)."""
        lines = [f"{text(name)} = {text(expr)}" for name, expr in self.assignments]
        lines.append(f"return ({', '.join(map(text, self.outputs))})")
        return "\n".join(lines)


def _kinks(expr) -> list:
    """The arguments of ``sign``/``Heaviside`` in ``expr`` that the compiled program can
    return: not those inside an element-wise function's body, whose variable is bound."""
    bound = set().union(*(f.variables for f in expr.atoms(sp.Lambda)))
    return [k.args[0] for k in expr.atoms(*KINK_HEADS) if not k.args[0].free_symbols & bound]


#: Heads that bind a symbol of their own, which a substitution leaves alone (an element-wise
#: function's Lambda binds a dummy, which the printer names itself).
_BINDING = (sp.Subs, sp.Sum, sp.Product, sp.Integral, sp.Derivative)


def _renamed(expr, safe: dict):
    """``expr`` with every symbol, bound ones included, renamed by ``safe``: substituted on
    the DAG (linear time), and renamed as a tree only when it binds symbols (``Subs``, …)."""
    renamed = substitute(expr, safe)
    if isinstance(renamed, sp.Basic) and any(isinstance(e, _BINDING)
                                             for e in postorder(renamed)):
        renamed = renamed.xreplace(safe)
    return renamed


def compile_program(inputs, assignments, outputs, modules="numpy"):
    """Compile a straight-line program into a Python function of ``inputs``.

    Every symbol, free or bound, is renamed to a generated identifier first, and undefined
    functions are refused, so no user text (symbol or function names) reaches the code that
    :func:`sympy.lambdify` compiles; the assignments become the function's local variables,
    so shared values are computed once. With ``modules="numpy"``, special functions compile
    to SciPy when it is installed; a function the module lacks (``DiracDelta``, or
    ``LambertW`` under ``"math"``), a ``Sum`` with a symbolic limit or a module that is not
    installed is refused here, with an :class:`~symbackslash.InputError`, not when called.

    >>> import sympy as sp
    >>> x, a = sp.symbols("x a")
    >>> compile_program([x], [(a, x + 1)], [a**2, a], modules="math")(2.0)
    [9.0, 3.0]
    """
    outputs = [_without_ite(sp.sympify(out, strict=True)) for out in outputs]
    assignments = [(name, _without_ite(expr)) for name, expr in assignments]
    exprs = [e for _, e in assignments] + outputs
    undefined = set().union(*(e.atoms(AppliedUndef) for e in exprs))
    if undefined:
        raise InputError(f"cannot compile the undefined function(s) "
                         f"{', '.join(sorted(map(str, undefined)))}; define them in SymPy")
    symbols = set(inputs).union(*(e.atoms(sp.Symbol, sp.MatrixSymbol) for e in exprs),
                                (name for name, _ in assignments))
    safe = {s: generated_symbol(s, k)
            for k, s in enumerate(sorted(symbols, key=sp.default_sort_key))}
    # substitute, not xreplace: SymPy would re-apply a 1×1 element-wise function to a matrix
    replacements = [(safe[name], _renamed(expr, safe)) for name, expr in assignments]
    printer, namespace = None, modules
    if any(isinstance(s, sp.MatrixSymbol) for s in safe):
        if not isinstance(modules, str) or modules not in MATRIX_PRINTERS:
            raise InputError(f"a program with matrices compiles to "
                             f"{' or '.join(map(repr, MATRIX_PRINTERS))}, not {modules!r}")
        # the printer writes module-qualified names (numpy.maximum, functools.reduce)
        printer, namespace = matrix_printer(modules)
    else:
        printer, namespace = scalar_printer(modules)
    for bound in set().union(*(e.atoms(sp.Sum, sp.Product) for e in exprs)):
        if any(limit.free_symbols for _, *limits in bound.limits for limit in limits):
            raise InputError(f"cannot compile {type(bound).__name__} with a symbolic limit "
                             f"({bound}): the compiled code counts with integers; give "
                             f"numeric limits or .doit() it first")
    if printer is not None:  # unknown functions printed by name, refused below by name
        printer = printer({"allow_unknown_functions": True, "inline": True,
                           "fully_qualified_modules": printer is not ScalarSciPyPrinter})
    try:
        function = sp.lambdify([safe[s] for s in inputs],
                               [_renamed(out, safe) for out in outputs], modules=namespace,
                               cse=lambda exprs: (replacements, list(exprs)),
                               docstring_limit=0, printer=printer)
    except (ImportError, NameError) as err:
        raise InputError(f"cannot compile for modules={modules!r}: {err}; use \"numpy\", "
                         f"\"math\", \"mpmath\" or \"jax\" (installed)") from None
    missing = undefined_names(function)
    missing = [n for n in missing if not re.fullmatch(r"_t\d+", n)] or missing  # not ours
    if missing:
        hint = ("install SciPy (pip install scipy), whose special functions NumPy lacks, or "
                if modules == "numpy" and namespace == "numpy" else "")
        raise InputError(f"cannot compile {', '.join(missing)} for modules={modules!r}: the "
                         f"module has no such function; {hint}use modules=\"mpmath\" or "
                         f"\"numpy\" with SciPy, or rewrite the expression")
    return function


def _without_ite(expr):
    """``expr`` with every ``ITE(a, b, c)`` written as ``(a ∧ b) ∨ (¬a ∧ c)``. SymPy's NumPy
    printer prints an ITE as ``numpy.select`` with a nan default, a float array, which
    NumPy's select refuses as a condition (TypeError); inside a Piecewise condition it first
    tries simplify_logic, which gives up (keeps the ITE) beyond 8 relations, and is slow."""
    if not isinstance(expr, sp.Basic) or not expr.has(sp.ITE):
        return expr
    return expr.replace(sp.ITE, lambda a, b, c: sp.Or(sp.And(a, b), sp.And(sp.Not(a), c)))


def checked_function(args, assignments, outputs, function, modules) -> CheckedFunction:
    """The :class:`CheckedFunction` of a gradient program (``assignments`` → ``outputs``)
    and of its ``function`` program, which must be defined where the gradient is computed.
    It pickles as this call, so it can be sent to worker processes and compiled there."""
    kinks = list(dict.fromkeys(arg for _, e in assignments for arg in _kinks(e)))
    checked = [name for name, _ in assignments]
    program = compile_program(args, assignments, outputs + checked + kinks, modules)
    domain = compile_program(args, function, [v for v, _ in function], modules)
    result = CheckedFunction(program, args, len(outputs), assignments, kinks,
                             domain=(domain, function), numpy=modules == "numpy")
    result.recipe = (checked_function, (args, assignments, outputs, function, modules))
    return result


def function_program(G: nx.DiGraph) -> list:
    """The function itself as a straight-line program: ``(node, expr)`` in node order."""
    return [(v, G.nodes[v]["expr"]) for v in node_order(G) if G.nodes[v]["expr"] is not None]


def binary_products(G: nx.DiGraph) -> nx.DiGraph:
    """A copy of ``G`` in which every product of three or more operands is a chain of binary
    products ``t = a*b, t' = t*c, …`` (new nodes ``name_2, name_3, …``), so its partials cost
    one multiplication each instead of k − 1. ``G`` itself when it has no such product (it is
    not changed, and neither is the result to be)."""
    if not any(_long_product(G.nodes[v]["expr"]) for v in G):
        return G
    H = nx.DiGraph()
    H.graph.update(G.graph)
    index = 0
    for v in node_order(G):
        data = G.nodes[v]
        expr = data["expr"]
        if not _long_product(expr):
            index += 1  # unchanged: keep the node and its weights
            H.add_node(v, expr=expr, kind=data["kind"], index=index)
            H.add_edges_from(G.in_edges(v, data=True))
            continue
        coeff, rest = expr.as_coeff_Mul()
        factors = list(rest.args)
        partial = factors[0]
        for k, factor in enumerate(factors[1:-1], start=2):
            t = sp.Symbol(f"{v}_{k}")
            while t in G or t in H:
                t = sp.Symbol(f"{t.name}_")
            index += 1
            _add(H, t, partial * factor, "intermediate", index)
            partial = t
        index += 1
        _add(H, v, coeff * partial * factors[-1], data["kind"], index)
    return H


def without_copies(G: nx.DiGraph) -> nx.DiGraph:
    """A copy of ``G`` in which no node reads a copy (a scalar node whose value is another
    node, ``t = x``) but reads the original instead, its value made again by SymPy and its
    partials from the rule table: ``2·x·t`` becomes ``2·x²``, whose adjoint costs one
    product where the two factors' cost two and a sum. A copy stays where a node reading
    it would not be made of nodes any more (``t·x·y`` would be ``x²·y``) and where it is an
    output. ``G`` itself when no copy can go."""
    copies = _copies(G)
    outputs = set(G.graph["outputs"])
    while True:  # drop the copies that some reader cannot do without, until none is left
        made, kept = {}, set()
        for w in {w for v in copies for w in G.successors(v)}:
            mapping = {u: copies[u] for u in G.predecessors(w) if u in copies}
            expr = G.nodes[w]["expr"].xreplace(mapping)
            weights = local_partials(expr)
            if all(u in G and u not in copies for u in weights):
                made[w] = expr, weights
            else:
                kept |= set(mapping)
        if not kept:
            break
        copies = {v: u for v, u in copies.items() if v not in kept}
    if not made:
        return G
    H = nx.DiGraph()
    H.graph.update(G.graph)
    nodes = [v for v in node_order(G) if v not in copies or v in outputs]
    for index, v in enumerate(nodes, start=1):
        data = G.nodes[v]
        H.add_node(v, **{**data, "index": index})
        if v in made:
            expr, weights = made[v]
            H.nodes[v]["expr"] = expr
            H.add_edges_from((u, v, {"weight": w}) for u, w in weights.items())
        else:
            H.add_edges_from(G.in_edges(v, data=True))
    return H


def _copies(G: nx.DiGraph) -> dict:
    """``{copy: original}`` for the scalar nodes of ``G`` whose value is another node (a
    copy of a copy: the first original)."""
    copies = {v: G.nodes[v]["expr"] for v in G if G.nodes[v]["kind"] != "input"
              and isinstance(G.nodes[v]["expr"], sp.Symbol) and G.nodes[v]["expr"] in G}
    for v, u in copies.items():
        while u in copies:
            u = copies[u]
        copies[v] = u
    return copies


def _refuse_shared_names(G: nx.DiGraph) -> None:
    """A program names every value: two different symbols of one name (``x`` and ``x`` with
    ``positive=True``, two ``Dummy('u')``) would give their adjoints one name."""
    seen: dict = {}
    for v in G:
        other = seen.setdefault(name_of(v), v)
        if other != v:
            raise InputError(f"two different symbols are both named {v} ({sp.srepr(other)} and "
                             f"{sp.srepr(v)}); a gradient program names each value and its "
                             f"adjoint: rename one (gradient(f) in closed form keeps them apart)")


def _long_product(expr) -> bool:
    """Whether a node's expression is a scalar product of three or more factors."""
    return expr is not None and not isinstance(expr, sp.MatrixExpr) and expr.is_Mul \
        and _factor_count(expr) >= 3


def _factor_count(expr: sp.Mul) -> int:
    rest = expr.as_coeff_Mul()[1]
    return len(rest.args) if rest.is_Mul else 1


def _add(H: nx.DiGraph, v, expr, kind: str, index: int) -> None:
    H.add_node(v, expr=expr, kind=kind, index=index)
    if expr is not None:
        for u, w in local_partials(expr).items():
            H.add_edge(u, v, weight=w)


@boundary
def gradient_program(f, wrt=None) -> GradientProgram:
    """The gradient of a scalar ``f`` as a :class:`GradientProgram` (reverse mode).

    ``f`` and ``wrt`` are as in :func:`~symbackslash.gradient`. The program is back
    substitution on the function's graph made cheaper, never different in value: products
    of three or more operands become chains of binary products (:func:`binary_products`),
    a node reading a copy ``t = x`` reads ``x`` (:func:`without_copies`), a weight that
    repeats a value the function computes uses its name, and every adjoint is a named
    variable.
    """
    G = build_graph(f)
    variables = resolve_wrt(G, wrt)
    if len(G.graph["outputs"]) != 1:
        raise InputError("a gradient program needs one scalar output")
    bare = [v for v in node_order(G)
            if G.nodes[v]["kind"] != "input" and G.nodes[v]["expr"] is None]
    if bare:
        raise GraphError(f"node {bare[0]} of the graph has weights but no expression: a graph "
                         f"made by hand has no program to run forward (its values are not "
                         f"defined); use gradient(G) for the gradient in closed form, or give "
                         f"the function as an expression or a program")
    _refuse_shared_names(G)
    H = binary_products(without_copies(G))
    S = assemble(H)  # our own split of a graph build_graph checked
    (out,) = H.graph["outputs"]
    own = {v: H.nodes[v]["expr"] for v in H if H.nodes[v]["expr"] is not None}
    if any(isinstance(v, sp.MatrixSymbol) for v in H):
        # A weight that repeats its node's value uses the node's name: ∂exp(u)/∂u = v (not
        # inside a derivative: ∂g(u)/∂u is no derivative of the name v).
        upper = {(j, i): _named(w, own[S.nodes[i]], S.nodes[i]) if i != j else w
                 for (j, i), w in S.upper().items()}
    else:
        # A weight that repeats the value of any node uses the node's name: ∂exp(u)/∂u = v,
        # and ∂cos(x)/∂x = −sin(x) = −s where the function computes s = sin(x) too.
        values = _node_values(own)
        upper = {(j, i): _names_for_values(w, values) if i != j else w
                 for (j, i), w in S.upper().items()}
    adjoint: list = []
    suffix = unknown_suffix(H, "reverse")

    def assign(i, value):
        if value.is_Atom or isinstance(value, (sp.MatrixSymbol, sp.ZeroMatrix)):
            return value
        name = adjoint_name(S.nodes[i], suffix)
        adjoint.append((name, _sign_inside(value)))
        return name

    solution = back_substitute(upper, S.unit(out), assign=assign)
    outputs = [solution[S.position(v)] if v in H else zero(v) for v in variables]
    named = {name for name, _ in adjoint}
    for k, v in enumerate(variables):  # x_bar = h_bar after a copy h = x: name it x_bar
        if v in H and outputs[k] in named:
            name = adjoint_name(v, suffix)
            if name != outputs[k] and name not in named:
                adjoint.append((name, outputs[k]))
                named.add(name)
                outputs[k] = name
    adjoint = _live(adjoint, outputs)
    needed = symbols([expr for _, expr in adjoint] + [sp.sympify(o, strict=True) for o in outputs])
    forward = _needed_forward(H, needed)
    return GradientProgram(tuple(G.graph["inputs"]), forward, adjoint, outputs, variables, G)


def _node_values(own: dict) -> dict:
    """``{value: node}`` for every node of ``own`` (``{node: value}``) whose value is an
    operation (not a copy of another node or a constant); of two nodes with the same value,
    the first of ``own``."""
    values: dict = {}
    for v, expr in reversed(own.items()):
        if isinstance(expr, sp.Expr) and not expr.is_Atom:
            values[expr] = v
    return values


def _names_for_values(weight, values: dict):
    """``weight`` with every subexpression that is a node's value written as the node's
    name (not in a weight with a derivative or a head binding a symbol of its own: ∂g(u)/∂u
    is no derivative of the name). The node is then computed by the forward part of the
    program, where its operations are counted once, instead of inside the weight."""
    if not isinstance(weight, sp.Basic) or weight.is_Atom:
        return weight
    named = weight.xreplace(values)
    return weight if named is weight or weight.has(*_BINDING) else named


def _sign_inside(value):
    """``value`` = −c·a·(B) written c·a·(−B) when at least half the terms of the sum B are
    negative: −B then costs no more than B (a negative term costs a subtraction instead of
    an addition, a sum of negative terms one negation more), and the product's negation
    goes into the sum instead of costing an operation of its own (−ȳ·(t² − 1) = ȳ·(1 − t²),
    the adjoint through t = tanh(u)). Scalars only: a matrix product keeps its −1 among
    its factors, and its sums stay as the solve made them."""
    if not value.is_Mul or isinstance(value, sp.MatrixExpr):
        return value
    factors = list(value.args)
    coeff = factors[0]
    if not (coeff.is_Number and coeff.is_negative):
        return value
    for k, factor in enumerate(factors):
        if factor.is_Add:
            if 2 * sum(map(_is_negative_term, factor.args)) < len(factor.args):
                return value
            factors[0], factors[k] = -coeff, total(*map(_negate, factor.args))
            return product(*factors)
    return value


def _is_negative_term(term) -> bool:
    """A term of a sum with a negative numeric coefficient (−3, −x, −2·x·y)."""
    coeff = term.args[0] if term.is_Mul else term
    return coeff.is_Number and coeff.is_negative


def _negate(term):
    """``−term`` for a term of a canonical sum."""
    if term.is_Mul and term.args[0] is sp.S.NegativeOne:
        return term.as_coeff_Mul()[1]
    return -term


def _named(weight, value, name):
    """``weight`` with the node's ``value`` written as its ``name`` (not inside a
    derivative); the weight itself when it does not contain the value."""
    if not isinstance(weight, sp.Basic):
        return weight
    named = weight.xreplace({value: name})
    return weight if named is weight or weight.has(sp.Derivative) else named


def _live(adjoint: list, outputs: list) -> list:
    """The adjoint assignments the outputs depend on (the adjoints of inputs outside
    ``wrt`` and of what only they need are dead code)."""
    needed = symbols([sp.sympify(o, strict=True) for o in outputs])
    live = set()
    for name, expr in reversed(adjoint):
        if name in needed:
            live.add(name)
            needed |= symbols(expr)
    return [(name, expr) for name, expr in adjoint if name in live]


def _needed_forward(H: nx.DiGraph, needed: set) -> list:
    """The forward assignments that the names in ``needed`` depend on, in node order."""
    keep = set()
    todo = [v for v in needed if v in H and H.nodes[v]["expr"] is not None]
    while todo:
        v = todo.pop()
        if v not in keep:
            keep.add(v)
            todo.extend(u for u in H.predecessors(v) if H.nodes[u]["expr"] is not None)
    return [(v, H.nodes[v]["expr"]) for v in node_order(H) if v in keep]

