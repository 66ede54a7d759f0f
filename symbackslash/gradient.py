"""Gradients and Jacobians by solving the triangular system.

Reverse mode solves (I − L)ᵀ x̄ = e_out by back substitution: x̄_k is the derivative of the
output with respect to node k, and the gradient is the input rows of x̄. Forward mode solves
(I − L) ẋ = e_in by forward substitution, once per input. Both are the generic solvers of
:mod:`symbackslash.solve`, run on the sparse system of :mod:`symbackslash.matrices`, in node
symbols; the closed forms are those solutions with every node symbol replaced by its value
in terms of the inputs.

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
"""

from __future__ import annotations

import dataclasses
from functools import cached_property

import networkx as nx
import sympy as sp

from .errors import InputError, boundary, record
from .graph import build_graph, formulas, resolve_wrt
from .matrices import TriangularSystem, triangular_system
from .nonsmooth import NonSmoothPoint, nonsmooth_points
from .program import gradient_program
from .solve import Substitution, back_substitute, forward_substitute

__all__ = ["Differentiation", "differentiate", "gradient", "jacobian"]

MODES = ("reverse", "forward")


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
        the Jacobian depend on them (see :mod:`symbackslash.nonsmooth`); empty if none."""
        return nonsmooth_points(self.graph, self.wrt)

    def closed_form(self, expr):
        """``expr`` (in node symbols) with every node symbol replaced by its value."""
        return expr.xreplace(self.values) if isinstance(expr, sp.Basic) else expr

    def derivative(self, output, variable):
        """d output / d variable in node symbols, read off the solution."""
        if variable not in self.graph:
            return sp.S.Zero
        if self.mode == "reverse":
            solution = self.solutions[self.outputs.index(output)]
            return solution[self.system.position(variable)]
        solution = self.solutions[self.wrt.index(variable)]
        return solution[self.system.position(output)]

    @cached_property
    def jacobian(self) -> sp.Matrix:
        """The Jacobian in closed form: rows are outputs, columns the variables of ``wrt``."""
        return sp.Matrix([[self.closed_form(self.derivative(out, var)) for var in self.wrt]
                          for out in self.outputs])

    @property
    def gradient(self) -> list:
        """The gradient of the (single) output in closed form, aligned with ``wrt``."""
        if len(self.outputs) != 1:
            raise InputError(f"the computation has {len(self.outputs)} outputs; a gradient needs "
                             f"one scalar output (use jacobian for several)")
        return list(self.jacobian.row(0))


@boundary
def differentiate(f, wrt=None, *, mode: str = "reverse", outputs=None) -> Differentiation:
    """Build the graph and the system of ``f`` and solve it; return every intermediate result.

    Parameters are those of :func:`jacobian`; :func:`gradient` and :func:`jacobian` read their
    answer off the returned :class:`Differentiation`.
    """
    if mode not in MODES:
        raise InputError(f"mode must be 'reverse' or 'forward', not {mode!r}")
    G = build_graph(f, outputs=outputs)
    record(graph=G)
    system = triangular_system(G)
    record(system=system)
    variables = resolve_wrt(G, wrt)
    outs = list(G.graph["outputs"])
    if mode == "reverse":
        upper = system.upper()
        solutions = [back_substitute(upper, system.unit(out)) for out in outs]
    else:
        lower = system.lower()
        solutions = [forward_substitute(lower, system.unit(v)) if v in G else None
                     for v in variables]
    return Differentiation(G, system, mode, outs, variables, solutions)


@boundary
def gradient(f, wrt=None, *, mode: str = "reverse", form: str = "closed"):
    """The gradient of a scalar ``f``, by back substitution (or forward substitution).

    Parameters
    ----------
    f : sympy.Expr, str, Program or networkx.DiGraph
        A SymPy expression, the text of an expression or of a straight-line program (the last
        assignment is the output), or a graph already built.
    wrt : list of Symbol or str, optional
        The variables, as symbols or names (default: every input, sorted by name). A variable
        that does not occur has derivative 0, as with ``sympy.diff``.
    mode : {"reverse", "forward"}
    form : {"closed", "program"}
        ``"closed"``: a list of SymPy expressions in the inputs, aligned with ``wrt``.
        ``"program"``: a :class:`~symbackslash.program.GradientProgram`, a straight-line
        program whose cost is a small multiple of the function's.

    Raises
    ------
    InputError
        For several outputs, or a ``wrt`` entry that is not a variable.
    ResourceLimitError
        If the closed form is too large to write out; ``err.partial["differentiation"]``
        keeps the solved system, and ``form="program"`` gives the gradient as a program.
    """
    if form == "program":
        return gradient_program(f, wrt)
    if form != "closed":
        raise InputError(f"form must be 'closed' or 'program', not {form!r}")
    result = differentiate(f, wrt, mode=mode)
    record(differentiation=result)
    return result.gradient


@boundary
def jacobian(fs, wrt=None, *, mode: str = "reverse", outputs=None) -> sp.Matrix:
    """The Jacobian matrix of several outputs, rows = outputs, columns = ``wrt``.

    Parameters
    ----------
    fs : list of expressions (or expression texts), or one program
        For a program, ``outputs`` names the variables that are outputs (default: the last).
    wrt, mode
        As in :func:`gradient`. Reverse mode does one back substitution per output, forward
        mode one forward substitution per variable; the results are identical.
    """
    result = differentiate(fs, wrt, mode=mode, outputs=outputs)
    record(differentiation=result)
    return result.jacobian
