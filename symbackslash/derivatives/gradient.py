"""Gradients and Jacobians by solving the triangular system.

Reverse mode solves (I − L)ᵀ x̄ = e_out by back substitution: x̄_k is the derivative of the
output with respect to node k, and the gradient is the input rows of x̄. Forward mode solves
(I − L) ẋ = e_in by forward substitution, once per input. Both are the generic solvers of
:mod:`symbackslash.solve.substitution`, run on the sparse system of
:mod:`symbackslash.solve.matrices`, in node
symbols; the closed forms are those solutions with every node symbol replaced by its value
in terms of the inputs.

With matrices (:mod:`symbackslash.graph.matrix`) the entries of L are operators and the
same solvers run unchanged; a matrix variable's gradient is a matrix expression of its
shape, tidied for reading (:mod:`symbackslash.core.tidy`). In forward mode the unknowns are
operators and the output's one is a functional G^{T•}, whose G is the gradient.

>>> import sympy as sp
>>> x, y = sp.symbols("x y")
>>> gradient(sp.sin(x*y) + x*y, [x, y])
[y*(cos(x*y) + 1), x*(cos(x*y) + 1)]
>>> gradient("a = x*y\\nb = sin(a)\\nf = a + b", ["x", "y"], mode="forward")
[y*cos(x*y) + y, x*cos(x*y) + x]
>>> jacobian([x*y, x + y], [x, y])
Matrix([
[y, x],
[1, 1]])
>>> A, X = sp.MatrixSymbol("A", 3, 3), sp.MatrixSymbol("X", 3, 3)
>>> v = sp.MatrixSymbol("v", 3, 1)
>>> gradient(sp.Trace(A*X) + sp.log(sp.Determinant(X)), [X])
[X.T**(-1) + A.T]
>>> gradient(v.T*A*v, [v, A], mode="forward")
[(A + A.T)*v, v*v.T]
"""

from __future__ import annotations

import dataclasses
from functools import cached_property

import networkx as nx
import sympy as sp

from ..core.constructors import canonical
from ..core.elements import zero
from ..core.limits import get_limits, measure
from ..core.simplify import simplify_all
from ..core.tidy import tidy
from ..core.walk import bottom_up
from ..errors import InputError, ResourceLimitError, boundary, record
from ..graph.build import build_graph
from ..graph.check import resolve_wrt
from ..graph.formulas import check_closed_forms, formulas
from ..numeric.nonsmooth import NonSmoothPoint, nonsmooth_points
from ..operators.functionals import representer
from ..printing.latex import latex, node_symbol
from ..printing.pieces import Chain, Partial, Rows
from ..printing.text import text
from ..solve.matrices import TriangularSystem, assemble
from ..solve.substitution import back_substitute, forward_substitute
from .program import gradient_program

__all__ = ["Gradient", "Differentiation", "differentiate", "gradient", "jacobian"]

MODES = ("reverse", "forward")
#: ``simplify=`` of gradient and jacobian: none, the default clean-up, or sympy.simplify.
SIMPLIFY = ("off", "tidy", "full")


class Gradient(list):
    """A gradient: the list of derivatives aligned with ``wrt`` (it is a ``list`` and compares
    equal to one), which prints as rows ∂f/∂x = … (``str``, and LaTeX in a notebook).

    >>> import sympy as sp
    >>> x, y = sp.symbols("x y")
    >>> print(gradient(x*y, [x, y]))
    df/dx = y
    df/dy = x
    """

    def __init__(self, derivatives, wrt, output):
        super().__init__(derivatives)
        self.wrt, self.output = list(wrt), output

    def _rows(self) -> Rows:
        out = node_symbol(self.output)
        return Rows(tuple(Chain(Partial(out, node_symbol(v)), d)
                          for v, d in zip(self.wrt, self, strict=True)))

    def __str__(self) -> str:
        return text(self._rows())

    def _repr_latex_(self) -> str:
        return "$$%s$$" % latex(self._rows())


@dataclasses.dataclass
class Differentiation:
    """Everything one differentiation produced, kept for derivations and figures.

    Attributes
    ----------
    graph : networkx.DiGraph
    system : TriangularSystem
        In node symbols.
    mode : str
        ``"reverse"`` (one back substitution per output) or ``"forward"`` (one forward
        substitution per input).
    outputs : list
        Output node keys (rows of the Jacobian).
    wrt : list
        The variables differentiated by; input node keys, or the variables themselves where
        they do not occur (their derivatives are 0).
    solutions : list of Substitution
        Reverse mode: one per output (x̄, adjoints). Forward mode: one per variable of ``wrt``
        that occurs in the graph (ẋ, tangents), ``None`` for the others.
    """

    graph: nx.DiGraph
    system: TriangularSystem
    mode: str
    outputs: list
    wrt: list
    solutions: list

    @cached_property
    def values(self) -> dict:
        """Each node's value in terms of the inputs."""
        return formulas(self.graph)

    @cached_property
    def nonsmooth(self) -> list[NonSmoothPoint]:
        """The nodes whose derivative uses a convention at some points, and which entries of
        the Jacobian depend on them (see :mod:`symbackslash.numeric.nonsmooth`); empty if none."""
        return nonsmooth_points(self.graph, self.wrt)

    @cached_property
    def has_matrices(self) -> bool:
        """Whether the graph has matrix-valued nodes."""
        return any(isinstance(v, sp.MatrixSymbol) for v in self.graph)

    @cached_property
    def _substituted(self) -> dict:
        return dict(self.values)

    @cached_property
    def _tidied(self) -> dict:
        return {}

    def closed_form(self, expr, *, tidied: bool = True):
        """``expr`` (in node symbols) with every node symbol replaced by its value, tidied
        (:func:`~symbackslash.tidy`: matrix results cleaned up, exponentials and steps in
        products combined) unless ``tidied=False``.

        The results share their subexpressions (the node values), and the substitution and
        the tidying visit each distinct one once for all results: the cost is linear in the
        size of the graph. Printed, such a result is a tree that can be far larger (see
        :func:`~symbackslash.core.walk.tree_size`); the gradient program is the compact form.

        Raises
        ------
        ResourceLimitError
            When the closed form is nested too deeply for SymPy at Python's recursion limit
            (a composition hundreds of functions deep); the gradient *program*
            (``gradient(..., form="program")``) has no such limit.
        """
        if not isinstance(expr, sp.Basic):
            return expr
        try:
            value = bottom_up(expr, canonical, self._substituted)
            return tidy(value, self._tidied) if tidied else value
        except RecursionError:
            raise ResourceLimitError(
                "the closed form is nested too deeply for SymPy at Python's recursion limit; "
                "use gradient(..., form='program'), which has no depth limit, or raise "
                "sys.setrecursionlimit", limit="max_depth") from None

    def resolve(self, output, variable) -> tuple:
        """``(output, variable)`` as the keys of ``outputs`` and ``wrt``, given as symbols or
        names; anything else is refused (a name that is not a key would read as 0)."""
        def find(item, among, what):
            for key in among:
                if item is key or item == key or (isinstance(item, str) and item == str(key)):
                    return key
            raise InputError(f"{item!r} is not {what}: give one of "
                             f"{', '.join(map(str, among)) or 'none'}")
        return (find(output, self.outputs, "an output of the computation"),
                find(variable, self.wrt, "a variable of wrt"))

    def derivative(self, output, variable):
        """d output / d variable in node symbols, read off the solution: a scalar, or for a
        matrix variable the gradient matrix, of the variable's shape. ``output`` is one of
        ``outputs`` and ``variable`` one of ``wrt``, as symbols or names."""
        output, variable = self.resolve(output, variable)
        if variable not in self.graph:
            return zero(variable)
        if self.mode == "reverse":
            solution = self.solutions[self.outputs.index(output)]
            return solution[self.system.position(variable)]
        solution = self.solutions[self.wrt.index(variable)]
        return representer(solution[self.system.position(output)])

    @cached_property
    def jacobian(self) -> sp.Matrix:
        """The Jacobian in closed form: rows are outputs, columns the variables of ``wrt``.

        Raises
        ------
        InputError
            For a matrix variable (a Jacobian has scalar entries; use ``gradient``).
            As in :meth:`closed_form`.
        """
        matrices = [var for var in self.wrt if isinstance(var, sp.MatrixSymbol)]
        if matrices:
            raise InputError(f"{matrices[0]} is a matrix: a Jacobian has scalar entries; use "
                             f"gradient for one output, or "
                             f"differentiate(f, wrt).derivative(output, variable)")
        return sp.Matrix([[written_out(self.closed_form(self.derivative(out, var)), out, var)
                           for var in self.wrt] for out in self.outputs])

    @cached_property
    def gradient(self) -> Gradient:
        """The gradient of the (single) output in closed form, aligned with ``wrt``: a
        scalar for each scalar variable, a matrix of its shape for each matrix variable
        (a :class:`Gradient`, a list that displays itself)."""
        if len(self.outputs) != 1:
            raise InputError(f"the computation has {len(self.outputs)} outputs; a gradient needs "
                             f"one scalar output (use jacobian for several)")
        out = self.outputs[0]
        return Gradient([written_out(self.closed_form(self.derivative(out, var)), out, var)
                         for var in self.wrt], self.wrt, out)


def written_out(value, output, variable):
    """``value``, a closed-form derivative, if written out as a tree it has at most
    ``max_nodes`` parts (measured on the DAG, in time linear in its distinct parts); printing
    or simplifying it walks the tree, so a larger one is refused, as node values are.

    Raises
    ------
    ResourceLimitError
        Past ``max_nodes``; the gradient program (``form="program"``) is the compact form.
    """
    size = measure(value)[1] if isinstance(value, sp.Basic) else 0
    if size > get_limits().max_nodes:
        raise ResourceLimitError(f"the closed form of d{output}/d{variable} would have about "
                                 f"{size:,} parts written out; use gradient(..., "
                                 f"form='program') for a gradient that stays as short as the "
                                 f"program", limit="max_nodes")
    return value


@boundary
def differentiate(f, wrt=None, *, mode: str = "reverse", outputs=None,
                  closed: bool = False) -> Differentiation:
    """Build the graph and the system of ``f`` and solve it; return every intermediate result.

    Parameters are those of :func:`jacobian`; :func:`gradient` and :func:`jacobian` read their
    answer off the returned :class:`Differentiation`. With ``closed``, the closed forms the
    answer will need are measured first, and a graph whose closed forms are over the limits
    is refused before the solve (a long program is refused in time linear in its length).

    Raises
    ------
    ResourceLimitError
        With ``closed``, as in :func:`~symbackslash.graph.formulas.closed_forms`;
        ``err.partial`` keeps the graph and the system.
    """
    if mode not in MODES:
        raise InputError(f"mode must be 'reverse' or 'forward', not {mode!r}")
    G = build_graph(f, outputs=outputs)
    record(graph=G)
    system = assemble(G)  # build_graph checked G: validated once, here at the boundary
    record(system=system)
    if closed:
        check_closed_forms(G)
    variables = resolve_wrt(G, wrt)
    outs = list(G.graph["outputs"])
    if mode == "reverse":
        upper = system.upper()
        solutions = [back_substitute(upper, system.unit(out)) for out in outs]
    else:
        lower = system.lower()
        solutions = [forward_substitute(lower, system.seed(v)) if v in G else None
                     for v in variables]
    return Differentiation(G, system, mode, outs, variables, solutions)


@boundary
def gradient(f, wrt=None, *, mode: str = "reverse", form: str = "closed",
             simplify: str = "tidy"):
    """The gradient of a scalar ``f``, by back substitution (or forward substitution).

    Parameters
    ----------
    f : sympy.Expr, str, Program or networkx.DiGraph
        A SymPy expression (scalar-valued; matrices allowed, see
        :mod:`~symbackslash.graph.matrix`), the text of an expression or of a straight-line
        program (the last assignment is the output), or a graph already built.
    wrt : list of Symbol, MatrixSymbol or str, optional
        The variables, as symbols or names (default: every input, sorted by name). A variable
        that does not occur has derivative 0, as with ``sympy.diff``, and an
        :class:`~symbackslash.UnusedVariableWarning` names it (a typo in a name gives 0).
    mode : {"reverse", "forward"}
    simplify : {"tidy", "off", "full"}
        ``"tidy"``: matrix results cleaned up and, in products, exponentials and steps
        combined, e^(−u) e^u = 1 (:func:`~symbackslash.tidy`); ``"off"``: the
        substituted solution as it is; ``"full"``: also ``sympy.simplify`` on each entry
        where it shortens it, within ``Limits.simplify_seconds`` in all (the smallest
        entries first; past the budget the rest stay as they are).
    form : {"closed", "program"}
        ``"closed"``: a :class:`Gradient`, the list of SymPy expressions in the inputs aligned
        with ``wrt``, which displays as rows ∂f/∂x = ….
        ``"program"``: a :class:`~symbackslash.GradientProgram`, a straight-line
        program whose cost is a small multiple of the function's.

    Raises
    ------
    InputError
        For several outputs, or a ``wrt`` entry that is not a variable.
    ResourceLimitError
        If the closed form would be too large to write out (measured before the solve);
        ``err.partial`` keeps the graph and the system, and ``form="program"`` gives the
        gradient as a program.
    """
    if form == "program":
        if mode != "reverse":
            raise InputError(f"a gradient program is written by back substitution (reverse "
                             f"mode); mode={mode!r} is for form='closed'")
        return gradient_program(f, wrt)
    if form != "closed":
        raise InputError(f"form must be 'closed' or 'program', not {form!r}")
    _check_simplify(simplify)
    result = differentiate(f, wrt, mode=mode, closed=True)
    record(differentiation=result)
    if simplify == "off":
        if len(result.outputs) != 1:
            return result.gradient   # raises the message for several outputs
        out = result.outputs[0]
        return Gradient([written_out(result.closed_form(result.derivative(out, v), tidied=False),
                                     out, v) for v in result.wrt], result.wrt, out)
    grad = result.gradient
    return Gradient(_simplified(list(grad)), grad.wrt, grad.output) if simplify == "full" \
        else grad


def _check_simplify(simplify) -> None:
    if simplify not in SIMPLIFY:
        raise InputError(f"simplify must be one of {', '.join(map(repr, SIMPLIFY))}, not "
                         f"{simplify!r}")


def _simplified(values: list) -> list:
    """Each value through sympy.simplify where it helps, within one time budget in all
    (the smallest values first)."""
    return simplify_all(values)


@boundary
def jacobian(fs, wrt=None, *, mode: str = "reverse", outputs=None,
             simplify: str = "tidy") -> sp.Matrix:
    """The Jacobian matrix of several outputs, rows = outputs, columns = ``wrt``.

    Parameters
    ----------
    fs : list of expressions (or expression texts), or one program
        For a program, ``outputs`` names the variables that are outputs (default: the last).
    wrt, mode, simplify
        As in :func:`gradient`. Reverse mode does one back substitution per output, forward
        mode one forward substitution per variable; the results are identical.
    """
    _check_simplify(simplify)
    result = differentiate(fs, wrt, mode=mode, outputs=outputs, closed=True)
    record(differentiation=result)
    J = result.jacobian   # scalar entries: "off" and "tidy" agree
    return J if simplify != "full" else \
        sp.Matrix(J.rows, J.cols, _simplified(list(J)))
